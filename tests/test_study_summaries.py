"""The terminal summaries of `keidesign pareto` and `sweep` (new-user pass s35f)."""

from __future__ import annotations

from types import SimpleNamespace

from keidesign.studies.pareto import format_pareto


def _point(i, objectives):
    return {"index": i, "objectives": objectives, "success": True, "feasible": True,
            "on_front": True}


def test_the_knee_mark_gives_its_distance_beyond_the_anchors_line():
    """A BEV front of curb mass against label range, nearly straight (the battery's mass
    grows with the range almost in proportion), printed '1176.6 | 119.86   <- knee' as
    study (f)'s bent front does: the knee was 0.0044 of the anchors' range beyond their
    line, the same mark as a knee of 0.3 (task s35f). The mark now says how far."""
    front = [_point(0, [1138.0, 100.0]), _point(1, [1176.6, 119.86]),
             _point(2, [1216.1, 139.72])]
    study = SimpleNamespace(name="kei BEV", pareto_objectives=[
        SimpleNamespace(sense="min"), SimpleNamespace(sense="max")])
    anchors = [{"anchor": 0, "objectives": [1138.0, 100.0], "success": True,
                "feasible": True},
               {"anchor": 1, "objectives": [1216.5, 139.92], "success": True,
                "feasible": True}]
    res = SimpleNamespace(study=study, points=front, front=front, anchors=anchors,
                          labels=["mass:curb", "energy:ev_range"], units=["kg", "mi"],
                          knee={"point": 1, "distance": 0.004390328355601962},
                          base=None, federal_class={}, runner="serial", elapsed=22.0,
                          n_recorded=0, n_recorded_anchors=0, notes=[])
    lines = format_pareto(res).splitlines()
    knee = [ln for ln in lines if "<- knee" in ln]
    assert knee == ["  1176.6 | 119.86   <- knee (0.0044 beyond the anchors' line, "
                    "in units of their range)"], lines


def test_a_pareto_summary_says_what_it_read_back_and_what_it_dominated():
    """A 2 x 2 front of study (c), interrupted after its anchors and resumed, printed '4
    epsilon points on Dask LocalCluster ..., 2 on the Pareto front (1 not converged, 0
    converged infeasible: dropped)': neither that the anchors and a point were read back
    rather than solved (the sweep's summary says '0 run now, 16 already recorded') nor
    what became of the fourth point, a dominated one (new-user pass s36d)."""
    study = SimpleNamespace(name="c", pareto_objectives=[
        SimpleNamespace(sense="min"), SimpleNamespace(sense="max")])
    pts = [_point(0, [886.1, 39.4]), _point(1, [886.1, 39.4]) | {"on_front": False},
           _point(2, [886.5, 39.4]) | {"success": False, "feasible": False},
           _point(3, [898.3, 38.7])]
    anchors = [{"anchor": k, "objectives": [886.1, 39.4], "success": True, "feasible": True}
               for k in range(2)]
    res = SimpleNamespace(study=study, points=pts, front=[pts[0], pts[3]], anchors=anchors,
                          labels=["mass:curb", "energy:label_comb_mpg"],
                          units=["kg", "mi/galUS"], knee={}, base=None, federal_class={},
                          runner="serial", elapsed=23.0, n_recorded=1, n_recorded_anchors=2,
                          notes=[])
    first = format_pareto(res).splitlines()[0]
    assert first == ("c: 4 epsilon points (3 solved now, 1 already recorded; 2 of 2 anchors "
                     "read back) on serial, 2 on the Pareto front, 1 dominated (1 not "
                     "converged, 0 converged infeasible: dropped), 23.0 s"), first
    res.n_recorded = res.n_recorded_anchors = 0
    assert format_pareto(res).splitlines()[0].startswith(
        "c: 4 epsilon points (4 solved now, 0 already recorded) on serial, 2 on the Pareto "
        "front, 1 dominated (")
    res.notes = ["2 of the 2 front points fail ..."]
    assert format_pareto(res).splitlines()[-1] == "  note: 2 of the 2 front points fail ..."


def test_a_sweep_summary_counts_one_case_in_the_singular():
    """A 2 x 2 sweep printed 'infeasible because of fmvss:fmvss208.ride_down_space: 1
    cases' (task s35f)."""
    from keidesign.studies.sweep import format_summary

    rows = [{"status": "ok", "feasible": False, "binding": b}
            for b in ("a:x.low", "a:x.low", "b:y.high")]
    res = SimpleNamespace(counts=lambda: {"ok": 3, "invalid": 0, "error": 0, "feasible": 0},
                          rows=rows, runner="serial", n_cases=3, n_new=3, elapsed=1.0,
                          rate=3.0)
    lines = format_summary(SimpleNamespace(name="s", sweep={}), res).splitlines()
    assert lines[2:] == ["  infeasible because of a:x.low: 2 cases",
                         "  infeasible because of b:y.high: 1 case"], lines


def test_a_pareto_front_names_the_criteria_its_points_fail_unheld():
    """Study (c) holds fmvss208.* and the kei limits; a 2 x 2 front of it (new-user pass
    s36d) put on the front a thin-walled nose (1.2 mm, the wall's lower bound) that fails
    FMVSS 301's rear crush space (the rear takes the front's rails), and the summary said
    nothing, where an optimum's names such criteria. The note names them with the
    points; nothing is named that the study holds, and a front failing only held
    criteria gets no note."""
    from conftest import ROOT

    from keidesign.studies.pareto import front_failures
    from keidesign.studies.spec import load_study

    study = load_study(ROOT / "studies" / "pareto_mass_mpg_frontal.toml")
    thin = {"crash:front:crush_length": 900.0, "crash:front:wall_thickness": 1.2002,
            "body:height": 1650.0, "powertrain:ice:displacement": 550.0,
            "powertrain:ice:power": 36.0, "crash:restraint:load_limit": 55.67,
            "crash:restraint:stiffness": 218.08}
    held = {"fmvss:fmvss208.crush_space", "kei-japan:kei.height"}
    note = front_failures(study, [{"index": 0, "x": thin}], held)
    assert note.startswith("1 of the 1 front points fail criteria of the study's rule "
                           "packs that the study does not constrain (keidesign evaluate "
                           "pareto_designs/point_NNN.toml; add a [[constraint]] to hold "
                           "them): "), note
    assert "fmvss:fmvss301.rear_crush_space (point 0)" in note
    assert "fmvss208.crush_space" not in note and "kei.height" not in note
    named = {part.split(" (")[0] for part in note.split("them): ")[1].split("), ")}
    assert front_failures(study, [{"index": 0, "x": thin}], held | named) == ""


def test_a_sweep_summary_says_why_cases_gave_no_vehicle():
    """A 3 x 3 map of study (d) printed 'ok 6, invalid 3, error 0' and nothing of why:
    the 500 mm noses leave no room ahead of the 450 mm powertrain, said only in
    cases.csv's message column (new-user pass s36d). The summary lists the distinct
    messages of invalid and failed cases with their counts, the three most common."""
    from keidesign.studies.sweep import format_summary

    short = ("powertrain.block_length = 450 mm + 50 mm gap to the dash leaves 0 mm ahead of "
             "the powertrain with crash.front.crush_length = 500 mm; allowed: block length "
             "<= 400 mm")
    rows = ([{"status": "invalid", "feasible": False, "binding": "", "message": short}] * 3
            + [{"status": "error", "feasible": False, "binding": "", "message": f"e{i}"}
               for i in range(5)]
            + [{"status": "ok", "feasible": True, "binding": "", "message": ""}])
    res = SimpleNamespace(counts=lambda: {"ok": 1, "invalid": 3, "error": 5, "feasible": 1},
                          rows=rows, runner="serial", n_cases=9, n_new=9, elapsed=1.0,
                          rate=9.0)
    lines = format_summary(SimpleNamespace(name="s", sweep={}), res).splitlines()
    assert lines[2:] == [f"  invalid (3 cases): {short}", "  error (1 case): e0",
                         "  error (1 case): e1", "  error (1 case): e2",
                         "  error: 2 more cases with 2 other messages (cases.csv message)"], lines
