"""Batched (case-vectorized) mass and cost: element i of a batched run = scalar run i.

Every mass and cost component, the mass group and the mass <-> crash-structure loop
solver are built with ``n_cases = N`` on random-but-valid inputs (the values of a scalar
run of a reference design, each perturbed by up to +-10 % per case, seeded, clipped to
the registry's range) and compared case by case with ``N`` scalar runs. The crash side
of the loop is a stand-in component here (the crash discipline is batched separately).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS
from openmdao.core.component import Component

from keidesign import batch, costing, mass
from keidesign import variables as reg
from keidesign.costing import CostComp
from keidesign.design import Design, load_design
from keidesign.mass import (
    BodyMassComp,
    MassGroup,
    MassSummaryComp,
    PowertrainMassComp,
)
from keidesign.mass.data import coefficients, fitted_content
from keidesign.model import build_problem
from keidesign.variables import add_input, add_output

N = 12
STEMS = ("nbox_class_us", "sakura_class_us", "alto_class")  # ICE (US, JDM) and BEV


@pytest.fixture(scope="module")
def designs() -> dict[str, Design]:
    return {s: load_design(DESIGNS / f"{s}.toml") for s in STEMS}


@pytest.fixture(scope="module")
def base(designs) -> dict[str, dict[str, float]]:
    """Every scalar input/output value of a scalar full-model run, by design."""
    out = {}
    for stem, d in designs.items():
        prob = build_problem(d, [])
        prob.run_model()
        out[stem] = {name: v for io in ("input", "output") for name, v in _iter_vars(prob, io)}
    return out


def _iter_vars(prob: om.Problem, io: str):
    """(promoted name, scalar value) of the model's 1-element variables."""
    meta = prob.model.get_io_metadata(iotypes=io, metadata_keys=["size"])
    seen = set()
    for m in meta.values():
        name = m["prom_name"]
        if name in seen or m["size"] != 1 or name.startswith("_auto_ivc"):
            continue
        seen.add(name)
        yield name, float(prob.get_val(name).item())


def _auto_inputs(prob: om.Problem) -> list[str]:
    """Promoted names of the inputs fed by the auto-IVC (the problem's free inputs)."""
    conns = prob.model._conn_global_abs_in2out
    meta = prob.model.get_io_metadata(iotypes="input")
    return sorted({m["prom_name"] for a, m in meta.items()
                   if conns.get(a, "").startswith("_auto_ivc.")})


def _random_inputs(names: list[str], base: dict[str, float], rng: np.random.Generator,
                   n: int) -> dict[str, np.ndarray]:
    """``n`` values per input: the base value x U(0.9, 1.1), within the registry range
    (an input at 0 gets U(0, 10 % of its upper bound))."""
    out = {}
    for name in names:
        try:
            var = reg.get(name)
        except KeyError:  # a stand-in's own input
            continue
        b = base.get(name, var.default if isinstance(var.default, float) else 1.0)
        if b == 0.0:
            vals = rng.uniform(0.0, 0.1 * (var.upper if var.upper is not None else 1.0), n)
        else:
            vals = b * rng.uniform(0.9, 1.1, n)
        lo = -np.inf if var.lower is None else var.lower
        hi = np.inf if var.upper is None else var.upper
        out[name] = np.clip(vals, lo, hi)
    return out


def _problem(make: Callable[[int], om.System], n: int) -> om.Problem:
    """A problem of the system ``make(n)`` (promoted ``*``), set up."""
    model = om.Group()
    model.add_subsystem("sys", make(n), promotes=["*"])
    prob = om.Problem(model, reports=False)
    prob.setup()
    return prob


def _outputs(prob: om.Problem) -> list[str]:
    meta = prob.model.get_io_metadata(iotypes="output")
    return sorted({m["prom_name"] for m in meta.values()
                   if not m["prom_name"].startswith("_auto_ivc")})


def _components(system: om.System) -> list[Component]:
    return [s for s in system.system_iter(recurse=True, include_self=True)
            if isinstance(s, Component)]


def _compare(make: Callable[[int], om.System], base: dict[str, float], seed: int,
             *, rtol: float = 0.0, extra: dict[str, np.ndarray] | None = None,
             n: int = N) -> tuple[om.Problem, list[om.Problem]]:
    """Run ``make(n)`` on random inputs and ``make(1)`` case by case; assert equal
    outputs (bit-identical if ``rtol`` is 0). Returns the problems."""
    rng = np.random.default_rng(seed)
    big = _problem(make, n)
    inputs = _random_inputs(_auto_inputs(big), base, rng, n)
    inputs.update(extra or {})
    for name, v in inputs.items():
        big.set_val(name, v)
    big.run_model()
    for comp in _components(big.model):
        if comp.name.startswith("_auto_ivc"):
            continue
        assert batch.n_cases(comp) == n, comp.pathname
        assert not comp._declared_partials_patterns, comp.pathname
        # (an explicit component keeps only its outputs' own identity blocks)
        assert all(of == wrt for of, wrt in comp._subjacs_info), comp.pathname
    small = []
    names = _outputs(big)
    assert names
    for i in range(n):
        one = _problem(make, 1)
        for name, v in inputs.items():
            one.set_val(name, v[i])
        one.run_model()
        small.append(one)
    for name in names:
        got = big.get_val(name)
        assert got.shape == (n,), name
        want = np.array([p.get_val(name).item() for p in small])
        if rtol == 0.0:
            np.testing.assert_array_equal(got, want, err_msg=name)
        else:
            np.testing.assert_allclose(got, want, rtol=rtol, atol=0.0, err_msg=name)
    return big, small


@pytest.mark.parametrize("kw", [
    {"seats": 4, "material": "dp_780", "bev": True},
    {"seats": 2, "material": "dp_590", "n_rails": 2},
    {"seats": 5, "material": "hsla_340", "n_rails": 3},
    {"seats": 2, "material": "dp_590", "roof": "open"},
])
def test_body_mass(kw, base):
    _compare(lambda n: BodyMassComp(n_cases=n, **kw), base["nbox_class_us"], 1)


@pytest.mark.parametrize("stem,kw", [
    ("nbox_class_us", {"powertrain_type": "ice", "transmission": "cvt", "turbo": True}),
    ("nbox_class_us", {"powertrain_type": "ice", "transmission": "mt5", "hybrid": "hev"}),
    ("alto_class", {"powertrain_type": "ice", "transmission": "at4"}),
    ("sakura_class_us", {"powertrain_type": "bev", "transmission": "single_speed"}),
])
def test_powertrain_mass(stem, kw, base):
    _compare(lambda n: PowertrainMassComp(n_cases=n, **kw), base[stem], 2)


def test_summary(base, designs):
    content = fitted_content(designs["nbox_class_us"])
    _compare(lambda n: MassSummaryComp(content=content, n_cases=n), base["nbox_class_us"], 3)


@pytest.mark.parametrize("stem,kw", [
    ("nbox_class_us", {}),
    ("nbox_class_us", {"hybrid": "hev", "transmission": "at6", "turbo": True}),
    ("sakura_class_us", {}),
])
def test_cost(stem, kw, base, designs):
    d = designs[stem]
    ice = d.powertrain_type == "ice"
    opts = {"powertrain_type": d.powertrain_type,
            "transmission": d["powertrain:transmission"],
            "turbo": bool(d["powertrain:ice:turbo"]) if ice else False,
            "hybrid": "none", "content": fitted_content(d), **kw}
    _compare(lambda n: CostComp(n_cases=n, **opts), base[stem], 5)


@pytest.mark.parametrize("stem", STEMS)
def test_mass_group_and_cost_hook(stem, base, designs):
    """MassGroup (scalar: Newton; batched: closed-form curb) and the cost hook."""
    d = designs[stem]

    class MassAndCost(om.Group):
        def initialize(self):
            batch.declare_option(self.options)

        def setup(self):
            n = batch.n_cases(self)
            self.add_subsystem("mass", MassGroup(design=d, content=fitted_content(d),
                                                 n_cases=n), promotes=["*"])
            costing.add_subsystems(self, d)

    big, small = _compare(lambda n: MassAndCost(n_cases=n), base[stem], 6, rtol=1e-12)
    # the curb mass is the root of the scalar model's residual, case by case
    c = coefficients()["chassis_fraction"]
    from keidesign.catalogue.mass import GROUPS
    total = sum(big.get_val(f"mass:group:{g}") for g in GROUPS if g != "chassis")
    np.testing.assert_allclose(big.get_val("mass:curb"),
                               total + c * (big.get_val("mass:curb")
                                            + big.get_val("mass:payload")), rtol=1e-13)


class _StandInCrash(om.ExplicitComponent):
    """Stand-in for the crash side of the loop: ``m_structure = g m_test`` (kg), with
    ``g`` a per-case input, so cases need different numbers of Gauss-Seidel passes
    (contraction ratio g / (1 - c_chassis))."""

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        add_input(self, "mass:test", shape=shape)
        self.add_input("standin:gain", val=0.05, shape=shape or 1)
        add_output(self, "mass:crash_structure", shape=shape)

    def compute(self, inputs, outputs) -> None:
        outputs["mass:crash_structure"] = inputs["standin:gain"] * inputs["mass:test"]


class _StandInMass(om.ExplicitComponent):
    """Stand-in for the mass side: ``m_test = (m_0 + m_structure) / (1 - c) + 136``."""

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        add_input(self, "mass:crash_structure", shape=shape)
        self.add_input("standin:m0", val=700.0, shape=shape or 1)
        add_output(self, "mass:test", shape=shape)

    def compute(self, inputs, outputs) -> None:
        c = coefficients()["chassis_fraction"]
        outputs["mass:test"] = ((inputs["standin:m0"] + inputs["mass:crash_structure"])
                                / (1.0 - c) + 136.0777)


def _loop_group(d: Design | None):
    """A group with the hook's loop solvers: the real mass + cost hook (``d``) or the
    stand-in mass, and the stand-in crash component after it."""
    class Loop(om.Group):
        def initialize(self):
            batch.declare_option(self.options)

        def setup(self):
            n = batch.n_cases(self)
            if d is None:
                self.add_subsystem("mass", _StandInMass(n_cases=n), promotes=["*"])
                mass.set_loop_solvers(self)
            else:
                mass.add_subsystems(self, d)  # mass + the loop solvers
                costing.add_subsystems(self, d)
            self.add_subsystem("crash_standin", _StandInCrash(n_cases=n), promotes=["*"])
    return Loop


def _passes(big: om.Problem, small: list[om.Problem]) -> tuple[np.ndarray, np.ndarray]:
    solver = big.model.sys.nonlinear_solver
    assert [b for b in solver.blocks if len(b) > 1] == [["mass", "crash_standin"]]
    passes = solver.case_iterations[0]
    assert solver.loop_iterations == [int(passes.max())]
    return passes, np.array([p.model.sys.nonlinear_solver.loop_iterations[0] for p in small])


def test_loop_solver_same_iterates_per_case():
    """All cases converge together, each at the pass where the scalar solver stops,
    with the scalar solver's result bit for bit (components exact per element)."""
    loop = _loop_group(None)
    rng = np.random.default_rng(9)
    extra = {"standin:gain": rng.uniform(0.005, 0.25, N),
             "standin:m0": rng.uniform(500.0, 900.0, N)}
    big, small = _compare(lambda n: loop(n_cases=n), {}, 10, extra=extra)
    passes, scalar_passes = _passes(big, small)
    np.testing.assert_array_equal(passes, scalar_passes)
    assert len(set(passes.tolist())) > 2  # cases converge at different passes


@pytest.mark.parametrize("stem", ["nbox_class_us", "sakura_class_us"])
def test_mass_loop_per_case(stem, base, designs):
    """The hook's mass + cost in the loop with a stand-in crash side: each case equals
    its scalar run. The scalar mass group is solved by Newton (outputs within ~1e-13 of
    the closed forms the batched group computes), so a case whose last change falls
    within that rounding of ``atol`` may stop one pass apart (result within atol)."""
    loop = _loop_group(designs[stem])
    gains = np.random.default_rng(7).uniform(0.005, 0.2, N)
    big, small = _compare(lambda n: loop(n_cases=n), base[stem], 8, rtol=1e-10,
                          extra={"standin:gain": gains})
    passes, scalar_passes = _passes(big, small)
    assert np.all(np.abs(passes - scalar_passes) <= 1)
    assert np.mean(passes == scalar_passes) > 0.5
    # each case at a fixed point of its own loop
    np.testing.assert_allclose(big.get_val("mass:crash_structure"),
                               gains * big.get_val("mass:test"), rtol=0, atol=1e-8)


def test_loop_solver_names_diverging_cases():
    loop = _loop_group(None)
    prob = _problem(lambda n: loop(n_cases=n), 6)
    gains = np.full(6, 0.05)
    gains[[2, 4]] = 1.5  # contraction ratio > 1: diverges
    prob.set_val("standin:gain", gains)
    with pytest.raises(om.AnalysisError, match=r"2 case\(s\) \(first: \[2, 4\]"):
        prob.run_model()


@pytest.mark.parametrize("stem", ["nbox_class_us", "sakura_class_us"])
def test_whole_model_mass_and_cost(stem, designs):
    """``build_problem(design, n_cases=n)``: every mass and cost output and the loop's
    passes of each case equal a scalar run of that case (design inputs perturbed by up
    to +-5 % within their registry ranges)."""
    d = designs[stem]
    n = 8
    big = build_problem(d, [], n_cases=n)
    rng = np.random.default_rng(11)
    cases = {}
    for name in _auto_inputs(big):
        var = reg.get(name)
        if not var.design or var.dtype is not float:
            continue
        x = big.get_val(name)[0] * rng.uniform(0.95, 1.05, n)
        cases[name] = np.clip(x, -np.inf if var.lower is None else var.lower,
                              np.inf if var.upper is None else var.upper)
    assert len(cases) > 20
    for name, x in cases.items():
        big.set_val(name, x)
    big.run_model()
    one = build_problem(d, [])
    names = [m for m in _outputs(big) if m.startswith(("mass:", "cost:"))]
    want = {m: np.empty(n) for m in names}
    passes = []
    for i in range(n):
        for name, x in cases.items():
            one.set_val(name, x[i])
        one.run_model()
        passes.append(one.model.nonlinear_solver.loop_iterations)
        for m in names:
            want[m][i] = one.get_val(m).item()
    for m in names:
        np.testing.assert_allclose(big.get_val(m), want[m], rtol=1e-12, atol=0.0, err_msg=m)
    np.testing.assert_array_equal(np.stack(big.model.nonlinear_solver.case_iterations, 1),
                                  np.array(passes))
    # the cases differ (the test compares something)
    assert np.ptp(big.get_val("mass:curb")) > 1.0
