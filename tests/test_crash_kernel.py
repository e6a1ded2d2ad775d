"""The compiled frontal-pulse kernel against the numpy reference integration.

``simulate`` runs the time loop in :mod:`keidesign.crash._pulse_kernel` (values plus
forward tangents); ``simulate(..., reference=True)`` is the original numpy loop with
literal complex arithmetic. Values must agree to round-off and the kernel's tangents
must equal the reference's complex-step derivatives.
"""

from __future__ import annotations

import numpy as np
import pytest

from keidesign.crash import _pulse_kernel
from keidesign.crash.pulse import PULSE_OUTPUTS, outputs_from_result, simulate

BASE = dict(m_test=1094.0, m_stack=227.7, f1=82e3, f2=165e3, f3=250e3, s1=0.07, s2=0.0876,
            s3=0.4234, gap=0.2, clearance=0.08, slack=0.025, k_r=250e3, f_ll=35e3)
KEYS = tuple(BASE)
HSTEP = 1e-30

# cases exercising the branches: the reference design, soft rails (compaction past the
# rails, dash contact), a heavy car with a long gap, a stiff restraint at its limiter
CASES = {
    "reference": ({}, {}),
    "soft_rails": ({"f3": 120e3, "s3": 0.25, "clearance": 0.03}, {}),
    "heavy_long_gap": ({"m_test": 1800.0, "m_stack": 300.0, "gap": 0.35}, {"v0_kmh": 64.0}),
    "stiff_restraint": ({"k_r": 600e3, "f_ll": 20e3, "slack": 0.005},
                        {"n_occupants": 1, "v0_kmh": 40.0}),
}


def _one(over: dict) -> dict:
    p = dict(BASE, **over)
    return {k: np.array([p[k]]) for k in KEYS}


def _lanes(over: dict, h: float = HSTEP) -> dict:
    """One complex-step direction per parameter (lane j steps parameter j)."""
    p = dict(BASE, **over)
    out = {}
    for j, k in enumerate(KEYS):
        a = np.full(len(KEYS), p[k], dtype=complex)
        a[j] += 1j * h
        out[k] = a
    return out


def _close(a, b, rtol: float, atol: float) -> None:
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


@pytest.mark.parametrize("case", list(CASES))
def test_kernel_values_match_reference(case):
    over, kw = CASES[case]
    r = simulate(_one(over), **kw)
    ref = simulate(_one(over), reference=True, **kw)
    out, out_ref = outputs_from_result(r), outputs_from_result(ref)
    for name in PULSE_OUTPUTS:
        _close(out[name], out_ref[name], rtol=1e-9, atol=1e-9)
    for key in ("xb", "vb", "ab", "xe", "xo", "vo", "ao", "fbar"):
        scale = np.max(np.abs(ref["history"][key]))
        _close(r["history"][key], ref["history"][key], rtol=0.0, atol=1e-10 * scale)
    for a, b in zip(r["work_parts"], ref["work_parts"], strict=True):
        _close(a, b, rtol=1e-9, atol=1e-6)
    assert r["history"]["xb"].shape == ref["history"]["xb"].shape == (1601, 1)


@pytest.mark.parametrize("case", ["reference", "soft_rails", "stiff_restraint"])
def test_kernel_tangents_match_complex_step(case):
    over, kw = CASES[case]
    kw = dict(kw, t_end=0.12)  # the reference's 13-lane complex loop is the slow part
    d = outputs_from_result(simulate(_lanes(over), **kw))
    d_ref = outputs_from_result(simulate(_lanes(over), reference=True, **kw))
    for name in PULSE_OUTPUTS:
        g, g_ref = d[name].imag / HSTEP, d_ref[name].imag / HSTEP
        scale = np.max(np.abs(g_ref)) + 1e-300
        _close(g, g_ref, rtol=1e-9, atol=1e-11 * scale)
        _close(d[name].real, d_ref[name].real, rtol=1e-9, atol=1e-9)


def test_lanes_with_different_real_parts_run_one_by_one():
    """Complex lanes that do not share their real part (not one complex-step sweep):
    each lane is integrated on its own, as the reference does elementwise."""
    p = _one({})
    p = {k: np.array([v[0], v[0]], dtype=complex) for k, v in p.items()}
    p["m_test"] = np.array([1094.0 + 1e-30j, 1200.0 + 0j])
    p["f3"] = np.array([250e3 + 0j, 250e3 + 1e-30j])
    r, ref = simulate(p), simulate(p, reference=True)
    for key in ("xb", "vb", "xo"):
        h, h_ref = r["history"][key], ref["history"][key]
        _close(h.real, h_ref.real, rtol=0.0, atol=1e-10 * np.max(np.abs(h_ref.real)))
        _close(h.imag, h_ref.imag, rtol=0.0, atol=1e-10 * np.max(np.abs(h_ref.imag)))


def test_real_lanes_each_integrated():
    p = {k: np.array([v, v]) for k, v in BASE.items()}
    p["f3"] = np.array([250e3, 200e3])
    r, ref = simulate(p), simulate(p, reference=True)
    for key in ("xb", "vb"):
        _close(r["history"][key], ref["history"][key], rtol=0.0,
               atol=1e-10 * np.max(np.abs(ref["history"][key])))


def test_clip_window_matches_numpy():
    rng = np.random.default_rng(1)
    for y in (rng.normal(size=400), np.round(rng.normal(size=300), 1), np.ones(50)):
        for width in (1, 7, 31):
            win = np.lib.stride_tricks.sliding_window_view(y, width)
            jw = int(np.argmax(win.min(axis=1)))
            jm = jw + int(np.argmin(win[jw]))
            assert _pulse_kernel.clip_window(y, width) == (jw, jm)


def test_without_numba_simulate_falls_back_to_numpy(monkeypatch):
    from keidesign.crash import pulse

    fast = outputs_from_result(simulate(_one({})))
    monkeypatch.setattr(pulse, "_kernel", None)
    slow = outputs_from_result(simulate(_one({})))
    for name in PULSE_OUTPUTS:
        _close(fast[name], slow[name], rtol=1e-9, atol=1e-9)
