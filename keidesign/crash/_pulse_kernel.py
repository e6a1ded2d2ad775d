"""The frontal pulse, written once: time loop and metrics (compiled with numba).

The velocity-Verlet integration of the 3-mass model of :mod:`keidesign.crash.pulse`
(equations there) and the reduction of its histories to the test metrics are written
here once, on scalars of any numeric type. numba compiles them twice from this one
source (``cache=True``: later sessions load both from ``__pycache__``; a fresh checkout
compiles them on first use, a few seconds):

* ``float64``: values, for one design or many (:func:`run` loops over the columns of
  its parameter array, one design per column: sweeps and batches use the same code as
  one design);
* ``complex128``: the complex step. Each column carries the same real parameters plus a
  step ``1e-30 i`` in one input; every branch (hysteresis, contacts, the clip window,
  zero crossings, interpolation brackets, the softplus cut-off) is decided on real
  parts, so the real part of each result is the value and its imaginary part / step the
  exact derivative of the discrete map along that input (machine precision, no
  subtractive cancellation). OpenMDAO's complex-step checks go through the same path.

There is no tangent code and no reference twin to keep equal: values, partials and
batches are all this one implementation.

Every physics constant comes in through the ``c`` argument (from
:func:`keidesign.crash.pulse.kernel_constants`): the compiled cache is keyed on this file
only, so it can never hold a stale constant.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from keidesign import numbacache

# the cache folder, keyed by the kernels' sources (any checkout reads it)
numbacache.install()

__all__ = ["METRICS", "N_CONST", "N_PARAM", "ROWS", "clip_window", "integrate", "metrics",
           "run"]

#: Order of the rows of the ``hist`` argument of :func:`integrate`.
ROWS = ("xb", "vb", "ab", "xe", "xo", "vo", "ao", "fbar", "ve")
#: Rows of ``p``: m_test, m_stack, f1, f2, f3, s1, s2, s3, gap, clearance, slack, k_r, f_ll,
#: ride-down space, k_lin (the front structure's force rise per metre of crush, N/m, added
#: to the staircase: 0 for the staircase alone).
N_PARAM = 15
N_ROWS = 9
N_METRICS = 15
#: Entries of ``c``: w, k_stack, k_dash, k_compact, ku_struct, ku_stiff, mount force,
#: mount range, occupant mass (each occupant).
N_CONST = 9
#: Rows of the ``out`` argument of :func:`run` (SI, per column): maximum dynamic crush
#: (m), time to zero velocity (s), mean deceleration V/t_0, ESW deceleration (m/s^2),
#: peak 3 ms deceleration (m/s^2), final body velocity (m/s), OLC (m/s^2), occupant 3 ms
#: clip (m/s^2), occupant excursion (m), dash intrusion (m), work on all elements (J),
#: kinetic energy at the end (J), restraint OLC (m/s^2), HIC15 of the occupant's
#: deceleration (-), maximum body crush less the stack's own compression (m).
METRICS = ("c_max", "t_stop", "mean_decel", "esw", "peak", "v_end", "olc", "chest",
           "excursion", "dash_intrusion", "work", "ke_end", "olc_restraint", "hic_occ",
           "c_past_stack")
#: HIC window (s) and standard gravity (m/s^2) of the HIC's unit convention
HIC_WINDOW_S = 0.015
G0 = 9.80665


# Elementary functions for both compilations. On complex arguments they apply the
# first-order rule f(a + ib) = f(a) + i b f'(a), which is what complex arithmetic gives
# for the steps of a complex step (|b| <= 1e-30 |a|: the O(b^2) terms are below round-off)
# at the price of one real evaluation (complex tanh, exp and log1p cost several).
def _tanh(x):  # pragma: no cover - replaced by the overload inside compiled code
    return np.tanh(x)


def _exp(x):  # pragma: no cover
    return np.exp(x)


def _log1p(x):  # pragma: no cover
    return np.log1p(x)


def _sqrt(x):  # pragma: no cover
    return np.sqrt(x)


@overload(_sqrt)
def _sqrt_ol(x):
    if isinstance(x, types.Complex):
        def impl(x):
            r = math.sqrt(x.real)
            return complex(r, x.imag * 0.5 / r)
        return impl
    return lambda x: math.sqrt(x)


@overload(_tanh)
def _tanh_ol(x):
    if isinstance(x, types.Complex):
        def impl(x):
            e = math.exp(-2.0 * abs(x.real))   # sech^2 without 1 - tanh^2 cancellation
            return complex(math.tanh(x.real), x.imag * 4.0 * e / ((1.0 + e) * (1.0 + e)))
        return impl
    return lambda x: math.tanh(x)


@overload(_exp)
def _exp_ol(x):
    if isinstance(x, types.Complex):
        def impl(x):
            e = math.exp(x.real)
            return complex(e, x.imag * e)
        return impl
    return lambda x: math.exp(x)


@overload(_log1p)
def _log1p_ol(x):
    if isinstance(x, types.Complex):
        def impl(x):
            return complex(math.log1p(x.real), x.imag / (1.0 + x.real))
        return impl
    return lambda x: math.log1p(x)


@njit(cache=True)
def _sp(u):
    """softplus ``log(1 + e^u)``; ``u`` itself above 30 (decided on the real part)."""
    if u.real > 30.0:
        return u
    return _log1p(_exp(u))


@njit(cache=True)
def _step(z):
    """Smooth step ``(1 + tanh z) / 2``."""
    return 0.5 * (1.0 + _tanh(z))


@njit(cache=True)
def _load_zones(d, f1, f2, f3, s1, s2, s3, w, iw, k_lin):
    """Front structure's crush zones: staircase of the three zones and a force rising by
    ``k_lin`` per metre of crush (0: the staircase alone) (``iw`` = 1 / w: products, not
    complex divisions)."""
    return (f1 * _step((d - 2.0 * w) * iw) + (f2 - f1) * _step((d - s1) * iw)
            + (f3 - f2) * _step((d - s1 - s2) * iw) + k_lin * d)


@njit(cache=True)
def _compaction(d, s1, s2, s3, w, iw, k_compact):
    """Compaction spring past the zones' end, ``k_c w softplus((d - s1 - s2 - s3) / w)``."""
    return k_compact * w * _sp((d - s1 - s2 - s3) * iw)


@njit(cache=True)
def _load_s(d, f1, f2, f3, s1, s2, s3, w, iw, k_compact, k_lin):
    """Front structure: the zones (:func:`_load_zones`) and, in parallel, the compaction
    past the rails (:func:`_compaction`)."""
    return (_load_zones(d, f1, f2, f3, s1, s2, s3, w, iw, k_lin)
            + _compaction(d, s1, s2, s3, w, iw, k_compact))


@njit(cache=True)
def _load_r(d, k_r, f_ll, inv_f_ll, w, iw):
    """Restraint: slope ``k_r`` after the slack, saturating at the load limiter
    (``inv_f_ll`` = 1 / f_ll, ``iw`` = 1 / w)."""
    return f_ll * _tanh(k_r * w * _sp(d * iw) * inv_f_ll)


@njit(cache=True)
def _unload_s(h, e, f1, f2, f3, s1, s2, s3, w, iw, k_compact, k_lin, ku_struct):
    """Front structure's force unloading from its largest crush ``h`` to ``e``: its two
    parallel elements each along its own line, never tensile (:mod:`keidesign.crash.pulse`,
    "Unloading"): the zones from their force at ``h`` with the structure's elastic slope
    ``ku_struct``, the compaction spring from its force at ``h`` with its loading tangent
    there, ``k_c sigma((h - s1 - s2 - s3) / w)`` (sigma the logistic function, the
    derivative of softplus; a convex law lies above its tangent, so the spring returns
    at most the energy it stored)."""
    k_t = k_compact * _step(0.5 * (h - s1 - s2 - s3) * iw)
    return (_unload(_load_zones(h, f1, f2, f3, s1, s2, s3, w, iw, k_lin), h, e, ku_struct)
            + _unload(_compaction(h, s1, s2, s3, w, iw, k_compact), h, e, k_t))


@njit(cache=True)
def _unload(f_max, h, e, k_u):
    """Force on the unloading branch from the largest deformation ``h`` back to ``e``
    with slope ``k_u``, never tensile."""
    f = f_max - k_u * (h - e)
    if not f.real > 0.0:
        return 0.0 * f
    return f


@njit(cache=True)
def integrate(p, c, v0, n_occ, dt, n, hist, work):
    """Integrate one parameter set ``p`` (15,) (float or complex; rows :data:`N_PARAM`:
    m_test, m_stack (kg), f1, f2, f3 (N), s1, s2, s3, gap, clearance, slack (m), k_r
    (N/m), f_ll (N) per occupant, ride-down space (m; used by :func:`metrics` only), k_lin
    (N/m)) with
    the element constants ``c`` (9,). Fills ``hist`` (9, n + 1) (rows :data:`ROWS`) and
    ``work`` (5,) (structure, stack contact, mounts, dash, restraint), both of ``p``'s
    type.
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
    m_o = n_occ * m_occ
    m_e = m_stack
    m_b = m_test - m_e - m_o
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
            fs_n = _load_s(h0, f1, f2, f3, s1, s2, s3, w, iw, k_compact, k_lin)
        else:
            fs_n = _unload_s(h0, e0, f1, f2, f3, s1, s2, s3, w, iw, k_compact, k_lin, ku_struct)
        # stack against the barrier, hysteretic
        if e1.real >= h1.real:
            h1 = e1
            fe_n = k_stack * w * _sp(h1 * iw)
        else:
            fe_n = _unload(k_stack * w * _sp(h1 * iw), h1, e1, ku_stiff)
        # stack against the dash, hysteretic
        if e3.real >= h2.real:
            h2 = e3
            fd_n = k_dash * w * _sp(h2 * iw)
        else:
            fd_n = _unload(k_dash * w * _sp(h2 * iw), h2, e3, ku_stiff)
        # restraint, hysteretic, unloading slope k_r
        if e4.real >= h3.real:
            h3 = e4
            fr_n = _load_r(h3, k_r, f_ll, inv_fll, w, iw)
        else:
            fr_n = _unload(_load_r(h3, k_r, f_ll, inv_fll, w, iw), h3, e4, k_r)
        # mounts, nonlinear elastic (an elastic-plastic law was tried on 6 Dec 2026 and not
        # shipped: benchmarks/mount_trial.py; docs/crash.md, "The engine mounts' springback")
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


@njit(cache=True)
def clip_window(y, width):
    """Index of the window (``width`` samples) of the real array ``y`` whose minimum is
    largest, and the index of that minimum (first occurrences)."""
    n_win = y.shape[0] - width + 1
    best = -np.inf
    jw = 0
    for j in range(n_win):
        lo = y[j]
        for s in range(1, width):
            if y[j + s] < lo:
                lo = y[j + s]
        if lo > best or j == 0:
            best = lo
            jw = j
    jm = jw
    for s in range(1, width):
        if y[jw + s] < y[jm]:
            jm = jw + s
    return jw, jm


@njit(cache=True)
def _first_cross(y, level, start, rising):
    """First index k >= start where ``y[k] - level`` (real part) is >= 0 (``rising``) or
    <= 0; -1 if none."""
    for k in range(start, y.shape[0]):
        r = y[k].real - level.real
        if (rising and r >= 0.0) or (not rising and r <= 0.0):
            return k
    return -1


@njit(cache=True)
def _olc(xb, vb, v0, dt, olc_free, olc_ride):
    """Occupant load criterion (Kubler et al. 2009): free flight ``olc_free`` relative to
    the body, then a constant deceleration that stops the occupant relative to the body
    after a further ``olc_ride``."""
    n_t = xb.shape[0]
    rel = np.empty_like(xb)
    for k in range(n_t):
        rel[k] = v0 * (k * dt) - xb[k]
    k1 = _first_cross(rel, olc_free, 1, True)
    if k1 < 0:
        return 0.0 * vb[0]
    f1 = (olc_free - rel[k1 - 1]) / (rel[k1] - rel[k1 - 1])
    t1 = (k1 - 1) * dt + f1 * dt
    x1 = xb[k1 - 1] + f1 * (xb[k1] - xb[k1 - 1])
    g = np.empty_like(xb)
    for k in range(n_t):
        g[k] = (k * dt - t1) * 0.5 * (v0 + vb[k]) - (xb[k] - x1) - olc_ride
    k2 = _first_cross(g, 0.0, k1, True)
    if k2 < 0:
        k2 = n_t - 1
        f2 = 1.0 + 0.0 * vb[k2]
    else:
        f2 = -g[k2 - 1] / (g[k2] - g[k2 - 1])
    t2 = (k2 - 1) * dt + f2 * dt
    v2 = vb[k2 - 1] + f2 * (vb[k2] - vb[k2 - 1])
    return (v0 - v2) / (t2 - t1)


@njit(cache=True)
def _hic_value(vr, i, w, dt):
    """``T (a / g)^2.5`` of the window of ``w`` samples from ``i`` (real velocities)."""
    dv = vr[i] - vr[i + w]
    if dv <= 0.0:
        return -1.0
    t = w * dt
    a = dv / (t * G0)
    return t * a * a * math.sqrt(a)


@njit(cache=True)
def hic(v, dt, window):
    """Head injury criterion of the deceleration history given by the velocity ``v``
    (m/s, positive forward): max over t2 - t1 <= ``window`` of (t2 - t1) [mean
    deceleration / g]^2.5 (the mean from the velocity change, exact for the sampled
    history). The window is found on real parts: a 0.5 ms grid of starts and widths,
    then every sample within 0.5 ms of the best grid window (the HIC surface of a
    restraint pulse is smooth); the value is then computed in ``v``'s type, so a complex
    step carries its derivative. 0 if the occupant never decelerates."""
    n_t = v.shape[0]
    vr = np.empty(n_t)
    for k in range(n_t):
        vr[k] = v[k].real
    w_max = int(round(window / dt))
    step = max(1, int(round(5e-4 / dt)))
    best, bi, bw = -1.0, 0, 1
    for i in range(0, n_t - 1, step):
        for w in range(step, w_max + 1, step):
            if i + w >= n_t:
                break
            val = _hic_value(vr, i, w, dt)
            if val > best:
                best, bi, bw = val, i, w
    i0, w0 = bi, bw
    for i in range(max(0, i0 - step), min(n_t - 1, i0 + step + 1)):
        for w in range(max(1, w0 - step), min(w_max, w0 + step) + 1):
            if i + w >= n_t:
                break
            val = _hic_value(vr, i, w, dt)
            if val > best:
                best, bi, bw = val, i, w
    if best < 0.0:
        return 0.0 * v[0]
    t = bw * dt
    a = (v[bi] - v[bi + bw]) / (t * G0)
    return t * a * a * _sqrt(a)


@njit(cache=True)
def metrics(hist, work, p, c, v0, n_occ, dt, clip_m, olc_free, olc_ride, out):
    """Reduce one integrated history to :data:`METRICS`, written into ``out`` (15,).

    Crush and time at zero body velocity by linear interpolation of the sample pair that
    brackets it; mean deceleration V/t_0; ESW V^2 / (2 c_max); peak of the 3 ms moving
    average of the body deceleration, (v_b(t) - v_b(t + T)) / T with its rate (a_b(t) -
    a_b(t + T)) / T; occupant 3 ms clip (the largest level the occupant deceleration
    exceeds for 3 ms); occupant excursion relative to the body, x_o - x_b with v_o - v_b
    (the peak deceleration and the excursion are maxima over continuous time,
    :func:`_peak_hermite`, since task s34c; they were the largest samples); OLC; dash
    intrusion (largest stack-dash overlap beyond the clearance, >= 0, over continuous time:
    :func:`_peak_hermite` of x_b - x_e - c_e with v_b - v_e); work;
    final kinetic energy; the restraint OLC (the OLC construction with the restraint's
    slack as free flight and the rest of its ride-down space as ride-down: the lowest
    constant occupant deceleration that stops the occupant relative to the body within
    the space, a floor for any restraint with that slack); the HIC15 of the occupant's
    deceleration (:func:`hic`); the crush past the stack, max over t of
    x_b - max(0, x_e - gap): the body crush less the powertrain stack's own compression
    against the barrier (the stack contact's penetration), i.e. the crush the front
    length around a stack of nominal length must provide (compared with the crush
    available of :mod:`keidesign.crash.structure`, which counts the stack at its nominal
    length); its max is taken over continuous time on the samples' Hermite
    interpolants (:func:`_peak_hermite`), not over the samples.
    """
    xb, vb, ab, xe, xo, vo, ao, ve = (hist[0], hist[1], hist[2], hist[3], hist[4], hist[5],
                                      hist[6], hist[8])
    n_t = vb.shape[0]
    k = _first_cross(vb, 0.0, 1, False)
    if k < 0:
        k = n_t - 1
        frac = 1.0 + 0.0 * vb[k]
    else:
        frac = vb[k - 1] / (vb[k - 1] - vb[k])
    t_stop = (k - 1) * dt + frac * dt
    decel = (vb[k - 1] - vb[k]) / dt
    c_max = xb[k - 1] + vb[k - 1] ** 2 / (2.0 * decel)
    # 3 ms moving average of the body deceleration, (v_b(t) - v_b(t + T)) / T, with its
    # rate (a_b(t) - a_b(t + T)) / T: its max over continuous time
    inv_clip = 1.0 / (clip_m * dt)
    n_w = n_t - clip_m
    a3 = (vb[:n_w] - vb[clip_m:]) * inv_clip
    peak = _peak_hermite(a3, (ab[:n_w] - ab[clip_m:]) * inv_clip, a3, a3, dt, False)
    # occupant 3 ms clip
    yr = np.empty(n_t)
    for s in range(n_t):
        yr[s] = -ao[s].real
    chest = -ao[clip_window(yr, clip_m + 1)[1]]
    exc = xo - xb
    excursion = _peak_hermite(exc, vo - vb, exc, exc, dt, False)
    clr = p[9]
    dash = xb - xe - clr
    dmax = _peak_hermite(dash, vb - ve, dash, dash, dt, False)
    if not dmax.real > 0.0:
        dmax = 0.0 * dmax + 0.0    # + 0.0: a zero, never -0.0 (0 times a negative)
    m_o = n_occ * c[8]
    m_e = p[1]
    m_b = p[0] - m_e - m_o
    out[0] = c_max
    out[1] = t_stop
    out[2] = v0 / t_stop
    out[3] = v0**2 / (2.0 * c_max)
    out[4] = peak
    out[5] = vb[n_t - 1]
    out[6] = _olc(xb, vb, v0, dt, olc_free, olc_ride)
    out[7] = chest
    out[8] = excursion
    out[9] = dmax
    out[10] = work[0] + work[1] + work[2] + work[3] + work[4]
    out[11] = 0.5 * (m_b * vb[n_t - 1] ** 2 + m_e * ve[n_t - 1] ** 2 + m_o * vo[n_t - 1] ** 2)
    # the restraint's own OLC: free flight = its slack, ride-down = the rest of its space
    slack, space = p[10], p[13]
    out[12] = _olc(xb, vb, v0, dt, slack, space - slack)
    out[13] = hic(vo, dt, HIC_WINDOW_S)
    # body crush less the stack's own compression against the barrier (>= 0 only)
    gap = p[8]
    out[14] = _peak_hermite(xb, vb, xe - gap, ve, dt, True)


@njit(cache=True)
def _herm(y0, y1, m0, m1, s):
    """The cubic Hermite interpolant on one step, at ``s`` in [0, 1] (``m`` = dt times the
    derivative): the basis form, exact at the samples (``s`` = 0, 1)."""
    u = 1.0 - s
    return (1.0 + 2.0 * s) * u * u * y0 + s * u * u * m0 + s * s * (3.0 - 2.0 * s) * y1 \
        + s * s * (s - 1.0) * m1


@njit(cache=True)
def _dherm(y0, y1, m0, m1, s):
    """d/ds of :func:`_herm` (real)."""
    return (6.0 * s * s - 6.0 * s) * (y0 - y1) + (3.0 * s * s - 4.0 * s + 1.0) * m0 \
        + (3.0 * s * s - 2.0 * s) * m1


@njit(cache=True)
def _stationary(y0, y1, m0, m1):
    """The (at most two) stationary points in (0, 1) of the Hermite cubic of real data;
    -1.0 for none."""
    a = 6.0 * (y0 - y1) + 3.0 * (m0 + m1)
    b = -6.0 * (y0 - y1) - 4.0 * m0 - 2.0 * m1
    c = m0
    r1 = r2 = -1.0
    if a == 0.0 or abs(a) < 1e-12 * (abs(b) + abs(c)):
        if b != 0.0:
            r1 = -c / b
    else:
        disc = b * b - 4.0 * a * c
        if disc >= 0.0:
            q = -0.5 * (b + math.copysign(math.sqrt(disc), b))
            r1 = q / a
            r2 = c / q if q != 0.0 else -1.0
    if not 0.0 < r1 < 1.0:
        r1 = -1.0
    if not 0.0 < r2 < 1.0:
        r2 = -1.0
    return r1, r2


@njit(cache=True)
def _peak_hermite(y, dy, q, dq, dt, corner):
    """The largest value over continuous time of ``Y(t) - max(Q(t), 0)`` (``corner``) or
    of ``Y(t)`` (not ``corner``), Y and Q the cubic Hermite interpolants of the samples
    ``y`` and ``q`` with their time derivatives ``dy`` and ``dq`` (the integrator's own
    velocities), one cubic per step ``dt``.

    For the crush past the stack, Y = x_b and Q = x_e - g_e, the stack's penetration of
    the barrier: the criterion's own x_b - max(0, x_e - g_e) applied to the interpolated
    motions, so a step across the stack's contact (Q changes sign) is split at the
    contact time (the root of Q, on real parts) and each side is its own cubic (x_b before
    the contact, x_b - x_e + g_e after); the value is continuous in every input, including
    as the peak passes a sample or a contact, where the largest sample's value and slope
    jump. Candidates, per step: its two samples, the stationary points of each side's
    cubic and the roots of Q; the largest value of ``Y - max(Q, 0)`` among them is the
    step's maximum. Every step is searched whose bound (a Hermite cubic lies below its
    larger end plus 4/27 of |m0| + |m1|, m = dt times the derivative, and Y - max(Q, 0)
    below both Y and Y - Q) exceeds the largest value found so far, so the result is the
    maximum over the whole history, not over a neighbourhood of the largest sample.

    Complex step: the peak time is found on real parts. At a stationary point the value
    is stationary in it (the envelope theorem: its derivative is that of the cubic at the
    fixed time); at the contact (a corner, not stationary) the time moves with the
    inputs, ds/dp = -(dQ/dp) / (dQ/ds), which the imaginary part of s carries (one
    implicit-function step on the complex Q); at a sample the value is the sample."""
    n_t = y.shape[0]
    best = -np.inf
    bj, bs, broot = 0, 0.0, False
    for i in range(n_t):
        v = y[i].real
        if corner and q[i].real > 0.0:
            v -= q[i].real
        if v > best:
            best, bj = v, i
    if bj == n_t - 1:
        bj, bs = n_t - 2, 1.0
    for j in range(n_t - 1):
        y0, y1, m0, m1 = y[j].real, y[j + 1].real, dt * dy[j].real, dt * dy[j + 1].real
        ub = max(y0, y1) + 4.0 / 27.0 * (abs(m0) + abs(m1))
        if corner:
            q0, q1, n0, n1 = q[j].real, q[j + 1].real, dt * dq[j].real, dt * dq[j + 1].real
            ub = min(ub, max(y0 - q0, y1 - q1) + 4.0 / 27.0 * (abs(m0 - n0) + abs(m1 - n1)))
        else:
            q0 = q1 = n0 = n1 = 0.0
        if not ub > best:
            continue
        cand = np.full(7, -1.0)
        r1, r2 = _stationary(y0, y1, m0, m1)
        cand[0] = r1
        cand[1] = r2
        if corner:
            r1, r2 = _stationary(y0 - q0, y1 - q1, m0 - n0, m1 - n1)
            cand[2] = r1
            cand[3] = r2
            # roots of Q: one per monotone piece whose ends differ in sign (bisection)
            e1, e2 = _stationary(q0, q1, n0, n1)
            if e2 >= 0.0 and (e1 < 0.0 or e2 < e1):
                e1, e2 = e2, e1
            knots = np.array([0.0, e1, e2, 1.0])
            lo_s = 0.0
            nr = 0
            for kk in range(1, 4):
                hi_s = knots[kk]
                if hi_s < 0.0:
                    continue
                a_s, b_s = lo_s, hi_s
                fa = _herm(q0, q1, n0, n1, a_s)
                fb = _herm(q0, q1, n0, n1, b_s)
                if fa * fb < 0.0:
                    for _ in range(60):
                        mid = 0.5 * (a_s + b_s)
                        fm = _herm(q0, q1, n0, n1, mid)
                        if (fm < 0.0) == (fa < 0.0):
                            a_s, fa = mid, fm
                        else:
                            b_s = mid
                    cand[4 + nr] = 0.5 * (a_s + b_s)
                    nr += 1
                lo_s = hi_s
        for ic in range(7):
            s = cand[ic]
            if s < 0.0:
                continue
            v = _herm(y0, y1, m0, m1, s)
            root = corner and ic >= 4
            if corner and not root:
                qs = _herm(q0, q1, n0, n1, s)
                if qs > 0.0:
                    v -= qs
            if v > best:
                best, bj, bs, broot = v, j, s, root
    # the value at the peak time, in y's type
    j = bj
    m0c, m1c = dt * dy[j], dt * dy[j + 1]
    s_c = bs + 0.0 * y[j]
    if broot:
        n0c, n1c = dt * dq[j], dt * dq[j + 1]
        qc = _herm(q[j], q[j + 1], n0c, n1c, s_c)
        dqs = _dherm(q[j].real, q[j + 1].real, n0c.real, n1c.real, bs)
        if dqs != 0.0:
            s_c = s_c - (qc - qc.real) / dqs
        return _herm(y[j], y[j + 1], m0c, m1c, s_c)
    v = _herm(y[j], y[j + 1], m0c, m1c, s_c)
    if corner:
        qc = _herm(q[j], q[j + 1], dt * dq[j], dt * dq[j + 1], s_c)
        if qc.real > 0.0:
            v = v - qc
    return v


@njit(cache=True)
def run(par, c, v0, n_occ, dt, n, clip_m, olc_free, olc_ride, out):
    """Integrate every column of ``par`` (15, L) and write its :data:`METRICS` into the
    same column of ``out`` (15, L) (both float, or both complex: complex-step lanes)."""
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
