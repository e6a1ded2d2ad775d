"""Batched (case-vectorized) body geometry: element i of a batched run = scalar run i.

``BodyComp(n_cases=N)`` (and the discipline hook on a group with ``n_cases = N``) is run
on random-but-valid designs, every body style and both powertrains: every parameter of a
reference design times U(0.92, 1.08) per case (seeded), clipped to the registry's range,
kept only when :func:`geometry.params.check_layout` accepts the layout. Each case is
compared with a scalar run (``n_cases = 1``, the optimizer's component): the same compiled
kernel, so bit-identical, and with the dual-number reference closed form to 1e-12.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS

from geometry import profiles as pr
from geometry.closed_form import OUTPUTS, closed_form, outputs, sample
from geometry.params import check_layout, layout_from_design
from keidesign import batch
from keidesign import variables as reg
from keidesign.body import BodyComp, add_subsystems
from keidesign.design import load_design
from keidesign.errors import InputError

N = 12
# (reference design, style, powertrain): every style, both powertrains
CASES = [("nbox_class", "tallboy", "ice"), ("alto_class", "hatch", "ice"),
         ("sakura_class", "tallboy", "bev"), ("mirage_class", "hatch", "bev"),
         ("carry_class", "truck", "ice"), ("carry_class", "truck", "bev")]


def random_parameters(stem: str, style: str, powertrain: str, n: int, seed: int,
                      spread: float = 0.08) -> list[dict[str, float]]:
    """``n`` valid layouts (short names -> values) around a reference design: each
    parameter x U(1 - spread, 1 + spread), within its registry range, layout checked.
    Parameters the reference design does not have (the battery of an ICE design run as
    a BEV) start from the style's sample layout :func:`geometry.closed_form.sample`."""
    design = load_design(DESIGNS / f"{stem}.toml")
    names = pr.parameter_names(style, powertrain)
    base = {}
    for short, name in names.items():
        try:
            base[short] = float(design[name])
        except (KeyError, TypeError, ValueError):
            base[short] = sample(style)[short]
    rng = np.random.default_rng(seed)
    out: list[dict[str, float]] = []
    while len(out) < n:
        p = {}
        for short, name in names.items():
            var = reg.get(name)
            v = base[short] * rng.uniform(1.0 - spread, 1.0 + spread)
            lo = -np.inf if var.lower is None else var.lower
            hi = np.inf if var.upper is None else var.upper
            p[short] = float(np.clip(v, lo, hi))
        try:
            check_layout(pr.Layout(p, style, powertrain))
        except InputError:
            continue
        out.append(p)
    return out


def _problem(style: str, powertrain: str, n: int, kernel: str = "compiled",
             placement: str = "underfloor") -> om.Problem:
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("b", BodyComp(style=style, powertrain_type=powertrain,
                                           kernel=kernel, n_cases=n,
                                           battery_placement=placement), promotes=["*"])
    prob.setup()
    return prob


def _set(prob: om.Problem, names: dict[str, str], params: list[dict[str, float]]) -> None:
    for short, name in names.items():
        v = np.array([p[short] for p in params])
        prob.set_val(name, v if len(params) > 1 else v[0])


@pytest.mark.parametrize("k", range(len(CASES)), ids=[c[0] for c in CASES])
def test_batched_body_equals_scalar_runs(k):
    stem, style, powertrain = CASES[k]
    params = random_parameters(stem, style, powertrain, N, seed=k)
    big = _problem(style, powertrain, N)
    comp = big.model.b
    assert batch.n_cases(comp) == N
    assert not comp._declared_partials_patterns
    assert all(of == wrt for of, wrt in comp._subjacs_info)
    _set(big, comp._names, params)
    big.run_model()
    one = _problem(style, powertrain, 1)
    for i, p in enumerate(params):
        _set(one, comp._names, [p])
        one.run_model()
        ref = closed_form(p, style, powertrain)
        for name, scale in outputs(style).items():
            got = big.get_val(name)
            assert got.shape == (N,)
            assert got[i] == one.get_val(name)[0], (name, i)        # same kernel
            want = float(ref[name]) * scale
            assert abs(got[i] - want) <= 1e-12 * max(abs(want), 1e-300), (name, i)


def test_cases_differ_and_bad_case_does_not_leak():
    """The cases are really different designs (not one design broadcast), and each case's
    outputs depend on its own inputs only."""
    style, pt = "tallboy", "ice"
    params = random_parameters("nbox_class", style, pt, N, seed=7)
    prob = _problem(style, pt, N)
    _set(prob, prob.model.b._names, params)
    prob.run_model()
    vol = prob.get_val("body:volume:envelope").copy()
    assert len(np.unique(vol)) == N
    params[3] = dict(params[3], L=params[3]["L"] + 50.0)
    _set(prob, prob.model.b._names, params)
    prob.run_model()
    vol2 = prob.get_val("body:volume:envelope")
    assert vol2[3] > vol[3]
    assert np.array_equal(np.delete(vol2, 3), np.delete(vol, 3))


def test_reference_kernel_batched_matches_compiled():
    style, pt = "hatch", "bev"
    params = random_parameters("mirage_class", style, pt, 4, seed=3)
    a, b = _problem(style, pt, 4), _problem(style, pt, 4, kernel="reference")
    for prob in (a, b):
        _set(prob, prob.model.b._names, params)
        prob.run_model()
    for name in OUTPUTS:
        np.testing.assert_allclose(a.get_val(name), b.get_val(name), rtol=1e-12, atol=0)


@pytest.mark.parametrize("placement", pr.PLACEMENTS[1:])
def test_batched_battery_placement_equals_reference(placement):
    """Each battery placement batched (its own tape) gives the reference closed form of
    that placement, case by case."""
    style, pt = "hatch", "bev"
    params = random_parameters("mirage_class", style, pt, 4, seed=5)
    prob = _problem(style, pt, 4, placement=placement)
    _set(prob, prob.model.b._names, params)
    prob.run_model()
    for i, p in enumerate(params):
        ref = closed_form(p, style, pt, placement)
        for name, scale in OUTPUTS.items():
            want = float(ref[name]) * scale
            assert prob.get_val(name)[i] == pytest.approx(want, rel=1e-12, abs=1e-9), name


def test_hook_passes_n_cases():
    design = load_design(DESIGNS / "sakura_class.toml")
    lay = layout_from_design(design)
    group = om.Group()
    batch.declare_option(group.options)
    group.options["n_cases"] = 5
    add_subsystems(group, design)
    prob = om.Problem(group, reports=False)
    prob.setup()
    body = prob.model.body
    assert batch.n_cases(body) == 5
    for short, name in body._names.items():
        prob.set_val(name, np.full(5, lay.p[short]))
    prob.run_model()
    assert prob.get_val("body:volume:energy_storage", units="L") == pytest.approx(
        np.full(5, 80.0))
