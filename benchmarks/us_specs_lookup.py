"""The import's ``us_specs.csv`` lookups: the indices against the row-by-row scans they replaced.

    python benchmarks/us_specs_lookup.py [--rows N] [--repeat N]

Importing a ``us_specs.csv`` row (``keidesign import vehicle``, ``sources.row_spec``)
looks for the row's EPA test car (``sources._epa_twin``): before December 2026 it ran
``us_specs_for`` on every EPA test car (732), each a scan of every ``us_specs.csv`` row
(134) with its model years parsed by a regular expression (``us_specs_matches``), about
0.46 s per import. Now ``us_specs_matches`` reads a make / model index built once per
loaded file and ``_epa_twin`` the test cars grouped once by their row. The scans are
kept here (:func:`scan_matches`, :func:`scan_epa_twin`: the old code, the baseline of
this benchmark and the reference of ``tests/test_us_specs_lookup.py``, which holds the
indexed lookups to them on every EPA test car and every ``us_specs.csv`` row).

Printed, medians of ``--repeat`` runs, old and new measured in the same run, with the
ratio old / new:
  1. ``us_specs_matches`` on every EPA test car;
  2. the import of the first ``--rows`` rows of ``us_specs.csv`` (``row_spec``), the
     indices already built; and the first import of a fresh process's state (the
     indices built in it);
  3. the EPA test-car load (``test_cars`` with its cache cleared: every car's
     published compression ratio goes through ``us_specs_matches``).
No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
from unittest import mock

os.environ.setdefault("OPENMDAO_REPORTS", "0")

from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from keidesign.energy import testcars as tc  # noqa: E402
from keidesign.specs import sources  # noqa: E402


def scan_matches(car: tc.TestCar) -> list[tuple[int, dict[str, str]]]:
    """``us_specs_matches`` as it was: every row of the file, its model years, then its
    ``epa_model`` items (first word of the make, :func:`tc._norm` of the model)."""
    out = []
    make = car.make.split()[0]
    for line, r in tc._us_specs():
        lo, hi = tc._model_years(r["model_years"])
        if not lo <= car.year <= hi:
            continue
        for item in r.get("epa_model", "").split("|"):
            mk, sep, model = item.strip().partition("::")
            mk, model = (mk.strip().upper(), model.strip()) if sep else (
                r["make"].strip().upper(), mk.strip())
            if model and mk.split()[0] == make and tc._norm(model) == tc._norm(car.model):
                out.append((line, r))
                break
    return out


def scan_epa_twin(sr: sources.SpecRow, year: int, spec: sources.Spec,
                  rows_for: list[sources.SpecRow | None] | None = None) -> tc.TestCar | None:
    """``sources._epa_twin`` as it was: every EPA test car whose ``us_specs_for`` row is
    ``sr``, then the one twin score (``sources.nearest_twin``: the nearest model year,
    then the spec's transmission, then its displacement within 60 cm3, the first in
    test-car order on a tie). ``rows_for``: every test
    car's ``us_specs_for`` row computed beforehand (the test's shortcut; None: computed
    here for every car, as the old code did on every import)."""
    cars = tc.test_cars()
    if rows_for is None:
        rows_for = [sources.us_specs_for(car) for car in cars]
    return sources.nearest_twin([car for car, s in zip(cars, rows_for, strict=True)
                                 if s == sr], year, spec)


def old_path():
    """Both scans in place of the indexed lookups (every binding the import reads)."""
    return (mock.patch.object(tc, "us_specs_matches", scan_matches),
            mock.patch.object(sources, "_epa_twin", scan_epa_twin))


def _timed(fn, repeat: int, old: bool) -> float:
    if not old:
        return median_time(fn, repeat)
    a, b = old_path()
    with a, b:
        return median_time(fn, repeat)


def _fresh() -> None:
    """Forget both indices (the state of a process that has imported nothing)."""
    tc._MATCH_INDEX[0] = None
    sources._TWIN_INDEX[0] = None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cars = tc.test_cars()
    rows = sources.vehicle_rows("us_specs")[:args.rows]

    def matches():
        for car in cars:
            tc.us_specs_matches(car)

    def imports():
        for vr in rows:
            sources.row_spec(vr)

    def first_import():
        _fresh()
        sources.row_spec(rows[0])

    def load():
        tc.test_cars.cache_clear()
        tc.test_cars()

    imports()  # warm the other caches of the import (label rows, CSV files)
    for what, fn in ((f"us_specs_matches x {len(cars)} test cars", matches),
                     (f"import of {len(rows)} us_specs rows", imports),
                     ("first import (indices built)", first_import),
                     ("test_cars() load", load)):
        t_old, t_new = _timed(fn, args.repeat, True), _timed(fn, args.repeat, False)
        print(f"{what:40s} old {1e3 * t_old:9.1f} ms   new {1e3 * t_new:8.1f} ms   "
              f"old / new {t_old / t_new:6.1f}x", flush=True)
    tc.test_cars.cache_clear()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
