"""Crash models against published tests of small cars (``keidesign/data/crash/``).

Frontal (``frontal_tests.csv``, US NCAP / JNCAP full-width rigid barrier). Each test row
is run through the same chain as a design: :class:`~keidesign.crash.structure.FrontStructureComp`
then :func:`~keidesign.crash.pulse.simulate`, at the row's impact speed and test mass,
with the *reference structure* of the reference designs (``studies/designs/*.toml``):
rails 80 x 110 x 2.0 mm DP590, two rails, and the registered defaults of every other
structure and restraint key (``catalogue/crash.py``: bumper 100 mm, crash boxes
70 x 90 x 1.6 mm over 120 mm, engine clearance 80 mm, restraint 25 mm / 250 kN/m /
35 kN). A row's front geometry and powertrain mass (``crush_length_mm``,
``block_length_mm``, ``stack_mass_kg``) are used where the row gives them; where it
does not, the Mirage-class reference design's values are used (:data:`INPUT_DEFAULTS`,
all ``[assumed]`` in ``mirage_class.toml``) and the table says so. Test figures:

* maximum dynamic crush and time to zero velocity as reported;
* average deceleration = impact speed / time to zero velocity (derived when the row
  gives the duration but not the average, and flagged);
* peak deceleration as reported (CFC 60), against the model's 3 ms moving average.

Errors are relative, ``(model - test) / test``. The target bound (:data:`BOUND`) is
+/-15 % on maximum crush and average deceleration. Nothing is fitted: a constant may be
calibrated only on at least :data:`MIN_CARS_TO_FIT` cars with the quantity
(:func:`calibration_allowed`), and the shipped data have fewer.

A stored pulse (``nhtsa_2320_seat_x.csv``) is reduced by :func:`pulse_figures` with the
definitions of :mod:`keidesign.crash.pulse` (trapezoidal integration from the impact
speed, zero crossing of the velocity, crush at that instant, 3 ms moving average), which
checks the figures of its row against the primary signal.

Side (``side_iihs_program.csv``): the IIHS side test of 2003-2020 (1,500 kg moving
deformable barrier at 50 km/h, perpendicular) as ranges over 49 tests: delta-V 18-31 km/h
and maximum occupant-compartment crush 270-460 mm. :func:`side_iihs_check` runs the side
model's structure (:class:`~keidesign.crash.side.SideImpactComp`, registered defaults,
body height 1,500 mm) under those conditions: struck masses from the delta-V range by
conservation of momentum, m = M (V / delta-V - 1), all barrier energy credited to the
car, crush = E / F_side; :func:`side_force_parts_kn` splits the force by member and
:func:`constant_force_window` gives the constant forces the range allows.
``side_iihs_minicars.csv`` (residual B-pillar to seat-centreline distances; IIHS:
negative = the crush stopped that far short of the centreline) gives no crush by
itself (the pre-test distances are not in the data; for the rows matched to a certified
generation :func:`keidesign.validation.crash.side_crush_checks` rebuilds it from the
imported car's width and the assumed seat position), and :func:`survival_space_check`
compares the residual B-pillar with the bound of ``fmvss214.*.crush_space`` (the seat centreline,
``body:door_to_seat_centreline``: margin 0), with the IIHS 2.0 rating bands
(:data:`IIHS_SIDE_2_BANDS_MM`) and with ``body:side_crush_space`` (the 95th-male outboard
hip, half the hip breadth outboard of the seat centreline: the bound until Dec 2026).

``python -m keidesign.crash.validation`` prints the markdown tables of ``docs/crash.md``.
"""

from __future__ import annotations

import csv
import importlib.resources

import numpy as np
import openmdao.api as om

from geometry.profiles import HIP_BREADTH_95M
from keidesign import variables as reg
from keidesign.crash.pulse import CLIP_S, outputs_from_result, params_from_inputs, simulate
from keidesign.crash.side import (
    FMVSS_MDB,
    MATERIAL_KEYS,
    SILL_TOP_KEY,
    STRUCTURE_KEYS,
    SideBarrier,
    SideImpactComp,
    mdb_impact,
    side_force,
)
from keidesign.crash.structure import FrontStructureComp
from keidesign.errors import InputError, show
from keidesign.materials import material

G0 = 9.80665
BOUND = 0.15
MIN_CARS_TO_FIT = 5
QUANTITIES = ("max_dynamic_crush_mm", "avg_decel_g", "peak_decel_g", "duration_ms")
TARGET_QUANTITIES = ("max_dynamic_crush_mm", "avg_decel_g")
LABELS = {"max_dynamic_crush_mm": "max dynamic crush, mm", "avg_decel_g": "average decel., g",
          "peak_decel_g": "peak decel., g", "duration_ms": "time to v = 0, ms"}

#: Structure of the reference designs (design files' [crash.front] rails and grade).
REFERENCE_STRUCTURE = {"material": "dp_590", "crash:front:rail_width": 80.0,
                       "crash:front:rail_height": 110.0, "crash:front:wall_thickness": 2.0,
                       "body:width": 1600.0}
#: Model inputs a row may leave blank: Mirage-class reference design (mirage_class.toml:
#: crush_length 1000 and block_length 450, both [assumed]; stack = its mass:powertrain,
#: 237.5 kg, from the mass model as noted in that file).
INPUT_DEFAULTS = {"crush_length_mm": 1000.0, "block_length_mm": 450.0, "stack_mass_kg": 237.5}
#: Side model's body height for the IIHS check (mm) [assumed, small car].
SIDE_BODY_HEIGHT_MM = 1500.0
#: IIHS side 2.0 structure rating: lowest B-pillar distance short of the driver seat
#: centreline (mm) of each band, poor below the marginal one (Side Impact Crashworthiness
#: Evaluation 2.0 Rating Guidelines, Protocol IV, April 2024, iihs.org; as encoded in the
#: public pyisomme library, pyisomme/report/iihs/side_impact.py: status R). The original
#: test's (2003-2020) guidelines were not found in any stored copy.
IIHS_SIDE_2_BANDS_MM = {"good": 180.0, "acceptable": 140.0, "marginal": 100.0}

_NUM = ("model_year", "speed_kmh", "test_mass_kg", "crush_length_mm", "block_length_mm",
        "stack_mass_kg") + QUANTITIES


def _text(name: str) -> str:
    ref = importlib.resources.files("keidesign") / "data" / "crash" / name
    return ref.read_text(encoding="utf-8")


def _num(v: str | float | None) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    return float(v)


def load_tests(text: str | None = None) -> list[dict]:
    """Rows of ``frontal_tests.csv``: numbers as floats, blank fields as None."""
    text = _text("frontal_tests.csv") if text is None else text
    return [{k: (_num(v) if k in _NUM else v) for k, v in row.items()}
            for row in csv.DictReader(text.splitlines())]


def row_figures(row: dict) -> tuple[dict, set]:
    """Test figures of a row and the set of those derived here (not read in a source)."""
    fig = {q: row.get(q) for q in QUANTITIES}
    derived = set()
    if fig["avg_decel_g"] is None and fig["duration_ms"] and row.get("speed_kmh"):
        fig["avg_decel_g"] = row["speed_kmh"] / 3.6 / (fig["duration_ms"] * 1e-3) / G0
        derived.add("avg_decel_g")
    return fig, derived


def model_inputs(row: dict) -> tuple[dict, list[str]]:
    """Front geometry and stack mass of a row, defaults filled in; names defaulted."""
    vals, defaulted = {}, []
    for key, default in INPUT_DEFAULTS.items():
        if row.get(key) is None:
            vals[key] = default
            defaulted.append(key)
        else:
            vals[key] = float(row[key])
    return vals, defaulted


def _set_registry_defaults(prob: om.Problem, prefix: str) -> None:
    """Set every registered design variable under ``prefix`` that has a default and
    units, and that ``prob`` has as an input, to its registry default."""
    for var in reg.variables(prefix, design=True):
        if var.default is not None and var.units not in (None, "unitless"):
            try:
                prob.set_val(var.name, var.default)
            except KeyError:
                pass


def row_pulse_params(row: dict, **overrides: float) -> dict:
    """The pulse parameters (SI, :func:`~keidesign.crash.pulse.simulate`) of one test row:
    its front through :class:`FrontStructureComp` at the row's speed and test mass, with
    :data:`REFERENCE_STRUCTURE` and the registered defaults (:func:`predict`'s chain);
    ``overrides`` replace model inputs."""
    inp, _ = model_inputs(row)
    inp.update(overrides)
    speed = float(row["speed_kmh"])
    mass = float(row["test_mass_kg"])
    prob = om.Problem(reports=False)
    prob.model.add_subsystem(
        "s", FrontStructureComp(material=REFERENCE_STRUCTURE["material"], test_speed_kmh=speed),
        promotes=["*"])
    prob.setup()
    _set_registry_defaults(prob, "crash:front:")
    for name, val in REFERENCE_STRUCTURE.items():
        if name != "material":
            prob.set_val(name, val)
    prob.set_val("crash:front:crush_length", inp["crush_length_mm"])
    prob.set_val("powertrain:block_length", inp["block_length_mm"])
    prob.set_val("crash:front:test_mass", mass)
    prob.run_model()
    vals = {"crash:front:test_mass": mass, "crash:front:stack_mass": inp["stack_mass_kg"],
            "crash:front:engine_clearance": reg.get("crash:front:engine_clearance").default,
            "crash:restraint:slack": reg.get("crash:restraint:slack").default,
            "crash:restraint:stiffness": reg.get("crash:restraint:stiffness").default,
            "crash:restraint:load_limit": reg.get("crash:restraint:load_limit").default,
            "crash:restraint:ride_down_space":
                reg.get("crash:restraint:ride_down_space").default}
    for name in ("bumper_force", "crash_box_force", "rail_force", "bumper_stroke",
                 "crash_box_stroke", "rail_stroke", "engine_gap"):
        vals[f"crash:front:{name}"] = float(prob.get_val(f"crash:front:{name}")[0])
    return params_from_inputs({k: np.array([v], dtype=float) for k, v in vals.items()})


def predict(row: dict, **overrides: float) -> dict:
    """Model figures for one test row (mm, g, ms); ``overrides`` replace model inputs."""
    out = outputs_from_result(simulate(row_pulse_params(row, **overrides),
                                       v0_kmh=float(row["speed_kmh"])))
    return {"max_dynamic_crush_mm": float(out["crash:front:crush_required"][0]),
            "avg_decel_g": float(out["crash:front:mean_decel"][0]) / G0,
            "peak_decel_g": float(out["crash:front:peak_decel"][0]) / G0,
            "duration_ms": float(out["crash:front:pulse_duration"][0])}


def validation_table(rows: list[dict] | None = None) -> list[dict]:
    """Model vs test for every row: ``<q>_test``, ``<q>_model``, ``<q>_error`` (None
    where the row has no figure), plus ``defaulted`` inputs and ``derived`` figures."""
    rows = load_tests() if rows is None else rows
    table = []
    for row in rows:
        model = predict(row)
        fig, derived = row_figures(row)
        rec = {"vehicle": row["vehicle"], "model_year": row.get("model_year"),
               "program": row["program"], "test_id": row["test_id"],
               "speed_kmh": row["speed_kmh"], "test_mass_kg": row["test_mass_kg"],
               "defaulted": model_inputs(row)[1], "derived": derived}
        for q in QUANTITIES:
            rec[f"{q}_test"] = fig[q]
            rec[f"{q}_model"] = model[q]
            rec[f"{q}_error"] = None if fig[q] is None else (model[q] - fig[q]) / fig[q]
        table.append(rec)
    return table


def mean_abs_error(table: list[dict]) -> dict:
    """Mean absolute relative error and count per quantity (None when no row has it)."""
    out = {}
    for q in QUANTITIES:
        errs = [abs(r[f"{q}_error"]) for r in table if r[f"{q}_error"] is not None]
        out[q] = (float(np.mean(errs)) if errs else None, len(errs))
    return out


def cars_with(rows: list[dict], quantity: str) -> int:
    """Number of distinct cars (vehicle, model year) with a test figure for ``quantity``."""
    return len({(r["vehicle"], r.get("model_year")) for r in rows
                if row_figures(r)[0][quantity] is not None})


def calibration_allowed(rows: list[dict], quantity: str) -> bool:
    """A constant may be fitted on ``quantity`` only with >= MIN_CARS_TO_FIT cars."""
    return cars_with(rows, quantity) >= MIN_CARS_TO_FIT


def crush_length_sensitivity(row: dict, delta_mm: float = 100.0) -> dict:
    """Model figures at crush length -delta and +delta around the row's (or default) value."""
    base = model_inputs(row)[0]["crush_length_mm"]
    lo = predict(row, crush_length_mm=base - delta_mm)
    hi = predict(row, crush_length_mm=base + delta_mm)
    return {q: (lo[q], hi[q]) for q in QUANTITIES}


def load_pulse(name: str = "nhtsa_2320_seat_x.csv") -> tuple[np.ndarray, np.ndarray]:
    """Time (s) and acceleration (g, forward positive) of a stored test pulse."""
    lines = [ln for ln in _text(name).splitlines() if ln.strip() and not ln.startswith("#")]
    data = np.array([[float(x) for x in ln.split(",")] for ln in lines[1:]])  # skip header
    return data[:, 0], data[:, 1]


def esw_decel_g(speed_kmh: float, crush_mm: float) -> float:
    """Equivalent-square-wave (displacement-average) deceleration of a full-width barrier
    test, g::

        a_ESW = V^2 / (2 C) / g0        (V impact speed, m/s; C maximum dynamic crush, m)

    the constant deceleration that stops the compartment from V within the crush C, the
    work-energy average over the crush (M. Huang, *Vehicle Crash Mechanics*, CRC 2002,
    ch. 1-2: "equivalent square wave"). It is the model's ``crash:front:esw_decel``
    (:mod:`keidesign.crash.pulse`), and, from a test's impact speed and maximum dynamic
    crush, the like-for-like test figure when the test's duration (and so its time
    average V / t0) is not known. Its ratio to the time average, a_t / a_ESW = 2 C /
    (V t0), is the pulse's shape: 1 for a constant deceleration, above 1 for a
    back-loaded pulse. Validity: a rigid-wall test whose compartment reaches zero
    velocity at C (no restitution in C). Refuses a speed or crush <= 0."""
    if not speed_kmh > 0.0:
        raise InputError(f"speed_kmh: {speed_kmh:g} km/h; allowed: > 0 km/h")
    if not crush_mm > 0.0:
        raise InputError(f"max_dynamic_crush_mm: {crush_mm:g} mm; allowed: > 0 mm")
    v = speed_kmh / 3.6
    return v * v / (2.0 * crush_mm * 1e-3) / G0


def time_average_bounds_g(speed_kmh: float, crush_mm: float) -> tuple[float, float]:
    """Bounds (g) on the time-average deceleration V / t0 of a full-width barrier test
    from its impact speed V and maximum dynamic crush C alone (t0: time of zero velocity
    = time of maximum crush), ``(a_ESW, 2 a_ESW)`` with a_ESW = V^2 / (2 C)
    (:func:`esw_decel_g`):

    * upper, rigorous: while the compartment decelerates (a <= 0 up to t0) its velocity
      stays at or below V, so C = int_0^t0 v dt <= V t0, t0 >= C / V and
      V / t0 <= V^2 / C = 2 a_ESW (kinematics; a forward-accelerating compartment
      before t0 would break it, not seen in a rigid-wall test);
    * lower, for a back-loaded pulse (deceleration not falling before t0, a concave
      velocity): C >= V t0 / 2, t0 <= 2 C / V and V / t0 >= a_ESW. Status R: full
      frontal tests' pulses "tend to be back-loaded" (review of published tests, 2021,
      abstract; ``fullwidth_pulse_stats.csv``); the one stored small-car pulse (Neon,
      NHTSA 2320) has 2 C / (V t0) = 1.21, inside. A front-loaded pulse falls below it.

    So a test with a crush and no duration still bounds the model's time average (and
    its duration between C / V and 2 C / V): the band is the pulse-shape ratio
    2 C / (V t0) between 1 and 2. Refuses a speed or crush <= 0 (:func:`esw_decel_g`)."""
    esw = esw_decel_g(speed_kmh, crush_mm)
    return esw, 2.0 * esw


def peak_bound_crush_mm(speed_kmh: float, peak_g: float) -> float:
    """Smallest maximum dynamic crush (mm) a full-width rigid-barrier pulse of impact
    speed V and peak deceleration a_p can have::

        V^2 = 2 int_0^C a(x) dx <= 2 a_p C   =>   C >= C_min = V^2 / (2 a_p)

    (work-energy theorem on the compartment from impact to zero velocity, a(x) the
    deceleration at crush x; status V, textbook kinematics, e.g. Huang, *Vehicle Crash
    Mechanics*, ch. 1-2). The ratio C / C_min = a_p / a_ESW (:func:`esw_decel_g`) is the
    pulse's peak-to-average shape: 1 for a square wave, 2 for a triangle, about 2-2.6 for
    the small cars' NCAP pulses whose static and dynamic crush agree
    (``python benchmarks/crash_probes.py ncap_crush_check``). A test's reported crush
    and peak must come from the same reduced signal for the bound to hold (a CFC 60
    peak bounds the CFC 60 pulse's own integral). Refuses a speed or peak <= 0."""
    if not speed_kmh > 0.0:
        raise InputError(f"speed_kmh: {speed_kmh:g} km/h; allowed: > 0 km/h")
    if not peak_g > 0.0:
        raise InputError(f"peak_decel_g: {peak_g:g} g; allowed: > 0 g")
    v = speed_kmh / 3.6
    return v * v / (2.0 * peak_g * G0) * 1e3


def speed_scaled_crush_mm(crush_mm: float, speed_from_kmh: float,
                          speed_to_kmh: float) -> tuple[float, float]:
    """The band (mm) a car's maximum dynamic crush C_1 at impact speed V_1 sets for its
    crush at V_2 into the same rigid wall at the same test mass::

        C_2 = C_1 (V_2 / V_1)^n,   n = 1 (linear spring, F = k x: C = V sqrt(m / k))
                                   n = 2 (constant force F: C = m V^2 / (2 F))

    returned as ``(n = 1, n = 2)`` for V_2 > V_1 (the lower, then the upper end). A real
    front lies between as long as its force does not fall with crush or stiffen faster
    than linearly (status A; a stack reaching the dash stiffens it, pulling C_2 below
    the linear end). Used to read a 56 km/h NCAP crush against the same generation's
    40 km/h FMVSS 208 test; assumes the two test masses equal (both carry two Hybrid III
    50th dummies). Refuses a crush or speed <= 0."""
    if not crush_mm > 0.0:
        raise InputError(f"max_dynamic_crush_mm: {crush_mm:g} mm; allowed: > 0 mm")
    for name, v in (("speed_from_kmh", speed_from_kmh), ("speed_to_kmh", speed_to_kmh)):
        if not v > 0.0:
            raise InputError(f"{name}: {v:g} km/h; allowed: > 0 km/h")
    r = speed_to_kmh / speed_from_kmh
    return crush_mm * r, crush_mm * r * r


#: numeric columns of ``fullwidth_pulse_durations.csv``
DURATION_NUM = ("model_year", "nhtsa_test_no", "speed_kmh", "test_mass_kg", "t0_ms",
                "avg_decel_g", "max_dynamic_crush_mm")
#: columns every row must give, with their allowed range: a 48-56 km/h full-width test of
#: a car (30-70 km/h kept for other programs), a time of zero velocity of 20-200 ms
DURATION_REQUIRED = {"speed_kmh": (30.0, 70.0), "test_mass_kg": (500.0, 3000.0),
                     "t0_ms": (20.0, 200.0)}
#: relative tolerance of a row's average deceleration against V / t0 of its own speed
#: and t0 (rounding of the two published figures)
DURATION_AVG_TOL = 0.02


def load_pulse_durations(text: str | None = None) -> list[dict]:
    """Rows of ``fullwidth_pulse_durations.csv``: published (or computed here from a
    stored signal) times of zero velocity t0 of full-width rigid-barrier tests of small
    cars, one row per test (vehicle, model year, program, NHTSA test number, speed,
    barrier, test mass, channel, t0, time average V / t0, maximum dynamic crush, the
    ``frontal_tests.csv`` row or the ``us_specs`` generation the model runs, status,
    source, notes); numbers as floats, blanks None. Refused with the row, field, value
    and what is allowed (:func:`load_sourced_rows`): no source; a status other than V or
    R; speed, test mass or t0 missing or out of :data:`DURATION_REQUIRED`; an average
    deceleration that is not the row's V / t0 within :data:`DURATION_AVG_TOL`; a crush
    the t0 cannot hold (C > V t0, :func:`time_average_bounds_g`); a row naming neither
    a ``frontal_tests.csv`` row nor a us_specs generation."""
    text = _text("fullwidth_pulse_durations.csv") if text is None else text
    out = []
    for where, raw, row in load_sourced_rows(text, "fullwidth_pulse_durations.csv",
                                             DURATION_NUM, DURATION_REQUIRED):
        v = row["speed_kmh"] / 3.6
        t0 = row["t0_ms"] * 1e-3
        avg = v / t0 / G0
        if row["avg_decel_g"] is not None and abs(row["avg_decel_g"] / avg - 1.0) > \
                DURATION_AVG_TOL:
            raise InputError(f"{where} avg_decel_g: {show(raw['avg_decel_g'])}; allowed: "
                             f"the row's V / t0 = {avg:.1f} g within "
                             f"{DURATION_AVG_TOL:.0%}, or blank")
        c = row["max_dynamic_crush_mm"]
        if c is not None and not 0.0 < c <= v * t0 * 1e3:
            raise InputError(f"{where} max_dynamic_crush_mm: {show(raw['max_dynamic_crush_mm'])}"
                             f"; allowed: 0 to V t0 = {v * t0 * 1e3:.0f} mm (the compartment "
                             "cannot cover more than V t0 before t0), or blank")
        if not (raw["frontal_tests_id"].strip() or raw["us_specs_generation"].strip()):
            raise InputError(f"{where} frontal_tests_id: ''; allowed: a test_id of "
                             "frontal_tests.csv, or a us_specs make, model and generation")
        row["avg_decel_g"] = avg if row["avg_decel_g"] is None else row["avg_decel_g"]
        out.append(row)
    return out


def _integrated(t: np.ndarray, a_g: np.ndarray, v0: float) -> tuple[np.ndarray, ...]:
    """Time steps (s), velocity (m/s) and displacement (m) of a measured compartment
    pulse ``a_g`` (g, at times ``t``, s) from ``v0`` (m/s): the trapezoidal rule, twice."""
    dt = np.diff(t)
    acc = a_g * G0
    v = v0 + np.concatenate([[0.0], np.cumsum(0.5 * (acc[1:] + acc[:-1]) * dt)])
    x = np.concatenate([[0.0], np.cumsum(0.5 * (v[1:] + v[:-1]) * dt)])
    return dt, v, x


def pulse_figures(t: np.ndarray, a_g: np.ndarray, v0_kmh: float) -> dict:
    """Maximum dynamic crush (mm), time to zero velocity (ms), average deceleration V/t0
    (g), equivalent-square-wave deceleration V^2 / (2 C) (g, :func:`esw_decel_g`) and
    3 ms moving-average peak deceleration (g) of a measured compartment pulse, with the
    definitions of :mod:`keidesign.crash.pulse` (no filter, no offset removal)."""
    v0 = v0_kmh / 3.6
    dt, v, x = _integrated(t, a_g, v0)
    k = int(np.argmax(v <= 0.0))
    if v[k] > 0.0:
        raise ValueError("the pulse never reaches zero velocity")
    frac = v[k - 1] / (v[k - 1] - v[k])
    t0 = t[k - 1] + frac * (t[k] - t[k - 1])
    c_max = x[k - 1] + frac * (x[k] - x[k - 1])
    n = max(1, int(round(CLIP_S / float(np.median(dt)))))
    a3 = np.convolve(a_g, np.ones(n) / n, mode="valid")
    return {"max_dynamic_crush_mm": float(c_max) * 1e3, "duration_ms": float(t0) * 1e3,
            "avg_decel_g": float(v0 / t0 / G0),
            "esw_decel_g": esw_decel_g(v0_kmh, float(c_max) * 1e3),
            "peak_decel_g": float(-a3.min())}


#: SAE J211-1 (Mar 1995), Appendix C: the 2-pole Butterworth's design frequency per pass is
#: 2.0775 x CFC (Hz), so that forward and backward (4 poles) it is -3 dB at 1.667 x CFC
#: (100 Hz for CFC 60)
J211_DESIGN_FACTOR = 2.0775


def cfc_filter(a: np.ndarray, fs_hz: float, cfc: float = 60.0, *,
               design_hz: float | None = None) -> np.ndarray:
    """A channel filtered to SAE J211-1's channel frequency class ``cfc`` (same units as
    ``a``, sampled at ``fs_hz``): the phaseless 4-pole Butterworth of J211-1 Appendix C
    (ISO 6487 the same), a 2-pole low-pass run forward and then backward over the record::

        w_d = 2 pi f_d,  f_d = 2.0775 CFC  (Hz; 124.65 Hz for CFC 60)
        w_a = tan(w_d T / 2),  T = 1 / fs
        Y[t] = a0 X[t] + a1 X[t-1] + a2 X[t-2] + b1 Y[t-1] + b2 Y[t-2]
        a0 = a2 = w_a^2 / (1 + sqrt(2) w_a + w_a^2),  a1 = 2 a0
        b1 = -2 (w_a^2 - 1) / (1 + sqrt(2) w_a + w_a^2)
        b2 = (-1 + sqrt(2) w_a - w_a^2) / (1 + sqrt(2) w_a + w_a^2)

    the bilinear transform of the analogue 2-pole Butterworth prewarped at f_d
    (``scipy.signal.butter(2, f_d, fs=fs)`` gives these coefficients), so the two passes
    give |H(f)| = 1 / (1 + (f' / f_d')^4) with f' the prewarped frequency: -3 dB at
    0.8022 f_d = 1.667 CFC (100 Hz for CFC 60), no phase shift. ``design_hz`` replaces
    f_d (the third-party reduction of ``data/crash/ncap_fleet_pulses.csv`` designs each
    pass at 100 Hz for its "CFC 60": -3 dB at 80 Hz; a sensitivity, not J211). The
    record is filtered as given, with no padding of its own (``scipy.signal.filtfilt``
    with ``padlen=0``): the caller supplies the pre- and post-event data J211-1 asks for
    the filter's start (a test's pre-impact record; :func:`model_cfc_peak_g` pads the
    model's pulse). Validity: f_d below the Nyquist frequency fs / 2 (``InputError``
    otherwise); J211 sets fs >= 8 x 1.667 CFC in practice (the 10 kHz of NHTSA's body
    channels and of the model is far above). Sources: SAE J211-1 (Mar 1995),
    "Instrumentation for impact test - Part 1: Electronic instrumentation", Appendix C,
    as incorporated in 49 CFR 572 (law.resource.org/pub/us/cfr/ibr/005/sae.j211-1.1995.pdf;
    R: the equations as quoted in the stored ``github.com/DCHartlen/SavitzkyGolayFilter``
    ``SaeJ211Filter.m`` and in weisang.com "CFC Filter Calculation", with ISO 6487:2002)."""
    from scipy.signal import butter, filtfilt

    f_d = J211_DESIGN_FACTOR * cfc if design_hz is None else float(design_hz)
    if not 0.0 < f_d < 0.5 * fs_hz:
        raise InputError(f"CFC filter: design frequency {f_d:g} Hz at {fs_hz:g} Hz sampling; "
                         "allowed: 0 < f_d < fs / 2")
    b, a_coef = butter(2, f_d, btype="low", fs=fs_hz)
    return filtfilt(b, a_coef, np.asarray(a, dtype=float), padtype=None, padlen=0)


def cfc_peak_g(a_g: np.ndarray, fs_hz: float, cfc: float = 60.0, *,
               design_hz: float | None = None) -> float:
    """The CFC peak (g) of a deceleration record ``a_g`` (g, sampled at ``fs_hz``): the
    largest |a| of :func:`cfc_filter`'s output, as the third-party reduction of
    ``data/crash/ncap_fleet_pulses.csv`` takes its ``peak_decel_g`` (max |a_CFC60| over
    0-300 ms of the record)."""
    return float(np.max(np.abs(cfc_filter(a_g, fs_hz, cfc, design_hz=design_hz))))


#: the zero record before contact and the held last value after the model's pulse (s) that
#: :func:`model_cfc_peak_g` adds for the filter's start (J211-1: pre- and post-event data)
CFC_PAD_S = 0.05


def model_cfc_peak_g(ab: np.ndarray, dt: float, cfc: float = 60.0, *,
                     design_hz: float | None = None) -> float:
    """The model's body pulse reduced as the tests' body channels are: the CFC peak (g) of
    the body acceleration history ``ab`` (m/s^2, the ``history["ab"]`` of one lane of
    :func:`keidesign.crash.pulse.simulate`, samples ``dt`` apart from contact), preceded
    by :data:`CFC_PAD_S` of zeros (the car at constant speed before contact) and followed
    by as long a hold of its last value, filtered by :func:`cfc_filter` and the largest
    |a| taken over the pulse itself (not the pads). It is the model-side statistic of the
    tests' ``peak_decel_g`` (CFC 60), where ``crash:front:peak_decel`` is a 3 ms moving
    average of the same history (:mod:`keidesign.crash.pulse`). Assumptions: the lumped
    body's acceleration stands for the test's sill / seat cross-member accelerometer (the
    model has no structural ringing, which a test's channel carries below 100 Hz too);
    10 kHz as most NHTSA body channels (the filter's output hardly depends on the rate
    above a few kHz). Docs: docs/crash.md, "The 3 ms peak against the test's CFC 60 peak,
    like with like"."""
    a = -np.real(np.asarray(ab, dtype=complex)) / G0
    n_pad = int(round(CFC_PAD_S / dt))
    rec = np.concatenate([np.zeros(n_pad), a, np.full(n_pad, a[-1])])
    y = cfc_filter(rec, 1.0 / dt, cfc, design_hz=design_hz)
    return float(np.max(np.abs(y[n_pad:n_pad + a.size])))


def force_crush(t: np.ndarray, a_g: np.ndarray, v0_kmh: float, mass_kg: float) -> dict:
    """The force-crush history of a measured (or modelled) compartment pulse of a
    full-width frontal test: ``t`` (s), ``x_mm`` (crush: the double integral of the
    acceleration from the impact speed, trapezoidal, as :func:`pulse_figures`), ``v``
    (m/s) and ``force_kn``, the 3 ms centred moving average of the deceleration times
    the test mass::

        F(t) = m_test <-a>_3ms          (kN; a in m/s^2, forward positive)

    the usual reading of a compartment accelerometer as the barrier force when no
    load-cell wall was recorded (Huang, *Vehicle Crash Mechanics*, CRC 2002, ch. 2;
    status R): it treats the car as one rigid mass, so the engine's and the occupants'
    own motion relative to the compartment is left out (their share is a few per cent of
    the mass, but it shifts force in time around engine contact). Validity: while the
    accelerometer's compartment is intact; a car-to-car test gives the force on the car
    and its own acceleration integral only with the other car's motion (not used here)."""
    v0 = v0_kmh / 3.6
    dt, v, x = _integrated(t, a_g, v0)
    n = max(1, int(round(CLIP_S / float(np.median(dt)))))
    force = np.convolve(-a_g, np.ones(n) / n, mode="same") * G0 * mass_kg
    return {"t": t, "x_mm": x * 1e3, "v": v, "force_kn": force * 1e-3}


#: crush (mm) from which :func:`force_crush_figures` takes the mean force to the maximum
#: crush: past the 1996 Neon's NCAP peak (475 mm), where its force stops rising (a
#: choice of this reading, status A, not a zone boundary of the car)
PLATEAU_FROM_MM = 550.0
#: the stretch of rebound (s) over which :func:`force_crush_figures` fits the unloading
#: slope
REBOUND_FIT_S = 0.015


def force_crush_figures(t: np.ndarray, a_g: np.ndarray, v0_kmh: float, mass_kg: float,
                        plateau_from_mm: float = PLATEAU_FROM_MM,
                        rebound_s: float = REBOUND_FIT_S) -> dict:
    """The figures of ``overload_force_crush.csv`` read from one force-crush history
    (:func:`force_crush`): ``peak_force_kn`` (largest 3 ms force), ``crush_at_peak_mm``,
    ``max_crush_mm`` (at zero velocity, time ``t0_ms``), ``mean_force_past_550_kn`` (the
    work-energy mean from ``plateau_from_mm`` to the maximum crush,
    F = m v(x_p)^2 / (2 (C - x_p))), ``force_at_max_crush_kn`` and
    ``unloading_stiffness_mn_per_m`` (least-squares slope of force against crush over
    ``rebound_s`` after zero velocity: the crushed front's elastic spring-back, the
    quantity of ``pulse.KU_STRUCT``). Raises ValueError when the pulse never reaches zero
    velocity or the crush never reaches ``plateau_from_mm``."""
    h = force_crush(t, a_g, v0_kmh, mass_kg)
    x, v, f = h["x_mm"], h["v"], h["force_kn"]
    k = int(np.argmax(v <= 0.0))
    if v[k] > 0.0:
        raise ValueError("the pulse never reaches zero velocity")
    if x[k] <= plateau_from_mm:
        raise ValueError(f"the crush ({x[k]:.0f} mm) never passes {plateau_from_mm:g} mm")
    i = int(np.argmax(x >= plateau_from_mm))
    mean = 0.5 * mass_kg * v[i] ** 2 / ((x[k] - x[i]) * 1e-3) * 1e-3
    sel = (t >= t[k]) & (t <= t[k] + rebound_s)
    slope = float(np.polyfit(x[sel] * 1e-3, f[sel] * 1e3, 1)[0])
    j = int(np.argmax(f))
    return {"peak_force_kn": float(f[j]), "crush_at_peak_mm": float(x[j]),
            "max_crush_mm": float(x[k]), "t0_ms": float(t[k]) * 1e3,
            "mean_force_past_550_kn": float(mean), "force_at_max_crush_kn": float(f[k]),
            "unloading_stiffness_mn_per_m": slope * 1e-6}


OVERLOAD_NUM = ("test_mass_kg", "speed_kmh", "value")
OVERLOAD_REQUIRED = {"test_mass_kg": (500.0, 5000.0), "speed_kmh": (10.0, 120.0),
                     "value": (0.0, 1.0e4)}


def load_overload_force_crush(text: str | None = None) -> list[dict]:
    """Rows of ``overload_force_crush.csv`` (force-crush figures of the 1996 Dodge Neon
    read from its NHTSA compartment signals: the NCAP test 2320 and the head-on overload
    test 4429; test, vehicle, test mass, speed, configuration, channel, quantity, value,
    units): numbers as floats. A row without a source, with a status other than V or R,
    or with a mass, speed or value missing or out of its range
    (:data:`OVERLOAD_REQUIRED`) is refused with the row, field, value and range
    (:func:`load_sourced_rows`)."""
    text = _text("overload_force_crush.csv") if text is None else text
    return [row for _, _, row in load_sourced_rows(text, "overload_force_crush.csv",
                                                   OVERLOAD_NUM, OVERLOAD_REQUIRED)]


#: numeric columns of ``nhtsa_static_deformation.csv`` (mm, pretest minus posttest) and
#: the ones every row must carry, with their range
STATIC_DEF_NUM = ("nhtsa_test_no", "length_shortening_mm", "bumper_right_mm", "bumper_left_mm",
                  "engine_front_mm", "firewall_right_mm", "firewall_left_mm",
                  "engine_block_mm", "crhdst_mm")
STATIC_DEF_REQUIRED = {"nhtsa_test_no": (1.0, 99999.0), "length_shortening_mm": (1.0, 2000.0),
                       "crhdst_mm": (1.0, 2000.0)}
#: a static firewall travel is taken as measured when it lies in
#: [-STATIC_FIREWALL_SLACK_MM, STATIC_FIREWALL_SHARE x the length shortening] (status A: a
#: firewall moved forward by more than a few mm, or rearward by more than half the front's
#: residual crush while the front ahead of it holds the engine, is read as a pretest /
#: posttest reference mismatch of the source, not as a deformation)
STATIC_FIREWALL_SLACK_MM = 20.0
STATIC_FIREWALL_SHARE = 0.5


def load_static_deformation(text: str | None = None) -> list[dict]:
    """Rows of ``nhtsa_static_deformation.csv``: NHTSA's pretest minus posttest vehicle
    measurements of full-width frontal barrier tests (mm, positive = shortened towards the
    rear surface): overall length at the centreline (BX1), front bumper right / left
    (BX19 / BX20), front of the engine (BX2), firewall right / left (BX14 / BX15),
    engine block length (BX21), and the maximum static crush CRHDST; numbers as floats,
    blanks as None. The deltas are kept as transcribed, implausible ones included
    (:func:`static_stack_figures` sorts them). A row without a source, with a status
    other than V or R, or with a test number, length shortening or CRHDST missing or out
    of its range (:data:`STATIC_DEF_REQUIRED`) is refused with the row, field, value and
    range (:func:`load_sourced_rows`)."""
    text = _text("nhtsa_static_deformation.csv") if text is None else text
    return [row for _, _, row in load_sourced_rows(text, "nhtsa_static_deformation.csv",
                                                   STATIC_DEF_NUM, STATIC_DEF_REQUIRED)]


def static_stack_figures(row: dict) -> dict:
    """What a row of :func:`load_static_deformation` says about the powertrain stack's
    path (mm, static = after the rebound): ``crush`` the length shortening C_s (BX1);
    ``engine_into_body`` the travel of the engine's front towards the vehicle's rear
    surface D_e (BX2), taken when 0 < D_e <= C_s (else None: a rear-motored car, or a
    reference mismatch); ``engine_to_barrier`` C_s - D_e, how far the engine's front
    moved towards the barrier (the gap ahead of it closed plus what compacted in front of
    it), with D_e; ``firewall`` the mean of the firewall deltas (BX14, BX15) that lie in
    the plausible band (:data:`STATIC_FIREWALL_SLACK_MM`, :data:`STATIC_FIREWALL_SHARE`),
    None if neither does, and ``firewall_sides`` how many did. In the lumped model of
    :mod:`keidesign.crash.pulse` these are, up to the elastic spring-back, the body's
    crush x_b, the stack's travel into the body x_b - x_e, the stack's travel x_e (its
    gap g_e plus its penetration into the stack contact) and the dash intrusion
    x_b - x_e - c_e (the side points of the firewall; its centre, BX3, is not measured)."""
    c = row["length_shortening_mm"]
    d = row["engine_front_mm"]
    d = d if d is not None and 0.0 < d <= c else None
    fw, n = firewall_travel(row["firewall_right_mm"], row["firewall_left_mm"], c)
    return {"crush": c, "engine_into_body": d,
            "engine_to_barrier": None if d is None else c - d,
            "firewall": fw, "firewall_sides": n}


def firewall_travel(right: float | None, left: float | None,
                    crush: float) -> tuple[float | None, int]:
    """The static rearward travel of the firewall (mm) from NHTSA's right and left
    pretest-minus-posttest deltas (BX14 / BX15, rear surface of the vehicle to the
    firewall) of a test whose length shortening is ``crush`` (mm): the mean of the sides
    that lie in [-:data:`STATIC_FIREWALL_SLACK_MM`, :data:`STATIC_FIREWALL_SHARE` x
    crush] (status A, the band of :func:`static_stack_figures`), and how many did (None
    and 0 if neither)."""
    sides = [v for v in (right, left)
             if v is not None and -STATIC_FIREWALL_SLACK_MM <= v <= STATIC_FIREWALL_SHARE * crush]
    return (sum(sides) / len(sides) if sides else None), len(sides)


FULLWIDTH_INTRUSION_NUM = ("nhtsa_test_no", "speed_kmh", "curb_mass_kg", "firewall_right_mm",
                           "firewall_left_mm", "length_shortening_mm", "crhdst_mm")
#: the full-width tests the file holds: 48-57 km/h (the FMVSS 208 / US NCAP speeds)
FULLWIDTH_INTRUSION_REQUIRED = {"nhtsa_test_no": (1.0, 99999.0), "speed_kmh": (48.0, 57.0),
                                "length_shortening_mm": (1.0, 2000.0),
                                "crhdst_mm": (1.0, 2000.0)}
#: the small cars the file is for: a curb mass, when given, in this range (kg)
FULLWIDTH_INTRUSION_CURB_KG = (500.0, 1500.0)


def load_fullwidth_intrusion(text: str | None = None) -> list[dict]:
    """Rows of ``fullwidth_intrusion.csv``: the measured rearward travel of the firewall
    (dash panel) of small cars in NHTSA's full-width rigid-barrier tests (task s38j):
    NHTSA's pretest minus posttest right / left firewall deltas (BX14 / BX15, mm, positive
    = towards the rear surface, static: after the rebound, at the firewall's two side
    points; its centre BX3 is not measured), the length shortening (BX1) and CRHDST,
    numbers as floats (blank: None), plus ``firewall_mm`` and ``firewall_sides`` of
    :func:`firewall_travel`. A row without a source or a quote of it, with a status other
    than V or R, a figure of :data:`FULLWIDTH_INTRUSION_REQUIRED` missing or out of its
    range, or a curb mass outside :data:`FULLWIDTH_INTRUSION_CURB_KG` is refused with the
    row, field, value and range."""
    text = _text("fullwidth_intrusion.csv") if text is None else text
    lo, hi = FULLWIDTH_INTRUSION_CURB_KG
    out = []
    for where, raw, row in load_sourced_rows(text, "fullwidth_intrusion.csv",
                                             FULLWIDTH_INTRUSION_NUM,
                                             FULLWIDTH_INTRUSION_REQUIRED):
        if not raw["quote"].strip():
            raise InputError(f"{where} quote: empty; allowed: the source's words read")
        m = row["curb_mass_kg"]
        if m is not None and not lo <= m <= hi:
            raise InputError(f"{where} curb_mass_kg: {show(raw['curb_mass_kg'])}; allowed: "
                             f"blank or {lo:g} to {hi:g}")
        fw, n = firewall_travel(row["firewall_right_mm"], row["firewall_left_mm"],
                                row["length_shortening_mm"])
        out.append({**row, "firewall_mm": fw, "firewall_sides": n})
    return out


#: quantities of ``stack_path_sources.csv`` that carry a value, with their units and
#: allowed range; a row whose status is N (searched: the stored copy gives no value) has
#: one of :data:`STACK_SOURCE_EMPTY` and a blank value
STACK_SOURCE_VALUES = {"stiffness": ("MN/m", 0.01, 1000.0), "energy_share": ("-", 0.0, 1.0),
                       "peak_force": ("kN", 1.0, 5000.0), "slope_bound": ("MN/m", 0.0, 1000.0),
                       "unloading_slope": ("MN/m", 0.01, 1000.0)}
STACK_SOURCE_EMPTY = ("spring_named", "no_engine_element", "not_stored")
#: the pulse constants of the stack's path into the body (:mod:`keidesign.crash.pulse`)
STACK_CONSTANTS = ("K_STACK", "K_DASH")


def load_stack_path_sources(text: str | None = None) -> list[dict]:
    """Rows of ``stack_path_sources.csv``: what published lumped-mass crash models and
    measurements give for the powertrain stack's path into the body (the stack-contact
    and dash springs ``pulse.K_STACK`` / ``pulse.K_DASH``, the mounts), one row per source
    and quantity (source, model, vehicle, vehicle_mass_kg, element, model_constant,
    quantity, value, units, status, url, notes); ``value`` and ``vehicle_mass_kg`` as
    floats (blank: None). Status V (read in the source), R (quoted by a secondary source
    or an abstract) or N (searched: the stored copy names the element but gives no
    value, or is not stored). Refused with the row, field, value and what is allowed: an
    empty source; another status; a V/R row whose quantity is not one of
    :data:`STACK_SOURCE_VALUES`, whose units differ from that quantity's or whose value
    is missing or out of its range; an N row with a value or a quantity not in
    :data:`STACK_SOURCE_EMPTY`; a vehicle mass outside 300-5000 kg."""
    text = _text("stack_path_sources.csv") if text is None else text
    out = []
    for i, raw in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"stack_path_sources.csv line {i}"
        if not raw["source"].strip():
            raise InputError(f"{where} source: empty; allowed: the document or URL read")
        status, q = raw["status"], raw["quantity"]
        if status not in ("V", "R", "N"):
            raise InputError(f"{where} status: {show(status)}; allowed: V, R or N")
        row = dict(raw)
        for k in ("value", "vehicle_mass_kg"):
            try:
                row[k] = _num(raw[k])
            except ValueError:
                raise InputError(f"{where} {k}: {show(raw[k])}; allowed: a number or "
                                 "blank") from None
        m = row["vehicle_mass_kg"]
        if m is not None and not 300.0 <= m <= 5000.0:
            raise InputError(f"{where} vehicle_mass_kg: {show(raw['vehicle_mass_kg'])}; "
                             "allowed: 300 to 5000 or blank")
        if status == "N":
            if q not in STACK_SOURCE_EMPTY:
                raise InputError(f"{where} quantity: {show(q)}; allowed with status N: "
                                 + ", ".join(STACK_SOURCE_EMPTY))
            if row["value"] is not None:
                raise InputError(f"{where} value: {show(raw['value'])}; allowed with status "
                                 "N: blank")
        else:
            if q not in STACK_SOURCE_VALUES:
                raise InputError(f"{where} quantity: {show(q)}; allowed with status "
                                 f"{status}: " + ", ".join(STACK_SOURCE_VALUES))
            units, lo, hi = STACK_SOURCE_VALUES[q]
            if raw["units"] != units:
                raise InputError(f"{where} units: {show(raw['units'])}; allowed for {q}: "
                                 f"{units}")
            v = row["value"]
            if v is None or not lo <= v <= hi:
                raise InputError(f"{where} value: {show(raw['value'])}; allowed: {lo:g} to "
                                 f"{hi:g}")
        out.append(row)
    return out


def stack_stiffness_support(rows: list[dict] | None = None) -> dict[str, int]:
    """Per stack-path constant (:data:`STACK_CONSTANTS`), how many distinct cars (source
    and vehicle) of ``stack_path_sources.csv`` give a stiffness for it with status V or
    R: a constant may be set from the sources only with >= :data:`MIN_CARS_TO_FIT`."""
    rows = load_stack_path_sources() if rows is None else rows
    return {k: len({(r["source"], r["vehicle"]) for r in rows
                    if r["status"] in ("V", "R") and r["quantity"] == "stiffness"
                    and k in r["model_constant"]})
            for k in STACK_CONSTANTS}


# --------------------------------------------------------------------------- side
def load_side_program(text: str | None = None) -> dict:
    """IIHS side-test ranges: quantity -> (low, high, units)."""
    text = _text("side_iihs_program.csv") if text is None else text
    return {r["quantity"]: (float(r["low"]), float(r["high"]), r["units"])
            for r in csv.DictReader(text.splitlines())}


def iihs_barrier(program: dict | None = None) -> SideBarrier:
    """The IIHS side barrier of 2003-2020 (``side_iihs_program.csv``: mass, speed, crab
    and the face's ground clearance and height)."""
    p = load_side_program() if program is None else program
    return SideBarrier("IIHS side (2003-2020)", p["barrier_mass"][0], p["barrier_speed"][0],
                       p["crab"][0], p["face_ground_clearance"][0], p["face_height"][0])


def default_side_structure(height_mm: float = SIDE_BODY_HEIGHT_MM) -> dict:
    """The registered defaults of the side structure (sections, sill top, grades, member
    counts) with the body height ``height_mm``: the keyword arguments of
    :func:`structure_side_force_kn`."""
    g = {k: float(reg.get(k).default) for k in (*STRUCTURE_KEYS, SILL_TOP_KEY)}
    g["body:height"] = height_mm
    return {"g": g, "grades": tuple(reg.get(k).default for k in MATERIAL_KEYS),
            "n_door_beams": int(reg.get("crash:side:n_door_beams").default),
            "n_cross_members": int(reg.get("crash:side:n_cross_members").default)}


def structure_side_force_kn(g: dict, grades: tuple[str, str, str], n_door_beams: int,
                            n_cross_members: int, barrier: SideBarrier) -> dict:
    """Side force (kN) of the structure ``g`` (section keys of
    :data:`~keidesign.crash.side.STRUCTURE_KEYS`, the sill top and ``body:height``, mm;
    the grades of :data:`~keidesign.crash.side.MATERIAL_KEYS`) under ``barrier``, by
    member group, as :func:`keidesign.crash.side.side_force`: ``force``, ``door_beams``,
    ``b_pillar``, ``cross_members`` (kN) and ``engages_sill`` (the face reaches below
    the sill's top)."""
    force, parts = side_force(g, tuple(material(k) for k in grades), n_door_beams,
                              n_cross_members, barrier)
    return {"force": float(force) * 1e-3,
            **{k: float(parts[k]) * 1e-3 for k in ("door_beams", "b_pillar", "cross_members",
                                                    "cross_members_capacity")},
            "engages_sill": bool(parts["engages_sill"])}


def side_force_kn(height_mm: float = SIDE_BODY_HEIGHT_MM,
                  barrier: SideBarrier | None = None) -> float:
    """Side force of the side model's default structure (kN): under the FMVSS 214 MDB
    through :class:`~keidesign.crash.side.SideImpactComp` (``barrier`` None), under
    another barrier through :func:`structure_side_force_kn`."""
    if barrier is not None:
        return structure_side_force_kn(**default_side_structure(height_mm),
                                       barrier=barrier)["force"]
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("s", SideImpactComp(), promotes=["*"])
    prob.setup()
    _set_registry_defaults(prob, "crash:side:")
    prob.set_val("body:height", height_mm)
    prob.set_val("body:width", REFERENCE_STRUCTURE["body:width"])
    prob.set_val("mass:curb", 1000.0)
    prob.run_model()
    return float(prob.get_val("crash:side:force")[0])


def side_force_parts_kn(height_mm: float = SIDE_BODY_HEIGHT_MM,
                        barrier: SideBarrier = FMVSS_MDB) -> dict:
    """The default side structure's force by member group (kN): the door beams, the
    B-pillar and the cross-members (registered defaults: grade, counts, sections, sill
    top) under ``barrier`` (default the FMVSS 214 MDB, as
    :class:`~keidesign.crash.side.SideImpactComp`)."""
    f = structure_side_force_kn(**default_side_structure(height_mm), barrier=barrier)
    return {k: f[k] for k in ("door_beams", "b_pillar", "cross_members")}


def constant_force_window(masses: tuple, program: dict) -> tuple[float, float]:
    """Constant side forces (kN) that put E/F inside the measured crush range at both
    ends of the struck-mass range (all barrier energy to the car): the lowest force keeps
    the heaviest car's crush below the top of the range, the highest keeps the lightest
    car's crush above its bottom. Empty when the first exceeds the second."""
    big_m, v = program["barrier_mass"][0], program["barrier_speed"][0] / 3.6
    e_lo, e_hi = (mdb_impact(m, 1.0, big_m, v)[1] for m in masses)
    # J / mm = kN
    return float(e_hi / program["max_crush"][1]), float(e_lo / program["max_crush"][0])


def side_iihs_check(program: dict | None = None, height_mm: float = SIDE_BODY_HEIGHT_MM) -> dict:
    """Side model under the IIHS side-test conditions over the tests' mass range, the
    default structure's force by member and the constant-force window of the range."""
    p = load_side_program() if program is None else program
    big_m = p["barrier_mass"][0]
    v = p["barrier_speed"][0] / 3.6
    dv_lo, dv_hi = p["delta_v"][0] / 3.6, p["delta_v"][1] / 3.6
    masses = (big_m * (v / dv_hi - 1.0), big_m * (v / dv_lo - 1.0))
    barrier = iihs_barrier(p)
    force = side_force_kn(height_mm, barrier) * 1e3
    fmvss = side_force_kn(height_mm) * 1e3
    crush = tuple(mdb_impact(m, force, big_m, v)[2] * 1e3 for m in masses)
    return {"mass_kg": masses, "side_force_kn": force * 1e-3, "model_crush_mm": crush,
            "fmvss_force_kn": fmvss * 1e-3,
            "fmvss_crush_mm": tuple(mdb_impact(m, fmvss, big_m, v)[2] * 1e3 for m in masses),
            "test_crush_mm": (p["max_crush"][0], p["max_crush"][1]),
            "n_tests": int(p["n_tests"][0]),
            "force_parts_kn": side_force_parts_kn(height_mm, barrier),
            "force_window_kn": constant_force_window(masses, p)}


def load_side_minicars(text: str | None = None) -> list[dict]:
    """Rows of ``side_iihs_minicars.csv``; ``b_pillar_to_seat_cl_mm`` as a float (IIHS:
    negative = the crush stopped that far short of the seat centreline)."""
    text = _text("side_iihs_minicars.csv") if text is None else text
    rows = list(csv.DictReader(text.splitlines()))
    for r in rows:
        r["b_pillar_to_seat_cl_mm"] = float(r["b_pillar_to_seat_cl_mm"])
    return rows


#: numeric columns of ``side_nhtsa_tests.csv`` (blank = not in the source: None)
SIDE_NHTSA_NUM = ("model_year", "barrier_mass_kg", "barrier_speed_kmh", "crab_deg",
                  "test_mass_kg", "wheelbase_mm", "length_mm", "width_mm",
                  "cg_behind_front_axle_mm", "impact_point_from_cg_mm", "pdof_deg",
                  "dpd1_mm", "dpd2_mm", "dpd3_mm", "dpd4_mm", "dpd5_mm", "dpd6_mm",
                  "damage_length_mm", "damage_centre_from_cg_mm", "max_static_crush_mm")
#: columns every row of ``side_nhtsa_tests.csv`` must give, with their allowed range
SIDE_NHTSA_REQUIRED = {"barrier_mass_kg": (500.0, 3000.0), "barrier_speed_kmh": (20.0, 80.0),
                       "test_mass_kg": (500.0, 4000.0), "max_static_crush_mm": (1.0, 1000.0)}


def load_sourced_rows(text: str, file: str, numeric: tuple[str, ...],
                      ranges: dict[str, tuple[float, float]]
                      ) -> list[tuple[str, dict, dict]]:
    """The rows of a sourced data file: ``(where, raw, row)`` per row, ``row`` with the
    ``numeric`` columns as floats (blank: None). A row without a source, with a status
    other than V or R, with a non-number in a numeric column, or with a column of
    ``ranges`` missing or out of its range is refused with the row, field, value and
    range (``where`` = ``file line n``, for the caller's own checks)."""
    out = []
    for i, raw in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"{file} line {i}"
        if raw["status"] not in ("V", "R"):
            raise InputError(f"{where} status: {show(raw['status'])}; allowed: V or R")
        if not raw["source"].strip():
            raise InputError(f"{where} source: empty; allowed: the document or URL read")
        row = {}
        for k, v in raw.items():
            if k not in numeric:
                row[k] = v
                continue
            try:
                row[k] = _num(v)
            except ValueError:
                raise InputError(f"{where} {k}: {show(v)}; allowed: a number or blank") from None
        for k, (lo, hi) in ranges.items():
            if row[k] is None or not lo <= row[k] <= hi:
                raise InputError(f"{where} {k}: {show(raw[k])}; allowed: {lo:g} to {hi:g}")
        out.append((where, raw, row))
    return out


def load_side_nhtsa(text: str | None = None) -> list[dict]:
    """Rows of ``side_nhtsa_tests.csv`` (NHTSA side MDB tests: test mass, barrier mass
    and speed, maximum static crush CRHDST, crush profile DPD1-DPD6 rear to front):
    numbers as floats, blanks as None. A row without a source, with a status other than
    V or R, or with a required figure (:data:`SIDE_NHTSA_REQUIRED`) missing or out of
    its range is refused with the row, field, value and range
    (:func:`load_sourced_rows`)."""
    text = _text("side_nhtsa_tests.csv") if text is None else text
    return [row for _, _, row in load_sourced_rows(text, "side_nhtsa_tests.csv",
                                                   SIDE_NHTSA_NUM, SIDE_NHTSA_REQUIRED)]


def survival_space_check(rows: list[dict] | None = None) -> dict:
    """IIHS minicar side tests against the side criteria's bounds.

    A residual B-pillar ``s`` mm short of the seat centreline (``s < 0``: past it):

    * ``n_past_seat_cl``: tests with ``s < 0``, past the bound of
      ``fmvss214.*.crush_space`` (``body:door_to_seat_centreline``, margin 0);
    * ``n_below_iihs_2_marginal``: tests below the lowest non-poor band of the IIHS 2.0
      guidelines (:data:`IIHS_SIDE_2_BANDS_MM`, a harsher test than these);
    * ``n_past_boundary``: tests past the outboard hip of the 95th-percentile male,
      ``HIP_BREADTH_95M / 2`` outboard of the seat centreline, the end of
      ``body:side_crush_space`` (the bound until Dec 2026): ``s < HIP_BREADTH_95M / 2``
      means the car's real crush exceeded that space (by ``HIP_BREADTH_95M / 2 - s``
      at least, the pre-test B-pillar trim lying outboard of the hip)."""
    rows = load_side_minicars() if rows is None else rows
    half_hip = 0.5 * HIP_BREADTH_95M
    short = [-r["b_pillar_to_seat_cl_mm"] for r in rows]
    past = [half_hip - s for s in short if s < half_hip]
    return {"n_tests": len(rows), "boundary_mm": half_hip, "n_past_boundary": len(past),
            "short_of_seat_cl_mm": (min(short), max(short)),
            "past_boundary_mm": (min(past), max(past)) if past else None,
            "n_past_seat_cl": sum(s < 0.0 for s in short),
            "n_below_iihs_2_marginal": sum(s < IIHS_SIDE_2_BANDS_MM["marginal"] for s in short)}


# --------------------------------------------------------------------------- report
def _pct(x: float | None) -> str:
    return "" if x is None else f"{100.0 * x:+.0f} %"


def _num_s(x: float | None, fmt: str = ".0f") -> str:
    return "" if x is None else format(x, fmt)


def report(rows: list[dict] | None = None) -> str:
    """Markdown tables for docs/crash.md (frontal model vs test, MAE, sensitivity, side)."""
    rows = load_tests() if rows is None else rows
    table = validation_table(rows)
    lines = ["| test | speed, km/h / mass, kg | quantity | test | model | error |",
             "| --- | --- | --- | --- | --- | --- |"]
    for rec in table:
        head = (f"{rec['vehicle']} {_num_s(rec['model_year'])} ({rec['program']}, "
                f"{rec['test_id']})")
        cond = f"{rec['speed_kmh']:g} / {rec['test_mass_kg']:g}"
        for i, q in enumerate(QUANTITIES):
            fmt = ".0f" if q in ("max_dynamic_crush_mm", "duration_ms") else ".1f"
            test = _num_s(rec[f"{q}_test"], fmt) + (" (derived)" if q in rec["derived"] else "")
            lines.append(f"| {head if i == 0 else ''} | {cond if i == 0 else ''} | "
                         f"{LABELS[q]} | {test} | {_num_s(rec[f'{q}_model'], fmt)} | "
                         f"{_pct(rec[f'{q}_error'])} |")
    mae = mean_abs_error(table)
    lines += ["", "| quantity | cars | MAE | calibration allowed (>= 5 cars) |",
              "| --- | --- | --- | --- |"]
    for q in QUANTITIES:
        lines.append(f"| {LABELS[q]} | {cars_with(rows, q)} | {_pct(mae[q][0])[1:]} | "
                     f"{'yes' if calibration_allowed(rows, q) else 'no'} |")
    lines += ["", "| test | defaulted inputs | crush length -100 / +100 mm: crush, mm; "
              "average decel., g |", "| --- | --- | --- |"]
    for row, rec in zip(rows, table, strict=True):
        s = crush_length_sensitivity(row)
        c, a = s["max_dynamic_crush_mm"], s["avg_decel_g"]
        lines.append(f"| {rec['vehicle']} ({rec['test_id']}) | "
                     f"{', '.join(rec['defaulted']) or 'none'} | "
                     f"{c[0]:.0f} / {c[1]:.0f}; {a[0]:.1f} / {a[1]:.1f} |")
    side = side_iihs_check()
    lines += ["", "| IIHS side (1,500 kg MDB, 50 km/h) | low mass | high mass |",
              "| --- | --- | --- |",
              f"| struck mass from delta-V 31 / 18 km/h, kg | {side['mass_kg'][0]:.0f} | "
              f"{side['mass_kg'][1]:.0f} |",
              f"| model crush E / F, the IIHS face (F = {side['side_force_kn']:.0f} kN), mm | "
              f"{side['model_crush_mm'][0]:.0f} | {side['model_crush_mm'][1]:.0f} |",
              f"| the same at the FMVSS 214 face's force ({side['fmvss_force_kn']:.0f} kN), "
              f"mm | {side['fmvss_crush_mm'][0]:.0f} | {side['fmvss_crush_mm'][1]:.0f} |",
              f"| measured max crush over {side['n_tests']} tests, mm | "
              f"{side['test_crush_mm'][0]:.0f} (min) | {side['test_crush_mm'][1]:.0f} (max) |"]
    parts, (f_lo, f_hi) = side["force_parts_kn"], side["force_window_kn"]
    surv = survival_space_check()
    lines += ["", "Side force by member under the IIHS face: door beams "
              f"{parts['door_beams']:.0f}, B-pillar {parts['b_pillar']:.0f}, cross-members "
              f"{parts['cross_members']:.0f} kN; a "
              f"constant force inside the measured range at both masses: {f_lo:.0f}-"
              f"{f_hi:.0f} kN. IIHS minicar tests whose residual B-pillar passed the "
              f"seat centreline (the bound of fmvss214.*.crush_space): "
              f"{surv['n_past_seat_cl']} of {surv['n_tests']}; passed the 95th-male hip "
              f"(seat centreline + {surv['boundary_mm']:.0f} mm, the bound until Dec 2026): "
              f"{surv['n_past_boundary']} of {surv['n_tests']}."]
    return "\n".join(lines)


__all__ = ["BOUND", "CFC_PAD_S", "INPUT_DEFAULTS", "J211_DESIGN_FACTOR", "cfc_filter", "cfc_peak_g",
           "model_cfc_peak_g", "MIN_CARS_TO_FIT", "QUANTITIES", "REFERENCE_STRUCTURE",
           "IIHS_SIDE_2_BANDS_MM", "TARGET_QUANTITIES", "calibration_allowed", "cars_with",
           "crush_length_sensitivity", "constant_force_window", "esw_decel_g", "load_pulse",
           "load_side_minicars", "load_side_program",
           "load_tests", "mean_abs_error", "model_inputs", "predict", "pulse_figures",
           "report", "row_figures", "side_force_kn", "side_force_parts_kn", "side_iihs_check",
           "iihs_barrier", "default_side_structure", "structure_side_force_kn",
           "survival_space_check", "validation_table", "force_crush", "force_crush_figures",
           "load_overload_force_crush", "row_pulse_params", "time_average_bounds_g",
           "load_pulse_durations", "DURATION_REQUIRED"]

if __name__ == "__main__":  # pragma: no cover
    print(report())
