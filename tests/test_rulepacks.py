"""Rule packs: built-in packs, validation messages, search order, constraint evaluation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DESIGNS

from keidesign import variables as reg
from keidesign.errors import InputError
from keidesign.rulepacks import (
    ENV_VAR,
    RulePack,
    builtin_dir,
    evaluate_constraints,
    list_packs,
    load_pack,
    parse_pack,
)

BUILTIN = ("cafe-2022", "cafe-2024", "epa-label", "fmvss", "kei-japan")
RECORD_KEYS = ("id", "value", "bound", "units", "margin", "passed", "source")

GOOD_CONSTRAINT = """
[[constraint]]
id = "x.len"
quantity = "body:length"
upper = 3400.0
units = "mm"
source = "somewhere 1.2"
"""


def _pack_text(pack_id: str = "mine", constraint: str = GOOD_CONSTRAINT,
               head_extra: str = "") -> str:
    return (f'[pack]\nid = "{pack_id}"\nversion = "1"\ntitle = "t"\nsource = "s"\n'
            f"{head_extra}\n{constraint}")


def _write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str, name: str = "mine.toml") -> str:
    path = _write(tmp_path, text, name)
    with pytest.raises(InputError) as exc:
        load_pack(path)
    msg = str(exc.value)
    assert "\n" not in msg, "messages are single-line"
    assert name in msg, "messages name the file"
    return msg


# ---------------------------------------------------------------- built-in packs


def test_builtin_dir_holds_the_packs():
    assert {p.stem for p in builtin_dir().glob("*.toml")} >= set(BUILTIN)


@pytest.mark.parametrize("pack_id", BUILTIN)
def test_every_builtin_pack_loads_and_every_constraint_has_a_source(pack_id):
    pack = load_pack(pack_id)
    assert isinstance(pack, RulePack)
    assert pack.id == pack_id == pack.path.stem
    assert pack.version and pack.title and pack.source
    ids = [c.id for c in pack.constraints]
    assert len(ids) == len(set(ids))
    for con in pack.constraints:
        assert con.source.strip(), con.id
        assert con.pack == pack_id
        assert con.lower is not None or con.upper is not None
        assert con.status in ("verified", "to-check", "derived")


def test_list_packs_finds_all_builtin():
    assert {p.id for p in list_packs()} >= set(BUILTIN)


def test_kei_pack_limits():
    pack = load_pack("kei-japan")
    expected = {"kei.length": ("body:length", 3400.0, "mm"),
                "kei.width": ("body:width", 1480.0, "mm"),
                "kei.height": ("body:height", 2000.0, "mm"),
                "kei.displacement": ("powertrain:ice:displacement", 660.0, "cm**3"),
                "kei.power": ("powertrain:rated_power", 47.0, "kW"),
                "kei.seats": ("body:seats", 4.0, "unitless")}
    for cid, (quantity, upper, units) in expected.items():
        con = pack.constraint(cid)
        assert (con.quantity, con.upper, con.units, con.lower) == (quantity, upper, units, None)
        reg.get(quantity)  # every kei quantity is a registered variable
    power = pack.constraint("kei.power")
    assert "not law" in power.description.lower() or "not a legal" in power.description.lower()
    assert "self-regulation" in power.source


def test_fmvss_pack_has_the_computed_constraints_and_unregistered_criteria():
    pack = load_pack("fmvss")
    crush = pack.constraint("fmvss208.crush_space")
    assert (crush.quantity, crush.upper, crush.units) == (
        "crash:front:crush_past_stack", "crash:front:crush_available", "mm")
    roof = pack.constraint("fmvss216a.roof_strength")
    assert (roof.quantity, roof.lower, roof.units) == (
        "crash:roof:strength", "crash:roof:required_force", "kN")
    assert pack.constraint("fmvss208.hic15").upper == 700.0
    assert pack.constraint("fmvss208.f05.chest_deflection").upper == 52.0
    # criteria of models not built yet are registered (checked names) and no model
    # computes them: they report "not-modelled"
    assert reg.get("crash:side:pole:es2re:rib_deflection").desc.startswith("Not modelled yet")
    assert not reg.get("crash:front:hic15").desc.startswith("Not modelled")  # issue 14 D3
    for section in ("fmvss208", "fmvss214", "fmvss216a", "fmvss301", "part581"):
        assert section in pack.params
    assert pack.params["fmvss214"]["mdb_mass_kg"] == 1368.0
    assert pack.params["fmvss208"]["belted_speed_max_kmh"] == 56.0


def test_cafe_packs_carry_the_target_constraint():
    for pid in ("cafe-2022", "cafe-2024"):
        con = load_pack(pid).constraint("cafe.target")
        assert (con.quantity, con.lower, con.units) == (
            "energy:cafe_mpg", "cafe:target_mpg", "mi/galUS")


# ---------------------------------------------------------------- validation messages


def test_unknown_constraint_key_suggests_the_nearest(tmp_path):
    text = _pack_text(constraint=GOOD_CONSTRAINT.replace("upper =", "uppr ="))
    msg = _error(tmp_path, text)
    assert "constraint[1]" in msg and "uppr" in msg and "did you mean 'upper'" in msg


def test_unknown_top_level_key_suggests_the_nearest(tmp_path):
    text = _pack_text(constraint=GOOD_CONSTRAINT.replace("[[constraint]]",
                                                         "[[constraints]]"))
    msg = _error(tmp_path, text)
    assert "constraints" in msg and "did you mean 'constraint'" in msg


def test_unknown_pack_key(tmp_path):
    msg = _error(tmp_path, _pack_text(head_extra='verison = "2"\n'))
    assert "pack.verison" in msg and "did you mean 'version'" in msg


def test_missing_source(tmp_path):
    text = _pack_text(constraint=GOOD_CONSTRAINT.replace('source = "somewhere 1.2"\n', ""))
    msg = _error(tmp_path, text)
    assert "constraint[1]" in msg and "source" in msg and "missing" in msg


def test_missing_quantity_and_id(tmp_path):
    msg = _error(tmp_path, _pack_text(
        constraint=GOOD_CONSTRAINT.replace('quantity = "body:length"\n', "")))
    assert "quantity" in msg and "missing" in msg
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT.replace('id = "x.len"\n', "")))
    assert "constraint[1].id" in msg and "missing" in msg


def test_bad_units(tmp_path):
    # (not "mmm": OpenMDAO accepts it as milli-millimetre once "mm" has been used)
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT.replace('"mm"', '"mn_x"')))
    assert "constraint[1]" in msg and ".units" in msg and "'mn_x'" in msg
    assert "unknown unit name 'mn_x'" in msg and "unit names joined by" in msg


def test_units_incompatible_with_the_registered_quantity(tmp_path):
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT.replace('"mm"', '"kg"')))
    assert "'kg'" in msg and "body:length" in msg and "incompatible" in msg


def test_neither_lower_nor_upper(tmp_path):
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT.replace("upper = 3400.0\n",
                                                                         "")))
    assert "neither lower nor upper" in msg


def test_bad_bound_value(tmp_path):
    msg = _error(tmp_path, _pack_text(
        constraint=GOOD_CONSTRAINT.replace("upper = 3400.0", 'upper = "3.4 m"')))
    assert "constraint[1]" in msg and "upper" in msg and "'3.4 m'" in msg
    # the mandated form, naming what is allowed (it ended "is not allowed; expected a
    # number or a variable name", saying nothing of units or of quantity strings)
    assert "constraint[1] (id 'x.len').upper = '3.4 m': not a number or a variable name " \
        "(a rule pack reads no quantity string); allowed: a number in the constraint's " \
        "units (mm), or a variable name such as 'cafe:target_mpg'" in msg, msg


@pytest.mark.parametrize("bound, want", [
    ("upper = -1450.0", "upper = -1450: outside the physically possible range of "
     "body:length; allowed: a number in [2000, 6000] mm"),
    ("upper = 1e308", "upper = 1e+308: outside"),
    ("lower = 0.5\nupper = 3400.0", "lower = 0.5: outside"),
])
def test_a_bound_outside_the_quantitys_possible_range(tmp_path, bound, want):
    """A pack bound on a design quantity beyond its registered physical range (a sign
    slip: ``upper = -1450`` mm on a length, every design failing; or ``1e308``, never
    binding) was taken as given by ``keidesign rules`` and ``evaluate`` (task s35f); it is
    one line naming the field, the value and the range, in the constraint's units."""
    text = _pack_text(constraint=GOOD_CONSTRAINT.replace("upper = 3400.0", bound))
    msg = _error(tmp_path, text)
    assert f"constraint[1] (id 'x.len').{want}" in msg, msg
    inch = GOOD_CONSTRAINT.replace("upper = 3400.0", "upper = 10.0").replace('"mm"', '"inch"')
    msg = _error(tmp_path, _pack_text(constraint=inch))
    assert "upper = 10: outside the physically possible range of body:length; allowed: " \
        "a number in [78.74, 236.2] inch" in msg, msg
    ok = GOOD_CONSTRAINT.replace("upper = 3400.0", "upper = 133.9").replace('"mm"', '"inch"')
    assert load_pack(_write(tmp_path, _pack_text(constraint=ok))).constraints[0].upper \
        == 133.9


def test_bad_status(tmp_path):
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT + 'status = "sure"\n'))
    assert "status" in msg and "'sure'" in msg and "to-check" in msg


@pytest.mark.parametrize("extra,want", [
    ('status = "verifed"\n', "status = 'verifed': unknown status; did you mean 'verified'?; "
     "allowed: verified, to-check, derived"),
    ('applies_to = ["passenger_cars"]\napplicability = "x"\n',
     "applies_to = ['passenger_cars']: unknown class key 'passenger_cars'; did you mean "
     "'passenger_car'?; allowed:"),
])
def test_a_misspelt_status_or_class_key_names_the_nearest(tmp_path, extra, want):
    """A user's pack with ``status = "verifed"`` or ``applies_to = ["passenger_cars"]``
    was one line listing the allowed values without the one meant (new-user pass s45g);
    the line names the nearest, as an unknown key or pack id does."""
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT + extra))
    assert f"constraint[1] (id 'x.len').{want}" in msg, msg


@pytest.mark.parametrize("extra,want", [
    ('applies_to = ["car"]\napplicability = "x"\n',
     "applies_to = ['car']: unknown class key 'car'"),
    ('applies_to = []\napplicability = "x"\n', "non-empty list"),
    ('applies_to = ["truck", "truck"]\napplicability = "x"\n', "distinct"),
    ('applies_to = "truck"\napplicability = "x"\n', "passenger_car, truck, lsv, off_road"),
    ('applies_to = ["truck"]\n', "applicability: missing"),
    ('applicability = "49 CFR 581.3"\n', "given without applies_to"),
])
def test_bad_applies_to(tmp_path, extra, want):
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT + extra))
    assert "constraint[1]" in msg and want in msg, msg


def test_policy_key_is_a_boolean_and_marks_the_compat_rows(tmp_path):
    """``policy = true``: a stated policy threshold, not a regulation. The fmvss pack's
    fleet-compatibility shares are its only policy rows (their basis says so); a record
    carries the key, a non-boolean value is one error line."""
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT + 'policy = "yes"\n'))
    assert "constraint[1] (id 'x.len').policy = 'yes': not a boolean" in msg, msg
    pack = load_pack(_write(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT + "policy = true\n")))
    assert pack.constraints[0].policy is True
    rec = evaluate_constraints(pack, {"body:length": (3500.0, "mm")})[0]
    assert rec["policy"] is True and rec["passed"] is False
    fmvss = load_pack("fmvss")
    policy = [c.id for c in fmvss.constraints if c.policy]
    assert policy == ["compat.us.share_above", "compat.jp.share_above"]
    assert all("policy threshold, not a regulation" in c.basis
               for c in fmvss.constraints if c.policy)
    # the crash validation's policy prefix names the same rows
    from keidesign.validation.crash import is_policy

    assert [c.id for c in fmvss.constraints if is_policy(c.full_id)] == policy


def test_part581_applies_to_passenger_cars_only():
    """49 CFR 581.3: Part 581 applies to "passenger motor vehicles other than
    multipurpose passenger vehicles and low-speed vehicles"; a truck is no passenger motor
    vehicle (49 U.S.C. 32101(10)(B)). The fmvss pack's part581 constraints say so; its
    FMVSS 208 / 214 / 216a / 301 ones apply to passenger cars and trucks, not to an LSV
    (tests/test_lsv_fmvss.py), and the fleet-compatibility proxies to every class."""
    from keidesign.rulepacks import class_reason

    pack = load_pack("fmvss")
    for con in pack.constraints:
        if con.id.startswith("part581."):
            assert con.applies_to == ("passenger_car",) and "581.3" in con.applicability
            assert class_reason(con, "passenger_car", "passenger car") == ""
            why = class_reason(con, "truck", "truck / non-passenger automobile")
            assert why.startswith("applies to passenger car only (49 CFR 581.3")
            assert "32101(10)(B)" in why and why.endswith("this design is a truck / "
                                                         "non-passenger automobile")
            assert class_reason(con, "lsv", "low-speed vehicle").startswith(
                "LSV: FMVSS 500 (49 CFR 571.500) instead; applies to passenger car only")
        elif con.id.startswith("compat."):
            assert con.applies_to == () and not class_reason(con, "lsv", "low-speed vehicle")
        else:
            assert con.applies_to == ("passenger_car", "truck"), con.id
            assert not class_reason(con, "truck", "truck")


def _cafe_2024_with(old: str, new: str, count: int = 1) -> str:
    """The built-in cafe-2024 pack's text as a user pack 'cafe-mine', ``old`` (found
    ``count`` times) replaced in its MY2027 light-truck row (the 7th)."""
    text = load_pack("cafe-2024").path.read_text(encoding="utf-8")
    i = text.index("[[params.cafe.light_truck]]\nmodel_year = 2027")
    j = text.index("[[", i + 2)
    row = text[i:j]
    assert row.count(old) == count, row
    return (text[:i] + row.replace(old, new) + text[j:]).replace(
        'id = "cafe-2024"', 'id = "cafe-mine"')


@pytest.mark.parametrize("old,new,want", [
    ("model_year = 2027", "model_yaer = 2027",
     "params.cafe.light_truck[7].model_yaer: unknown key; did you mean 'model_year'?"),
    ("a = 53.73", 'a = "53.73 mpg"', "params.cafe.light_truck[7].a: '53.73 mpg' is not "
     "allowed; allowed: a number in [19.855, 148.14] mpg (half the smallest to twice the "
     "largest value of the verified 49 CFR 531.5(c) / 533.5(a) tables in "
     "keidesign/data/regs, which span 39.71 to 74.07)"),
    ("a = 53.73", "a = 5373", "params.cafe.light_truck[7].a: 5373 is not allowed; allowed: "
     "a number in [19.855, 148.14] mpg"),
    ("model_year = 2027", "model_year = 2026",
     "params.cafe.light_truck[7].model_year: 2026 is a duplicate of "
     "params.cafe.light_truck[6]"),
    ('status = "derived"', 'status = "guessed"', "params.cafe.light_truck[7].status: "
     "'guessed' is not allowed; allowed: verified, to-check, derived"),
])
def test_broken_cafe_rows_are_refused_when_the_pack_is_read(tmp_path, capsys, old, new, want):
    """The s28c review's packs: a misspelt model_year, a coefficient with units, a 100x
    typo passed `check` and `rules`, and `evaluate` then exited 2 with
    "params.cafe.light_truck[7].model_year: None is not allowed" (no word of the
    misspelt key). Now reading the pack refuses each in one line naming the field, the
    value and what is allowed."""
    from keidesign.cli import main

    path = _write(tmp_path, _cafe_2024_with(old, new), "cafe-mine.toml")
    msg = _error(tmp_path, path.read_text(encoding="utf-8"), "cafe-mine.toml")
    assert want in msg, msg
    assert main(["rules", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and want in err, err


def test_broken_ghg_rows_are_refused_when_the_pack_is_read(tmp_path):
    text = load_pack("epa-ghg").path.read_text(encoding="utf-8").replace(
        'id = "epa-ghg"', 'id = "ghg-mine"')
    assert text.count("fp_high = 56.0") >= 1
    msg = _error(tmp_path, text.replace("fp_high = 56.0", "fp_high = 5600.0", 1),
                 "ghg-mine.toml")
    assert "params.ghg.passenger_car[1].fp_high: 5600.0 is not allowed; allowed: a number " \
           "in [28, 148] ft2" in msg and "86.1818-12" in msg, msg
    msg = _error(tmp_path, text.replace("fp_high = 56.0", "fp_high = 40.0", 1),
                 "ghg-mine.toml")
    assert "fp_low < fp_high" in msg, msg
    msg = _error(tmp_path, text.replace("fp_high = 56.0", "fp_hi = 56.0", 1), "ghg-mine.toml")
    assert "fp_hi: unknown key; did you mean 'fp_high'?" in msg, msg


def test_target_bands_hold_every_builtin_row():
    """The bands come from the verified tables (keidesign/data/regs): half the smallest
    to twice the largest value (twice the most negative for a signed one); every row of
    the built-in packs, the MY2012-2020 car rows and derived / proposed rows included,
    lies inside them."""
    from keidesign.targetrows import KEYS, ranges, spans

    assert spans()["cafe"]["a"] == (39.71, 74.07) and ranges()["cafe"]["a"] == (19.855, 148.14)
    assert spans()["ghg"]["d"] == (-13.1, 108.0) and ranges()["ghg"]["d"] == (-26.2, 216.0)
    n = 0
    for pid in ("cafe-2022", "cafe-2024", "safe-iii", "epa-ghg"):
        params = load_pack(pid).params
        for program in KEYS:
            for rows in (params.get(program, {}).get(f, []) for f in ("passenger_car",
                                                                     "light_truck")):
                for row in rows:
                    for k, (lo, hi) in ranges()[program].items():
                        assert lo <= row[k] <= hi, (pid, row["model_year"], k)
                    n += 1
    assert n == 15 + 6 + 20 + 11 + 10 + 24


def test_pack_id_must_equal_file_stem(tmp_path):
    msg = _error(tmp_path, _pack_text(pack_id="other"), name="mine.toml")
    assert "pack.id" in msg and "'other'" in msg and "'mine'" in msg


def test_duplicate_constraint_id(tmp_path):
    msg = _error(tmp_path, _pack_text(constraint=GOOD_CONSTRAINT * 2))
    assert "constraint[2].id" in msg and "duplicate" in msg


def test_toml_syntax_error(tmp_path):
    msg = _error(tmp_path, "[pack\nid = 1")
    assert "not valid TOML" in msg


def test_unknown_pack_id_lists_the_available_ones():
    with pytest.raises(InputError) as exc:
        load_pack("kei-japn")
    msg = str(exc.value)
    assert "'kei-japn'" in msg and "did you mean 'kei-japan'" in msg
    for pid in BUILTIN:
        assert pid in msg


def test_missing_pack_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_pack(tmp_path / "nope.toml")


# ---------------------------------------------------------------- user packs


def _rollback(tmp_path: Path) -> Path:
    """A user pack (a proposed CAFE rollback) with its own id."""
    text = load_pack("cafe-2024").path.read_text(encoding="utf-8")
    text = text.replace('id = "cafe-2024"', 'id = "cafe-rollback"')
    return _write(tmp_path, text, "cafe-rollback.toml")


def test_user_pack_by_path(tmp_path):
    pack = load_pack(_rollback(tmp_path))
    assert pack.id == "cafe-rollback"
    assert load_pack(str(tmp_path / "cafe-rollback.toml")).id == "cafe-rollback"


def test_user_pack_by_env_var(tmp_path, monkeypatch):
    _rollback(tmp_path)
    with pytest.raises(InputError):
        load_pack("cafe-rollback")
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(tmp_path / "missing"), str(tmp_path)]))
    assert load_pack("cafe-rollback").id == "cafe-rollback"
    assert "cafe-rollback" in {p.id for p in list_packs()}


def test_user_pack_by_search_dirs_and_cwd_rules(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    folder.mkdir()
    _rollback(folder)
    assert load_pack("cafe-rollback", search_dirs=[folder]).id == "cafe-rollback"
    assert "cafe-rollback" in {p.id for p in list_packs(extra_dirs=[folder])}
    rules = tmp_path / "rules"
    rules.mkdir()
    _rollback(rules)
    monkeypatch.chdir(tmp_path)
    assert load_pack("cafe-rollback").path.parent == Path.cwd() / "rules"


def test_user_folder_shadows_builtin(tmp_path, monkeypatch):
    text = load_pack("kei-japan").path.read_text(encoding="utf-8")
    _write(tmp_path, text.replace("upper = 3400.0", "upper = 3600.0"), "kei-japan.toml")
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert load_pack("kei-japan").constraint("kei.length").upper == 3600.0
    assert load_pack("kei-japan", search_dirs=[builtin_dir()]).constraint(
        "kei.length").upper == 3400.0


# ---------------------------------------------------------------- evaluation


def test_records_upper_bound_pass_and_fail_with_unit_conversion():
    pack = load_pack("kei-japan")
    recs = evaluate_constraints(pack, {"body:length": (3395.0, "mm"),
                                       "body:width": (1.5, "m")})
    by_id = {r["id"]: r for r in recs}
    length = by_id["kei-japan:kei.length"]
    assert tuple(length)[:7] == RECORD_KEYS
    assert length["value"] == 3395.0 and length["bound"] == 3400.0
    assert length["margin"] == pytest.approx(5.0) and length["passed"] is True
    assert (length["kind"], length["status"], length["units"]) == ("upper", "evaluated", "mm")
    width = by_id["kei-japan:kei.width"]
    assert width["value"] == pytest.approx(1500.0)
    assert width["margin"] == pytest.approx(-20.0) and width["passed"] is False
    assert width["source"].startswith("道路運送車両法施行規則")


def test_not_modelled_records_keep_numeric_bound():
    recs = evaluate_constraints([load_pack("kei-japan")], {})
    assert len(recs) == 7
    for rec in recs:
        assert rec["status"] == "not-modelled"
        assert rec["value"] is None and rec["margin"] is None and rec["passed"] is None
        assert isinstance(rec["bound"], float)


def test_lower_bound_in_other_units():
    recs = evaluate_constraints(load_pack("fmvss"),
                                {"crash:bumper:front:no_damage_speed": (3.0, "mi/h")})
    rec = next(r for r in recs if r["id"] == "fmvss:part581.front.barrier")
    assert rec["kind"] == "lower" and rec["units"] == "km/h"
    assert rec["value"] == pytest.approx(4.828032)
    assert rec["margin"] == pytest.approx(0.828032) and rec["passed"] is True


def test_variable_bound_and_its_absence():
    pack = load_pack("cafe-2024")
    rec = evaluate_constraints(pack, {"energy:cafe_mpg": (55.0, "mi/galUS"),
                                      "cafe:target_mpg": (20.0, "km/L")})[0]
    assert rec["id"] == "cafe-2024:cafe.target"
    assert rec["bound"] == pytest.approx(47.04290692)
    assert rec["margin"] == pytest.approx(55.0 - 47.04290692) and rec["passed"] is True
    rec = evaluate_constraints(pack, {"energy:cafe_mpg": (55.0, "mi/galUS")})[0]
    assert rec["status"] == "not-modelled" and rec["bound"] is None and rec["value"] is None


def test_fmvss_crush_space_and_unmodelled_criteria():
    recs = evaluate_constraints(load_pack("fmvss"), {
        "crash:front:crush_past_stack": (0.62, "m"),
        "crash:front:crush_available": (550.0, "mm")})
    by_id = {r["id"]: r for r in recs}
    crush = by_id["fmvss:fmvss208.crush_space"]
    assert crush["margin"] == pytest.approx(-70.0) and crush["passed"] is False
    assert by_id["fmvss:fmvss208.hic15"]["status"] == "not-modelled"
    assert by_id["fmvss:fmvss208.hic15"]["bound"] == 700.0
    assert by_id["fmvss:fmvss216a.roof_strength"]["status"] == "not-modelled"


def test_both_bounds_give_two_suffixed_records_and_none_units():
    con = GOOD_CONSTRAINT.replace("upper = 3400.0", "lower = 3000.0\nupper = 3400.0")
    pack = parse_pack(_pack_text(constraint=con))
    recs = evaluate_constraints(pack, {"body:length": (3100.0, None)})
    assert [r["id"] for r in recs] == ["mine:x.len.lower", "mine:x.len.upper"]
    assert [r["margin"] for r in recs] == [pytest.approx(100.0), pytest.approx(300.0)]
    assert all(r["passed"] for r in recs)


def test_incompatible_value_units_raise():
    with pytest.raises(InputError, match="incompatible"):
        evaluate_constraints(load_pack("kei-japan"), {"body:length": (3.0, "kg")})


@pytest.mark.parametrize("pack_id,table,typo", [
    ("cafe-2024", "cafe", "cafee"),
    ("us-highway", "performance", "perfomance"),
    ("epa-label", "label", "lable"),
])
def test_an_unknown_params_table_is_refused(tmp_path, capsys, pack_id, table, typo):
    """Task s31d: a misspelt ``[params.<name>]`` table (a copy of a built-in pack with
    ``params.cafee``, a steeper grade under ``params.perfomance``) was read without a
    word and the model ran with the defaults (no CAFE rows, the 6 % grade). Every table
    a pack may have is one a model reads or a shipped pack's test conditions
    (``PARAM_TABLES``); any other is one line naming the field, the nearest name and
    the allowed ones, from ``load_pack`` and from `keidesign rules` and `evaluate`."""
    from keidesign.cli import main
    from keidesign.rulepacks import PARAM_TABLES

    text = load_pack(pack_id).path.read_text(encoding="utf-8")
    assert f"[params.{table}]" in text
    text = text.replace(f"params.{table}", f"params.{typo}").replace(
        f'id = "{pack_id}"', 'id = "mine"')
    want = (f"params.{typo}: unknown key; did you mean '{table}'?; allowed: "
            + ", ".join(PARAM_TABLES))
    path = tmp_path / "mine.toml"
    assert _error(tmp_path, text) == f"{path}: {want}"
    for argv in (["rules", str(path)],
                 ["evaluate", str(DESIGNS / "nbox_class.toml"), "--rules", str(path)]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and err.endswith(f"mine.toml: {want}"), err


def test_every_builtin_params_table_is_a_known_one():
    """``PARAM_TABLES`` holds each ``[params.<name>]`` table of the built-in packs and no
    name none of them has (a pack with a new table needs its name there)."""
    from keidesign.rulepacks import PARAM_TABLES

    seen = {name for p in list_packs() if p.path.parent == builtin_dir()
            for name in p.params}
    assert seen == set(PARAM_TABLES), seen ^ set(PARAM_TABLES)
