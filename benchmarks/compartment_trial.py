"""The force-limited occupant compartment (issue 14, tried, not kept): the trial kernel the
probes ``python benchmarks/crash_probes.py compartment`` and ``force_crush`` swap in,
kept out of the shipped pulse kernel (:mod:`keidesign.crash._pulse_kernel`).

Compartment strength (a trial, not shipped; issue 14, 4 Dec 2026). Past the crush
zones the load path is the compacted front and the powertrain stack against the dash;
neither spring can carry more than the occupant compartment (dash, A-pillars, sills)
passes before it deforms itself, which is what intrusion is. With
``a_c`` > 0 (m/s^2) the compartment's strength is F_c = a_c m_b (N,
m_b the body mass: strength scaled with the mass it decelerates) and the two loading
laws become::

    structure   F_L = smin(F_line + F_compaction, F_c)
    dash        F_L = max(0, smin(F_s + k_d w sp(delta / w), F_c) - F_s)

with smin(f, F_c) = F_c - w_F softplus((F_c - f) / w_F) (w_F = :data:`W_FORCE`, 5 kN: exact
more than 150 kN below F_c, never above it) and F_s the structure's force of the step,
so structure + dash <= F_c at every step (the mounts, 40 kN, stay beside them); beyond
F_c the crush goes on at F_c (crush past the zones, dash intrusion: the existing
``dash_intrusion`` output). With ``dash`` False only the structure is
limited (a force-limited compaction; the dash spring as shipped). Hysteresis, energy
bookkeeping and the complex step are those of the springs. Status A: no compartment
strength of a small car was found (searched 4 Dec 2026: EEVC WG15, VC-COMPAT, FIMCAR,
NHTSA load-cell barrier papers: abstracts only; data/crash/README.md); bounds read in
stored data: each small car's NCAP peak (34-71 g, 16 tests, compartments intact) is a
lower bound of its own a_c; the 1996 Neon's rear sill peaked at about 41 g (3 ms) when
struck head-on by a Navigator of twice its mass (NHTSA test 4429, crush 864 mm against
741 mm in its NCAP test at 37.7 g), i.e. its force level rose by about 10 % under an
overload. Validity: full-width rigid barrier; a_c of 40-100 g probed (``python
benchmarks/crash_probes.py compartment``; docs/crash.md, "A force-limited compartment"):
tried, not kept.

The trial is the shipped kernel's :func:`integrate` with the two loading laws above (12
element constants: the shipped 9, then a_c (m/s^2), w_F (N) and 1 / 0 for whether the
dash shares the limit); the metrics and every element law are the shipped kernel's
functions. :func:`active` swaps it into :mod:`keidesign.crash.pulse` for a ``with``
block (a_c = 0: nothing swapped, the shipped kernel runs).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from unittest import mock

import numpy as np
from numba import njit

from keidesign.crash import _pulse_kernel as _k
from keidesign.crash import pulse
from keidesign.crash._pulse_kernel import (
    N_METRICS,
    N_PARAM,
    N_ROWS,
    _load_r,
    _load_s,
    _sp,
    _tanh,
    _unload,
    _unload_s,
    metrics,
)

#: force width of the compartment's smooth limit (N): exact below the limit by 30 x this
W_FORCE = 5e3
#: number of element constants of the trial kernel (the shipped ones, then a_c, w_F, dash)
N_CONST = _k.N_CONST + 3
#: the limit in force: ``(a_c (m/s^2), dash shares the limit)``; (0, True) = none
#
# Compiled without numba's on-disk cache (``cache=False``): these functions call the
# shipped kernel's functions (``metrics``, the element laws), which numba compiles into
# them, while its cache is invalidated only by a change of THIS file. A cached ``run``
# kept the shipped ``metrics`` of the run that wrote the cache: after s31n changed how the
# crush past the stack is read, CI's run (same path, same user cache folder) compared the
# shipped kernel with a trial still carrying the old ``metrics`` (stop 48: c_past_stack
# off by 1e-9 to 1e-5 relative). tests/test_numba_cache.py holds the rule.
_STATE = {"a_c": 0.0, "dash": True}


@njit(cache=False)
def _cap(f, f_max, wf):
    """Force ``f`` limited smoothly to ``f_max``: ``f_max - wf softplus((f_max - f) / wf)``
    (exactly ``f`` more than 30 ``wf`` below the limit, ``f_max`` far above it), never
    negative (decided on the real part)."""
    g = f_max - wf * _sp((f_max - f) * (1.0 / wf))
    if not g.real > 0.0:
        return 0.0 * g
    return g




@njit(cache=False)
def integrate(p, c, v0, n_occ, dt, n, hist, work):
    """Integrate one parameter set ``p`` (15,) (float or complex; rows :data:`N_PARAM`:
    m_test, m_stack (kg), f1, f2, f3 (N), s1, s2, s3, gap, clearance, slack (m), k_r
    (N/m), f_ll (N) per occupant, ride-down space (m; used by :func:`metrics` only), k_lin
    (N/m)) with the element constants ``c`` (:data:`N_CONST`,). Fills ``hist`` (9, n + 1)
    (rows :data:`ROWS`) and ``work`` (5,) (structure, stack contact, mounts, dash,
    restraint), both of ``p``'s type. With a compartment strength (``c[9]`` > 0) the
    structure's and the dash's loading forces are limited smoothly (width ``c[10]``) so
    that together they never exceed F_c = c[9] m_b: the structure to F_c, the dash to what
    the limited sum leaves beside the structure's force of the step (``c[11]`` = 0: the
    structure alone is limited) (module docstring).
    """
    z = 0.0 * p[0]
    m_test, m_stack = p[0], p[1]
    f1, f2, f3, s1, s2, s3 = p[2], p[3], p[4], p[5], p[6], p[7]
    gap, clr, slack = p[8], p[9], p[10]
    k_lin = p[14]
    k_r = n_occ * p[11]
    f_ll = n_occ * p[12]
    w, k_stack, k_dash, k_compact = c[0], c[1], c[2], c[3]
    ku_struct, ku_stiff, mount_force, mount_range, m_occ = c[4], c[5], c[6], c[7], c[8]
    a_comp, wf, dash_shares = c[9], c[10], c[11] > 0.0
    m_o = n_occ * m_occ
    m_e = m_stack
    m_b = m_test - m_e - m_o
    # compartment strength (N): the force the occupant compartment passes from the front
    # structure and the dash together before it deforms itself (0: no limit)
    limited = a_comp > 0.0
    f_comp = a_comp * m_b
    # reciprocals once: a division by a complex number is several times a product
    inv_b, inv_e, inv_o, inv_fll = 1.0 / m_b, 1.0 / m_e, 1.0 / m_o, 1.0 / f_ll
    iw, i_range = 1.0 / w, 1.0 / mount_range
    dt2 = dt**2
    xb = xe = xo = z
    vb = ve = vo = z + v0
    h0, h1, h2, h3 = z, z - gap, z - clr, z - slack        # largest deformations
    fs = fe = fm = fd = fr = z                               # forces of the last step
    ab = ae = ao = z
    d0, d1, d2, d3, d4 = xb, xe - gap, xb - xe, xb - xe - clr, xo - xb - slack
    w0 = w1 = w2 = w3 = w4 = z
    for i in range(n + 1):
        if i > 0:
            xb = xb + vb * dt + 0.5 * ab * dt2
            xe = xe + ve * dt + 0.5 * ae * dt2
            xo = xo + vo * dt + 0.5 * ao * dt2
        e0 = xb                    # barrier-body (front structure)
        e1 = xe - gap              # barrier-stack
        e2 = xb - xe               # mounts
        e3 = xb - xe - clr         # stack-dash
        e4 = xo - xb - slack       # restraint
        # front structure, hysteretic
        if e0.real >= h0.real:
            h0 = e0
        fs_l = _load_s(h0, f1, f2, f3, s1, s2, s3, w, iw, k_compact, k_lin)
        if limited:
            fs_l = _cap(fs_l, f_comp, wf)
        if e0.real >= h0.real:
            fs_n = fs_l
        elif limited:
            # the limited sum unloads as one element with the structure's slope (the
            # trial as run on 4 Dec 2026; its force never exceeds F_c)
            fs_n = _unload(fs_l, h0, e0, ku_struct)
        else:
            fs_n = _unload_s(h0, e0, f1, f2, f3, s1, s2, s3, w, iw, k_compact, k_lin,
                             ku_struct)
        # stack against the barrier, hysteretic
        if e1.real >= h1.real:
            h1 = e1
            fe_n = k_stack * w * _sp(h1 * iw)
        else:
            fe_n = _unload(k_stack * w * _sp(h1 * iw), h1, e1, ku_stiff)
        # stack against the dash, hysteretic
        if e3.real >= h2.real:
            h2 = e3
        fd_l = k_dash * w * _sp(h2 * iw)
        if limited and dash_shares:
            # the dash takes what the compartment's strength leaves beside the structure:
            # structure + dash limited together, so their sum never exceeds F_c
            fd_l = _cap(fs_n + fd_l, f_comp, wf) - fs_n
            if not fd_l.real > 0.0:
                fd_l = 0.0 * fd_l
        if e3.real >= h2.real:
            fd_n = fd_l
        else:
            fd_n = _unload(fd_l, h2, e3, ku_stiff)
        # restraint, hysteretic, unloading slope k_r
        if e4.real >= h3.real:
            h3 = e4
            fr_n = _load_r(h3, k_r, f_ll, inv_fll, w, iw)
        else:
            fr_n = _unload(_load_r(h3, k_r, f_ll, inv_fll, w, iw), h3, e4, k_r)
        # mounts, nonlinear elastic
        fm_n = mount_force * _tanh(e2 * i_range)
        ab_n = (-fs_n - fm_n - fd_n + fr_n) * inv_b
        ae_n = (-fe_n + fm_n + fd_n) * inv_e
        ao_n = -fr_n * inv_o
        if i > 0:
            w0 = w0 + 0.5 * (fs + fs_n) * (e0 - d0)
            w1 = w1 + 0.5 * (fe + fe_n) * (e1 - d1)
            w2 = w2 + 0.5 * (fm + fm_n) * (e2 - d2)
            w3 = w3 + 0.5 * (fd + fd_n) * (e3 - d3)
            w4 = w4 + 0.5 * (fr + fr_n) * (e4 - d4)
            vb = vb + 0.5 * (ab + ab_n) * dt
            ve = ve + 0.5 * (ae + ae_n) * dt
            vo = vo + 0.5 * (ao + ao_n) * dt
        d0, d1, d2, d3, d4 = e0, e1, e2, e3, e4
        fs, fe, fm, fd, fr = fs_n, fe_n, fm_n, fd_n, fr_n
        ab, ae, ao = ab_n, ae_n, ao_n
        hist[0, i] = xb
        hist[1, i] = vb
        hist[2, i] = ab
        hist[3, i] = xe
        hist[4, i] = xo
        hist[5, i] = vo
        hist[6, i] = ao
        hist[7, i] = fs + fe
        hist[8, i] = ve
    work[0] = w0
    work[1] = w1
    work[2] = w2
    work[3] = w3
    work[4] = w4


@njit(cache=False)
def run(par, c, v0, n_occ, dt, n, clip_m, olc_free, olc_ride, out):
    """The shipped kernel's ``run`` with the trial's :func:`integrate`."""
    hist = np.empty((N_ROWS, n + 1), dtype=par.dtype)
    work = np.empty(5, dtype=par.dtype)
    res = np.empty(N_METRICS, dtype=par.dtype)
    p = np.empty(N_PARAM, dtype=par.dtype)
    for lane in range(par.shape[1]):
        for r in range(N_PARAM):
            p[r] = par[r, lane]
        integrate(p, c, v0, n_occ, dt, n, hist, work)
        metrics(hist, work, p, c, v0, n_occ, dt, clip_m, olc_free, olc_ride, res)
        for r in range(N_METRICS):
            out[r, lane] = res[r]


def constants(a_c: float, dash: bool = True) -> np.ndarray:
    """The trial kernel's element constants: :func:`keidesign.crash.pulse.kernel_constants`
    (shipped) and the compartment strength ``a_c`` (m/s^2 per kg of body mass), the limit's
    width :data:`W_FORCE` and ``dash`` (whether the dash shares the limit)."""
    return np.concatenate([_SHIPPED_CONSTANTS(), [a_c, W_FORCE, float(dash)]])


_SHIPPED_CONSTANTS = pulse.kernel_constants


def current() -> tuple[float, bool]:
    """The compartment limit in force, ``(a_c (m/s^2), dash)``: (0, True) outside
    :func:`active` (the shipped springs)."""
    return _STATE["a_c"], _STATE["dash"]


@contextmanager
def swapped(a_c: float, dash: bool = True) -> Iterator[None]:
    """:mod:`keidesign.crash.pulse` running the trial kernel (:func:`integrate`,
    :func:`run`, :func:`constants`) at ``a_c`` for the ``with`` block, whatever ``a_c``
    (0: the trial kernel's unlimited path, which its tests hold to the shipped kernel);
    undone on exit."""
    kernel = SimpleNamespace(**{k: getattr(_k, k) for k in dir(_k) if not k.startswith("__")})
    kernel.integrate, kernel.run, kernel.N_CONST = integrate, run, N_CONST
    with mock.patch.object(pulse, "_kernel", kernel), \
            mock.patch.object(pulse, "kernel_constants", lambda: constants(a_c, dash)):
        yield


@contextmanager
def active(a_c: float, dash: bool = True) -> Iterator[None]:
    """:mod:`keidesign.crash.pulse` with a compartment strength ``a_c`` (m/s^2 per kg of
    body mass; 0: no limit, nothing swapped: the shipped kernel) for the ``with`` block
    (:func:`swapped`); :func:`current` gives the limit in force. Undone on exit."""
    kept = dict(_STATE)
    with ExitStack() as stack:
        if a_c > 0.0:
            stack.enter_context(swapped(a_c, dash))
        _STATE.update(a_c=float(a_c), dash=bool(dash))
        try:
            yield
        finally:
            _STATE.update(kept)
