"""The BEV traction pack's internal resistance from its energy, ``R = tau V^2 / E``
(shipped 7 Dec 2026, task s42b; :func:`keidesign.energy.powertrains.pack_resistance`):
the law, the EPA rows' pack join in the energy layer, the design key's "0: from the
pack" default and a stated value's override, and the cycle component's partials through
the derived resistance."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import run_comp
from openmdao.utils.assert_utils import assert_check_partials

from geometry import ad as D
from keidesign import variables as reg
from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.components import CycleComp
from keidesign.energy.vehicle import VehicleSpec
from keidesign.specs import sources


def test_tau_is_the_assumed_pack_at_the_median_published_energy():
    """tau = 0.1 ohm x 27.6 kWh / (350 V)^2 = 81.1 s, in calibration.toml; at 27.6 kWh
    the law gives the assumed 0.1 ohm, at twice the energy half, at twice the voltage
    four times; series / parallel arrangements of one cell give the same R / V^2."""
    tau = kc.bev_constants()["pack_tau_s"]
    assert tau == cal.pack_tau_s(350.0, 0.1) == pytest.approx(81.11, abs=0.01)
    assert pt.pack_resistance(350.0, 27.6, 0.0, tau) == pytest.approx(0.1, rel=2e-3)
    assert pt.pack_resistance(350.0, 55.2, 0.0, tau) == pytest.approx(0.05, rel=2e-3)
    assert pt.pack_resistance(700.0, 27.6, 0.0, tau) == pytest.approx(0.4, rel=2e-3)
    for n_s, n_p, c_ah in ((96, 1, 60.0), (48, 2, 30.0)):
        r_c = tau / 3600.0 * 3.7 / c_ah
        v, r, e_kwh = n_s * 3.7, n_s * r_c / n_p, n_s * n_p * 3.7 * c_ah / 1e3
        assert r == pytest.approx(pt.pack_resistance(v, e_kwh, 0.0, tau))


def test_a_stated_resistance_overrides_and_derivatives_follow_the_branch():
    """Above 0 the stated value is used and carries its own derivative; at 0 the
    derivative is through V (2 R / V) and E (-R / E)."""
    tau = 81.11
    assert pt.pack_resistance(350.0, 20.0, 0.25, tau) == 0.25
    v, e, r = D.seed([350.0, 20.0, 0.0])
    out = pt.pack_resistance(v, e, r, tau)
    r0 = tau * 350.0**2 / 20.0 / 3.6e6
    assert D.value(out) == pytest.approx(r0)
    np.testing.assert_allclose(np.ravel(out.g), [2 * r0 / 350.0, -r0 / 20.0, 0.0])
    v, e, r = D.seed([350.0, 20.0, 0.3])
    np.testing.assert_allclose(np.ravel(pt.pack_resistance(v, e, r, tau).g), [0, 0, 1.0])


def test_design_key_defaults_to_from_the_pack():
    """``battery_resistance`` defaults to 0 (from the pack energy), range [0, 2] ohm."""
    var = reg.get("powertrain:bev:battery_resistance")
    assert var.default == 0.0 and var.lower == 0.0 and var.upper == 2.0
    assert "R = tau V^2 / E" in var.desc


def test_epa_rows_join_their_pack_in_the_energy_layer():
    """testcars' join (every us_specs generation of the car) is the import's (the one
    row us_specs_for picks) on every EPA EV row: 26 of 55 join a pack."""
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    assert len(ev) == 55
    n = 0
    for car in ev:
        row, _ = sources.ev_pack_for(car, sources.us_specs_for(car), tc.label_for(car))
        want = sources.pack_energy(row)[0] if row is not None else None
        assert car.pack_kwh == want, (car.year, car.model)
        n += want is not None
    assert n == 26


def test_epa_rows_resistance_from_the_joined_pack():
    """The calibration's EPA rows: tau V^2 / E where a pack joins (the 14.0 kWh i-MiEV
    0.197 ohm, the 56.1 kWh Kona 0.049 ohm), the assumed [bev] r_b elsewhere."""
    c = cal.load_constants()
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    x = cal.epa_bev_params(ev, c)
    tau = c["bev"]["pack_tau_s"]
    for i, car in enumerate(ev):
        if car.pack_kwh is None:
            assert x["r_b"][i, 0] == c["bev"]["r_b"] == 0.1
            continue
        assert x["r_b"][i, 0] == pytest.approx(tau * 350.0**2 / (car.pack_kwh * 3.6e6))
        if car.family == "I-MIEV":
            assert x["r_b"][i, 0] == pytest.approx(0.197, abs=5e-4)
        if car.family == "KONA":
            assert x["r_b"][i, 0] == pytest.approx(0.049, abs=5e-4)


def test_vehicle_spec_resistance_from_its_battery():
    """A VehicleSpec (the kei WLTC check's) takes R from its battery unless it states
    one: a 20 kWh Sakura pack 0.138 ohm."""
    q = VehicleSpec(kind="bev", battery=20.0).quantities()
    assert float(q["r_b"]) == pytest.approx(0.138, abs=5e-4)
    assert float(VehicleSpec(kind="bev", battery=20.0, r_b=0.4).quantities()["r_b"]) == 0.4


_VALS = {"mass:test": 1100.0, "energy:road:m_eff": 1130.0, "energy:road:f0": 100.0,
         "energy:road:f1": 0.5, "energy:road:f2": 0.40, "powertrain:bev:motor_power": 47.0,
         "powertrain:bev:motor_torque": 195.0, "powertrain:bev:battery_energy": 20.0,
         "powertrain:overall_ratio_low": 29.6, "powertrain:overall_ratio_high": 29.6}


def test_cycle_component_derives_and_overrides():
    """A bigger pack (lower R) needs less wall energy with the default key; with a
    stated resistance the pack energy no longer reaches the resistance, and stating the
    derived value gives the default's result."""
    def ftp(**kw):
        prob = run_comp(CycleComp(kind="bev"), **{**_VALS, **kw})
        return float(prob.get_val("energy:ftp_kwh_per_mi")[0])

    small, big = ftp(), ftp(**{"powertrain:bev:battery_energy": 40.0})
    assert big < small
    r20 = pt.pack_resistance(350.0, 20.0, 0.0, kc.bev_constants()["pack_tau_s"])
    assert ftp(**{"powertrain:bev:battery_resistance": r20}) == pytest.approx(small, rel=1e-12)
    s1 = ftp(**{"powertrain:bev:battery_resistance": 0.1})
    s2 = ftp(**{"powertrain:bev:battery_resistance": 0.1,
                "powertrain:bev:battery_energy": 40.0})
    assert s1 == pytest.approx(s2, rel=1e-12)


@pytest.mark.parametrize("r_b", [0.0, 0.2])
def test_partials_through_the_pack_resistance(r_b):
    """CycleComp's partials by complex step, with the resistance derived (0) and stated."""
    prob = run_comp(CycleComp(kind="bev"),
                    **{**_VALS, "powertrain:bev:battery_resistance": r_b})
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)
