"""docs/validation.json names each configuration by a unique id (issue 13):
``TestCar.key`` is a label that several configurations share (one car at several
road-load settings), so each per-car row also carries the EPA test numbers and
``id`` = key + test numbers (``keidesign.validation.report.car_id``)."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe
from keidesign.validation import report


def _comparison(cars: list, how: str) -> fe.Comparison:
    n = len(cars)
    meas = {t: np.full(n, 40.0) for t in fe.TESTS}
    pred = {t: np.linspace(38.0, 42.0, n) for t in fe.TESTS}
    return fe.Comparison(cars, meas, pred, how)


def test_every_car_row_has_a_unique_id():
    cars = list(tc.test_cars())
    keys = Counter(car.key for car in cars)
    assert any(k > 1 for k in keys.values())            # the key alone is not unique
    ice = [c for c in cars if c.cls in fe.ICE_CLASSES]
    ev = [c for c in cars if c.cls == "ev"]
    res = {"n_cars": len(cars), "n_families": len({c.family for c in cars}),
           "ice_shipped": _comparison(ice, "shipped"), "ice_lofo": _comparison(ice, "lofo"),
           "ev_shipped": _comparison(ev, "shipped")}
    doc = json.loads(json.dumps(report.as_json(res)))   # JSON-ready
    rows = doc["cars"]
    assert len(rows) == 2 * len(ice) + len(ev)
    for how in ("shipped", "lofo"):
        ids = [r["id"] for r in rows if r["constants"] == how]
        assert len(ids) == len(set(ids)) == (len(ice) + (len(ev) if how == "shipped" else 0))
    shared = [r for r in rows if r["constants"] == "shipped" and keys[r["car"]] > 1]
    assert shared                                       # rows a key alone would merge
    for r in rows:
        assert r["test_numbers"] and all(isinstance(t, str) for t in r["test_numbers"])
        assert r["id"] == f"{r['car']} #{'+'.join(r['test_numbers'])}"
    by_id = {r["id"]: r for r in rows if r["constants"] == "shipped"}
    car = ice[0]
    assert by_id[report.car_id(car)]["test_numbers"] == list(car.test_numbers)
    worst = [r for r in doc["table"] if r["what"] == "unadjusted"]
    assert worst and all(r["worst_id"].startswith(r["worst_car"] + " #") for r in worst)
