"""Crash models against published tests of small cars (keidesign/data/crash).

What the shipped data support (docs/crash.md, "Validation"):

* one US NCAP full-frontal test with maximum crush and pulse figures (1996 Dodge Neon,
  NHTSA 2320). Its figures are checked against the stored primary signal; the model is
  held to the target bound (+/-15 % on maximum crush and average deceleration) per row,
  and the rows that miss it are listed in ``KNOWN_MISSES`` as strict xfails (they fail
  the suite the day the model meets the bound, so the list and the docs get updated);
  the bias the data show (crush under-, average deceleration over-predicted) is asserted
  for every row;
* IIHS side-test ranges over 49 tests: the side model's crush under the IIHS face is
  held to the measured range as a strict xfail, its place against it is asserted (and
  the FMVSS 214 face's under-prediction), and so are the force
  window the range allows and the IIHS minicar residual B-pillar positions against the
  side criteria's bounds (the seat centreline since Dec 2026, the 95th-male hip before).

Nothing is calibrated: fewer than five cars have any quantity in frontal_tests.csv (the
NCAP crush of 16 small cars, ncap_frontal_pulses.csv, is compared with the imported
generations in tests/test_crash_ncap_pulses.py); the per-car side check on the IIHS
minicar tests (tests/test_crash_outcomes.py) compares, it fits nothing.
"""

from __future__ import annotations

import csv
from importlib.resources import files

import pytest

from keidesign.crash import validation as val

ROWS = val.load_tests()
HEADER = ("vehicle,model_year,program,test_id,speed_kmh,barrier,test_mass_kg,crush_length_mm,"
          "block_length_mm,stack_mass_kg,max_dynamic_crush_mm,avg_decel_g,peak_decel_g,"
          "duration_ms,status,source,notes")

#: (test_id, quantity): model error with the reference structure and defaulted inputs, as
#: published in docs/crash.md. Outside the +/-15 % target: known, stated, not hidden.
#: Under Campbell's force-crush law (the default since 4 Dec 2026; -0.20 / +0.19 under the
#: staircase): the row runs the reference set on an unsourced 1000 mm front (docs/crash.md,
#: "Why the row moved with Campbell's law").
KNOWN_MISSES = {("NHTSA 2320", "max_dynamic_crush_mm"): -0.276,
                ("NHTSA 2320", "avg_decel_g"): +0.426}


@pytest.fixture(scope="module")
def table():
    return {rec["test_id"]: rec for rec in val.validation_table(ROWS)}


def test_frontal_file_has_its_schema_and_sources():
    text = (files("keidesign") / "data" / "crash" / "frontal_tests.csv").read_text()
    assert text.splitlines()[0] == HEADER
    assert ROWS, "no frontal test rows"
    for row in ROWS:
        assert row["source"].strip() and row["status"] in ("V", "R")
        assert row["speed_kmh"] and row["test_mass_kg"]
        assert row["max_dynamic_crush_mm"] is not None or row["duration_ms"] is not None


def test_side_files_have_sources():
    prog = val.load_side_program()
    assert prog["barrier_mass"][0] == 1500.0 and prog["barrier_speed"][0] == 50.0
    text = (files("keidesign") / "data" / "crash" / "side_iihs_minicars.csv").read_text()
    for row in csv.DictReader(text.splitlines()):
        assert row["source"].startswith("http") and row["status"] in ("V", "R")
        assert float(row["b_pillar_to_seat_cl_mm"]) <= 0.0


def test_side_minicar_matches_name_a_us_specs_generation_of_the_test_year():
    """A minicar row's us_specs_make/model/generation (blank: no generation of that model
    year in us_specs.csv) names a row whose model-year range holds the tested year."""
    from keidesign.specs import sources

    years = {}
    for vr in sources.vehicle_rows("us_specs"):
        r = vr.row
        first, _, last = r["model_years"].partition("-")
        years[(r["make"], r["model"], r["generation"])] = (int(first), int(last or first))
    matched = 0
    for row in val.load_side_minicars():
        key = (row["us_specs_make"], row["us_specs_model"], row["us_specs_generation"])
        if not key[2]:
            assert not key[0] and not key[1], row
            continue
        first, last = years[key]
        assert first <= int(row["model_year"]) <= last, row
        matched += 1
    assert matched >= 5


def test_stored_pulse_reproduces_its_row():
    """The row's figures (as quoted) agree with the integrated primary signal within 1 %,
    and its crush is the signal's at the row's own speed to the row's 1 mm (task s44d: the
    row held crushrs's 736 mm, integrated from 35.0 mph = 56.3 km/h, not the row's 56.5;
    from 56.3 km/h the signal gives 737 mm, 736.6 at CFC 60)."""
    row = next(r for r in ROWS if r["test_id"] == "NHTSA 2320")
    t, a = val.load_pulse("nhtsa_2320_seat_x.csv")
    fig = val.pulse_figures(t, a, row["speed_kmh"])
    quoted, derived = val.row_figures(row)
    assert derived == {"avg_decel_g"}
    for q in ("max_dynamic_crush_mm", "duration_ms", "avg_decel_g"):
        assert fig[q] == pytest.approx(quoted[q], rel=0.01), q
    assert abs(fig["max_dynamic_crush_mm"] - quoted["max_dynamic_crush_mm"]) <= 0.5
    assert val.pulse_figures(t, a, 35.0 * 1.609344)["max_dynamic_crush_mm"] == \
        pytest.approx(737.0, abs=0.5)


def test_overload_force_crush_file_reads_and_matches_the_stored_signal():
    """overload_force_crush.csv: every row sourced (status R), numbers in range; its
    NCAP rows (test 2320) are what force_crush_figures reads in the stored signal, and the
    slope bound is the rows' own (peak overload force - NCAP mean past 550 mm) / extra
    crush."""
    rows = val.load_overload_force_crush()
    assert len(rows) == 10 and {r["status"] for r in rows} == {"R"}
    assert all(r["source"].strip() and r["units"] for r in rows)
    t, a = val.load_pulse("nhtsa_2320_seat_x.csv")
    fig = val.force_crush_figures(t, a, 56.5, 1354.0)
    ncap = {r["quantity"]: r["value"] for r in rows if r["test"] == "NHTSA 2320"}
    assert set(ncap) <= set(fig)
    for q, v in ncap.items():
        assert fig[q] == pytest.approx(v, rel=2e-3), q
    # the force read at the 3 ms peak is the quoted 37.7 g of the NCAP row
    assert fig["peak_force_kn"] * 1e3 / (1354.0 * val.G0) == pytest.approx(37.65, abs=0.05)
    over = max(r["value"] for r in rows
               if r["test"] == "NHTSA 4429" and r["quantity"] == "peak_force_kn")
    crush = next(r["value"] for r in rows if r["quantity"] == "static_crush_mm")
    bound = next(r["value"] for r in rows if r["quantity"] == "slope_bound_mn_per_m")
    assert bound == pytest.approx((over - ncap["mean_force_past_550_kn"])
                                  / (crush - ncap["max_crush_mm"]), rel=5e-3)


@pytest.mark.parametrize(("edit", "message"), [
    (("kN,R,\"NHTSA", "kN,A,\"NHTSA"), "status: 'A'; allowed: V or R"),
    (("1354,56.5", "1354,560"), "speed_kmh: '560'; allowed: 10 to 120"),
    ((",499.9,kN", ",lots,kN"), "value: 'lots'; allowed: a number or blank"),
])
def test_overload_force_crush_refuses_a_bad_row(edit, message):
    text = (files("keidesign") / "data" / "crash" / "overload_force_crush.csv").read_text()
    bad = text.replace(*edit, 1)
    assert bad != text
    with pytest.raises(val.InputError, match="overload_force_crush.csv line 2 "
                       + message.replace("(", r"\(")):
        val.load_overload_force_crush(bad)


def test_force_crush_figures_refuses_a_pulse_that_never_stops():
    t, a = val.load_pulse("nhtsa_2320_seat_x.csv")
    with pytest.raises(ValueError, match="never reaches zero velocity"):
        val.force_crush_figures(t, 0.1 * a, 56.5, 1354.0)
    with pytest.raises(ValueError, match="never passes 800 mm"):
        val.force_crush_figures(t, a, 56.5, 1354.0, plateau_from_mm=800.0)


def _bound_params():
    params = []
    for row in ROWS:
        for q in val.TARGET_QUANTITIES:
            key = (row["test_id"], q)
            marks = ()
            if key in KNOWN_MISSES:
                marks = pytest.mark.xfail(
                    strict=True, reason=f"known miss {100 * KNOWN_MISSES[key]:+.0f} % "
                    "(docs/crash.md): one car, unsourced front geometry, nothing calibrated")
            params.append(pytest.param(row["test_id"], q, marks=marks, id=f"{key[0]}-{q}"))
    return params


@pytest.mark.parametrize(("test_id", "quantity"), _bound_params())
def test_frontal_within_target_bound(table, test_id, quantity):
    err = table[test_id][f"{quantity}_error"]
    assert err is not None and abs(err) <= val.BOUND


@pytest.mark.parametrize("key", sorted(KNOWN_MISSES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_known_misses_are_the_published_ones(table, key):
    """The docs' error figures are the model's (to the rounding of the table)."""
    assert table[key[0]][f"{key[1]}_error"] == pytest.approx(KNOWN_MISSES[key], abs=0.005)


def test_frontal_bias_direction(table):
    """Every sourced row: the reference structure crushes less and decelerates harder
    than the test car (stiffer than tested; conservative for occupant load, not for the
    crush-space margin)."""
    for rec in table.values():
        assert rec["max_dynamic_crush_mm_error"] < 0.0
        assert rec["avg_decel_g_error"] > 0.0


def test_nothing_calibrated_below_five_cars():
    for q in val.QUANTITIES:
        assert val.calibration_allowed(ROWS, q) == (val.cars_with(ROWS, q) >= 5)
    assert not any(val.calibration_allowed(ROWS, q) for q in val.TARGET_QUANTITIES)


@pytest.fixture(scope="module")
def side():
    return val.side_iihs_check()


@pytest.mark.xfail(strict=True, reason=(
    "side model crush under the IIHS face's own load case (since 4 Dec 2026: doors and "
    "B-pillar above the sill, the pillar's ends turning against the sill's and roof "
    "rail's plastic torque, 175 kN: door beams 21, B-pillar 154) is 315-530 mm over the "
    "program's struck-mass range (919-2,667 kg, from its 18-31 km/h delta-V) against "
    "270-460 mm measured: the heaviest struck car crushes 70 mm too deep; a constant "
    "force must lie in 201-204 kN. The FMVSS 214 face's force (397 kN: the cross-members "
    "through the sill, 222; 455 kN with the pillar built in until 4 Dec 2026) gives "
    "139-233 mm (121-203 before). Per car (9 IIHS minicar tests, 8 certified "
    "generations) the IIHS face gives 76-98 % of the residual crush, 7 of 9 within 15 % "
    "(tests/test_crash_outcomes.py; docs/crash.md, 'The IIHS barrier as its own load "
    "case'; python benchmarks/crash_probes.py side_barriers)"))
def test_side_crush_within_iihs_range(side):
    lo, hi = side["test_crush_mm"]
    assert all(lo <= c <= hi for c in side["model_crush_mm"])


def test_side_model_against_the_iihs_range(side):
    """At the FMVSS 214 face's force the model's crush stays below the whole range even
    for the heaviest struck mass (the check until 4 Dec 2026); under the IIHS face's own
    load case the lightest car's crush lies inside it and the heaviest's above it."""
    lo, hi = side["test_crush_mm"]
    assert max(side["fmvss_crush_mm"]) < lo
    assert lo <= side["model_crush_mm"][0] <= hi < side["model_crush_mm"][1]
    assert side["mass_kg"][0] < side["mass_kg"][1]


def test_side_force_parts_and_window(side):
    """The members add up to the model's force under the IIHS face (no cross-member
    crushed); the range pins a constant force to a window a few kN wide, which the FMVSS
    214 face's force exceeds by nearly 2x (397 kN; more than 2x with the built-in pillar
    until 4 Dec 2026) and the IIHS face's undercuts."""
    parts = side["force_parts_kn"]
    assert sum(parts.values()) == pytest.approx(side["side_force_kn"], rel=1e-9)
    assert parts["cross_members"] == 0.0
    lo, hi = side["force_window_kn"]
    assert 0.0 < lo <= hi < 1.05 * lo
    assert side["fmvss_force_kn"] > 1.9 * hi
    assert side["side_force_kn"] < lo
    # a force inside the window puts both ends of the mass range inside the range
    big_m, v = 1500.0, 50.0 / 3.6
    for m in side["mass_kg"]:
        c = val.mdb_impact(m, 0.5 * (lo + hi) * 1e3, big_m, v)[2] * 1e3
        assert side["test_crush_mm"][0] <= c <= side["test_crush_mm"][1]


def test_iihs_minicar_residual_crush_against_the_side_bounds():
    """Measured: in every stored IIHS minicar side test (FMVSS 214-certified cars) the
    B-pillar ended inboard of the outboard hip line that bounded body:side_crush_space
    until Dec 2026, so a side model matching real crush failed that proxy on real cars;
    none ended past the seat centreline, the bound of fmvss214.*.crush_space since
    (margin 0); 10 ended below the IIHS 2.0 guidelines' 100 mm poor boundary."""
    chk = val.survival_space_check()
    assert chk["n_tests"] == 19 and chk["n_past_boundary"] == chk["n_tests"]
    assert chk["short_of_seat_cl_mm"] == (0.0, 175.0)
    assert chk["n_past_seat_cl"] == 0 and chk["n_below_iihs_2_marginal"] == 10
    made_up = [{"b_pillar_to_seat_cl_mm": -250.0}, {"b_pillar_to_seat_cl_mm": -100.0},
               {"b_pillar_to_seat_cl_mm": 25.0}]
    chk = val.survival_space_check(made_up)
    assert chk["n_past_boundary"] == 2 and chk["n_past_seat_cl"] == 1
    assert chk["n_below_iihs_2_marginal"] == 1


def test_table_machinery_on_a_model_generated_row():
    """A row made from the model itself comes back with zero error (plumbing check)."""
    row = {"vehicle": "synthetic", "program": "model", "test_id": "0", "speed_kmh": 56.0,
           "test_mass_kg": 1150.0, "crush_length_mm": 1000.0, "block_length_mm": 450.0,
           "stack_mass_kg": 235.0}
    row.update(val.predict(row))
    rec = val.validation_table([row])[0]
    assert rec["defaulted"] == [] and rec["derived"] == set()
    for q in val.QUANTITIES:
        assert abs(rec[f"{q}_error"]) < 1e-12
    mae = val.mean_abs_error([rec])
    assert all(n == 1 and m < 1e-12 for m, n in mae.values())


def test_blank_inputs_take_the_documented_defaults():
    row = {"speed_kmh": 56.0, "crush_length_mm": None, "block_length_mm": 400.0,
           "stack_mass_kg": None}
    inp, defaulted = val.model_inputs(row)
    assert defaulted == ["crush_length_mm", "stack_mass_kg"]
    assert inp["crush_length_mm"] == val.INPUT_DEFAULTS["crush_length_mm"]
    assert inp["block_length_mm"] == 400.0
