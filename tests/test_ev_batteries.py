"""EV packs of data/vehicles/ev_batteries.csv in the import (issue 13 (f))."""

from __future__ import annotations

import pytest

from keidesign.specs import sources


def test_usable_share_is_the_mean_of_the_published_pairs():
    rows = [r for r in sources.ev_batteries() if r["gross_kwh"] and r["usable_kwh"]]
    pairs = {(float(r["gross_kwh"]), float(r["usable_kwh"])) for r in rows}
    share, n = sources.usable_share()
    assert n == len(pairs) >= 5
    assert share == pytest.approx(sum(u / g for g, u in pairs) / n)
    assert 0.75 < share < 1.0


def test_pack_energy_usable_or_gross_times_share():
    share, _ = sources.usable_share()
    rows = {(r["make"], r["model"], r["model_years"]): r for r in sources.ev_batteries()}
    kwh, basis = sources.pack_energy(rows[("NISSAN", "NISSAN LEAF S", "2011-2016")])
    assert kwh == pytest.approx(24.0 * share) and "[assumed]" in basis
    kwh, basis = sources.pack_energy(rows[("BMW", "I3 BEV", "2014-2017")])
    assert kwh == 18.8 and "usable" in basis and "[assumed]" not in basis
