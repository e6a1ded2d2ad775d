"""NHTSA frontal rigid-barrier tests of small cars against the frontal pulse model.

Data: ``data/crash/nhtsa_frontal_barrier.csv`` (status R): per test NHTSA's test weight
m_t (VEHTWT), impact speed V, the six-point residual crush profile DPD1-DPD6 measured at
bumper height after the test, and, where a public reduction of the test's body
accelerometer exists, the maximum dynamic crush C_dyn (:mod:`keidesign.validation.crash`
uses the same reduction for the 56 km/h NCAP tests). Most rows are FMVSS 208 compliance
tests at about 40 km/h, the others 56 km/h NCAP tests; each names a ``us_specs``
generation.

**Like for like (dynamic crush).** The imported generation's front (its force levels,
strokes and stack, :func:`front_of`) is run through the three-mass pulse
(:func:`keidesign.crash.pulse.simulate`) at the test's own mass and speed, m_test = m_t
and v0 = V, its zone forces recomputed at V (the Cowper-Symonds factor of the
superfolding force at the mean crushing speed V / 2, :func:`pulse_at`: about 3 % lower
at 40 km/h than at 56 km/h for the DP590 rails of the import); its maximum dynamic crush
C_m is compared with C_dyn::

    e = C_m / C_dyn - 1

**Static crush.** NHTSA's DPDs are residual (static) crush, what is left after the
structure has sprung back, measured on the exterior at bumper height; the model's C_m
and the accelerometer's C_dyn are the maximum dynamic crush of the compartment. They
differ by d_sb = C_dyn - C_s (C_s = max DPD, the maximum static crush): the elastic
recovery of the crushed front, and the body's own shortening between the crush zone and
the accelerometer behind the B-pillar, which the exterior profile does not see. The
elastic part is bounded by the rebound: a restitution e_r = V_rebound / V returns
e_r^2 of the impact energy E, so a front unloading from force F springs back about

    d_el ~ 2 e_r^2 E / F ~ 2 e_r^2 C_dyn         (E ~ F C_dyn)

which is 6 % of the crush for the e_r = 0.17 of the Neon's stored NCAP pulse (NHTSA
2320, ``data/crash/README.md``). The model's own springback is the elastic unloading of
its barrier force from the maximum crush::

    d_sb,model = F_bar(t_max) / k_u,     C_res,model = C_m - d_sb,model

with k_u the structure's unloading stiffness (``pulse.KU_STRUCT``, 15 MN/m, assumed;
the stack contact unloads stiffer, so this bounds the model's springback from above).
The rows with both C_dyn and C_s give the measured d_sb and the ratio C_s / C_dyn; the
model's residual crush is set beside C_s, and its springback beside the measured one.

**Force level held out by family.** As :func:`keidesign.validation.crash.front_force_lofo`
does for the NCAP crush: the generation is imported at several force factors phi
(the override ``keidesign.specs.build.FRONT_FORCE_FACTOR``; by default the level of the
model's force-crush law, ``build.FRONT_FORCE_FACTORS``), each test's C_m interpolated in log phi;
a test's held-out error is its C_m at the phi fitted (zero mean log error) on the fit
set without the test's family (maker; Kia with Hyundai, Acura with Honda,
:func:`family`).

**Test mass.** NHTSA's test weight of an FMVSS 208 compliance test is the loading of
49 CFR 571.208 S8.1.1 (unloaded vehicle + rated cargo and luggage + dummies), which the
model's ``crash:front:test_mass`` implements (:class:`keidesign.crash.structure.
CrashTestMassComp`: curb + max(payload - 68 kg x seats, 0) + 2 x 78 kg); the two are
compared per test.

Validity: full-width rigid-barrier tests at 30-65 km/h of cars of 600-2,500 kg (the
pulse model's range). Nothing here is fitted unless a function says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import openmdao.api as om

from keidesign import variables
from keidesign.crash import pulse
from keidesign.crash.structure import FrontStructureComp
from keidesign.crash.validation import _text, load_sourced_rows
from keidesign.design import Design
from keidesign.errors import InputError, show
from keidesign.model import build_problem
from keidesign.reuse import ProblemCache
from keidesign.specs import build, sources
from keidesign.specs.write import imported_design
from keidesign.validation import crash as cv

__all__ = ["DPD_KEYS", "REQUIRED", "Front", "barrier_checks", "barrier_crush", "family",
           "front_of", "pulse_at",
           "held_out_errors", "import_fronts", "load_barrier_tests", "max_static_crush_mm",
           "ncap_checks", "springback_summary", "test_label"]

FILE = "nhtsa_frontal_barrier.csv"
#: the six crush-profile points (mm)
DPD_KEYS = tuple(f"dpd{k}_mm" for k in range(1, 7))
#: columns every row must give, with their allowed range
REQUIRED = {"test_mass_kg": (500.0, 4000.0), "speed_kmh": (20.0, 80.0)}
#: allowed range of each crush-profile point, mm: NHTSA records small negative values (a
#: point ahead of the undeformed profile), kept as published
DPD_RANGE = (-100.0, 1500.0)
#: allowed range of the maximum dynamic crush (blank: no reduction found), mm
DYNAMIC_RANGE = (1.0, 1500.0)
_NUMERIC = ("nhtsa_test_no", "model_year", "test_mass_kg", "speed_kmh", "vehicle_width_mm",
            "damage_width_mm", "dynamic_crush_mm") + DPD_KEYS
#: the model's NCAP speed (km/h), as ``crash:front:crush_required``
NCAP_SPEED_KMH = 56.0
#: makers held out together (shared platforms): Kia with Hyundai, Acura with Honda
FAMILY_ALIAS = {**cv.FAMILY_ALIAS, "ACURA": "HONDA"}


def family(make: str) -> str:
    """The family a test is held out with: its maker, Kia with Hyundai, Acura with Honda."""
    m = make.upper()
    return FAMILY_ALIAS.get(m, m)


def load_barrier_tests(text: str | None = None) -> list[dict]:
    """Rows of ``nhtsa_frontal_barrier.csv``: numbers as floats, blanks as None. A row
    without a source, with a status other than V or R, with a required figure
    (:data:`REQUIRED`) or a crush point (:data:`DPD_RANGE`) missing or out of its range,
    with no crush point above 0, or with a dynamic crush out of :data:`DYNAMIC_RANGE` or
    without its source, is refused with the row, field, value and range."""
    text = _text(FILE) if text is None else text
    rows = []
    ranges = {**REQUIRED, **dict.fromkeys(DPD_KEYS, DPD_RANGE)}
    for where, raw, row in load_sourced_rows(text, FILE, _NUMERIC, ranges):
        if max(row[k] for k in DPD_KEYS) <= 0.0:
            raise InputError(f"{where} {DPD_KEYS[0]}-{DPD_KEYS[-1]}: no point above 0 mm; "
                             "allowed: a crushed profile (at least one point > 0)")
        dyn = row["dynamic_crush_mm"]
        if dyn is not None:
            lo, hi = DYNAMIC_RANGE
            if not lo <= dyn <= hi:
                raise InputError(f"{where} dynamic_crush_mm: {show(raw['dynamic_crush_mm'])}; "
                                 f"allowed: {lo:g} to {hi:g} or blank")
            if not raw["dynamic_source"].strip():
                raise InputError(f"{where} dynamic_source: empty; allowed: the document or "
                                 "URL the dynamic crush was read in")
        rows.append(row)
    return rows


def max_static_crush_mm(row: dict) -> float:
    """Maximum static (residual) crush of a test, mm: the largest of DPD1-DPD6."""
    return max(float(row[k]) for k in DPD_KEYS)


def test_label(row: dict) -> str:
    """``vehicle MY (NHTSA test)``: the key of a test in the checks."""
    return f"{row['vehicle']} {row['model_year']:.0f} (NHTSA {row['nhtsa_test_no']:.0f})"


@dataclass(frozen=True)
class Front:
    """A car's front for the barrier pulse: its pulse inputs at the model's 56 km/h
    (:data:`keidesign.crash.pulse.PULSE_INPUTS`, registered units) and, to rerun the
    force levels at another speed, the inputs and options of its
    :class:`~keidesign.crash.structure.FrontStructureComp` (None: forces as given at
    every speed)."""

    pulse: dict[str, float]
    structure: dict[str, float] | None = None
    options: dict | None = None


#: options of the front structure carried by :class:`Front`
_STRUCT_OPTIONS = ("material", "n_rails", "cab_over", "layout")
#: the pulse inputs the structure gives (the rest come from the design)
_STRUCT_TO_PULSE = ("crash:front:bumper_force", "crash:front:crash_box_force",
                    "crash:front:rail_force", "crash:front:bumper_stroke",
                    "crash:front:crash_box_stroke", "crash:front:rail_stroke",
                    "crash:front:engine_gap")


def _val(prob: om.Problem, key: str) -> float:
    return float(np.ravel(prob.get_val(key, units=variables.get(key).units))[0])


def front_of(design: Design, problems: ProblemCache | None = None) -> Front:
    """The :class:`Front` of ``design``, from one run of its model (raises
    :class:`InputError` when the model cannot run it); with ``problems`` the run reuses
    a set-up problem of the design's structure (:class:`keidesign.reuse.ProblemCache`:
    the same numbers, bit for bit)."""
    if problems is not None:
        prob = problems.run(design, round_footprint=True)
    else:
        prob = build_problem(design, round_footprint=True)
        prob.run_model()
    comp = next(prob.model.system_iter(recurse=True, typ=FrontStructureComp))
    return Front(pulse={k: _val(prob, k) for k in pulse.PULSE_INPUTS},
                 structure={k: _val(prob, k) for k in FrontStructureComp.INPUTS},
                 options={k: comp.options[k] for k in _STRUCT_OPTIONS})


def pulse_at(front: Front, speed_kmh: float) -> dict[str, float]:
    """The pulse inputs of ``front`` with its zone forces at ``speed_kmh``: the structure
    rerun with that test speed (its Cowper-Symonds factor at the mean crushing speed
    V / 2, :func:`keidesign.crash.members.crush_force`), the other inputs unchanged."""
    if front.structure is None:
        return dict(front.pulse)
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("s", FrontStructureComp(**front.options,
                                                     test_speed_kmh=float(speed_kmh)),
                             promotes=["*"])
    prob.setup()
    for k, v in front.structure.items():
        prob.set_val(k, v, units=variables.get(k).units)
    prob.run_model()
    return {**front.pulse, **{k: _val(prob, k) for k in _STRUCT_TO_PULSE}}


def import_fronts(names: set[str], factor: float | None = None,
                  problems: ProblemCache | None = None
                  ) -> tuple[dict[str, Front], list[tuple[str, str]]]:
    """The fronts (:func:`front_of`) of the us_specs generations ``names`` as imported,
    with the front's force factor ``factor`` in place of the law's level
    (``build.front_force_factor()``; set as the override ``build.FRONT_FORCE_FACTOR``) if
    given (restored after): ``({name: front}, [(name, why not importable)])``.
    ``problems``: the import's and the front's model runs on reused problems (the same
    fronts; a car imported again at another factor differs only in values set as inputs,
    ``keidesign.validation.front_shape.sized_fronts``)."""
    kept = build.FRONT_FORCE_FACTOR
    fronts: dict[str, Front] = {}
    skipped: list[tuple[str, str]] = []
    try:
        if factor is not None:
            build.FRONT_FORCE_FACTOR = factor
        for vr in sources.vehicle_rows("us_specs"):
            name = cv.car_name(vr.row)
            if name not in names or name in fronts or name in dict(skipped):
                continue
            try:
                fronts[name] = front_of(imported_design(sources.row_spec(vr), f"<import {name}>",
                                                        problems=problems), problems)
            except InputError as exc:
                skipped.append((name, str(exc)))
    finally:
        build.FRONT_FORCE_FACTOR = kept
    return fronts, skipped


def barrier_crush(front: Front, mass_kg: float, speed_kmh: float) -> dict:
    """The model's full-width rigid-barrier crush of ``front`` at test mass ``mass_kg``
    and speed ``speed_kmh`` (its forces at that speed, :func:`pulse_at`): maximum dynamic
    crush, springback F_bar(t_max) / k_u and residual crush (mm), and the barrier force
    at maximum crush (kN); module docstring."""
    p = {k: np.atleast_1d(np.asarray(v, dtype=float))
         for k, v in pulse.params_from_inputs(pulse_at(front, speed_kmh)).items()}
    p["m_test"] = np.array([float(mass_kg)])
    res = pulse.simulate(p, v0_kmh=float(speed_kmh))
    h = res["history"]
    i = int(np.argmax(h["xb"][:, 0]))
    c_max = float(res["c_max"][0]) * 1e3
    f_bar = float(h["fbar"][i, 0])
    spring = f_bar / pulse.KU_STRUCT * 1e3
    return {"dynamic_mm": c_max, "springback_mm": spring, "residual_mm": c_max - spring,
            "force_kn": f_bar * 1e-3}


def _matched(fronts: dict[str, Front], rows: Iterable[dict]):
    """``(row, generation, pulse inputs)`` of the rows whose generation is in ``fronts``."""
    for r in rows:
        name = cv.car_name(r, "us_specs_")
        if name in fronts:
            yield r, name, fronts[name]


def ncap_checks(fronts: dict[str, Front], rows: Iterable[dict]) -> list[dict]:
    """The NCAP crush rows (``ncap_frontal_pulses.csv``, :func:`keidesign.validation.
    crash.ncap_pulse_rows`; the caller keeps the ``Valid`` ones) in the checks' form:
    the model at 56 km/h and its own test mass, as ``ncap_pulse_checks`` compares them,
    against the test's maximum dynamic crush (``car`` = ``NCAP vehicle``)."""
    out = []
    for r, _, v in _matched(fronts, rows):
        m = v.pulse["crash:front:test_mass"]
        c = barrier_crush(v, m, NCAP_SPEED_KMH)["dynamic_mm"]
        out.append({"car": f"NCAP {r['vehicle']}", "make": r["us_specs_make"],
                    "crush_model_mm": c, "crush_test_mm": float(r["max_dynamic_crush_mm"])})
    return out


def barrier_checks(fronts: dict[str, Front], rows: Iterable[dict]) -> list[dict]:
    """Per test whose generation (:func:`keidesign.validation.crash.car_name`) is in
    ``fronts`` (name -> the imported generation's :class:`Front`): the model at the test's
    mass and speed (:func:`barrier_crush`) against the test's dynamic and static crush,
    and the model's FMVSS 208 test mass (the rule's, ``crash:front:test_mass`` of the
    import) against NHTSA's test weight."""
    out = []
    for r, name, v in _matched(fronts, rows):
        m = barrier_crush(v, r["test_mass_kg"], r["speed_kmh"])
        c_s, dyn = max_static_crush_mm(r), r["dynamic_crush_mm"]
        out.append({"car": test_label(r), "generation": name, "make": r["us_specs_make"],
                    "test_type": r["test_type"], "speed_kmh": r["speed_kmh"],
                    "test_mass_kg": r["test_mass_kg"],
                    "test_mass_model_kg": v.pulse["crash:front:test_mass"],
                    "static_mm": c_s, "dynamic_test_mm": dyn,
                    "crush_test_mm": dyn if dyn is not None else math.nan,
                    "crush_model_mm": m["dynamic_mm"], "residual_model_mm": m["residual_mm"],
                    "springback_model_mm": m["springback_mm"],
                    "springback_test_mm": dyn - c_s if dyn is not None else math.nan,
                    "dynamic_error": m["dynamic_mm"] / dyn - 1.0 if dyn is not None else math.nan,
                    "static_error": m["residual_mm"] / c_s - 1.0})
    return out


def springback_summary(rows: Iterable[dict]) -> dict:
    """The measured springback of the tests with both a dynamic and a static crush:
    d_sb = C_dyn - C_s (mm) and C_s / C_dyn, min, median and max per speed class
    (below / from 50 km/h); raises :class:`InputError` with no such test."""
    pairs = [(r["speed_kmh"], r["dynamic_crush_mm"], max_static_crush_mm(r))
             for r in rows if r["dynamic_crush_mm"] is not None]
    if not pairs:
        raise InputError("springback_summary: no test with a dynamic crush; allowed: at "
                         "least one")
    out = {}
    for tag, keep in (("40", lambda s: s < 50.0), ("56", lambda s: s >= 50.0)):
        sel = [(d, s) for v, d, s in pairs if keep(v)]
        if not sel:
            continue
        sb = [d - s for d, s in sel]
        ratio = [s / d for d, s in sel]
        out[tag] = {"n": len(sel), "springback_mm": (min(sb), float(np.median(sb)), max(sb)),
                    "static_over_dynamic": (min(ratio), float(np.median(ratio)), max(ratio))}
    return out


def held_out_errors(by_factor: dict[float, list[dict]], fit_on: set[str],
                    judged: set[str], fam=family) -> list[dict]:
    """Each judged test's crush error at the force factor fitted on ``fit_on`` (zero mean
    log error, as :func:`keidesign.validation.crash.front_force_lofo`) and at the factor
    fitted on ``fit_on`` without the test's family (``fam``).

    ``by_factor``: force factor -> checks (dicts with ``car``, ``make``,
    ``crush_model_mm``, ``crush_test_mm``), the same cars at every factor; tests whose
    model crush does not move with the factor are left out of the fit, not of the
    errors. Raises :class:`InputError` when fewer than two factors, or a held-out fit
    without a car, would remain."""
    if len(by_factor) < 2:
        raise InputError(f"held_out_errors: {len(by_factor)} force factors; allowed: at "
                         "least 2")
    tables = {p: {c["car"]: c for c in checks} for p, checks in by_factor.items()}
    phis = sorted(tables)
    lo_t, hi_t = tables[phis[0]], tables[phis[-1]]
    moved = {c for c in fit_on
             if abs(lo_t[c]["crush_model_mm"] - hi_t[c]["crush_model_mm"]) > 1e-6}
    lp = cv._zero_bias_factor(tables, sorted(moved))
    out = []
    for c in sorted(judged):
        f = fam(lo_t[c]["make"])
        rest = sorted(o for o in moved if fam(lo_t[o]["make"]) != f)
        if not rest:
            raise InputError(f"held_out_errors: no car outside family {f} to fit on; "
                             "allowed: at least one")
        lp_c = cv._zero_bias_factor(tables, rest)
        test = lo_t[c]["crush_test_mm"]
        out.append({"car": c, "phi": math.exp(lp), "phi_held_out": math.exp(lp_c),
                    "error": math.exp(cv._log_crush_at(tables, c, lp)) / test - 1.0,
                    "error_held_out": math.exp(cv._log_crush_at(tables, c, lp_c)) / test - 1.0})
    return out
