"""The terminal summary of `keidesign pareto` (new-user pass s35f)."""

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
                          base=None, federal_class={}, runner="serial", elapsed=22.0)
    lines = format_pareto(res).splitlines()
    knee = [ln for ln in lines if "<- knee" in ln]
    assert knee == ["  1176.6 | 119.86   <- knee (0.0044 beyond the anchors' line, "
                    "in units of their range)"], lines
