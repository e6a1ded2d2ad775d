"""A torque converter through its multiplication range (task s45f, issue 13; a trial
behind the ``[ice]`` option ``tc_stall_tr``, default off): the torque-ratio law's limits
(:func:`keidesign.energy.powertrains.converter_torque_ratio`), the speed ratio of the
exact power balance (:func:`~keidesign.energy.powertrains.multiplying_speed_ratio`),
the option off giving the shipped kernel's results bit for bit, and exact partials with
it on (docs/validation.md, "A torque converter through its multiplication range")."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run_comp
from openmdao.utils.assert_utils import assert_check_partials
from test_converter_lockup import KEI, SEG, VALS, X

from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.components import CycleComp

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

NU_C = pt.TC_COUPLING_RATIO


@pytest.mark.parametrize("tr0", [1.8, 2.0, 2.5])
def test_torque_ratio_limits(tr0):
    """Stall torque ratio at nu = 0, 1 (and efficiency nu) from the coupling point up,
    linear and continuous between."""
    assert pt.converter_torque_ratio(np.array(0.0), tr0) == pytest.approx(tr0)
    above = np.array([NU_C, 0.9, 0.97, 1.0])
    np.testing.assert_array_equal(pt.converter_torque_ratio(above, tr0), 1.0)
    np.testing.assert_array_equal(pt.converter_efficiency(above, tr0), above)
    below = NU_C - np.array([1e-6, 1e-9])  # continuous at the coupling point
    np.testing.assert_allclose(pt.converter_torque_ratio(below, tr0), 1.0, atol=1e-5)
    mid = pt.converter_torque_ratio(np.array(NU_C / 2), tr0)
    assert mid == pytest.approx((tr0 + 1.0) / 2)  # linear
    nu = np.linspace(0.0, 1.0, 201)
    tr = pt.converter_torque_ratio(nu, tr0)
    assert np.all(np.diff(tr) <= 0.0) and np.all(tr >= 1.0)
    eta = pt.converter_efficiency(nu, tr0)
    assert eta[0] == 0.0 and np.all(eta <= 1.0)
    # no multiplication: the torque ratio 1 everywhere
    np.testing.assert_array_equal(pt.converter_torque_ratio(nu, 1.0), 1.0)


def test_speed_ratio_solves_the_power_balance():
    """``TR(nu) f(nu) / nu^2 = b`` on both sides of the coupling point; 1 at no load,
    continuous at ``b = 1 / nu_c^2``, falling with the load toward stall."""
    tr0 = pt.TC_STALL_TR
    b = np.array([0.0, 0.05, 0.5, 1.0, 1.0 / NU_C**2, 2.0, 10.0, 1e3, 1e6])
    nu = pt.multiplying_speed_ratio(b, tr0)
    assert nu[0] == 1.0
    f = np.where(nu < NU_C, 1.0, (1.0 - nu) / (1.0 - NU_C))
    np.testing.assert_allclose(pt.converter_torque_ratio(nu, tr0) * f / nu**2, b,
                               rtol=1e-9, atol=1e-12)
    assert nu[4] == pytest.approx(NU_C, rel=1e-12)
    edge = 1.0 / NU_C**2 * np.array([1.0 - 1e-9, 1.0 + 1e-9])
    np.testing.assert_allclose(pt.multiplying_speed_ratio(edge, tr0), NU_C, rtol=1e-8)
    assert np.all(np.diff(nu) < 0.0) and nu[-1] < 0.01


def test_speed_ratio_of_the_kernel():
    """The option makes ``converter_speed_ratio`` the exact balance (no cap at the
    coupling point); the pump turns at the stall speed's law at a held turbine."""
    idx = np.zeros((1, 4), int)
    t_r = np.array([[60.0]])
    w_t = np.array([[30.0, 60.0, 150.0, 300.0]])
    p_t = np.array([[6e3, 6e3, 6e3, 6e3]])
    old = pt.converter_speed_ratio(idx, 4, w_t, p_t, t_r)
    new = pt.converter_speed_ratio(idx, 4, w_t, p_t, t_r, stall_tr=2.0)
    assert np.all(old >= NU_C - 0.01)  # the shipped law stops at the coupling point
    assert new[0, 0] < 0.5 < NU_C and np.all(np.diff(new[0]) > 0.0)
    w_s = pt.TC_STALL_RPM * pt.RPM
    b = p_t * w_s**2 / (t_r * w_t**3)
    np.testing.assert_allclose(new, pt.multiplying_speed_ratio(b, 2.0), rtol=1e-3)


def _fuel(trans: str, lockup: str, x: dict, c: dict, **kw) -> np.ndarray:
    return pt.ice_cycle(SEG, x, trans, c, lockup=lockup, **kw)["fuel"]


@pytest.mark.parametrize("trans,lockup", [("at4", "none"), ("at4", "all"), ("at6", "all"),
                                          ("at3", "top"), ("mt5", "all"), ("cvt", "all")])
def test_option_off_is_the_shipped_kernel(trans, lockup):
    """Absent, 0 or None: the shipped kernel's fuel bit for bit (the load factor is the
    expression of before); on, an automatic's fuel moves and a manual's or CVT's not."""
    c = kc.ice_constants()
    assert "tc_stall_tr" not in c  # the stored constants: off
    base = _fuel(trans, lockup, KEI, c)
    for off in (0.0, None):
        np.testing.assert_array_equal(_fuel(trans, lockup, KEI, {**c, "tc_stall_tr": off}),
                                      base)
    on = _fuel(trans, lockup, KEI, {**c, "tc_stall_tr": 2.0})
    if pt.FAMILY[trans] == "automatic":
        # an open converter's multiplication range costs fuel; a locked six-speed's
        # launch below idle speed is the converter's (efficiency nu TR, not the clutch's
        # nu): it moves, downward
        assert np.all(on > base) if lockup != "all" or trans == "at4" else np.all(on < base)
    else:
        np.testing.assert_array_equal(on, base)


def test_load_factor_off_is_the_old_expression():
    w = np.array([[80.0, 100.0, 300.0]])
    w_g = np.array([[0.0, 60.0, 300.0]])
    for trans in ("at4", "mt5", "cvt"):
        np.testing.assert_array_equal(pt.converter_load_factor(w, w_g, trans, {}),
                                      w / pt.D.smax(w_g, 1.0, 0.1))
    on = pt.converter_load_factor(w, w_g, "at4", {"tc_stall_tr": 2.0})
    old = w / pt.D.smax(w_g, 1.0, 0.1)
    tr = pt.converter_torque_ratio(w_g / w, 2.0)
    np.testing.assert_allclose(on, old / tr, rtol=1e-6)
    assert on[0, 2] == pytest.approx(old[0, 2])  # locked: no multiplication


def test_multiplication_costs_more_in_the_city():
    """The option's fuel penalty on a converter without lock-up is larger on the city
    segment than on the highway one (launches), behind the kei engine and the 1.5 L."""
    c = kc.ice_constants()
    gain = {}
    for name, x in (("kei", KEI), ("1.5 L", X)):
        off = _fuel("at4", "none", x, c)
        gain[name] = _fuel("at4", "none", x, {**c, "tc_stall_tr": 2.0}) / off - 1.0
        assert gain[name][0, 0] > gain[name][0, 1] > 0.0


@pytest.mark.parametrize("bad", [0.5, 1.0 - 1e-9, 4.0, -2.0])
def test_option_out_of_range_is_refused(bad):
    with pytest.raises(ValueError, match=r"\[ice\] tc_stall_tr = .*allowed 0 \(off\) or 1.0-3.5"):
        pt.converter_stall_tr({"tc_stall_tr": bad})


def test_partials_with_the_multiplication_range():
    with kc.held(ice={"tc_stall_tr": 2.0}):
        prob = run_comp(CycleComp(kind="ice", transmission="at4", converter_lockup="none"),
                        **VALS)
        data = prob.check_partials(method="cs", out_stream=None)
        assert_check_partials(data, atol=1e-6, rtol=2e-6)
        on = prob.get_val("energy:ftp_mpg")[0]
    off = run_comp(CycleComp(kind="ice", transmission="at4", converter_lockup="none"), **VALS)
    assert on < off.get_val("energy:ftp_mpg")[0]
