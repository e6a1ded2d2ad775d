"""The EPA hybrids' engines at their published compression ratio (issue 13, hybrids).

An Atkinson engine's published (geometric) ratio is its expansion ratio; the HEV model
runs it through the one compression-ratio efficiency of the conventional engines
(``powertrains.compression_efficiency``), nothing fitted to hybrids.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc


@pytest.fixture(scope="module")
def hybrids():
    hyb = [car for car in tc.test_cars() if car.cls == "hybrid" and tc.hybrid_system(car)]
    return hyb, [tc.hybrid_system(car) for car in hyb]


def _system(hybrids, model: str, year: int) -> tc.HybridSystem:
    hyb, systems = hybrids
    return next(h for car, h in zip(hyb, systems, strict=True)
                if car.model.upper().startswith(model.upper()) and car.year == year)


def test_published_ratio_read_for_named_configurations(hybrids):
    assert _system(hybrids, "PRIUS Eco", 2016).compression_ratio == 13.0  # 2ZR-FXE
    assert _system(hybrids, "PRIUS c", 2012).compression_ratio == 13.4  # 1NZ-FXE (Aqua)
    assert _system(hybrids, "INSIGHT", 2019).compression_ratio == 13.5  # LEB, two-motor
    assert _system(hybrids, "IONIQ", 2017).compression_ratio == 13.0  # Kappa 1.6 GDi
    assert _system(hybrids, "INSIGHT", 2011).compression_ratio is None  # IMA: none found
    assert cal.hev_compression_ratio(_system(hybrids, "INSIGHT", 2011)) == 0.0
    assert cal.hev_compression_ratio(_system(hybrids, "PRIUS Eco", 2016)) == 13.0
    hyt = benchmark_module("hybrid_trials")
    assert hyt.hev_compression_ratio(_system(hybrids, "PRIUS Eco", 2016), "reference") == 0.0


def test_atkinson_engine_more_efficient_than_its_otto_twin(hybrids):
    """At the same operating points an engine at its published 13-13.5 expansion ratio
    burns less than the same engine at the reference 12.0; a row without a published
    ratio is unchanged, bit for bit."""
    hyb, systems = hybrids
    assert pt.compression_efficiency(13.0, False) > 1.0 > pt.compression_efficiency(11.0, False)
    c, fit, bev = cal.stored_fits()
    after = cal.predict_hev(hyb, c, fit, bev, systems)
    hyt = benchmark_module("hybrid_trials")  # the engines at the reference: the trial
    before = hyt.predict_hev(hyb, c, fit, bev, systems, "reference")
    np.testing.assert_array_equal(hyt.predict_hev(hyb, c, fit, bev, systems)["ftp"],
                                  after["ftp"])  # the shipped mode swaps nothing
    has = np.array([h.compression_ratio is not None for h in systems])
    assert has.sum() >= 9 and (~has).sum() >= 15
    for t in ("ftp", "hwfet"):
        gain = after[t][has] / before[t][has] - 1.0
        assert np.all(gain > 0.005) and np.all(gain < 0.05), t
        assert np.array_equal(after[t][~has], before[t][~has]), t


def test_bad_hybrid_ratio_is_refused():
    row = {"compression_ratio": "19", "compression_ratio_source": "x",
           "compression_ratio_status": "R"}
    with pytest.raises(ValueError, match=r"line 7: compression_ratio '19'.*8-15"):
        tc._hybrid_ratio(7, row)
    with pytest.raises(ValueError, match="status V or R"):
        tc._hybrid_ratio(3, {**row, "compression_ratio": "13.0",
                             "compression_ratio_status": "A"})
    with pytest.raises(ValueError, match="with a source"):
        tc._hybrid_ratio(3, {**row, "compression_ratio": "13.0",
                             "compression_ratio_source": " "})
    assert tc._hybrid_ratio(3, {**row, "compression_ratio": ""}) is None
    with pytest.raises(ValueError, match="'geometric': one of"):
        benchmark_module("hybrid_trials").hev_compression_ratio(tc.hybrid_systems()[0],
                                                                "geometric")
