"""The spec-sheet floor probe's core (``benchmarks/spec_floor.py``, issue 13): group
residuals, the known-mean scaling and the test repeatability on synthetic input whose
answer is known."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

sf = benchmark_module("spec_floor")


def test_constant_offsets_give_floor_zero_and_a_singleton_keeps_its_error():
    err = [0.05, 0.05, 0.05, -0.02, -0.02, 0.07]
    keys = ["a", "a", "a", "b", "b", "c"]
    loo, within = sf.group_residuals(err, keys)
    np.testing.assert_allclose(loo, [0, 0, 0, 0, 0, 0.07], atol=1e-15)
    np.testing.assert_allclose(within, 0.0, atol=1e-15)
    np.testing.assert_allclose(sf.known_mean_residuals(err, keys), 0.0, atol=1e-15)


def test_leave_one_out_removes_the_others_mean_not_its_own():
    loo, within = sf.group_residuals([0.01, 0.02, 0.06], [("f", 1)] * 3)
    np.testing.assert_allclose(loo, [0.01 - 0.04, 0.02 - 0.035, 0.06 - 0.015])
    np.testing.assert_allclose(within, [-0.02, -0.01, 0.03])
    # LOO = n / (n - 1) x in sample; known = sqrt(n / (n - 1)) x in sample
    np.testing.assert_allclose(loo, 1.5 * within)
    np.testing.assert_allclose(sf.known_mean_residuals([0.01, 0.02, 0.06], ["g"] * 3),
                               np.sqrt(1.5) * within)


def test_group_residuals_refuses_mismatched_keys():
    with pytest.raises(ValueError, match="keys: 1 entries for 2 errors"):
        sf.group_residuals([0.1, 0.2], ["a"])


def test_repeatability_harmonic_mean_and_noise():
    # 20 and 30 mpg: harmonic mean 24, deviations -1/6 and +1/4
    np.testing.assert_allclose(sf.test_deviations([20.0, 30.0]), [-1 / 6, 0.25])
    rep = sf.repeatability([[40.0, 40.0], [30.0], [20.0, 30.0], []])
    assert (rep["configurations"], rep["tests"]) == (2, 4)
    assert rep["mae"] == pytest.approx((1 / 6 + 0.25) / 4)
    assert rep["sd"] == pytest.approx(np.sqrt((1 / 36 + 1 / 16) / 2))
    s = (1 / 6 + 0.25) / (2 * 2 * np.sqrt(1 / np.pi))
    assert rep["sd_mae"] == pytest.approx(s)
    k = np.array([2.0, 1.0, 2.0])
    assert rep["noise_mae"] == pytest.approx(np.mean(np.sqrt(2 / np.pi) * s / np.sqrt(k)))
    with pytest.raises(ValueError, match="values"):
        sf.test_deviations([30.0])


def test_docs_table_is_what_the_probe_gives():
    """docs/validation.md ("What the 3 % FTP target asks, by configuration") quotes the
    probe's table on the current docs/validation.json (rerun ``python
    benchmarks/validation_probes.py spec_floor`` after ``benchmarks/validation.py
    --write-docs``)."""
    from conftest import ROOT

    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    rows, cars, _ = sf.inputs()
    for line in sf.doc_table(rows, cars):
        assert f"\n  {line}\n" in text, line


def test_the_set_with_the_derived_rows_puts_every_derived_result_back():
    """(a)'s "with analytically derived rows" set is built from
    ``testcars.analytically_derived_cars`` (the hold-out rows carry none since they left
    the records; before 5 Dec 2026 the two sets were the same): every derived FTP and
    HWFET result comes back once, so the with-set has more repeated tests than the
    measured one, and (c) leaves out the 4 configurations that held a derived row."""
    from keidesign.energy import testcars as tc

    rows, cars, csv_rows = sf.inputs()
    derived = sf.derived_by_configuration()
    numbers = {n for c in tc.analytically_derived_cars() for n in c.test_numbers}
    added = 0
    for t in sf.TESTS:
        with_ = sf.with_derived(rows, cars, csv_rows, t, derived)
        without = [sf._results(r, csv_rows, t, False) for r in rows]
        added += sum(map(len, with_)) - sum(map(len, without))
        assert sf.repeatability(with_)["tests"] > sf.repeatability(without)["tests"]
    assert added == len(numbers) == 140
    assert sum(sf._configuration(c) in derived for c in cars) == 4
