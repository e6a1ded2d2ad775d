"""A new engineer's pass with careless and hostile input (task s37d, 7 Dec 2026): each
test fails on the code before its fix (867fc28)."""

from __future__ import annotations

import pytest

from keidesign import units as ku


@pytest.mark.parametrize("text,near", [("Kg", "'kg'"), ("KG", "'kg'"), ("KM", "'km'"),
                                       ("Kw", "'kW'"), ("MM", "'mm'"), ("Inch", "'inch'")])
def test_a_unit_in_the_wrong_case_names_the_right_case(text, near):
    """'810 Kg' was offered 'Kig' (kibigram), '810 KG' nothing: unit names are
    case-sensitive and the message now says so, naming the name in the right case."""
    with pytest.raises(ku.UnitsError) as info:
        ku.parse_units(text)
    msg = str(info.value)
    assert f"did you mean {near}? (unit names are case-sensitive)" in msg
    assert "Kig" not in msg


@pytest.mark.parametrize("text,fix", [("kwh", "'kW*h'"), ("CC", "'cm**3'")])
def test_a_catalogue_spelling_in_another_case_gets_its_hint(text, fix):
    """'kwh' was offered 'kh' (kilo-hour), 'CC' nothing; 'kWh' and 'cc'
    had their hint."""
    with pytest.raises(ku.UnitsError) as info:
        ku.parse_units(text)
    assert f"is no unit here: write {fix}" in str(info.value)


def test_a_torque_in_capitals_is_told_it_reads_nautical_miles():
    """'65 NM' (a catalogue's N*m in capitals) was 'units 'NM' cannot be converted to
    'N*m'' with no word that NM is OpenMDAO's nautical mile."""
    assert "nautical miles here: a torque is written 'N*m'" in ku.spelling_hint("NM")
