"""A torque-converter automatic's lock-up clutch (issue 13, 4 Dec 2026): the design key
``powertrain.converter_lockup`` ("all", the default and the model before it; "top";
"none", MLIT's kei 3-4 speed automatics listed without ``LTC``) and the shipped
converter physics (:func:`keidesign.energy.powertrains.lockup_gear`,
:func:`~keidesign.energy.powertrains.converter_speed_ratio`: the capacity law's slip at
the assumed 2500 rpm stall speed). The first trial's constant speed ratio
(``tc_open_ratio``) and its lock-up rule for every 3-4 speed automatic stay in
``benchmarks/kei_automatic_trials.py``; the tests at the end run with the trials swapped
in (``kei_automatic_trials.active``)."""

from __future__ import annotations

import tomllib
from unittest import mock

import numpy as np
import pytest
from conftest import benchmark_module, design_with, run_comp
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.catalogue import powertrain as cat_pt
from keidesign.cli import main
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.components import CycleComp
from keidesign.energy.cycles import segments
from keidesign.errors import InputError

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")

SEG = segments(("udds_bag1", "hwfet"))
X = {"m_eff": np.array([[1200.0]]), "f0": np.array([[110.0]]), "f1": np.array([[1.0]]),
     "f2": np.array([[0.42]]), "vd": np.array([[1.5]]), "k_lo": np.array([[44.0]]),
     "k_hi": np.array([[11.8]]), "t_r": np.array([[142.5]]), "p_r": np.array([[80e3]]),
     "w_r": np.array([[628.0]])}
#: A kei van's kernel inputs (0.66 L, 63 N m, the Every's 4AT overall ratios).
KEI = {"m_eff": np.array([[1075.0]]), "f0": np.array([[85.0]]), "f1": np.array([[0.9]]),
       "f2": np.array([[0.40]]), "vd": np.array([[0.658]]), "k_lo": np.array([[79.0]]),
       "k_hi": np.array([[19.1]]), "t_r": np.array([[63.0]]), "p_r": np.array([[37e3]]),
       "w_r": np.array([[628.0]])}


def _every_gear() -> dict:
    """The stored constants as the model before 7 Dec 2026 ran: ``"all"`` locks every
    automatic in every gear, no spin torque (``at_few_gears`` 0). The converter physics
    below is tested on it; the 3-4 speed class rule has its own tests."""
    return {**kc.ice_constants(), "at_few_gears": 0}


def _fuel(trans: str, lockup: str, x: dict = X, c: dict | None = None, **kw) -> np.ndarray:
    c = _every_gear() if c is None else c
    return pt.ice_cycle(SEG, x, trans, c, lockup=lockup, **kw)["fuel"]


def test_rules_are_the_catalogue_choices():
    assert pt.CONVERTER_LOCKUP == cat_pt.CONVERTER_LOCKUP == ("all", "top", "none")


@pytest.mark.parametrize("trans,lockup,gear", [
    ("at4", "all", 0), ("at4", "top", 3), ("at4", "none", 4), ("at3", "top", 2),
    ("at3", "none", 3), ("at6", "top", 5), ("at8", "none", 8), ("mt5", "none", 0),
    ("cvt", "top", 0), ("dct6", "none", 0), ("amt5", "none", 0)])
def test_lockup_gear(trans, lockup, gear):
    assert pt.lockup_gear(trans, lockup) == gear


@pytest.mark.parametrize("trans,few,gear", [
    ("at4", 4, 3), ("at3", 4, 2), ("at4", 0, 0), ("at5", 4, 0), ("at6", 4, 0),
    ("mt5", 4, 0), ("cvt", 4, 0)])
def test_all_locks_a_three_or_four_speed_in_its_top_gear(trans, few, gear):
    """Since 7 Dec 2026 a design's "all" locks a 3-4 speed automatic (``[ice]
    at_few_gears``, 4) in its top gear only; 0 is the model before (every gear)."""
    assert pt.lockup_gear(trans, "all", few) == gear
    c = kc.ice_constants()
    assert c["at_few_gears"] == 4
    if few == 4:  # the shipped constants: "all" is "top" on a 3-4 speed, in the kernel too
        nospin = {**c, "at_spin_nm": 0.0}
        same = np.array_equal(_fuel(trans, "all", c=nospin), _fuel(trans, "top", c=nospin))
        assert same == (gear > 0 or pt.FAMILY[trans] != "automatic")


def _loads(trans: str, c: dict, lockup: str = "all") -> tuple:
    seen = []

    def law(s):
        seen.append(s)
        return pt.willans_loads(s)

    pt.ice_cycle(SEG, KEI, trans, c, lockup=lockup, load_law=law)
    return seen[0], law(seen[0])


@pytest.mark.parametrize("lockup", ["all", "none"])
def test_spin_torque_adds_its_power_while_moving_on_the_few_speeds_only(lockup):
    """``willans_loads``: ``P_b' = P_b + T_spin w [v > 0]`` on a 3-4 speed automatic
    (``spin_torque``, ``[ice] at_spin_nm``), to rounding; nothing while standing, the
    friction and standing terms untouched; a 6AT, a manual and a CVT unchanged to the bit;
    the stored torque costs a kei 4AT fuel."""
    c = kc.ice_constants()
    c0, c2 = {**c, "at_spin_nm": 0.0}, {**c, "at_spin_nm": 2.0}
    s0, (pe0, p00, st0) = _loads("at4", c0, lockup)
    s2, (pe2, p02, st2) = _loads("at4", c2, lockup)
    np.testing.assert_array_equal(s0.w, s2.w)
    moving = s0.tr.vb > 0.0
    assert moving.any() and (~moving).any()
    np.testing.assert_allclose(pe2 - pe0, 2.0 * s0.w * moving, rtol=1e-9, atol=1e-6)
    np.testing.assert_array_equal(p00, p02)
    np.testing.assert_array_equal(st0, st2)
    for trans in ("at6", "mt5", "cvt"):
        np.testing.assert_array_equal(_loads(trans, c0)[1][0], _loads(trans, c2)[1][0])
    f0 = pt.ice_cycle(SEG, KEI, "at4", c0, lockup=lockup)["fuel"]
    f = pt.ice_cycle(SEG, KEI, "at4", c, lockup=lockup)["fuel"]
    assert np.all(f > f0 * 1.005)


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="converter_lockup = 'some'.*all, top, none"):
        pt.lockup_gear("at4", "some")


def test_speed_ratio_only_in_the_open_gears_while_driving():
    idx = np.array([[0, 1, 2, 3, 2, 3]])
    p_t = np.array([[5e3, 5e3, 5e3, 5e3, -2e3, -2e3]])  # W into the converter
    w_t = np.full((1, 6), 150.0)
    t_r = np.array([[100.0]])
    nu = pt.converter_speed_ratio(idx, 3, w_t, p_t, t_r)
    assert np.all(nu[0, :3] < 1.0) and np.all(nu[0, 3:] == 1.0)
    np.testing.assert_array_equal(pt.converter_speed_ratio(idx, 0, w_t, p_t, t_r), 1.0)
    nu4 = pt.converter_speed_ratio(idx, 4, w_t, p_t, t_r)
    assert nu4[0, 3] < 1.0 and np.all(nu4[0, 4:] == 1.0)  # coasting: geared speed


def test_capacity_law_slip_solves_the_coupling_equation():
    """``s / (1 - s)^3 = B`` (the linear coupling-range capacity) to second order in B;
    more slip with more power, less with more speed, capped at the coupling point; a
    higher stall speed (a looser converter) slips more."""
    t_r = np.array([[100.0]])
    w_t = np.array([[100.0, 150.0, 200.0, 200.0, 40.0]])
    p_t = np.array([[4e3, 4e3, 4e3, 8e3, 30e3]])
    idx = np.zeros((1, 5), int)
    nu = pt.converter_speed_ratio(idx, 4, w_t, p_t, t_r, 2400.0)
    s = 1.0 - nu
    b = ((1.0 - pt.TC_COUPLING_RATIO) * p_t * (2400.0 * pt.RPM) ** 2 / (t_r * w_t**3))
    exact = s / (1.0 - s) ** 3
    np.testing.assert_allclose(exact[0, 1:4], b[0, 1:4], rtol=0.05)  # B 0.05-0.11
    assert s[0, 0] > s[0, 1] > s[0, 2] and s[0, 3] > s[0, 2]
    assert s[0, 4] == pytest.approx(1.0 - pt.TC_COUPLING_RATIO, abs=0.01)
    loose = 1.0 - pt.converter_speed_ratio(idx, 4, w_t, p_t, t_r, 3000.0)
    assert np.all(loose[0, :4] > s[0, :4])
    assert pt.TC_STALL_RPM == 2500.0


@pytest.mark.parametrize("trans", ["at3", "at4", "at6"])
def test_open_converter_never_improves_economy(trans):
    """Fuel of every segment: locked in every gear <= top gear only <= never locked;
    more fuel on the city segment than on the highway, where the top gear carries it."""
    f_all, f_top, f_none = (_fuel(trans, lk) for lk in pt.CONVERTER_LOCKUP)
    assert np.all(f_top >= f_all) and np.all(f_none >= f_top)
    gain = f_none / f_all - 1.0
    assert gain[0, 0] > 0.005 and gain[0, 0] > gain[0, 1] >= 0.0
    k_all, k_none = (_fuel(trans, lk, KEI, idle_stop=True) for lk in ("all", "none"))
    assert np.all(k_none > k_all)  # a kei engine too, with idle stop


def test_speed_ratio_one_is_the_locked_converter():
    """With the speed ratio held at 1 an open converter is the locked one, bit for bit;
    so is a converter too stiff to slip (stall speed 1 rpm)."""
    ones = mock.patch.object(pt, "converter_speed_ratio",
                             lambda idx, *a, **k: np.ones(np.shape(idx)))
    with ones:
        np.testing.assert_array_equal(_fuel("at4", "none"), _fuel("at4", "all"))
    with mock.patch.object(pt.converter_speed_ratio, "__defaults__", (1.0, 0.0)):
        np.testing.assert_allclose(_fuel("at4", "none"), _fuel("at4", "all"), rtol=1e-6)


@pytest.mark.parametrize("trans", ["mt5", "cvt", "dct6"])
def test_rule_does_not_touch_other_transmissions(trans):
    np.testing.assert_array_equal(_fuel(trans, "none"), _fuel(trans, "all"))


def test_engine_turns_at_geared_speed_over_nu():
    c = _every_gear()
    tr = pt.Trace.of(SEG)
    pe = np.maximum(pt.wheel_power(X, tr), 0.0) / 0.95 + c["acc_kw"] * 1e3
    w, w_g = pt._cycle_engine_speed(X, tr, pe, "at4", c, False, "none")
    w1, w_g1 = pt._cycle_engine_speed(X, tr, pe, "at4", c, False, "all")
    np.testing.assert_array_equal(w_g, w_g1)  # the gear choice does not move
    assert np.all(w >= w1 - 1e-9)
    driving = (pe > c["acc_kw"] * 1e3 + 1.0) & (w_g > 2 * c["idle_rpm"] * pt.RPM)
    assert np.all(w[driving] > w1[driving])


VALS = {"energy:road:m_eff": 1077.0, "energy:road:f0": 100.0, "energy:road:f1": 0.9,
        "energy:road:f2": 0.45, "mass:test": 1046.0,
        "powertrain:overall_ratio_low": 46.0, "powertrain:overall_ratio_high": 11.0,
        "powertrain:ice:displacement": 658.0, "powertrain:ice:power": 43.0,
        "powertrain:ice:torque": 65.0}


def test_partials_with_the_open_converter():
    prob = run_comp(CycleComp(kind="ice", transmission="at4", converter_lockup="none"),
                    **VALS)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=2e-6)
    locked = run_comp(CycleComp(kind="ice", transmission="at4"), **VALS)
    for out in ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:wltc_km_per_l"):
        assert prob.get_val(out)[0] < locked.get_val(out)[0], out


@pytest.mark.parametrize("changes,what", [
    ({}, "powertrain.transmission = 'mt5'"),
    ({"powertrain.transmission": "cvt"}, "powertrain.transmission = 'cvt'"),
    ({"powertrain.transmission": "dct6"}, "powertrain.transmission = 'dct6'"),
    ({"powertrain.transmission": "at4", "powertrain.ice.hybrid": "hev"}, "a hybrid")])
def test_design_key_only_for_a_torque_converter_automatic(changes, what):
    with pytest.raises(InputError) as e:
        design_with("carry_class", {**changes, "powertrain.converter_lockup": "none"})
    msg = str(e.value)
    assert "\n" not in msg and f"powertrain.converter_lockup = 'none' for {what}" in msg
    assert "allowed: 'all'" in msg and "'top' or 'none' only for" in msg


def test_design_key_values():
    d = design_with("carry_class", {"powertrain.transmission": "at3",
                                    "powertrain.converter_lockup": "none"})
    assert d.values["powertrain:converter_lockup"] == "none"
    assert design_with("carry_class").values["powertrain:converter_lockup"] == "all"
    assert design_with("carry_class", {"powertrain.converter_lockup": "all"})
    with pytest.raises(InputError, match="converter_lockup.*'open'.*all.*top.*none"):
        design_with("carry_class", {"powertrain.transmission": "at4",
                                    "powertrain.converter_lockup": "open"})


SPEC = """[vehicle]
name = "lock-up test van"
model_year = 2021
market = "jdm"
seats = 4
drive = "rwd"
layout = "underfloor"
use = "goods"

[dimensions]
length = 3395
width = 1475
height = 1890
wheelbase = 2430

[mass]
curb = "900 kg"

[engine]
displacement = 658
power = 37
torque = 63
cylinders = 3
turbo = false

[transmission]
"""


def test_spec_file_key_reaches_the_design(tmp_path):
    spec = tmp_path / "van.toml"
    spec.write_text(SPEC + 'type = "automatic"\ngears = 4\nlockup = "none"\n',
                    encoding="utf-8")
    out = tmp_path / "van_design.toml"
    assert main(["import", "spec", str(spec), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert tomllib.loads(text)["powertrain"]["converter_lockup"] == "none"
    assert "transmission.lockup" in text  # its basis in the comment
    spec.write_text(SPEC + 'type = "4AT"\n', encoding="utf-8")
    assert main(["import", "spec", str(spec), "-o", str(out), "--force"]) == 0
    assert "converter_lockup" not in tomllib.loads(out.read_text())["powertrain"]


@pytest.mark.parametrize("trans", ['type = "manual"\ngears = 5', 'type = "cvt"', ""])
def test_spec_file_key_refused_without_a_converter(tmp_path, trans):
    from keidesign.specs.sources import user_spec

    spec = tmp_path / "van.toml"
    spec.write_text(SPEC + trans + '\nlockup = "top"\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        user_spec(spec)
    msg = str(e.value)
    assert "\n" not in msg and "transmission.lockup = 'top'" in msg
    assert "allowed: 'all' for every car, 'top' or 'none' only for a torque-converter" in msg


def test_kei_imports_write_the_key_where_the_list_names_no_ltc():
    ka = benchmark_module("kei_automatic")
    for r in ka.rows():
        text = ka.spec_text(r)
        assert ('lockup = "none"' in text) == (r["family_type"] == "automatic"
                                               and r["lockup"] == "no"), r["config"]
        assert "lockup" not in ka.spec_text(r, lockup=False)
    assert any(r["lockup"] == "no" for r in ka.rows())
    mk = benchmark_module("mlit_kei")
    cases, _ = mk.cases()
    seen = set()
    for c in cases:
        if c["trans"] != "automatic":
            assert "lockup" not in mk.spec_text(c)
            continue
        ltc = "LTC" in c["row"]["transmission"]
        seen.add(ltc)
        assert ('lockup = "none"' in mk.spec_text(c)) != ltc, c["row"]["transmission"]
    assert seen == {True, False}


# --- the first trial (benchmarks/kei_automatic_trials.py), swapped in -------------------
kat = benchmark_module("kei_automatic_trials")


@pytest.fixture
def trials():
    with kat.active():
        yield


def test_trial_lockup_rule():
    assert kat.trial_lockup("at4") == kat.trial_lockup("at3") == "top"
    assert kat.trial_lockup("at5") == kat.trial_lockup("mt5") == kat.trial_lockup("cvt") \
        == "all"


def test_trial_constant_ratio_in_the_four_speed_only(trials):
    idx = np.array([[0, 1, 2, 3, 2]])
    p_t = np.array([[5e3, 5e3, 5e3, 5e3, -2e3]])
    np.testing.assert_array_equal(kat.constant_speed_ratio(idx, 3, p_t, 0.9),
                                  [[0.9, 0.9, 0.9, 1.0, 1.0]])
    base = {**_every_gear(), "tc_open_ratio": 1.0}
    slip = {**base, "tc_open_ratio": 0.9}
    f4 = [pt.ice_cycle(SEG, X, "at4", c)["fuel"] for c in (base, slip)]
    gain = f4[1] / f4[0] - 1.0
    assert gain[0, 0] > 0.03 and 0.0 <= gain[0, 1] < gain[0, 0]
    np.testing.assert_array_equal(f4[0], _fuel("at4", "all"))  # nu = 1: locked
    f6 = [pt.ice_cycle(SEG, X, "at6", c)["fuel"] for c in (base, slip)]
    np.testing.assert_array_equal(f6[0], f6[1])


def test_trial_stall_speed_is_the_shipped_law_on_trial_lockup(trials):
    """The capacity-law trial (``tc_stall_rpm``) is the shipped converter with the
    trial's lock-up rule (top gear of a 3-4 speed automatic) where the design says
    "all", and the design's own rule where it says another."""
    c = _every_gear()
    cs = {**c, "tc_stall_rpm": pt.TC_STALL_RPM}
    np.testing.assert_array_equal(pt.ice_cycle(SEG, X, "at4", cs)["fuel"],
                                  _fuel("at4", "top"))
    np.testing.assert_array_equal(pt.ice_cycle(SEG, X, "at4", cs, lockup="none")["fuel"],
                                  _fuel("at4", "none"))
    np.testing.assert_array_equal(pt.ice_cycle(SEG, X, "at6", cs)["fuel"],
                                  _fuel("at6", "all"))
