"""EPA GHG passenger-car CO2 footprint targets (keidesign/ghg.py, rules/epa-ghg.toml)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import DESIGNS, component_problem, design_with
from openmdao.utils.assert_utils import assert_check_partials

from keidesign.cafe import round_footprint
from keidesign.design import load_design
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.ghg import KEYS, GhgTargetComp, ghg_coefficients, ghg_not_applicable, ghg_target
from keidesign.rulepacks import load_pack

REGS = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "regs" / \
    "us_fe_ghg_targets.csv"


def test_pack_rows_equal_the_verified_data():
    pack = load_pack("epa-ghg")
    assert pack.status == "verified"
    rows = {r["model_year"]: r for r in pack.params["ghg"]["passenger_car"]}
    data = [r for r in csv.DictReader(REGS.open(encoding="utf-8"))
            if r["program"].startswith("EPA GHG") and r["fleet"] == "passenger car"]
    assert len(data) == len(rows) == 12
    for r in data:
        row = rows[2032 if r["model_year"] == "2032+" else int(r["model_year"])]
        assert row["status"] == "verified"
        for k, col in zip(KEYS, ("a", "b", "c", "d", "fp_low_ft2", "fp_high_ft2"),
                          strict=True):
            assert row[k] == float(r[col]), (r["model_year"], k)


def test_target_by_hand_and_at_the_cutpoints():
    k = ghg_coefficients(load_pack("epa-ghg"), 2027)  # a 135.9, b 145.2, c 0.66, d 108
    assert ghg_target(35.0, **k) == k["a"]                 # a kei footprint: the flat end
    assert ghg_target(k["fp_low"], **k) == k["a"]
    assert ghg_target(k["fp_high"], **k) == k["b"]
    assert ghg_target(50.0, **k, rounded=True) == pytest.approx(141.0)  # 0.66 x 50 + 108
    # the sloped part meets the flat ones within the coefficients' rounding
    assert abs(ghg_target(k["fp_low"] + 1e-9, **k) - k["a"]) < 0.3


def test_years_without_a_row_and_after_the_last():
    pack = load_pack("epa-ghg")
    assert ghg_not_applicable(pack, 2020) == "no MY2020 row in epa-ghg (MY2021-2032)"
    assert ghg_not_applicable(pack, 2040) == ""  # "MY2032 and later"
    assert ghg_coefficients(pack, 2040) == ghg_coefficients(pack, 2032)


def test_partials():
    k = ghg_coefficients(load_pack("epa-ghg"), 2027)
    prob = component_problem(GhgTargetComp(**k), {"body:footprint": 50.0})
    assert_check_partials(prob.check_partials(method="fd", out_stream=None), atol=1e-5,
                          rtol=1e-5)


def test_evaluated_against_the_model_co2():
    d = load_design(DESIGNS / "nbox_class_us.toml")
    ev = evaluate_design(d, resolve_packs(["epa-ghg"]))
    rec = next(c for c in ev.constraints if c["id"] == "epa-ghg:ghg.target")
    k = ghg_coefficients(load_pack("epa-ghg"), d.model_year)
    fp = ev.outputs["body:footprint"][0]
    assert rec["value"] == pytest.approx(ev.outputs["energy:co2_unadj"][0], rel=1e-12)
    assert rec["bound"] == pytest.approx(ghg_target(round_footprint(fp), **k, rounded=True))
    old = evaluate_design(design_with("nbox_class_us", {"design.model_year": 2020}),
                          resolve_packs(["epa-ghg"]))
    rec20 = next(c for c in old.constraints if c["id"] == "epa-ghg:ghg.target")
    assert rec20["status"] == "not-applicable" and rec20["passed"] is None


def test_bad_ghg_row_is_one_line_naming_the_field(tmp_path, capsys):
    """A user's GHG pack with a bad coefficient: one line naming the field, the value and
    what is allowed (no traceback), through `keidesign evaluate --rules FILE`."""
    from keidesign.cli import main

    text = (Path(__file__).resolve().parents[1] / "keidesign" / "rules" /
            "epa-ghg.toml").read_text(encoding="utf-8")
    bad = tmp_path / "my-ghg.toml"
    bad.write_text(text.replace('id = "epa-ghg"', 'id = "my-ghg"')
                   .replace("a = 135.9", "a = -135.9"), encoding="utf-8")
    assert main(["evaluate", "--rules", str(bad), "--", str(DESIGNS / "nbox_class_us.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "params.ghg.passenger_car[7].a: -135.9 is not allowed" in err, err
    assert "positive number" in err
