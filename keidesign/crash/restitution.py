"""Restitution of full-width rigid-barrier tests: measured, published and modelled (issue 14).

The coefficient of restitution of a car striking a fixed rigid wall is the compartment's
rearward (rebound) velocity over its impact velocity, e = V_r / V (M. Huang, *Vehicle
Crash Mechanics*, CRC 2002, ch. 4, status R: about 0.1-0.2 in NCAP tests); the share of
the impact energy given back is e^2. A compartment accelerometer read from the impact
speed (the trapezoidal rule, as :func:`keidesign.crash.validation.pulse_figures`)::

    v(t) = V + int_0^t a dt                          (m/s; a forward positive, m/s^2)
    e_sep = -min_t v(t) / V                          (largest rearward velocity: the
                                                      compartment leaving the wall)
    e_end = -v(t_end) / V,  t_end = 0.16 s           (the pulse model's simulated time)

The two differ because the belted occupants, still moving forward against their belts
after the car leaves the wall, pull the compartment forward: the 1996 Neon's seat signal
(NHTSA 2320) averages +1.4 g (up to +5.8 g) from its largest rebound velocity at 111 ms
to 160 ms, taking back 0.70 m/s. The pulse model carries the same exchange (its occupant
lane loads the body through the restraint), and its ``crash:front:rebound_velocity`` is
the body's velocity at 160 ms, so e_end is the like-for-like figure; e_sep is given
beside it (:func:`model_restitution` reads it from the model's body history).

Data: ``data/crash/fullwidth_restitution.csv`` (:func:`load_restitution`): per test row
e_sep, its time and e_end where computed here from a stored signal, a restitution as a
source reports it whose definition it does not state (``restitution_reported``), blank
where not found; published ranges as ``statistic`` rows. Validity: full-width rigid-wall
tests at 30-70 km/h, compartment (seat or sill) accelerometers; a signal with a zero
offset of b g drifts e_end by b g t_end / V (0.01 per 0.1 g at 56 km/h), which the stored
Neon signal is not corrected for (no offset removal, as
:func:`~keidesign.crash.validation.pulse_figures`).
"""

from __future__ import annotations

import numpy as np

from keidesign.crash.validation import (
    _integrated,
    _text,
    load_pulse,
    load_sourced_rows,
)
from keidesign.errors import InputError, show

__all__ = ["REBOUND_PULSE", "RESTITUTION_T_END_S", "load_neon_pulse", "load_restitution",
           "model_restitution", "rebound_figures"]

#: the stored rebound of the Neon's seat signal (0.10016-0.16 s), continuing
#: ``nhtsa_2320_seat_x.csv`` (0-0.1 s) on the same 6.25 kHz grid
REBOUND_PULSE = "nhtsa_2320_seat_x_rebound.csv"
#: time (s) of e_end: the pulse model's simulated time (``pulse.simulate``'s t_end)
RESTITUTION_T_END_S = 0.16

#: numeric columns of ``fullwidth_restitution.csv``
RESTITUTION_NUM = ("model_year", "nhtsa_test_no", "speed_kmh", "test_mass_kg",
                   "restitution_separation", "t_separation_ms", "restitution_160ms",
                   "restitution_reported", "restitution_low", "restitution_high",
                   "max_dynamic_crush_mm")
#: the row kinds: one test, or a published range over many tests
RESTITUTION_KINDS = ("test", "statistic")


def load_neon_pulse() -> tuple[np.ndarray, np.ndarray]:
    """Time (s) and acceleration (g) of the Neon's stored seat signal from contact to
    0.16 s: ``nhtsa_2320_seat_x.csv`` followed by :data:`REBOUND_PULSE`."""
    t0, a0 = load_pulse()
    t1, a1 = load_pulse(REBOUND_PULSE)
    return np.concatenate([t0, t1]), np.concatenate([a0, a1])


def rebound_figures(t: np.ndarray, a_g: np.ndarray, v0_kmh: float,
                    t_end_s: float = RESTITUTION_T_END_S) -> dict:
    """e_sep, its time (ms) and rearward velocity (m/s), and e_end of a measured
    compartment pulse (module docstring; no filter, no offset removal). Refuses a
    speed <= 0 and a record ending before ``t_end_s``."""
    if not v0_kmh > 0.0:
        raise InputError(f"speed_kmh: {v0_kmh:g} km/h; allowed: > 0 km/h")
    if t[-1] < t_end_s - 1e-9:
        raise InputError(f"pulse record: ends at {t[-1] * 1e3:g} ms; allowed: a record to "
                         f"t_end = {t_end_s * 1e3:g} ms or later")
    v0 = v0_kmh / 3.6
    _, v, _ = _integrated(t, a_g, v0)
    k = int(np.argmin(v))
    v_end = float(np.interp(t_end_s, t, v))
    return {"restitution_separation": max(0.0, -float(v[k]) / v0),
            "t_separation_ms": float(t[k]) * 1e3, "rebound_velocity_ms": -float(v[k]),
            "restitution_end": max(0.0, -v_end / v0), "velocity_end_ms": v_end}


def model_restitution(result: dict, v0_kmh: float) -> dict:
    """e_end and e_sep (arrays over lanes) of a :func:`keidesign.crash.pulse.simulate`
    result: e_end = -v_body(t_end) / V (the model's ``crash:front:rebound_velocity`` / V)
    and e_sep = -min_t v_body / V from the body's velocity history; each 0 when the
    body does not move back."""
    v0 = v0_kmh / 3.6
    vb = np.real(result["history"]["vb"])
    return {"restitution_end": np.maximum(0.0, -np.real(result["v_end"]) / v0),
            "restitution_separation": np.maximum(0.0, -vb.min(axis=0) / v0),
            "t_separation_ms": result["history"]["t"][vb.argmin(axis=0)] * 1e3}


def _check_fraction(where: str, raw: dict, row: dict, key: str) -> None:
    x = row[key]
    if x is not None and not 0.0 <= x < 1.0:
        raise InputError(f"{where} {key}: {show(raw[key])}; allowed: 0 to below 1 (a "
                         "rebound slower than the impact), or blank")


def load_restitution(text: str | None = None) -> list[dict]:
    """Rows of ``fullwidth_restitution.csv`` (data/crash/README.md): numbers as floats,
    blanks None. Refused with the row, field, value and what is allowed
    (:func:`~keidesign.crash.validation.load_sourced_rows`): no source; a status other
    than V or R; a kind other than ``test`` or ``statistic``; a restitution outside
    [0, 1); a test row without a speed of 30-70 km/h, or giving e_sep or e_end (computed
    here, compared with the model) without naming the ``frontal_tests.csv`` row or
    us_specs generation the model runs; a
    statistic row without both ends of its range, low <= high."""
    file = "fullwidth_restitution.csv"
    text = _text(file) if text is None else text
    out = []
    for where, raw, row in load_sourced_rows(text, file, RESTITUTION_NUM, {}):
        if row["kind"] not in RESTITUTION_KINDS:
            raise InputError(f"{where} kind: {show(raw['kind'])}; allowed: test or statistic")
        for key in ("restitution_separation", "restitution_160ms", "restitution_reported",
                    "restitution_low", "restitution_high"):
            _check_fraction(where, raw, row, key)
        if row["kind"] == "test":
            s = row["speed_kmh"]
            if s is None or not 30.0 <= s <= 70.0:
                raise InputError(f"{where} speed_kmh: {show(raw['speed_kmh'])}; allowed: "
                                 "30 to 70")
            measured = (row["restitution_separation"] is not None
                        or row["restitution_160ms"] is not None)
            if measured and not (raw["frontal_tests_id"].strip()
                                 or raw["us_specs_generation"].strip()):
                raise InputError(f"{where} frontal_tests_id: ''; allowed: a test_id of "
                                 "frontal_tests.csv, or a us_specs make, model and "
                                 "generation")
        else:
            lo, hi = row["restitution_low"], row["restitution_high"]
            if lo is None or hi is None or lo > hi:
                raise InputError(f"{where} restitution_low, restitution_high: "
                                 f"{show(raw['restitution_low'])}, "
                                 f"{show(raw['restitution_high'])}; allowed: both given, "
                                 "low <= high")
        out.append(row)
    return out
