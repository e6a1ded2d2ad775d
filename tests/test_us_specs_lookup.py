"""The indexed ``us_specs.csv`` lookups give what the row-by-row scans they replaced gave.

``keidesign.energy.testcars.us_specs_matches`` reads a make / model index built once per
loaded file, and ``keidesign.specs.sources._epa_twin`` the EPA test cars grouped once by
their ``us_specs.csv`` row. The scans they replaced are kept in
``benchmarks/us_specs_lookup.py`` (the benchmark's baseline: ``scan_matches``, every
row, its model years, its ``epa_model`` items; ``scan_epa_twin``, every test car's row
compared with the imported one) as the reference, and compared on every EPA test car, on
a test car renamed to every ``epa_model`` item of the file at years in and around the
row's span, and on the EPA twin of every ``us_specs.csv`` row imported at its default
year and at its first model year. Timings: ``python benchmarks/us_specs_lookup.py``.
"""

from __future__ import annotations

import dataclasses

import pytest
from conftest import benchmark_module

from keidesign.energy import testcars as tc
from keidesign.specs import sources

#: The scans the indices replaced (the benchmark's baseline), kept as the reference.
_ref = benchmark_module("us_specs_lookup")
_scan_matches = _ref.scan_matches


def _same(a: list[tuple[int, dict]], b: list[tuple[int, dict]]) -> bool:
    """The same rows in the same order: equal lines, the very same row objects."""
    return len(a) == len(b) and all(x[0] == y[0] and x[1] is y[1]
                                    for x, y in zip(a, b, strict=True))


def _renamed_cars() -> list[tc.TestCar]:
    """A test car renamed to each ``epa_model`` item of the file (its own make or the
    ``Make::`` it names, the model as written, upper-cased and with its punctuation
    changed), at the row's first and last model year and one year either side."""
    base = tc.test_cars()[0]
    out = []
    for _, r in tc._us_specs():
        lo, hi = tc._model_years(r["model_years"])
        years = {lo - 1, lo, min(hi, 2031), min(hi, 2031) + 1}
        for item in r.get("epa_model", "").split("|"):
            mk, sep, model = item.strip().partition("::")
            make, model = (mk.strip(), model.strip()) if sep else (r["make"].strip(),
                                                                   mk.strip())
            if not model:
                continue
            for name in {model, model.upper(), model.replace(" ", "-") + "."}:
                for y in years:
                    out.append(dataclasses.replace(base, make=make.upper(), model=name,
                                                   year=y))
    return out


def test_matches_equal_the_row_scan_on_every_test_car():
    cars = tc.test_cars()
    assert len(cars) > 500
    found = 0
    for car in cars:
        new, ref = tc.us_specs_matches(car), _scan_matches(car)
        assert _same(new, ref), (car.year, car.make, car.model)
        found += bool(ref)
    assert found > 300  # the comparison is not between empty lists


def test_matches_equal_the_row_scan_on_every_epa_model_item():
    cars = _renamed_cars()
    assert len(cars) > 500
    found = 0
    for car in cars:
        new, ref = tc.us_specs_matches(car), _scan_matches(car)
        assert _same(new, ref), (car.year, car.make, car.model)
        found += bool(ref)
    assert 0 < found < len(cars)  # matches and misses (years outside the span) both


def test_the_index_follows_the_loaded_file(monkeypatch):
    """A reloaded ``us_specs.csv`` (another tuple from ``_us_specs``) rebuilds the index."""
    car = next(c for c in tc.test_cars() if tc.us_specs_matches(c))
    line, row = tc.us_specs_matches(car)[0]
    monkeypatch.setattr(tc, "_us_specs", lambda: ((line, dict(row)),))
    new = tc.us_specs_matches(car)
    assert len(new) == 1 and new[0][0] == line and new[0][1] is not row
    monkeypatch.undo()
    assert tc.us_specs_matches(car)[0][1] is row


@pytest.fixture(scope="module")
def scanned_rows_for():
    """Every test car's ``us_specs_for`` row with the matches of the row scan."""
    mp = pytest.MonkeyPatch()
    mp.setattr(tc, "us_specs_matches", _scan_matches)
    try:
        return [sources.us_specs_for(c) for c in tc.test_cars()]
    finally:
        mp.undo()


def test_epa_twin_equals_the_scan_on_every_us_specs_row(monkeypatch, scanned_rows_for):
    cars = tc.test_cars()
    assert [sources.us_specs_for(c) for c in cars] == scanned_rows_for
    calls = []
    shipped = sources._epa_twin

    def recording(sr, year, spec):
        twin = shipped(sr, year, spec)
        calls.append((sr, year, spec, twin))
        return twin

    monkeypatch.setattr(sources, "_epa_twin", recording)
    rows = sources.vehicle_rows("us_specs")
    for vr in rows:
        sources.row_spec(vr)
        sources.row_spec(vr, sources.SpecRow(vr.line, vr.row).years()[0])
    assert len(calls) == 2 * len(rows) > 200
    twins = 0
    for sr, year, spec, twin in calls:
        ref = _ref.scan_epa_twin(sr, year, spec, scanned_rows_for)
        assert twin is ref, (sr.line, year)
        twins += twin is not None
    assert twins > 100


def test_nearest_twin_orders_year_then_transmission_then_displacement():
    """The one twin score (``sources.nearest_twin``, called by ``_epa_twin`` and by the
    benchmark's scan): nearest model year first, then the spec's transmission, then its
    displacement within 60 cm3, the first of ``cands`` on a tie; None for no car."""
    base = tc.test_cars()[0]

    def car(year, trans, vd):
        return dataclasses.replace(base, year=year, trans=trans, vd=vd)

    spec = sources.Spec("x", "us_specs", "", [])
    spec.set("transmission", "cvt", "t")
    spec.set("displacement", 1000.0, "t")
    far = car(2010, "cvt", 1.0)
    other_t = car(2014, "manual", 1.0)
    other_d = car(2014, "cvt", 1.1)
    best = car(2014, "cvt", 1.05)
    assert sources.nearest_twin([far, other_t, other_d, best], 2014, spec) is best
    assert sources.nearest_twin([far, other_t, other_d], 2014, spec) is other_d
    assert sources.nearest_twin([far, other_t], 2014, spec) is other_t
    assert sources.nearest_twin([far], 2014, spec) is far
    tie = car(2014, "manual", 1.0)
    assert sources.nearest_twin([other_t, tie], 2014, spec) is other_t
    assert sources.nearest_twin([], 2014, spec) is None
