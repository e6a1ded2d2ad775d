"""The open two-seaters' curb mass (issue 13): ``benchmarks/open_body_twins.py`` (probe
``open_body_twins``; docs/mass_cost.md, "The open two-seaters' curb mass").

Asserted: the designed-open twins' file reads and its law is what docs/mass_cost.md
quotes; the probe's refit with the shipped ``a_open`` is the shipped held-out calibration;
an open fit car's a-priori groups move by ``da L_wb`` and nothing else; the size law held
inside the fitted volumes (shipped 5 Dec 2026) against the extrapolated law before it
moves only the cars outside the other families' volumes. The trials live in the probe's
module.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.mass import calibration as mcal
from keidesign.mass import open_body as ob
from keidesign.mass.data import coefficients

OT = benchmark_module("open_body_twins")


def test_designed_open_twins_and_their_law():
    rows = OT.designed_open()
    assert len(rows) == 11 and {p.make for p in rows} == {"Porsche", "Bmw"}
    assert all(1.8 < p.wheelbase < 2.6 and 1000 < p.curb_closed < 1700 for p in rows)
    # docs/mass_cost.md: -5.2 kg/m; held out by pair MAE 1.26 %, by make 2.18 %
    assert OT.fit(rows) == pytest.approx(-5.2, abs=0.05)
    assert 100 * np.mean(np.abs(OT.held_out(rows, "pair"))) == pytest.approx(1.26, abs=0.006)
    assert 100 * np.mean(np.abs(OT.held_out(rows, "make"))) == pytest.approx(2.18, abs=0.006)
    # the shipped law is the closed-first twins' fit
    assert OT.fit(ob.pairs()) == pytest.approx(coefficients()["open_body_per_m"], abs=0.05)


def test_refit_at_the_shipped_coefficient_is_the_shipped_calibration():
    coef, err = OT.calibration_under(coefficients()["open_body_per_m"])
    cars = mcal.read_cars()
    assert coef == pytest.approx(mcal.fit(cars), rel=1e-12)
    held = mcal.lofo(cars)
    for c in cars:
        assert err[c.name] == pytest.approx(held[c.name][0] / c.curb_pub - 1, abs=1e-12)


def test_only_the_open_cars_move_and_by_the_term():
    wb = OT.open_fit_cars()
    assert len(wb) == 2 and all("MX-5" in n for n in wb)
    a0 = coefficients()["open_body_per_m"]
    _, e0 = OT.calibration_under(a0)
    _, e1 = OT.calibration_under(a0 + 10.0)
    cars = {c.name: c for c in mcal.read_cars()}
    c_ch = coefficients()["chassis_fraction"]
    for name in wb:   # held out with its family: the other families' fit, + 10 L_wb / (1 - c)
        step = 10.0 * wb[name] / (1.0 - c_ch) / cars[name].curb_pub
        assert e1[name] - e0[name] == pytest.approx(step, rel=1e-9)
    # the other cars move only through the refit (d, k) on the MX-5s' shifted rows
    assert max(abs(e1[n] - e0[n]) for n in cars if n not in wb) < 0.006


def test_size_law_held_inside_changes_only_cars_outside_the_others_range():
    ext = OT.calibration_extrapolated()
    _, ship = OT.calibration_under(coefficients()["open_body_per_m"])
    moved = {n for n in ship if abs(ext[n] - ship[n]) > 1e-12}
    assert any("iQ" in n for n in moved) and len(moved) <= 3
    # docs/mass_cost.md: 97 cars held out 4.38 % extrapolated -> 4.36 % held (shipped);
    # 4.39 -> 4.37 % since the s28a payloads (6 Dec 2026, "Refit after the default payload");
    # 4.43 -> 4.41 % since the s30a seat counts (6 Dec 2026, "Seat counts of 2+2 and
    # two-seat generations, refitted")
    assert 100 * np.mean(np.abs(list(ext.values()))) == pytest.approx(4.43, abs=0.006)
    assert 100 * np.mean(np.abs(list(ship.values()))) == pytest.approx(4.41, abs=0.006)


def test_mlit_extrapolated_moves_only_rows_outside_the_fitted_volumes():
    lo, hi = OT.calibration_volume_range()
    kv, c_ch = (coefficients()[k] for k in ("calibration_per_volume", "chassis_fraction"))
    rows = [{"volume": v, "curb": 800.0, "lo": 830.0, "hi": 850.0} for v in (3.72, 5.0)]
    (_, _, s0), (_, _, s1) = OT.mlit_extrapolated(rows)
    assert s0 == pytest.approx(kv * (3.72 - lo) / (1 - c_ch), rel=1e-12) and s1 == 0.0
