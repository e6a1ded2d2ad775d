"""The s36h seat-height trial's fit (benchmarks/interior_seat_height.py), on synthetic
cars: the law and its least-squares and leave-one-family-out fits recover a known law."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

ish = benchmark_module("interior_seat_height")


def _synthetic(a: float, b: float):
    """Ten cars in five families, each volume falling linearly with seat height
    (head room lost), published at the law (a, b)."""
    rng = np.random.default_rng(1)
    h_body = np.linspace(1400.0, 1660.0, 10)
    slope = rng.uniform(0.03, 0.06, 10)           # ft^3 per mm of seat height
    v0 = rng.uniform(95.0, 115.0, 10)             # ft^3 at H30 = 150 mm
    grids = v0[:, None] - slope[:, None] * (ish.H30_GRID[None, :] - ish.H30_GRID[0])
    h30 = a + b * (h_body - 1500.0)
    published = v0 - slope * (h30 - ish.H30_GRID[0])
    families = [f"f{i // 2}" for i in range(10)]
    return families, h_body, grids, published


def test_seat_height_law():
    assert ish.seat_height(1500.0, 300.0, 0.5) == pytest.approx(300.0)
    assert ish.seat_height(1700.0, 300.0, 0.5) == pytest.approx(400.0)


def test_fit_recovers_law():
    fam, hb, grids, pub = _synthetic(320.0, 0.4)
    a, b = ish.fit_law(hb, grids, pub)
    assert a == pytest.approx(320.0, abs=1.0)
    assert b == pytest.approx(0.4, abs=0.01)
    # a wrong law misses the published volumes
    assert np.max(np.abs(ish.predict(hb, grids, 270.0, 0.0) - pub)) > 1.0


def test_lofo_predicts_held_out_families():
    fam, hb, grids, pub = _synthetic(320.0, 0.4)
    held, fits = ish.lofo(fam, hb, grids, pub)
    assert set(fits) == set(fam)
    assert np.max(np.abs(held - pub)) < 0.1
    stats = ish.s1(held, pub, fam)
    assert stats["met"] and stats["families"] == 5
    bad = ish.s1(pub * 1.2, pub, fam)
    assert not bad["met"]


def test_fixed_intercept_fits_slope_only():
    fam, hb, grids, pub = _synthetic(270.0, 0.6)
    a, b = ish.fit_law(hb, grids, pub, fixed_a=270.0)
    assert a == 270.0
    assert b == pytest.approx(0.6, abs=0.01)
