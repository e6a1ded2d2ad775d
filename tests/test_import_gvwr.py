"""A published gross vehicle weight rating sets an import's payload (issue 14, task s26b):
us_specs.csv's ``gvwr_kg`` / ``gvwr_source`` / ``gvwr_status`` columns, read by
``sources._gvwr_fact`` and applied by ``build._gvwr_payload`` (payload = GVWR - curb, the
vehicle capacity weight at equality in 49 CFR 567.4(g)(3)). The one row that carries a
rating is the smart fortwo electric drive W453 ED (NHTSA's ratings file, 2,897 lb): its
FMVSS 208 test mass is then GVWR - 2 x 68 kg + the two dummies, not the registry's
300 kg payload on top of the predicted curb (docs/crash.md, "The W453 ED's inputs
audited")."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from keidesign.crash.structure import DUMMY_MASS_KG, SEAT_MASS_KG
from keidesign.errors import InputError
from keidesign.specs import build, sources
from keidesign.specs.sources import Spec, _gvwr_fact
from keidesign.specs.text import design_text

#: NHTSA's ratings file, row SMART / ELECTRIC FORTWO / 2017 / 2 DR: 2,897 lb
W453_ED_GVWR_KG = round(2897 * 0.45359237)


def _w453_ed():
    return next(v for v in sources.vehicle_rows("us_specs")
                if v.row["make"] == "smart" and v.row["generation"] == "W453 ED")


def test_the_rating_column_holds_sourced_values():
    """Every filled ``gvwr_kg`` carries its source and a status V/R/A; the W453 ED's is
    NHTSA's 2,897 lb (V); no other row has one yet."""
    path = resources.files("keidesign") / "data" / "vehicles" / "us_specs.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["gvwr_kg"]]
    assert [(r["generation"], float(r["gvwr_kg"]), r["gvwr_status"]) for r in rows] == [
        ("W453 ED", W453_ED_GVWR_KG, "V")]
    assert "Safercar_data.csv" in rows[0]["gvwr_source"]
    assert "2897 lb" in rows[0]["gvwr_source"]


def test_bad_rating_is_one_clear_message():
    """A rating outside the allowed range, or not above the row's published curb, names
    the field, the value and the range; a status A value is not used."""
    row = {"gvwr_kg": "900", "gvwr_source": "x", "gvwr_status": "V", "curb_kg": "950"}
    with pytest.raises(InputError, match=r"row: gvwr_kg = 900 kg; allowed: 1290 to 2950 kg "
                                         r"\(the row's curb_kg 950 \+ 68 kg x 5 seats"):
        _gvwr_fact(Spec("x", "us_specs", "x", []), row, "row")
    with pytest.raises(InputError, match=r"gvwr_kg = 20000 kg; allowed: more than 268 kg"):
        _gvwr_fact(Spec("x", "us_specs", "x", []), {**row, "gvwr_kg": "20000", "curb_kg": ""},
                   "row")
    spec = Spec("x", "us_specs", "x", [])
    _gvwr_fact(spec, {**row, "gvwr_kg": "1300", "gvwr_status": "A"}, "row")
    assert "gvwr" not in spec.facts
    _gvwr_fact(spec, {**row, "gvwr_kg": "1300"}, "row")
    assert spec.get("gvwr") == 1300.0


@pytest.mark.parametrize(("cell", "status", "message"), [
    ("1,314", "V", r"gvwr_kg = '1,314'; allowed: a plain number of kg"),
    ("2897 lb", "V", r"gvwr_kg = '2897 lb'; allowed: a plain number of kg"),
    ("nan", "R", r"gvwr_kg = 'nan'; allowed: a plain number of kg"),
    ("1314", "X", r"gvwr_status = 'X'; allowed: V, R, A"),
    ("1314", "", r"gvwr_status = ''; allowed: V, R, A")])
def test_malformed_rating_cell_is_refused(cell, status, message):
    """A filled gvwr_kg that is not a plain number, or with a status the us_specs README
    does not define, is one error (both were ignored or accepted silently before)."""
    row = {"gvwr_kg": cell, "gvwr_source": "x", "gvwr_status": status, "curb_kg": ""}
    with pytest.raises(InputError, match=rf"^row: {message}"):
        _gvwr_fact(Spec("x", "us_specs", "x", []), row, "row")


def test_rating_below_curb_plus_the_seats_is_refused():
    """49 CFR 567.4(g)(3): GVWR >= curb + 68 kg x seats. A published curb: GVWR 1150 kg
    over a 1,100 kg curb of a two-seater (50 kg of payload, clamped to nothing before) is
    one message with the allowed range, in the row reader and in the build."""
    spec = Spec("x", "us_specs", "x", [])
    spec.set("seats", 2, "row")
    row = {"gvwr_kg": "1150", "gvwr_source": "x", "gvwr_status": "V", "curb_kg": "1100"}
    with pytest.raises(InputError, match=r"gvwr_kg = 1150 kg; allowed: 1236 to 3100 kg"):
        _gvwr_fact(spec, row, "row")
    _build_refuses(1150.0, 1100.0, r"\(the published curb, 1100 kg\) = 50 kg")


def test_rating_below_the_predicted_curb_is_refused():
    """The W453 ED with a 1,000 kg rating (the mass model's curb ~1,058 kg): one message
    naming gvwr_kg, not a payload clamped to 0 and a test mass above the rating."""
    _build_refuses(1000.0, None, r"\(the mass model's \(none published\) curb, \d+ kg\) = -\d+ kg")


def _build_refuses(gvwr: float, curb: float | None, payload: str) -> None:
    """The W453 ED's import with the rating ``gvwr`` (and the published ``curb``) is one
    error naming gvwr_kg, the payload it leaves (regex ``payload``) and the range."""
    spec = sources.row_spec(_w453_ed())
    if curb is not None:
        spec.set("curb", curb, "test")
    spec.set("gvwr", gvwr, "test")
    with pytest.raises(InputError, match=rf"gvwr_kg = {gvwr:g} kg leaves a payload of GVWR "
                                         rf"- curb {payload}; allowed: 136 to 2000 kg"):
        build.build_design(spec)


def test_the_note_keeps_the_source_whole():
    """The payload's note carries gvwr_source whole (was cut at 160 characters, in the
    middle of the commit hash)."""
    vr = _w453_ed()
    _, tables = build.build_design(sources.row_spec(vr))
    note = next(e for e in next(t for t in tables if t.name == "mass").entries
                if e.key == "payload").note
    assert note.endswith(vr.row["gvwr_source"] + ")")
    assert "2d5b981ae117e10d6b7678bff82adf7b27e18dd8" in note


def test_published_curb_gives_the_payload_directly():
    """With a published curb the payload is GVWR - curb, no model run."""
    vr = _w453_ed()
    vr = sources.VehicleRow(vr.file, vr.line, {**vr.row, "curb_kg": "1050"})
    header, tables = build.build_design(sources.row_spec(vr))
    mass = next(t for t in tables if t.name == "mass")
    payload = next(e for e in mass.entries if e.key == "payload")
    assert payload.value == pytest.approx(W453_ED_GVWR_KG - 1050.0)
    assert "GVWR 1314 kg - curb 1050 kg (the published curb)" in payload.note


def test_the_w453_ed_test_mass_follows_its_rating():
    """The W453 ED (curb predicted): the payload is the rating less the mass model's curb,
    a fixed point of model runs, so its FMVSS 208 test mass is GVWR - 2 x 68 kg + two
    dummies (1,334 kg; 1,411 kg with the registry's 300 kg payload before). Also with its
    front sized by energy (shipped 6 Dec 2026), whose walls move the predicted curb: the
    import reruns the fixed point after the sizing (1,336 kg without the rerun)."""
    spec = sources.row_spec(_w453_ed())
    assert spec.get("gvwr") == W453_ED_GVWR_KG
    header, tables = build.build_design(spec)
    text = design_text(header, tables)
    assert "payload = " in text and "the vehicle capacity weight the rating leaves" in text
    inputs = build.design_pulse_inputs(build.parse_design(text, "<w453 ed>"))
    expected = W453_ED_GVWR_KG - 2 * SEAT_MASS_KG + 2 * DUMMY_MASS_KG
    assert inputs["crash:front:test_mass"] == pytest.approx(expected, abs=1.0)
    assert inputs["crash:front:test_mass"] < 1411.0 - 50.0


def _fixed_point(monkeypatch, slope: float) -> tuple[list[float], float, str]:
    """The W453 ED's import with the mass model's curb replaced by 1057.72 kg + ``slope``
    x payload (the model's own: 1,091.05 kg at 300 kg, 1,082.50 at 223): the payloads
    the curb was run at, the payload written and its note; the engine-less sizing off
    (with it on, the import runs the fixed point again after sizing the walls:
    :func:`test_the_w453_ed_test_mass_follows_its_rating`)."""
    monkeypatch.setattr(build, "ENGINELESS_ENERGY_SIZING", False)
    runs = []

    def curb(text, cache):
        runs.append(float(text.split("\npayload = ")[1].split()[0]))
        return 1057.72 + slope * runs[-1]

    monkeypatch.setattr(build, "_model_curb", curb)
    _, tables = build.build_design(sources.row_spec(_w453_ed()))
    entry = next(e for e in next(t for t in tables if t.name == "mass").entries
                 if e.key == "payload")
    return runs, entry.value, entry.note


def test_the_fixed_point_stops_on_convergence(monkeypatch):
    """300 -> 223 -> 232 -> 231 -> 231: the loop runs until the payload moves < 1 kg, so
    the note's curb is the run at the payload written (three runs stopped on the cap at
    232 kg and wrote 231 before); a slow map (slope 0.5) that the cap stops says so."""
    runs, payload, note = _fixed_point(monkeypatch, 0.1111)
    assert runs == [300.0, 223.0, 232.0, 231.0] and payload == 231.0
    assert f"curb {1057.72 + 0.1111 * 231:.0f} kg" in note and "4 model runs" in note
    runs, payload, note = _fixed_point(monkeypatch, 0.5)
    assert len(runs) == build.GVWR_PAYLOAD_PASSES and payload != runs[-1]
    assert (f"the run at {runs[-1]:.0f} kg of payload: the fixed point had not converged "
            f"after {build.GVWR_PAYLOAD_PASSES} runs") in note


def test_predict_and_rows_without_a_rating_keep_the_default():
    """--predict and every row without a rating keep the registry's 300 kg."""
    for vr, predict in ((_w453_ed(), True),
                        (next(v for v in sources.vehicle_rows("us_specs")
                              if v.row["generation"] == "W453"), False)):
        _, tables = build.build_design(sources.row_spec(vr), predict=predict)
        mass = next(t for t in tables if t.name == "mass")
        assert next(e for e in mass.entries if e.key == "payload").value == 300.0


@pytest.mark.parametrize("generation, key, column", [
    ("W453 ED", "front_overhang", "overhang_source"),
    ("ND (4th gen) 2.0", "roof", "roof_source"),
])
def test_the_overhang_and_roof_notes_keep_their_sources_whole(generation, key, column):
    """The front overhang's and the open roof's notes carry their source whole, as the
    payload's does (both were cut at 160 characters: the smart rows' overhang sources
    are 229-262 characters, the MX-5 rows' roof sources 343-405)."""
    vr = next(v for v in sources.vehicle_rows("us_specs")
              if v.row["generation"] == generation and len(v.row[column]) > 160)
    note = sources.row_spec(vr).facts[key].note
    assert note.endswith(" ".join(vr.row[column].split()) + ")")
