"""The electric-drive rule of the HEV model's full layouts (issue 13, full hybrids).

The shipped rule (``"exact"``, since 4 Dec 2026) prices electric drive with every loss
the model books on the electric path; ``"willans"``, the closed-form threshold used
before, which prices it at ``eta_gen^2`` alone, is a trial swapped in by
``benchmarks/hybrid_trials.py`` (``full_rule``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.cycles import segments

ROOT = Path(__file__).resolve().parents[1]


def _x() -> dict:
    """A small full hybrid (1.2 L, 40 kW motor) on kernel parameters ``(1, 1)``."""
    def v(a: float) -> np.ndarray:
        return np.full((1, 1), a)
    return {"m_eff": v(1250.0), "f0": v(110.0), "f1": v(0.0), "f2": v(0.40),
            "vd": v(1.2), "k_lo": v(45.0), "k_hi": v(8.0), "t_r": v(110.0),
            "p_r": v(60e3), "w_r": v(630.0), "pm_r": v(40e3)}


def _run(rule: str | None, layout: str = "full") -> dict:
    """The kernel with the shipped rule (``None``) or the trial's ``rule``."""
    seg = segments(("wltc3b_low", "wltc3b_medium", "wltc3b_high"))
    hyt = benchmark_module("hybrid_trials")
    with hyt.full_rule(rule or "exact"):
        return pt.hev_cycle(seg, _x(), "cvt", kc.ice_constants(), kc.bev_constants(),
                            kc.hev_constants(), {}, layout=layout)


def test_bad_rule_names_field_value_and_choices():
    with pytest.raises(ValueError, match=r"full_rule 'fast': one of \('willans', 'exact'\)"):
        _run("fast")


def test_shipped_rule_is_exact():
    """The trial's ``exact`` swaps nothing; inside ``willans`` the kernel calls the
    trial's rule and the swap is undone after."""
    hyt = benchmark_module("hybrid_trials")
    np.testing.assert_array_equal(_run(None)["fuel"], _run("exact")["fuel"])
    with hyt.full_rule("willans"):
        assert pt._electric_cheaper is hyt.willans_cheaper
    assert pt._electric_cheaper is hyt.SHIPPED.electric_cheaper


def test_exact_rule_runs_the_engine_more_and_burns_less():
    """The exact rule is the minimum of the model's own accounting: less fuel on every
    segment than the closed-form threshold, which ignores the motor, gear and battery
    losses and so drives electrically too often (more engine-on time with ``exact``)."""
    base, exact = _run("willans"), _run("exact")
    assert np.all(exact["fuel"] < base["fuel"])
    assert exact["engine_on"].sum() > base["engine_on"].sum()


def test_mild_layout_ignores_the_rule():
    np.testing.assert_array_equal(_run("exact", "mild")["fuel"],
                                  _run("willans", "mild")["fuel"])


@pytest.fixture(scope="module")
def epa_hybrids():
    c, fit, bev = cal.stored_fits()
    hyb = [car for car in tc.test_cars() if car.cls == "hybrid" and tc.hybrid_system(car)]
    hs = [tc.hybrid_system(car) for car in hyb]
    exact = cal.predict_hev(hyb, c, fit, bev, hs)
    with benchmark_module("hybrid_trials").full_rule("willans"):
        base = cal.predict_hev(hyb, c, fit, bev, hs)
    return hyb, hs, base, exact


def test_default_is_the_shipped_model_bit_for_bit(epa_hybrids):
    """The shipped hybrid rows of docs/validation.json are the default rule's: the same
    cars in the same order, each figure to 1e-12 relative (the last bit of a float sum
    differs between numpy / numba builds: 73.18649496351594 against ...595 on a fresh
    install of 7 Dec 2026; a rule's change moves a row by 1e-4 or more)."""
    hyb, _, _, exact = epa_hybrids
    rows = json.loads((ROOT / "docs" / "validation.json").read_text(encoding="utf-8"))
    # in order, not by ``TestCar.key`` (not unique: benchmarks/testcar_id.py)
    stored = [(r["car"], r["ftp_model"], r["hwfet_model"]) for r in rows["cars"]
              if r["constants"] == "shipped" and r["class"] == "hybrid"]
    assert [s[0] for s in stored] == [car.key for car in hyb]
    for i, (_, ftp, hwfet) in enumerate(stored):
        assert ftp == pytest.approx(float(exact["ftp"][i]), rel=1e-12, abs=0.0)
        assert hwfet == pytest.approx(float(exact["hwfet"][i]), rel=1e-12, abs=0.0)


def test_exact_rule_raises_full_hybrid_mpg_and_leaves_mild_rows(epa_hybrids):
    _, hs, base, exact = epa_hybrids
    full = np.array([h.layout == "full" for h in hs])
    assert full.sum() == 9 and (~full).sum() == 19
    for t in ("ftp", "hwfet"):
        assert np.all(exact[t][full] > base[t][full])
        np.testing.assert_array_equal(exact[t][~full], base[t][~full])
