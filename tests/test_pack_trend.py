"""Traction-pack specific energy by model year (keidesign.mass.battery), held to the
published pack masses of data/vehicles/ev_pack_masses.csv."""

from __future__ import annotations

import math

import numpy as np
import pytest

from keidesign.mass import battery


def test_trend_fitted_on_the_published_packs():
    rows = battery.pack_rows()
    assert len(rows) >= 25 and len({r[0] for r in rows}) >= 15
    s_ref, k = battery.fit()
    # cell technology: a few per cent a year at pack level (BNEF, ANL BatPaC 5-8 %/yr)
    assert 0.03 < k < 0.12 and 100.0 < s_ref < 200.0
    # the fitted curve through a pack by hand: Nissan Leaf 24 kWh (2011), 300 kg
    leaf = next(r for r in rows if r[0] == "nissan leaf" and r[1] == 2011)
    model = battery.PACK_FIXED_KG + leaf[2] * 1000.0 / battery.specific_energy(2011)
    assert model == pytest.approx(leaf[3], rel=0.15)


def test_trend_is_held_at_the_ends_of_the_data():
    lo, hi = battery.YEAR_RANGE
    assert battery.specific_energy(hi + 5) == battery.specific_energy(hi)
    assert battery.specific_energy(lo - 5) == battery.specific_energy(lo)
    s_ref, k = battery.fit()
    assert battery.specific_energy(2018) == pytest.approx(s_ref, rel=1e-12)
    assert battery.specific_energy(2020) / battery.specific_energy(2019) == \
        pytest.approx(math.exp(k), rel=1e-12)


def test_leave_one_family_out_beats_the_fixed_default():
    """Judged on families left out of the fit: better than the registry default
    (30 kg + E / 150 Wh/kg for every year), and nearly unbiased."""
    err = battery.leave_one_family_out()
    rows = battery.pack_rows()
    default = np.array([(30.0 + r[2] * 1000.0 / 150.0) / r[3] - 1.0 for r in rows])
    assert np.mean(np.abs(err)) < 0.12 < np.mean(np.abs(default))
    assert abs(np.mean(err)) < 0.03
