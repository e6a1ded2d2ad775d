"""The HIC15-pulse trial's core (benchmarks/hic_pulse_trial.py; docs/crash.md, "A HIC15
that follows the pulse", task s29i): its log-space fit, and its leave-one-family-out
loop run on a few NCAP cars, where b = 0 must give the shipped hold-out errors."""

from __future__ import annotations

import importlib.util
import math
import statistics
import sys
from pathlib import Path

import pytest

from keidesign.validation import ncap

ROOT = Path(__file__).resolve().parents[1]


def _trial():
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location("hic_pulse_trial",
                                                  ROOT / "benchmarks" / "hic_pulse_trial.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["hic_pulse_trial"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_fit_hic_recovers_a_known_exponent():
    """Points made with b = -0.4, K = 1.2 / 1.6: the shared fit returns them; b fixed
    at 0 returns the geometric mean of measured / model (the shipped head fit)."""
    trial = _trial()
    pts = []
    for i, (x, occ_hic) in enumerate([(-0.3, 150.0), (-0.1, 200.0), (0.0, 180.0),
                                      (0.2, 230.0), (0.35, 170.0)]):
        for d, k in (("m50", 1.2), ("f05", 1.6)):
            noise = 1.0 + 0.01 * (-1) ** i if d == "f05" else 1.0
            pts.append((d, x, k * occ_hic * math.exp(-0.4 * x) * noise, occ_hic))
    exact = [p for p in pts if p[0] == "m50"]
    b, k = trial.fit_hic(exact)
    assert b == pytest.approx(-0.4, abs=1e-9) and k["m50"] == pytest.approx(1.2, rel=1e-9)
    b, k = trial.fit_hic(pts)
    assert b == pytest.approx(-0.4, abs=0.05) and k["f05"] == pytest.approx(1.6, rel=0.02)
    b0, k0 = trial.fit_hic(pts, b_fixed=0.0)
    assert b0 == 0.0
    assert k0["m50"] == pytest.approx(math.exp(statistics.mean(
        math.log(m / o) for d, _, m, o in pts if d == "m50")), rel=1e-12)


def test_judge_on_five_families_matches_the_shipped_hold_out(monkeypatch):
    """The script's loop on five NCAP cars of five families: with b = 0 its held-out
    HIC15 errors are those of the shipped ``star_table``; the free fit has one b per
    family fold, and its predictions differ from the shipped ones."""
    trial = _trial()
    keep = {"Chevrolet Sonic", "Fiat 500", "Honda Fit (GK)", "Kia Soul (PS)",
            "Toyota Yaris 5-door"}
    rows = [r for r in ncap._rows() if r["vehicle"] in keep]
    monkeypatch.setattr(ncap, "_rows", lambda: rows)
    cars = ncap.cars()
    assert len([c for c in cars if not c.skipped]) == 5
    esw = trial.model_esw(cars)
    assert all(10.0 < v < 40.0 for v in esw.values())
    shipped = ncap.star_table(cars)
    before = trial.judge(cars, esw, b_fixed=0.0)
    for d in ("m50", "f05"):
        assert before["mae"][d] == pytest.approx(statistics.mean(
            abs(r["error"][d]["hic15"]) for r in shipped), rel=1e-9)
    within = sum(abs(r["model"][s] - r["published"][s]) <= 1 for r in shipped
                 for s in ("driver", "passenger", "vehicle"))
    assert before["within"] == within and before["ratings"] == 15
    after = trial.judge(cars, esw)
    folds = after["b_folds"].values()
    assert len(after["b_folds"]) == 5 and all(math.isfinite(b) and b != 0.0 for b in folds)
    assert after["mae"] != before["mae"]
