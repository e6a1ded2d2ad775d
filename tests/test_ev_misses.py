"""The EV misses probe (``benchmarks/ev_misses.py``, task s43c): its split of a target
into the model's terms, the twin-N/V lever and the (a) gap read as power and force."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.validation import roadload as rl


def _case(etw, cd, area, drag, c0, c1, ev):
    """A road-load case whose target is the model's own force (published Cd, motor drag)."""
    em = benchmark_module("ev_misses")

    def force(v):
        return (etw * em.G * (c0 + c1 * v) + 0.5 * em.RHO * cd * area * v**2
                + drag[0] * v + drag[1] * v**2)

    car = SimpleNamespace(etw=etw, road_load=force, cls="ev" if ev else "cvt", family="X",
                          year=2020)
    return rl.RoadLoadCase(car, cd, area, drag)


def test_implied_terms_return_the_model_terms_of_a_model_target():
    em = benchmark_module("ev_misses")
    c0, c1 = 0.0079, 9.1e-5
    cs = [_case(1500.0, 0.30, 2.4, (0.0, 0.0), c0, c1, False),
          _case(1800.0, 0.29, 2.5, (0.6, 0.005), c0, c1, True),
          _case(1300.0, 0.35, 2.6, (1.1, 0.011), 0.0065, c1, True)]
    cr, cda = em.implied_terms(cs, c1)
    v20 = 20.0 * rl.MPH
    assert cr == pytest.approx([c0 + c1 * v20, c0 + c1 * v20, 0.0065 + c1 * v20], rel=1e-12)
    assert cda == pytest.approx([0.30 * 2.4, 0.29 * 2.5, 0.35 * 2.6], rel=1e-12)
    # a lower rolling term shows in Cr only, a larger drag area in the slope only
    low = _case(1500.0, 0.30, 2.4, (0.0, 0.0), 0.005, c1, False)
    base = _case(1500.0, 0.30, 2.4, (0.0, 0.0), c0, c1, False).car.road_load
    big = rl.RoadLoadCase(SimpleNamespace(
        etw=1500.0, road_load=lambda v: base(v) + 0.5 * em.RHO * 0.1 * v**2),
        0.30, 2.4, (0.0, 0.0))
    cr2, cda2 = em.implied_terms([low, big], c1)
    assert cr2[0] == pytest.approx(0.005 + c1 * v20) and cda2[0] == pytest.approx(0.72)
    assert cda2[1] == pytest.approx(0.82) and cr2[1] > c0 + c1 * v20  # 20 mph holds some aero


def test_twin_nv_changes_only_the_kona_electric_and_lowers_its_drag():
    em = benchmark_module("ev_misses")
    cs = rl.cases()
    kona = [i for i, c in enumerate(cs) if c.car.cls == "ev" and c.car.family == "HYUNDAI KONA"]
    assert kona, "the 2019 Kona Electric row has a published Cd, width and height"
    out = em.at_twin_nv(cs)
    for i, (a, b) in enumerate(zip(cs, out, strict=True)):
        if i in kona:
            assert b.drag[0] < a.drag[0] and b.drag[1] < a.drag[1]
        else:
            assert b.drag == a.drag
    # at the row's own N/V the lever is the shipped drag
    same = em.at_twin_nv(cs, {"HYUNDAI KONA": cs[kona[0]].car.nv})
    assert same[kona[0]].drag == pytest.approx(cs[kona[0]].drag, rel=1e-12)


def test_gaps_read_the_record_as_power_and_force_consistently():
    em = benchmark_module("ev_misses")
    rows = em.gaps()
    assert len(rows) == 55
    td = em.cycle_time_distance()
    assert td["udds"][0] == pytest.approx(1369.0, abs=1.0)
    assert td["hwfet"][1] == pytest.approx(10.26, abs=0.02)
    for r in rows:
        for test, cyc in (("ftp", "udds"), ("hwfet", "hwfet")):
            g = r[test]
            t, d = td[cyc]
            assert g["kw"] * 1000.0 * t / 3600.0 == pytest.approx(g["wh_mi"] * d, rel=1e-9)
            assert g["n"] * em.METRES_PER_MILE / 3600.0 == pytest.approx(g["wh_mi"], rel=1e-9)
            # an optimistic model (error > 0) misses energy (gap > 0)
            assert np.sign(g["wh_mi"]) == np.sign(g["error"])
    ids = " ".join(r["id"].upper() for r in rows)
    assert all(f in ids for f in em.FTP_FAMILIES)
