"""The crash standards' application sections in the ``fmvss`` pack (issue 14, task s30b).

FMVSS 208 (S3), 214 (S2), 216a (S2) and 301 (S3) apply to passenger cars, multipurpose
passenger vehicles, trucks and buses; a low-speed vehicle (49 CFR 571.3) is held to FMVSS
500 alone (571.500 S5: equipment and a speed of at most 25 mph, no crash test). Until 6
Dec 2026 only Part 581 had ``applies_to``: an LSV design was judged on the four crash
standards as a car. And the FMVSS 214 pole test's SID-IIs pelvis and lower-spine rows
and the ES-2re's abdomen and pubic rows, which the pack lacked.
"""

from __future__ import annotations

import json

import pytest
from conftest import DESIGNS, STUDY_BASE
from test_studies import _parse, _refused

from keidesign.cli import main
from keidesign.crash.bumper import REAR_AS_FRONT_NOTE
from keidesign.crash.side_occupant import CLASS_AVERAGE_NOTE
from keidesign.design import load_design
from keidesign.evaluation import design_packs, evaluate_design, format_table
from keidesign.rulepacks import load_pack
from keidesign.studies.problem import MarginSpec, applies, build_study_problem
from keidesign.studies.sweep import classify

#: the four crash standards and where each says what it applies to
STANDARDS = {"fmvss208": "571.208 S3(a)", "fmvss214": "571.214 S2",
             "fmvss216a": "571.216a S2", "fmvss301": "571.301 S3"}


def _crash_rows(records: list[dict]) -> list[dict]:
    return [r for r in records if r["id"].split(":", 1)[1].split(".")[0] in STANDARDS]


def _lsv_file(tmp_path):
    """The US-variant N-Box class governed at 38 km/h (23.6 mph; docs/classification.md:
    an LSV, GVWR below 1,361 kg) as a design file."""
    text = (DESIGNS / "nbox_class_us.toml").read_text()
    assert "\n[powertrain]\n" in text
    path = tmp_path / "nbox_lsv.toml"
    path.write_text(text.replace("\n[powertrain]\n",
                                 '\n[powertrain]\nspeed_limiter = "38 km/h"\n', 1))
    return path


def test_crash_standards_apply_to_cars_and_trucks_with_their_clause():
    """Every FMVSS 208 / 214 / 216a / 301 row of the pack applies to passenger cars and
    trucks, citing its standard's application section and FMVSS 500 for an LSV."""
    pack = load_pack("fmvss")
    rows = [c for c in pack.constraints if c.id.split(".")[0] in STANDARDS]
    assert len(rows) == 35
    for c in rows:
        assert c.applies_to == ("passenger_car", "truck"), c.id
        assert STANDARDS[c.id.split(".")[0]] in c.applicability, c.id
        assert "FMVSS 500" in c.applicability and "571.500 S5" in c.applicability, c.id


def test_lsv_design_file_has_the_crash_standards_not_applicable(tmp_path, capsys):
    """An LSV design file (``keidesign evaluate``): its FMVSS 208 / 214 / 216a / 301 and
    Part 581 rows read ``not applicable`` with the reason led by 'LSV: FMVSS 500', no
    value, margin or verdict (so no FMVSS criterion counts as failed: the class line says
    it is certified to FMVSS 500 only); the fleet-compatibility proxies stay judged. On
    143e55e they were judged as a car's (and fmvss208.f05.hic15 failed)."""
    path = _lsv_file(tmp_path)
    assert main(["evaluate", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["classification"]["class"]["key"] == "lsv"
    crash = _crash_rows(doc["constraints"])
    assert len(crash) == 35
    for r in crash + [r for r in doc["constraints"] if ":part581." in r["id"]]:
        assert r["status"] == "not-applicable", r["id"]
        assert r["passed"] is None and r["margin"] is None and r["value"] is None, r["id"]
        assert r["reason"].startswith("LSV: FMVSS 500 (49 CFR 571.500) instead; applies to "
                                      "passenger car"), r["id"]
    assert all(r["passed"] is not None for r in doc["constraints"] if ".compat." in r["id"])
    assert doc["classification"]["fmvss_failed"] == []
    assert doc["classification"]["fmvss_judged"] == 0
    # the text table: the rows read not applicable, led by the class's own standard; the
    # full reasons below it once per standard, with the ids they hold for
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    row = next(ln for ln in out.splitlines() if ln.startswith("fmvss:fmvss208.hic15 "))
    assert "not applicable" in row and "why: LSV: FMVSS 500" in row
    below = [ln for ln in out.splitlines() if ln.startswith("not applicable: fmvss:fmvss2")]
    assert len(below) == 3 and below[0].startswith(
        "not applicable: fmvss:fmvss208.crush_space, fmvss:fmvss208.ride_down_space, ")


def test_passenger_car_is_judged_on_the_crash_standards_and_the_pole_rows():
    """The same car without the limiter is a passenger car: every FMVSS 208 / 214 / 216a
    / 301 row is judged (or not-modelled with its reason), none not-applicable. The pole
    test's SID-IIs pelvis row judges the side fit's class average (with the note saying
    so); its lower-spine row and the ES-2re's abdomen and pubic rows are not-modelled with
    the reason printed beside them."""
    design = load_design(DESIGNS / "nbox_class_us.toml")
    ev = evaluate_design(design, design_packs(design))
    rows = {r["id"].split(":", 1)[1]: r for r in _crash_rows(ev.constraints)}
    assert len(rows) == 35
    assert not [i for i, r in rows.items() if r["status"] == "not-applicable"]
    pelvis = rows["fmvss214.pole.sid2s.pelvis_force"]
    assert pelvis["passed"] is True and pelvis["bound"] == 5.525
    assert pelvis["value"] == pytest.approx(float(ev.outputs[
        "crash:side:pole:sid2s:pelvis_force"][0]))
    assert pelvis["note"] == CLASS_AVERAGE_NOTE
    for rid in ("fmvss214.pole.sid2s.lower_spine_accel", "fmvss214.pole.es2re.abdominal_force",
                "fmvss214.pole.es2re.pubic_force"):
        assert rows[rid]["status"] == "not-modelled" and rows[rid]["passed"] is None, rid
        assert "needs measured values to fit" in rows[rid]["reason"], rid
    assert rows["fmvss214.pole.sid2s.lower_spine_accel"]["bound"] == pytest.approx(
        82.0 * 9.80665)
    # Part 581's rear bumper is the front one by assumption (the design describes one
    # bumper system): the rear record says so beside its row, the front one does not
    recs = {r["id"]: r for r in ev.constraints}
    rear, front = recs["fmvss:part581.rear.barrier"], recs["fmvss:part581.front.barrier"]
    assert rear["passed"] is not None and rear["value"] == front["value"]
    assert rear["note"] == REAR_AS_FRONT_NOTE and front["note"] is None
    row = next(ln for ln in format_table(ev).splitlines()
               if ln.startswith("fmvss:part581.rear.barrier "))
    assert "note: rear bumper taken equal to the front one" in row


def test_lsv_study_leaves_the_crash_standards_out():
    """A study that requires an LSV (``[class] require = "lsv"``: its bounds keep every
    case one) skips the crash standards' records as not-applicable (a glob) and refuses
    one named, as evaluate judges them; a study without it keeps them (a car's body)."""
    lsv = STUDY_BASE.replace('[[constraint]]\nid = "fmvss:fmvss208.crush_space"\n',
                             '[[constraint]]\nid = "fmvss:fmvss20*"\n') \
        + '\n[class]\nrequire = "lsv"\n'
    s = _parse(lsv)
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    fmvss = [k for k in sp.skipped if k.startswith("fmvss:fmvss208.")]
    assert len(fmvss) == 13 and all("LSV: FMVSS 500" in k and "(not-applicable)" in k
                                    for k in fmvss), fmvss
    assert not [m for m in sp.margins if m.id.startswith("fmvss:fmvss208.")]
    _refused(STUDY_BASE + '\n[class]\nrequire = "lsv"\n',
             r"'fmvss:fmvss208\.crush_space': constraint does not apply: LSV: FMVSS 500")


def test_sweep_case_that_is_an_lsv_is_not_judged_on_the_crash_standards():
    """A sweep decides each case's class from its outputs: a case that is an LSV is not
    judged on an FMVSS 208 margin (whatever its value), a passenger-car case is."""
    con = next(c for c in load_pack("fmvss").constraints if c.id == "fmvss208.hic15")
    m = MarginSpec(id="fmvss:fmvss208.hic15", output="margin:fmvss_fmvss208_hic15",
                   quantity=con.quantity, kind="upper", bound=700.0, units=None,
                   applies_to=con.applies_to)
    assert not applies(m, "lsv") and applies(m, "passenger_car") and applies(m, "truck")
    out = {m.output: -50.0}
    assert classify(out, [m], "lsv") == (True, "", float("inf"))
    assert classify(out, [m], "passenger_car")[:2] == (False, m.id)


def _study(tmp_path, body: str) -> str:
    _lsv_file(tmp_path)
    path = tmp_path / "s.toml"
    path.write_text('[study]\nname = "lsv"\ndesign = "nbox_lsv.toml"\n' + body)
    return str(path)


def test_sweep_and_optimize_of_an_lsv_run_with_the_crash_standards_not_applicable(tmp_path):
    """A sweep of the governed car whose limiter makes one case an LSV (38 km/h) and one a
    passenger car (60 km/h): both run, every margin finite; held to a crush-space margin
    of 5 m that no car has, the LSV case is feasible (no FMVSS row applies to it; on
    143e55e it was held to it), the car case is bound by it. An optimization that
    requires an LSV runs with no FMVSS margin, none NaN, and lists the skipped rows (the
    26 modelled ones as the LSV's not-applicable, the 9 not-modelled as such)."""
    import csv
    import math

    sweep = _study(tmp_path, '[[variable]]\nname = "powertrain.speed_limiter"\nlower = 38\n'
                   'upper = 60\n\n[[constraint]]\nid = "fmvss:fmvss*"\n\n[[constraint]]\n'
                   'id = "fmvss:fmvss208.crush_space"\nmin_margin = 5000\n\n[sweep]\n'
                   'method = "fullfact"\nlevels = 2\n')
    assert main(["sweep", sweep, "--out", str(tmp_path / "sw")]) == 0
    rows = list(csv.DictReader((tmp_path / "sw" / "cases.csv").open()))
    by_limit = {float(r["powertrain:speed_limiter [km/h]"]): r for r in rows}
    for r in rows:
        assert r["status"] == "ok"
        assert all(math.isfinite(float(v)) for k, v in r.items() if k.startswith("margin:"))
    assert by_limit[38.0]["feasible"] == "True" and by_limit[38.0]["binding"] == ""
    assert by_limit[60.0]["feasible"] == "False"
    assert by_limit[60.0]["binding"] == "fmvss:fmvss208.crush_space"
    opt = _study(tmp_path, '[[variable]]\nname = "crash.front.crush_length"\nlower = 700\n'
                 'upper = 900\n\n[objective]\nname = "mass:curb"\n\n[[constraint]]\n'
                 'id = "fmvss:fmvss*"\n\n[class]\nrequire = "lsv"\n\n[driver]\n'
                 'maxiter = 3\n')
    assert main(["optimize", opt, "--out", str(tmp_path / "op")]) == 0
    res = json.loads((tmp_path / "op" / "results.json").read_text())
    assert not [m for m in res["margins"] if m["id"].startswith("fmvss:")]
    assert all(math.isfinite(m["margin"]) for m in res["margins"])
    assert len(res["skipped"]) == 35
    assert len([k for k in res["skipped"] if "LSV: FMVSS 500" in k]) == 26
    assert len([k for k in res["skipped"] if "(not-modelled)" in k]) == 9
