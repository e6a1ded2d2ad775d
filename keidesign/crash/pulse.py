"""Full-frontal rigid-barrier crash (FMVSS 208 / US NCAP, 56 km/h): lumped-mass pulse.

A three-mass Kamal-type model (Kamal, SAE 700414; M. Huang, *Vehicle Crash Mechanics*,
CRC 2002, ch. 4) integrated in time with velocity Verlet (dt = 0.1 ms, 160 ms)::

    body  m_b = m_test - m_stack - m_occ   x_b (= crush of the front structure)
    stack m_e = powertrain stack           x_e
    occ   m_o = 2 x 78 kg (Hybrid III 50th) x_o

Elements (force >= 0, positive x towards the barrier)::

    front structure  barrier-body  delta = x_b            F_L = F_A + k_lin delta (default
                                                          FRONT_FORCE_LAW = "campbell":
                                                          structure.campbell_line, the
                                                          zones' energy over
                                                          structure.campbell_span; option
                                                          "staircase": F_1/F_2/F_3 steps)
                                                          + compaction past the rails
    stack contact    barrier-stack delta = x_e - g_e      F_L = k_c w softplus(delta/w)
    mounts           body-stack    delta = x_b - x_e      F = F_my tanh(delta/delta_y)
    dash             stack-body    delta = x_b - x_e - c_e  F_L = k_d w softplus(delta/w)
    restraint        body-occupant delta = x_o - x_b - s_0  F_L = F_ll tanh(k_r w sp(delta/w)/F_ll)

The staircase is smoothed with tanh steps over w = 5 mm. The structure, stack contact,
dash and restraint are hysteretic: they load along F_L and unload from their largest
deformation with a stiff elastic slope (no tension), which gives the rebound; the mounts
are nonlinear-elastic (saturating at F_my). An elastic-plastic law with a permanent set
was tried on 6 Dec 2026 and not shipped (``benchmarks/mount_trial.py``, which reruns it;
docs/crash.md, "The engine mounts' springback").

Unloading (issue 14, 5 Dec 2026). An element loaded to its largest deformation h unloads
along a line, F_U(e) = max(0, F_L(h) - k_u (h - e)) (N), and returns the elastic energy
F_L(h)^2 / (2 k_u) (J). The front structure's loading law is two elements in parallel,
the zones F_Z (staircase or Campbell's line) and the compaction spring past their end,
F_C = k_c w softplus((x - s_1 - s_2 - s_3) / w); each unloads along its own line and the
forces add::

    F_U = max(0, F_Z(h) - k_u (h - e)) + max(0, F_C(h) - k_t(h) (h - e))
    k_t(h) = dF_C/dx (h) = k_c sigma((h - s_1 - s_2 - s_3) / w)      (N/m)

with k_u = 15 MN/m the zones' elastic slope (A; of the order of the 1996 Neon's measured
10.7 MN/m, ``data/crash/overload_force_crush.csv``, R) and sigma the logistic function.
An elastic-plastic element never unloads softer than its loading tangent (1-D
elastoplasticity: the tangent modulus E H / (E + H) <= E, the elastic one; Simo & Hughes,
*Computational Inelasticity*, Springer 1998, ch. 1, R): F_C is convex, so the line from
F_C(h) with its tangent slope lies below F_C and the spring returns at most the energy
it stored (all of it as the crush goes back past the zones' end: the compaction is
treated as elastic, the least dissipative choice the rule allows, A); the zones return
F_Z(h)^2 / (2 k_u) of their plastic work. The stack contact, dash and restraint unload
no softer than they load (50 MN/m against 5 and 8 MN/m; the restraint at k_r, its
largest loading slope) and the mounts are elastic, so the rebound energy never exceeds
the impact energy (restitution < 1) wherever the zones' springback F_Z(h) / k_u is
shorter than the crush (crush beyond about 20 mm; for the staircase, with no step up of
the zone force within the springback). Until 5 Dec 2026 the structure
unloaded as one line at k_u = 15 MN/m softer than the 20 MN/m compaction it had loaded
on: a crush past the zones gave back more than the compaction stored (restitution
0.43-0.52 for the cab-over kei trucks, 1.02 at 5000 kg; now 0.25-0.27 and 0.76;
restitution of NCAP tests about 0.1-0.2, Huang 2002, ch. 4, R; the cars whose crush stays
in their zones do not move; docs/crash.md, "Unloading past the zones").

Outputs (all from the body = occupant-compartment motion): maximum dynamic crush,
time to zero velocity, average deceleration V / t_0, equivalent-square-wave deceleration
V^2 / (2 C), peak deceleration (3 ms moving average; on the model's own pulse within
-6 / +1.4 % of its SAE J211-1 CFC 60 peak, the tests' statistic, over the 131 certified
generations: :func:`keidesign.crash.validation.model_cfc_peak_g`, docs/crash.md, "The
3 ms peak against the test's CFC 60 peak, like with like"),
rebound velocity, the occupant load criterion (OLC, Kubler et al., *Proc. ESV* 2009,
paper 09-0268: free flight of 65 mm, then the constant deceleration that brings the
virtual occupant to the vehicle velocity within a further 235 mm), the occupant's 3 ms
clip deceleration and its forward excursion from the lumped restraint, the restraint
OLC (the same construction with the restraint's slack s_0 as free flight and its
ride-down space S minus s_0 as ride-down: the lowest constant occupant deceleration, m/s^2,
that stops the occupant relative to the body within S, a floor for any restraint with
that slack; S = ``crash.restraint.ride_down_space``, 300 mm default = the OLC's own
path; validity as the OLC: belted front occupant, full-width test), the dash intrusion,
the energy bookkeeping KE_0 = work on all elements + KE_end, and the crush past the
stack::

    C_past = max_t [ x_b - max(0, x_e - g_e) ]

the body crush less the stack's own compression against the barrier (the stack
contact's penetration: the compacted radiator pack and the powertrain's front side,
at k_c). Once the stack is engaged, x_b = g_e + (x_e - g_e) + c_e + (dash intrusion),
so C_past = g_e + c_e + dash intrusion: it is what the crush available of
:mod:`keidesign.crash.structure` (the stack at its nominal length, g_e + c_e + the
tolerated intrusion) is compared with (``fmvss208.crush_space``). Comparing the full
crush x_b with that budget counted the stack's compression, which this model computes,
as if the stack were rigid (docs/crash.md, "Front structure of an imported car").
The max over t is taken on the cubic Hermite interpolants of the 0.1 ms samples of x_b
and x_e with the integrator's own velocities: max_t [ X_b(t) - max(0, X_e(t) - g_e) ],
a step across the stack's contact split at the contact time (the root of X_e - g_e), so
the corner there is the peak when the crush past the stack rises into it and falls
after it. Between the samples it lies at most |a| dt^2 / 8 above the largest sample on
a smooth side (a few micrometres), up to |slope| dt at a corner (18 um on the kernel's
reference car at a 410 mm gap), and, unlike the largest sample, it is continuous with
one slope as the peak passes from one sample to the next (since 6 Dec 2026, task s31n:
the sampled maximum's slope jumped there, 0.340 / 0.331 per mm of crush length either
side of study (e)'s optimum, and SLSQP stopped on it; docs/crash.md, "Kinks in the
frontal margins") and as it passes the stack's contact (task s32a: s31n's peak kept the
samples of a step across the contact and jumped by up to |a| dt^2 / 8 there; docs/crash.md,
"The crush past the stack across the stack's contact"). The largest dash intrusion (x_b -
x_e - c_e, with v_b - v_e, then >= 0) is taken over continuous time on the same
interpolants (task s32a: the largest sample's slope jumped as its peak passed a sample
too); so are the occupant's excursion (x_o - x_b with v_o - v_b) and the 3 ms peak body
deceleration ((v_b(t) - v_b(t + 3 ms)) / 3 ms with (a_b(t) - a_b(t + 3 ms)) / 3 ms), by the
same function (task s34c: each was its largest sample, whose slope jumped as the peak
passed a sample, 1.44e-3 m and 22.8 m/s^2 per unit relative change of an input on the
kernel's reference car; docs/crash.md, "Kinks in the frontal margins"). The occupant's
3 ms clip and the HIC window stay extrema over windows of the sampled deceleration.

One implementation (:mod:`keidesign.crash._pulse_kernel`, compiled with numba): the
time loop and the reduction to the metrics are written once on scalars of any numeric
type. Values (one design, or every case of a sweep in one call) run it in float64;
partials run it in complex128, one column per input with a step h = 1e-30 i in that
input (complex step). Every branch (hysteresis, contact, zero crossings, interpolations,
the clip window) is taken on real parts, so the complex step gives the exact derivative
of the discrete map to machine precision, and OpenMDAO's complex-step checks use the same
path. The time step stays 0.1 ms: at 0.2 ms the outputs move by up to 3e-3 (rebound
velocity; ~1e-4 for the crush, decelerations and OLC), far beyond round-off.

Batched (``n_cases > 1``, :mod:`keidesign.batch`, sweeps): every input and output has
shape ``(n,)``, no partials; :func:`simulate_cases` runs all cases in one compiled call
of the same kernel (one column per case).

Assumed element constants (small-car typical, not fitted): stack-contact stiffness
5 MN/m, dash stiffness 8 MN/m, compaction stiffness 20 MN/m, unloading stiffness
15 MN/m (structure's zones; the compaction unloads with its loading tangent, "Unloading"
above) and 50 MN/m (stack contact, dash: nearly plastic), mount strength 40 kN with a
20 mm elastic range. Validity: full-width rigid barrier, 30-65 km/h, 600-2500 kg.
The stack-contact and dash stiffnesses are status A: no published lumped-mass frontal
model gives an engine-to-barrier, engine-mount or engine-to-firewall spring with a value
(Kamal, SAE 700414, names them; searched 4 Dec 2026: ``data/crash/stack_path_sources.csv``,
0 cars for either against the 5 needed to set one; docs/crash.md, "The stack path
against published lumped-mass models"; ``python benchmarks/crash_probes.py
stack_sources``: halving either lowers the short fronts' peaks by 13-16 g and leaves the
held-out NCAP stars within one star unchanged, exact ratings 29 -> 28 of 51). NHTSA's
static deformation of 14 NCAP tests (``data/crash/nhtsa_static_deformation.csv``; ``python
benchmarks/crash_probes.py static_stack``; docs/crash.md, "The stack path against NHTSA's
static deformation") has the engines' fronts a median 207 mm (11 cars) further into the
body after the test (model, largest: median 90 mm) with the firewall's sides 1-20 mm:
no pair of the two springs in 2.5-40 x 1-16 MN/m reproduces both; a longer
stack-to-dash clearance comes closer. The Scion iQ's own NCAP test (7729: 455 mm, 67.5 g;
``data/crash/short_front_pulses.csv``, R; searched again 5 Dec 2026, still no sourced
stiffness) is out of every fit: the shipped springs give it 422 mm and 90.7 g (+34.5 %);
a dash spring of 4 MN/m, picked leaving one family out on 16 NCAP peaks among the sets
that keep the 128 certified cars passing, lowers the held-out peak error 19.6 -> 16.5 %
and was not kept (unsourced; docs/crash.md, "The shortest front's own NCAP test against
the stack path"; ``python benchmarks/crash_probes.py short_front``). On the short fronts
alone (front overhang <= 750 mm: 5 certified generations with a usable full-width test,
the MINI F56's an FMVSS 208 40 km/h test, since task s22h6; the dash spring moving the
peak of 3: iQ, Mirage, Fiat 500) the spring picked leaving one car
out is 3 MN/m (held-out peak 25.3 -> 10.1 %, crush 8.1 -> 6.1 %, 0 of 128 failing):
not kept either, 3 cars against the 5 issue 14 asks (docs/crash.md, "The short fronts'
own NCAP tests against the dash spring"). Both springs fitted on the 69 certified
generations' own NCAP tests (14 makers; task s38e, 7 Dec 2026, a rule written first:
``python benchmarks/crash_probes.py stack_fit``) go to the bounds' corner, K_STACK 50 and
K_DASH 0.5 MN/m (held out by maker, CFC 60 peak MAE 15.3 -> 12.2 %; slope on the gap
-7.9 -> -4.4 g per 100 mm against the tests' -3.6), with the dash intrusion at median
104 mm and the NCAP frontal stars within one star 48 -> 47 of 51: not shipped
(docs/crash.md, "The stack-path springs fitted on the own tests").
The stack-contact stiffness sets how far the stack compresses (48-85 mm on the shortest
fronts), and with it the crush-space verdicts: the kei reference designs pass at 5 MN/m
with no margin and fail by 4-11 mm at 10 MN/m (docs/crash.md); no stored source gives
the depth of a rigid engine core that would bound the compression. The compaction
stiffness (A; no source found in the searches of 4 Dec 2026) makes the peak only of
fronts whose crush overruns their zones (the i-MiEV, the i3, the cab-over kei trucks);
over 2.5-40 MN/m it moves no NCAP row and no truck verdict, and fails the i-MiEV's HIC15
and chest 3 ms at 40 MN/m (docs/crash.md, "The compaction stiffness past the zones";
``python benchmarks/crash_probes.py compaction``).

A force-limited occupant compartment (the structure and the dash together limited to
F_c = a_c m_b past the zones) was tried and not kept: the trial kernel and its probe live
in ``benchmarks/compartment_trial.py`` and ``python benchmarks/crash_probes.py
compartment`` (docs/crash.md, "A force-limited compartment").
"""

from __future__ import annotations

import numpy as np
from openmdao.core.explicitcomponent import ExplicitComponent

from keidesign import batch
from keidesign.crash import _pulse_kernel as _kernel
from keidesign.crash.structure import campbell_line, campbell_span
from keidesign.errors import InputError
from keidesign.variables import add_input, add_output

OCCUPANT_MASS_KG = 78.0
W_SMOOTH = 5e-3
#: stack against the barrier and stack against the dash (N/m): assumed (A), no source
#: gives either (``data/crash/stack_path_sources.csv``)
K_STACK = 5e6
K_DASH = 8e6
K_COMPACT = 2e7
KU_STRUCT = 1.5e7
KU_STIFF = 5e7
MOUNT_FORCE = 4e4
MOUNT_RANGE = 0.02
OLC_FREE = 0.065
OLC_RIDE = 0.235
CLIP_S = 0.003

PULSE_INPUTS = ("crash:front:test_mass", "crash:front:stack_mass",
                "crash:front:bumper_force", "crash:front:crash_box_force",
                "crash:front:rail_force", "crash:front:bumper_stroke",
                "crash:front:crash_box_stroke", "crash:front:rail_stroke",
                "crash:front:engine_gap", "crash:front:engine_clearance",
                "crash:restraint:slack", "crash:restraint:stiffness",
                "crash:restraint:load_limit", "crash:restraint:ride_down_space")
PULSE_OUTPUTS = ("crash:front:crush_required", "crash:front:pulse_duration",
                 "crash:front:mean_decel", "crash:front:esw_decel", "crash:front:peak_decel",
                 "crash:front:rebound_velocity", "crash:front:olc",
                 "crash:front:chest_accel_3ms", "crash:front:occupant_excursion",
                 "crash:front:dash_intrusion", "crash:front:energy_absorbed",
                 "crash:front:rebound_energy", "crash:front:olc_restraint",
                 "crash:front:occupant_hic15", "crash:front:crush_past_stack")


def kernel_constants() -> np.ndarray:
    """The element constants in the order the compiled kernel takes them."""
    return np.array([W_SMOOTH, K_STACK, K_DASH, K_COMPACT, KU_STRUCT, KU_STIFF, MOUNT_FORCE,
                     MOUNT_RANGE, OCCUPANT_MASS_KG])


#: The front's force-crush law the model runs: Campbell's linear law (``"campbell"``,
#: SAE 740565: F = F_A + k x carrying the zones' superfolding energy over
#: L = min(gap, s1 + s2 + s3), :func:`keidesign.crash.structure.campbell_line` /
#: :func:`~keidesign.crash.structure.campbell_span`, x0 = 0.10 m; run in the rear too,
#: :mod:`keidesign.crash.rear`), the default since 4 Dec 2026: it matches the 40 and
#: 56 km/h barrier tests better held out by family (40 km/h crush 19.9 -> 12.6 %, NCAP
#: crush 11.7 -> 10.7 %, ESW 10.6 -> 10.4 % mean absolute, imported front's level 0.73
#: fitted on 30 tests, ``keidesign.specs.build.FRONT_FORCE_FACTORS``). The zone staircase
#: (``"staircase"``: the zones' mean forces F_1 / F_2 / F_3 as steps, at its own level
#: 0.81) is the option (docs/crash.md, "The front's force-crush shape";
#: ``python benchmarks/crash_probes.py front_shape``, ``campbell_chain``).
FRONT_FORCE_LAW = "campbell"
FRONT_FORCE_LAWS = ("campbell", "staircase")

_P_KEYS = ("m_test", "m_stack", "f1", "f2", "f3", "s1", "s2", "s3", "gap", "clearance",
           "slack", "k_r", "f_ll", "space", "k_lin")
#: parameters a caller may leave out, with the value they take: ``k_lin`` (N/m), the
#: front structure's force rise per metre of crush on top of the zone forces (0: the
#: staircase; :func:`params_from_inputs` sets it for Campbell's law)
_P_DEFAULTS = {"k_lin": 0.0}


def _columns(p: dict) -> np.ndarray:
    """``(15, L)`` parameter array (float, or complex if any input is) from SI arrays."""
    cols = np.broadcast_arrays(*(np.asarray(p[k] if k in p else _P_DEFAULTS[k])
                                 for k in _P_KEYS))
    par = np.stack([np.ravel(a) for a in cols])
    dtype = complex if np.iscomplexobj(par) else float
    return np.ascontiguousarray(par, dtype=dtype)


def simulate(p: dict, *, v0_kmh: float = 56.0, n_occupants: int = 2, dt: float = 1e-4,
             t_end: float = 0.16) -> dict:
    """Integrate the frontal barrier test with its histories (plots, energy bookkeeping).

    ``p`` holds SI arrays, all of one shape (lanes), float or complex (keys: m_test,
    m_stack (kg); f1, f2, f3 (N); s1, s2, s3, gap, clearance, slack (m); k_r (N/m), f_ll
    (N) per occupant). Returns the metrics of :data:`_METRICS` (arrays over the lanes),
    the histories ``history[row]`` of shape ``(n + 1, L)`` (rows of
    ``_pulse_kernel.ROWS`` and ``t``), the work per element ``work_parts``, the initial
    kinetic energy ``ke0`` and the masses. Each lane is one run of the one kernel.
    """
    v0 = v0_kmh / 3.6
    n = int(round(t_end / dt))
    par = _columns(p)
    n_lanes = par.shape[1]
    c = kernel_constants()
    hist = np.empty((n_lanes, _kernel.N_ROWS, n + 1), dtype=par.dtype)
    work = np.empty((n_lanes, 5), dtype=par.dtype)
    res = np.empty((n_lanes, _kernel.N_METRICS), dtype=par.dtype)
    clip_m = int(round(CLIP_S / dt))
    for k in range(n_lanes):
        col = np.ascontiguousarray(par[:, k])
        _kernel.integrate(col, c, v0, n_occupants, dt, n, hist[k], work[k])
        _kernel.metrics(hist[k], work[k], col, c, v0, n_occupants, dt, clip_m, OLC_FREE,
                        OLC_RIDE, res[k])
    out = dict(zip(_METRICS, res.T, strict=True))
    h = {row: hist[:, r, :].T for r, row in enumerate(_kernel.ROWS)}
    h["t"] = np.arange(n + 1) * dt
    m_o = n_occupants * OCCUPANT_MASS_KG + 0.0 * par[0]
    m_e = par[1]
    m_b = par[0] - m_e - m_o
    out.update(ke0=0.5 * (m_b + m_e + m_o) * v0**2, work_parts=list(work.T), m_b=m_b,
               m_e=m_e, m_o=m_o, history=h, gap=par[8], clearance=par[9])
    return out


def mount_forces(xb: np.ndarray, xe: np.ndarray) -> np.ndarray:
    """The mounts' force (N, on the stack; -it on the body) along the histories ``xb``,
    ``xe`` (m, arrays of shape ``(n + 1, L)`` as :func:`simulate` gives them), for probes
    that rebuild the forces on the body from a run's histories: the kernel's
    nonlinear-elastic law F_my tanh((x_b - x_e) / delta_y)."""
    e = np.real(np.asarray(xb, dtype=complex)) - np.real(np.asarray(xe, dtype=complex))
    return MOUNT_FORCE * np.tanh(e / MOUNT_RANGE)


def params_from_inputs(inputs: dict, law: str | None = None) -> dict:
    """Map component inputs (registered units) to :func:`simulate` SI parameters, the
    front structure's force-crush ``law`` applied (:data:`FRONT_FORCE_LAWS`; None: the
    model's, :data:`FRONT_FORCE_LAW`)."""
    law = FRONT_FORCE_LAW if law is None else law
    if law not in FRONT_FORCE_LAWS:
        raise InputError(f"front force law: {law!r}; allowed: {', '.join(FRONT_FORCE_LAWS)}")
    g = inputs
    mm = 1e-3
    p = dict(m_test=g["crash:front:test_mass"], m_stack=g["crash:front:stack_mass"],
             f1=g["crash:front:bumper_force"] * 1e3, f2=g["crash:front:crash_box_force"] * 1e3,
             f3=g["crash:front:rail_force"] * 1e3, s1=g["crash:front:bumper_stroke"] * mm,
             s2=g["crash:front:crash_box_stroke"] * mm, s3=g["crash:front:rail_stroke"] * mm,
             gap=g["crash:front:engine_gap"] * mm,
             clearance=g["crash:front:engine_clearance"] * mm,
             slack=g["crash:restraint:slack"] * mm,
             k_r=g["crash:restraint:stiffness"] * 1e3,
             f_ll=g["crash:restraint:load_limit"] * 1e3,
             space=g["crash:restraint:ride_down_space"] * mm)
    if law == "campbell":
        p.update(_campbell_params(p))
    return p


def _campbell_params(p: dict) -> dict:
    """``f1 = f2 = f3 = F_A`` and ``k_lin = k`` of Campbell's line
    (:func:`keidesign.crash.structure.campbell_line`) over the gap ahead of the stack,
    or over the zones' own stroke where the gap is longer
    (:func:`~keidesign.crash.structure.campbell_span`);
    where the gap is not positive (the stack meets the barrier at once: no crush for the
    line to spread the energy over) the staircase is kept (``k_lin`` = 0). Arrays,
    complex too (masks on real parts)."""
    forces = [np.asarray(p[k]) for k in ("f1", "f2", "f3")]
    strokes = [np.asarray(p[k]) for k in ("s1", "s2", "s3")]
    gap = np.asarray(p["gap"])
    pos = np.real(gap) > 0.0
    f_a, k = campbell_line(forces, strokes, campbell_span(strokes, np.where(pos, gap, 1.0)))
    return {"f1": np.where(pos, f_a, forces[0]), "f2": np.where(pos, f_a, forces[1]),
            "f3": np.where(pos, f_a, forces[2]), "k_lin": np.where(pos, k, 0.0 * k)}


#: Metrics of :func:`simulate` and :func:`simulate_cases` (= ``_pulse_kernel.METRICS``).
_METRICS = _kernel.METRICS


def simulate_cases(p: dict, *, v0_kmh: float = 56.0, n_occupants: int = 2,
                   dt: float = 1e-4, t_end: float = 0.16) -> dict:
    """Metrics of many lanes in one compiled call (no histories): ``p`` holds SI arrays
    of one shape ``(n,)`` (keys as :func:`simulate`), float (independent cases of a
    sweep) or complex (complex-step lanes); returns ``{metric: (n,) array}`` with the
    names of :data:`_METRICS`. Lane ``i`` equals :func:`simulate` of lane ``i``: the same
    kernel functions."""
    n = int(round(t_end / dt))
    par = _columns(p)
    out = np.empty((len(_METRICS), par.shape[1]), dtype=par.dtype)
    _kernel.run(par, kernel_constants(), v0_kmh / 3.6, n_occupants, dt, n,
                int(round(CLIP_S / dt)), OLC_FREE, OLC_RIDE, out)
    return dict(zip(_METRICS, out, strict=True))


def outputs_from_result(r: dict) -> dict:
    """Component outputs (registered units) from a :func:`simulate` result."""
    return {"crash:front:crush_required": r["c_max"] * 1e3,
            "crash:front:pulse_duration": r["t_stop"] * 1e3,
            "crash:front:mean_decel": r["mean_decel"],
            "crash:front:esw_decel": r["esw"],
            "crash:front:peak_decel": r["peak"],
            "crash:front:rebound_velocity": -r["v_end"],
            "crash:front:olc": r["olc"],
            "crash:front:chest_accel_3ms": r["chest"],
            "crash:front:occupant_excursion": r["excursion"] * 1e3,
            "crash:front:dash_intrusion": r["dash_intrusion"] * 1e3,
            "crash:front:energy_absorbed": r["work"] * 1e-3,
            "crash:front:rebound_energy": r["ke_end"] * 1e-3,
            "crash:front:olc_restraint": r["olc_restraint"],
            "crash:front:occupant_hic15": r["hic_occ"],
            "crash:front:crush_past_stack": r["c_past_stack"] * 1e3}


class FrontalPulseComp(ExplicitComponent):
    """FMVSS 208 / US NCAP full-frontal pulse, occupant load and intrusion."""

    def initialize(self) -> None:
        self.options.declare("test_speed_kmh", default=56.0, types=float,
                             desc="rigid-barrier test speed (49 CFR 571.208 S5.1), km/h")
        self.options.declare("n_occupants", default=2, types=int, desc="front dummies")
        self.options.declare("dt", default=1e-4, types=float, desc="time step, s")
        self.options.declare("t_end", default=0.16, types=float, desc="simulated time, s")
        self.options.declare("force_law", default=None, values=(None,) + FRONT_FORCE_LAWS,
                             allow_none=True,
                             desc="front structure's force-crush law (None: the model's, "
                                  "FRONT_FORCE_LAW, Campbell's line; 'staircase': "
                                  "the zone staircase)")
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        self._batched = batch.batched(self)
        for name in PULSE_INPUTS:
            add_input(self, name, shape=shape)
        for name in PULSE_OUTPUTS:
            add_output(self, name, shape=shape)
        if not self._batched:
            self.declare_partials(PULSE_OUTPUTS, PULSE_INPUTS)

    def _run(self, values: dict) -> dict:
        o = self.options
        return simulate_cases(params_from_inputs(values, o["force_law"]),
                              v0_kmh=o["test_speed_kmh"],
                              n_occupants=o["n_occupants"], dt=o["dt"], t_end=o["t_end"])

    def compute(self, inputs, outputs) -> None:
        # one design (n = 1) or every case of a batch: the same kernel call
        r = self._run({k: np.atleast_1d(inputs[k]) for k in PULSE_INPUTS})
        for name, val in outputs_from_result(r).items():
            outputs[name] = val if self._batched else val[0]

    def compute_partials(self, inputs, J) -> None:
        # complex step through the one kernel: lane j steps input j
        n_in = len(PULSE_INPUTS)
        hstep = 1e-30
        vals = {}
        for j, name in enumerate(PULSE_INPUTS):
            arr = np.full(n_in, np.real(inputs[name][0]), dtype=complex)
            arr[j] += 1j * hstep
            vals[name] = arr
        res = outputs_from_result(self._run(vals))
        for oname, val in res.items():
            for j, iname in enumerate(PULSE_INPUTS):
                J[oname, iname] = val[j].imag / hstep
