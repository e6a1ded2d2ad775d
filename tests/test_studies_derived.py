"""Derived study quantities: the safe expression grammar, its component and totals."""

from __future__ import annotations

import math

import numpy as np
import openmdao.api as om
import pytest
from conftest import ROOT
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.studies.expressions import ExpressionError, parse_expression
from keidesign.studies.problem import DerivedComp, build_study_problem
from keidesign.studies.spec import DerivedSpec, parse_study

STUDIES = ROOT / "studies"


@pytest.mark.parametrize("text, expected", [
    ("a + b * c", 1.5 + 2.0 * -0.5),
    ("(a + b) * c", (1.5 + 2.0) * -0.5),
    ("-a ** 2", -(1.5 ** 2)),
    ("a ** -1", 1 / 1.5),
    ("2 ** 3 ** 2", 2.0 ** 9),
    ("a / b / c", 1.5 / 2.0 / -0.5),
    ("a - b - c", 1.5 - 2.0 + 0.5),
    ("sqrt(b) + exp(c) - log(a) + sin(a) * cos(b) / tan(b) + tanh(c) + abs(c)",
     math.sqrt(2) + math.exp(-0.5) - math.log(1.5) + math.sin(1.5) * math.cos(2) / math.tan(2)
     + math.tanh(-0.5) + 0.5),
    ("pi * e + 1.5e2 + .5", math.pi * math.e + 150 + 0.5),
    ("+a", 1.5),
])
def test_expression_values_follow_python_precedence(text, expected):
    expr = parse_expression(text, {"a", "b", "c"})
    assert float(expr({"a": 1.5, "b": 2.0, "c": -0.5})) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("text", ["", "a +", "a b", "(a", "a)", "f(a)", "exp a", "a ** ",
                                  "a.b", "a[0]", "'a'", "a, b", "a = 1", "a if a else b",
                                  "1__0", "0x10", "a" * 501, "(" * 41 + "a" + ")" * 41])
def test_expression_grammar_rejects(text):
    with pytest.raises(ExpressionError):
        parse_expression(text, {"a", "b"})


def test_expression_outside_its_domain_is_nan_under_a_complex_step_too():
    """Where the real arithmetic gives NaN or inf (sqrt or log of a negative, log 0) the
    complex evaluation (a whole-problem complex step) and the partials give NaN too, not
    the complex branch's finite numbers (task s38r: sqrt(-4) came back 2j, real part 0,
    its d/dx 2e30; log(0) a d/dy of 3.6e30)."""
    e = parse_expression("sqrt(x) + log(y)", {"x", "y"})
    x, y = np.array([-4.0, 4.0, 4.0]), np.array([1.0, 0.0, 1.0])
    real = e({"x": x, "y": y})
    assert np.isnan(real[0]) and real[1] == -np.inf and real[2] == 2.0
    cs = e({"x": x + 1e-30j, "y": y})
    assert np.isnan(cs[0].real) and cs[1].real == -np.inf and cs[2].real == 2.0
    assert np.isnan(cs[0].imag) and np.isnan(cs[1].imag)
    assert cs[2].imag == pytest.approx(0.25e-30, rel=1e-12)
    d = e.partials({"x": x, "y": y})
    assert np.isnan(d["x"][:2]).all() and np.isnan(d["y"][:2]).all()
    assert d["x"][2] == pytest.approx(0.25, rel=1e-12) and d["y"][2] == pytest.approx(1.0)


@pytest.mark.parametrize("n", [1, 4])
def test_derived_component_partials(n):
    spec = DerivedSpec("study:q", "m * sqrt(e) + abs(m - 900) ** 1.5 / exp(e / 30)", "kg",
                       (("m", "mass:curb"), ("q", "powertrain:bev:battery_energy")),
                       parse_expression("m * sqrt(q) + abs(m - 900) ** 1.5 / exp(q / 30)",
                                        {"m", "q"}))
    prob = om.Problem()
    prob.model.add_subsystem("d", DerivedComp(spec=spec, units={"mass:curb": "kg",
                                                                "powertrain:bev:battery_energy":
                                                                "kW*h"}, n_cases=n))
    prob.setup(force_alloc_complex=True)
    prob.set_val("d.m", np.linspace(850.0, 1000.0, n))
    prob.set_val("d.q", np.linspace(10.0, 30.0, n))
    prob.run_model()
    m, q = np.linspace(850.0, 1000.0, n), np.linspace(10.0, 30.0, n)
    assert prob.get_val("d.derived:value") == pytest.approx(m * np.sqrt(q) + abs(m - 900) ** 1.5
                                                / np.exp(q / 30))
    data = prob.check_partials(method="fd", out_stream=None)
    assert_check_partials(data, atol=2e-3, rtol=2e-5)
    # complex step of the problem through the component (task s38a: its value was cast
    # to float, the imaginary part dropped, every cs total 0)
    tot = prob.check_totals(of=["d.derived:value"], wrt=["d.m", "d.q"], method="cs",
                            out_stream=None)
    for key, d in tot.items():
        analytic = d["J_fwd"] if "J_fwd" in d else d["J_rev"]
        assert np.all(np.abs(np.diag(d["J_fd"])) > 0.1), key
        assert np.ravel(d["J_fd"]) == pytest.approx(np.ravel(analytic), rel=1e-12), key


def test_derived_quantity_in_a_study_problem_and_its_totals():
    text = """
[study]
name = "t"
design = "designs/sakura_class.toml"

[[variable]]
name = "powertrain.bev.battery_energy"
lower = 15
upper = 30

[objective]
name = "study:range_proxy"
sense = "max"

[[constraint]]
quantity = "study:range_proxy"
lower = "100 km"
units = "mi"

[derived.range_proxy]
expr = "en * mpge / 33.705"
units = "mi"
vars = { en = "powertrain:bev:battery_energy", mpge = "energy:label_comb_mpg" }
"""
    s = parse_study(text, "s.toml", base_dir=STUDIES)
    (c,) = s.constraints
    assert c.lower == pytest.approx(100 / 1.609344)
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    prob = sp.prob
    prob.model.add_design_var("powertrain:bev:battery_energy", lower=15, upper=30)
    prob.model.add_objective("study:range_proxy", scaler=-1.0)
    prob.setup()
    prob.run_model()
    e = float(prob.get_val("powertrain:bev:battery_energy", units="kW*h")[0])
    mpge = float(prob.get_val("energy:label_comb_mpg", units="mi/galUS")[0])
    assert float(prob.get_val("study:range_proxy", units="mi")[0]) == pytest.approx(
        e * mpge / 33.705, rel=1e-12)
    data = prob.check_totals(of=["study:range_proxy"], wrt=["powertrain:bev:battery_energy"],
                             method="fd", step=1e-4, out_stream=None)
    for d in data.values():
        assert d["rel error"].forward < 1e-3
