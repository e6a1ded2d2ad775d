"""Engine technology of the EPA test cars (issue 13): the fueleconomy.gov engine
description joined to the label rows and test cars (direct injection), and the
``technology`` probe's direct-injection trial (``benchmarks/technology.py``), swapped
into the shipped engine model only inside its context."""

from __future__ import annotations

import sys
from dataclasses import replace

import numpy as np
import pytest
from conftest import ROOT, benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc

ICE = ("cvt", "automatic", "dct", "manual")


@pytest.fixture(scope="module")
def tech():
    if str(ROOT / "benchmarks") not in sys.path:  # the probes import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    import technology

    return technology


def _focus(year: int) -> tc.TestCar:
    return next(c for c in tc.test_cars() if c.make == "FORD" and c.model == "FOCUS"
                and c.year == year and abs(c.vd - 2.0) < 0.05 and tc.label_for(c) is not None)


def _label(dscr: str) -> tc.LabelRow:
    row = next(r for r in tc.label_rows() if r.atv == "")
    return replace(row, eng_dscr=dscr)


@pytest.mark.parametrize("dscr, di", [("SIDI", True), ("SIDI & PFI", True),
                                      ("SIDI; Stop-Start", True), ("SID", True),
                                      ("", False), ("Coupe or Conv.", False),
                                      ("PZEV", False)])
def test_engine_description_read_as_direct_injection(dscr, di):
    assert _label(dscr).direct_injection is di


def test_label_rows_carry_the_engine_description_of_their_record():
    rows = {r.id: r for r in tc.label_rows()}
    assert len(rows) == 5003
    assert sum(r.direct_injection for r in rows.values()) > 3000  # 'SIDI' rows of the file
    assert rows["31185"].eng_dscr == "SIDI"  # 2012 Focus 2.0 (fueleconomy.gov id 31185)


def test_test_cars_take_the_injection_of_their_label_row():
    """The 2011 Focus 2.0 was port-injected, the 2012 one direct-injected (Ford: 12:1
    compression with DI against 10:1 before; us_specs.csv)."""
    assert _focus(2011).direct_injection is False
    assert _focus(2012).direct_injection is True


def test_unjoined_configurations_take_the_engine_rows_or_none():
    cars = [c for c in tc.test_cars() if c.cls in ICE]
    unjoined = [c for c in cars if tc.label_for(c) is None]
    assert unjoined and any(c.direct_injection is not None for c in unjoined)
    assert any(c.direct_injection is None for c in unjoined)
    for c in unjoined:
        assert c.direct_injection == tc.engine_injection(c)


def test_trial_scales_direct_injection_only_inside_its_context(tech):
    c = {"e": 0.4}
    shipped = pt.with_compression(c, 12.0, False)["e"]
    cars = [_focus(2011), _focus(2012)]
    cf = cal.fixed_constants()
    ift = benchmark_module("ice_fit_trials")
    f0 = ift.compression_factors(cars, cf)
    current = {"di": True}
    with tech._injection(True, current):
        assert pt.with_compression(c, 12.0, False)["e"] == pytest.approx(
            shipped / (1.0 - tech.DI_FUEL_REDUCTION))
        current["di"] = None  # unknown: port injection's
        assert pt.with_compression(c, 12.0, False)["e"] == shipped
        f = ift.compression_factors(cars, cf)
        assert f[0] == f0[0] and f[1] == pytest.approx(f0[1] / (1.0 - 0.015))
    with tech._injection(False, {"di": True}):
        assert pt.with_compression(c, 12.0, False)["e"] == shipped
    assert pt.with_compression(c, 12.0, False)["e"] == shipped
    assert np.all(ift.compression_factors(cars, cf) == f0)


def test_explained_removes_a_descriptor_offset(tech):
    rng = np.random.default_rng(1)
    has = np.arange(40) < 15
    noise = rng.normal(0.0, 0.01, 40)
    err = noise + np.where(has, 0.08, -0.02)
    mae, best = tech.explained(err, has)
    assert mae > 0.03 and best < 0.012
    mae, best = tech.explained(noise, has)  # no offset: little to explain
    assert best == pytest.approx(mae, abs=0.002)
