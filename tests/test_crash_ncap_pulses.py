"""US NCAP full-width tests of small cars against the imported generations (issue 14;
docs/crash.md, "Validation" and "Known outcomes").

``data/crash/ncap_frontal_pulses.csv`` gives the maximum dynamic crush and CFC 60 peak
of 16 small cars' NCAP tests (56 km/h rigid wall), derived from NHTSA's body
accelerometers by a public project (status R). Each importable generation is run through
the model (``keidesign.validation.crash.certified_cars``) and its crush held to the
+/-15 % target; the cars that miss it are listed in ``KNOWN_MISSES`` as strict xfails
(they fail the suite the day the model meets the bound, so the list and the docs get
updated). The average deceleration is held to the same bound as the one average the
tests give like for like, the equivalent square wave V^2 / (2 C) of their speed and
crush (``KNOWN_ESW_MISSES``; no duration or test mass of these tests was found). One
thing is fitted on them, the imported front's force level
(``keidesign.specs.build.FRONT_FORCE_FACTOR``, by ``front_force_lofo``, held out by
family); ``crush_scale_lofo`` only reports what a further global scale would do.
"""

from __future__ import annotations

import csv
import math
from importlib.resources import files

import pytest

from keidesign.crash import validation as val
from keidesign.errors import InputError
from keidesign.validation import crash as cv

ROWS = cv.ncap_pulse_rows()
DATA = files("keidesign") / "data"

#: vehicle: model crush error, as published in docs/crash.md (crash_outcomes block).
#: Outside the +/-15 % target: known, stated, not hidden.
#: Since 3 Dec 2026 the imported front's force level is fitted on these crushes
#: (keidesign.specs.build.FRONT_FORCE_FACTORS): 9 misses before, 3 since; under Campbell's
#: law (the default since 4 Dec 2026, level 0.73 fitted on these and the NHTSA barrier
#: tests) the Fiat 500 is within (+14 %), the CR-Z out (-17.5 %); staircase at 0.81:
#: Accent +23 %, Fiat 500 +23 %, Sonic +25 %.
KNOWN_MISSES = {"Hyundai Accent (RB)": +0.23, "Chevrolet Sonic": +0.18, "Honda CR-Z": -0.175}
#: compared cars without a curb mass in the vehicle file: the import keeps the reference
#: rail set, so the force factor does not reach them (not in its fit)
REFERENCE_SET = {"Fiat 500", "Chevrolet Sonic"}
#: vehicle: model error on the equivalent-square-wave deceleration V^2 / (2 C) (the one
#: average deceleration the tests give like for like: no duration is known), as in
#: docs/crash.md ("Average deceleration of the NCAP tests"; ``python
#: benchmarks/crash_probes.py ncap_decel``). It follows from the crush and the speeds,
#: so its misses are the crush misses (under Campbell's law, the default: Sonic, Accent,
#: CR-Z; the staircase's were Sonic -20 %, Fiat 500 -19 %, Accent -19 %, CR-Z +16 %).
KNOWN_ESW_MISSES = {"Chevrolet Sonic": -0.16, "Hyundai Accent (RB)": -0.19, "Honda CR-Z": +0.20}


def _name(r: dict) -> str:
    return cv.car_name(r, "us_specs_")


#: error key of ``ncap_pulse_checks``: its known misses
MISSES = {"crush_error": KNOWN_MISSES, "esw_error": KNOWN_ESW_MISSES}


def _per_car() -> list:
    """(error key, compared car) for every key of :data:`MISSES` and every compared car
    (Valid rows with a us_specs generation), the key's misses as strict expected
    failures."""
    compared = {r["vehicle"] for r in ROWS
                if r["source_quality"] == "Valid" and r["us_specs_make"]}
    return [(key, v) if v not in misses else pytest.param(
        key, v, marks=pytest.mark.xfail(strict=True, reason=f"known miss {misses[v]:+.0%} "
                                        "(docs/crash.md)"))
        for key, misses in MISSES.items() for v in sorted(compared)]


def test_rows_are_the_ncap_tests_of_the_rated_cars():
    """Every row is the frontal test NHTSA's ratings file names for that car
    (ncap_ratings.csv, status V), a full-width rigid-wall test near 56 km/h, with its
    source, and a generation of us_specs.csv where one is named."""
    rated = {r["vehicle"]: r for r in csv.DictReader(
        (DATA / "crash" / "ncap_ratings.csv").read_text(encoding="utf-8").splitlines())}
    specs = {cv.car_name(r) for r in csv.DictReader(
        (DATA / "vehicles" / "us_specs.csv").read_text(encoding="utf-8").splitlines())}
    assert len(ROWS) == len(rated) == 18
    for r in ROWS:
        assert r["nhtsa_test_no"] == rated[r["vehicle"]]["frontal_test_no"], r["vehicle"]
        assert 55.0 <= float(r["speed_kmh"]) <= 57.5
        assert r["barrier"] == "rigid wall, full width, 0 deg"
        assert r["status"] in ("V", "R") and r["source"]
        if r["us_specs_make"]:
            assert _name(r) in specs, _name(r)
        if r["source_quality"] == "Valid":
            assert 300.0 < float(r["max_dynamic_crush_mm"]) < 1000.0
            assert 20.0 < float(r["peak_decel_g"]) < 100.0
            assert abs(float(r["energy_ratio"]) - 1.0) < 0.2


def test_enough_cars_to_fit_the_crush():
    """Sixteen cars carry a usable crush (the source's outlier and one test it lacks
    are left out), enough for the five-car rule of ``calibration_allowed``."""
    used = [r for r in ROWS if r["source_quality"] == "Valid"]
    assert len(used) == 16
    assert len(used) >= val.MIN_CARS_TO_FIT


@pytest.fixture(scope="module")
def checks():
    names = {_name(r) for r in ROWS if r["us_specs_make"]}
    res = cv.certified_cars(names)
    assert not res["skipped"]
    return {c["vehicle"]: c for c in cv.ncap_pulse_checks(res)}


def test_every_importable_valid_row_is_compared(checks):
    expected = {r["vehicle"] for r in ROWS
                if r["source_quality"] == "Valid" and r["us_specs_make"]}
    assert set(checks) == expected and len(expected) == 15


@pytest.mark.parametrize("key, vehicle", _per_car())
def test_ncap_crush_and_esw_within_target_bound(checks, key, vehicle):
    """Maximum dynamic crush and ESW deceleration V^2 / (2 C) within +/-15 % per car."""
    assert abs(checks[vehicle][key]) <= cv.CRUSH_BOUND


@pytest.mark.parametrize("key, vehicle", [(k, v) for k, m in MISSES.items() for v in sorted(m)])
def test_known_misses_are_the_published_ones(checks, key, vehicle):
    assert checks[vehicle][key] == pytest.approx(MISSES[key][vehicle], abs=0.005)


def test_measured_crush_past_the_stack_fits_the_budget_but_the_cr_z(checks):
    """What the crush available is (docs/crash.md; ``python benchmarks/crash_probes.py
    crush_terms``): each test's maximum dynamic crush less its model's stack compression
    (the budget judges the crush past the stack) fits its crush available on 14 of 15
    cars with the sourced 100 mm of tolerated dash intrusion; with the 50 mm assumed
    until 4 Dec 2026 the Fit GK, the Versa Note and the CR-Z did not."""
    from keidesign.catalogue.crash import DASH_INTRUSION_MM

    def over(tolerated: float, by: float = 0.0) -> set[str]:
        return {v for v, c in checks.items()
                if c["crush_test_mm"] - c["stack_mm"]
                > c["available_mm"] - DASH_INTRUSION_MM + tolerated + by}

    # the Versa Note's implied intrusion is the limit itself (100.1 mm since the imported
    # roof sized to the curb, 5 Dec 2026; 99.9 mm before): over by more than 1 mm, the CR-Z
    assert over(DASH_INTRUSION_MM, by=1.0) == {"Honda CR-Z"}
    assert over(DASH_INTRUSION_MM - 1.0) == {"Honda CR-Z", "Nissan Versa Note"}
    assert over(50.0) == {"Honda CR-Z", "Honda Fit (GK)", "Nissan Versa Note"}
    cr_z = checks["Honda CR-Z"]
    assert 40.0 < cr_z["crush_test_mm"] - cr_z["stack_mm"] - cr_z["available_mm"] < 70.0


def test_scale_estimate_and_its_held_out_error(checks):
    """The documented figures at the fitted force level (Campbell's law at 0.73, the
    default since 4 Dec 2026): 12 of 15 within, mean error +1.5 %, mean absolute 9.8 %; a
    further global scale k 0.99 would not help held out (11.3 %; the staircase at 0.81:
    k 0.97, mean +3 %, 10 %)."""
    s = cv.crush_scale_lofo(list(checks.values()))
    assert s["n"] == 15 and s["families"] == 9
    assert s["k"] == pytest.approx(0.99, abs=0.005)
    assert s["mean_error"] == pytest.approx(0.015, abs=0.005)
    assert s["mae"] == pytest.approx(0.098, abs=0.005)
    assert s["within"] == 12 and s["lofo_within"] == 11
    assert s["lofo_mae"] > s["mae"]


def test_force_factor_is_at_the_level_of_the_tests(checks):
    """The imported front's level (``build.FRONT_FORCE_FACTORS``, per force-crush law) is
    the level at which the cars it sizes crush as their tests on (geometric) average.
    Under Campbell's law (the default) it is fitted on these NCAP crushes and the NHTSA
    barrier tests together (0.731, rounded to 0.73; held in tests/test_front_shape.py),
    so on the NCAP crushes alone the mean log error of the 13 sized cars is within 2 % of
    zero (-1.3 %; the NCAP-only fit is 0.710). The staircase's level, 0.81, was fitted
    on these crushes alone (0.807). A model change that moves the crush needs a refit
    (``python benchmarks/crash_probes.py front_shape``, ``ncap_force``)."""
    from keidesign.specs.build import FRONT_FORCE_FACTORS, front_force_factor

    assert FRONT_FORCE_FACTORS == {"campbell": 0.73, "staircase": 0.81}
    assert front_force_factor() == 0.73
    sized = [c for v, c in checks.items() if v not in REFERENCE_SET]
    assert len(sized) == 13
    bias = sum(math.log(1.0 + c["crush_error"]) for c in sized) / len(sized)
    assert abs(bias) < 0.02, bias


def test_modelled_pulses_within_the_published_band(checks):
    """Issue 14, deliverable 2 (docs/crash.md, "The pulses against the published band";
    ``python benchmarks/crash_probes.py pulse_band``): the modelled 56 km/h pulses of the
    15 NCAP-tested generations against the band the review figure draws
    (``review.plots.published_pulse_band``: the 16 Valid tests' ESW 15.1-31.0 g and
    CFC 60 peak 34.1-70.9 g). All 15 ESW lie within it (16.8-27.2 g); this follows
    mostly from the crush, on which the front's level is fitted (V^2 / (2 C)), so it
    holds the fit's consequence, not new evidence; it fails if a law, level or stack
    change moves one out (the short kei reference designs lie at 34-39 g). The peak is
    not fitted: 14 of 15 lie within (the Leaf ZE0 at 32.4 g, below the band's floor,
    which is its own test's 34.1 g). Over the 128 certified
    generations the probe gives 128 ESW and 105 peaks within."""
    from keidesign.review.plots import published_pulse_band

    band = published_pulse_band()
    (lo, hi, n), (plo, phi, _) = band["esw"], band["peak"]
    assert n == 16 and lo == pytest.approx(15.05, abs=0.01) and hi == pytest.approx(31.02,
                                                                                   abs=0.01)
    assert (plo, phi) == (34.12, 70.87)
    esw = [c["esw_model_g"] for c in checks.values()]
    peak = {v: c["peak_model_g"] for v, c in checks.items()}
    assert len(esw) == 15
    assert sum(lo <= x <= hi for x in esw) >= 15
    assert sum(plo <= x <= phi for x in peak.values()) >= 14
    assert {v for v, x in peak.items() if not plo <= x <= phi} <= {"Nissan Leaf"}


def _check(make: str, test: float, model: float) -> dict:
    return {"make": make, "crush_test_mm": test, "crush_model_mm": model,
            "crush_error": model / test - 1.0}


def test_lofo_holds_out_the_whole_family():
    """Kia is held out with Hyundai; with one ratio everywhere the held-out error is 0;
    Hyundai and Kia sharing a ratio the others lack see only the others' k."""
    same = [_check(m, 600.0, 500.0) for m in ("KIA", "HYUNDAI", "HONDA", "NISSAN")]
    s = cv.crush_scale_lofo(same)
    assert s["k"] == pytest.approx(1.2) and s["families"] == 3
    assert s["lofo_mae"] == pytest.approx(0.0, abs=1e-12)
    mixed = [_check("KIA", 500.0, 500.0), _check("HYUNDAI", 500.0, 500.0),
             _check("HONDA", 600.0, 500.0), _check("NISSAN", 600.0, 500.0)]
    s = cv.crush_scale_lofo(mixed)
    # Kia and Hyundai see k = 1.2 (+20 %, out); Honda and Nissan k = 1.2^(1/3) (in)
    honda = 500.0 * 1.2 ** (1 / 3) / 600.0 - 1.0
    assert s["lofo_within"] == 2
    assert s["lofo_mae"] == pytest.approx((0.2 * 2 + abs(honda) * 2) / 4)


def test_lofo_needs_two_families():
    with pytest.raises(InputError, match=r"crush_scale_lofo: 1 families; allowed: at least 2"):
        cv.crush_scale_lofo([_check("KIA", 600.0, 500.0), _check("HYUNDAI", 550.0, 500.0)])


def _forced(make: str, car: str, test: float, crush_at_1: float, n: float,
            phis: tuple[float, ...]) -> dict[float, dict]:
    """Checks of one car whose model crush goes as phi^-n (n = 0: a reference set)."""
    return {p: {"car": car, "make": make, "crush_test_mm": test,
                "crush_model_mm": crush_at_1 * p ** -n} for p in phis}


def _by_factor(cars: list[dict[float, dict]]) -> dict[float, list[dict]]:
    return {p: [c[p] for c in cars] for p in cars[0]}


def test_force_fit_finds_the_level_and_holds_out_families():
    """Crush as phi^-1 (a constant-force front crushes E / F): every car tested at 1.25 x
    its crush at phi = 1 gives phi = 0.8 in and out of sample with no error; a car
    whose crush does not move (reference set) is not fitted but keeps its error; a
    family whose level differs sees only the others'."""
    phis = (0.7, 0.8, 0.9, 1.0)
    cars = [_forced(m, m, 625.0, 500.0, 1.0, phis) for m in ("HONDA", "NISSAN", "TOYOTA")]
    fixed = _forced("FIAT", "FIAT", 400.0, 500.0, 0.0, phis)
    s = cv.front_force_lofo(_by_factor(cars + [fixed]))
    assert s["phi"] == pytest.approx(0.8, rel=1e-9) and s["n_fitted"] == 3 and s["n"] == 4
    by = {r["car"]: r for r in s["cars"]}
    assert not by["FIAT"]["fitted"] and by["FIAT"]["error"] == pytest.approx(0.25)
    for m in ("HONDA", "NISSAN", "TOYOTA"):
        assert by[m]["error_held_out"] == pytest.approx(0.0, abs=1e-9)
    assert s["lofo_mae"] == pytest.approx(0.25 / 4)
    # Kia with Hyundai: both at 1.5 x (phi 2/3, outside the range run: clamped at 0.7)
    odd = [_forced("KIA", "KIA", 750.0, 500.0, 1.0, phis),
           _forced("HYUNDAI", "HYUNDAI", 750.0, 500.0, 1.0, phis)]
    s = cv.front_force_lofo(_by_factor(cars + odd))
    by = {r["car"]: r for r in s["cars"]}
    assert by["KIA"]["phi_held_out"] == pytest.approx(0.8, rel=1e-9)
    assert by["KIA"]["error_held_out"] == pytest.approx(625.0 / 750.0 - 1.0, rel=1e-9)
    assert 0.7 < s["phi"] < 0.8


def test_force_fit_refuses_too_little():
    phis = (0.8, 1.0)
    with pytest.raises(InputError, match=r"front_force_lofo: 1 force factors; allowed"):
        cv.front_force_lofo({1.0: [_forced("KIA", "KIA", 600.0, 500.0, 1.0, phis)[1.0]]})
    one = [_forced(m, m, 600.0, 500.0, 1.0, phis) for m in ("KIA", "HYUNDAI")]
    with pytest.raises(InputError, match=r"fewer than 2 families whose crush moves"):
        cv.front_force_lofo(_by_factor(one))


def test_esw_is_speed_squared_over_twice_the_crush():
    """a_ESW = V^2 / (2 C) / g0: 56 km/h over 600 mm is 20.56 g (hand value); the Neon's
    stored signal gives 17.0 g beside its 20.5 g time average (V / t0), a back-loaded
    pulse: 2 C / (V t0) = 1.21."""
    assert val.esw_decel_g(56.0, 600.0) == pytest.approx((56.0 / 3.6) ** 2 / 1.2 / 9.80665)
    assert val.esw_decel_g(56.0, 600.0) == pytest.approx(20.56, abs=0.005)
    row = next(r for r in val.load_tests() if r["test_id"] == "NHTSA 2320")
    t, a = val.load_pulse()
    fig = val.pulse_figures(t, a, row["speed_kmh"])
    assert fig["esw_decel_g"] == pytest.approx(17.0, abs=0.05)
    assert fig["avg_decel_g"] / fig["esw_decel_g"] == pytest.approx(1.21, abs=0.005)


@pytest.mark.parametrize("speed, crush, match", [
    (0.0, 600.0, r"speed_kmh: 0 km/h; allowed: > 0 km/h"),
    (56.0, -5.0, r"max_dynamic_crush_mm: -5 mm; allowed: > 0 mm"),
    (56.0, float("nan"), r"max_dynamic_crush_mm: nan mm; allowed: > 0 mm")])
def test_esw_refuses_a_speed_or_crush_not_above_zero(speed, crush, match):
    with pytest.raises(InputError, match=match):
        val.esw_decel_g(speed, crush)


def test_model_esw_is_the_model_crush_at_56_kmh(checks):
    """The pulse's ``crash:front:esw_decel`` is V^2 / (2 C) of its own crush at the
    model's 56 km/h, so the test and model figures are defined alike."""
    for c in checks.values():
        assert c["esw_model_g"] == pytest.approx(val.esw_decel_g(56.0, c["crush_model_mm"]),
                                                 rel=1e-9), c["vehicle"]
        assert c["esw_test_g"] == pytest.approx(
            val.esw_decel_g(c["speed_kmh"], c["crush_test_mm"]), rel=1e-12)


def test_esw_summary_and_the_model_pulse_shape(checks):
    """The documented figures at the shipped force factor (Campbell's law at 0.73): ESW
    12 of 15 within +/-15 %, mean error -1.2 %, mean absolute 9.1 % (-1.1 %, 9.2 % until
    the roof's era sizing of task s33h, 6 Dec 2026, thickened the modern imports'
    A-pillars; 9.1 % until the four-seat rows of task s28a, 6 Dec 2026: 28 kg of FMVSS
    208 cargo on the four-seaters) (staircase at 0.81: 11, -2.9 %, 8.8 %). The model's pulses are
    back-loaded as the tests' (time average
    above the ESW: 2 C / (V t0) 1.20-1.29 under Campbell's line, 1.03-1.26 under the
    staircase; the Neon's stored pulse 1.21), so its time average V / t0 exceeds its ESW
    on every car."""
    s = cv.error_summary([c["esw_error"] for c in checks.values()])
    assert s["within"] == 12
    assert s["mean_error"] == pytest.approx(-0.0115, abs=0.0005)
    assert s["mae"] == pytest.approx(0.0915, abs=0.0005)
    shapes = [c["shape_model"] for c in checks.values()]
    assert min(shapes) > 1.0
    assert min(shapes) == pytest.approx(1.20, abs=0.005)
    assert max(shapes) == pytest.approx(1.29, abs=0.005)
    for c in checks.values():
        assert c["shape_model"] == pytest.approx(c["mean_model_g"] / c["esw_model_g"])


def test_esw_lofo_follows_the_crush_of_the_force_fit():
    """Same speed in model and test: the ESW error is 1 / (1 + crush error) - 1, in
    sample (crush +25 %: ESW -20 %) and held out (crush -20 %: ESW +25 %); a test at a
    higher speed raises the test's ESW by (V_t / V_m)^2."""
    k = (56.0 / 3.6) ** 2 / (2.0 * 9.80665) * 1e3  # V^2 / (2 g0), g mm
    fit = {"cars": [{"car": "A", "error": 0.25, "error_held_out": -0.2},
                    {"car": "B", "error": 0.0, "error_held_out": 0.0}]}
    chk = [{"car": "A", "crush_test_mm": 400.0, "crush_model_mm": 480.0,
            "esw_model_g": k / 480.0, "esw_test_g": k / 400.0},
           {"car": "B", "crush_test_mm": 500.0, "crush_model_mm": 500.0,
            "esw_model_g": k / 500.0, "esw_test_g": val.esw_decel_g(57.0, 500.0)}]
    s = cv.esw_lofo(fit, chk)
    by = {r["car"]: r for r in s["cars"]}
    assert by["A"]["esw_error"] == pytest.approx(-0.2)
    assert by["A"]["esw_error_held_out"] == pytest.approx(0.25)
    assert by["B"]["esw_error"] == pytest.approx((56.0 / 57.0) ** 2 - 1.0)
    assert s["n"] == 2 and s["within"] == 1 and s["lofo_within"] == 1
    assert s["lofo_mae"] == pytest.approx((0.25 + 1.0 - (56.0 / 57.0) ** 2) / 2)


def test_certified_cars_keep_the_pulse_inputs_they_ran():
    """``CarVerdict.pulse_inputs`` (the ``pulse_band`` probe reruns each car's pulse with
    its histories from them) rerun through the pulse give the car's evaluated pulse."""
    import numpy as np
    from scipy.constants import g as G

    from keidesign.crash import pulse

    name = "MITSUBISHI MIRAGE A05A hatchback"
    (v,) = cv.certified_cars({name})["cars"]
    assert set(v.pulse_inputs) == set(pulse.PULSE_INPUTS)
    r = pulse.simulate_cases(pulse.params_from_inputs(
        {k: np.array([x]) for k, x in v.pulse_inputs.items()}))
    assert float(r["peak"][0]) / G == pytest.approx(v.pulse["peak_g"], rel=1e-9)
    assert float(r["c_max"][0]) * 1e3 == pytest.approx(v.pulse["crush_mm"], rel=1e-9)


def test_docs_quote_the_shipped_esw_and_pulse_figures(checks):
    """docs/crash.md, "Average deceleration of the NCAP tests" (task s17h9): the figures
    its since-notes quote for the shipped law and level (``python
    benchmarks/crash_probes.py ncap_decel`` prints them) are what the 15 checks give,
    read from the checks this module computes anyway (no further model run): the ESW in
    sample, the model's ESW, time average, duration and shape, the test mass above
    NHTSA's curb. The held-out ESW needs the force runs of ``ncap_decel`` and is not
    checked here."""
    import numpy as np
    from conftest import ROOT

    text = " ".join((ROOT / "docs" / "crash.md").read_text(encoding="utf-8").split())
    cs = list(checks.values())
    s = cv.error_summary([c["esw_error"] for c in cs])

    def rng(key: str, fmt: str) -> tuple[str, str, str]:
        xs = [c[key] for c in cs]
        return (format(min(xs), fmt), format(max(xs), fmt), format(float(np.median(xs)), fmt))

    def signed(x: float) -> str:
        return f"{x:+.1f}".replace("-", "−").lstrip("+")

    esw, mean, dur, shape = (rng("esw_model_g", ".1f"), rng("mean_model_g", ".1f"),
                             rng("duration_model_ms", ".0f"), rng("shape_model", ".2f"))
    extra = [c["test_mass_model_kg"] - c["curb_mass_nhtsa_kg"] for c in cs]
    quoted = [
        f"in sample 11 -> {s['within']} of 15 within, mean −2.9 -> "
        f"{signed(100 * s['mean_error'])} %, mean absolute 8.8 -> {100 * s['mae']:.1f} %",
        f"{esw[0]}-{esw[1]} g, median {esw[2]} g",
        f"V / t₀ 18.0-28.9 -> {mean[0]}-{mean[1]} g, median 20.7 -> {mean[2]} g, duration "
        f"55-88 -> {dur[0]}-{dur[1]} ms, shape 1.03-1.26 -> {shape[0]}-{shape[1]}, median "
        f"1.10 -> {shape[2]}",
        f"{min(extra):.0f}-{max(extra):.0f} kg, median {float(np.median(extra)):.0f} kg",
    ]
    for q in quoted:
        assert q in text, q
