"""CAFE footprint targets (passenger cars 49 CFR 531.5(c), light trucks 533.5(a)) and the
cafe rule packs."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal

from keidesign.cafe import (
    CafeTargetComp,
    cafe_coefficients,
    cafe_not_applicable,
    cafe_row,
    cafe_target_mpg,
    cafe_years,
    round_footprint,
)
from keidesign.errors import InputError
from keidesign.rulepacks import load_pack, parse_pack

# 2012-rule coefficients, verified (PHYSICS.md [V]): a, b (mpg), c (gal/mi/ft2), d (gal/mi)
MY2020 = (48.74, 36.47, 0.0004603, 0.001643)
MY2024_2012RULE = (58.32, 43.58, 0.0003867, 0.001290)
MY2025_2012RULE = (61.07, 45.61, 0.0003699, 0.001210)
VERIFIED = {2020: MY2020, 2024: MY2024_2012RULE, 2025: MY2025_2012RULE}

def _tiny_pack(pack_id: str, body: str = "") -> str:
    """A minimal user rule pack ``pack_id`` with ``body`` after its header."""
    return (f'[pack]\nid = "{pack_id}"\nversion = "1"\ntitle = "t"\nsource = "s"\n'
            + body)


#: A user pack's one-row CAFE table (MY2030).
ROW_2030 = """[[params.cafe.passenger_car]]
model_year = 2030
a = 50.0
b = 40.0
c = 0.0004
d = 0.0015
"""


@pytest.mark.parametrize("year", sorted(VERIFIED))
def test_target_flat_ends_equal_a_and_b(year):
    a, b, c, d = VERIFIED[year]
    # kei footprints (34-35 ft2) and the 41 ft2 floor sit on the flat, strictest end
    for fp in (34.0, 35.0, 40.9):
        assert cafe_target_mpg(fp, a, b, c, d) == pytest.approx(a, rel=1e-12)
    assert cafe_target_mpg(41.0, a, b, c, d) == pytest.approx(a, rel=2e-3)
    for fp in (56.1, 60.0, 75.0):
        assert cafe_target_mpg(fp, a, b, c, d) == pytest.approx(b, rel=1e-12)


@pytest.mark.parametrize("year", sorted(VERIFIED))
def test_target_on_the_slope_by_hand(year):
    a, b, c, d = VERIFIED[year]
    for fp in (45.0, 50.0):
        assert cafe_target_mpg(fp, a, b, c, d) == pytest.approx(1.0 / (c * fp + d), rel=1e-12)
    assert a > cafe_target_mpg(48.0, a, b, c, d) > b


@pytest.mark.parametrize("year", sorted(VERIFIED))
def test_verified_coefficients_put_the_kinks_at_41_and_56_ft2(year):
    a, b, c, d = VERIFIED[year]
    assert (1.0 / a - d) / c == pytest.approx(41.0, abs=0.1)
    assert (1.0 / b - d) / c == pytest.approx(56.0, abs=0.1)


def test_published_flat_values_at_41_and_35_ft2():
    assert cafe_target_mpg(35.0, *MY2020) == pytest.approx(48.74)
    assert cafe_target_mpg(41.0, *MY2024_2012RULE) == pytest.approx(58.32, abs=0.1)
    assert cafe_target_mpg(35.0, *MY2025_2012RULE) == pytest.approx(61.07)


def test_target_is_vectorized():
    fp = np.array([35.0, 45.0, 60.0])
    out = cafe_target_mpg(fp, *MY2020)
    assert out.shape == (3,)
    assert_near_equal(out, [48.74, 1.0 / (0.0004603 * 45.0 + 0.001643), 36.47], 1e-12)


def test_footprint_rounding_to_a_tenth():
    assert_near_equal(round_footprint(np.array([34.94, 34.95, 45.04, 45.05, 45.0])),
                      [34.9, 35.0, 45.0, 45.1, 45.0], 1e-12)
    assert float(round_footprint(41.26)) == pytest.approx(41.3)
    # the rounding changes the target on the slope only
    assert cafe_target_mpg(round_footprint(45.04), *MY2020) == pytest.approx(
        cafe_target_mpg(45.0, *MY2020))
    assert cafe_target_mpg(45.04, *MY2020) != pytest.approx(cafe_target_mpg(45.0, *MY2020),
                                                            rel=1e-6)


# ---------------------------------------------------------------- packs


@pytest.mark.parametrize("pack_id", ["cafe-2022", "cafe-2024"])
def test_pack_rows_are_complete_and_flagged(pack_id):
    pack = load_pack(pack_id)
    rows = pack.params["cafe"]["passenger_car"]
    years = [r["model_year"] for r in rows]
    assert years == list(range(years[0], years[-1] + 1))
    for row in rows:
        assert row["status"] == "verified"
        assert row["basis"].strip()
        a, b, c, d = row["a"], row["b"], row["c"], row["d"]
        assert a > b > 0 and c > 0 and d > 0
        # every Table 3 row MY2012-2031 puts the kinks at 41 and 56 ft2 (the MY2021+
        # c and d are printed with 3 significant digits: kinks within 0.15 ft2)
        assert (1.0 / a - d) / c == pytest.approx(41.0, abs=0.15)
        assert (1.0 / b - d) / c == pytest.approx(56.0, abs=0.15)
    first = rows[0]
    assert (first["model_year"], first["status"]) == (2012, "verified")
    row2020 = next(r for r in rows if r["model_year"] == 2020)
    assert (row2020["a"], row2020["b"], row2020["c"], row2020["d"]) == MY2020


def test_pack_year_coverage():
    assert [r["model_year"] for r in load_pack("cafe-2022").params["cafe"]["passenger_car"]
            ][-1] == 2026
    assert [r["model_year"] for r in load_pack("cafe-2024").params["cafe"]["passenger_car"]
            ][-1] == 2031


def test_superseded_2012_rule_rows_match_physics():
    rows = load_pack("cafe-2022").params["cafe"]["superseded_2012_rule"]
    got = {r["model_year"]: (r["a"], r["b"], r["c"], r["d"]) for r in rows}
    assert got == {2024: MY2024_2012RULE, 2025: MY2025_2012RULE}


def test_both_packs_agree_where_they_overlap():
    """The 2024 rule added MY2027-2031 and left MY2012-2026 as the 2022 rule set them."""
    old, new = load_pack("cafe-2022"), load_pack("cafe-2024")
    for year in range(2012, 2027):
        assert cafe_coefficients(old, year) == cafe_coefficients(new, year)


def test_pef_params():
    for pid in ("cafe-2022", "cafe-2024"):
        pef = load_pack(pid).params["pef"]
        assert pef["bev_wh_per_gal"] == 82049.0
        assert "vacated" in pef["history"].lower()


def test_coefficients_by_model_year():
    pack = load_pack("cafe-2024")
    k = cafe_coefficients(pack, 2027)
    assert set(k) == {"a", "b", "c", "d"}  # usable as CafeTargetComp(**k)
    assert cafe_row(pack, 2027)["model_year"] == 2027
    assert cafe_coefficients(pack.params, 2020)["a"] == MY2020[0]
    # past the table: the built-in packs extrapolate nothing (not-applicable upstream)
    assert cafe_not_applicable(pack, 2032) == "no MY2032 row in cafe-2024 (MY2012-2031)"
    with pytest.raises(InputError, match="2032.*2012-2031"):
        cafe_row(pack, 2032)


def test_year_before_the_table_names_year_and_range():
    with pytest.raises(InputError) as exc:
        cafe_coefficients(load_pack("cafe-2024"), 2011)
    msg = str(exc.value)
    assert "2011" in msg and "2012-2031" in msg and "cafe-2024.toml" in msg


def test_year_past_the_table_without_last_row_rule_raises():
    pack = parse_pack(_tiny_pack("tiny", ROW_2030))
    assert cafe_coefficients(pack, 2030)["a"] == 50.0
    with pytest.raises(InputError, match="2031.*2030-2030"):
        cafe_coefficients(pack, 2031)
    assert cafe_not_applicable(pack, 2031) == "no MY2031 row in tiny (MY2030-2030)"
    with pytest.raises(InputError, match="passenger_car"):
        cafe_coefficients(parse_pack(_tiny_pack("x")), 2030)


@pytest.mark.parametrize("row,needle", [
    ('model_year = "2020"\na = 50.0\nb = 40.0\nc = 0.0004\nd = 0.0015',
     r"passenger_car\[1\]\.model_year: '2020' is not allowed; allowed: an integer year"),
    ("model_year = 2020\na = 50.0\nb = -40.0\nc = 0.0004\nd = 0.0015",
     r"passenger_car\[1\]\.b: -40.0 is not allowed; allowed: a number in \[12.815, "
     r"110.84\] mpg"),
    ("model_year = 2020\na = 50.0\nb = 40.0\nc = 0.0004",
     r"passenger_car\[1\]\.d: None \(missing\) is not allowed"),
    # an integer beyond a float's range: one line, not an OverflowError
    ("model_year = 2020\na = 1" + "0" * 400 + "\nb = 40.0\nc = 0.0004\nd = 0.0015",
     r"passenger_car\[1\]\.a: <an integer of about 401 digits> is not allowed; allowed: a "
     r"number in"),
])
def test_bad_user_row_is_one_input_error(row, needle):
    """Checked when the pack is read (before 6 Dec 2026 only when a target was asked),
    and again on a bare params table (keidesign.targetrows)."""
    import tomllib

    text = _tiny_pack("x", f"[[params.cafe.passenger_car]]\n{row}\n")
    with pytest.raises(InputError, match=needle):
        parse_pack(text)
    with pytest.raises(InputError, match=needle):
        cafe_not_applicable(tomllib.loads(text)["params"], 2020)


def test_user_pack_may_extend_its_last_row():
    pack = parse_pack(_tiny_pack("extend", '[params.cafe]\nyears_past_table = "last-row"\n'
                                 + ROW_2030))
    assert cafe_not_applicable(pack, 2035) == ""
    assert cafe_row(pack, 2035)["model_year"] == 2030
    assert cafe_not_applicable(pack, 2029) == "no MY2029 row in extend (MY2030-2030)"


# ---------------------------------------------------------------- component


def _problem(round_fp: bool, fps) -> om.Problem:
    a, b, c, d = MY2020
    prob = om.Problem()
    prob.model.add_subsystem("cafe", CafeTargetComp(a=a, b=b, c=c, d=d,
                                                    round_footprint=round_fp, n=len(fps)),
                             promotes=["*"])
    prob.setup(force_alloc_complex=True)
    prob.set_val("body:footprint", fps)
    prob.run_model()
    return prob


@pytest.mark.parametrize("round_fp", [False, True])
def test_component_values_and_partials(round_fp):
    fps = [34.5, 45.04, 50.0, 62.0]  # flat, slope, slope, flat
    prob = _problem(round_fp, fps)
    expected = cafe_target_mpg(round_footprint(fps) if round_fp else np.array(fps), *MY2020)
    assert_near_equal(prob.get_val("cafe:target_mpg"), expected, 1e-12)
    assert_check_partials(prob.check_partials(method="cs", out_stream=None))


def test_component_from_pack_coefficients():
    pack = load_pack("cafe-2024")
    prob = om.Problem()
    prob.model.add_subsystem("cafe", CafeTargetComp(**cafe_coefficients(pack, 2027),
                                                    round_footprint=True), promotes=["*"])
    prob.setup()
    prob.set_val("body:footprint", 35.2)
    prob.run_model()
    assert_near_equal(prob.get_val("cafe:target_mpg"), cafe_row(pack, 2027)["a"], 1e-12)


def test_component_scalar_and_units():
    a, b, c, d = MY2024_2012RULE
    prob = om.Problem()
    prob.model.add_subsystem("cafe", CafeTargetComp(a=a, b=b, c=c, d=d), promotes=["*"])
    prob.setup(force_alloc_complex=True)
    prob.set_val("body:footprint", 4.18, units="m**2")  # 45.0 ft2
    prob.run_model()
    assert_near_equal(prob.get_val("cafe:target_mpg"),
                      1.0 / (c * 4.18 / 0.09290304 + d), 1e-9)
    assert_near_equal(prob.get_val("cafe:target_mpg", units="km/L"),
                      prob.get_val("cafe:target_mpg") * 0.425143707, 1e-6)
    assert_check_partials(prob.check_partials(method="cs", out_stream=None))


# ---------------------------------------------------------------- light trucks (533.5(a))

LT_CSV = (Path(__file__).resolve().parents[1] / "keidesign" / "data" / "regs"
          / "light_truck_targets_added.csv")


def _lt_csv_rows() -> dict[int, dict[str, str]]:
    with LT_CSV.open(newline="", encoding="utf-8") as f:
        return {int(r["model_year"]): r for r in csv.DictReader(f)
                if r["program"].startswith("NHTSA CAFE 49 CFR 533.5(a) Table 7")}


@pytest.mark.parametrize("pack_id", ["cafe-2022", "cafe-2024"])
def test_light_truck_rows_equal_the_table_7_data(pack_id):
    pack = load_pack(pack_id)
    data = _lt_csv_rows()
    assert sorted(data) == list(range(2021, 2027))
    last = 2027 if pack_id == "cafe-2022" else 2032  # cafe-2024: MY2027-2031 derived
    assert cafe_years(pack, "light_truck") == list(range(2021, last))
    for year, r in data.items():
        row = cafe_row(pack, year, "light_truck")
        assert row["status"] == "verified", year
        assert "light_truck_targets_added.csv" in row["basis"]
        assert "533.5(a) Table 7" in row["basis"] and "MichalOpoka/ecfr" in row["basis"]
        assert tuple(row[k] for k in "abcd") == tuple(float(r[k]) for k in "abcd"), year
        a, b, c, d = (row[k] for k in "abcd")
        # the light-truck curve: flat at a up to 41 ft2, flat at b from 68.3 ft2
        # (MY2021-23) or 74 ft2 (MY2024-26): a kei truck (~27 ft2) gets a
        assert a > b > 0 and c > 0 and d > 0
        assert (1.0 / a - d) / c == pytest.approx(41.0, abs=0.15)
        assert (1.0 / b - d) / c == pytest.approx(68.3 if year < 2024 else 74.0, abs=0.15)
    # the passenger-car rows are untouched by the light-truck table
    assert cafe_years(pack) == list(range(2012, 2027 if pack_id == "cafe-2022" else 2032))


def test_light_truck_years_without_a_row_name_the_table():
    pack = load_pack("cafe-2022")
    assert cafe_not_applicable(pack, 2026, "light_truck") == ""
    assert cafe_not_applicable(pack, 2027, "light_truck") == (
        "no MY2027 row in cafe-2022 light-truck table (params.cafe.light_truck: MY2021-2026)")
    assert cafe_not_applicable(pack, 2020, "light_truck").startswith("no MY2020 row")
    assert cafe_not_applicable(pack, 2026) == ""  # a car has a MY2026 target
    with pytest.raises(InputError, match=r"params\.cafe\.light_truck: no coefficients for "
                                         r"model year 2027; available model years: 2021-2026"):
        cafe_coefficients(pack, 2027, "light_truck")
    # cafe-2024: derived rows to MY2031, nothing after (never extrapolated)
    p24 = load_pack("cafe-2024")
    assert cafe_not_applicable(p24, 2031, "light_truck") == ""
    assert cafe_not_applicable(p24, 2032, "light_truck") == (
        "no MY2032 row in cafe-2024 light-truck table (params.cafe.light_truck: MY2021-2031)")
    # SAFE III defines no light-truck values here: not-applicable for every truck year
    assert cafe_not_applicable(load_pack("safe-iii"), 2024, "light_truck") == (
        "safe-iii has no light-truck table (params.cafe.light_truck): it sets no "
        "light-truck target")
    with pytest.raises(ValueError, match="fleet 'truck'"):
        cafe_years(pack, "truck")


def test_light_truck_target_by_hand():
    k = cafe_coefficients(load_pack("cafe-2024"), 2024, "light_truck")
    assert k == {"a": 44.48, "b": 26.74, "c": 0.000452, "d": 0.00395}
    assert cafe_target_mpg(26.7, **k) == pytest.approx(44.48, rel=1e-12)  # kei truck: flat
    assert cafe_target_mpg(50.0, **k) == pytest.approx(1.0 / (0.000452 * 50.0 + 0.00395))
    assert cafe_target_mpg(80.0, **k) == pytest.approx(26.74, rel=1e-12)


@pytest.mark.parametrize("row,needle", [
    ("model_year = 2024\na = 44.48\nb = -26.74\nc = 0.000452\nd = 0.00395",
     r"params\.cafe\.light_truck\[1\]\.b: -26.74 is not allowed; allowed: a number in"),
    ('model_year = 2024\na = 44.48\nb = 26.74\nc = "x"\nd = 0.00395',
     r"params\.cafe\.light_truck\[1\]\.c: 'x' is not allowed"),
])
def test_bad_light_truck_row_is_one_input_error(row, needle):
    """Refused when the pack is read, so a car design never meets it either (before 6
    Dec 2026: when a target of either fleet was asked)."""
    with pytest.raises(InputError, match=needle) as exc:
        parse_pack(_tiny_pack("x", ROW_2030 + f"\n[[params.cafe.light_truck]]\n{row}\n"))
    assert len(str(exc.value).splitlines()) == 1


def test_bad_light_truck_row_through_the_cli_is_one_line(tmp_path, capsys):
    from keidesign.cli import main

    text = load_pack("cafe-2024").path.read_text(encoding="utf-8")
    assert text.count("a = 44.48\n") == 1  # the MY2024 light-truck row, the 4th
    bad = tmp_path / "my-cafe.toml"
    bad.write_text(text.replace('id = "cafe-2024"', 'id = "my-cafe"')
                   .replace("a = 44.48\n", "a = inf\n"), encoding="utf-8")
    assert main(["evaluate", "--rules", str(bad), "--",
                 str(DESIGNS / "carry_class.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "params.cafe.light_truck[4].a: inf is not allowed; allowed: a number in" \
        in err, err


# ------------------------------------- light trucks MY2027-2031 (cafe-2024, derived rows)

#: the light-truck stringency the 2024 rule states (89 FR 52540, summary): 0 %/yr
#: MY2027-2028, 2 %/yr MY2029-2031
LT_STEPS = {2027: 0, 2028: 0, 2029: 1, 2030: 2, 2031: 3}


def _step(row: dict, n: int) -> tuple[float, float, float, float]:
    """``row`` after ``n`` 2 % steps: a, b (mpg) / 0.98**n, c, d (gal/mi) x 0.98**n."""
    f = 0.98 ** n
    return row["a"] / f, row["b"] / f, row["c"] * f, row["d"] * f


def test_two_percent_step_reproduces_the_verified_car_rows():
    """The step used to derive the light-truck rows, checked where the rule's table was
    read: the 2024 rule's car rows MY2028-2031 (verified) follow from MY2027 by it."""
    pack = load_pack("cafe-2024")
    base = cafe_row(pack, 2027)
    for n, year in enumerate(range(2028, 2032), start=1):
        row = cafe_row(pack, year)
        assert row["status"] == "verified"
        a, b, c, d = _step(base, n)
        assert row["a"] == pytest.approx(a, abs=0.011) and row["b"] == pytest.approx(b, abs=0.011)
        assert row["c"] == pytest.approx(c, abs=2e-8) and row["d"] == pytest.approx(d, abs=2e-8)


def test_light_truck_my2027_2031_rows_are_derived_from_my2026():
    pack = load_pack("cafe-2024")
    base = cafe_row(pack, 2026, "light_truck")
    assert base["status"] == "verified"
    for year, n in LT_STEPS.items():
        row = cafe_row(pack, year, "light_truck")
        assert row["status"] == "derived", year
        assert "89 FR 52540" in row["basis"] and "[assumed]" in row["basis"], year
        expect = _step(base, n)
        got = tuple(row[k] for k in "abcd")
        assert got[:2] == pytest.approx(expect[:2], abs=0.005), year  # rounded to 0.01
        assert got[2:] == pytest.approx(expect[2:], abs=5e-9), year   # rounded to 1e-8
        # same curve shape as MY2026: flat at a to 41 ft2, at b from 74 ft2
        a, b, c, d = got
        assert (1.0 / a - d) / c == pytest.approx(41.0, abs=0.15)
        assert (1.0 / b - d) / c == pytest.approx(74.0, abs=0.15)
    assert cafe_row(pack, 2027, "light_truck")["a"] == base["a"]  # 0 %/yr to MY2028
    assert cafe_row(pack, 2031, "light_truck")["a"] == 57.09
    # cafe-2022 (the 2022 rule) still ends at MY2026
    assert cafe_years(load_pack("cafe-2022"), "light_truck")[-1] == 2026


def test_my2027_kei_truck_uses_the_derived_row_and_says_so():
    """The MY2027 Carry-class kei truck (26.7 ft2, the flat end) gets the derived MY2027
    light-truck target (= MY2026's a, 53.73 mpg) and its cafe record says ``derived``."""
    from conftest import DESIGNS

    from keidesign.design import load_design
    from keidesign.evaluation import evaluate_design, format_table, resolve_packs

    d = load_design(DESIGNS / "carry_class.toml")
    assert d.model_year == 2027 and d["body:style"] == "truck"
    ev = evaluate_design(d, resolve_packs(["cafe-2024"]))
    rec = next(r for r in ev.constraints if r["id"] == "cafe-2024:cafe.target")
    assert rec["status"] == "evaluated" and rec["verification"] == "derived"
    assert rec["bound"] == pytest.approx(53.73, abs=1e-6)
    assert float(ev.outputs["cafe:target_mpg"][0]) == pytest.approx(53.73, abs=1e-6)
    # the text table says so too (it printed a bare FAIL while the JSON said derived)
    assert rec["note"] == ("target row: cafe-2024 params.cafe.light_truck MY2027 is derived, "
                           "not read in the regulation (the row's basis in cafe-2024.toml)")
    verdict = "PASS" if rec["passed"] else "FAIL"
    row = next(ln for ln in format_table(ev).splitlines()
               if ln.startswith("cafe-2024:cafe.target "))
    assert f" {verdict} (derived) " in row, row
    assert "note: cafe-2024:cafe.target: target row: cafe-2024" in format_table(ev)
    # a car of the same year keeps its verified Table 3 row, unmarked
    car = evaluate_design(load_design(DESIGNS / "nbox_class_us.toml"),
                          resolve_packs(["cafe-2024"]))
    rec = next(r for r in car.constraints if r["id"] == "cafe-2024:cafe.target")
    assert rec["verification"] == "verified" and rec["note"] is None
    row = next(ln for ln in format_table(car).splitlines()
               if ln.startswith("cafe-2024:cafe.target "))
    assert " (verified)" not in row and " (derived)" not in row
