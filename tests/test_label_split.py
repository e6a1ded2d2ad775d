"""``validation_probes.py label_split`` (issue 13): the label error from specs split per
configuration into test mass, road load, the import's powertrain inputs, the (a) kernel
and the label formula; the parts add up to the error from specs and the report runs from
its cache (the chain itself: ``python benchmarks/validation_probes.py label_split``)."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from conftest import ROOT, benchmark_module

if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
import validation_probes as vp  # noqa: E402  (benchmarks/validation_probes.py)


def _rows(n: int = 12) -> list[dict]:
    from keidesign.energy import testcars as tc

    cars = [c for c in tc.test_cars() if c.cls in ("cvt", "automatic", "manual")][:n]
    rng = np.random.default_rng(3)
    out = []
    for i, car in enumerate(cars):
        e = rng.normal(0.0, 0.05, 6)
        out.append({"key": car.key, "test_numbers": list(car.test_numbers),
                    "family": ("A", "B", "C")[i % 3],
                    "cls": ("cvt", "automatic", "manual", "dct")[i % 4],
                    "gears": 5 + i % 2, "year": 2011 + i, "drive": ("fwd", "rwd")[i % 2],
                    "turbo": bool(i % 3 == 0), "w_per_kg": 50.0 + 5.0 * i,
                    "err": dict(zip(("specs", "etw", "coast", "both", "a", "meas"),
                                    map(float, e), strict=True)),
                    "test_mass": 0.01 * i, "curb": 0.0, "road": [-0.1, -0.05, 0.0],
                    "city": float(e[0]), "hwy": float(e[0])})
    return out


def test_parts_add_up_to_the_error_from_specs():
    rows = _rows()
    p = vp._split_parts(rows)
    total = p["mass"] + p["road"] + p["inputs"] + p["kernel"] + p["formula"]
    np.testing.assert_allclose(total, p["specs"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(p["mass"] + p["road"], p["specs"] - p["both"], atol=1e-15)


def test_report_runs_from_the_cache(tmp_path, monkeypatch, capsys):
    path = tmp_path / "label_split.json"
    # a cache the current model wrote (benchmarks/result_cache.py): read, not recomputed
    rc = benchmark_module("result_cache")
    path.write_text(json.dumps({"model": rc.model_fingerprint(),
                                "probe": rc.probe_fingerprint(vp.__file__),
                                "result": _rows()}), encoding="utf-8")
    monkeypatch.setattr(vp, "LABEL_SPLIT_CACHE", str(path))
    monkeypatch.setattr(vp, "_label_split_compute", lambda: pytest.fail("recomputed"))
    vp.label_split()
    out = capsys.readouterr().out
    assert "12 labelled gasoline configurations" in out
    assert "by family" in out and "the road part removed" in out
    assert "r = " in out and "rear drive (n=6" in out


@pytest.mark.parametrize("name", ["label_split"])
def test_probe_is_registered(name):
    assert name in vp.PROBES
