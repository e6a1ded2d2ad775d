"""Kei torque-converter automatics against MLIT's WLTC figures (issue 13, 4 Dec 2026;
``keidesign/data/vehicles/kei_automatics.csv``, ``benchmarks/kei_automatic.py``).

The data are checked (every automatic has a twin of its family in the file, figures and
masses in range, each row says what was read and what assumed); the Jimny JB64 and the
Every DA17V pairs run through ``keidesign import spec`` and ``evaluate`` with the shipped
model. The model does not carry the automatic's step against its manual twin (published
-18.5 % and -15.1 %, model -0.2 % and -2.6 % with the Every's converter open since
4 Dec 2026, +0.9 % locked; -7.2 % and -8.5 % since the 3-4 speeds' spin torque shipped,
7 Dec 2026; docs/validation.md "Kei automatics"):
``test_step_of_the_automatic`` is an honest strict xfail that turns into a failure the day
a change closes it (then drop the mark and update the docs).
"""

from __future__ import annotations

import importlib
import sys

import pytest
from conftest import ROOT, benchmark_module

PAIRS = (("Jimny JB64 4AT", "Jimny JB64 5MT"), ("Every DA17V 2WD 4AT", "Every DA17V 2WD 5MT"))


def _probe():
    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("kei_automatic")


def test_data_rows_are_complete():
    ka = _probe()
    rows = ka.rows()
    by = {r["config"]: r for r in rows}
    autos = [r for r in rows if r["family_type"] == "automatic"]
    assert len(autos) >= 5 and len({r["family"] for r in autos}) >= 3
    for r in rows:
        assert 8.0 < float(r["wltc_km_per_L"]) < 30.0, r["config"]
        assert 600.0 < ka._mid(r["curb_mass_kg"]) < 1200.0, r["config"]
        assert r["verified"] and r["mlit_type"] and r["mlit_list"], r["config"]
        assert r["lockup"] in ("yes", "no", "-"), r["config"]
        # MLIT's type prefix: third letter A = passenger car, else the goods lists
        assert r["use"] == ("passenger" if r["mlit_type"][2] == "A" else "goods"), r["config"]
        if ka.spec_text(r) is not None:
            assert ('use = "goods"' in ka.spec_text(r)) == (r["use"] == "goods")
            assert 'use = "goods"' not in ka.spec_text(r, goods=False)
        if r["twin"]:
            assert by[r["twin"]]["family"] == r["family"], r["config"]
            assert by[r["twin"]]["drive"] == r["drive"], r["config"]
        # every row describable since 4 Dec 2026 (the Carry 3AT: transmission 'at3')
        assert "[transmission]" in ka.spec_text(r)


@pytest.fixture(scope="module")
def shipped():
    ka = _probe()
    names = {n for pair in PAIRS for n in pair}
    rows = [r for r in ka.rows() if r["config"] in names]
    return {r["config"]: float(r["wltc_km_per_L"]) for r in rows}, ka.run_rows(rows)


def test_pairs_run_and_stay_where_the_docs_say(shipped):
    published, model = shipped
    # docs/validation.md, "Kei automatics": the shipped model's WLTC errors
    # (the Every, a goods vehicle, at its goods WLTC test mass since 4 Dec 2026: +5.7 and
    # +25.8 % as a passenger car; the Jimny at the ladder-frame Cd 0.40 of offroad_cd.csv,
    # 7.5 / 31.7 % at the tall-boy 0.38 before)
    # (the Every 4AT, listed without LTC, imported with transmission.lockup = "none"
    # since 4 Dec 2026: +21.9 % with its converter locked in every gear)
    # (since the analytically derived EPA rows left the fit, 5 Dec 2026: the section's
    # second paragraph; 8.2 / 30.3 / 4.6 / 17.9 % after the refit with the manual's EPA
    # schedule, 6.2 / 30.1 / 2.5 / 17.6 % before it)
    # (since the 3-4 speeds' spin torque and top-gear lock-up shipped, 7 Dec 2026, task
    # s35h: 10.0 / 32.9 / 6.8 / 20.6 % before; the manuals move with the shared refit)
    quoted = {"Jimny JB64 5MT": 10.7, "Jimny JB64 4AT": 26.1, "Every DA17V 2WD 5MT": 7.6,
              "Every DA17V 2WD 4AT": 16.0}
    for name, pct in quoted.items():
        assert 100.0 * (model[name] / published[name] - 1.0) == pytest.approx(pct, abs=0.1)


@pytest.mark.xfail(strict=True, reason="the shipped model gives a kei 4AT less than half "
                   "its published step from its manual twin: -7.2 / -8.5 % (Jimny / "
                   "Every; -1.9 / -4.4 % before the 3-4 speeds' spin torque, 7 Dec 2026) "
                   "against the published -18.5 / -15.1 % (docs/validation.md, Kei "
                   "automatics)")
def test_step_of_the_automatic(shipped):
    published, model = shipped
    for at, mt in PAIRS:
        pub = published[at] / published[mt] - 1.0
        mod = model[at] / model[mt] - 1.0
        assert abs(mod - pub) < 0.05, (at, pub, mod)


def _trials():
    return benchmark_module("kei_automatic_trials")


def test_spin_loss_trial_extends_the_shipped_torque():
    """The spin-loss trial (``benchmarks/kei_automatic_trials.py``): the shipped 3-4
    speed spin torque (since 7 Dec 2026) where it applies, the trial's scopes beyond."""
    from keidesign.energy import constants as kc

    pt = _trials()

    from keidesign.energy import powertrains as shipped

    c = kc.ice_constants()
    # shipped since 7 Dec 2026 on the 3-4 speed automatics (powertrains.spin_torque):
    # the trial's torque is the shipped one there
    assert pt.spin_loss_torque("at4", c) == shipped.spin_torque("at4", c) == c["at_spin_nm"]
    assert c["at_spin_nm"] > 0.0
    c2 = {**c, "at_spin_nm": 2.0}
    assert pt.spin_loss_torque("at4", c2) == 2.0
    assert pt.spin_loss_torque("at6", c2) == 0.0  # default scope: 4 speeds or fewer
    assert pt.spin_loss_torque("at6", {**c2, "at_spin_scope": "automatic"}) == 2.0
    assert pt.spin_loss_torque("mt5", c2) == pt.spin_loss_torque("cvt", c2) == 0.0
    # the model before (no 3-4 speed class): the trial's own scope still applies
    c0 = {**c2, "at_few_gears": 0}
    assert shipped.spin_torque("at4", c0) == 0.0 and pt.spin_loss_torque("at4", c0) == 2.0


def test_idle_load_and_shift_trials_are_off_unless_their_constants_are_given():
    """The second round's trial rules (docs/validation.md, "Kei automatics, second
    round"): the converter's idle load in Drive and a 3-4 speed automatic's upshift speed
    act only with their constants, which calibration.toml does not carry (the trials
    live in ``benchmarks/kei_automatic_trials.py``)."""
    from keidesign.energy import constants as kc

    pt = _trials()

    c = kc.ice_constants()
    assert "tc_idle_stall_rpm" not in c and "at_shift_rpm" not in c
    assert pt.converter_idle_torque("at4", 63.0, c) is None
    assert pt.shift_speed("at4", c) == pt.shift_speed("mt5", c) == c["shift_rpm"]
    ci = {**c, "tc_idle_stall_rpm": 2500.0}
    # T = t_r (N_idle / N_s)^2: 63 N m x (750 / 2500)^2 = 5.67 N m at the shipped 750 rpm
    assert pt.converter_idle_torque("at3", 63.0, ci) == pytest.approx(
        63.0 * (c["idle_rpm"] / 2500.0) ** 2)
    assert pt.converter_idle_torque("at8", 63.0, ci) is not None  # every automatic
    assert pt.converter_idle_torque("at8", 63.0, {**ci, "tc_idle_scope": "at4"}) is None
    assert pt.converter_idle_torque("mt5", 63.0, ci) is None
    assert pt.converter_idle_torque("cvt", 63.0, ci) is None
    assert pt.converter_idle_torque("cvt", 63.0, {**ci, "tc_idle_scope": "converter"}) \
        is not None
    cs = {**c, "at_shift_rpm": 2500.0}
    assert pt.shift_speed("at3", cs) == pt.shift_speed("at4", cs) == 2500.0
    assert pt.shift_speed("at6", cs) == pt.shift_speed("mt5", cs) == c["shift_rpm"]
    assert pt.shift_load_speed("at4", c) == 0.0
    cl = {**c, "at_shift_load_rpm": pt.SUZUKI_4AT_SHIFT_LINE[1]}
    assert pt.shift_load_speed("at4", cl) == 3230.0 and pt.shift_load_speed("at6", cl) == 0.0


def test_load_dependent_shift_speed_refuses_the_top_gear_at_load():
    """The trial's gear rule (``kei_automatic_trials.gear_index_by_load``, the shipped
    ``powertrains.gear_index`` with a shift speed rising with the load): the threshold
    140 rad/s + 200 rad/s x load fraction; 1 kW is ~3-6 % of full load here, so 146-152
    rad/s: the top gear (150 rad/s, load 1 kW / p_full[2]) is refused; with no rise it is
    the shipped rule's choice."""
    import numpy as np

    from keidesign.energy import powertrains as pt

    kat = _trials()
    kg = np.array([[40.0, 25.0, 15.0]])       # rad/s per m/s, first gear first
    vb = np.array([10.0])                     # engine 400, 250, 150 rad/s
    rated = (np.array([[100.0]]), np.array([[50e3]]), np.array([[600.0]]))
    w = vb[0] * kg[0]
    p_full = pt._full_load_power(w[None, :], {"t_r": rated[0], "p_r": rated[1],
                                             "w_r": rated[2]}, False)[0]
    pe = np.array([[1e3]])
    assert 140.0 + 200.0 * 1e3 / p_full[2] > 150.0
    assert kat.gear_index_by_load(kg, vb, pe, *rated, 80.0, 140.0, False,
                                  w_load=200.0)[0, 0] == 1
    assert kat.gear_index_by_load(kg, vb, pe, *rated, 80.0, 140.0, False,
                                  w_load=0.0)[0, 0] == 2
    assert pt.gear_index(kg, vb, pe, *rated, 80.0, 140.0, False)[0, 0] == 2


@pytest.mark.parametrize("trans", ["at4", "at6", "cvt", "mt5"])
def test_trial_cycle_without_trial_terms_is_the_shipped_cycle(trans):
    """The trial's ICE cycle (``kei_automatic_trials.ice_cycle``: the shipped kernel run
    with the load law ``trial_loads`` through its ``load_law`` argument) with no trial
    constant gives the shipped kernel's every output bit for bit, and so does its load
    law with no trial constant against the shipped ``willans_loads``; with idle stop the
    idle-load trial does not act, and the two trials move the at4 only. The converter
    physics is not copied: the trial calls the shipped
    ``powertrains.converter_speed_ratio``."""
    import numpy as np

    from keidesign.energy import constants as kc
    from keidesign.energy import powertrains as pt
    from keidesign.energy.cycles import segments

    kat = _trials()
    seg = segments(("udds_bag1", "hwfet"))
    x = {"m_eff": np.array([[1200.0]]), "f0": np.array([[110.0]]),
         "f1": np.array([[1.0]]), "f2": np.array([[0.42]]), "vd": np.array([[1.5]]),
         "k_lo": np.array([[44.0]]), "k_hi": np.array([[11.8]]),
         "t_r": np.array([[142.5]]), "p_r": np.array([[80e3]]), "w_r": np.array([[628.0]])}
    c = kc.ice_constants()
    for idle_stop in (False, True):
        for lockup in ("all", "none"):  # the design's lock-up rule, passed on
            base = pt.ice_cycle(seg, x, trans, c, idle_stop=idle_stop, lockup=lockup)
            trial = kat.ice_cycle(seg, x, trans, c, idle_stop=idle_stop, lockup=lockup)
            assert trial.keys() == base.keys()
            for k in base:
                np.testing.assert_array_equal(trial[k], base[k])
    ci = {**c, "tc_idle_stall_rpm": 2500.0}
    np.testing.assert_array_equal(kat.ice_cycle(seg, x, trans, ci, idle_stop=True)["fuel"],
                                  pt.ice_cycle(seg, x, trans, c, idle_stop=True)["fuel"])
    base = pt.ice_cycle(seg, x, trans, c)["fuel"]
    for trial_c in ({"at_spin_nm": 2.0}, {"tc_idle_stall_rpm": 2500.0, "tc_idle_scope": "at4"}):
        moved = kat.ice_cycle(seg, x, trans, {**c, **trial_c})["fuel"]
        assert np.array_equal(moved, base) == (trans != "at4")


def test_trial_load_law_composes_on_the_given_law():
    """``kei_automatic_trials.ice_cycle`` puts its trial terms on top of the load law it
    is given (the shipped ``willans_loads`` by default): a caller's law passes through."""
    import numpy as np

    from keidesign.energy import constants as kc
    from keidesign.energy import powertrains as pt
    from keidesign.energy.cycles import segments

    kat = _trials()
    seg = segments(("udds_bag1",))
    x = {"m_eff": np.array([[850.0]]), "f0": np.array([[95.0]]), "f1": np.array([[0.6]]),
         "f2": np.array([[0.33]]), "vd": np.array([[0.66]]), "k_lo": np.array([[60.0]]),
         "k_hi": np.array([[14.0]]), "t_r": np.array([[63.0]]), "p_r": np.array([[38e3]]),
         "w_r": np.array([[680.0]])}
    c = {**kc.ice_constants(), "at_spin_nm": 2.0}
    seen = []

    def law(s):
        seen.append(s.trans)
        return pt.willans_loads(s)

    a = kat.ice_cycle(seg, x, "at4", c, load_law=law)["fuel"]
    np.testing.assert_array_equal(a, kat.ice_cycle(seg, x, "at4", c)["fuel"])
    assert seen == ["at4"]


def test_three_speed_automatic_is_described():
    """The Carry 3AT (MLIT WLTC 14.2 km/L) imports and runs as 'at3' (4 Dec 2026), with
    the 3AT gearing defaults (direct top gear)."""
    from keidesign.energy import powertrains as pt

    assert pt.GEARS["at3"] == 3 and pt.FAMILY["at3"] == "automatic"
    assert pt.TRANSMISSION_DEFAULTS["at3"]["ratio_high"] == 1.0
    ka = _probe()
    row = next(r for r in ka.rows() if r["config"] == "Carry DA16T 2WD 3AT")
    model = ka.run_rows([row])["Carry DA16T 2WD 3AT"]
    # docs/validation.md, "Kei automatics" (second paragraph, since the analytically
    # derived EPA rows left the fit, 5 Dec 2026; 18.28 / 18.91 after the refit with the
    # manual's schedule, 18.18 / 18.79 before; 18.74 / 19.38 before the 3-4 speeds' spin
    # torque and top-gear lock-up shipped, 7 Dec 2026): 17.98 km/L (+26.6 %) with its
    # converter open (listed without LTC: transmission.lockup = "none"); 18.36 km/L with
    # "all" (since 7 Dec 2026 a 3AT's "all" locks its top gear only)
    assert model == pytest.approx(17.98, abs=0.02)
    assert ka.run_rows([row], lockup=False)["Carry DA16T 2WD 3AT"] == pytest.approx(
        18.36, abs=0.02)
