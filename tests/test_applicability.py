"""Criteria on one powertrain's outputs are not-applicable to the other powertrain.

The model reports 0 for another powertrain's outputs (a BEV's JC08 km/L, an ICE car's EV
range); a rule pack or study bound on them must not judge that 0 (registry ``when``,
:meth:`keidesign.registry.Variable.inapplicable`). Two model runs (Sakura BEV, Alto ICE)
are shared by the module.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, ROOT, STUDY_BASE

from keidesign import variables as reg
from keidesign.design import load_design
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, format_table, resolve_packs
from keidesign.registry import REGISTRY
from keidesign.rules_compare import format_side_by_side, side_by_side
from keidesign.studies.problem import build_study_problem
from keidesign.studies.spec import parse_study

PACK = """[pack]
id = "mine"
version = "1"
title = "a user's fuel-economy and range pack"
source = "test"

[[constraint]]
id = "jc08.min"
quantity = "energy:jc08_km_per_l"
lower = {jc08}
units = "km/L"
source = "test"

[[constraint]]
id = "range.min"
quantity = "energy:ev_range"
lower = 60.0
units = "mi"
source = "test"

[[constraint]]
id = "hwfet.vs_cold_start"
quantity = "energy:hwfet:fuel_phase"
lower = "energy:cold_start_fuel"
units = "kW*h"
source = "test"
"""

#: Outputs the model sets to 0 for the other powertrain (keidesign.energy.components
#: CycleComp) and the value of ``when`` that makes them exist.
BEV_ONLY = ("energy:ftp_kwh_per_mi", "energy:hwfet_kwh_per_mi", "energy:ftp_dc_kwh_per_mi",
            "energy:hwfet_dc_kwh_per_mi", "energy:ev_range_city", "energy:ev_range_hwy",
            "energy:ev_range", "energy:wltc_wh_per_km", "energy:jc08_wh_per_km")
ICE_ONLY = ("energy:wltc_km_per_l", "energy:jc08_km_per_l", "energy:cold_start_fuel")
#: Zero for a BEV and judged as such: a BEV's tailpipe CO2 is a true 0.
TRUE_ZEROS = ("energy:label_co2", "energy:co2_unadj")


def _pack(folder, jc08: float = 20.0, name: str = "mine.toml"):
    path = folder / name
    path.write_text(PACK.format(jc08=jc08).replace('"mine"', f'"{path.stem}"'),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pack_path(tmp_path_factory):
    return _pack(tmp_path_factory.mktemp("packs"))


@pytest.fixture(scope="module")
def evals(pack_path):
    """The Sakura (BEV) and Alto (ICE) classes under the user pack."""
    packs = resolve_packs([str(pack_path)])
    return {stem: evaluate_design(load_design(DESIGNS / f"{stem}.toml"), packs)
            for stem in ("sakura_class", "alto_class")}


def _records(ev) -> dict[str, dict]:
    return {c["id"]: c for c in ev.constraints}


def test_registry_marks_the_powertrain_outputs():
    bev, ice = {"powertrain:type": "bev"}, {"powertrain:type": "ice",
                                            "powertrain:ice:hybrid": "none"}
    for name in BEV_ONLY:
        assert reg.inapplicable([name], bev) == ""
        assert reg.inapplicable([name], ice) == (
            f"{name} applies only when powertrain.type = 'bev' (this design: 'ice')")
    for name in ICE_ONLY:
        assert reg.inapplicable([name], ice) == ""
        assert "powertrain.type = 'ice' (this design: 'bev')" in reg.inapplicable([name], bev)
    swing = "energy:hev_soc_swing"
    assert "powertrain.ice.hybrid = 'hev'" in reg.inapplicable([swing], ice)
    assert "(this design: None)" in reg.inapplicable([swing], bev)
    assert reg.inapplicable([swing], {**ice, "powertrain:ice:hybrid": "hev"}) == ""
    # the bound is checked too, and the first name that does not apply gives the reason
    assert reg.inapplicable(["mass:curb", "energy:ev_range"], ice).startswith(
        "energy:ev_range applies")


def test_every_other_powertrain_zero_is_marked(evals):
    """Each energy output that is 0 for one powertrain and not for the other has a
    ``when`` (a new one added without it fails here), and each marked one is 0 there."""
    outs = {"bev": evals["sakura_class"].outputs, "ice": evals["alto_class"].outputs}
    size = {k: {n: float(np.abs(np.asarray(v)).sum()) for n, (v, _) in o.items()}
            for k, o in outs.items()}
    values = {"bev": evals["sakura_class"].design.values,
              "ice": evals["alto_class"].design.values}
    zero_for = {k: {n for n, v in size[k].items() if n.startswith("energy:") and v == 0.0
                    and size[o].get(n, 0.0) != 0.0}
                for k, o in (("bev", "ice"), ("ice", "bev"))}
    assert zero_for["bev"] - set(TRUE_ZEROS) == set(ICE_ONLY)
    assert zero_for["ice"] == set(BEV_ONLY)
    for kind in ("bev", "ice"):
        marked = {n for n, v in REGISTRY.items() if not v.design and n in size[kind]
                  and v.when is not None and v.when[0] == "powertrain:type"
                  and v.inapplicable(values[kind])}
        assert marked >= zero_for[kind] - set(TRUE_ZEROS)
        assert all(size[kind][n] == 0.0 for n in marked), kind


def test_user_pack_on_the_other_powertrain_is_not_applicable(evals):
    bev, ice = _records(evals["sakura_class"]), _records(evals["alto_class"])
    rec = bev["mine:jc08.min"]
    assert (rec["status"], rec["passed"], rec["margin"], rec["value"]) == (
        "not-applicable", None, None, None)
    assert rec["reason"] == ("energy:jc08_km_per_l applies only when powertrain.type = "
                             "'ice' (this design: 'bev')")
    assert bev["mine:range.min"]["passed"] is True  # the BEV's range is judged
    # a bound naming another powertrain's output makes the record not-applicable too
    assert bev["mine:hwfet.vs_cold_start"]["status"] == "not-applicable"
    assert "energy:cold_start_fuel applies only" in bev["mine:hwfet.vs_cold_start"]["reason"]
    s = evals["sakura_class"].summary()
    assert (s["n_failed"], s["n_not_applicable"], s["all_passed"]) == (0, 2, True)
    # the ICE car: its JC08 judged, the EV range not
    assert ice["mine:jc08.min"]["status"] == "evaluated"
    assert ice["mine:jc08.min"]["value"] > 10.0
    assert ice["mine:range.min"]["status"] == "not-applicable"
    assert "powertrain.type = 'bev' (this design: 'ice')" in ice["mine:range.min"]["reason"]
    assert ice["mine:hwfet.vs_cold_start"]["passed"] is True
    # JSON and the text table carry the reason
    doc = evals["sakura_class"].to_json()
    js = {c["id"]: c for c in doc["constraints"]}
    assert js["mine:jc08.min"]["reason"] == rec["reason"]
    text = format_table(evals["sakura_class"], width=200)
    row = next(ln for ln in text.splitlines() if ln.startswith("mine:jc08.min "))
    assert "not applicable" in row and "why: energy:jc08_km_per_l applies only" in row
    assert "FAIL" not in row and "PASS" not in row
    assert "not applicable: mine:jc08.min: energy:jc08_km_per_l applies only" in text


def test_compare_gives_not_applicable_with_its_reason(tmp_path):
    design = load_design(DESIGNS / "sakura_class.toml")
    sets = [[str(_pack(tmp_path, 20.0, "a.toml"))], [str(_pack(tmp_path, 30.0, "b.toml"))]]
    _, rows = side_by_side(design, sets)
    recs = dict(rows)["jc08.min"]
    assert [r["status"] for r in recs] == ["not-applicable", "not-applicable"]
    text = format_side_by_side(design, sets, rows)
    row = next(ln for ln in text.splitlines() if " jc08.min " in f" {ln} ")
    assert "FAIL" not in row and row.count("not applicable") == 2
    assert (f"not applicable: jc08.min ({sets[0][0]} and {sets[1][0]}): "
            "energy:jc08_km_per_l applies only when powertrain.type = 'ice'") in text


def test_bev_fuel_spillage_is_not_applicable_fmvss_305():
    """FMVSS 301's fuel-spillage criteria said "not modelled" for a BEV, which carries no
    fuel (FMVSS 305, electrolyte spillage, applies instead): not-applicable with that
    reason; an ICE car's stay not-modelled."""
    ev = evaluate_design(load_design(DESIGNS / "sakura_class.toml"), resolve_packs(["fmvss"]))
    spill = [c for c in ev.constraints if c["id"].startswith("fmvss:fmvss301.spill")]
    assert len(spill) == 3
    for c in spill:
        assert c["status"] == "not-applicable" and c["passed"] is None, c
        # what is and is not judged of FMVSS 305: it said FMVSS 305 was 'not carried by
        # any rule pack' while the FMVSS 301 crush spaces judge the battery as its proxy
        # (review s29d)
        assert c["reason"].endswith(
            "(this design: 'bev'): a BEV carries no fuel; FMVSS 305 (49 CFR 571.305, "
            "electrolyte spillage and electrical isolation after the same crash tests) "
            "applies instead: its spillage and isolation limits are not judged (no rule "
            "pack carries them); the battery's clearance to the rear and side crush is, as "
            "a model proxy, by fmvss301.rear_crush_space and fmvss301.side_crush_space"), \
            c["reason"]
    judged = {c["id"]: c for c in ev.constraints}
    for rid in ("fmvss:fmvss301.rear_crush_space", "fmvss:fmvss301.side_crush_space"):
        assert judged[rid]["passed"] is not None, judged[rid]
    assert not reg.inapplicable(["crash:rear:fuel_spill_rate"], {"powertrain:type": "ice"})


def test_report_cell_of_a_truck_under_safe_iii_says_why():
    """The truck's HTML report compared cafe-2024 with safe-iii and said "not applicable"
    without the reason (safe-iii has no light-truck table): a not-applicable cell carries
    its reason (the text table keeps the bare state and lists the reasons under it)."""
    from keidesign.review.report import rules_compare_html
    from keidesign.rules_compare import cell

    design = load_design(DESIGNS / "carry_class.toml")
    sets = [["cafe-2024"], ["safe-iii"]]
    _, rows = side_by_side(design, sets)
    recs = dict(rows)["cafe.target"]
    assert recs[0]["passed"] is not None and recs[1]["status"] == "not-applicable"
    why = recs[1]["reason"]
    assert "safe-iii has no light-truck table" in why
    assert cell(recs[1]) == f"not applicable: {why}"
    assert cell(recs[1], why=False) == "not applicable"
    assert f"not applicable: {why}" in rules_compare_html(sets, rows)
    text = format_side_by_side(design, sets, rows)
    row = next(ln for ln in text.splitlines() if " cafe.target " in f" {ln} ")
    assert row.rstrip().endswith("not applicable"), row
    assert f"not applicable: cafe.target (safe-iii): {why}" in text


#: The Sakura class under the user pack and fmvss (the base study's constraint is
#: constraint[1]).
STUDY = STUDY_BASE.replace("designs/nbox_class.toml", "designs/sakura_class.toml").replace(
    'name = "t"\n', 'name = "t"\nrules = ["{pack}", "fmvss"]\n')


def _study(pack_path, extra: str):
    return parse_study(STUDY.format(pack=pack_path) + extra, "s.toml",
                       base_dir=ROOT / "studies")


def test_study_glob_skips_the_other_powertrain_criterion(pack_path):
    s = _study(pack_path, "[[constraint]]\nid = 'mine:*'\n")
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    assert {m.id for m in sp.margins if m.id.startswith("mine:")} == {"mine:range.min"}
    assert sorted(k.split(":")[1] for k in sp.skipped) == ["hwfet.vs_cold_start", "jc08.min"]
    assert any(k.startswith("mine:jc08.min: quantity does not apply: energy:jc08_km_per_l "
                            "applies only when powertrain.type = 'ice'") for k in sp.skipped)


@pytest.mark.parametrize("extra,where", [
    ("[[constraint]]\nid = 'mine:jc08.min'\n", "constraint[2].id = 'mine:jc08.min'"),
    ("[[constraint]]\nquantity = 'energy:jc08_km_per_l'\nlower = 20\nunits = 'km/L'\n",
     "constraint[2].quantity = 'energy:jc08_km_per_l'"),
])
def test_study_named_other_powertrain_quantity_is_one_error(pack_path, extra, where):
    """A criterion named explicitly cannot hold for this design: one error when the
    problem is built (before any run), as for a criterion no model computes."""
    s = _study(pack_path, extra)
    with pytest.raises(InputError) as exc:
        build_study_problem(s, s.base, objectives=[s.objective])
    msg = str(exc.value)
    assert "\n" not in msg and where in msg, msg
    assert ("quantity does not apply: energy:jc08_km_per_l applies only when "
            "powertrain.type = 'ice' (this design: 'bev') (not-applicable)") in msg
    assert "sakura_class.toml" in msg


def test_study_objective_of_the_other_powertrain_is_one_error(pack_path):
    text = STUDY.format(pack=pack_path).replace(
        'name = "mass:curb"', 'name = "energy:jc08_km_per_l"\nsense = "max"')
    s = parse_study(text, "s.toml", base_dir=ROOT / "studies")
    with pytest.raises(InputError, match=r"objective\.name = 'energy:jc08_km_per_l': "
                       r"quantity does not apply: .*\(not-applicable\) for .*sakura_class"):
        build_study_problem(s, s.base, objectives=[s.objective])


@pytest.mark.parametrize("stem, applies", [("carry_class", False), ("nbox_class", True)])
def test_rear_head_room_needs_a_rear_row(stem, applies):
    """A one-row body (the cab-over truck: body.couple_distance 0) has no rear head room:
    ``pack.headroom_rear`` is not applicable there (it repeated ``pack.headroom``, the
    rear H-point being the front one, and so counted one failure twice)."""
    ev = evaluate_design(load_design(DESIGNS / f"{stem}.toml"), resolve_packs(["packaging"]))
    rec = next(c for c in ev.constraints if c["id"] == "packaging:pack.headroom_rear")
    front = next(c for c in ev.constraints if c["id"] == "packaging:pack.headroom")
    assert front["passed"] is not None
    if applies:
        assert rec["passed"] is not None and rec["reason"] is None
    else:
        assert rec["status"] == "not-applicable" and rec["passed"] is None, rec
        assert "applies only with a rear row (body.couple_distance > 0" in rec["reason"]
