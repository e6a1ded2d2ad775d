"""Energy sizing of a front crash structure: the force scale whose full-width crush is a
given stroke (issue 14; docs/crash.md, "Energy sizing of engine-less imported fronts").

A front is designed so that its crush zones absorb the kinetic energy of the full-width
rigid-barrier test within the stroke they have (design intent: Huang, *Vehicle Crash
Mechanics*, CRC 2002, ch. 3-4: the crush zones absorb the test energy within the crush
space; Kamal's lumped-mass model, the energy the springs take)::

    E = m V^2 / 2 = integral_0^S F(x) dx          (J; m kg, V m/s, F N, x and S m)

With the model's force-crush law F(x) (Campbell's line over the zones, then the stack's
contact, the engine's push-back on the dash and the compaction past the zones, as the
pulse kernel counts them: :mod:`keidesign.crash.pulse`), the sizing finds the one force
scale s of every zone force (bumper, crash boxes, rails and the line's slope times s)
for which the pulse's maximum dynamic crush at the design speed V equals the target
stroke S::

    C(s; m, V) = S,    V = 56 km/h (FMVSS 208 / US NCAP full width)

C is the three-mass pulse's maximum dynamic crush (``crash:front:crush_required``: the
occupants' and the stack's masses ride in it, the car's restitution and the elastic
energy included), so the balance is the model's, not the rigid E = F_mean S. The
structure's walls then go as s^(3/5): the superfolding force of a thin-walled member goes
as t^(5/3) (:mod:`keidesign.crash.members`). C should fall with s (a stiffer front
crushes less); s is found by bracketing on a geometric grid (:data:`S_GRID`) and
interpolating ln s in C twice. The fall is checked, not assumed: on every grid the crush
must fall strictly from one scale to the next (else the scale for a crush is not unique
and the sizing is refused, naming the two scales), and the scale found is simulated once
more and must give the target within :data:`CRUSH_RTOL` (else refused: the crush jumps
over the target between two scales). On the 40 first certified cars it falls by at
least 0.44 mm per grid step (5 Dec 2026).

Where it is used: the import's engine-less rule (``keidesign.specs.build``,
``ENGINELESS_ENERGY_SIZING``, shipped since 6 Dec 2026 with the class crush
``ENGINELESS_CLASS_CRUSH_MM``, task s28b: ``benchmarks/engineless_class_crush_trial.py``;
within the zones' stroke alone, judged on 5 Dec 2026, it over-crushed the held-out Tesla
Model 3 test by 36 % and was not shipped, docs/crash.md) and the trials
``benchmarks/energy_sizing_trial.py`` and ``engineless_sizing_trial.py``. The rule takes
an imported front with no engine or motor ahead of the dash
(:data:`ENGINELESS_LAYOUTS`), whose stroke S is the zones' own up to the gap
(:func:`zone_stroke`, ``structure.campbell_span``), and sizes it to the design crush
min(S, C*) (:func:`design_crush`): E absorbed by the zones before the compaction past
them (20 MN/m, assumed) is reached, and within the class crush C* = V^2 / (2 a*) where
the zones are longer (one constant, a* = 18.85 g, fitted on the five engine-less tests
and judged held out by family; [A] one a* for the class). Assumptions: [A] the maker sized an
engine-less front so that its zones absorb the test energy in their own stroke (no
engine block behind them to crush or to push against the dash; Daimler's 453 texts say
its crash boxes are matched to the vehicle weight, media.daimler.com, "Passive safety",
and the 453 Introduction into Service manual p. 105, R; no force or stroke published);
[A] every zone force follows one s (the bumper's force does not follow the walls: the
import's fixed point corrects it, ``build``); [A] eta = 1, no efficiency factor (the one
fitted parameter is C*). Validity: full-width rigid barrier at the design speed; fronts
whose zones reach the target at a scale in :data:`S_GRID` (0.1-10 x the front's force);
checked on the five engine-less fronts with a test (smart 451 ED and W453, i-MiEV, Tesla
Model 3 and Model S, zones' strokes 474-975 mm, test masses up to 2,116 kg:
docs/crash.md, "A class crush for engine-less imported fronts").
Units: SI inside (N, m, kg), mm in the reports.
"""

from __future__ import annotations

import numpy as np

from keidesign.crash import pulse
from keidesign.crash.structure import campbell_span
from keidesign.errors import InputError

__all__ = ["CRUSH_RTOL", "DESIGN_SPEED_KMH", "ENGINELESS_LAYOUTS", "S_GRID", "class_decel_g",
           "design_crush", "force_scale", "scaled", "zone_stroke"]

#: design speed of the sizing: the FMVSS 208 / US NCAP full-width test, km/h
DESIGN_SPEED_KMH = 56.0
#: the powertrain layouts that leave no engine or motor stack ahead of the dash (the
#: pulse model's block term is zero for them: ``keidesign.crash.structure``, option
#: ``layout``)
ENGINELESS_LAYOUTS = ("rear", "mid", "underfloor")
#: force scales (x the front's own) searched for the target, geometric
S_GRID = np.geomspace(0.1, 10.0, 121)
#: relative tolerance of the crush at the scale :func:`force_scale` returns (checked)
CRUSH_RTOL = 1e-3


def scaled(p: dict, s: np.ndarray) -> dict:
    """Lanes of the pulse parameters ``p`` (:func:`keidesign.crash.pulse.params_from_inputs`)
    with every zone force and the line's slope times ``s`` (one lane per value)."""
    n = s.size
    q = {k: np.full(n, float(np.ravel(v)[0])) for k, v in p.items()}
    for k in ("f1", "f2", "f3", "k_lin"):
        q[k] = q[k] * s
    return q


def zone_stroke(p: dict) -> float:
    """The zones' own stroke up to the gap (m) of the front of pulse parameters ``p``:
    ``structure.campbell_span`` (s_1 + s_2 + s_3, or the gap where the zones reach it)."""
    q = {k: float(np.ravel(v)[0]) for k, v in p.items()}
    return float(campbell_span([q["s1"], q["s2"], q["s3"]], q["gap"]))


def design_crush(stroke_m: float, class_crush_mm: float | None = None) -> float:
    """The crush (m) an engine-less front is sized to: its zones' own stroke S
    (``stroke_m``), bounded by the class crush C* (``class_crush_mm``, mm; None: no
    bound)::

        C_d = min(S, C*),   C* = V^2 / (2 a*)

    the zones absorb E = m V^2 / 2 within S where S is shorter than C*, else within C*:
    a front with stroke to spare is made stiff enough to stop the car at the class's
    energy-equivalent deceleration a* (:func:`class_decel_g`) and keeps the rest of its
    stroke (docs/crash.md, "A class crush for engine-less imported fronts"). Raises
    :class:`InputError` for a C* that is not a positive number."""
    if class_crush_mm is None:
        return float(stroke_m)
    if not (np.isfinite(class_crush_mm) and class_crush_mm > 0.0):
        raise InputError(f"energy sizing: class crush C* = {class_crush_mm!r} mm; allowed: a "
                         f"number > 0 mm")
    return float(min(stroke_m, class_crush_mm * 1e-3))


def class_decel_g(class_crush_mm: float, v0_kmh: float = DESIGN_SPEED_KMH) -> float:
    """The energy-equivalent deceleration a* = V^2 / (2 C*) (g, g = 9.80665 m/s^2) of a
    stop in the class crush C* (``class_crush_mm``, mm) from ``v0_kmh``."""
    return (v0_kmh / 3.6) ** 2 / (2.0 * class_crush_mm * 1e-3) / 9.80665


def force_scale(p: dict, target_m: float, v0_kmh: float = DESIGN_SPEED_KMH) -> float:
    """The force scale s (x the front of pulse parameters ``p``) whose maximum dynamic
    crush at ``v0_kmh`` is ``target_m`` (m). Raises :class:`InputError` when no scale of
    :data:`S_GRID` reaches it, when the crush does not fall strictly with the scale on a
    grid searched (the scale would not be unique), or when the scale found does not give
    the target within :data:`CRUSH_RTOL` (module docstring)."""
    grid = S_GRID
    c = _crush(p, grid, v0_kmh)
    if not c.min() <= target_m <= c.max():
        raise InputError(f"energy sizing: crush target {target_m * 1e3:.0f} mm; allowed: "
                         f"{c.min() * 1e3:.0f}-{c.max() * 1e3:.0f} mm (force scale "
                         f"{grid[0]:g}-{grid[-1]:g})")
    for _ in range(2):
        _falls(grid, c)
        j = int(np.searchsorted(-c, -target_m))
        j = min(max(j, 1), grid.size - 1)
        grid = np.geomspace(grid[j - 1], grid[j], 41)
        c = _crush(p, grid, v0_kmh)
    _falls(grid, c)
    s = float(np.exp(np.interp(-target_m, -c, np.log(grid))))
    got = float(_crush(p, np.array([s]), v0_kmh)[0])
    if not abs(got / target_m - 1.0) <= CRUSH_RTOL:
        raise InputError(f"energy sizing: crush target {target_m * 1e3:.1f} mm not reached: "
                         f"force x {s:.5g} gives {got * 1e3:.1f} mm (allowed within "
                         f"{100 * CRUSH_RTOL:g} %); the crush jumps over the target between "
                         f"x {grid[0]:.5g} and x {grid[-1]:.5g}")
    return s


def _crush(p: dict, s: np.ndarray, v0_kmh: float) -> np.ndarray:
    """Maximum dynamic crush (m) of the front ``p`` at each force scale of ``s``."""
    return np.real(pulse.simulate_cases(scaled(p, s), v0_kmh=v0_kmh)["c_max"])


def _falls(grid: np.ndarray, c: np.ndarray) -> None:
    """Refuse a crush ``c`` that does not fall strictly along the rising scales ``grid``."""
    up = np.flatnonzero(np.diff(c) >= 0.0)
    if up.size:
        i = int(up[0])
        raise InputError(f"energy sizing: the crush does not fall with the force scale: "
                         f"x {grid[i]:.5g} -> x {grid[i + 1]:.5g} gives {c[i] * 1e3:.2f} -> "
                         f"{c[i + 1] * 1e3:.2f} mm; allowed: a crush falling strictly as the "
                         f"force rises (else the force scale for a crush is not unique)")
