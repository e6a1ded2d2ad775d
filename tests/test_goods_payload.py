"""A goods vehicle's payload holds at least its rated crew (5 Dec 2026): its maximum
load, mass:cargo = payload - 55 kg x min(seats, 2), and the 28 % of it in the goods WLTC
test mass were negative below (plausibility sweep, ``benchmarks/plausibility.py``:
``payload_0`` gave mass:cargo = -110 kg on the kei trucks). One goods crew
(:func:`keidesign.catalogue.mass.goods_crew`) for the design check, ``mass:cargo``, the
kei WLTC check and the import. Since 6 Dec 2026 (task s28a) every design's payload also
holds 68 kg a seat (49 CFR 571.110 S3, 567.4(g)(3): ``test_import_default_payload.py``),
so a goods vehicle's least payload is the larger of its crew and 68 kg x seats."""
from __future__ import annotations

import re

import pytest
from conftest import DESIGNS

from keidesign.catalogue.mass import goods_crew, goods_crew_mass, min_payload
from keidesign.design import parse_design
from keidesign.errors import InputError

TRUCK = (DESIGNS / "carry_class.toml").read_text(encoding="utf-8")


def _with_payload(text: str, kg: float) -> str:
    return re.sub(r"(?m)^payload = .*$", f"payload = {kg:g}", text)


def test_goods_payload_below_the_crew_is_one_clear_line():
    with pytest.raises(InputError) as e:
        parse_design(_with_payload(TRUCK, 100.0), "truck.toml")
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith("truck.toml: mass.payload = 100 kg")
    assert "body.use = 'goods'" in msg and ">= 110 kg" in msg


def test_goods_payload_of_the_crew_alone_is_below_68_kg_a_seat():
    """The two-seat truck's crew alone (110 kg) is below 2 x 68 kg: refused by the US
    floor (since task s28a; accepted before), 136 kg accepted."""
    with pytest.raises(InputError, match=r"mass.payload = 110 kg is below the 2 designated "
                                         r"seating positions .*allowed: >= 136 kg"):
        parse_design(_with_payload(TRUCK, 110.0))
    d = parse_design(_with_payload(TRUCK, 136.0))
    assert d["mass:payload"] == 136.0 and d["body:use"] == "goods"


def test_passenger_payload_holds_68_kg_a_seat():
    """A passenger car's payload below its designated occupants (0 kg: free until task
    s28a, the crash test mass clamping its cargo) is refused; 4 x 68 kg accepted."""
    text = (DESIGNS / "alto_class.toml").read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"allowed: >= 272 kg"):
        parse_design(_with_payload(text, 0.0))
    assert parse_design(_with_payload(text, 272.0))["mass:payload"] == 272.0


def _goods_text(seats: int) -> str:
    """A goods design of ``seats`` seats: the Carry class (2, or 1 seat) or the N-Box
    class registered as a van (4 seats, rear row)."""
    if seats <= 2:
        return re.sub(r"(?m)^seats = \d+", f"seats = {seats}", TRUCK)
    text = (DESIGNS / "nbox_class.toml").read_text(encoding="utf-8")
    return text.replace("[body]\n", '[body]\nuse = "goods"\n', 1)


@pytest.mark.parametrize("seats,crew", [(1, 1), (2, 2), (4, 2)])
def test_one_goods_crew_for_the_check_the_cargo_and_the_kei_check(seats, crew):
    """The rated crew is the front row, min(seats, 2) (a kei van: "2(4) persons,
    350(250) kg"): the design check's least payload, the build-up's mass:cargo and the
    kei WLTC check's goods payload all count it (before 5 Dec 2026 the check and
    mass:cargo counted every seat: a 4-seat van's 350 kg load read 240 kg)."""
    from openmdao.core.problem import Problem

    from keidesign.energy import calibration as cal
    from keidesign.mass import MassSummaryComp

    assert goods_crew(seats) == crew and goods_crew_mass(seats) == 55.0 * crew
    text = _goods_text(seats)
    assert parse_design(text)["body:seats"] == seats
    crew_kg = goods_crew_mass(seats)
    low = max(crew_kg, min_payload(seats))
    assert parse_design(_with_payload(text, low))["mass:payload"] == low
    with pytest.raises(InputError, match=f">= {low:g} kg"):
        parse_design(_with_payload(text, low - 1.0))
    with pytest.raises(InputError, match=f"body.use = 'goods'.*>= {crew_kg:g} kg"):
        parse_design(_with_payload(text, crew_kg - 1.0))
    prob = Problem(reports=False)
    prob.model.add_subsystem("s", MassSummaryComp(seats=seats), promotes=["*"])
    prob.setup()
    prob.set_val("mass:payload", crew_kg + 350.0)
    prob.run_model()
    assert prob.get_val("mass:cargo")[0] == pytest.approx(350.0)
    row = {"seats": {1: "1", 2: "1-2", 4: "1-4"}[seats]}
    assert cal._row_seats(row) == seats


def test_the_kei_check_reads_a_rows_seats_as_the_import_does():
    """One reading of a kei.csv row's ``seats`` (``testcars.row_seats``, the last number:
    ``1-4`` is 4) for the import's spec and the kei checks' goods payload, the kei
    default (``KEI_SEATS``, 4) where the row gives none: every row agrees."""
    from keidesign.catalogue.mass import KEI_SEATS
    from keidesign.energy import calibration as cal
    from keidesign.specs import sources

    rows = sources.vehicle_rows("kei")
    assert any(vr.row.get("seats") for vr in rows)
    for vr in rows:
        spec = sources.row_spec(vr)
        imported = spec.get("seats")
        assert cal._row_seats(vr.row) == (KEI_SEATS if imported is None else imported), (
            vr.label)
    assert cal._row_seats({"seats": ""}) == KEI_SEATS == cal._row_seats({})


@pytest.mark.parametrize("text", ["four", "0", "1-40", "2(4)", "4-1", "1-4-6"])
def test_a_kei_rows_bad_seats_is_one_clear_error(text):
    """A ``seats`` cell that is not a count 1-9 or a range 'a-b' is refused with the value
    and the allowed form (before, '1-40' read 40 seats, 'four' silently the default)."""
    from keidesign.energy import testcars as tc

    with pytest.raises(ValueError, match=r"seats '.*': expected a seat count 1-9 or a "
                                         r"range 'a-b'"):
        tc.row_seats({"seats": text})
    assert tc.row_seats({"seats": " 1 - 4 "}) == 4 and tc.row_seats({"seats": "2"}) == 2
