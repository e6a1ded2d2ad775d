"""Shared fixtures: paths, reports off, each test in its own working folder."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import numpy as np
import pytest

from geometry import ad as D
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as veh

os.environ["OPENMDAO_REPORTS"] = "0"

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ROOT / "studies" / "designs"
REFERENCE_DESIGNS = sorted(DESIGNS.glob("*.toml"))

#: A minimal valid study (relative to ``studies/``): one variable, an objective and one
#: rule-pack constraint (tests/test_studies.py, tests/test_applicability.py).
STUDY_BASE = """
[study]
name = "t"
design = "designs/nbox_class.toml"

[[variable]]
name = "crash.front.crush_length"
lower = 600
upper = 900

[objective]
name = "mass:curb"

[[constraint]]
id = "fmvss:fmvss208.crush_space"
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Run every test in a temp folder so nothing (reports, recorders) clutters the repo."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KEIDESIGN_RULES_PATH", raising=False)


def benchmark_module(name: str):
    """A module of ``benchmarks/`` (a probe or a trial module: physics tried and not
    kept lives there with its probe), ``benchmarks/`` put on ``sys.path`` first (the
    scripts import their helpers by name)."""
    import importlib
    import sys

    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module(name)


def fresh_benchmark(name: str):
    """A script of ``benchmarks/`` executed afresh (not the cached import of
    ``benchmark_module``), registered under its name; ``benchmarks/`` put on
    ``sys.path`` first (the scripts import their helpers by name). The docs-figure tests
    (tests/test_docs_figures.py, tests/test_docs_figures_crash.py) render with it."""
    import importlib.util
    import sys

    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def ice_trial_inputs() -> tuple:
    """The cycle inputs of the ICE kernel's trial tests (``test_cvt_losses``,
    ``test_transmission_trials``): the segments of FTP bag 1 and the HWFET, and the
    kernel parameters ``(1, 1)`` of a 1.5 L, 1200 kg car (a fresh dict each call)."""
    from keidesign.energy.cycles import segments

    x = {"m_eff": 1200.0, "f0": 110.0, "f1": 1.0, "f2": 0.42, "vd": 1.5, "k_lo": 55.0,
         "k_hi": 11.0, "t_r": 142.5, "p_r": 80e3, "w_r": 628.0}
    return segments(("udds_bag1", "hwfet")), {k: np.array([[v]]) for k, v in x.items()}


def run_comp(comp, **vals):
    """A one-component problem (complex step allocated) with ``vals`` set, run once."""
    import openmdao.api as om
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", comp, promotes=["*"])
    prob.setup(force_alloc_complex=True)
    for k, v in vals.items():
        prob.set_val(k, v)
    prob.run_model()
    return prob


def loads_rewritten_csv(monkeypatch, tmp_path, rows: list[dict], loader):
    """Call the cached data loader ``loader`` (of keidesign.energy.testcars) with its CSV
    replaced by ``rows``; the cache is cleared before and after."""
    import csv

    from keidesign.energy import testcars as tc

    path = tmp_path / "rows.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)

    class _Files:
        def joinpath(self, *parts):
            return path

    monkeypatch.setattr(tc.resources, "files", lambda pkg: _Files())
    loader.cache_clear()
    try:
        return loader()
    finally:
        monkeypatch.undo()
        loader.cache_clear()



def assert_refused_in_one_line(loader, text: str, edit: tuple[str, str], message: str,
                               where: str) -> None:
    """A sourced data file's reader ``loader`` refuses ``text`` with ``edit`` = (old, new)
    applied (old must occur once) in one InputError line holding ``message`` and
    ``where`` (file and line)."""
    from keidesign.errors import InputError

    old, new = edit
    assert text.count(old) == 1, old
    with pytest.raises(InputError) as e:
        loader(text.replace(old, new))
    assert message in str(e.value)
    assert where in str(e.value)
    assert "\n" not in str(e.value)


def csv_text_with(text: str, row: int, **changes: str) -> str:
    """The CSV ``text`` with data row ``row`` (0: the first) given ``changes``."""
    import csv
    import io

    rows = list(csv.DictReader(text.splitlines()))
    rows[row].update(changes)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()

@pytest.fixture
def nbox_text() -> str:
    return (DESIGNS / "nbox_class.toml").read_text()


def design_with(stem: str, changes: dict | None = None):
    """Reference design ``studies/designs/<stem>.toml`` with dotted-key changes
    (``{"powertrain.transmission": "mt5"}``), validated like a design file."""
    import tomllib

    from keidesign.design import design_from_dict

    doc = tomllib.loads((DESIGNS / f"{stem}.toml").read_text())
    for path, val in (changes or {}).items():
        node = doc
        *head, last = path.split(".")
        for k in head:
            node = node.setdefault(k, {})
        node[last] = val
    return design_from_dict(doc, f"{stem}.toml")


@contextlib.contextmanager
def bounded_time(seconds: int = 60):
    """Fail (AssertionError) if the block runs longer than ``seconds``: a guard against
    hangs in the hostile-input tests, not a performance bound."""

    def _alarm(signum, frame):
        raise AssertionError(f"no answer within {seconds} s (hang)")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def component_problem(comp, vals: dict | None = None):
    """A set-up, run OpenMDAO problem of one component (complex step allocated)."""
    import openmdao.api as om

    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", comp, promotes=["*"])
    prob.setup(force_alloc_complex=True)
    for k, v in (vals or {}).items():
        prob.set_val(k, v)
    prob.run_model()
    return prob


# three designs per case: an N-Box-like car, a weak heavy one (falls behind the trace),
# a light powerful one
PERF_MASS = [1046.0, 1500.0, 850.0]
PERF_POWER = [43.0, 28.0, 70.0]
PERF_CASES = [("ice", "cvt"), ("ice", "mt5"), ("ice", "at4"), ("bev", "single_speed")]


def perf_constants() -> dict:
    return {**kc.perf_constants(), "eta_tr": kc.ice_constants()["eta_tr"],
            "eta_gear": kc.bev_constants()["eta_gear"]}


PERF_BASE = np.array([PERF_MASS, PERF_POWER, [0.46, 0.40, 0.50]]).T  # mass, power, F2


def perf_params(kind: str, trans: str, mode: str, base: np.ndarray = PERF_BASE) -> dict:
    """Kernel parameters as :class:`PerformanceComp` builds them; mass, power and F2
    (``base``, 3 designs x 3) are the independent variables (dual-seeded,
    complex-stepped or plain)."""
    if mode == "dual":
        s = D.seed_columns(base)
        m, p, f2 = s[:, 0:1], s[:, 1:2], s[:, 2:3]
    else:
        arr = base.astype(complex) if mode == "complex" else base
        if mode == "complex":
            arr[:, 0] += 1e-30j
        m, p, f2 = arr[:, 0:1], arr[:, 1:2], arr[:, 2:3]
    ones = np.ones((3, 1))
    q = {"m_eff": m, "f0": 100.0 * ones, "f1": 0.5 * ones, "f2": f2}
    if kind == "bev":
        q.update(k_lo=29.0 * ones, k_hi=29.0 * ones, power=p, torque=195.0 * ones,
                 max_rpm=12000.0 * ones, v_oc=1.0, r_b=0.0, eta_chg=1.0,
                 charger_power=pt.CHARGER_KW_DEFAULT, induction=0.0)
    else:
        k_lo, k_hi = (46.0, 8.3) if trans == "cvt" else (58.0, 13.0)
        q.update(k_lo=k_lo * ones, k_hi=k_hi * ones, vd=0.658 * ones, power=p,
                 torque=65.0 * ones * (p / 43.0), rated_rpm=7300.0 * ones)
    x = veh.kernel_params(kind, trans, q)
    x["m"] = m
    x["v_lim"] = 140.0 / 3.6 * ones
    return x


def cli_parsers() -> list:
    """The ``keidesign`` parser and every (nested) subcommand parser under it."""
    import argparse

    from keidesign.cli import _parser

    def walk(p):
        yield p
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                for sub in a.choices.values():
                    yield from walk(sub)

    return list(walk(_parser()))


@pytest.fixture
def runner_starts(monkeypatch) -> list:
    """The Dask runners a test's commands start, recorded instead of started: a
    LocalCluster's worker count (its start then fails: "the Dask LocalCluster did not
    start") or a scheduler's address (loopback only: nothing is connected). For the
    resumes of a finished sweep or front, which must start none (tasks s34c, s34e)."""
    from keidesign.studies import runner as runner_mod

    started: list = []

    def start_local(self, n, security=None):   # records the start; "did not start"
        started.append(n)
        self._error = OSError("no cluster in this test")

    monkeypatch.setattr(runner_mod.DaskRunner, "_start_local", start_local)
    monkeypatch.setattr(runner_mod, "_connect",
                        lambda address, timeout: started.append(address))
    return started
