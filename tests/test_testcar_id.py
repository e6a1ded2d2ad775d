"""A test car's identity in the probes (issue 13; ``benchmarks/testcar_id.py``).

``TestCar.key`` is not unique (one car tested at several road-load settings): a probe
that indexes per-car predictions by it gives every configuration of a key the last one's
prediction. Asserted: the key repeats, the identity (key, EPA test numbers) does not, and
the probes that take a held-out prediction per car (``label_split``'s rows,
``label_parts``) give two configurations of one key each its own, whatever the order of
the comparison they take it from.
"""

from __future__ import annotations

import sys
import warnings
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import ROOT

if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
import testcar_id  # noqa: E402  (benchmarks/testcar_id.py)
import validation_probes as vp  # noqa: E402  (benchmarks/validation_probes.py)

from keidesign.energy import testcars as tc  # noqa: E402
from keidesign.validation import fueleconomy as fe  # noqa: E402
from keidesign.validation import specsonly as so  # noqa: E402

#: the held-out prediction the fake comparison gives each car: its own measured x 1.1
SCALE = 1.1


def _pair() -> tuple[tc.TestCar, tc.TestCar]:
    """Two labelled gasoline configurations of one key with different results."""
    by: dict[str, list[tc.TestCar]] = {}
    for c in tc.test_cars():
        if c.cls in fe.ICE_CLASSES and tc.label_for(c) is not None:
            by.setdefault(c.key, []).append(c)
    for cars in by.values():
        if len(cars) >= 2 and cars[0].tests["ftp"] != cars[1].tests["ftp"] \
                and cars[0].tests["hwfet"] != cars[1].tests["hwfet"]:
            return cars[0], cars[1]
    raise AssertionError("no two labelled configurations of one key")


def test_the_key_repeats_the_identity_does_not():
    cars = tc.test_cars()
    assert len({c.key for c in cars}) < len(cars)
    assert len(testcar_id.index(cars)) == len(cars)


def test_a_shared_identity_is_refused():
    a, _ = _pair()
    with pytest.raises(ValueError, match="share the identity"):
        testcar_id.index([a, a])


def test_positions_keep_one_keys_configurations_apart():
    a, b = _pair()
    assert a.key == b.key and a.test_numbers != b.test_numbers
    assert testcar_id.positions([b, a], [a, b]) == [1, 0]
    assert testcar_id.positions([a, b], [b, a, b]) == [1, 0, 1]


def _fake_chain(monkeypatch) -> tuple[tc.TestCar, tc.TestCar]:
    """``_gasoline_holdout`` and ``chain_variant_cases`` replaced for the pair: the
    comparison lists the cars in the other order and predicts each one its own measured
    FTP / HWFET x :data:`SCALE`; the chain's outputs are the measured values."""
    a, b = _pair()
    lofo = SimpleNamespace(cars=[b, a], predicted={
        t: np.array([SCALE * c.tests[t] for c in (b, a)]) for t in fe.TESTS})

    def case(car: tc.TestCar) -> so.SpecsCase:
        out = {"mass:curb": car.etw - 136.0, "mass:test": car.etw,
               "energy:ftp_mpg": car.tests["ftp"], "energy:hwfet_mpg": car.tests["hwfet"],
               "energy:road:f0": car.f0, "energy:road:f1": car.f1, "energy:road:f2": car.f2}
        out.update({f"energy:label{s}_{p}_mpg": 30.0 for s in ("2008", "2017")
                    for p in ("city", "hwy", "comb")})
        return so.SpecsCase(car, out, None)

    monkeypatch.setattr(vp, "_gasoline_holdout", lambda: ([a, b], lofo, None))
    monkeypatch.setattr(vp.so, "cases", lambda cars, hybrids=True: list(cars))
    monkeypatch.setattr(vp, "chain_variant_cases", lambda cases, ho: {
        k: [case(c) for c in cases] for k in ("specs", "etw", "coast", "both")})
    return a, b


def test_label_split_rows_take_each_configurations_own_prediction(monkeypatch):
    a, b = _fake_chain(monkeypatch)
    rows = vp._label_split_compute()
    for r, car in zip(rows, (a, b), strict=True):
        own = vp._label_comb(SCALE * car.tests["ftp"], SCALE * car.tests["hwfet"], car.year,
                             "fueleconomy.gov") / tc.label_for(car).comb - 1.0
        assert r["err"]["a"] == pytest.approx(own, rel=1e-12)
    # the rows carry the identity label_split looks the car up by
    assert [(r["key"], tuple(r["test_numbers"])) for r in rows] == [
        testcar_id.ident(a), testcar_id.ident(b)]


def test_label_parts_takes_each_configurations_own_prediction(monkeypatch, capsys):
    _fake_chain(monkeypatch)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # two cars: Pearson r of a constant feature
        vp.label_parts()
    out = capsys.readouterr().out
    # the (a) kernel's FTP / HWFET error: every car +10 % against its own measured value
    line = next(x for x in out.splitlines() if x.strip().startswith(vp.LABEL_STEPS[4][1])
                and "HWFET" in x)
    assert "FTP 10.00 (+10.00), HWFET 10.00 (+10.00)" in line


def test_manual_residuals_take_each_configurations_own_row():
    """``manual_residuals`` reads docs/validation.json's rows, which name a car by its key:
    matched by position, two configurations of one key keep their own errors."""
    import manual_residuals as mr  # benchmarks/manual_residuals.py

    a, b = _pair()
    cars = [a, b]
    doc = {"cars": [{"car": c.key, "constants": "lofo", "class": c.cls,
                     **{f"{t}_measured": c.tests[t] for t in fe.TESTS},
                     **{f"{t}_model": (1.0 + 0.1 * (i + 1)) * c.tests[t] for t in fe.TESTS}}
                    for i, c in enumerate(cars)]}
    err = mr._lofo_errors(cars, doc)
    for t in fe.TESTS:
        np.testing.assert_allclose(err[t], [0.1, 0.2], rtol=1e-12)
    with pytest.raises(ValueError, match="do not line up"):
        mr._lofo_errors([b, a], doc)
