"""The EV motor's coast-down drag checked on EV / ICE twins (issue 13;
``keidesign.validation.evtwins``, ``python benchmarks/validation_probes.py ev_twins``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from keidesign.energy import testcars as tc
from keidesign.energy.roadload import load_constants
from keidesign.specs.sources import us_specs_for
from keidesign.validation import evtwins as et
from keidesign.validation import roadload as rl

FIT = {"c0": 0.0079, "c1": 8.5e-5}


@pytest.fixture(scope="module")
def cars():
    return tc.test_cars()


def test_every_pair_is_in_the_data_on_one_body(cars):
    """Each pair has EV and ICE rows, and the two cars' published width and height agree
    within 3 % (the same body; a pairing with another model would not)."""
    res = et.twins(cars, fit=FIT)
    assert [x.pair for x in res] == list(et.PAIRS)
    for x in res:
        assert all(c.cls == "ev" for c in x.ev) and all(c.cls != "ev" for c in x.ice)
        rows = [us_specs_for(c).row for c in (x.ev[0], x.ice[0])]
        for dim in ("width_mm", "height_mm"):
            a, b = (float(r[dim]) for r in rows)
            assert abs(a / b - 1.0) < 0.03, (x.pair, dim, a, b)


def _synthetic_twin(ev: tc.TestCar, dm: float, scale: float) -> tc.TestCar:
    """An ICE copy of ``ev``, ``dm`` kg lighter, whose targets are the EV's less the
    model's mass part and ``scale`` x the EV motor's drag (same body: no aero part)."""
    g = float(load_constants()["roadload"]["g"])
    d1, d2 = rl.motor_drag([ev])[0]
    f0 = ev.f0 - g * FIT["c0"] * dm
    f1 = ev.f1 - g * FIT["c1"] * dm - scale * d1
    f2 = ev.f2 - scale * d2
    return replace(ev, cls="manual", trans="manual", etw=ev.etw - dm, f0=f0, f1=f1, f2=f2)


@pytest.mark.parametrize("scale", [1.0, 0.4])
def test_a_twin_made_of_the_model_shows_its_drag(cars, scale):
    """Targets that differ by exactly the model's mass part and ``scale`` x the drag: the
    residual is that drag, the ratio and the speed-growth scale come out as ``scale``."""
    pairs, made = [], []
    for fam, year in (("FORD FOCUS", 2017), ("HYUNDAI IONIQ", 2017)):
        ev = next(c for c in cars if c.cls == "ev" and c.family == fam and c.year == year)
        made += [ev, _synthetic_twin(ev, 250.0, scale)]
        pairs.append(et.TwinPair(fam, year, fam, (year, year), "synthetic"))
    res = et.twins(tuple(made), tuple(pairs), fit=FIT)
    assert len(res) == 2
    for x in res:
        assert x.drag[1] > 5.0  # N at 50 mph: a drag to find
        np.testing.assert_allclose(x.aero, 0.0, atol=1e-9)
        np.testing.assert_allclose(x.residual, scale * x.drag, rtol=1e-9)
        np.testing.assert_allclose(x.measured - x.model_with, (scale - 1.0) * x.drag,
                                   atol=1e-9)
    s = et.drag_scale(res)
    np.testing.assert_allclose(s["ratio"], scale, rtol=1e-9)
    assert s["beta"] == pytest.approx(scale, rel=1e-9)
    np.testing.assert_allclose(s["beta_lopo"], scale, rtol=1e-9)


def test_drag_scale_needs_two_pairs(cars):
    res = et.twins(cars, et.PAIRS[:1], fit=FIT)
    with pytest.raises(ValueError, match="1 pairs with finite residuals given, at least 2"):
        et.drag_scale(res)


def test_a_twin_without_a_published_body_is_named(cars):
    """A pair whose car has no us_specs.csv row (no width and height: no frontal area)
    fails with the car named, not with a silent zero aero term."""
    ev = next(c for c in cars if c.cls == "ev" and c.family == "FORD FOCUS")
    ghost = replace(ev, model="ZZGHOST", cls="manual")
    pair = et.TwinPair("FORD FOCUS", ev.year, "FORD ZZGHOST", (ev.year, ev.year), "none")
    with pytest.raises(ValueError, match=f"{ev.year} FORD ZZGHOST: no us_specs.csv row"):
        et.twins((ev, ghost), (pair,), fit=FIT)
