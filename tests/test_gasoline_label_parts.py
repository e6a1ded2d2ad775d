"""The gasoline label from specs taken apart (``benchmarks/gasoline_label_parts.py``, probe
``gasoline_label_parts``; issue 13, task s41c).

Asserted (fast, no model run): the four parts add up to the whole on every row and in
every group's biases, the (a) kernel and the import's inputs add up to the powertrain, the
formula part is the derived 5-cycle label on the measured results against the published
one (its sign the chain's), and an absent row whose measured values give its label
exactly has a zero formula part. The errors themselves are reported in docs/validation.md,
not asserted.
"""

from __future__ import annotations

import importlib
import sys

import pytest
from conftest import ROOT, benchmark_module

GP = benchmark_module("gasoline_label_parts")


def _row(specs, etw, coast, both, a, meas, cls="cvt", gears=1, year=2015, tm=-2.0):
    return {"err": {"specs": specs, "etw": etw, "coast": coast, "both": both, "a": a,
                    "meas": meas},
            "cls": cls, "gears": gears, "year": year, "family": f"F {cls} {year}",
            "test_mass": tm / 100.0, "road": [0.0, -0.03, 0.0]}


ROWS = [_row(0.06, 0.05, 0.02, 0.01, 0.03, 0.004),
        _row(-0.04, -0.03, -0.05, -0.045, -0.01, 0.01, cls="automatic", gears=6, year=2012),
        _row(0.09, 0.07, 0.03, 0.02, 0.0, -0.02, cls="manual", gears=5, year=2021)]


def test_parts_add_up_to_the_whole():
    rows = GP.in_data_rows(ROWS)
    GP.check_adds_up(rows)
    r = rows[0]
    assert r["total"] == pytest.approx(6.0)
    assert r["mass"] == pytest.approx(0.5 * (1.0 + 1.0))     # (specs - etw), (coast - both)
    assert r["road"] == pytest.approx(0.5 * (4.0 + 4.0))     # (specs - coast), (etw - both)
    assert r["powertrain"] == pytest.approx(1.0 - 0.4)
    assert r["inputs"] == pytest.approx(1.0 - 3.0) and r["kernel"] == pytest.approx(3.0 - 0.4)
    assert r["formula"] == pytest.approx(0.4)
    # the group biases add up too, and every row lands in one class and one year band
    for _name, g in GP.groups(rows):
        whole = GP.mae_bias(x["total"] for x in g)[1]
        assert sum(GP.mae_bias(x[k] for x in g)[1] for k in GP.PARTS) == pytest.approx(whole)
    names = [n for n, _ in GP.groups(rows)]
    assert {"all", "cvt", "automatic", "automatic 6+", "manual", "manual <= 5", "MY2014-16",
            "MY2011-13", "MY2020-23"} <= set(names)


def test_check_fails_when_a_part_is_off():
    rows = GP.in_data_rows(ROWS)
    rows[1]["road"] += 0.5
    with pytest.raises(AssertionError):
        GP.check_adds_up(rows)


def test_table_sum_column_equals_the_whole_bias():
    lines = GP.table(GP.in_data_rows(ROWS), "t", extra=("inputs", "kernel"))
    first = lines[4].split(" | ")
    assert first[0] == "| all"
    whole_bias = float(first[3].split("(")[1].rstrip(")"))
    assert float(first[10]) == pytest.approx(whole_bias, abs=0.011)


def test_formula_part_of_an_absent_row():
    """A row whose published label is the formula on its test car's results has a zero
    formula part; a label 2 % under it gives +2 % (the chain's sign: model over label)."""
    ftp, hwy, year = 40.0, 55.0, 2016
    exact = GP.formula_label(ftp, hwy, year)
    assert 0.6 * 40.0 < exact < 55.0
    row = {"motor_kw": "", "comb08U": f"{exact}", "comb08": "0", "testcar_ftp_mpg": f"{ftp}",
           "testcar_hwfe_mpg": f"{hwy}", "model_year": f"{year}", "gears": "6",
           "transmission": "automatic", "family": "X Y", "config": "x"}
    item = {"row": row, "err": {"specs": 5.0, "etw": 4.0, "coast": 3.0, "both": 1.0},
            "test_mass": -3.0, "road50": 2.0, "ftp": 1.0, "hwfet": 0.5}
    r = GP.absent_rows([item])[0]
    assert r["formula"] == pytest.approx(0.0, abs=1e-9)
    row2 = dict(row, comb08U=f"{exact / 1.02}")
    r2 = GP.absent_rows([dict(item, row=row2)])[0]
    assert r2["formula"] == pytest.approx(2.0)
    GP.check_adds_up([r, r2])
    assert r2["powertrain"] == pytest.approx(1.0 - 2.0)


def test_ratio_reference_trial_swaps_the_reference_and_restores_it():
    """The trial (``benchmarks/ratio_reference_trial.py``, not shipped) reaches the factor
    the design path applies: at 11.0 an 11.0 engine keeps the fitted efficiency and a
    12.0 one gains the fuel-air cycle's step; the shipped 12.0 comes back after."""
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    trial = importlib.import_module("ratio_reference_trial")
    from keidesign.energy import powertrains as pt

    shipped = pt.COMPRESSION_RATIO_REF
    assert pt.compression_efficiency(11.0, False) < 1.0
    with trial.reference(trial.CANDIDATE_REF):
        assert pt.compression_efficiency(11.0, False) == pytest.approx(1.0)
        assert 1.02 < pt.compression_efficiency(12.0, False) < 1.03
    assert pt.COMPRESSION_RATIO_REF == shipped
    assert pt.compression_efficiency(shipped, False) == pytest.approx(1.0)


def test_grip_tyre_trial_term():
    """The trial's candidate (``benchmarks/grip_tyre_trial.py``, task s42c, not shipped):
    ``road:crr = c0 (1 + k max(P/m - 75 W/kg, 0) / 10 W/kg)``, zero growth at and below the
    hinge and for a BEV."""
    import numpy as np

    gt = benchmark_module("grip_tyre_trial")
    x = gt.excess([60e3, 75e3, 95e3, 95e3], [1000.0] * 4, [False, False, False, True])
    assert np.allclose(x, [0.0, 0.0, 2.0, 0.0])
    p = (0.0075, 9e-5, 0.12)
    assert gt.crr(p, 95e3, 1000.0) == pytest.approx(0.0075 * 1.24, rel=1e-12)
    assert gt.crr(p, 95e3, 1000.0, ev=True) == p[0]
    assert gt.crr(p, 60e3, 1000.0) == p[0]


def test_grip_tyre_trial_below_fit():
    """Variant C (task s42f, ``--below``): the pair is fitted on the grip-free cases only
    (the rows above the hinge do not move it) and ``k`` alone on the rows above it, with
    the pair held. A synthetic road load ``F = (c0 + c1) (1 + k x)`` with a pair fit that
    returns the mean of its cases recovers ``c0 + c1`` of the rows at ``x = 0`` and ``k``."""
    from types import SimpleNamespace

    import numpy as np

    gt = benchmark_module("grip_tyre_trial")
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 3.0])
    y = np.where(x > 0, 1.0 * (1.0 + 0.2 * x), [0.9, 1.0, 1.1, 0, 0, 0])
    d = SimpleNamespace(y=y)
    rp = SimpleNamespace(
        _fit=lambda d, i, lever: (float(d.y[i].mean()), 0.0),
        _predict=lambda d, i, p, lever: (p[0] + p[1]) * (1.0 + p[2] * x[i]))
    p = gt._below_fit(rp, d, np.arange(6), SimpleNamespace(x_roll=x))
    assert p[0] == pytest.approx(1.0) and p[1] == 0.0
    assert p[2] == pytest.approx(0.2, rel=1e-6)
    held = gt._held_fit(rp, d, np.arange(6), SimpleNamespace(x_roll=x))
    assert held[0] == pytest.approx(y.mean())  # variant B's pair sees every case
