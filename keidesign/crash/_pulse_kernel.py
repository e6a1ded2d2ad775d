"""Compiled time loop of the frontal pulse (:func:`keidesign.crash.pulse.simulate`).

The velocity-Verlet integration of :mod:`keidesign.crash.pulse`, written on scalars and
compiled with numba (``cache=True``: later sessions load it from ``__pycache__``; a
fresh checkout compiles once, ~2 s). The value of every quantity is computed with the
same floating-point operations as the numpy reference (``simulate(...,
reference=True)``), so the two agree to round-off.

Next to each value the kernel carries its forward tangent along ``nd`` directions
(``dp``: the derivative of the 13 parameters along each direction; ``nd = 0`` for a
plain value run): the tangent-linear model of the discrete map, each element's partial
derivatives written out below, hysteresis, contact and clipping branches taken on the
values. That is exactly what complex step through the integration computes (for a step
``h``, the imaginary part is ``h`` times the tangent, up to ``O(h^3)``), at the cost of
one integration instead of one per direction: :func:`keidesign.crash.pulse.simulate`
runs complex inputs (complex-step lanes, OpenMDAO's complex-step checks) through it
with ``dp`` = their imaginary parts. ``tests/test_crash_kernel.py`` holds values and
tangents to the complex-step numpy reference.

Batched evaluation (many designs, values only): :func:`integrate_cases` loops over the
cases inside one compiled call, integrates each with :func:`integrate` (no tangent
direction) and reduces its history to the metrics of :func:`keidesign.crash.pulse.simulate`
in the same floating-point operations as the numpy metrics code, so each case equals a
scalar run bit for bit (``tests/test_batch_crash.py``). It compiles on its first call
only (~1.5 s CPU in a fresh cache; the scalar path never triggers it); ~0.18 ms per case.

Every physics constant comes in through the ``c`` argument (from
:func:`keidesign.crash.pulse.kernel_constants`): the compiled cache is keyed on this file
only, so it can never hold a stale constant.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import njit

from keidesign import NUMBA_CACHE_DIR

# numba may have been imported (by CadQuery) before keidesign set NUMBA_CACHE_DIR
numba.config.CACHE_DIR = numba.config.CACHE_DIR or NUMBA_CACHE_DIR

__all__ = ["METRICS", "N_CONST", "N_PARAM", "ROWS", "clip_window", "integrate",
           "integrate_cases"]

#: Order of the rows of the ``hist`` output.
ROWS = ("xb", "vb", "ab", "xe", "xo", "vo", "ao", "fbar", "ve")
#: Rows of ``p``: m_test, m_stack, f1, f2, f3, s1, s2, s3, gap, clearance, slack, k_r, f_ll.
N_PARAM = 13
#: Entries of ``c``: w, k_stack, k_dash, k_compact, ku_struct, ku_stiff, mount force,
#: mount range, occupant mass (each occupant).
N_CONST = 9


@njit(cache=True)
def _sp(u):
    """softplus ``log(1 + e^u)`` (``u`` itself above 30) and its derivative."""
    if u > 30.0:
        return u, 1.0
    e = math.exp(u)
    return math.log1p(e), e / (1.0 + e)


@njit(cache=True)
def _step(z):
    """Smooth step ``(1 + tanh z) / 2`` and its derivative."""
    t = math.tanh(z)
    return 0.5 * (1.0 + t), 0.5 * (1.0 - t * t)


@njit(cache=True)
def _load_s(d, f1, f2, f3, s1, s2, s3, w, k_compact):
    """Structure staircase + compaction past the rails; partials (d, f1, f2, f3, s1, s2,
    s3)."""
    a0, a0p = _step((d - 2.0 * w) / w)
    a1, a1p = _step((d - s1) / w)
    a2, a2p = _step((d - s1 - s2) / w)
    b, bp = _sp((d - s1 - s2 - s3) / w)
    val = f1 * a0 + (f2 - f1) * a1 + (f3 - f2) * a2 + k_compact * w * b
    q0 = f1 * a0p / w
    q1 = (f2 - f1) * a1p / w
    q2 = (f3 - f2) * a2p / w
    q3 = k_compact * bp
    return (val, q0 + q1 + q2 + q3, a0 - a1, a1 - a2, a2, -(q1 + q2 + q3), -(q2 + q3), -q3)


@njit(cache=True)
def _load_r(d, k_r, f_ll, w):
    """Restraint, saturating at the load limiter; partials (d, k_r, f_ll)."""
    s, sp = _sp(d / w)
    a = k_r * w * s
    t = math.tanh(a / f_ll)
    sech2 = 1.0 - t * t
    return f_ll * t, sech2 * k_r * sp, sech2 * w * s, t - sech2 * a / f_ll


# columns of the tangent state (one row per direction)
_XB, _XE, _XO, _VB, _VE, _VO, _AB, _AE, _AO = 0, 1, 2, 3, 4, 5, 6, 7, 8
_H0, _H1, _H2, _H3 = 9, 10, 11, 12
_FS, _FE, _FM, _FD, _FR = 13, 14, 15, 16, 17
_D0, _D1, _D2, _D3, _D4 = 18, 19, 20, 21, 22
_W0, _W1, _W2, _W3, _W4 = 23, 24, 25, 26, 27
_NT = 28

#: Rows of the ``out`` argument of :func:`integrate_cases` (SI, per case): maximum
#: dynamic crush (m), time to zero velocity (s), mean deceleration V/t_0, ESW
#: deceleration (m/s^2), peak 3 ms deceleration (m/s^2), final body velocity (m/s),
#: OLC (m/s^2), occupant 3 ms clip (m/s^2), occupant excursion (m), dash intrusion
#: (m), work on all elements (J), kinetic energy at the end (J).
METRICS = ("c_max", "t_stop", "mean_decel", "esw", "peak", "v_end", "olc", "chest",
           "excursion", "dash_intrusion", "work", "ke_end")


@njit(cache=True)
def integrate(p, dp, c, v0, n_occ, dt, n, hist, dhist, work, dwork):
    """Integrate one parameter set.

    ``p`` (13,): m_test, m_stack (kg), f1, f2, f3 (N), s1, s2, s3, gap, clearance, slack
    (m), k_r (N/m), f_ll (N) per occupant; ``dp`` (13, nd) its tangents; ``c`` (9,) the
    element constants. Fills ``hist`` (9, n + 1) (rows :data:`ROWS`), ``work`` (5,)
    (structure, stack contact, mounts, dash, restraint) and their tangents ``dhist``
    (9, n + 1, nd), ``dwork`` (5, nd).

    Each step computes the values first, with every element's partial derivatives
    (coefficients of its force tangent on the tangents of its largest deformation,
    its deflection and its parameters: zero when the element is slack), then one loop
    over the directions advances the tangent state ``t`` (nd, 28).
    """
    nd = dp.shape[1]
    m_test, m_stack = p[0], p[1]
    f1, f2, f3, s1, s2, s3 = p[2], p[3], p[4], p[5], p[6], p[7]
    gap, clr, slack = p[8], p[9], p[10]
    k_r = n_occ * p[11]
    f_ll = n_occ * p[12]
    w, k_stack, k_dash, k_compact = c[0], c[1], c[2], c[3]
    ku_struct, ku_stiff, mount_force, mount_range, m_occ = c[4], c[5], c[6], c[7], c[8]
    m_o = n_occ * m_occ
    m_e = m_stack
    m_b = m_test - m_e - m_o
    dt2 = dt**2
    # values: positions, velocities, largest deformations, element forces and
    # accelerations of the previous step, deflections, work
    xb = xe = xo = 0.0
    vb = ve = vo = v0
    h0, h1, h2, h3 = 0.0, -gap, -clr, -slack
    fs = fe = fm = fd = fr = 0.0
    ab = ae = ao = 0.0
    d0, d1, d2, d3, d4 = xb, xe - gap, xb - xe, xb - xe - clr, xo - xb - slack
    w0 = w1 = w2 = w3 = w4 = 0.0
    # tangents
    t = np.zeros((nd, _NT))
    for k in range(nd):
        t[k, _H1] = -dp[8, k]
        t[k, _H2] = -dp[9, k]
        t[k, _H3] = -dp[10, k]
        t[k, _D1] = -dp[8, k]
        t[k, _D3] = -dp[9, k]
        t[k, _D4] = -dp[10, k]
    for i in range(n + 1):
        if i > 0:
            xb = xb + vb * dt + 0.5 * ab * dt2
            xe = xe + ve * dt + 0.5 * ae * dt2
            xo = xo + vo * dt + 0.5 * ao * dt2
        e0 = xb
        e1 = xe - gap
        e2 = xb - xe
        e3 = xb - xe - clr
        e4 = xo - xb - slack
        # front structure (barrier-body), hysteretic
        up0 = e0 >= h0
        if up0:
            h0 = e0
        fs_n, pd, q1, q2, q3, r1, r2, r3 = _load_s(h0, f1, f2, f3, s1, s2, s3, w,
                                                   k_compact)
        if up0:
            cs_h, cs_e = 0.0, pd
        else:
            fs_n = fs_n - ku_struct * (h0 - e0)
            cs_h, cs_e = pd - ku_struct, ku_struct
            if not fs_n > 0.0:
                fs_n = 0.0 * fs_n
                cs_h = cs_e = q1 = q2 = q3 = r1 = r2 = r3 = 0.0
        # stack contact (barrier-stack), hysteretic
        up1 = e1 >= h1
        if up1:
            h1 = e1
        s, sp = _sp(h1 / w)
        fe_n = k_stack * w * s
        if up1:
            ce_h, ce_e = 0.0, k_stack * sp
        else:
            fe_n = fe_n - ku_stiff * (h1 - e1)
            ce_h, ce_e = k_stack * sp - ku_stiff, ku_stiff
            if not fe_n > 0.0:
                fe_n = 0.0 * fe_n
                ce_h = ce_e = 0.0
        # dash (stack-body), hysteretic
        up2 = e3 >= h2
        if up2:
            h2 = e3
        s, sp = _sp(h2 / w)
        fd_n = k_dash * w * s
        if up2:
            cd_h, cd_e = 0.0, k_dash * sp
        else:
            fd_n = fd_n - ku_stiff * (h2 - e3)
            cd_h, cd_e = k_dash * sp - ku_stiff, ku_stiff
            if not fd_n > 0.0:
                fd_n = 0.0 * fd_n
                cd_h = cd_e = 0.0
        # restraint (body-occupant), hysteretic, unloading slope k_r
        up3 = e4 >= h3
        if up3:
            h3 = e4
        fr_n, pd, cr_k, cr_f = _load_r(h3, k_r, f_ll, w)
        if up3:
            cr_h, cr_e = 0.0, pd
        else:
            fr_n = fr_n - k_r * (h3 - e4)
            cr_h, cr_e, cr_k = pd - k_r, k_r, cr_k - (h3 - e4)
            if not fr_n > 0.0:
                fr_n = 0.0 * fr_n
                cr_h = cr_e = cr_k = cr_f = 0.0
        # mounts (body-stack), nonlinear elastic
        tm = math.tanh(e2 / mount_range)
        fm_n = mount_force * tm
        cm = mount_force * (1.0 - tm * tm) / mount_range
        ab_n = (-fs_n - fm_n - fd_n + fr_n) / m_b
        ae_n = (-fe_n + fm_n + fd_n) / m_e
        ao_n = -fr_n / m_o
        if i > 0:
            w0 = w0 + 0.5 * (fs + fs_n) * (e0 - d0)
            w1 = w1 + 0.5 * (fe + fe_n) * (e1 - d1)
            w2 = w2 + 0.5 * (fm + fm_n) * (e2 - d2)
            w3 = w3 + 0.5 * (fd + fd_n) * (e3 - d3)
            w4 = w4 + 0.5 * (fr + fr_n) * (e4 - d4)
            vb = vb + 0.5 * (ab + ab_n) * dt
            ve = ve + 0.5 * (ae + ae_n) * dt
            vo = vo + 0.5 * (ao + ao_n) * dt
        for k in range(nd):
            if i > 0:
                t[k, _XB] = t[k, _XB] + t[k, _VB] * dt + 0.5 * t[k, _AB] * dt2
                t[k, _XE] = t[k, _XE] + t[k, _VE] * dt + 0.5 * t[k, _AE] * dt2
                t[k, _XO] = t[k, _XO] + t[k, _VO] * dt + 0.5 * t[k, _AO] * dt2
            g0 = t[k, _XB]
            g1 = t[k, _XE] - dp[8, k]
            g2 = t[k, _XB] - t[k, _XE]
            g3 = g2 - dp[9, k]
            g4 = t[k, _XO] - t[k, _XB] - dp[10, k]
            if up0:
                t[k, _H0] = g0
            if up1:
                t[k, _H1] = g1
            if up2:
                t[k, _H2] = g3
            if up3:
                t[k, _H3] = g4
            dk_r = n_occ * dp[11, k]
            gs = (cs_h * t[k, _H0] + cs_e * g0 + q1 * dp[2, k] + q2 * dp[3, k]
                  + q3 * dp[4, k] + r1 * dp[5, k] + r2 * dp[6, k] + r3 * dp[7, k])
            ge = ce_h * t[k, _H1] + ce_e * g1
            gd = cd_h * t[k, _H2] + cd_e * g3
            gr = cr_h * t[k, _H3] + cr_e * g4 + cr_k * dk_r + cr_f * (n_occ * dp[12, k])
            gm = cm * g2
            gab = ((-gs - gm - gd + gr) - ab_n * (dp[0, k] - dp[1, k])) / m_b
            gae = ((-ge + gm + gd) - ae_n * dp[1, k]) / m_e
            gao = -gr / m_o
            if i > 0:
                t[k, _W0] += 0.5 * ((t[k, _FS] + gs) * (e0 - d0) + (fs + fs_n) * (g0 - t[k, _D0]))
                t[k, _W1] += 0.5 * ((t[k, _FE] + ge) * (e1 - d1) + (fe + fe_n) * (g1 - t[k, _D1]))
                t[k, _W2] += 0.5 * ((t[k, _FM] + gm) * (e2 - d2) + (fm + fm_n) * (g2 - t[k, _D2]))
                t[k, _W3] += 0.5 * ((t[k, _FD] + gd) * (e3 - d3) + (fd + fd_n) * (g3 - t[k, _D3]))
                t[k, _W4] += 0.5 * ((t[k, _FR] + gr) * (e4 - d4) + (fr + fr_n) * (g4 - t[k, _D4]))
                t[k, _VB] = t[k, _VB] + 0.5 * (t[k, _AB] + gab) * dt
                t[k, _VE] = t[k, _VE] + 0.5 * (t[k, _AE] + gae) * dt
                t[k, _VO] = t[k, _VO] + 0.5 * (t[k, _AO] + gao) * dt
            t[k, _D0], t[k, _D1], t[k, _D2], t[k, _D3], t[k, _D4] = g0, g1, g2, g3, g4
            t[k, _FS], t[k, _FE], t[k, _FM], t[k, _FD], t[k, _FR] = gs, ge, gm, gd, gr
            t[k, _AB], t[k, _AE], t[k, _AO] = gab, gae, gao
            dhist[0, i, k] = t[k, _XB]
            dhist[1, i, k] = t[k, _VB]
            dhist[2, i, k] = gab
            dhist[3, i, k] = t[k, _XE]
            dhist[4, i, k] = t[k, _XO]
            dhist[5, i, k] = t[k, _VO]
            dhist[6, i, k] = gao
            dhist[7, i, k] = gs + ge
            dhist[8, i, k] = t[k, _VE]
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
    for k in range(nd):
        for j in range(5):
            dwork[j, k] = t[k, _W0 + j]


@njit(cache=True)
def clip_window(y, width):
    """Index of the window (``width`` samples) whose minimum is largest, and the index of
    that minimum: ``np.argmax`` of the window minima, then ``np.argmin`` in the window
    (first occurrences, as numpy)."""
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
    """First index k >= start with y[k] - level >= 0 (rising) or <= 0; -1 if none."""
    for k in range(start, y.shape[0]):
        d = y[k] - level
        if (d >= 0.0) if rising else (d <= 0.0):
            return k
    return -1


@njit(cache=True)
def _argmax(y):
    """First index of the largest element (``np.argmax`` on finite values)."""
    j = 0
    best = y[0]
    for k in range(1, y.shape[0]):
        if y[k] > best:
            best = y[k]
            j = k
    return j


@njit(cache=True)
def _case_metrics(hist, work, p, v0, n_occ, dt, n, m_occ, clip_m, olc_free, olc_ride,
                  out, col):
    """The metrics of one integrated case into ``out[:, col]`` (rows :data:`METRICS`):
    :func:`keidesign.crash.pulse._metrics`, ``_olc`` and ``simulate``'s intrusion and
    energies written on scalars with the same operations."""
    xb, vb, xe, xo, ao = hist[0], hist[1], hist[3], hist[4], hist[6]
    n1 = n + 1
    t = np.empty(n1)
    for k in range(n1):
        t[k] = k * dt
    # zero crossing of the body velocity -> crush, duration
    k = _first_cross(vb, 0.0, 1, False)
    if k < 0:
        k = n1 - 1
        frac = 1.0
    else:
        frac = vb[k - 1] / (vb[k - 1] - vb[k])
    t_stop = t[k - 1] + frac * dt
    decel = (vb[k - 1] - vb[k]) / dt
    c_max = xb[k - 1] + vb[k - 1] * vb[k - 1] / (2.0 * decel)
    # 3 ms moving average of the body deceleration
    a3 = np.empty(n1 - clip_m)
    for j in range(n1 - clip_m):
        a3[j] = (vb[j] - vb[j + clip_m]) / (clip_m * dt)
    peak = a3[_argmax(a3)]
    # occupant 3 ms clip
    neg = np.empty(n1)
    for j in range(n1):
        neg[j] = -ao[j]
    chest = neg[clip_window(neg, clip_m + 1)[1]]
    # occupant excursion, dash intrusion
    y = np.empty(n1)
    for j in range(n1):
        y[j] = xo[j] - xb[j]
    excursion = y[_argmax(y)]
    clr = p[9]
    for j in range(n1):
        y[j] = xb[j] - xe[j] - clr
    dash = y[_argmax(y)]
    if not dash > 0.0:
        dash = 0.0 * dash
    # OLC (Kubler et al. 2009)
    for j in range(n1):
        y[j] = v0 * t[j] - xb[j]
    k1 = _first_cross(y, olc_free, 1, True)
    if k1 < 0:
        olc = 0.0 * vb[0]
    else:
        f1 = (olc_free - y[k1 - 1]) / (y[k1] - y[k1 - 1])
        t1 = t[k1 - 1] + f1 * dt
        x1 = xb[k1 - 1] + f1 * (xb[k1] - xb[k1 - 1])
        for j in range(n1):
            y[j] = (t[j] - t1) * 0.5 * (v0 + vb[j]) - (xb[j] - x1) - olc_ride
        k2 = _first_cross(y, 0.0, k1, True)
        if k2 < 0:
            k2 = n1 - 1
            f2 = 1.0
        else:
            f2 = -y[k2 - 1] / (y[k2] - y[k2 - 1])
        t2 = t[k2 - 1] + f2 * dt
        v2 = vb[k2 - 1] + f2 * (vb[k2] - vb[k2 - 1])
        olc = (v0 - v2) / (t2 - t1)
    # energies
    m_o = n_occ * m_occ
    m_e = p[1]
    m_b = p[0] - m_e - m_o
    vb_end, ve_end, vo_end = vb[n1 - 1], hist[8, n1 - 1], hist[5, n1 - 1]
    ke_end = 0.5 * (m_b * (vb_end * vb_end) + m_e * (ve_end * ve_end)
                    + m_o * (vo_end * vo_end))
    w_sum = 0.0
    for j in range(5):
        w_sum = w_sum + work[j]
    out[0, col] = c_max
    out[1, col] = t_stop
    out[2, col] = v0 / t_stop
    out[3, col] = v0 * v0 / (2.0 * c_max)
    out[4, col] = peak
    out[5, col] = vb_end
    out[6, col] = olc
    out[7, col] = chest
    out[8, col] = excursion
    out[9, col] = dash
    out[10, col] = w_sum
    out[11, col] = ke_end


@njit(cache=True)
def integrate_cases(p, c, v0, n_occ, dt, n, clip_m, olc_free, olc_ride, out):
    """Integrate many independent cases, values only, in one call.

    ``p`` (n_cases, 13): one parameter set per row (as :func:`integrate`); ``c`` (9,)
    the element constants; ``clip_m`` the samples of the 3 ms window, ``olc_free``,
    ``olc_ride`` (m) the OLC distances. Fills ``out`` (12, n_cases), rows
    :data:`METRICS`. Each case runs :func:`integrate` with no tangent direction, then
    :func:`_case_metrics` on its history (one history buffer reused across cases).
    """
    hist = np.empty((len(ROWS), n + 1))
    work = np.empty(5)
    dp = np.empty((N_PARAM, 0))
    dhist = np.empty((len(ROWS), n + 1, 0))
    dwork = np.empty((5, 0))
    for col in range(p.shape[0]):
        pk = p[col]
        integrate(pk, dp, c, v0, n_occ, dt, n, hist, dhist, work, dwork)
        _case_metrics(hist, work, pk, v0, n_occ, dt, n, c[8], clip_m, olc_free,
                      olc_ride, out, col)
