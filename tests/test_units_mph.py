"""``mph`` is miles per hour in every reader of user units (5 Dec 2026).

OpenMDAO's unit table has no ``mph``: its parser reads the string as milli-phot (``m`` +
``ph``, an illuminance), and keidesign refused ``"17 mph"`` with a hint to write
``mi/h``. :mod:`keidesign.units` now expands the alias ``mph`` into ``mi/h`` at its parse
boundary; OpenMDAO only ever receives the canonical text and keeps its own table.
"""
from __future__ import annotations

import pytest
from conftest import DESIGNS, ROOT

from keidesign import units as ku
from keidesign.cli import main
from keidesign.design import load_design, parse_design
from keidesign.rulepacks import parse_pack
from keidesign.studies.spec import parse_study


@pytest.mark.parametrize("text,canonical", [
    ("mph", "mi/h"), (" mph ", "mi/h"), ("mph**2", "mi**2/h**2"), ("s/mph", "s/mi*h"),
    ("1/mph", "1/mi*h"), ("mph/s", "mi/h/s"), ("N*s/mph", "N*s/mi*h")])
def test_mph_is_miles_per_hour_and_converts_as_openmdao(text, canonical):
    from openmdao.utils.units import unit_conversion

    u = ku.parse_units(text)
    assert u.text == canonical and ku.parse_units(u.text) == u  # the text parses again
    si = {"mi/h": "m/s", "mi**2/h**2": "m**2/s**2", "s/mi*h": "s**2/m", "1/mi*h": "s/m",
          "mi/h/s": "m/s**2", "N*s/mi*h": "kg"}[canonical]
    assert ku.conversion(text, si) == unit_conversion(canonical, si)
    assert ku.convert(17.0, "mph", "km/h") == ku.convert(17.0, "mi/h", "km/h")


def test_openmdaos_own_table_is_untouched():
    """The alias lives in keidesign's grammar only: OpenMDAO still reads its own
    'mph' as milli-phot (and nothing of keidesign hands it that string)."""
    from openmdao.utils.units import unit_conversion

    ku.parse_units("mph")
    assert unit_conversion("mph", "lx") == pytest.approx((10.0, 0.0))


def test_mph_counts_two_names_and_stays_within_the_length():
    """The canonical text has to parse again (rule packs and studies keep it)."""
    assert ku.parse_units("*".join(["mph"] * 4)).text == "*".join(["mi/h"] * 4)
    with pytest.raises(ku.UnitsError, match=r"more than 8 unit names \('mph' counts two"):
        ku.parse_units("*".join(["mph"] * 5))
    long = "mph**-9*mph**-9*mph**-9*arc_minute**-9*arc_second**-9"  # 53 characters
    with pytest.raises(ku.UnitsError, match="longer than 64 characters once 'mph'"):
        ku.parse_units(long)


def _quantity_design(value: str) -> dict:
    text = (DESIGNS / "nbox_class.toml").read_text(encoding="utf-8")
    assert "[powertrain]\n" in text
    return parse_design(text.replace("[powertrain]\n",
                                     f'[powertrain]\nspeed_limiter = "{value}"\n', 1))


def test_design_file_reads_mph():
    a, b = _quantity_design("87 mph"), _quantity_design("87 mi/h")
    assert a["powertrain:speed_limiter"] == b["powertrain:speed_limiter"] == pytest.approx(
        87 * 1.609344)
    # a list of quantity strings (a manual's upshift speeds, mi/h)
    text = (DESIGNS / "carry_class.toml").read_text(encoding="utf-8")
    d = load_design(DESIGNS / "carry_class.toml")
    assert d["powertrain:transmission"] == "mt5"
    marker = "[powertrain.ice]\n"
    assert marker in text

    def upshifts(unit: str) -> tuple:
        speeds = ", ".join(f'"{v} {unit}"' for v in (17, 24, 35, 41))
        return parse_design(text.replace(
            marker, f"{marker}manual_upshift_mph = [{speeds}]\n", 1))[
            "powertrain:ice:manual_upshift_mph"]

    assert upshifts("mph") == upshifts("mi/h") == pytest.approx((17.0, 24.0, 35.0, 41.0))


def _study(unit: str, overrides=()) -> object:
    text = (f'[study]\nname = "s"\ndesign = "{DESIGNS / "nbox_class.toml"}"\n'
            f'[[variable]]\nname = "powertrain.speed_limiter"\nlower = "60 {unit}"\n'
            f'upper = 100\nunits = "{unit}"\n[objective]\nname = "mass:curb"\n')
    return parse_study(text, "s.toml", base_dir=ROOT / "studies", overrides=overrides)


def test_study_reads_mph():
    a, b = _study("mph"), _study("mi/h")
    va, vb = a.variables[0], b.variables[0]
    assert (va.lower, va.upper) == (vb.lower, vb.upper)
    assert va.upper == pytest.approx(100 * 1.609344)
    c = _study("mi/h", overrides=['variable.1.upper="90 mph"'])
    assert c.variables[0].upper == pytest.approx(90 * 1.609344)


def test_rule_pack_reads_mph():
    def pack(unit: str):
        return parse_pack(
            f'[pack]\nid = "p"\nversion = "1"\ntitle = "t"\nsource = "s"\n\n'
            f'[[constraint]]\nid = "p.top"\nquantity = "perf:top_speed"\nlower = 65\n'
            f'units = "{unit}"\nsource = "somewhere"\n', "p.toml").constraints[0]

    a, b = pack("mph"), pack("mi/h")
    assert a.units == b.units == "mi/h" and a.lower == b.lower == 65.0


def test_import_spec_reads_mph(tmp_path):
    """A US sheet's "94 mph" top speed (refused with 'write mi/h' before)."""
    from keidesign.specs.sources import user_spec

    base = ('[vehicle]\nname = "car"\n[dimensions]\nlength = 3395\nwidth = 1475\n'
            'height = 1500\nwheelbase = 2460\n[engine]\ndisplacement = 658\npower = 38\n'
            '[performance]\ntop_speed = "94 {u}"\n')
    got = []
    for u in ("mph", "mi/h"):
        path = tmp_path / f"{u.replace('/', '_')}.toml"
        path.write_text(base.format(u=u), encoding="utf-8")
        got.append(user_spec(path).get("top_speed"))
    assert got[0] == got[1] == pytest.approx(94 * 1.609344)
    out = tmp_path / "car_design.toml"
    assert main(["import", "spec", str(tmp_path / "mph.toml"), "-o", str(out)]) == 0


@pytest.mark.parametrize("name, hint", [("kmph", "write 'km/h'"), ("KPH", "write 'km/h'"),
                                        ("MPH", "write 'mph' or 'mi/h'")])
def test_near_spellings_of_mph_are_refused_with_the_right_unit(name, hint):
    """'kmph' once got "did you mean 'mph'?" (a user who meant km/h and took the hint got
    miles per hour: x 1.609); now each names the unit it means."""
    from keidesign.units import UnitsError, parse_units

    with pytest.raises(UnitsError) as e:
        parse_units(name)
    assert hint in str(e.value) and "did you mean" not in str(e.value)


def test_mega_phot_spelling_of_mph_gets_the_hint_in_a_design_file():
    """'Mph' is a valid OpenMDAO name (mega-phot): a speed field refuses it and says what
    to write."""
    from keidesign.units import spelling_hint

    assert "write 'mph' or 'mi/h'" in spelling_hint("Mph")
