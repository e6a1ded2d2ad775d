"""Model years 2011-2031: whatever `check` accepts, `evaluate` evaluates.

* CAFE rule packs carry the verified 49 CFR 531.5(c) Table 3 rows (MY2021-2031 equal to
  keidesign/data/regs/us_fe_ghg_targets.csv; MY2012-2020 from the same eCFR text);
* a year without a row in a pack's table is reported "not-applicable" with its reason
  and counted neither as passed nor as failed;
* a year outside the accepted range is one InputError line naming field, value, range.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openmdao.api as om
import pytest
from conftest import DESIGNS, ROOT, design_with
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
from keidesign.cli import main
from keidesign.compliance import not_applicable_packs
from keidesign.label import COEFFICIENTS, label_options
from keidesign.rulepacks import load_pack
from keidesign.variables import get

CSV = ROOT / "keidesign" / "data" / "regs" / "us_fe_ghg_targets.csv"
SHARED_CSV = ROOT.parent / "shared" / "data" / "regs" / "us_fe_ghg_targets.csv"
CAFE_ID = "cafe-2024:cafe.target"
FIRST, LAST = 2011, 2031

# 49 CFR 531.5(c) Table 3, MY2012-2020, as printed in the eCFR text (GitHub mirror
# MichalOpoka/ecfr @098a58a1, cfr/title-49/subtitle-B/chapter-V/part-531/section-531.5.md);
# MY2020 is also the PHYSICS.md [V] 2012-rule value. a, b mpg; c gal/mi/ft2; d gal/mi.
TABLE3_EARLY = {
    2012: (35.95, 27.95, 0.0005308, 0.006057),
    2013: (36.80, 28.46, 0.0005308, 0.005410),
    2014: (37.75, 29.03, 0.0005308, 0.004725),
    2015: (39.24, 29.90, 0.0005308, 0.003719),
    2016: (41.09, 30.96, 0.0005308, 0.002573),
    2017: (43.61, 32.65, 0.0005131, 0.001896),
    2018: (45.21, 33.84, 0.0004954, 0.001811),
    2019: (46.87, 35.07, 0.0004783, 0.001729),
    2020: (48.74, 36.47, 0.0004603, 0.001643),
}


def _csv_rows() -> dict[int, dict[str, str]]:
    with CSV.open(newline="") as f:
        return {int(r["model_year"]): r for r in csv.DictReader(f)
                if r["program"].startswith("NHTSA CAFE 49 CFR 531.5(c) Table 3")}


def _abcd(row) -> tuple[float, float, float, float]:
    return tuple(float(row[k]) for k in "abcd")


def _design_file(tmp_path: Path, year: int, stem: str = "alto_class") -> Path:
    text = (DESIGNS / f"{stem}.toml").read_text()
    assert "\nmodel_year = 2027\n" in text
    path = tmp_path / f"{stem}_my{year}.toml"
    path.write_text(text.replace("\nmodel_year = 2027\n", f"\nmodel_year = {year}\n"))
    return path


def _evaluate_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main(["evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


# ---------------------------------------------------------------- data and packs


def test_csv_is_the_shared_file_unchanged():
    if not SHARED_CSV.exists():
        pytest.skip("shared data folder not present (installed package)")
    assert CSV.read_bytes() == SHARED_CSV.read_bytes()


@pytest.mark.parametrize("pack_id,last", [("cafe-2022", 2026), ("cafe-2024", 2031)])
def test_pack_rows_are_the_verified_table_3(pack_id, last):
    pack = load_pack(pack_id)
    assert cafe_years(pack) == list(range(2012, last + 1))
    table = _csv_rows()
    assert sorted(table) == list(range(2021, 2032))
    for year in range(2012, last + 1):
        row = cafe_row(pack, year)
        assert row["status"] == "verified", year
        assert "531.5(c) Table 3" in row["basis"] and "MichalOpoka/ecfr" in row["basis"]
        expected = TABLE3_EARLY[year] if year < 2021 else _abcd(table[year])
        assert _abcd(row) == expected, year
        if year >= 2021:
            assert "us_fe_ghg_targets.csv" in row["basis"]
    assert "years_past_table" not in pack.params["cafe"]
    assert pack.status == "verified" and pack.constraint("cafe.target").status == "verified"


def test_table_3_values_not_the_old_derived_ones():
    """The rows derived from stringency steps differed in the 3rd-4th digit of c, d."""
    k24 = cafe_coefficients(load_pack("cafe-2024"), 2024)
    assert (k24["c"], k24["d"]) == (0.000405, 0.00144)           # derived: 0.0004047, 0.001445
    k27 = cafe_coefficients(load_pack("cafe-2024"), 2027)
    assert (k27["c"], k27["d"]) == (0.00032841, 0.00117220)      # derived: 0.0003284, 0.001172
    assert cafe_coefficients(load_pack("cafe-2024"), 2029)["a"] == 71.14   # derived: 71.13
    assert cafe_coefficients(load_pack("cafe-2022"), 2025)["b"] == 45.08   # derived: 45.09


@pytest.mark.parametrize("year,fp,expected", [
    # hand computation from the CSV rows: 1 / (c * FP + d) on the sloped part
    (2024, 45.04, 1.0 / (0.000405 * 45.0 + 0.00144)),          # 50.8518 mpg
    (2024, 52.36, 1.0 / (0.000405 * 52.4 + 0.00144)),
    (2027, 45.04, 1.0 / (0.00032841 * 45.0 + 0.00117220)),     # 62.6934 mpg
    (2027, 34.36, 68.32),                                       # Alto footprint: flat at a
    (2027, 60.0, 51.12),                                        # flat at b
])
def test_target_reproduces_table_3_by_hand(year, fp, expected):
    pack = load_pack("cafe-2024")
    k = cafe_coefficients(pack, year)
    assert float(cafe_target_mpg(round_footprint(fp), **k)) == pytest.approx(expected,
                                                                             rel=1e-12)
    prob = om.Problem()
    prob.model.add_subsystem("cafe", CafeTargetComp(**k, round_footprint=True),
                             promotes=["*"])
    prob.setup(force_alloc_complex=True)
    prob.set_val("body:footprint", fp)
    prob.run_model()
    assert_near_equal(prob.get_val("cafe:target_mpg"), expected, 1e-12)
    if k["b"] < expected < k["a"]:  # sloped part (the flat parts have zero partials)
        assert_check_partials(prob.check_partials(method="cs", out_stream=None))


def test_hand_values_in_mpg():
    k24 = cafe_coefficients(load_pack("cafe-2024"), 2024)
    k27 = cafe_coefficients(load_pack("cafe-2024"), 2027)
    assert float(cafe_target_mpg(45.0, **k24)) == pytest.approx(50.8518, abs=1e-4)
    assert float(cafe_target_mpg(45.0, **k27)) == pytest.approx(62.6934, abs=1e-4)


@pytest.mark.parametrize("year", range(FIRST, LAST + 1))
def test_every_accepted_year_has_a_row_or_a_reason(year):
    """No model run: every year of the accepted range either selects coefficients or
    gives a not-applicable reason, for every built-in pack with a CAFE table."""
    packs = [load_pack("cafe-2022"), load_pack("cafe-2024")]
    reasons = not_applicable_packs(packs, year)
    for pack in packs:
        if pack.id in reasons:
            assert reasons[pack.id] == cafe_not_applicable(pack, year)
            assert reasons[pack.id].startswith(f"no MY{year} row in {pack.id} (MY2012-")
        else:
            assert set(cafe_coefficients(pack, year)) == {"a", "b", "c", "d"}
    assert ("cafe-2024" in reasons) == (year == 2011)
    assert ("cafe-2022" in reasons) == (year == 2011 or year > 2026)


@pytest.mark.parametrize("year", range(FIRST, LAST + 1))
def test_every_year_of_a_light_truck_has_a_row_or_a_reason(year):
    """No model run: a truck (fleet "light_truck") selects 49 CFR 533.5(a) Table 7
    coefficients for MY2021-2026 (cafe-2022) or MY2021-2031 (cafe-2024, MY2027-2031
    derived) and gets a reason naming the light-truck table and its years otherwise
    (never extrapolated); the car reasons of the same packs are unchanged."""
    packs = [load_pack("cafe-2022"), load_pack("cafe-2024"), load_pack("safe-iii")]
    reasons = not_applicable_packs(packs, year, "light_truck")
    for pack, last in zip(packs[:2], (2026, 2031), strict=True):
        if 2021 <= year <= last:
            assert pack.id not in reasons
            assert set(cafe_coefficients(pack, year, "light_truck")) == {"a", "b", "c", "d"}
        else:
            assert reasons[pack.id] == cafe_not_applicable(pack, year, "light_truck") == (
                f"no MY{year} row in {pack.id} light-truck table "
                f"(params.cafe.light_truck: MY2021-{last})")
    assert "no light-truck table" in reasons["safe-iii"]
    assert not_applicable_packs(packs, year) == not_applicable_packs(packs, year,
                                                                     "passenger_car")


def test_reason_text():
    assert cafe_not_applicable(load_pack("cafe-2024"), 2011) == \
        "no MY2011 row in cafe-2024 (MY2012-2031)"
    assert cafe_not_applicable(load_pack("cafe-2022"), 2027) == \
        "no MY2027 row in cafe-2022 (MY2012-2026)"
    assert cafe_not_applicable(load_pack("cafe-2024"), 2027) == ""


@pytest.mark.parametrize("year,label_set", [(2011, "2008"), (2016, "2008"), (2017, "2017"),
                                            (2031, "2017")])
def test_label_coefficient_set_by_model_year(year, label_set):
    """40 CFR 600.210-08 set through MY2016, 600.210-12 set from MY2017."""
    opts = label_options(load_pack("epa-label"), load_pack("cafe-2024"), year)
    assert opts["coeffs"] == COEFFICIENTS[label_set]


# ---------------------------------------------------------------- CLI


@pytest.mark.parametrize("year", [2011, 2012, 2015, 2016, 2017, 2020, 2021, 2023, 2024,
                                  2026, 2027, 2031])
def test_check_then_evaluate_every_year(year, tmp_path, capsys):
    path = _design_file(tmp_path, year)
    assert main(["check", str(path)]) == 0
    doc = _evaluate_json(capsys, str(path))
    assert doc["design"]["model_year"] == year
    rec = {r["id"]: r for r in doc["constraints"]}[CAFE_ID]
    summ = doc["summary"]
    assert summ["n_passed"] + summ["n_failed"] + summ["n_not_modelled"] \
        + summ["n_not_applicable"] == summ["n_constraints"]
    if year == 2011:
        assert rec["status"] == "not-applicable"
        assert rec["reason"] == "no MY2011 row in cafe-2024 (MY2012-2031)"
        assert rec["passed"] is None and rec["margin"] is None and rec["value"] is None
        assert CAFE_ID not in summ["failed"]
        assert "cafe:target_mpg" not in doc["outputs"]
    else:
        assert rec["status"] == "evaluated" and rec["reason"] is None
        assert isinstance(rec["passed"], bool)
        fp = doc["outputs"]["body:footprint"]
        assert fp["units"] == "ft**2"
        k = cafe_coefficients(load_pack("cafe-2024"), year)
        expected = float(cafe_target_mpg(round_footprint(fp["value"]), **k))
        assert rec["bound"] == pytest.approx(expected, rel=1e-12)
        assert doc["outputs"]["cafe:target_mpg"]["value"] == pytest.approx(expected, rel=1e-12)


def test_not_applicable_is_shown_and_not_counted(tmp_path, capsys):
    docs = {y: _evaluate_json(capsys, str(_design_file(tmp_path, y))) for y in (2011, 2012)}
    s11, s12 = docs[2011]["summary"], docs[2012]["summary"]
    assert s11["n_not_applicable"] == s12["n_not_applicable"] + 1
    assert s11["n_constraints"] == s12["n_constraints"]
    assert s11["n_evaluated"] == s12["n_evaluated"] - 1
    assert s11["n_not_modelled"] == s12["n_not_modelled"]
    # the Alto passes the MY2012 target, so MY2011 has one pass fewer and no extra fail
    rec12 = {r["id"]: r for r in docs[2012]["constraints"]}[CAFE_ID]
    assert rec12["passed"] is True
    assert (s11["n_passed"], s11["n_failed"]) == (s12["n_passed"] - 1, s12["n_failed"])

    capsys.readouterr()
    assert main(["evaluate", str(_design_file(tmp_path, 2011))]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith(CAFE_ID))
    assert "not applicable" in row and "PASS" not in row and "FAIL" not in row
    assert f"not applicable: {CAFE_ID}: no MY2011 row in cafe-2024 (MY2012-2031)" in out
    tail = out.strip().splitlines()[-1]
    assert tail.startswith("constraints:") and f"{s11['n_not_applicable']} not applicable" \
        in tail


def test_pack_without_the_year_next_to_one_with_it(tmp_path, capsys):
    """MY2027: cafe-2022 (table to MY2026) is n/a, cafe-2024 judged with its own row."""
    doc = _evaluate_json(capsys, str(_design_file(tmp_path, 2027)),
                         "--rules", "cafe-2022", "cafe-2024")
    rec = {r["id"]: r for r in doc["constraints"]}
    old, new = rec["cafe-2022:cafe.target"], rec["cafe-2024:cafe.target"]
    assert old["status"] == "not-applicable" and old["passed"] is None
    assert old["reason"] == "no MY2027 row in cafe-2022 (MY2012-2026)"
    assert new["status"] == "evaluated" and new["bound"] == pytest.approx(68.32)
    assert doc["summary"]["n_not_applicable"] == 1
    assert doc["summary"]["n_evaluated"] == 1


def test_bev_not_applicable_record_has_a_reason(capsys):
    doc = _evaluate_json(capsys, str(DESIGNS / "sakura_class.toml"))
    rec = {r["id"]: r for r in doc["constraints"]}["kei-japan:kei.displacement"]
    assert rec["status"] == "not-applicable"
    assert rec["reason"] == ("powertrain:ice:displacement applies only when powertrain.type "
                             "= 'ice' (this design: 'bev')")


@pytest.mark.parametrize("year", [2010, 2032, 1990])
@pytest.mark.parametrize("command", ["check", "evaluate"])
def test_year_outside_the_range_is_one_line(year, command, tmp_path, capsys):
    path = _design_file(tmp_path, year)
    capsys.readouterr()
    assert main([command, str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"keidesign: error: {path}: design.model_year = {year}: out of "
                             "range; allowed: integer in [2011, 2031] (the years the CAFE "
                             "tables are set for: 49 CFR 531.5(c) Table 3 MY2012-2031"), err
    # why 2032+ is refused although epa-ghg has a 'MY2032 and later' row
    assert "no CAFE standard is set after MY2031" in err[0] and "epa-ghg" in err[0]


def test_registry_range_and_design_object():
    var = get("design:model_year")
    assert (var.lower, var.upper) == (FIRST, LAST)
    assert design_with("alto_class", {"design.model_year": 2011}).model_year == 2011
