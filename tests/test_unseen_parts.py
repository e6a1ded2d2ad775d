"""The ``unseen_parts`` probe (``benchmarks/unseen_parts.py``; docs/validation.md, "The
unseen-family error taken apart"): the twin matching and the parts of each
configuration's error, which add up to it, on hand-made results (no model runs here; the
probe's figures are reported, not asserted)."""

from __future__ import annotations

import importlib
import sys

import pytest
from conftest import ROOT


def _probe():
    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("unseen_parts")


U = _probe()


def _x(i, fam, trans, drive, turbo, idle, err_pub, err_pred, layout="front"):
    kind, gears = {"CVT": ("cvt", None), "4AT": ("automatic", 4),
                   "5MT": ("manual", 5)}[trans]
    case = {"index": i, "turbo": turbo, "hybrid": False, "idle_stop": idle,
            "trans": kind, "gears": gears,
            "row": {"list": "2026-03", "drive": drive, "transmission": trans},
            "family": {"family_id": fam, "family": fam, "layout": layout,
                       "frame": "unibody", "roof": "closed", "in_kei_csv": "no"}}
    return {"case": case, "err_pub": err_pub, "err_pred": err_pred}


@pytest.fixture
def results():
    return [_x(0, "W", "CVT", "R", False, True, 10.0, 12.0, "underfloor"),
            _x(1, "W", "CVT", "A", False, True, 8.0, 9.0, "underfloor"),
            _x(2, "W", "4AT", "A", False, True, 25.0, 26.0, "underfloor"),
            _x(3, "W", "CVT", "R", True, True, 13.0, 13.5, "underfloor"),
            _x(4, "V", "4AT", "R", True, False, 30.0, 31.0, "underfloor")]


def test_twins_and_steps(results):
    st = U.steps(results)
    assert [(x["case"]["index"], t["case"]["index"]) for x, t, _ in st["4AT"]] == [(2, 1)]
    assert st["4AT"][0][2] == pytest.approx(17.0)
    assert [(x["case"]["index"], t["case"]["index"]) for x, t, _ in st["4WD"]] == [(1, 0)]
    assert [(x["case"]["index"], t["case"]["index"]) for x, t, _ in st["turbo"]] == [(3, 0)]


def test_parts_add_up_and_impute(results):
    mean_step, pp = U.budget(results)
    for x in results:
        p = pp[id(x)]
        total = p["mass"] + sum(p[a] for a in U.ATTRS) + p["base"]
        assert total == pytest.approx(x["err_pred"])
    p = pp[id(results[2])]  # 4AT 4WD: 4AT against the CVT 4WD, then 4WD against 2WD
    assert (p["4AT"], p["4WD"], p["base"]) == pytest.approx((17.0, -2.0, 10.0))
    assert p["imputed"] == []
    p = pp[id(results[4])]  # no twin at all: the mean steps, the rest in the base
    assert p["imputed"] == ["4AT", "turbo"]
    assert p["base"] == pytest.approx(30.0 - mean_step["4AT"] - mean_step["turbo"])
    assert U.body_class(results[4]["case"]) == "cab-over wagon"


def test_trucks_trial_restores_the_driveline(monkeypatch):
    from keidesign.energy import calibration as cal
    from keidesign.energy import vehicle as veh

    seen = []

    def fake(design_dir, **changes):
        seen.append(dict(veh.DRIVELINE_EFFICIENCY))
        return [{"error": 0.01}, {"error": -0.02}]

    monkeypatch.setattr(cal, "kei_truck_wltc_check", fake)
    before = dict(veh.DRIVELINE_EFFICIENCY)
    assert U._trucks(0.9).tolist() == pytest.approx([1.0, -2.0])
    assert seen[0]["4wd"] == seen[0]["awd"] == 0.9
    assert veh.DRIVELINE_EFFICIENCY == before
