"""The mass group's Newton solver under a complex step (task s38a's guard, reviewed by
task s38r): on a two-equation loop small enough to solve by hand, it refuses a complex
step of a problem whose linear vectors are real (OpenMDAO would drop the Newton step's
imaginary part: totals 0, silently), gives the exact totals when they are complex, and
leaves a real run alone. Seconds, where the study-level test takes ~30 s, so an
OpenMDAO upgrade that moves the solver's hooks shows here first."""

from __future__ import annotations

import openmdao.api as om
import pytest

from keidesign.mass.components import ComplexSafeNewton


class _Y1(om.ExplicitComponent):
    """y1 = 2 + 0.5 y2 + x (analytic partials: a complex-step partial inside the loop
    would fall back to finite differences under the problem's complex step, "nested
    complex step", and the Newton step's imaginary part would carry its error)."""

    def setup(self):
        self.add_input("x", 1.0)
        self.add_input("y2", 0.0)
        self.add_output("y1", 0.0)
        self.declare_partials("y1", "x", val=1.0)
        self.declare_partials("y1", "y2", val=0.5)

    def compute(self, inputs, outputs):
        outputs["y1"] = 2.0 + 0.5 * inputs["y2"] + inputs["x"]


class _Z(om.ExplicitComponent):
    """z = 2 y1 after the loop, partials by complex step: the problem's nonlinear vectors
    are complex without ``force_alloc_complex``, as the study problem's are."""

    def setup(self):
        self.add_input("y1", 0.0)
        self.add_output("z", 0.0)
        self.declare_partials("z", "y1", method="cs")

    def compute(self, inputs, outputs):
        outputs["z"] = 2.0 * inputs["y1"]


class _Y2(om.ExplicitComponent):
    """y2 = 0.3 y1 + x^2 (analytic partials)."""

    def setup(self):
        self.add_input("x", 1.0)
        self.add_input("y1", 0.0)
        self.add_output("y2", 0.0)
        self.declare_partials("y2", ["x", "y1"])

    def compute(self, inputs, outputs):
        outputs["y2"] = 0.3 * inputs["y1"] + inputs["x"] ** 2

    def compute_partials(self, inputs, partials):
        partials["y2", "x"] = 2.0 * inputs["x"]
        partials["y2", "y1"] = 0.3


def _problem(force_alloc_complex: bool) -> om.Problem:
    prob = om.Problem(reports=False)
    loop = prob.model.add_subsystem("loop", om.Group(), promotes=["*"])
    loop.add_subsystem("a", _Y1(), promotes=["*"])
    loop.add_subsystem("b", _Y2(), promotes=["*"])
    loop.nonlinear_solver = ComplexSafeNewton(solve_subsystems=False, maxiter=10,
                                              atol=1e-12, rtol=1e-14, iprint=-1,
                                              err_on_non_converge=True)
    loop.linear_solver = om.DirectSolver(assemble_jac=True)
    prob.model.add_subsystem("after", _Z(), promotes=["*"])
    prob.setup(force_alloc_complex=force_alloc_complex)
    prob.set_val("x", 2.0)
    return prob


def _exact(x: float) -> tuple[float, float]:
    """z = 2 y1 and dz/dx of the loop by hand: y1 = (2 + x + 0.5 x^2) / 0.85."""
    return 2.0 * (2.0 + x + 0.5 * x * x) / 0.85, 2.0 * (1.0 + x) / 0.85


def test_real_run_solves_the_loop():
    prob = _problem(False)
    prob.run_model()
    assert prob.get_val("z")[0] == pytest.approx(_exact(2.0)[0], rel=1e-12)


def test_complex_step_without_complex_linear_vectors_is_refused():
    prob = _problem(False)
    prob.run_model()
    with pytest.raises(RuntimeError, match=r"force_alloc_complex=True"):
        prob.check_totals(of=["z"], wrt=["x"], method="cs", out_stream=None)


def test_complex_step_with_complex_linear_vectors_is_exact():
    prob = _problem(True)
    prob.run_model()
    data = prob.check_totals(of=["z"], wrt=["x"], method="cs", out_stream=None)
    (d,) = data.values()
    # 6 / 0.85 = 7.06; the complex step exact to round-off, not 0
    assert float(d["J_fd"][0, 0]) == pytest.approx(_exact(2.0)[1], rel=1e-12)
    assert float(d["J_fwd"][0, 0]) == pytest.approx(_exact(2.0)[1], rel=1e-12)
    assert prob.get_val("z")[0] == pytest.approx(_exact(2.0)[0], rel=1e-12)


def test_plain_newton_drops_the_imaginary_part():
    """Why the guard exists (and that this loop shows it): OpenMDAO's own Newton, the
    problem set up without complex linear vectors, returns a complex-step total of 0
    where the exact one is 7.06 (or fails to converge), and says nothing."""
    prob = _problem(False)
    prob.model.loop.nonlinear_solver = om.NewtonSolver(
        solve_subsystems=False, maxiter=10, atol=1e-12, rtol=1e-14, iprint=-1,
        err_on_non_converge=False)
    prob.setup()
    prob.set_val("x", 2.0)
    prob.run_model()
    data = prob.check_totals(of=["z"], wrt=["x"], method="cs", out_stream=None)
    (d,) = data.values()
    assert abs(float(d["J_fd"][0, 0]) - _exact(2.0)[1]) > 1.0
