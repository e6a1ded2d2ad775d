"""Japan's JC08 (kei catalogues before 2018): the shipped trace against the published
cycle parameters, the 0.25 cold / 0.75 hot composite, the JC08 test mass and the
``energy:jc08_*`` outputs (partials: tests/test_energy.py, test_partials_cycles and
test_group_totals_wrt_design_inputs cover every CycleComp output)."""

from __future__ import annotations

import numpy as np
import pytest

from keidesign.catalogue.mass import TEST_MASS_ADDER_KG
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import JC08_COLD_WEIGHT, jc08, load_trace, segments
from keidesign.energy.roadload import load_constants
from keidesign.energy.vehicle import (
    JC08_SEGMENTS,
    L_PER_GAL,
    VehicleSpec,
    jc08_test_mass,
    kernel_params,
    simulate,
    wltc_test_mass,
)


def test_trace_matches_published_parameters():
    """DieselNet / TransportPolicy.net: 1204 s, 8.171 km, 81.6 km/h max, 24.4 km/h mean,
    34.8 km/h excluding idle, idle ("load") ratio 29.7 % (cycles README: the trace gives
    8.159 km, -0.14 %, and 34.7 km/h)."""
    t, v = load_trace("jc08")
    assert t[0] == 0.0 and t[-1] == 1204.0 and np.all(np.diff(t) == 1.0)
    assert v[0] == 0.0 and v[-1] == 0.0
    kmh = v * 3.6
    d_km = float(np.sum(np.diff(t) * 0.5 * (v[1:] + v[:-1]))) / 1000.0
    assert d_km == pytest.approx(8.171, rel=2e-3)
    assert kmh.max() == pytest.approx(81.6, abs=1e-3)
    assert d_km / 1204.0 * 3600.0 == pytest.approx(24.4, abs=0.05)
    idle = float(np.mean(kmh[:-1] == 0.0))  # 1204 one-second intervals, t = 0..1203
    assert idle == pytest.approx(0.297, abs=0.001)
    assert d_km / (1204.0 * (1.0 - idle)) * 3600.0 == pytest.approx(34.8, abs=0.15)


def test_drive_test_is_a_cold_and_a_hot_run():
    d = jc08()
    assert [p.name for p in d.phases] == ["cold", "hot"]
    np.testing.assert_allclose(d.weights, [0.25, 0.75])
    assert d.distance == pytest.approx(segments(JC08_SEGMENTS).distance[0], rel=1e-12)


def test_composite_is_the_harmonic_weighting_of_the_two_runs():
    """0.25 x the cold run + 0.75 x the hot run, in L/km: the model's one run plus a
    quarter of the cold-start fuel is the same number (hand calculation on the kernel)."""
    spec = VehicleSpec(idle_stop=True)
    km_l = simulate([spec])["jc08_km_per_l"][0]
    q = {k: np.array([[val]]) for k, val in spec.quantities().items()}
    x = kernel_params("ice", "cvt", q)
    m = jc08_test_mass(spec.mass_test) / spec.mass_test
    x = dict(x, m_eff=x["m_eff"] * m, f0=x["f0"] * m)
    ice = pt.with_compression(kc.ice_constants(), 0.0, False)
    seg = segments(JC08_SEGMENTS)
    r = pt.ice_cycle(seg, x, "cvt", ice, idle_stop=True)
    lhv = float(load_constants()["fuel"]["lhv_kwh_per_galUS"])
    hot_l = r["fuel"][0, 0] / 3.6e6 / lhv * L_PER_GAL
    cold_l = (r["fuel"][0, 0] + r["cold"][0, 0]) / 3.6e6 / lhv * L_PER_GAL
    km = seg.distance[0] / 1000.0
    fe_hot, fe_cold = km / hot_l, km / cold_l
    assert km_l == pytest.approx(1.0 / (JC08_COLD_WEIGHT / fe_cold
                                        + (1.0 - JC08_COLD_WEIGHT) / fe_hot), rel=1e-9)
    assert fe_cold < km_l < fe_hot


def test_test_mass_is_curb_plus_110_for_every_vehicle():
    m_test = 1046.0
    curb = m_test - TEST_MASS_ADDER_KG
    assert jc08_test_mass(m_test) == pytest.approx(curb + 110.0)
    # WLTC, the WLTP rule: curb + 100 kg + 15 % of (4 x 55 - 100) kg for a passenger car,
    # 28 % of (payload - 100 kg) for a goods vehicle
    assert wltc_test_mass(m_test) == pytest.approx(curb + 118.0)
    assert wltc_test_mass(m_test, 460.0) == pytest.approx(curb + 100.0 + 0.28 * 360.0)
    r = simulate([VehicleSpec(mass_test=m_test), VehicleSpec(mass_test=m_test,
                                                              goods_payload=460.0)])
    # a goods vehicle's WLTC mass carries 28 % of its load, its JC08 mass does not
    assert r["wltc_km_per_l"][1] < r["wltc_km_per_l"][0]
    assert r["jc08_km_per_l"][1] == pytest.approx(r["jc08_km_per_l"][0], rel=1e-12)
    heavier = simulate([VehicleSpec(mass_test=m_test + 100.0)])["jc08_km_per_l"][0]
    assert heavier < r["jc08_km_per_l"][0]


def test_idle_stop_and_cold_start_weigh_as_the_cycle_says():
    """JC08 idles 29.7 % of the time (WLTC low+medium+high: less), so idle stop gains
    more on it; its cold start counts 0.25, the WLTC mode's 1."""
    r = simulate([VehicleSpec(), VehicleSpec(idle_stop=True)])
    gain_jc08 = r["jc08_km_per_l"][1] / r["jc08_km_per_l"][0]
    gain_wltc = r["wltc_km_per_l"][1] / r["wltc_km_per_l"][0]
    assert gain_jc08 > gain_wltc > 1.0
    c = load_constants()
    c0 = {**c, "ice": {**c["ice"], "cold_kwh_per_l": 0.0}}
    a, b = simulate([VehicleSpec()], constants=c), simulate([VehicleSpec()], constants=c0)
    loss_jc08 = 1.0 - a["jc08_km_per_l"][0] / b["jc08_km_per_l"][0]
    loss_wltc = 1.0 - a["wltc_km_per_l"][0] / b["wltc_km_per_l"][0]
    assert 0.0 < loss_jc08 < loss_wltc


def test_bev_reports_wh_per_km_only():
    r = simulate([VehicleSpec(kind="bev", mass_test=1206.0, power=47.0, torque=195.0)])
    assert r["jc08_km_per_l"][0] == 0.0
    assert 60.0 < r["jc08_wh_per_km"][0] < 200.0
    r_ice = simulate([VehicleSpec()])
    assert r_ice["jc08_wh_per_km"][0] == 0.0 and r_ice["jc08_km_per_l"][0] > 0.0


# ------------------------------------------------------------------ kei JC08 check
def test_kei_jc08_check_rows_and_report():
    """The kei JC08 check (docs/validation.md (g); nothing fitted to these rows): every
    kei.csv row with a JC08 figure, the kei trucks of the WLTC truck check with one and
    the Minicab MiEV Truck's 120 Wh/km; each with its WLTC error where it has a WLTC
    figure. Bounds of the state when this was written (python
    benchmarks/validation_probes.py jc08): ICE -26..+2 % (the model pessimistic on JC08:
    Mira e:S -25.9 %, trucks -7.4..+1.4 %, the Hijet 2WD 5MT +1.4 % with its published
    idle stop, 4 Dec 2026), Minicab -1.8 %. Since the ICE refit with the manual's EPA
    upshift schedule (5 Dec 2026; the JC08 keeps the shipped gear rule, the refitted
    constants move it): Mira e:S -24.7 %, trucks -6.6..+4.6 %, two optimistic (the
    Hijet 2WD 5MT +4.6 %, the Carry launch type +2.2 %). Since the analytically derived
    EPA rows left the ICE fit and ``road:crr_speed`` followed (5 Dec 2026; lower
    friction): about -23 % for the Mira e:S, trucks about -4..+8 %, the same two
    optimistic (the Hijet 2WD 5MT about +8 %, the Carry launch type about +5 %); the
    upper bound 6 -> 10 %. Since the 3-4 speed automatics' spin torque shipped (7 Dec
    2026, task s35h; the shared refit's ``pme0`` 1.108 -> 1.092 bar, no row here an
    automatic): every truck about +1 point, the two nearest zero cross it (the Hijet 2WD
    CVT -0.5 -> +0.4 %, the Super Carry -0.2 -> +0.9 %), so four optimistic; the Mira e:S
    -21.8 %, the Hijet 2WD 5MT +8.7 %."""
    from conftest import DESIGNS

    from keidesign.energy import calibration as cal
    from keidesign.validation import report

    cars = cal.kei_jc08_check()
    assert [(r["model"], r["set"]) for r in cars] == [("Daihatsu Mira e:S", "cases")]
    rows = cal.kei_jc08_check(DESIGNS)
    assert rows[:1] == cars
    kei = {(r["model"], r["variant"]) for r in cal.kei_rows() if r["jc08_km_per_L"]}
    assert kei <= {(r["model"], r["variant"]) for r in rows}
    trucks = [r for r in rows if r["set"] == "trucks" and r["unit"] == "km/L"]
    jc08 = {(t["model"], t["variant"]) for t in cal.kei_truck_rows() if t["jc08_km_per_L"]}
    wltc = [c[1:3] for c in cal.KEI_TRUCK_CASES if c[1:3] in jc08]
    only = [c[1:3] for c in cal.KEI_TRUCK_JC08_CASES]
    assert only and set(only) <= jc08
    assert [(r["model"], r["variant"]) for r in trucks] == wltc + only
    assert all(r["wltc_error"] is not None for r in trucks[:len(wltc)] + cars)
    # a JC08-era type runs at its own row's mass (the Carry's launch: 680-690 kg, MLIT)
    assert all(r["wltc_error"] is None for r in trucks[len(wltc):])
    assert trucks[len(wltc)]["curb"] == 685.0
    ice = [r for r in rows if r["unit"] == "km/L"]
    assert all(-0.30 < r["error"] < 0.10 for r in ice), ice
    assert sum(r["error"] < 0.0 for r in ice) == len(ice) - 4   # pessimistic but four
    ev = [r for r in rows if r["unit"] == "Wh/km"]
    assert len(ev) == 1 and ev[0]["measured"] == 120.0 and ev[0]["curb"] == 930.0
    assert abs(ev[0]["error"]) < 0.10
    md = "\n".join(report._jc08_markdown(rows))
    assert "### (g) Kei JC08 against the catalogues" in md
    e = np.array([r["error"] for r in ice])
    assert f"MAE {100 * np.mean(np.abs(e)):.1f} %, bias {100 * np.mean(e):+.1f} %" in md
