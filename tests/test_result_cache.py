"""A probe's result cache holds only the figures of the model and the probe code that
wrote it (benchmarks/result_cache.py): a cache from before a refit, or from before an edit
of the probe or of a benchmarks/ module it imports, is recomputed, not printed as today's
(s17h10 found label_split's cache untied to the model; issue 13 the probe code)."""

import json
import textwrap

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
    assert any((p / "closed_form.py").is_file() for p in rc.PACKAGES)   # geometry/


def _probe_folder(tmp_path):
    """A probe (``probe.py``, with a cached result) importing a helper of its folder
    (``helper.py``, which imports ``deeper.py``) and an installed package."""
    folder = tmp_path / "bench"
    folder.mkdir()
    (folder / "deeper.py").write_text("K = 1\n", encoding="utf-8")
    (folder / "helper.py").write_text("import deeper\n\nSCALE = 2 * deeper.K\n",
                                      encoding="utf-8")
    (folder / "unrelated.py").write_text("X = 0\n", encoding="utf-8")
    (folder / "probe.py").write_text(textwrap.dedent("""\
        import json

        import helper


        def run():
            from helper import SCALE
            return SCALE
        """), encoding="utf-8")
    return folder


def test_probe_modules_follow_the_folder_imports(tmp_path):
    rc = benchmark_module("result_cache")
    folder = _probe_folder(tmp_path)
    names = [p.name for p in rc.probe_modules(folder / "probe.py")]
    assert names == ["deeper.py", "helper.py", "probe.py"]      # not unrelated.py
    vp = [p.name for p in rc.probe_modules(rc.ROOT / "benchmarks" / "validation_probes.py")]
    assert {"validation_probes.py", "testcar_id.py", "result_cache.py",
            "technology.py"} <= set(vp)   # technology: imported inside a function
    assert rc.probe_fingerprint(None) == rc.probe_fingerprint(tmp_path / "none.py") == ""


def test_editing_the_probe_or_its_helper_recomputes(tmp_path):
    rc = benchmark_module("result_cache")
    folder = _probe_folder(tmp_path)
    probe, path, calls = folder / "probe.py", tmp_path / "r.json", []

    def compute():
        calls.append(1)
        return {"mae": 5.6}

    assert rc.cached(path, compute, probe=probe) == {"mae": 5.6} and len(calls) == 1
    assert rc.cached(path, compute, probe=probe) == {"mae": 5.6} and len(calls) == 1
    held = json.loads(path.read_text(encoding="utf-8"))
    assert held["model"] == rc.model_fingerprint()
    assert held["probe"] == rc.probe_fingerprint(probe) != ""
    (folder / "unrelated.py").write_text("X = 1\n", encoding="utf-8")   # not imported
    assert rc.cached(path, compute, probe=probe) == {"mae": 5.6} and len(calls) == 1
    probe.write_text(probe.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert rc.cached(path, compute, probe=probe) == {"mae": 5.6} and len(calls) == 2
    assert rc.cached(path, compute, probe=probe) == {"mae": 5.6} and len(calls) == 2
    (folder / "deeper.py").write_text("K = 3\n", encoding="utf-8")  # imported via helper
    assert rc.cached(path, compute, probe=probe) == {"mae": 5.6} and len(calls) == 3
    held = json.loads(path.read_text(encoding="utf-8"))
    del held["probe"]                                 # a cache of before issue 13
    path.write_text(json.dumps(held), encoding="utf-8")
    assert rc.cached(path, compute, probe=probe) == {"mae": 5.6} and len(calls) == 4


def test_default_probe_is_the_calling_module(tmp_path):
    rc = benchmark_module("result_cache")
    path = tmp_path / "r.json"
    rc.cached(path, lambda: 1)
    held = json.loads(path.read_text(encoding="utf-8"))
    assert held["probe"] == rc.probe_fingerprint(__file__) != ""
