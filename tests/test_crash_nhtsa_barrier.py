"""NHTSA frontal rigid-barrier tests (test weight, speed, crush profile) against the frontal
pulse model (issue 14; ``keidesign.validation.nhtsa_barrier``; docs/crash.md,
"Validation", ``python benchmarks/crash_probes.py nhtsa_barrier``).

The data file is held to its sources and ranges (every bad row refused with field, value
and range); the comparison's parts are checked on cases with known answers (a
constant-force front crushes the test energy over that force; a fit on crushes that a
known factor reproduces returns that factor, in sample and held out)."""

from __future__ import annotations

import math

import pytest

from keidesign.crash import pulse
from keidesign.design import load_design
from keidesign.errors import InputError
from keidesign.specs import build, sources
from keidesign.validation import crash as cv
from keidesign.validation import nhtsa_barrier as nb

ROWS = nb.load_barrier_tests()
HEADER = ("nhtsa_test_no,test_date,test_type,test_reference,vehicle,nhtsa_make,nhtsa_model,"
          "model_year,nhtsa_body_type,test_mass_kg,speed_kmh,vehicle_width_mm,damage_width_mm,"
          "dpd1_mm,dpd2_mm,dpd3_mm,dpd4_mm,dpd5_mm,dpd6_mm,vdi,dynamic_crush_mm,"
          "dynamic_quality,us_specs_make,us_specs_model,us_specs_generation,status,source,"
          "dynamic_source,notes")
#: one good row, as the file gives it (fields in HEADER order)
GOOD = {"nhtsa_test_no": "9678", "test_date": "2016-02-01", "test_type": "FMVSS 208",
        "test_reference": "BT16020111", "vehicle": "Mitsubishi Mirage (A05A)",
        "nhtsa_make": "MITSUBISHI", "nhtsa_model": "MIRAGE", "model_year": "2015",
        "nhtsa_body_type": "FOUR DOOR SEDAN", "test_mass_kg": "1040", "speed_kmh": "39.50",
        "vehicle_width_mm": "1648", "damage_width_mm": "1008", "dpd1_mm": "242",
        "dpd2_mm": "270", "dpd3_mm": "282", "dpd4_mm": "275", "dpd5_mm": "255",
        "dpd6_mm": "193", "vdi": "12FDEW2", "dynamic_crush_mm": "402.2",
        "dynamic_quality": "Valid", "us_specs_make": "MITSUBISHI", "us_specs_model": "MIRAGE",
        "us_specs_generation": "A05A hatchback", "status": "R", "source": "NHTSA database",
        "dynamic_source": "pulse_analysis", "notes": ""}


def _csv(**change: str) -> str:
    row = {**GOOD, **change}
    return HEADER + "\n" + ",".join(row[k] for k in HEADER.split(",")) + "\n"


def test_the_file_loads_with_sources_statuses_and_generations():
    """17 tests, all status R with the NHTSA export named (commit), a dynamic crush only
    with its own source, and every row naming a us_specs generation that exists."""
    assert len(ROWS) == 17
    gens = {(vr.row["make"], vr.row["model"], vr.row["generation"])
            for vr in sources.vehicle_rows("us_specs")}
    for r in ROWS:
        assert r["status"] == "R"
        assert "f950739ea61616db9c6e2dd03a7fdba043b682ae" in r["source"]
        assert "nrd.api.nhtsa.dot.gov" in r["source"]
        assert (r["us_specs_make"], r["us_specs_model"], r["us_specs_generation"]) in gens
        if r["dynamic_crush_mm"] is not None:
            assert "590f88007548849460aea8963bc0e1a9524780d2" in r["dynamic_source"]
    assert sum(r["dynamic_crush_mm"] is not None for r in ROWS) == 15
    # the three tests the issue names, as published
    by_no = {int(r["nhtsa_test_no"]): r for r in ROWS}
    assert (by_no[9678]["test_mass_kg"], by_no[9686]["test_mass_kg"],
            by_no[9536]["test_mass_kg"]) == (1040.0, 1361.0, 1275.0)


def test_max_static_crush_is_the_largest_point_negative_points_kept():
    """The Fit's profile keeps its published -28 mm point; its maximum is DPD5."""
    fit = next(r for r in ROWS if r["nhtsa_test_no"] == 9536)
    assert fit["dpd3_mm"] == -28.0
    assert nb.max_static_crush_mm(fit) == 252.0
    assert nb.test_label(fit) == "Honda Fit (GK) 2015 (NHTSA 9536)"


@pytest.mark.parametrize("change, field, allowed", [
    ({"status": "A"}, "status: 'A'", "allowed: V or R"),
    ({"source": " "}, "source: empty", "allowed: the document or URL read"),
    ({"test_mass_kg": "40"}, "test_mass_kg: '40'", "allowed: 500 to 4000"),
    ({"speed_kmh": ""}, "speed_kmh: ''", "allowed: 20 to 80"),
    ({"speed_kmh": "fast"}, "speed_kmh: 'fast'", "allowed: a number or blank"),
    ({"dpd2_mm": "-250"}, "dpd2_mm: '-250'", "allowed: -100 to 1500"),
    ({"dpd6_mm": ""}, "dpd6_mm: ''", "allowed: -100 to 1500"),
    ({f"dpd{k}_mm": "0" for k in range(1, 7)}, "no point above 0 mm",
     "allowed: a crushed profile"),
    ({"dynamic_crush_mm": "2500"}, "dynamic_crush_mm: '2500'", "allowed: 1 to 1500 or blank"),
    ({"dynamic_source": ""}, "dynamic_source: empty", "allowed: the document or URL"),
])
def test_bad_rows_are_refused_with_field_value_and_range(change, field, allowed):
    assert nb.load_barrier_tests(_csv())[0]["test_mass_kg"] == 1040.0
    with pytest.raises(InputError) as exc:
        nb.load_barrier_tests(_csv(**change))
    msg = str(exc.value)
    assert "nhtsa_frontal_barrier.csv line 2" in msg and field in msg and allowed in msg


@pytest.fixture(scope="module")
def mirage_front() -> nb.Front:
    """The front of the Mirage-class reference design."""
    return nb.front_of(load_design("studies/designs/mirage_class.toml"))


def test_the_forces_follow_the_test_speed_through_the_strain_rate(mirage_front):
    """At 56 km/h the rerun structure gives the design's own pulse inputs; at 40 km/h the
    zone forces are lower by the Cowper-Symonds factor's drop (a few %), strokes equal."""
    at56 = nb.pulse_at(mirage_front, 56.0)
    for k, v in mirage_front.pulse.items():
        assert at56[k] == pytest.approx(v, rel=1e-9), k
    at40 = nb.pulse_at(mirage_front, 40.0)
    for k in ("crash:front:bumper_force", "crash:front:crash_box_force"):
        assert 0.9 < at40[k] / at56[k] < 0.995, k
    assert at40["crash:front:rail_force"] < at56["crash:front:rail_force"]
    assert at40["crash:front:rail_stroke"] == at56["crash:front:rail_stroke"]
    assert nb.pulse_at(nb.Front(pulse=at56), 40.0) == at56


def test_a_constant_force_front_crushes_the_test_energy_over_its_force(mirage_front,
                                                                       monkeypatch):
    """One force level F over a long stroke and no stack contact (the staircase law with
    equal zone forces: Campbell's line, the default, rises by construction): the maximum
    crush is the kinetic energy over F, m V^2 / (2 F), to within 10 % (the belted
    occupants still carry part of their energy when the body stops), and grows with mass
    and speed; the springback is F / k_u."""
    monkeypatch.setattr(pulse, "FRONT_FORCE_LAW", "staircase")
    f_kn = 200.0
    front = nb.Front(pulse={**mirage_front.pulse, "crash:front:bumper_force": f_kn,
                            "crash:front:crash_box_force": f_kn,
                            "crash:front:rail_force": f_kn, "crash:front:rail_stroke": 3000.0,
                            "crash:front:engine_gap": 3000.0})
    last = 0.0
    for m, v in ((1000.0, 40.0), (1000.0, 56.0), (1500.0, 56.0)):
        r = nb.barrier_crush(front, m, v)
        energy_mm = 0.5 * m * (v / 3.6) ** 2 / (f_kn * 1e3) * 1e3
        assert r["dynamic_mm"] == pytest.approx(energy_mm, rel=0.10)
        assert r["dynamic_mm"] > last
        last = r["dynamic_mm"]
        assert r["force_kn"] == pytest.approx(f_kn, rel=1e-3)
        assert r["springback_mm"] == pytest.approx(f_kn * 1e3 / pulse.KU_STRUCT * 1e3, rel=1e-3)
        assert r["residual_mm"] == pytest.approx(r["dynamic_mm"] - r["springback_mm"])


def test_barrier_checks_run_each_test_at_its_own_mass_and_speed(mirage_front):
    """The checks of the generations given (here every one with the Mirage-class front)
    use each test's mass and speed, the import's test mass beside NHTSA's, and define
    the errors against the dynamic and the static crush."""
    names = {cv.car_name(r, "us_specs_") for r in ROWS}
    checks = nb.barrier_checks(dict.fromkeys(names, mirage_front), ROWS)
    assert len(checks) == len(ROWS)
    for c, r in zip(checks, ROWS, strict=True):
        alone = nb.barrier_crush(mirage_front, r["test_mass_kg"], r["speed_kmh"])
        assert c["crush_model_mm"] == pytest.approx(alone["dynamic_mm"])
        assert c["test_mass_model_kg"] == mirage_front.pulse["crash:front:test_mass"]
        assert c["static_error"] == pytest.approx(alone["residual_mm"]
                                                  / nb.max_static_crush_mm(r) - 1.0)
        if r["dynamic_crush_mm"] is None:
            assert math.isnan(c["dynamic_error"]) and math.isnan(c["springback_test_mm"])
        else:
            assert c["dynamic_error"] == pytest.approx(
                alone["dynamic_mm"] / r["dynamic_crush_mm"] - 1.0)
            assert c["springback_test_mm"] == pytest.approx(
                r["dynamic_crush_mm"] - nb.max_static_crush_mm(r))
    # a 56 km/h test crushes the same front more than a 40 km/h one of similar mass
    by_no = {c["car"]: c for c in checks}
    assert (by_no["Chevrolet Cruze (J300), MY2013 2013 (NHTSA 8043)"]["crush_model_mm"]
            > by_no["Chevrolet Cruze (J300), MY2011 2011 (NHTSA 7937)"]["crush_model_mm"])
    assert nb.barrier_checks({}, ROWS) == []


def test_springback_summary_by_speed_class():
    """Dynamic - static crush and static / dynamic per speed class, from the rows."""
    s = nb.springback_summary(ROWS)
    assert (s["40"]["n"], s["56"]["n"]) == (12, 3)
    pairs = [(r["dynamic_crush_mm"], nb.max_static_crush_mm(r)) for r in ROWS
             if r["dynamic_crush_mm"] is not None and r["speed_kmh"] >= 50.0]
    sb = sorted(d - c for d, c in pairs)
    assert s["56"]["springback_mm"] == pytest.approx((sb[0], sb[1], sb[2]))
    assert all(0.0 < x[0] <= x[1] <= x[2] for k in s for x in s[k].values()
               if isinstance(x, tuple))
    with pytest.raises(InputError, match="no test with a dynamic crush"):
        nb.springback_summary([{**ROWS[0], "dynamic_crush_mm": None}])


def _synthetic(phi0: dict[str, float]) -> dict[float, list[dict]]:
    """Crushes of a constant-force front: C = C_test x phi0 / phi (crush goes as 1 / force),
    so the zero-bias factor of a car is its phi0."""
    out = {}
    for phi in (0.6, 0.8, 1.0):
        out[phi] = [{"car": f"{make} {k}", "make": make, "crush_test_mm": 500.0,
                     "crush_model_mm": 500.0 * p0 / phi}
                    for make, p0 in phi0.items() for k in range(2)]
    return out


def test_held_out_errors_fit_the_factor_and_hold_out_the_family():
    """Every family reproduced by the same factor: that factor in sample and held out,
    zero errors; families needing different factors: the held-out factor is the other
    families' (geometric mean), and the held-out error follows (crush ~ 1 / phi between
    the factors run, interpolated in log phi)."""
    same = _synthetic({"HONDA": 0.8, "NISSAN": 0.8})
    res = nb.held_out_errors(same, {c["car"] for c in same[0.6]}, {c["car"] for c in same[0.6]})
    for r in res:
        assert r["phi"] == pytest.approx(0.8) and r["phi_held_out"] == pytest.approx(0.8)
        assert abs(r["error"]) < 1e-9 and abs(r["error_held_out"]) < 1e-9
    diff = _synthetic({"HONDA": 0.7, "NISSAN": 0.9, "ACURA": 0.8})
    cars = {c["car"] for c in diff[0.6]}
    res = {r["car"]: r for r in nb.held_out_errors(diff, cars, cars)}
    # Acura is held out with Honda: its factor is Nissan's alone
    assert res["ACURA 0"]["phi_held_out"] == pytest.approx(0.9, rel=1e-6)
    assert res["NISSAN 0"]["phi_held_out"] == pytest.approx(math.sqrt(0.7 * 0.8), rel=1e-2)
    # judged by the fit of the others only: an untouched car is judged, not fitted
    res = nb.held_out_errors(diff, {"HONDA 0", "HONDA 1"}, {"NISSAN 0"})
    assert res[0]["phi"] == pytest.approx(0.7, rel=1e-6)
    with pytest.raises(InputError, match="at least 2"):
        nb.held_out_errors({0.8: diff[0.8]}, cars, cars)
    with pytest.raises(InputError, match="no car outside family HONDA"):
        nb.held_out_errors(diff, {"HONDA 0"}, {"ACURA 0"})


def test_ncap_checks_run_the_model_at_56_kmh_and_its_own_test_mass(mirage_front):
    """The NCAP rows in the checks' form: the front at its own test mass and 56 km/h
    against the row's dynamic crush, only for generations given."""
    rows = [r for r in cv.ncap_pulse_rows() if r["source_quality"] == "Valid"
            and r["us_specs_make"]]
    names = {cv.car_name(r, "us_specs_") for r in rows}
    checks = nb.ncap_checks(dict.fromkeys(names, mirage_front), rows)
    assert len(checks) == len(rows)
    own = nb.barrier_crush(mirage_front, mirage_front.pulse["crash:front:test_mass"], 56.0)
    for c, r in zip(checks, rows, strict=True):
        assert c["car"] == f"NCAP {r['vehicle']}"
        assert c["crush_model_mm"] == pytest.approx(own["dynamic_mm"])
        assert c["crush_test_mm"] == float(r["max_dynamic_crush_mm"])
    assert nb.ncap_checks({}, rows) == []


def test_import_fronts_scale_the_sized_fronts_with_the_factor_and_restore_it():
    """A generation with a published curb is sized by the force factor: its crash-box and
    rail forces go as the factor (walls as phi^(3/5), force as t^(5/3)), to 1 %; one
    without (the Sonic: reference rail set) does not move; the shipped factor is put
    back; an unknown name is not imported."""
    names = {"MITSUBISHI MIRAGE A05A hatchback", "CHEVROLET SONIC T300 sedan", "no such car"}
    kept = build.FRONT_FORCE_FACTOR
    lo, skipped = nb.import_fronts(names, 0.7)
    hi, _ = nb.import_fronts(names, 0.9)
    assert build.FRONT_FORCE_FACTOR == kept and skipped == []
    assert set(lo) == set(hi) == names - {"no such car"}
    for k in ("crash:front:crash_box_force", "crash:front:rail_force"):
        mirage = lo["MITSUBISHI MIRAGE A05A hatchback"].pulse[k] / hi[
            "MITSUBISHI MIRAGE A05A hatchback"].pulse[k]
        assert mirage == pytest.approx(0.7 / 0.9, rel=0.01), k
        sonic = lo["CHEVROLET SONIC T300 sedan"].pulse[k] / hi[
            "CHEVROLET SONIC T300 sedan"].pulse[k]
        assert sonic == pytest.approx(1.0, abs=1e-12), k
