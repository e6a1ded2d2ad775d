"""The induction machine's loss from measured motor + inverter maps
(``benchmarks/ev_induction_trial.py``) and ``c_mag`` held
(``benchmarks/ev_cmag_trial.py`` ``held``): tried, not kept (the probe ``ev_cmag_drop``,
issue 13, 5 Dec 2026)."""

from unittest import mock

import numpy as np
import pytest
from conftest import benchmark_module
from test_ev_pack_heater import _bev_x

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import segments


@pytest.fixture(scope="module")
def trial():
    return benchmark_module("ev_induction_trial")


def test_maps_and_their_ratio(trial):
    """Thirteen maps (six induction, seven PMSM) with their rated points; the induction /
    PMSM loss ratio over the per-unit grid 1.16, and no zero-torque excess of the
    induction maps (their median intercept below the PMSM maps')."""
    m = trial.maps()
    kinds = [v["machine"] for v in m.values()]
    assert kinds.count("induction") == 6 and kinds.count("pmsm") == 7
    p_r, t_r = trial.rated(m["mc_ac75"])
    assert 130e3 < p_r < 140e3 and abs(t_r / (200 * 4.448 / 3.281 * 1.8) - 1) < 1e-3
    assert 1.15 < trial.induction_ratio() < 1.18
    z = trial.zero_torque_losses()
    assert np.median(list(z["induction"].values())) < np.median(list(z["pmsm"].values()))


def test_trial_loss_is_the_shipped_one_times_the_ratio(trial):
    """PMSM (i = 0): the shipped loss; induction (i = 1): x f; and through the kernel a
    PMSM car's cycle energy is unchanged by the patches."""
    c = {**kc.bev_constants(), "c_mag": 0.0}
    p, w = np.array([5e3, 20e3]), np.array([300.0, 600.0])
    ship = pt.motor_loss(p, w, 80e3, 250.0, c, 1.0)
    loss = trial.loss_with_ratio(1.2)
    np.testing.assert_allclose(loss(p, w, 80e3, 250.0, c, 0.0),
                               pt.motor_loss(p, w, 80e3, 250.0, c, 0.0), rtol=1e-12)
    np.testing.assert_allclose(loss(p, w, 80e3, 250.0, c, 1.0), 1.2 * ship, rtol=1e-12)
    seg = segments(("udds_bag1", "udds_bag2", "hwfet"))
    x = _bev_x("li-ion")
    before = pt.bev_cycle(seg, x, c)["dc"]
    with mock.patch.object(pt, "motor_loss", loss):
        np.testing.assert_allclose(pt.bev_cycle(seg, x, c)["dc"], before, rtol=1e-12)
        more = pt.bev_cycle(seg, {**x, "induction": np.ones_like(x["induction"])}, c)["dc"]
    assert np.all(more > before)


def test_patches_hold_c_mag():
    """``ev_cmag_trial.held`` and ``ev_induction_trial.patches`` make every BEV fit hold
    ``c_mag`` (the calibration's fit restored after)."""
    held = benchmark_module("ev_cmag_trial").held
    seen = []

    def fake(cars, c=None, hold=None):
        seen.append(dict(hold or {}))
        return {}
    with mock.patch.object(cal, "fit_bev", fake):
        for ps in (held(0.0), held(0.02), benchmark_module("ev_induction_trial").patches(1.3)):
            for p in ps:
                p.start()
            cal.fit_bev([], None)
            for p in reversed(ps):
                p.stop()
    assert [s["c_mag"] for s in seen] == [0.0, 0.02, 0.0]
    assert cal.fit_bev is not fake
