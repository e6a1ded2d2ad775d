"""keidesign.validation.ncap_discrimination (issue 14, task s45b): Spearman's rho and its
bootstrap on hand-made and random data, the mode's exact count, the criterion on a model
that ranks and on a constant one (a constant guess met s44e's within-one target; it must
not meet this one), and the measured relative risks against the published stars."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from keidesign.crash import occupant as occ
from keidesign.validation import ncap_discrimination as nd
from keidesign.validation import ncap_outside as no


def test_spearman_is_scipys_with_ties():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 6, 30).astype(float)            # many ties
    y = x + rng.normal(0, 2, 30)
    assert nd.spearman(x, y) == pytest.approx(spearmanr(x, y).statistic, abs=1e-12)
    assert nd.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert nd.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert np.isnan(nd.spearman([1, 1, 1], [1, 2, 3]))


def test_bootstrap_is_seeded_and_brackets_rho():
    rng = np.random.default_rng(2)
    x = rng.normal(size=40)
    y = x + rng.normal(0, 0.5, 40)
    lo, hi, dropped = nd.bootstrap_ci(x, y)
    assert (lo, hi, dropped) == nd.bootstrap_ci(x, y)   # seeded
    perm = rng.permutation(40)
    assert (lo, hi, dropped) == nd.bootstrap_ci(x[perm], y[perm])   # the order's not
    assert lo < nd.spearman(x, y) < hi and lo > 0.5 and dropped == 0
    noise = rng.normal(size=40)
    lo, hi, _ = nd.bootstrap_ci(x, noise)
    assert lo < 0 < hi
    # a resample that draws one pair only has no rho and is counted, not kept
    lo, hi, dropped = nd.bootstrap_ci([1.0, 2.0], [1.0, 2.0], n=200)
    assert dropped > 0 and lo == hi == pytest.approx(1.0)


def test_mode_exact_takes_the_higher_of_a_tie():
    assert nd.mode_exact([4, 4, 5, 5, 3]) == (5, 2)
    assert nd.mode_exact([4, 4, 4, 5]) == (4, 3)


def test_criterion_met_by_a_ranking_model_not_by_a_constant():
    rng = np.random.default_rng(3)
    measured = rng.uniform(0.5, 1.3, 40)
    published = [int(occ.stars(np.array([v]))[0]) for v in measured]
    good = nd.criterion(list(measured * 0.9 + 0.05), list(measured), published, published)
    assert good["d1"]["met"] and good["d2"]["met"] and good["met"]
    assert good["d1"]["rho"] == pytest.approx(1.0)
    # the constant guess: every car the mode, risks all one value (no rank, no rho)
    mode, count = nd.mode_exact(published)
    const = nd.criterion([0.7] * 40, list(measured), [mode] * 40, published)
    assert const["d2"]["model"] == const["d2"]["constant"] == count
    assert not const["d2"]["met"] and not const["met"]
    assert not np.isfinite(const["d1"]["rho"]) or not const["d1"]["met"]
    # a model that ranks but whose lower end crosses 0 fails D1
    weak = nd.criterion(list(measured + rng.normal(0, 3.0, 40)), list(measured),
                        published, published)
    assert weak["d1"]["lo"] <= 0 or weak["d1"]["rho"] < nd.RHO_MIN
    assert not weak["d1"]["met"] and not weak["met"]
    with pytest.raises(ValueError, match="one value per test"):
        nd.criterion([1.0], [1.0, 2.0], [5], [5])


def test_relative_risks_band_into_the_published_stars():
    """The measured relative risks of every rating row with readings give its published
    driver, passenger and vehicle stars through the NCAP bands."""
    rows = [r for r in no.rating_rows() if r["measured"] is not None]
    assert len(rows) >= 40
    for r in rows:
        rr = nd.measured_relative_risks(r["measured"])
        got = {s: int(occ.stars(np.array([rr[s]]))[0]) for s in rr}
        assert got == {"vehicle": r["OVERALL_FRNT_STARS"], "driver": r["FRNT_DRIV_STARS"],
                       "passenger": r["FRNT_PASS_STARS"]}, r["MODEL"]


def test_population_is_one_row_per_test_with_readings():
    meas = {"m50": {}, "f05": {}}
    rows = [{"car": "B", "test": 1, "measured": meas}, {"car": "A", "test": 1, "measured": meas},
            {"car": "C", "test": 2, "measured": None}, {"car": "D", "test": 3, "measured": meas}]
    assert [r["car"] for r in nd.population(rows)] == ["A", "D"]
