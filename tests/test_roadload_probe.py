"""benchmarks/roadload_probe.py's candidate road-load forms (docs/validation.md, "The
physics the road load from specs might miss"): the trials are judged against the model's
own hold-out errors, so the probe's shipped form must be the model."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import ROOT


@pytest.fixture(scope="module")
def rp():
    if str(ROOT / "benchmarks") not in sys.path:  # the probes import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    import roadload_probe

    return roadload_probe


def test_shipped_form_is_the_road_load_validation(rp):
    d = rp.data()
    err, p, _ = rp.form_lofo(d, rp.parasitic_forms()[0])
    ref = rp.rl.validate(d.cs)
    np.testing.assert_allclose(err, ref["lofo"], atol=1e-6)
    np.testing.assert_allclose(p, [ref["fit"]["c0"], ref["fit"]["c1"]], rtol=1e-4)


def test_extra_terms_vanish_at_zero(rp):
    d = rp.data()
    i = np.arange(len(d.cs))
    p = np.array([0.008, 9e-5])
    base = rp.parasitic_forms()[0].force(d, i, p)
    for force in (rp._with_parasitic(0.0), rp._drive_parasitic, rp._speed_squared,
                  rp._class_parasitic, rp._diameter_law(0.0)):
        extra = np.zeros(len(rp.CLASS_TERMS)) if force is rp._class_parasitic else [0.0]
        np.testing.assert_allclose(force(d, i, np.concatenate([p, extra])), base, rtol=1e-12)
    np.testing.assert_allclose(rp._load_exponent(d, i, np.append(p, 1.0)), base, rtol=1e-12)
    rear = np.array([c.car.drive != "fwd" for c in d.cs])
    assert 0 < rear.sum() < len(d.cs)
    np.testing.assert_allclose(rp._drive_parasitic(d, i, np.append(p, 50.0)) - base,
                               np.where(rear, 50.0, 0.0)[:, None] * np.ones((1, 3)))


def test_tyre_diameter_from_the_size(rp):
    d = rp.data()
    dia = rp._diameter_mm(d)
    j = int(np.flatnonzero(np.isfinite(d.tyre[:, 0]))[0])
    w, a, rim = d.tyre[j]
    assert dia[j] == pytest.approx(rim * 25.4 + 2 * w * a / 100)
    assert 500 < np.nanmin(dia) and np.nanmax(dia) < 800


def test_tyre_law_vanishes_at_zero_strength_and_scales_the_rolling_term(rp):
    d = rp.data()
    i = np.arange(len(d.cs))
    p = np.array([0.008, 9e-5])
    base = rp.parasitic_forms()[0].force(d, i, p)
    np.testing.assert_allclose(rp._tyre_law(0.0)(d, i, p), base, rtol=1e-12)
    np.testing.assert_allclose(rp._tyre_law(None)(d, i, np.append(p, 0.0)), base, rtol=1e-12)
    f = rp.tyre_factor(d)
    roll = d.etw[:, None] * rp.G * (p[0] + p[1] * rp.V)
    np.testing.assert_allclose(rp._tyre_law(1.0)(d, i, p) - base, roll * (f[:, None] - 1.0),
                               rtol=1e-9, atol=1e-9)
    assert np.all(f[~np.isfinite(d.tyre[:, 0])] == 1.0)
    assert 0.5 < f.min() and f.max() < 1.3
