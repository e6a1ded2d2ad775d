"""Published compression ratios of the US small-car engines (us_specs.csv columns
``compression_ratio``, ``_source``, ``_status``; issue 13): read per engine of a
generation, joined to the EPA test cars and to the specs-only import; a car whose engine
has no published ratio gets the US class default, marked assumed."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.specs import sources
from keidesign.specs.build import build_design


def _car(pred) -> tc.TestCar:
    return next(car for car in tc.test_cars() if pred(car))


def _ice_entry(spec, key: str):
    tables = build_design(spec, predict=True)[1]
    table = next(t for t in tables if t.name == "powertrain.ice")
    return next(e for e in table.entries if e.key == key)


def test_ratio_read_per_engine_of_a_generation():
    """The 2012-18 Focus row names its 2.0 GDI (12.0, Ford's own page: V); the Sonic row
    names the 1.4 turbo (9.5) and the 1.8 NA (10.5) under separate keys; the SX4 row names
    no engine, so a 2011 SX4 has no published ratio."""
    focus = _car(lambda c: c.make == "FORD" and c.model == "FOCUS" and c.year == 2014
                 and abs(c.vd - 2.0) < 0.05)
    er = tc.engine_ratio(focus, False)
    assert er is not None and er.ratio == 12.0 and er.status == "V" and "ford" in er.source
    assert focus.compression_ratio == 12.0
    sonic_t = _car(lambda c: c.make == "CHEVROLET" and c.model.startswith("SONIC")
                   and abs(c.vd - 1.4) < 0.05 and c.turbo)
    sonic_na = _car(lambda c: c.make == "CHEVROLET" and c.model.startswith("SONIC")
                    and abs(c.vd - 1.8) < 0.05)
    assert sonic_t.compression_ratio == 9.5
    assert sonic_na.compression_ratio == 10.5 and tc.engine_ratio(sonic_na, False).ratio == 10.5
    sx4 = _car(lambda c: c.make == "SUZUKI" and c.model.startswith("SX4") and c.year == 2011)
    assert sx4.compression_ratio == 0.0 and tc.engine_ratio(sx4, False) is None
    # the turbo flag must agree: no NA 1.4 in the Sonic rows
    assert tc.engine_ratio(sonic_t, False) is None


def test_bad_cell_names_line_field_and_form():
    with pytest.raises(ValueError, match=r"line 7: compression_ratio 1\.5T='7\.5'.*8-15"):
        tc.engine_ratios(7, {"compression_ratio": "1.5T=7.5", "compression_ratio_source":
                             "1.5T=x", "compression_ratio_status": "1.5T=R"})
    with pytest.raises(ValueError, match=r"status 'A'"):
        tc.engine_ratios(7, {"compression_ratio": "1.5T=10", "compression_ratio_source":
                             "1.5T=x", "compression_ratio_status": "1.5T=A"})
    with pytest.raises(ValueError, match="compression_ratio entry '10.6'"):
        tc.engine_ratios(7, {"compression_ratio": "10.6"})
    with pytest.raises(ValueError, match=r"line 7: compression_ratio entry '2.0@160-140=11.5'"):
        tc.engine_ratios(7, {"compression_ratio": "2.0@160-140=11.5"})


def test_horsepower_range_separates_two_engines_of_one_displacement():
    """A generation with two 2.0 L NA engines (Mazda3 BL: the MZR 2.0 of 144-148 hp, the
    2012 SKYACTIV-G 2.0 DI of 154-155 hp) keys each by a rated-horsepower range; a car
    outside every range of its displacement gets no published ratio."""
    row = {"compression_ratio": "2.0@140-150=10;2.0@150-160=12;1.4T=9.5",
           "compression_ratio_source": "2.0@140-150=a;2.0@150-160=b;1.4T=c",
           "compression_ratio_status": "2.0@140-150=R;2.0@150-160=R;1.4T=R"}
    mzr, sky, turbo = tc.engine_ratios(7, row)
    assert (mzr.displacement, mzr.turbo, mzr.hp_range) == (2.0, False, (140.0, 150.0))
    assert turbo.hp_range is None and turbo.turbo
    old = _car(lambda c: c.make == "MAZDA" and c.year == 2011 and abs(c.vd - 2.0) < 0.05
               and c.hp < 150)
    new = _car(lambda c: c.make == "MAZDA" and c.model == "Mazda 3 DI 4-Door" and c.hp > 150)
    assert mzr.fits(old, False) and not sky.fits(old, False)
    assert sky.fits(new, None) and not mzr.fits(new, None)
    # the shipped Mazda3 BL row carries the two entries
    assert tc.engine_ratio(old, False).ratio == 10.0 == old.compression_ratio
    assert tc.engine_ratio(new, False).ratio == 12.0 == new.compression_ratio


def test_no_ratio_outside_the_ranges_or_when_entries_disagree(monkeypatch):
    """A car outside every horsepower range of its displacement, or fitted by two entries
    with different ratios, gets no published ratio (no guess)."""
    old = _car(lambda c: c.make == "MAZDA" and c.year == 2011 and abs(c.vd - 2.0) < 0.05
               and c.hp < 150)
    row = {"compression_ratio": "2.0@140-150=10;2.0@150-160=12",
           "compression_ratio_source": "2.0@140-150=a;2.0@150-160=b",
           "compression_ratio_status": "2.0@140-150=R;2.0@150-160=R"}
    monkeypatch.setattr(tc, "us_specs_matches", lambda car: [(7, row)])
    assert tc.engine_ratio(old, False).ratio == 10.0
    assert tc.engine_ratio(dataclasses.replace(old, hp=170.0), False) is None
    row = {"compression_ratio": "2.0@140-150=10;2.0=11",
           "compression_ratio_source": "2.0@140-150=a;2.0=b",
           "compression_ratio_status": "2.0@140-150=R;2.0=R"}
    monkeypatch.setattr(tc, "us_specs_matches", lambda car: [(7, row)])
    assert tc.engine_ratio(old, False) is None
    assert tc.engine_ratio(dataclasses.replace(old, hp=170.0), False).ratio == 11.0


def test_import_takes_the_published_ratio_as_a_fact():
    civic = _car(lambda c: c.model == "CIVIC 4DR SEDAN 1.5L" and c.turbo)
    spec = sources.epa_spec(car=civic)
    e = _ice_entry(spec, "compression_ratio")
    assert e.value == 10.6 and not e.assumed and "us_specs.csv line" in e.note


def test_import_missing_ratio_gets_the_us_class_default_marked_assumed():
    """A US car with no published ratio: the US class default of its turbo flag (not the
    kei one), marked assumed, with its basis named."""
    sx4 = _car(lambda c: c.make == "SUZUKI" and c.model.startswith("SX4")
               and tc.label_for(c) is not None)
    e = _ice_entry(sources.epa_spec(car=sx4), "compression_ratio")
    assert e.assumed and e.value == pt.US_COMPRESSION_RATIO_DEFAULT[False]
    assert "US_COMPRESSION_RATIO_DEFAULT" in e.note
    assert pt.US_COMPRESSION_RATIO_DEFAULT[True] != pt.COMPRESSION_RATIO_DEFAULT[True]


def test_us_defaults_are_the_published_averages():
    """The US class defaults are the means over the distinct engines of us_specs.csv
    (an engine named in several generations, or for a horsepower range, counted once)."""
    engines = {}
    for line, row in tc._us_specs():
        for e in tc.engine_ratios(line, row):
            engines[(e.displacement, e.turbo, e.ratio, e.source)] = e
    for turbo in (False, True):
        vals = [e.ratio for e in engines.values() if e.turbo == turbo]
        assert len(vals) >= 4
        assert pt.US_COMPRESSION_RATIO_DEFAULT[turbo] == pytest.approx(np.mean(vals), abs=0.05)


def test_epa_rows_scaled_by_their_ratio():
    """In ``published`` mode a row's Willans efficiency is scaled by its own ratio (else
    the US default of its turbo flag); ``reference`` leaves every row at 1 (the trial of
    ``benchmarks/ice_fit_trials.py``; the shipped calibration runs every row at 1)."""
    ift = benchmark_module("ice_fit_trials")
    cars = [_car(lambda c: c.make == "FORD" and c.model == "FOCUS" and c.year == 2014
                 and abs(c.vd - 2.0) < 0.05),
            _car(lambda c: c.make == "SUZUKI" and c.model.startswith("SX4")
                 and c.year == 2011)]
    c = cal.fixed_constants()
    c["epa_rows"]["compression_ratio"] = "published"
    f = ift.compression_factors(cars, c)
    assert f[0] == pytest.approx(pt.compression_efficiency(12.0, False))
    assert f[1] == pytest.approx(pt.compression_efficiency(
        pt.US_COMPRESSION_RATIO_DEFAULT[False], False))
    c["epa_rows"]["compression_ratio"] = "reference"
    assert np.all(ift.compression_factors(cars, c) == 1.0)
    c["epa_rows"]["compression_ratio"] = "typo"
    with pytest.raises(ValueError, match="epa_rows.compression_ratio 'typo'"):
        ift.compression_factors(cars, c)
