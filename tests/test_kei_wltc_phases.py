"""The ``kei_wltc_phases`` probe (``benchmarks/kei_wltc_phases.py``; docs/validation.md,
"The kei WLTC optimism by phase"): its spied runs reproduce the kei WLTC check it takes
apart, its per-phase figures add up to the cycle's, and its interval-by-interval fuel
rebuild matches the kernel's phase fuel. Nothing is asserted about the errors."""

from __future__ import annotations

import numpy as np
from conftest import benchmark_module

from keidesign.energy import calibration as cal


def test_phases_reproduce_the_kei_check():
    probe = benchmark_module("kei_wltc_phases")
    rows = probe.run(0.0079)  # the shipped rolling coefficient (VehicleSpec.crr)
    check = {(r["model"], r["variant"]): r for r in cal.kei_wltc_check()
             if r["unit"] == "km/L"}
    assert len(rows) == len(check) == 13
    for r in rows:
        assert abs(r["error"] - check[(r["model"], r["variant"])]["error"]) < 1e-9
        ph = r["phases"]
        assert abs(sum(ph[p]["share"] for p in probe.PHASES) - 1.0) < 1e-12
        # the cycle figure is the distance-weighted harmonic mean of the phase figures
        km = np.array([ph[p]["share"] * ph[p]["km_l"] for p in probe.PHASES])
        assert abs(km.sum() - r["predicted"]) < 1e-9 * r["predicted"]
        if r["modes"]:
            for p in probe.PHASES:
                m = r["modes"][p]
                assert abs(m["rebuilt"] / m["kernel"] - 1.0) < 0.005
                assert abs(sum(m["parts"].values()) - m["rebuilt"]) < 1e-6 * m["rebuilt"]
    assert sum(1 for r in rows if r["modes"]) == 8  # the mild hybrids run hev_cycle
