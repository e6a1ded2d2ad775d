"""Full-frontal rigid-barrier crash (FMVSS 208 / US NCAP, 56 km/h): lumped-mass pulse.

A three-mass Kamal-type model (Kamal, SAE 700414; M. Huang, *Vehicle Crash Mechanics*,
CRC 2002, ch. 4) integrated in time with velocity Verlet (dt = 0.1 ms, 160 ms)::

    body  m_b = m_test - m_stack - m_occ   x_b (= crush of the front structure)
    stack m_e = powertrain stack           x_e
    occ   m_o = 2 x 78 kg (Hybrid III 50th) x_o

Elements (force >= 0, positive x towards the barrier)::

    front structure  barrier-body  delta = x_b            F_L = zone staircase F_1/F_2/F_3
                                                          + compaction past the rails
    stack contact    barrier-stack delta = x_e - g_e      F_L = k_c w softplus(delta/w)
    mounts           body-stack    delta = x_b - x_e      F = F_my tanh(delta/delta_y)
    dash             stack-body    delta = x_b - x_e - c_e  F_L = k_d w softplus(delta/w)
    restraint        body-occupant delta = x_o - x_b - s_0  F_L = F_ll tanh(k_r w sp(delta/w)/F_ll)

The staircase is smoothed with tanh steps over w = 5 mm. The structure, stack contact,
dash and restraint are hysteretic: they load along F_L and unload from their largest
deformation with a stiff elastic slope (no tension), which gives the rebound; the mounts
are nonlinear-elastic (saturating at F_my).

Outputs (all from the body = occupant-compartment motion): maximum dynamic crush,
time to zero velocity, average deceleration V / t_0, equivalent-square-wave deceleration
V^2 / (2 C), peak deceleration (3 ms moving average, comparable to a CFC 60 channel),
rebound velocity, the occupant load criterion (OLC, Kubler et al., *Proc. ESV* 2009,
paper 09-0268: free flight of 65 mm, then the constant deceleration that brings the
virtual occupant to the vehicle velocity within a further 235 mm), the occupant's 3 ms
clip deceleration and its forward excursion from the lumped restraint, the dash
intrusion, and the energy bookkeeping KE_0 = work on all elements + KE_end.

Partials: complex step through the explicit integration, all input directions at once
(h = 1e-30). Every branch (hysteresis, contact, zero crossings, interpolations) is taken
on real parts, so the complex step gives the exact derivative of the discrete map to
machine precision. The time loop runs compiled (:mod:`keidesign.crash._pulse_kernel`,
numba): complex lanes that share their real part are integrated once, the imaginary
parts carried as forward tangents (the tangent-linear model, which is what complex step
computes), so the 13 directions cost about one extra integration. ``simulate(...,
reference=True)`` runs the original numpy integration (literal complex arithmetic), the
definition the kernel is tested against (``tests/test_crash_kernel.py``). The time step
stays 0.1 ms: at 0.2 ms the outputs move by up to 3e-3 (rebound velocity; ~1e-4 for the
crush, decelerations and OLC), far beyond round-off.

Batched (``n_cases > 1``, :mod:`keidesign.batch`, sweeps): every input and output has
shape ``(n,)``, no partials; :func:`simulate_cases` integrates all cases in one compiled
call (:func:`keidesign.crash._pulse_kernel.integrate_cases`: a loop over the cases, each
integrated without tangents and reduced to the metrics in the kernel, the same
floating-point operations as :func:`simulate`, so case ``i`` equals a scalar run).

Assumed element constants (small-car typical, not fitted): stack-contact stiffness
5 MN/m, dash stiffness 8 MN/m, compaction stiffness 20 MN/m, unloading stiffness
15 MN/m (structure) and 50 MN/m (stack contact, dash: nearly plastic), mount strength 40 kN with a
20 mm elastic range. Validity: full-width rigid barrier, 30-65 km/h, 600-2500 kg.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om

from keidesign import batch
from keidesign.variables import add_input, add_output

try:  # the compiled time loop; without numba, simulate() runs the numpy reference
    from keidesign.crash import _pulse_kernel as _kernel
except ImportError:  # pragma: no cover
    _kernel = None

OCCUPANT_MASS_KG = 78.0
W_SMOOTH = 5e-3
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
                "crash:restraint:load_limit")
PULSE_OUTPUTS = ("crash:front:crush_required", "crash:front:pulse_duration",
                 "crash:front:mean_decel", "crash:front:esw_decel", "crash:front:peak_decel",
                 "crash:front:rebound_velocity", "crash:front:olc",
                 "crash:front:chest_accel_3ms", "crash:front:occupant_excursion",
                 "crash:front:dash_intrusion", "crash:front:energy_absorbed",
                 "crash:front:rebound_energy")


def _sp(z):
    """softplus, overflow-safe and complex-step safe."""
    big = z.real > 30.0
    zc = np.where(big, 0.0, z)
    return np.where(big, z, np.log1p(np.exp(zc)))


def _step(z):
    return 0.5 * (1.0 + np.tanh(z))


def _hyst(delta, dmax, load, k_u):
    """Force of a hysteretic element and its new largest deformation."""
    loading = delta.real >= dmax.real
    dmax_new = np.where(loading, delta, dmax)
    unload = load(dmax_new) - k_u * (dmax_new - delta)
    unload = np.where(unload.real > 0.0, unload, 0.0 * unload)
    return np.where(loading, load(delta), unload), dmax_new


def kernel_constants() -> np.ndarray:
    """The element constants in the order the compiled kernel takes them."""
    return np.array([W_SMOOTH, K_STACK, K_DASH, K_COMPACT, KU_STRUCT, KU_STIFF, MOUNT_FORCE,
                     MOUNT_RANGE, OCCUPANT_MASS_KG])


_P_KEYS = ("m_test", "m_stack", "f1", "f2", "f3", "s1", "s2", "s3", "gap", "clearance",
           "slack", "k_r", "f_ll")


def simulate(p: dict, *, v0_kmh: float = 56.0, n_occupants: int = 2, dt: float = 1e-4,
             t_end: float = 0.16, reference: bool = False) -> dict:
    """Integrate the frontal barrier test. ``p`` holds SI arrays (all the same shape).

    Keys: m_test, m_stack (kg); f1, f2, f3 (N); s1, s2, s3, gap, clearance, slack (m);
    k_r (N/m), f_ll (N) per occupant. Returns the time histories and the metrics.

    Each element of the arrays is one lane, integrated on its own (complex lanes carry
    complex-step directions); the metrics take their branch decisions (crossings,
    maxima) on the real part of lane 0. The time loop runs in the compiled kernel of
    :mod:`keidesign.crash._pulse_kernel`; ``reference=True`` runs the pure-numpy
    integration instead (the definition the kernel is tested against; ~500x slower).
    """
    v0 = v0_kmh / 3.6
    n = int(round(t_end / dt))
    if reference or _kernel is None:
        h, work, ve_end = _integrate_numpy(p, v0, n_occupants, dt, n)
    else:
        h, work, ve_end = _integrate_kernel(p, v0, n_occupants, dt, n)
    h["t"] = np.arange(n + 1) * dt
    m_o = n_occupants * OCCUPANT_MASS_KG + 0.0 * p["m_test"]
    m_e = p["m_stack"]
    m_b = p["m_test"] - m_e - m_o
    gap, clr = p["gap"], p["clearance"]
    vb, vo = h["vb"][-1], h["vo"][-1]
    ke0 = 0.5 * (m_b + m_e + m_o) * v0**2
    ke_end = 0.5 * (m_b * vb**2 + m_e * ve_end**2 + m_o * vo**2)
    out = _metrics(h, v0, dt)
    out.update(ke0=ke0, ke_end=ke_end, work=sum(work), work_parts=work, m_b=m_b, m_e=m_e,
               m_o=m_o, history=h, gap=gap, clearance=clr)
    out["dash_intrusion"] = _max_pos(h["xb"] - h["xe"] - clr)
    return out


def _integrate_kernel(p: dict, v0: float, n_occupants: int, dt: float,
                      n: int) -> tuple[dict, list, np.ndarray]:
    """The time loop in the compiled kernel: histories ``(n + 1, K)``, work, final v_e.

    Real lanes run one by one (values only). Complex lanes are complex-step directions:
    the kernel integrates the real part once with the imaginary parts as tangents, and
    the histories come back as ``value + 1j * tangent`` (per lane when the lanes do not
    share their real parts).
    """
    cols = np.broadcast_arrays(*(np.asarray(p[k]) for k in _P_KEYS))
    par = np.array(cols).reshape(len(_P_KEYS), -1)
    n_lanes = par.shape[1]
    c = kernel_constants()
    rows = len(_kernel.ROWS)
    if np.iscomplexobj(par):
        re, im = np.ascontiguousarray(par.real), np.ascontiguousarray(par.imag)
        shared = bool(np.all(re == re[:, :1]))
        groups = [range(n_lanes)] if shared else [range(k, k + 1) for k in range(n_lanes)]
        hist = np.empty((rows, n + 1, n_lanes), dtype=complex)
        work = np.empty((5, n_lanes), dtype=complex)
        for g in groups:
            k0, k1 = g.start, g.stop
            hv, wv = np.empty((rows, n + 1)), np.empty(5)
            hd, wd = np.empty((rows, n + 1, k1 - k0)), np.empty((5, k1 - k0))
            _kernel.integrate(np.ascontiguousarray(re[:, k0]),
                              np.ascontiguousarray(im[:, k0:k1]), c, v0, n_occupants,
                              dt, n, hv, hd, wv, wd)
            hist.real[:, :, k0:k1] = hv[:, :, None]
            hist.imag[:, :, k0:k1] = hd
            work.real[:, k0:k1] = wv[:, None]
            work.imag[:, k0:k1] = wd
    else:
        par = np.ascontiguousarray(par, dtype=float)
        hist = np.empty((rows, n + 1, n_lanes))
        work = np.empty((5, n_lanes))
        none, dnone = np.empty((len(_P_KEYS), 0)), np.empty((rows, n + 1, 0))
        for k in range(n_lanes):
            hv, wv = np.empty((rows, n + 1)), np.empty(5)
            _kernel.integrate(np.ascontiguousarray(par[:, k]), none, c, v0, n_occupants,
                              dt, n, hv, dnone, wv, np.empty((5, 0)))
            hist[:, :, k] = hv
            work[:, k] = wv
    h = dict(zip(_kernel.ROWS, hist, strict=True))
    ve_end = h.pop("ve")[-1]
    return h, list(work), ve_end


def _integrate_numpy(p: dict, v0: float, n_occupants: int, dt: float,
                     n: int) -> tuple[dict, list, np.ndarray]:
    """Reference integration in numpy, all lanes at once (the kernel's definition)."""
    m_o = n_occupants * OCCUPANT_MASS_KG + 0.0 * p["m_test"]
    m_e = p["m_stack"]
    m_b = p["m_test"] - m_e - m_o
    f1, f2, f3 = p["f1"], p["f2"], p["f3"]
    s1, s2, s3 = p["s1"], p["s2"], p["s3"]
    gap, clr, slack = p["gap"], p["clearance"], p["slack"]
    k_r = n_occupants * p["k_r"]
    f_ll = n_occupants * p["f_ll"]
    w = W_SMOOTH

    def load_s(c):
        return (f1 * _step((c - 2.0 * w) / w) + (f2 - f1) * _step((c - s1) / w)
                + (f3 - f2) * _step((c - s1 - s2) / w)
                + K_COMPACT * w * _sp((c - s1 - s2 - s3) / w))

    def load_e(d):
        return K_STACK * w * _sp(d / w)

    def load_d(d):
        return K_DASH * w * _sp(d / w)

    def load_r(d):
        return f_ll * np.tanh(k_r * w * _sp(d / w) / f_ll)

    def forces(xb, xe, xo, hist):
        fs, h0 = _hyst(xb, hist[0], load_s, KU_STRUCT)
        fe, h1 = _hyst(xe - gap, hist[1], load_e, KU_STIFF)
        fd, h2 = _hyst(xb - xe - clr, hist[2], load_d, KU_STIFF)
        fr, h3 = _hyst(xo - xb - slack, hist[3], load_r, k_r)
        fm = MOUNT_FORCE * np.tanh((xb - xe) / MOUNT_RANGE)
        ab = (-fs - fm - fd + fr) / m_b
        ae = (-fe + fm + fd) / m_e
        ao = -fr / m_o
        return (fs, fe, fm, fd, fr), (ab, ae, ao), (h0, h1, h2, h3)

    z = 0.0 * p["m_test"]
    xb, xe, xo = z, z, z
    vb, ve, vo = z + v0, z + v0, z + v0
    hist = (z, z - gap, z - clr, z - slack)
    f, a, hist = forces(xb, xe, xo, hist)
    work = [z, z, z, z, z]
    defl = [xb, xe - gap, xb - xe, xb - xe - clr, xo - xb - slack]
    rec = {k: [] for k in ("xb", "vb", "ab", "xe", "xo", "vo", "ao", "fbar")}

    def record():
        rec["xb"].append(xb)
        rec["vb"].append(vb)
        rec["ab"].append(a[0])
        rec["xe"].append(xe)
        rec["xo"].append(xo)
        rec["vo"].append(vo)
        rec["ao"].append(a[2])
        rec["fbar"].append(f[0] + f[1])

    record()
    for _ in range(n):
        xb = xb + vb * dt + 0.5 * a[0] * dt**2
        xe = xe + ve * dt + 0.5 * a[1] * dt**2
        xo = xo + vo * dt + 0.5 * a[2] * dt**2
        f_new, a_new, hist = forces(xb, xe, xo, hist)
        d_new = [xb, xe - gap, xb - xe, xb - xe - clr, xo - xb - slack]
        for i in range(5):
            work[i] = work[i] + 0.5 * (f[i] + f_new[i]) * (d_new[i] - defl[i])
        vb = vb + 0.5 * (a[0] + a_new[0]) * dt
        ve = ve + 0.5 * (a[1] + a_new[1]) * dt
        vo = vo + 0.5 * (a[2] + a_new[2]) * dt
        f, a, defl = f_new, a_new, d_new
        record()
    h = {k: np.array(v) for k, v in rec.items()}  # (n+1, K)
    return h, work, ve


def _first_cross(y, level=0.0, start=1, rising=False):
    """First sample index k >= start with y[k] crossing ``level`` (real parts of column 0)."""
    yr = y[:, 0].real - level
    idx = np.nonzero(yr[start:] >= 0.0 if rising else yr[start:] <= 0.0)[0]
    return None if idx.size == 0 else int(idx[0]) + start


def _interp(y, k, frac):
    return y[k - 1] + frac * (y[k] - y[k - 1])


def _max_pos(y):
    k = int(np.argmax(y[:, 0].real))
    val = y[k]
    return np.where(val.real > 0.0, val, 0.0 * val)


def _metrics(h, v0, dt):
    vb, xb, t = h["vb"], h["xb"], h["t"]
    n = len(t)
    k = _first_cross(vb)
    if k is None:
        k = n - 1
        frac = 1.0 + 0.0 * vb[k]
    else:
        frac = vb[k - 1] / (vb[k - 1] - vb[k])
    t_stop = t[k - 1] + frac * dt
    decel = (vb[k - 1] - vb[k]) / dt
    c_max = xb[k - 1] + vb[k - 1] ** 2 / (2.0 * decel)
    # 3 ms moving average of the body deceleration
    m = int(round(CLIP_S / dt))
    a3 = (vb[:-m] - vb[m:]) / (m * dt)
    j = int(np.argmax(a3[:, 0].real))
    peak = a3[j]
    # occupant 3 ms clip: max over windows of the window minimum
    ao = -h["ao"]
    chest = ao[_clip_index(ao[:, 0].real, m + 1)]
    exc = h["xo"] - xb
    je = int(np.argmax(exc[:, 0].real))
    return dict(c_max=c_max, t_stop=t_stop, mean_decel=v0 / t_stop,
                esw=v0**2 / (2.0 * c_max), peak=peak, v_end=vb[-1], olc=_olc(h, v0, dt),
                chest=chest, excursion=exc[je])


def _clip_index(y: np.ndarray, width: int) -> int:
    """Sample of the 3 ms clip: the minimum of the ``width``-sample window whose minimum
    is largest (first occurrences)."""
    if _kernel is not None:
        return int(_kernel.clip_window(np.ascontiguousarray(y, dtype=float), width)[1])
    win = np.lib.stride_tricks.sliding_window_view(y, width)
    jw = int(np.argmax(win.min(axis=1)))
    return jw + int(np.argmin(win[jw]))


def _olc(h, v0, dt):
    """Occupant load criterion (Kubler et al. 2009) from the body velocity history."""
    t, xb, vb = h["t"], h["xb"], h["vb"]
    rel = v0 * t[:, None] - xb  # free-flight relative displacement
    k1 = _first_cross(rel, OLC_FREE, rising=True)
    if k1 is None:
        return 0.0 * vb[0]
    f1 = (OLC_FREE - rel[k1 - 1]) / (rel[k1] - rel[k1 - 1])
    t1 = t[k1 - 1] + f1 * dt
    x1 = _interp(xb, k1, f1)
    dt2 = t[:, None] - t1
    g = dt2 * 0.5 * (v0 + vb) - (xb - x1) - OLC_RIDE
    k2 = _first_cross(g, 0.0, start=k1, rising=True)
    if k2 is None:
        k2 = len(t) - 1
        f2 = 1.0 + 0.0 * vb[k2]
    else:
        f2 = -g[k2 - 1] / (g[k2] - g[k2 - 1])
    t2 = t[k2 - 1] + f2 * dt
    v2 = _interp(vb, k2, f2)
    return (v0 - v2) / (t2 - t1)


def params_from_inputs(inputs: dict) -> dict:
    """Map component inputs (registered units) to :func:`simulate` SI parameters."""
    g = inputs
    mm = 1e-3
    return dict(m_test=g["crash:front:test_mass"], m_stack=g["crash:front:stack_mass"],
                f1=g["crash:front:bumper_force"] * 1e3, f2=g["crash:front:crash_box_force"] * 1e3,
                f3=g["crash:front:rail_force"] * 1e3, s1=g["crash:front:bumper_stroke"] * mm,
                s2=g["crash:front:crash_box_stroke"] * mm, s3=g["crash:front:rail_stroke"] * mm,
                gap=g["crash:front:engine_gap"] * mm,
                clearance=g["crash:front:engine_clearance"] * mm,
                slack=g["crash:restraint:slack"] * mm,
                k_r=g["crash:restraint:stiffness"] * 1e3,
                f_ll=g["crash:restraint:load_limit"] * 1e3)


#: Metrics of :func:`simulate_cases` (= ``_pulse_kernel.METRICS``; keys of :func:`simulate`).
_METRICS = ("c_max", "t_stop", "mean_decel", "esw", "peak", "v_end", "olc", "chest",
            "excursion", "dash_intrusion", "work", "ke_end")


def simulate_cases(p: dict, *, v0_kmh: float = 56.0, n_occupants: int = 2,
                   dt: float = 1e-4, t_end: float = 0.16) -> dict:
    """Metrics of many independent cases (values only): ``p`` holds real SI arrays of
    shape ``(n,)`` (keys as :func:`simulate`); returns ``{metric: (n,) array}`` with the
    metric names of :func:`simulate` (``c_max``, ``t_stop``, ..., ``work``, ``ke_end``).

    Case ``i`` equals ``simulate`` of case ``i`` alone: one compiled call for all cases
    (:func:`keidesign.crash._pulse_kernel.integrate_cases`); without numba, one
    :func:`simulate` per case.
    """
    v0 = v0_kmh / 3.6
    n = int(round(t_end / dt))
    cols = np.broadcast_arrays(*(np.asarray(p[k], dtype=float) for k in _P_KEYS))
    par = np.ascontiguousarray(np.stack([np.ravel(a) for a in cols], axis=1))
    if _kernel is None:  # pragma: no cover
        rows = [simulate({k: par[i:i + 1, j] for j, k in enumerate(_P_KEYS)}, v0_kmh=v0_kmh,
                         n_occupants=n_occupants, dt=dt, t_end=t_end)
                for i in range(par.shape[0])]
        return {k: np.array([np.real(r[k]).item() for r in rows]) for k in _METRICS}
    out = np.empty((len(_METRICS), par.shape[0]))
    _kernel.integrate_cases(par, kernel_constants(), v0, n_occupants, dt, n,
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
            "crash:front:rebound_energy": r["ke_end"] * 1e-3}


class FrontalPulseComp(om.ExplicitComponent):
    """FMVSS 208 / US NCAP full-frontal pulse, occupant load and intrusion."""

    def initialize(self) -> None:
        self.options.declare("test_speed_kmh", default=56.0, types=float,
                             desc="rigid-barrier test speed (49 CFR 571.208 S5.1), km/h")
        self.options.declare("n_occupants", default=2, types=int, desc="front dummies")
        self.options.declare("dt", default=1e-4, types=float, desc="time step, s")
        self.options.declare("t_end", default=0.16, types=float, desc="simulated time, s")
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
        return simulate(params_from_inputs(values), v0_kmh=o["test_speed_kmh"],
                        n_occupants=o["n_occupants"], dt=o["dt"], t_end=o["t_end"])

    def compute(self, inputs, outputs) -> None:
        if self._batched:
            o = self.options
            r = simulate_cases(params_from_inputs({k: inputs[k] for k in PULSE_INPUTS}),
                               v0_kmh=o["test_speed_kmh"], n_occupants=o["n_occupants"],
                               dt=o["dt"], t_end=o["t_end"])
            for name, val in outputs_from_result(r).items():
                outputs[name] = val
            return
        vals = {k: np.atleast_1d(inputs[k]) for k in PULSE_INPUTS}
        for name, val in outputs_from_result(self._run(vals)).items():
            outputs[name] = val[0]

    def compute_partials(self, inputs, J) -> None:
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
