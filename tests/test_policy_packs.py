"""The policy question: the SAFE III proposal next to the CAFE rule in force (issue 15)."""

from __future__ import annotations

import pytest
from conftest import DESIGNS, design_with

from keidesign.cafe import cafe_coefficients
from keidesign.design import load_design
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.rulepacks import load_pack

#: yearly passenger-car stringency increases stated for the proposal (PHYSICS.md [V])
INCREASE = {**dict.fromkeys(range(2022, 2027), 0.005), 2027: 0.0035,
            **dict.fromkeys(range(2028, 2032), 0.0025)}


def test_safe_iii_is_marked_proposed_and_derived():
    pack = load_pack("safe-iii")
    assert pack.status == "proposed" and "PROPOSED" in pack.notes
    assert all(c.status == "derived" for c in pack.constraints)
    rows = pack.params["cafe"]["passenger_car"]
    assert [r["model_year"] for r in rows] == list(range(2022, 2032))
    assert all(r["status"] == "derived" for r in rows)


@pytest.mark.parametrize("year", [2022, 2026, 2027, 2031])
def test_rows_follow_the_stated_increases_from_the_my2021_row(year):
    base = cafe_coefficients(load_pack("cafe-2024"), 2021)
    factor = 1.0
    for y in range(2022, year + 1):
        factor *= 1.0 + INCREASE[y]
    k = cafe_coefficients(load_pack("safe-iii"), year)
    assert k["a"] == pytest.approx(base["a"] * factor, abs=1e-4)
    assert k["b"] == pytest.approx(base["b"] * factor, abs=1e-4)
    assert k["c"] == pytest.approx(base["c"] / factor, rel=1e-6)
    assert k["d"] == pytest.approx(base["d"] / factor, rel=1e-6)


def test_what_the_rollback_changes_for_a_kei():
    """Same design, same compliance value; the proposal's MY2027 target is ~25 % lower
    than the 2024 rule's, which turns the US-variant kei's CAFE margin from a shortfall
    of about 17 mpg into a pass."""
    d = load_design(DESIGNS / "nbox_class_us.toml")
    recs = {}
    for pid in ("cafe-2024", "safe-iii"):
        ev = evaluate_design(d, resolve_packs([pid, "epa-label"]))
        recs[pid] = next(c for c in ev.constraints if c["id"] == f"{pid}:cafe.target")
    now, proposed = recs["cafe-2024"], recs["safe-iii"]
    assert now["value"] == pytest.approx(proposed["value"], rel=1e-12)
    assert proposed["bound"] < 0.8 * now["bound"]
    assert now["passed"] is False and proposed["passed"] is True
    old = evaluate_design(design_with("nbox_class_us", {"design.model_year": 2021}),
                          resolve_packs(["safe-iii", "epa-label"]))
    rec = next(c for c in old.constraints if c["id"] == "safe-iii:cafe.target")
    assert rec["status"] == "not-applicable" and "MY2021" in rec["reason"]


def test_compare_one_design_under_two_rule_sets(capsys):
    """``keidesign compare DESIGN --rules A --rules B``: the criteria matched by their id
    within the pack, both margins on one row, the changed rows marked; JSON the same;
    a criterion only one set has shows '-' on the other side."""
    import json

    from keidesign.cli import main

    design = str(DESIGNS / "nbox_class_us.toml")
    assert main(["compare", design, "--rules", "fmvss,cafe-2024",
                 "--rules", "fmvss,safe-iii,epa-ghg"]) == 0
    out = capsys.readouterr().out
    row = next(ln for ln in out.splitlines() if " cafe.target " in ln)
    # -16.8 since the refit without the analytically derived EPA rows (5 Dec 2026; -17.x before)
    assert row.startswith("*") and "FAIL (-16." in row and "PASS (+0." in row
    ghg = next(ln for ln in out.splitlines() if " ghg.target " in ln)
    assert ghg.split()[2] == "-"  # not in the first set
    same = next(ln for ln in out.splitlines() if " fmvss208.crush_space " in ln)
    assert not same.startswith("*")  # the same model, the same verdict
    assert main(["compare", design, "--rules", "cafe-2024", "--rules", "safe-iii",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["rule_sets"] == [["cafe-2024"], ["safe-iii"]]
    (crit,) = doc["criteria"]
    a, b = crit["records"]
    assert crit["criterion"] == "cafe.target" and a["passed"] is False and b["passed"]
    assert a["value"] == pytest.approx(b["value"], rel=1e-12)


@pytest.mark.parametrize("argv,pattern", [
    (["--rules", "cafe-2024"], "1 rule set(s) given"),
    (["--rules", "cafe-2024", "--rules", "safe-iii", "--rules", "epa-ghg"], "3 rule set"),
    (["--rules", "cafe-2024", "--rules", "no-such-pack"], "no-such-pack"),
])
def test_compare_rules_bad_input_is_one_clear_error(capsys, argv, pattern):
    from keidesign.cli import main

    assert main(["compare", str(DESIGNS / "nbox_class_us.toml"), *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and pattern in err[0]


def test_lsv_pack_speed_band_and_gvwr():
    """The lsv pack (FMVSS 500): verified speed band and GVWR; the US-variant kei fails
    the band as built and passes it governed at 38 km/h (23.6 mph), the class that
    `classify` gives it; its GVWR is under 3,000 lb."""
    from keidesign.classification import report

    pack = load_pack("lsv")
    assert pack.status == "verified" and {c.id for c in pack.constraints} == {
        "lsv.top_speed", "lsv.gvwr"}
    free = evaluate_design(load_design(DESIGNS / "nbox_class_us.toml"), [pack])
    recs = {c["id"]: c for c in free.constraints}
    assert recs["lsv:lsv.top_speed.upper"]["passed"] is False  # 87 mph as built
    assert recs["lsv:lsv.top_speed.upper"]["value"] > 25.0
    gov = design_with("nbox_class_us", {"powertrain.speed_limiter": 38.0})
    ev = evaluate_design(gov, [pack])
    recs = {c["id"]: c for c in ev.constraints}
    assert recs["lsv:lsv.top_speed.lower"]["passed"] and recs["lsv:lsv.top_speed.upper"][
        "passed"]
    assert recs["lsv:lsv.top_speed.upper"]["value"] == pytest.approx(38.0 / 1.609344,
                                                                     rel=1e-6)
    assert recs["lsv:lsv.gvwr"]["passed"] is True
    assert report.classify_design(gov, ev)["class"]["key"] == "lsv"


def _judged(capsys, *args):
    import json

    from keidesign.cli import main

    capsys.readouterr()
    assert main(["evaluate", *args, "--json"]) == 0
    return {r["id"]: r for r in json.loads(capsys.readouterr().out)["constraints"]}


def test_each_cafe_and_ghg_pack_is_judged_against_its_own_target(tmp_path, capsys):
    """Two packs of one program in one evaluation: the model computes one
    ``cafe:target_mpg`` (``ghg:target_co2``), from the first pack with a row; each pack's
    record is judged on its own row (``compliance.pack_targets``): ``safe-iii`` next to
    ``cafe-2024`` keeps its 50.91 mpg and passes, as evaluated alone (it was judged on
    cafe-2024's 68.32 and failed by 16.77); a pack without a row for the year shows no
    bound (not another pack's target)."""
    path = str(DESIGNS / "nbox_class_us.toml")
    alone = {pid: _judged(capsys, path, "--rules", pid)[f"{pid}:cafe.target"]
             for pid in ("cafe-2024", "safe-iii")}
    assert alone["safe-iii"]["passed"] and not alone["cafe-2024"]["passed"]
    both = _judged(capsys, path, "--rules", "cafe-2022", "cafe-2024", "safe-iii")
    for pid, rec in alone.items():
        got = both[f"{pid}:cafe.target"]
        assert (got["bound"], got["margin"], got["passed"]) == (
            rec["bound"], rec["margin"], rec["passed"])
    old = both["cafe-2022:cafe.target"]
    assert old["status"] == "not-applicable" and old["bound"] is None
    # a second GHG pack: epa-ghg with its MY2027 car row's flat part moved to 150 g/mi
    text = (DESIGNS.parent.parent / "keidesign" / "rules" / "epa-ghg.toml").read_text()
    head, tail = text.split("model_year = 2027\na = 135.9\n", 1)
    alt = tmp_path / "ghg-alt.toml"
    alt.write_text(head.replace('id = "epa-ghg"', 'id = "ghg-alt"', 1)
                   + "model_year = 2027\na = 150.0\n" + tail)
    ghg = _judged(capsys, path, "--rules", "epa-ghg", str(alt))
    assert ghg["epa-ghg:ghg.target"]["bound"] == pytest.approx(135.9)
    assert ghg["ghg-alt:ghg.target"]["bound"] == pytest.approx(150.0)
    assert ghg["ghg-alt:ghg.target"]["margin"] == pytest.approx(
        ghg["epa-ghg:ghg.target"]["margin"] + 14.1)


def test_a_label_pack_of_another_id_sets_the_label(tmp_path, capsys):
    """A user's label pack (``[params.label]``) under its own id sets the label: the model
    took the coefficients only from a pack with the id ``epa-label`` and silently used
    the built-in ones for any other (here the 2017 city slope 1.1601 -> 1.3, which
    lowers the label city value as 1 / (Ci + Cs / FTP) says)."""
    text = (DESIGNS.parent.parent / "keidesign" / "rules" / "epa-label.toml").read_text()
    assert text.count("city_slope = 1.1601\n") == 1
    alt = tmp_path / "label-alt.toml"
    alt.write_text(text.replace('id = "epa-label"', 'id = "label-alt"', 1)
                   .replace("city_slope = 1.1601\n", "city_slope = 1.3\n"))
    path = str(DESIGNS / "nbox_class_us.toml")
    std = _outputs(capsys, path, "--rules", "epa-label")
    got = _outputs(capsys, path, "--rules", str(alt))
    ftp = std["energy:ftp_mpg"]["value"]
    assert got["energy:label_city_mpg"]["value"] == pytest.approx(1.0 / (0.004091 + 1.3 / ftp))
    assert got["energy:label_city_mpg"]["value"] < std["energy:label_city_mpg"]["value"] - 1.0


def _outputs(capsys, *args):
    import json

    from keidesign.cli import main

    capsys.readouterr()
    assert main(["evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["outputs"]


@pytest.mark.parametrize("line, new", [
    ("city_weight = 0.55\n", "city_weight = 0.6\n"),
    ("hwy_weight = 0.45\n", 'hwy_weight = "0.45"\n'),
    ("kwh_per_gal = 33.705\n", "kwh_per_gal = 33.7\n"),
])
def test_a_label_pack_cannot_change_the_fixed_label_parameters(tmp_path, capsys, line, new):
    """A label pack's 55/45 weights were never read (0.55 / 0.45 fixed in the model) and its
    ``kwh_per_gal`` reached the CAFE value only (the energy model's MPGe keeps 33.705):
    a pack stating other values was evaluated with the model's, silently (policy review,
    s29f). Now the pack is refused when it is read, before any model runs, in one line
    naming the field, the value and the allowed value; the built-in pack still loads."""
    from keidesign.cli import main

    text = (DESIGNS.parent.parent / "keidesign" / "rules" / "epa-label.toml").read_text()
    assert text.count(line) == 1
    alt = tmp_path / "label-alt.toml"
    alt.write_text(text.replace('id = "epa-label"', 'id = "label-alt"', 1).replace(line, new))
    key = line.split(" =")[0]
    capsys.readouterr()
    assert main(["rules", str(alt)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"params.label.{key} = " in err, err
    assert f"allowed: {float(line.split('= ')[1])}" in err, err
    assert main(["evaluate", str(DESIGNS / "nbox_class_us.toml"), "--rules", str(alt)]) == 2
    assert main(["rules", "epa-label"]) == 0
