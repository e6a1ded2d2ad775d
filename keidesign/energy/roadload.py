"""Road load and tractive energy over a drive cycle.

Road load (SAE J2264 / 40 CFR 1066 coastdown form; Wong, *Theory of Ground Vehicles*,
ch. 3-4):

    F(t) = m_eff * a(t) + F0 + F1 * v(t) + F2 * v(t)**2          [N]

From design inputs: ``F0 = Crr * m * g``, ``F1 = c1 * m * g`` (``road:crr_speed``; or an
EPA target coefficient B), ``F2 = 0.5 * rho * Cd * A`` and ``m_eff = m * (1 + f_rot)``;
the defaults ``Crr = 0.0079`` and ``c1 = 9.1e-5 s/m`` are fitted on EPA target
coast-downs of 522 small-car configurations with published Cd, the EV rows' with their
motor's coast-down drag (:mod:`keidesign.validation.roadload`, docs/validation.md), with ``m``
the test mass (curb + 136 kg, 40 CFR 1066.805), ``rho = 1.2 kg/m^3`` (dry air near
20 degC, 101.3 kPa), ``g = 9.80665 m/s^2`` and ``f_rot = 0.03`` the rotating-mass
allowance of UN GTR No. 15 Annex 4 para. 2.5.1 ("3 per cent of the sum of the mass in
running order and 25 kg"; the 25 kg is neglected). On a two-wheel-drive dynamometer only
the driven axle turns, so the physical allowance there is about half; the efficiency fit
of :mod:`keidesign.energy.calibration` uses the same ``f_rot`` and absorbs the difference.
All constants are read from ``calibration.toml`` (section ``[roadload]``).

Discretisation (the one of NREL FASTSim's ``simdrive``): on each interval of the 1 Hz
trace, ``dv = v1 - v0``, mean speed ``vb = (v0 + v1)/2``; the interval work is

    W_i = m_eff * dv * vb + (F0 * vb + F1 * vb**2 + F2 * vb**3) * dt      [J]

so the inertial work sums exactly to the kinetic-energy change (``m_eff*dv*vb =
d(m_eff v^2/2)``) and the distance is the trapezoid rule. ``W_i`` is linear in
``theta = (m_eff, F0, F1, F2)``: ``W_i = B_i . theta`` with a basis ``B`` fixed by the
cycle, so a cycle reduces to a (n_intervals x 4) matrix and the derivatives are exact.

Propulsive and braking energy: ``E+ = sum_i dt * s(P_i)``, ``E_brake = E+ - sum_i W_i``
(>= 0), ``P_i = W_i / dt``, with the smooth positive part

    s(P) = (P + sqrt(P**2 + eps**2)) / 2,   eps = 50 W (``[roadload] smoothing_w``)

instead of ``max(P, 0)``: ``max`` makes E+ a piecewise-linear function of the design
with a slope jump every time one interval's power changes sign, which gradient-based
optimisers (SLSQP) dislike; ``s`` is C-infinity. ``0 <= s(P) - max(P, 0) <= eps/2``,
largest where P is near 0; intervals standing still (v0 = v1 = 0) have P = 0 for every
design and are dropped, so the bias comes only from sign changes. The error against
the exact positive part is below 0.1 % of E+ on the FTP and the HWFET for small cars
(``tests/test_energy.py`` checks it).

Why a reducing component and not per-time-step vector outputs: the cycle is a fixed
parameter, not a design variable, so per-step forces and powers (1369 + 765 values with
diagonal Jacobians) would only fill the model and the recorder; the reduction gives the
same exact derivatives (``dE+/dtheta = sum_i s'(P_i) B_i``) in one O(n) pass.

Batched (option ``n_cases = n > 1`` of both components, :mod:`keidesign.batch`): the
same equations on ``(n,)`` inputs, ``W = theta B^T`` as an ``(n, n_intervals)`` array
per phase (values only, no partials); phase outputs then have shape ``(n, n_phases)``
(``(n,)`` for a one-phase test).

Validity: flat road, no wind, the dynamometer convention that the trace is followed
exactly (no power limit: a design that cannot follow the trace is the later 0-60/US06
check's business).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from openmdao.core.explicitcomponent import ExplicitComponent

from geometry import ad
from keidesign import batch
from keidesign.closed_form import DualClosedForm
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import METRES_PER_MILE, DriveTest, Phase, get_test
from keidesign.variables import add_input, add_output

__all__ = [
    "FRONTAL_AREA_FACTOR",
    "J_PER_KWH",
    "PhaseBasis",
    "RoadLoadComp",
    "TractiveEnergyComp",
    "load_constants",
    "phase_basis",
    "road_load_coefficients",
    "cycle_basis",
    "tractive_energy",
]

J_PER_KWH = 3.6e6
#: Frontal area / (overall width x height) of the body model, for a car known only by
#: its published width and height (the road-load validation, the kei WLTC check): its
#: section plus tyres comes out at 0.886-0.893 W H on the 600+ imported EPA cars
#: (:mod:`keidesign.validation.specsonly`, held by tests/test_validation.py) and at
#: 0.88-0.91 W H on the reference designs (kei hatch 0.880, tall-boys 0.905-0.909).
FRONTAL_AREA_FACTOR = 0.89


@cache
def load_constants() -> dict[str, Any]:
    """The energy-model constants, from ``keidesign/energy/calibration.toml``."""
    ref = resources.files("keidesign.energy").joinpath("calibration.toml")
    with ref.open("rb") as fh:
        return tomllib.load(fh)


def road_load_coefficients(mass: Any, cd: Any, area: Any, crr: Any, crr_speed: Any,
                           consts: dict | None = None) -> tuple[Any, Any, Any]:
    """Road-load coefficients ``(F0 N, F1 N s/m, F2 N s^2/m^2)`` of a vehicle of test mass
    ``mass`` (kg), drag coefficient ``cd``, frontal area ``area`` (m^2) and rolling
    resistance ``crr`` + ``crr_speed`` v (s/m): ``F0 = Crr m g``, ``F1 = c1 m g``,
    ``F2 = rho Cd A / 2`` (module docstring). Numbers, arrays or dual numbers;
    ``consts`` the ``[roadload]`` section (None: ``calibration.toml``'s ``g``, ``rho_air``).
    Validity: the module's (flat road, no wind, dry air near 20 degC); ``crr`` and
    ``crr_speed`` are fitted on the EPA coast-down targets of 571 small cars, so the
    small light-duty cars of that fit at the drive traces' speeds (0-130 km/h).
    """
    c = load_constants()["roadload"] if consts is None else consts
    g = float(c["g"])
    return crr * mass * g, crr_speed * mass * g, 0.5 * float(c["rho_air"]) * cd * area


@dataclass(frozen=True)
class PhaseBasis:
    """Interval basis of one phase: ``W = B @ (m_eff, F0, F1, F2)`` in J.

    Only moving intervals are kept (a standing interval has ``W = 0`` for any theta).
    """

    B: np.ndarray  # (n, 4)
    dt: np.ndarray  # (n,) s
    distance: float  # m
    duration: float  # s


def phase_basis(phase: Phase) -> PhaseBasis:
    """Build the interval basis of a phase (see the module docstring)."""
    t, v = phase.time, phase.speed
    dt = np.diff(t)
    v0, v1 = v[:-1], v[1:]
    vb = 0.5 * (v0 + v1)
    B = np.column_stack([(v1 - v0) * vb, vb * dt, vb**2 * dt, vb**3 * dt])
    moving = vb > 0.0
    return PhaseBasis(B[moving], dt[moving], phase.distance, phase.duration)


@cache
def cycle_basis(name: str) -> tuple[PhaseBasis, ...]:
    """Phase bases of the registered drive test ``name`` (cached)."""
    return tuple(phase_basis(p) for p in get_test(name).phases)


def tractive_energy(basis: PhaseBasis, theta: Any, eps: float) -> tuple[Any, Any]:
    """Propulsive and braking tractive energy of one phase, J, per design.

    Args:
        basis: the phase basis.
        theta: ``(n, 4)``, one design per row: ``(m_eff kg, F0 N, F1 N/(m/s), F2
            N/(m/s)^2)``; an array (may be complex) or dual numbers (:mod:`geometry.ad`:
            the component's partials come from this same function).
        eps: smoothing power (W) of the positive part (:func:`geometry.ad.spos`); 0 for
            the exact ``max(P, 0)``.

    Returns:
        ``(E_pos, E_brake)``, each ``(n,)``; ``E_brake >= 0``.

    Equations (module docstring): ``W_i = B_i . theta`` (J), ``E_pos = sum_i dt_i
    s(W_i / dt_i)`` and ``E_brake = E_pos - sum_i W_i``, ``s`` the smooth positive part.

    Validity: the module's (flat road, no wind, the trace followed exactly: a design
    that cannot follow it is the performance check's business) for physical road loads
    (``m_eff`` > 0, ``F0``, ``F1``, ``F2`` >= 0) on the registered 1 Hz traces. With
    ``eps`` = 50 W the smoothing adds at most ``eps / 2`` per interval whose power
    changes sign, below 0.1 % of ``E_pos`` on the FTP and the HWFET for small cars
    (``tests/test_energy.py``); for a much lighter or slower vehicle (smaller powers)
    that share grows. Outside: nothing is checked here; negative coefficients give
    energies without physical meaning, and ``E_brake >= 0`` holds for any ``eps >= 0``
    (``s(P) >= max(P, 0)``).
    """
    w = theta[:, 0:1] * basis.B[:, 0]  # interval work W = B theta, (n, T)
    for k in range(1, 4):
        w = w + theta[:, k:k + 1] * basis.B[:, k]
    e_pos = ad.sum_(ad.spos(w / basis.dt, eps) * basis.dt, axis=-1)
    return e_pos, e_pos - ad.sum_(w, axis=-1)


def _trac_name(test: str, what: str) -> str:
    return f"energy:{test}:{what}"


class RoadLoadComp(DualClosedForm):
    """Road-load coefficients from the design: ``m_eff``, ``F0``, ``F1``, ``F2``.

    ``m_eff = m (1 + f_rot)``, ``F0 = Crr m g``, ``F1 = c1 m g``, ``F2 = rho Cd A / 2``
    (``c1`` = ``road:crr_speed``); constants from
    ``calibration.toml`` ``[roadload]`` (see the module docstring for their sources).
    Option ``motor_drag`` (a BEV whose road load is not measured): ``F1`` and ``F2``
    also carry the drag of the traction motor turning with the wheels in the coast-down
    (:func:`keidesign.energy.powertrains.coastdown_drag`, from
    ``powertrain:bev:motor_power``, ``motor_torque``, ``powertrain:overall_ratio_high``
    and the ``[bev]`` loss constants read at evaluation), so that they predict the
    target coefficients the BEV loss map was fitted with; option ``induction`` (0 or 1)
    for an induction machine.
    Batched (``n_cases > 1``): elementwise on ``(n,)``, no partials.
    """

    INPUTS = ("mass:test", "road:cd", "body:frontal_area", "road:crr", "road:crr_speed")
    OUTPUTS = ("energy:road:m_eff", "energy:road:f0", "energy:road:f1", "energy:road:f2")
    MOTOR_INPUTS = ("powertrain:bev:motor_power", "powertrain:bev:motor_torque",
                    "powertrain:overall_ratio_high")

    def initialize(self):
        super().initialize()
        self.options.declare("motor_drag", default=False, types=bool,
                             desc="add a BEV motor's coast-down drag (powertrains."
                                  "coastdown_drag)")
        self.options.declare("induction", default=0.0, types=float,
                             desc="1.0 for an induction machine, 0.0 permanent magnet")

    def setup(self):
        self._frot = float(load_constants()["roadload"]["rotating_mass_fraction"])
        extra = list(self.MOTOR_INPUTS) if self.options["motor_drag"] else []
        self._add_variables(list(self.INPUTS) + extra, list(self.OUTPUTS))

    def _values(self, g):
        m = g["mass:test"]
        f0, f1, f2 = road_load_coefficients(m, g["road:cd"], g["body:frontal_area"],
                                            g["road:crr"], g["road:crr_speed"])
        if self.options["motor_drag"]:
            from keidesign.energy import constants as kc  # imports this module

            d1, d2 = pt.coastdown_drag(g["powertrain:bev:motor_power"] * 1e3,
                                    g["powertrain:bev:motor_torque"],
                                    g["powertrain:overall_ratio_high"], kc.bev_constants(),
                                    self.options["induction"])
            f1, f2 = f1 + d1, f2 + d2
        return {"energy:road:m_eff": m * (1.0 + self._frot),
                "energy:road:f0": f0, "energy:road:f1": f1, "energy:road:f2": f2}


class TractiveEnergyComp(ExplicitComponent):
    """Propulsive / braking tractive energy of one drive test, per phase and per mile.

    Inputs ``energy:road:m_eff``, ``f0``, ``f1``, ``f2``; outputs (``<t>`` = test name)
    ``energy:<t>:trac_pos_phase`` and ``energy:<t>:trac_brake_phase`` (kWh, one value
    per phase, unweighted) and ``energy:<t>:trac_pos_per_mi`` /
    ``energy:<t>:trac_brake_per_mi`` (kWh/mi, the phase-weighted composite).
    Batched (``n_cases > 1``): inputs and per-mile outputs ``(n,)``, phase outputs
    ``(n, n_phases)``, ``(n,)`` for one phase, no partials. Values and partials (dual
    numbers) from the one :func:`tractive_energy`.
    """

    _THETA = ("energy:road:m_eff", "energy:road:f0", "energy:road:f1", "energy:road:f2")
    _CHUNK = 64  # batched: cases per block

    def initialize(self):
        batch.declare_option(self.options)
        self.options.declare("test", types=str, desc="drive test name (cycles.TESTS)")
        self.options.declare("smoothing_w", default=None, allow_none=True,
                             desc="smoothing power eps (W); None: calibration.toml value")

    def setup(self):
        t = self.options["test"]
        test: DriveTest = get_test(t)
        self._basis = cycle_basis(t)
        eps = self.options["smoothing_w"]
        self._eps = float(load_constants()["roadload"]["smoothing_w"] if eps is None else eps)
        self._w = test.weights
        self._dist_mi = test.distance / METRES_PER_MILE
        n = len(test.phases)
        self._nb = nb = batch.n_cases(self)
        shape = batch.shape(self)
        for name in self._THETA:
            add_input(self, name, shape=shape)
        self._out = {k: _trac_name(t, k) for k in
                     ("trac_pos_phase", "trac_brake_phase", "trac_pos_per_mi",
                      "trac_brake_per_mi")}
        phases = n if nb == 1 else (nb, n) if n > 1 else nb
        add_output(self, self._out["trac_pos_phase"], shape=phases)
        add_output(self, self._out["trac_brake_phase"], shape=phases)
        add_output(self, self._out["trac_pos_per_mi"], shape=shape)
        add_output(self, self._out["trac_brake_per_mi"], shape=shape)
        if nb > 1:
            return
        self.declare_partials("*", list(self._THETA))

    def _energies(self, theta: Any) -> tuple[Any, Any]:
        """Phase energies (kWh), each ``(n, n_phase)``, for ``theta`` ``(n, 4)``."""
        res = [tractive_energy(b, theta, self._eps) for b in self._basis]
        return (ad.stack_last([r[0] for r in res]) / J_PER_KWH,
                ad.stack_last([r[1] for r in res]) / J_PER_KWH)

    def compute(self, inputs, outputs):
        theta = np.column_stack([np.reshape(inputs[n], -1) for n in self._THETA])
        n, step = theta.shape[0], self._CHUNK
        e_pos = np.empty((n, len(self._basis)), dtype=theta.dtype)
        e_brk = np.empty_like(e_pos)
        for a in range(0, n, step):  # blocks of cases keep (cases x time) in cache
            e_pos[a:a + step], e_brk[a:a + step] = self._energies(theta[a:a + step])
        o = self._out
        outputs[o["trac_pos_phase"]] = e_pos.reshape(outputs[o["trac_pos_phase"]].shape)
        outputs[o["trac_brake_phase"]] = e_brk.reshape(outputs[o["trac_brake_phase"]].shape)
        per_mi = (np.sum(e_pos * self._w, axis=-1) / self._dist_mi,
                  np.sum(e_brk * self._w, axis=-1) / self._dist_mi)
        outputs[o["trac_pos_per_mi"]] = per_mi[0].reshape(outputs[o["trac_pos_per_mi"]].shape)
        outputs[o["trac_brake_per_mi"]] = per_mi[1].reshape(
            outputs[o["trac_brake_per_mi"]].shape)

    def compute_partials(self, inputs, J):
        if self._nb > 1:
            return
        theta = ad.seed_columns(np.array([[np.real(inputs[n][0]) for n in self._THETA]]))
        e_pos, e_brk = self._energies(theta)
        g_pos, g_brk = e_pos.g[0], e_brk.g[0]  # (n_phase, 4)
        o = self._out
        for j, name in enumerate(self._THETA):
            J[o["trac_pos_phase"], name] = g_pos[:, j:j + 1]
            J[o["trac_brake_phase"], name] = g_brk[:, j:j + 1]
            J[o["trac_pos_per_mi"], name] = self._w @ g_pos[:, j] / self._dist_mi
            J[o["trac_brake_per_mi"], name] = self._w @ g_brk[:, j] / self._dist_mi
