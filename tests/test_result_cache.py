"""A probe's result cache holds only the figures of the model that wrote it
(benchmarks/result_cache.py): a cache from before a refit is recomputed, not printed as
today's (s17h10 found label_split's cache untied to the model)."""

import json

from conftest import benchmark_module


def test_cache_is_recomputed_when_the_model_differs(tmp_path):
    rc = benchmark_module("result_cache")
    path = tmp_path / "r.json"
    calls = []

    def compute():
        calls.append(1)
        return {"mae": 5.6}

    assert rc.cached(path, compute) == {"mae": 5.6} and len(calls) == 1
    assert rc.cached(path, compute) == {"mae": 5.6} and len(calls) == 1   # read back
    held = json.loads(path.read_text(encoding="utf-8"))
    assert held["model"] == rc.model_fingerprint()
    held["model"] = "0" * 16                       # written by another model
    held["result"] = {"mae": 5.7}
    path.write_text(json.dumps(held), encoding="utf-8")
    assert rc.cached(path, compute) == {"mae": 5.6} and len(calls) == 2
    path.write_text("[1, 2]", encoding="utf-8")    # an old cache without a fingerprint
    assert rc.cached(path, compute) == {"mae": 5.6} and len(calls) == 3
    path.write_text("not json", encoding="utf-8")
    assert rc.cached(path, compute) == {"mae": 5.6} and len(calls) == 4
    assert rc.cached(path, compute, refresh=True) == {"mae": 5.6} and len(calls) == 5


def test_fingerprint_covers_the_package_data():
    rc = benchmark_module("result_cache")
    fp = rc.model_fingerprint()
    assert len(fp) == 16 and int(fp, 16) >= 0
    assert (rc.PACKAGE / "data" / "mass" / "coefficients.csv").is_file()
