"""EV packs of data/vehicles/ev_batteries.csv in the import (issue 13 (f))."""

from __future__ import annotations

import pytest

from keidesign.specs import sources
from keidesign.specs.build import build_design
from keidesign.specs.write import design_text


def test_usable_share_is_the_mean_of_the_published_pairs():
    rows = [r for r in sources.ev_batteries() if r["gross_kwh"] and r["usable_kwh"]]
    pairs = {(float(r["gross_kwh"]), float(r["usable_kwh"])) for r in rows}
    share, n = sources.usable_share()
    assert n == len(pairs) >= 5
    assert share == pytest.approx(sum(u / g for g, u in pairs) / n)
    assert 0.75 < share < 1.0


def test_pack_by_model_year_usable_or_gross_times_share():
    share, _ = sources.usable_share()
    kwh, basis = sources.battery_for("NISSAN", "NISSAN LEAF S", "ZE0/AZE0 (1st gen)", 2013)
    assert kwh == pytest.approx(24.0 * share) and "[assumed]" in basis
    kwh, _ = sources.battery_for("NISSAN", "NISSAN LEAF S", "ZE0/AZE0 (1st gen)", 2017)
    assert kwh == pytest.approx(30.0 * share)          # the 30 kWh pack of MY2016-17
    kwh, basis = sources.battery_for("BMW", "I3 BEV", "I01 (60 Ah)", 2015)
    assert kwh == 18.8 and "usable" in basis and "[assumed]" not in basis
    assert sources.battery_for("HONDA", "FIT", "GK (3rd gen)", 2015) is None


def _imported(make: str, model: str, gen: str, year: int) -> str:
    vr = next(v for v in sources.vehicle_rows("us_specs")
              if (v.row["make"], v.row["model"], v.row["generation"]) == (make, model, gen))
    header, tables = build_design(sources.row_spec(vr, year), predict=False)
    return design_text(header, tables)


def test_import_takes_the_pack_with_its_source():
    text = _imported("BMW", "I3 BEV", "I01 (60 Ah)", 2015)
    line = next(ln for ln in text.splitlines() if ln.startswith("battery_energy"))
    assert "18.8" in line and "ev_batteries.csv" in line and "assumed" not in line
    text = _imported("NISSAN", "NISSAN LEAF S", "ZE0/AZE0 (1st gen)", 2013)
    line = next(ln for ln in text.splitlines() if ln.startswith("battery_energy"))
    assert "21.04" in line and "assumed" in line
