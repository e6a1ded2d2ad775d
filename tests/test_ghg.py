"""EPA GHG CO2 footprint targets, passenger cars and light trucks (keidesign/ghg.py,
rules/epa-ghg.toml); a truck-style design's CAFE and GHG targets."""

from __future__ import annotations

import csv
from pathlib import Path

import openmdao.api as om
import pytest
from conftest import DESIGNS, component_problem, design_with
from openmdao.utils.assert_utils import assert_check_partials

from keidesign import compliance
from keidesign.cafe import cafe_coefficients, round_footprint
from keidesign.design import load_design
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.ghg import KEYS, GhgTargetComp, ghg_coefficients, ghg_not_applicable, ghg_target
from keidesign.rulepacks import load_pack, parse_pack

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
    assert "allowed: a number in [35.9, 413] g/mi" in err


# ---------------------------------------------------------------- light trucks

LT_ADDED = REGS.with_name("light_truck_targets_added.csv")


def test_light_truck_rows_equal_the_verified_data():
    """MY2021-2026 from light_truck_targets_added.csv, MY2027-2032+ from the shared file."""
    rows = {r["model_year"]: r for r in load_pack("epa-ghg").params["ghg"]["light_truck"]}
    data = [r for path in (LT_ADDED, REGS) for r in csv.DictReader(path.open(encoding="utf-8"))
            if r["program"].startswith("EPA GHG") and r["fleet"] == "light truck"]
    assert [r["model_year"] for r in data] == [str(y) for y in range(2021, 2032)] + ["2032+"]
    assert sorted(rows) == list(range(2021, 2033))
    for r in data:
        row = rows[2032 if r["model_year"] == "2032+" else int(r["model_year"])]
        assert row["status"] == "verified"
        assert (LT_ADDED.name if int(r["model_year"][:4]) < 2027 else REGS.name) in row["basis"]
        for k, col in zip(KEYS, ("a", "b", "c", "d", "fp_low_ft2", "fp_high_ft2"),
                          strict=True):
            assert row[k] == float(r[col]), (r["model_year"], k)
    # the passenger-car table is the one read by default
    assert ghg_coefficients(load_pack("epa-ghg"), 2027)["a"] == 135.9


def test_light_truck_target_and_years():
    pack = load_pack("epa-ghg")
    k = ghg_coefficients(pack, 2027, "light_truck")
    assert k == {"a": 150.3, "b": 239.9, "c": 2.89, "d": 28.9, "fp_low": 42.0,
                 "fp_high": 73.0}
    assert ghg_target(26.7, **k) == 150.3                      # a kei truck: the flat end
    assert ghg_target(50.0, **k, rounded=True) == pytest.approx(173.4)  # 2.89 x 50 + 28.9
    assert ghg_target(80.0, **k) == 239.9
    assert ghg_not_applicable(pack, 2020, "light_truck") == (
        "no MY2020 row in epa-ghg light-truck table (params.ghg.light_truck: MY2021-2032)")
    assert ghg_not_applicable(pack, 2040, "light_truck") == ""  # "MY2032 and later"
    assert ghg_coefficients(pack, 2040, "light_truck") == ghg_coefficients(pack, 2032,
                                                                           "light_truck")
    with pytest.raises(InputError, match=r"params\.ghg\.light_truck: no MY2020 row"):
        ghg_coefficients(pack, 2020, "light_truck")


def test_bad_light_truck_ghg_row_names_the_field():
    text = (Path(__file__).resolve().parents[1] / "keidesign" / "rules" /
            "epa-ghg.toml").read_text(encoding="utf-8")
    assert text.count("fp_high = 73.0\n") == 1  # the MY2027 light-truck row, the 7th
    with pytest.raises(InputError) as exc:  # refused when the pack is read
        parse_pack(text.replace("fp_high = 73.0\n", 'fp_high = "73"\n'))
    msg = str(exc.value)
    assert len(msg.splitlines()) == 1
    assert "params.ghg.light_truck[7].fp_high: '73' is not allowed" in msg, msg


class _Recording(om.Group):
    """A group that remembers what the model hook adds (name -> component)."""

    def __init__(self) -> None:
        super().__init__()
        self.added: dict = {}

    def add_subsystem(self, name, subsys, **kwargs):
        self.added[name] = subsys
        return super().add_subsystem(name, subsys, **kwargs)


def test_model_hook_picks_the_fleet_table():
    """No model run: a truck-style design gets the light-truck coefficients, a car the
    passenger-car ones (unchanged), from the same packs."""
    truck = design_with("carry_class", {"design.model_year": 2024})
    car = design_with("alto_class", {"design.model_year": 2024})
    assert compliance.design_fleet(truck) == "light_truck"
    assert compliance.design_fleet(car) == "passenger_car"
    packs = resolve_packs(["cafe-2024", "epa-ghg"])
    for d, fleet in ((truck, "light_truck"), (car, "passenger_car")):
        group = _Recording()
        compliance.add_subsystems(group, d, packs)
        subs = group.added
        assert {k: subs["cafe"].options[k] for k in "abcd"} == \
            cafe_coefficients(packs[0], 2024, fleet)
        assert {k: subs["ghg"].options[k] for k in KEYS} == \
            ghg_coefficients(packs[1], 2024, fleet)
    assert cafe_coefficients(packs[0], 2024)["a"] != cafe_coefficients(packs[0], 2024,
                                                                       "light_truck")["a"]


def test_truck_targets_from_the_light_truck_tables():
    """The Carry-class kei truck (body.style = "truck", a light truck): MY2024 CAFE and GHG
    targets are the light-truck curves at its footprint (by hand: 1905 mm wheelbase x
    1300 mm track = 26.66 ft2, rounded 26.7: the flat, strictest end of both curves)."""
    ev = evaluate_design(design_with("carry_class", {"design.model_year": 2024}),
                         resolve_packs(["cafe-2024", "epa-ghg"]))
    fp = ev.outputs["body:footprint"][0]
    assert fp == pytest.approx(1.905 * 1.300 / 0.3048 ** 2, rel=1e-9)
    fp = round(fp, 1)
    assert fp == 26.7
    # CAFE, 49 CFR 533.5(a) Table 7 MY2024: a 44.48, b 26.74, c 0.000452, d 0.00395
    by_hand = 1.0 / min(max(0.000452 * fp + 0.00395, 1.0 / 44.48), 1.0 / 26.74)
    assert by_hand == pytest.approx(44.48, rel=1e-12)
    assert ev.outputs["cafe:target_mpg"][0] == pytest.approx(by_hand, rel=1e-12)
    # GHG light truck MY2024: a 172.1 below fp_low 41 ft2
    assert ev.outputs["ghg:target_co2"][0] == 172.1
    recs = {c["id"]: c for c in ev.constraints}
    assert recs["cafe-2024:cafe.target"]["bound"] == pytest.approx(44.48, rel=1e-12)
    assert recs["cafe-2024:cafe.target"]["status"] == "evaluated"
    assert recs["epa-ghg:ghg.target"]["bound"] == 172.1
    assert recs["epa-ghg:ghg.target"]["value"] == pytest.approx(
        ev.outputs["energy:co2_unadj"][0], rel=1e-12)


def test_truck_my2027_cafe_derived_row_ghg_evaluated():
    """MY2027: cafe-2022 carries no light-truck row past MY2026 (not-applicable with the
    light-truck reason, never an extrapolation); cafe-2024's MY2027 light-truck row is
    derived (the MY2026 row, 0 %/yr, 89 FR 52540), so its record is evaluated and says
    verification "derived"; the EPA light-truck target (150.3 g/mi at 26.7 ft2) exists."""
    ev = evaluate_design(design_with("carry_class", {"design.model_year": 2027}),
                         resolve_packs(["cafe-2022", "cafe-2024", "safe-iii", "epa-ghg"]))
    recs = {c["id"]: c for c in ev.constraints}
    old = recs["cafe-2022:cafe.target"]
    assert old["status"] == "not-applicable" and old["passed"] is None
    assert old["reason"] == ("no MY2027 row in cafe-2022 light-truck table "
                             "(params.cafe.light_truck: MY2021-2026)")
    cafe = recs["cafe-2024:cafe.target"]
    assert cafe["status"] == "evaluated" and cafe["verification"] == "derived"
    assert cafe["bound"] == pytest.approx(53.73, rel=1e-12)
    assert ev.outputs["cafe:target_mpg"][0] == pytest.approx(53.73, rel=1e-12)
    assert recs["safe-iii:cafe.target"]["status"] == "not-applicable"
    assert "no light-truck table" in recs["safe-iii:cafe.target"]["reason"]
    ghg = recs["epa-ghg:ghg.target"]
    assert ghg["status"] == "evaluated" and ghg["bound"] == 150.3
    assert ev.outputs["ghg:target_co2"][0] == 150.3
    assert ev.summary()["n_not_applicable"] == 2
