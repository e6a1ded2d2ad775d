"""A design's own upshift speeds (``powertrain.ice.manual_upshift_mph``): validated with
one InputError line, carried to the kernel's ``manual_schedule`` (the same argument as
the class schedule of calibration.toml), byte-identical to the default when it gives the
class speeds, and moving the FTP the way the physics says when it gives others."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import design_with, run_comp

from keidesign import variables as reg
from keidesign.catalogue import powertrain as cat_pt
from keidesign.design import _MANUAL_GEARS, parse_design
from keidesign.energy import constants as kc
from keidesign.energy import energy_options
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as veh
from keidesign.energy.components import CycleComp
from keidesign.energy.cycles import segments
from keidesign.errors import InputError
from keidesign.studies.outputs import design_toml

KEY = "powertrain.ice.manual_upshift_mph"
NAME = "powertrain:ice:manual_upshift_mph"


def _class_mph(n_gears: int) -> list[float]:
    """The class schedule's first ``n_gears - 1`` speeds (mph): what the kernel uses."""
    return [float(v) for v in kc.ice_constants()["manual_schedule_mph"][: n_gears - 1]]


def test_registry_and_tables_agree():
    var = reg.get(NAME)
    assert var.dtype is tuple and var.default == () and not var.required
    assert (var.lower, var.upper) == cat_pt.MANUAL_UPSHIFT_MPH_RANGE
    assert set(_MANUAL_GEARS) == set(pt.MANUAL_SCHEDULE_TRANS)
    assert all(pt.GEARS[t] == n for t, n in _MANUAL_GEARS.items())
    d = design_with("carry_class")
    assert d.values[NAME] == () and NAME not in d.numeric()
    assert energy_options(d)["manual_upshift_mph"] == ()


def test_values_and_quantity_strings():
    d = design_with("carry_class", {KEY: [15, "33 km/h", 30.0, 36.5]})
    got = d.values[NAME]
    assert isinstance(got, tuple)
    assert got == pytest.approx((15.0, 33.0 / 1.609344, 30.0, 36.5))
    assert energy_options(d)["manual_upshift_mph"] == got
    six = design_with("carry_class", {"powertrain.transmission": "mt6",
                                      KEY: [17, 24, 35, 41, 50]})
    assert six.values[NAME] == (17.0, 24.0, 35.0, 41.0, 50.0)
    assert design_with("carry_class", {KEY: []}).values[NAME] == ()


@pytest.mark.parametrize("design", [
    {},
    {KEY: [14.45, 20.4, 29.75, 34.85]},
    {"powertrain.transmission": "mt6", KEY: [17.0, 24.0, 35.0, 41.0, 50.0]}])
def test_design_file_round_trip(design):
    d = design_with("carry_class", design)
    again = parse_design(design_toml(d), "again.toml")
    assert again.values[NAME] == d.values[NAME]


@pytest.mark.parametrize("changes,expect", [
    ({KEY: [14.45, 20.4, 29.75]},
     "= [14.45, 20.4, 29.75]: 3 speed(s) for powertrain.transmission = 'mt5'; allowed: 4 "
     "strictly increasing speeds"),
    ({"powertrain.transmission": "mt6", KEY: [14.45, 20.4, 29.75, 34.85]},
     "4 speed(s) for powertrain.transmission = 'mt6'; allowed: 5 strictly increasing"),
    ({KEY: [14.45, 20.4, 19.0, 30.0]},
     "item 3 (19) is not above item 2 (20.4): the list must increase strictly"),
    ({KEY: [14.45, 20.4, 20.4, 30.0]}, "item 3 (20.4) is not above item 2 (20.4)"),
    ({KEY: [14.45, 20.4, 29.75, 95.0]}, "item 4 (95.0): out of range"),
    ({KEY: [4.0, 20.4, 29.75, 34.85]}, "item 1 (4.0): out of range"),
    ({KEY: [14.45, "fast", 29.75, 34.85]}, "item 2 ('fast'): expected a number"),
    ({KEY: [14.45, True, 29.75, 34.85]}, "item 2 (true): expected a number, got a boolean"),
    ({KEY: [14.45, "20 rpm", 29.75, 34.85]}, "item 2 ('20 rpm'): units 'rpm' cannot be"),
    ({KEY: "14.45, 20.4"}, "expected a list of numbers, got str"),
    ({KEY: 17.0}, "expected a list of numbers, got float"),
    ({"powertrain.transmission": "cvt", KEY: [14.45, 20.4, 29.75, 34.85]},
     "for powertrain.transmission = 'cvt': a driver-shifted manual's upshift speeds; "
     "allowed: [] (or leave it out) for every design, the speeds only for 'mt5' or 'mt6'"),
    ({"powertrain.transmission": "amt5", KEY: [14.45, 20.4, 29.75, 34.85]},
     "for powertrain.transmission = 'amt5'"),
    ({"powertrain.transmission": "at4", KEY: [14.45, 20.4, 29.75]},
     "for powertrain.transmission = 'at4'"),
    ({"powertrain.ice.hybrid": "hev", KEY: [14.45, 20.4, 29.75, 34.85]}, "for a hybrid"),
])
def test_bad_inputs_one_line(changes, expect):
    with pytest.raises(InputError) as e:
        design_with("carry_class", changes)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith(f"carry_class.toml: {KEY} = ")
    assert expect in msg and "allowed:" in msg, msg
    if "out of range" in expect or "increase strictly" in expect:
        assert "each in [5, 80] mi/h" in msg


def test_not_for_a_bev():
    with pytest.raises(InputError, match=r"manual_upshift_mph = \[.*is not used when "
                                         r"powertrain.type = 'bev'"):
        design_with("sakura_class", {KEY: [14.45, 20.4, 29.75, 34.85]})


def _x(trans: str) -> dict:
    q = {k: np.array([[v]]) for k, v in veh.VehicleSpec(
        mass_test=1046.0, cd=0.38, area=2.218, crr=0.0101, vd=0.658, power=43.0,
        torque=65.0).quantities().items()}
    return veh.kernel_params("ice", trans, q)


def _results(trans: str, mph=()) -> dict:
    return veh.cycle_results("ice", trans, _x(trans), mass_test=np.array([[1046.0]]),
                             manual_upshift_mph=tuple(mph))


@pytest.mark.parametrize("trans", ["mt5", "mt6"])
def test_class_schedule_given_is_byte_identical(trans):
    default = _results(trans)
    given = _results(trans, _class_mph(pt.GEARS[trans]))
    assert default.keys() == given.keys()
    for k, v in default.items():
        for a, b in zip(v if isinstance(v, list) else [v],
                        given[k] if isinstance(v, list) else [given[k]], strict=True):
            assert np.asarray(a).tobytes() == np.asarray(b).tobytes(), k


def test_earlier_upshifts_lower_engine_speed_higher_mpg():
    """Upshifts at 0.7 x the class speeds on an mt5: a lower gear is left earlier on
    every FTP acceleration, the engine turns slower (less friction, Willans P_0 ~ w),
    the FTP and HWFET give more mpg; later upshifts (1.3 x) give less. The WLTC and JC08
    (the shipped gear rule there) do not move."""
    base = _class_mph(5)
    early = [0.7 * v for v in base]
    late = [1.3 * v for v in base]
    r0, r_e, r_l = _results("mt5"), _results("mt5", early), _results("mt5", late)
    assert r_e["ftp_mpg"][0, 0] > r0["ftp_mpg"][0, 0] * 1.005
    assert r_l["ftp_mpg"][0, 0] < r0["ftp_mpg"][0, 0] * 0.995
    assert r_e["hwfet_mpg"][0, 0] >= r0["hwfet_mpg"][0, 0]
    for k in ("wltc_km_per_l", "jc08_km_per_l"):
        np.testing.assert_array_equal(r_e[k], r0[k])
    # the engine speed of the kernel on the FTP's accelerations
    seg = segments(("udds_bag1", "udds_bag2"))
    c = kc.ice_constants()
    x = _x("mt5")
    w0 = np.asarray(pt.ice_cycle(seg, x, "mt5", c, manual_schedule=pt.manual_schedule(c))["w"])
    we = np.asarray(pt.ice_cycle(seg, x, "mt5", c,
                                 manual_schedule=pt.manual_schedule(c, early))["w"])
    acc = pt.Trace.of(seg).dv > 0
    assert (we[0, acc] <= w0[0, acc] + 1e-9).all() and (we[0, acc] < w0[0, acc]).any()


def test_component_option_reaches_the_kernel():
    """CycleComp (the design path: energy_options -> EnergyGroup -> CycleComp ->
    cycle_results): the class speeds given equal the default output bit for bit; earlier
    upshifts raise the FTP mpg."""
    vals = {"energy:road:m_eff": 1077.0, "energy:road:f0": 100.0, "energy:road:f1": 0.9,
            "energy:road:f2": 0.45, "mass:test": 1046.0,
            "powertrain:overall_ratio_low": 46.0, "powertrain:overall_ratio_high": 11.0,
            "powertrain:ice:displacement": 658.0, "powertrain:ice:power": 43.0,
            "powertrain:ice:torque": 65.0}
    base = run_comp(CycleComp(kind="ice", transmission="mt5"), **vals)
    same = run_comp(CycleComp(kind="ice", transmission="mt5",
                              manual_upshift_mph=tuple(_class_mph(5))), **vals)
    early = run_comp(CycleComp(kind="ice", transmission="mt5",
                               manual_upshift_mph=tuple(0.7 * v for v in _class_mph(5))),
                     **vals)
    for out in ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:us06_mpg"):
        assert base.get_val(out).tobytes() == same.get_val(out).tobytes(), out
    assert early.get_val("energy:ftp_mpg")[0] > base.get_val("energy:ftp_mpg")[0]


def test_batch_api_groups_by_schedule():
    spec = veh.VehicleSpec(trans="mt5", mass_test=1046.0, vd=0.658, power=43.0, torque=65.0)
    early = veh.VehicleSpec(**{**spec.__dict__, "manual_upshift_mph":
                               tuple(0.7 * v for v in _class_mph(5))})
    given = veh.VehicleSpec(**{**spec.__dict__, "manual_upshift_mph": tuple(_class_mph(5))})
    r = veh.simulate([spec, early, given])
    assert r["ftp_mpg"][1] > r["ftp_mpg"][0]
    assert r["ftp_mpg"][2] == r["ftp_mpg"][0]
