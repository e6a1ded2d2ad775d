"""Pareto runs: exact resume from the recorded anchors and grid, each point saved as it
arrives from a Dask worker, the base design and the knee, units in every table (s31c).

One small front (study (f), 3 epsilon points and 2 anchors) serves every test; the
uninterrupted serial run is the reference the interrupted and resumed runs must give.
"""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import ROOT

from keidesign.cli import main
from keidesign.studies.spec import load_study

STUDY = ROOT / "studies" / "pareto_truck_bed_crush.toml"
# a dimensionless recorded quantity (HIC15) beside quantities with units
SMALL = ["--set", "pareto.points=3", "--set",
         'study.record=["mass:curb", "crash:front:mean_decel", "crash:front:f05:hic15"]',
         "--no-progress"]
#: columns of the Pareto tables that are labels or flags, not quantities (no units)
LABELS = {"point", "row", "optimized", "success", "feasible", "on_front", "status", "knee",
          "federal_class"}


def _points(db) -> dict[str, dict]:
    """The recorded epsilon points (not the anchors) of a Pareto store, by key."""
    con = sqlite3.connect(db)
    try:
        return {h: {"seq": s, "inputs": json.loads(i), "outputs": json.loads(o)}
                for h, s, i, o in con.execute(
                    "SELECT hash, seq, inputs, outputs FROM cases WHERE seq >= 0")}
    finally:
        con.close()


def _table(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


#: the front's own columns in study (f): its two objectives (a Dask run and a serial one
#: differ in the design along the front's flat directions, not in these)
FRONT = ("body:truck:bed_length", "body.truck.bed_length", "margin(")


def _same_table(a, b, rel=1e-4, only: tuple[str, ...] | None = None) -> None:
    """Two results tables cell for cell: the same columns, text equal, numbers within
    ``rel`` or 1e-4 (the reference's anchors are solved again in this process, where they
    come out equal only to round-off; see tests/test_studies_runs.py. Until s31k: 1e-6
    and 1e-6. Since the lexicographic anchors the bed anchor's margin is the second
    stage's, about 0.02 mm, the bed's 1e-6 slip times the front's slope: a round-off of
    5e-7 mm of bed in the first stage is 6e-6 mm of it, and the last point's rail section,
    a flat direction there (docs/studies.md, study (f)), moves 2.6e-5 of itself with that
    bound; a resume that lost or re-keyed points is off by far more). In anchors.csv
    1e-3: the ride-down anchor's second stage holds the margin and maximizes the bed,
    which the rail section does not move, so the section is a flat direction there (its
    objectives agree to 2e-4 mm of bed; its rail width moved 6e-4 of itself between a
    Dask worker and this process). ``only``: compare only the numeric columns whose name
    starts with one of these (every text cell is still compared)."""
    if a.name == "anchors.csv":
        rel = max(rel, 1e-3)
    ta, tb = _table(a), _table(b)
    assert len(ta) == len(tb) and ta and ta[0].keys() == tb[0].keys(), a.name
    for ra, rb in zip(ta, tb, strict=True):
        for k in ra:
            try:
                fa, fb = float(ra[k]), float(rb[k])
            except ValueError:
                assert ra[k] == rb[k], (a.name, k)
                continue
            if only is not None and not k.startswith(only):
                continue
            assert fa == pytest.approx(fb, rel=rel, abs=1e-4), (a.name, k, ra[k], rb[k])


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("pareto") / "ref"
    assert main(["pareto", str(STUDY), "--out", str(out), "--serial", *SMALL]) == 0
    return out


def test_resume_reuses_the_recorded_anchors_and_grid(tmp_path, monkeypatch, reference):
    """The anchors and the grid are recorded with the run and the points keyed by their
    grid index: a resume whose anchor re-solve would land a hair differently (simulated:
    every anchor objective moved by 1e-9) re-runs no finished point and loses none, and
    its front is the uninterrupted run's. On 5d5e5f5 the resume solved the anchors again,
    every epsilon bound moved and the recorded points matched no key (the store was
    refused: 'hash ... is not one of this study's cases')."""
    from keidesign.studies import pareto

    out = tmp_path / "run"
    db = out / "cases.sqlite"
    real_row, real_anchor = pareto.run_row, pareto.run_anchor

    def interrupted(*args, sink=None):   # Ctrl-C once the row's first point is recorded
        def stop(p):
            sink(p)
            raise KeyboardInterrupt
        return real_row(*args, sink=stop)

    monkeypatch.setattr(pareto, "run_row", interrupted)
    assert main(["pareto", str(STUDY), "--out", str(out), "--serial", *SMALL]) == 130
    kept = _points(db)
    assert [v["seq"] for v in kept.values()] == [0]

    solved: list[int] = []
    anchors: list[int] = []

    def perturbed(study, k):
        anchors.append(k)
        a = real_anchor(study, k)
        a["objectives"] = [v * (1 + 1e-9) + 1e-9 for v in a["objectives"]]
        return a

    def counted(*args, sink=None):
        res = real_row(*args, sink=sink)
        solved.extend(p["index"] for p in res["points"])
        return res

    monkeypatch.setattr(pareto, "run_anchor", perturbed)
    monkeypatch.setattr(pareto, "run_row", counted)
    assert main(["pareto", str(STUDY), "--out", str(out), "--serial", *SMALL,
                 "--resume"]) == 0
    assert anchors == [] and solved == [1, 2]    # only the points not recorded
    final = _points(db)
    assert len(final) == 3 and all(final[h] == v for h, v in kept.items())
    for table in ("pareto.csv", "pareto_front.csv", "anchors.csv"):
        _same_table(out / table, reference / table)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_pareto_on_a_local_cluster_saves_each_point_as_it_arrives(tmp_path, reference):
    """On a Dask LocalCluster (2 workers, 127.0.0.1) each point is recorded when its
    worker solves it, not when its row comes back: a Ctrl-C after the first point keeps
    it (on 5d5e5f5 a two-objective front, one row, recorded nothing before the whole row
    returned). The resumed front is the uninterrupted serial run's."""
    out = tmp_path / "dask"
    db = out / "cases.sqlite"
    env = {**os.environ, "OPENMDAO_REPORTS": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "keidesign", "pareto", str(STUDY), "--out",
                             str(out), "--workers", "2", *SMALL], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, preexec_fn=_default_sigint)
    t0 = time.time()
    while not (db.is_file() and _try_points(db)):
        assert proc.poll() is None, proc.communicate()
        assert time.time() - t0 < 600, "no point recorded in time"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    kept = _points(db)
    assert 1 <= len(kept) < 3, kept
    assert main(["pareto", str(STUDY), "--out", str(out), "--serial", *SMALL,
                 "--resume"]) == 0
    final = _points(db)
    assert len(final) == 3 and all(final[h] == v for h, v in kept.items())
    # the front itself (objectives, status, feasibility, knee) as the serial reference's;
    # not the design along the front's flat directions: a point the Dask worker solved
    # before the interrupt and one the serial resume solved from another start may differ
    # there (the last point's rail section, docs/studies.md study (f); 116.29 vs 115.83 mm
    # of rail width since s31n's interpolated crush peak, the same bed and margin)
    for table in ("pareto.csv", "anchors.csv"):
        _same_table(out / table, reference / table, only=FRONT)


def _try_points(db) -> int:
    try:
        return len(_points(db))
    except sqlite3.OperationalError:   # the run is creating the store
        return 0


def test_front_marks_its_knee_and_the_base_design(reference):
    """summary.json and the tables name the knee (the definition with its source) and
    the base design as evaluated (neither before s31c)."""
    from keidesign.design import load_design
    from keidesign.studies.pareto import BASE_ROW, KNEE_DEFINITION
    from keidesign.studies.spec import load_study

    summary = json.loads((reference / "summary.json").read_text())
    knee = summary["knee"]
    assert knee["definition"] == KNEE_DEFINITION and "Das" in knee["definition"]
    front = {p["point"]: p for p in summary["front"]}
    # bed against ride-down margin bends at the rails' upper bounds (docs/studies.md (f))
    assert knee["point"] in front and front[knee["point"]]["knee"]
    rows = _table(reference / "pareto.csv")
    assert [int(r["point"]) for r in rows if r["knee"] == "True"] == [knee["point"]]
    on = [r for r in rows if r["on_front"] == "True"]
    d = {int(r["point"]): float(r["knee_distance [-]"]) for r in on}
    assert d[knee["point"]] == max(d.values()) == pytest.approx(knee["distance"])
    assert knee["distance"] > 0
    assert {r["status"] for r in on} == {"front"}
    # the base design: evaluated, not optimized (the design file's bed, infeasible: its
    # occupant excursion exceeds the ride-down space)
    base = summary["base_design"]
    study = load_study(STUDY)
    assert base["values"][0] == study.base.values["body:truck:bed_length"] == \
        load_design(study.design_path).values["body:truck:bed_length"]
    assert base["feasible"] is False and base["values"][1] < 0
    last = _table(reference / "anchors.csv")[-1]
    assert last["optimized"] == BASE_ROW and last["success"] == ""
    assert float(last["margin(fmvss:fmvss208.ride_down_space) [mm]"]) == base["values"][1]


def test_every_pareto_column_has_its_units(reference):
    """Every quantity column of pareto.csv, pareto_front.csv and anchors.csv carries its
    units, ``[-]`` when dimensionless (a HIC15 column was bare on 5d5e5f5, as if its
    units were not given); labels and flags stay bare."""
    for table in ("pareto.csv", "pareto_front.csv", "anchors.csv"):
        with (reference / table).open(encoding="utf-8") as fh:
            head = next(csv.reader(fh))
        assert "crash:front:f05:hic15 [-]" in head, (table, head)
        bare = [h for h in head if not (h.endswith("]") and " [" in h)]
        assert set(bare) <= LABELS, (table, bare)
        # the bed length, objective and design variable, has one column (two of one
        # name on 5d5e5f5)
        assert len(set(head)) == len(head), (table, head)
        assert head.count("body:truck:bed_length [mm]") == 1, (table, head)


def test_a_store_keyed_the_old_way_is_refused_on_resume(tmp_path, capsys):
    """A store whose points were keyed by their epsilon bounds (before s31c) cannot be
    matched to a grid made from recorded anchors: --resume refuses it in one line that
    says what to do, before any optimization."""
    from keidesign.studies.pareto import STORE_KEYS
    from keidesign.studies.spec import load_study
    from keidesign.studies.store import CaseStore

    out = tmp_path / "old"
    study = load_study(STUDY, overrides=[a for a in SMALL[1::2] if "=" in a][:2])
    with CaseStore(out / "cases.sqlite", study.fingerprint) as st:
        st.add([{"hash": "0123456789abcdef0123", "seq": 0, "status": "ok",
                 "inputs": {"eps": [1.0]}, "outputs": {}, "message": ""}])
    capsys.readouterr()
    assert main(["pareto", str(STUDY), "--out", str(out), "--serial", *SMALL,
                 "--resume"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "recorded by an earlier keidesign" in err[0], err
    assert STORE_KEYS in err[0] and "--overwrite" in err[0], err


def test_knee_point_definition():
    """The knee: the front point farthest beyond the line (plane) through the anchors in
    objectives normalised by the anchors' ranges; none for a straight or concave front;
    independent of each objective's scale and sense."""
    from keidesign.studies.pareto import knee_point

    anchors = [(0.0, 10.0), (10.0, 0.0)]
    front = [(0.0, 10.0), (1.0, 5.0), (3.0, 2.0), (10.0, 0.0)]
    i, d, why = knee_point(front, anchors, ["min", "min"])
    assert i == 2 and why == "" and d[2] == pytest.approx(0.5 / math.sqrt(2))
    assert d[0] == pytest.approx(0.0, abs=1e-12) and d[3] == pytest.approx(0.0, abs=1e-12)
    # scaled and flipped (maximize -f2 * 1000): the same point
    flip = [(a, -1000.0 * b) for a, b in front]
    assert knee_point(flip, [(0.0, -1e4), (10.0, 0.0)], ["min", "max"])[0] == 2
    # a straight and a concave front have none
    assert knee_point([(5.0, 5.0)], anchors, ["min", "min"])[0] is None
    i, _, why = knee_point([(6.0, 7.0)], anchors, ["min", "min"])
    assert i is None and "concave" in why
    # three objectives: the plane through the anchors
    a3 = [(0.0, 1.0, 1.0), (1.0, 0.0, 1.0), (1.0, 1.0, 0.0)]
    i, d, _ = knee_point([(0.5, 0.5, 0.5), (0.2, 0.3, 0.3)], a3, ["min"] * 3)
    assert i == 1 and d[1] > d[0]
    # anchors that do not all converge: no knee, said why
    assert knee_point(front, anchors[:1], ["min", "min"])[0] is None


def test_grid_from_recorded_anchors_ignores_a_non_finite_value():
    """A resumed run makes its grid from the anchors in cases.sqlite, a file that may
    have been edited: a NaN objective (JSON reads 'NaN') is no anchor value (it became
    every epsilon bound on 5d5e5f5's grid code: NaN ranges), so the grid comes from the
    finite anchors or the run stops with one error."""
    from types import SimpleNamespace

    from keidesign.errors import InputError
    from keidesign.studies import pareto
    from keidesign.studies.spec import ObjectiveSpec

    study = SimpleNamespace(
        pareto_objectives=[ObjectiveSpec(name="a", sense="max"),
                           ObjectiveSpec(name="b", sense="max")],
        pareto={"points": 3}, path="s.toml")
    good = {"objectives": [5.0, 100.0], "success": True, "feasible": True}
    nan = {"objectives": [10.0, math.nan], "success": True, "feasible": True}
    eps = [p["eps"][0] for p in pareto._grid(study, [nan, good])]
    assert all(math.isfinite(e) for e in eps), eps
    with pytest.raises(InputError, match="no anchor optimization converged to a feasible "
                       "point: a .max.: converged, feasible, not finite: b; "):
        pareto._grid(study, [nan, {**nan, "objectives": [1.0, math.inf]}])


def test_no_anchor_error_says_why_each_failed():
    """A 2-objective front at driver.maxiter = 6 (task s37i) stopped both anchors at the
    iteration limit, feasible; the error said only 'the study's constraints may be
    infeasible in the bounds'."""
    from types import SimpleNamespace

    from keidesign.errors import InputError
    from keidesign.studies import pareto
    from keidesign.studies.spec import ObjectiveSpec

    study = SimpleNamespace(
        pareto_objectives=[ObjectiveSpec(name="mass:curb", sense="min"),
                           ObjectiveSpec(name="energy:label_comb_mpg", sense="max")],
        pareto={"points": 3}, path="p.toml", driver={"maxiter": 6})
    anchors = [{"anchor": 0, "objectives": [880.0, 40.0], "success": False, "feasible": True},
               {"anchor": 1, "objectives": [900.0, 41.0], "success": False, "feasible": True}]
    with pytest.raises(InputError) as err:
        pareto._grid(study, anchors)
    assert str(err.value) == (
        "p.toml: pareto: no anchor optimization converged to a feasible point: mass:curb "
        "(min): NOT converged, feasible; energy:label_comb_mpg (max): NOT converged, "
        "feasible; raise driver.maxiter (now 6) for a run that did not converge")
    anchors[0]["success"] = True
    with pytest.raises(InputError) as err:
        pareto._grid(study, anchors)
    assert str(err.value) == (
        "p.toml: pareto: only one anchor converged to a feasible point, so the range of "
        "energy:label_comb_mpg is its one value and every point of the front would be that "
        "anchor: mass:curb (min): converged, feasible; energy:label_comb_mpg (max): NOT "
        "converged, feasible; raise driver.maxiter (now 6) for a run that did not converge")
    anchors[0]["success"] = False
    anchors[1]["feasible"] = False
    with pytest.raises(InputError, match=r"INFEASIBLE; raise driver.maxiter \(now 6\) for a "
                       r"run that did not converge; the study's constraints may be "
                       r"infeasible in the bounds"):
        pareto._grid(study, anchors)


#: The 55 kN / 150 kN/m restraint start of study (f) (variables 6 and 7; the file's:
#: the design's 35 kN / 250 kN/m) that s31j found the anchor and a point moved by.
OTHER_START = ["--set", "variable.6.start=55", "--set", "variable.7.start=150"]


def test_pareto_truck_bed_vs_ride_down_study_f(reference, tmp_path, capsys):
    """Study (f): along the front, more frontal ride-down margin costs bed length, 1:1
    with the crush length the front takes (the seat stays in the cab). The front is the
    module's ``reference`` run (three points, serial: the run this test made itself in
    tests/test_studies_runs.py until task s39e, with the study's own recorded quantities,
    which ``SMALL`` now records beside HIC15), read only."""
    out = reference
    summary = json.loads((out / "summary.json").read_text())
    assert all(a["success"] and a["feasible"] for a in summary["anchors"])
    front = sorted(summary["front"], key=lambda p: p["objectives"][1])
    assert len(front) >= 2
    beds = [p["objectives"][0] for p in front]
    crush = [p["x"]["crash:front:crush_length"] for p in front]
    assert beds == sorted(beds, reverse=True) and beds[0] > beds[-1] + 50.0
    assert crush == sorted(crush)
    for p in front:                 # bed + crush = 3395 - 80 - (200 + 700 + 0 + 250)
        assert p["x"]["body:truck:bed_length"] + p["x"]["crash:front:crush_length"] == \
            pytest.approx(2165.0, abs=1.0)
    # every column of the tables with its units, the design variables' too (these had
    # none on 143e55e: 'crash:front:crush_length' beside 'body:truck:bed_length [mm]')
    for table in ("pareto.csv", "pareto_front.csv", "anchors.csv"):
        head = next(csv.reader((out / table).open(encoding="utf-8")))
        for name, unit in (("crash:front:crush_length", "mm"),
                           ("crash:restraint:load_limit", "kN")):
            assert f"{name} [{unit}]" in head, (table, head)
            assert name not in head, (table, head)
        # each point's own federal class (no column before 6 Dec 2026, session 30): the
        # truck body's, as summary.json records it
        rows = list(csv.DictReader((out / table).open(encoding="utf-8")))
        assert rows and {r["federal_class"] for r in rows} == {"truck"}, table
    # each point of the front is written as a design file (none on 143e55e), and
    # `keidesign evaluate` of it gives the point's objectives back
    files = sorted((out / "pareto_designs").glob("point_*.toml"))
    assert len(files) == len(front) and (out / "pareto_designs" / "anchor_0.toml").is_file()
    by_index = {p["objectives"][1]: p for p in summary["front"]}
    table = {int(r["point"]): r for r in csv.DictReader(
        (out / "pareto_front.csv").open(encoding="utf-8"))}
    capsys.readouterr()
    for f in files:
        assert main(["evaluate", str(f), "--rules", "fmvss", "--json"]) == 0
        ev = json.loads(capsys.readouterr().out)
        margin = next(c["margin"] for c in ev["constraints"]
                      if c["id"] == "fmvss:fmvss208.ride_down_space")
        p = by_index[min(by_index, key=lambda m: abs(m - margin))]
        assert margin == pytest.approx(p["objectives"][1], rel=1e-6, abs=1e-6), f
        assert ev["inputs"]["body:truck:bed_length"]["value"] == pytest.approx(
            p["objectives"][0], rel=1e-9), f
        # the study's recorded quantities are columns of the front (none on 143e55e)
        row = table[int(f.stem.split("_")[1])]
        assert float(row["mass:curb [kg]"]) == pytest.approx(
            ev["outputs"]["mass:curb"]["value"], rel=1e-9), f
        assert float(row["crash:front:mean_decel [m/s**2]"]) == pytest.approx(
            ev["outputs"]["crash:front:mean_decel"]["value"], rel=1e-6), f
    # The restraint of (f) is no flat direction (task s31j, decided: no tie-break as
    # study (e)'s): each epsilon point holds the ride-down margin, the occupant's
    # excursion short of 300 mm, which the restraint sets, so the longest bed at that
    # margin takes one restraint. From a 55 kN / 150 kN/m start (the file's: the design's
    # 35 kN / 250 kN/m) every front point reaches the same load limit and stiffness
    # (a regression guard: this held on d22f1a1 too).
    study = load_study(STUDY)
    index = {v.name: i for i, v in enumerate(study.variables, 1)}
    restraint = ("crash:restraint:load_limit", "crash:restraint:stiffness")
    start = study.start_values()
    assert abs(start[restraint[0]] - 55.0) > 10.0 and abs(start[restraint[1]] - 150.0) > 50.0
    out2 = tmp_path / "f2"
    assert main(["pareto", str(STUDY), "--out", str(out2),
                 "--serial", "--set", "pareto.points=3",
                 "--set", f"variable.{index[restraint[0]]}.start=55",
                 "--set", f"variable.{index[restraint[1]]}.start=150"]) == 0
    front2 = sorted(json.loads((out2 / "summary.json").read_text())["front"],
                    key=lambda p: p["objectives"][1])
    # the far end's point, next to the ride-down anchor, sits on the margin's kink (the
    # excursion's two peaks) and may not converge from one of the starts and be dropped
    # (docs/studies.md: "the anchor gives that end"): since task s32a's crush past the
    # stack the other start's does (its anchor at 269.14 mm of margin, the file's 268.84;
    # its third point not converged at 1,492 mm / 267.80 mm), the others agree. The two
    # runs' epsilon levels differ as their anchors do (133.92 against 133.77 mm for the
    # middle point since s32a), so each point's restraint is compared with the file
    # start's front interpolated to its margin (the stiffness rises ~4 kN/m per mm there),
    # to 0.2 % (0.1 % until s32a: the middle point's stiffness 936.3 against 935.1 kN/m)
    assert len(front) - 1 <= len(front2) <= len(front)
    margins = [p["objectives"][1] for p in front]
    for p, q in zip(front[:len(front2)], front2, strict=True):
        assert q["objectives"][1] == pytest.approx(p["objectives"][1], abs=1.0)
        for name in restraint:
            at = float(np.interp(q["objectives"][1], margins, [r["x"][name] for r in front]))
            assert q["x"][name] == pytest.approx(at, rel=2e-3), (name, p["eps"])


def test_ride_down_anchor_is_lexicographic_from_either_start():
    """Study (f)'s ride-down anchor is lexicographic (Mavrotas 2009): the margin
    maximized, then the bed with the margin held, so its bed is the longest the anchor's
    crush leaves (the cab-back clearance binds: bed + crush = 2,165 mm) from the file's
    start and from a 55 kN / 150 kN/m one. On 0d893d3 the margin alone was optimized and
    the bed, which the margin is flat in, stayed where the run stopped: 1,452 mm with 700
    mm of crush from the file's start (13 mm of clearance), 1,465 mm from the other."""
    from keidesign.studies.pareto import run_anchor
    from keidesign.studies.spec import load_study

    beds = []
    for start in ([], OTHER_START[1::2]):
        study = load_study(STUDY, overrides=start)
        a = run_anchor(study, 1)
        assert a["success"] and a["feasible"], start
        assert a["recorded"]["body:cab_back_clearance"] == pytest.approx(0.0, abs=0.5), start
        assert a["objectives"][0] + a["x"]["crash:front:crush_length"] == pytest.approx(
            2165.0, abs=0.5), start
        beds.append(a["objectives"][0])
    # what is left between the starts is the margin's optimum, where SLSQP stops on the
    # margin's kinks (crush, rail section, wall; the excursion's two peaks: docs/crash.md,
    # "Kinks in the frontal margins"): 268.84 vs 268.76 mm of margin, 1.6 mm of bed until
    # task s32a's crush past the stack, 268.84 vs 269.14 mm, 6.3 mm of bed since (the
    # other start now finds more margin at 6.3 mm more crush; the file's start unchanged)
    assert abs(beds[0] - beds[1]) < 10.0, beds


def test_no_front_point_is_weakly_dominated(tmp_path):
    """Each epsilon point optimizes the augmented objective (AUGMECON, Mavrotas 2009):
    no point of the front is weakly dominated by another point or anchor of the run
    (about the same margin, within 0.1 mm, for more than 0.5 mm less bed). On 0d893d3,
    from a 55 kN / 150 kN/m start, the fifth point ended, converged and feasible, at a
    1,000 mm bed (its lower bound) at 268.77 mm of margin, where the ride-down anchor has
    1,465 mm at 268.76 mm (the file's start: 1,497 mm at 267.49 mm)."""
    out = tmp_path / "f"
    assert main(["pareto", str(STUDY), "--out", str(out), "--serial", "--no-progress",
                 *OTHER_START]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["n_front"] == 5 and all(a["success"] and a["feasible"]
                                           for a in summary["anchors"])
    pts = [p["objectives"] for p in summary["front"]] + [a["values"]
                                                          for a in summary["anchors"]]
    for i, (bed, margin) in enumerate(pts[:len(summary["front"])]):
        for j, (bed2, margin2) in enumerate(pts):
            assert not (j != i and margin2 >= margin - 0.1 and bed2 > bed + 0.5), (
                summary["front"][i], pts[j])


def test_resume_of_a_finished_front_starts_no_runner(tmp_path, capsys, runner_starts,
                                                      reference):
    """`pareto --resume` of a front whose anchors and points are all recorded runs
    nothing and makes no runner: no LocalCluster started, no scheduler connected; its
    tables are the finished run's. On 794f075 the command started the cluster (or
    connected) first and found nothing to run afterwards (task s34e; `sweep` in s34c).
    A front with a point left still starts its cluster (one point deleted)."""
    import shutil

    started = runner_starts
    out = tmp_path / "done"
    shutil.copytree(reference, out)
    before = _points(out / "cases.sqlite")
    capsys.readouterr()
    for how in (["--workers", "2"], ["--scheduler", "tcp://127.0.0.1:9"]):
        assert main(["pareto", str(STUDY), "--out", str(out), *how, *SMALL,
                     "--resume"]) == 0
        first = capsys.readouterr().out.splitlines()[0]
        assert "every point already recorded: nothing to run, no runner started" in first
        assert started == [], how
    assert _points(out / "cases.sqlite") == before
    assert json.loads((out / "summary.json").read_text())["runner"] == (
        "none (every point already recorded)")
    for table in ("pareto.csv", "pareto_front.csv", "anchors.csv"):
        _same_table(out / table, reference / table)
    # one point left: the cluster is started (the stub's start fails, so does the run)
    con = sqlite3.connect(out / "cases.sqlite")
    with con:
        con.execute("DELETE FROM cases WHERE seq = 1")
    con.close()
    with pytest.raises(RuntimeError, match="LocalCluster did not start"):
        main(["pareto", str(STUDY), "--out", str(out), "--workers", "2", *SMALL,
              "--resume"])
    assert started == [2]
