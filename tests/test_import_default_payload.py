"""The default payload of an import without a published GVWR is never below 68 kg a seat,
with no luggage, and ``check`` refuses a design whose ``mass.payload`` is (issue 14, task
s28a).

Before: every import wrote the registry's 300 kg (4 x 55 kg + 80 kg luggage), a 5-seat
car too, whose 5 x 68 kg = 340 kg of designated occupants is more, so the FMVSS 208 test
mass (``crash.structure.CrashTestMassComp``) clamped its rated cargo to 0; a design file
with that payload passed ``check``; the four-seat generations of ``us_specs.csv`` without
a seat count imported with 5. A vehicle capacity weight below 68 kg x the designated
seating capacity cannot be certified (49 CFR 571.110 S3 / S4.3, 567.4(g)(3)); no luggage
as NHTSA's measured FMVSS 208 test weights (curb + dummies); docs/crash.md, "The default
payload of an import without a GVWR"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from keidesign.catalogue.mass import SEAT_MASS_KG, default_payload, min_payload
from keidesign.crash.structure import DUMMY_MASS_KG
from keidesign.design import parse_design
from keidesign.errors import InputError
from keidesign.specs import build, sources
from keidesign.specs.text import design_text

DESIGNS = Path(__file__).resolve().parents[1] / "studies" / "designs"


def _entry(tables, table: str, key: str) -> build.Entry:
    t = next(t for t in tables if t.name == table)
    return next(e for e in t.entries if e.key == key)


def _row(model: str) -> sources.VehicleRow:
    return next(v for v in sources.vehicle_rows("us_specs") if v.row["model"] == model)


def test_the_default_holds_68_kg_a_seat_without_luggage():
    """1 to 4 seats keep the registry's 300 kg; 5 seats and more: 68 kg a seat, no more."""
    assert [default_payload(n) for n in (1, 2, 3, 4)] == [300.0] * 4
    assert default_payload(5) == 5 * SEAT_MASS_KG == 340.0
    assert default_payload(7) == 7 * SEAT_MASS_KG
    for n in range(1, 10):
        assert default_payload(n) >= min_payload(n) == SEAT_MASS_KG * n


@pytest.mark.parametrize("predict", [False, True])
def test_a_five_seat_import_holds_its_seats_by_the_rule(predict):
    """The Mirage G4 (us_specs.csv, 5 seats, no GVWR): payload 340 kg (300 before), so its
    FMVSS 208 test mass is curb + the dummies with a cargo of exactly 0 by the rule, not
    by the clamp; the note states the basis; the imported file passes ``check``."""
    vr = _row("MIRAGE G4")
    header, tables = build.build_design(sources.row_spec(vr), predict=predict)
    entry = _entry(tables, "mass", "payload")
    assert entry.value == 340.0
    assert "68 kg x 5 seats" in entry.note and "no luggage" in entry.note and entry.assumed
    design = parse_design(design_text(header, tables), "<mirage g4>")
    assert design.values["mass:payload"] - 5 * SEAT_MASS_KG == 0.0
    if not predict:
        test_mass = build.design_pulse_inputs(design)["crash:front:test_mass"]
        assert test_mass == pytest.approx(float(vr.row["curb_kg"]) + 2 * DUMMY_MASS_KG,
                                          abs=0.5)


@pytest.mark.parametrize("model", ["iQ", "500", "Spark", "i-MiEV"])
def test_four_seat_rows_import_with_four_seats_and_300_kg(model):
    """The four-seat generations filled in us_specs.csv (status R, with a source) import
    with 4 seats and the registry's 300 kg (28 kg of FMVSS 208 cargo), not 5 seats."""
    _, tables = build.build_design(sources.row_spec(_row(model)), predict=True)
    seats = _entry(tables, "body", "seats")
    assert seats.value == 4 and "status R" in seats.note
    pay = _entry(tables, "mass", "payload")
    assert pay.value == 300.0 and pay.note.startswith("registry default")


def test_a_four_seat_kei_import_keeps_300_kg():
    """A kei.csv row (4 seats) keeps the registry's 300 kg and its note."""
    vr = next(iter(sources.vehicle_rows("kei")))
    _, tables = build.build_design(sources.row_spec(vr))
    entry = _entry(tables, "mass", "payload")
    assert entry.value == 300.0 and entry.note.startswith("registry default")


def _mirage(payload: str) -> str:
    text = (DESIGNS / "mirage_class.toml").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("payload =")]
    i = lines.index("[mass]")
    return "\n".join(lines[:i + 1] + ([payload] if payload else []) + lines[i + 1:]) + "\n"


@pytest.mark.parametrize(("payload", "shown"), [
    ("payload = 320", "320 kg is below"),
    ("payload = 339.5", "339.5 kg is below"),
    ("", "300 kg (the registry default: the key is left out or set to it) is below")])
def test_check_refuses_a_payload_below_68_kg_a_seat(payload, shown):
    """A hand-written 5-seat design with 320 kg (or 339.5 kg, or no payload: the registry's
    300 kg) is one error naming mass.payload, the value and the minimum 340 kg."""
    with pytest.raises(InputError, match=rf"^<m>: mass.payload = {re.escape(shown)} the 5 "
                                         r"designated seating positions of body.seats = 5 "
                                         r".*allowed: >= 340 kg, up to 2000 kg$"):
        parse_design(_mirage(payload), "<m>")
    parse_design(_mirage("payload = 340"), "<m>")


def test_shipped_designs_hold_68_kg_a_seat():
    """Every reference design's payload holds its seats (the Mirage class 300 -> 340 kg)."""
    for path in sorted(DESIGNS.glob("*.toml")):
        v = parse_design(path.read_text(encoding="utf-8"), str(path)).values
        assert v["mass:payload"] >= min_payload(int(v["body:seats"])), path.name


def test_a_goods_spec_below_68_kg_a_seat_is_refused_at_import():
    """A goods van spec (4 seats) whose maximum load leaves its payload (2 x 55 kg + the
    load) below 4 x 68 kg is one error naming mass.max_load and its least value (162 kg),
    not a design the check then refuses."""
    spec = sources.row_spec(next(iter(sources.vehicle_rows("kei"))))
    spec.set("use", "goods", "test")
    spec.set("seats", 4, "test")
    spec.set("max_load", 100.0, "test")
    with pytest.raises(InputError, match=r"mass.max_load = 100 kg gives a payload of 2 x 55 "
                                         r"\+ 100 = 210 kg, below 68 kg x 4 seats .*allowed: "
                                         r"mass.max_load >= 162 kg"):
        build.build_design(spec)
    spec.set("max_load", 162.0, "test")
    _, tables = build.build_design(spec)
    assert _entry(tables, "mass", "payload").value == 272.0


#: The rows whose seat count and engine position were filled on 6 Dec 2026 (task s29c,
#: each with its source, status R): (model, generation) -> (seats, layout or None).
FILLED_S29C = {
    ("Veloster", "FS (1st gen)"): (4, None), ("VOLT", "1st gen"): (4, None),
    ("86", "ZN6 (GT 86) facelift"): (4, None), ("BRZ", "ZC6 (1st gen)"): (4, None),
    ("BRZ", "ZC6 facelift"): (4, None), ("I3 BEV", "I01 (60 Ah)"): (4, None),
    ("I3 REX", "I01 REx (60 Ah)"): (4, None), ("I3 BEV", "I01 facelift (94 Ah)"): (4, None),
    ("I3s", "I01 i3s"): (4, None), ("I3s REX", "I01 i3s REx"): (4, None),
    ("I8", "I12"): (4, None), ("I8 Roadster", "I15 Roadster"): (2, None),
    ("ELR", "ELR (2016)"): (4, None), ("Alfa 4c", "Alfa Romeo 4C"): (2, "mid"),
}


@pytest.mark.parametrize("key", sorted(FILLED_S29C), ids=" ".join)
def test_non_five_seat_rows_import_with_their_published_seats(key):
    """The 2+2, four-seat and two-seat generations of us_specs.csv import with their
    published seat count (and the mid-engined 4C with its engine behind the seats),
    not the import's default of 5 seats and a front engine."""
    vr = next(v for v in sources.vehicle_rows("us_specs")
              if (v.row["model"], v.row["generation"]) == key)
    seats, layout = FILLED_S29C[key]
    spec = sources.row_spec(vr)
    assert spec.get("seats") == seats and "status R" in spec.facts["seats"].note
    assert vr.row["seats_layout_source"].strip()
    assert spec.get("layout") == layout
    if key[0].endswith("REX"):   # a range extender's engine is not in the source: no design
        return
    _, tables = build.build_design(spec, predict=True)
    assert _entry(tables, "body", "seats").value == seats
    assert _entry(tables, "mass", "payload").value == default_payload(seats)


def test_every_filled_us_seat_count_names_its_source():
    """A us_specs.csv row with a seat count or layout has a source and status V or R."""
    for vr in sources.vehicle_rows("us_specs"):
        r = vr.row
        if r["seats"].strip() or r["layout"].strip():
            assert r["seats_layout_source"].strip(), vr.label
            assert r["seats_layout_status"].strip() in ("V", "R"), vr.label
