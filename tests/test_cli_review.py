"""What a new user meets first: help texts, `check`, the class line, import selection
and the messages for odd values (the review pass of 3 Dec 2026)."""

from __future__ import annotations

import datetime
import re

import pytest
from conftest import DESIGNS

from keidesign.classification import report
from keidesign.cli import main
from keidesign.errors import InputError, show
from keidesign.helptext import plain
from keidesign.rulepacks import evaluate_constraints, parse_pack
from keidesign.specs import sources

ALTO = DESIGNS / "alto_class.toml"
SUBCOMMANDS = ("evaluate", "check", "rules", "variables", "export", "optimize", "sweep",
               "pareto", "cost", "compare", "report", "validate", "calibrate", "import",
               "classify")


def _err_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("keidesign: error: "), err
    return err[0]


def _help(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main([*args, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("cmd", ["", *SUBCOMMANDS, "calibrate energy", "calibrate mass",
                                 "import epa", "import spec", "import vehicle"])
def test_help_texts_are_plain_prose(cmd, capsys):
    """No reST markup or developer notes in what `--help` prints, the nested commands'
    included (`keidesign calibrate energy --help` printed ``calibration.toml``)."""
    out = _help(capsys, *cmd.split())
    for markup in ("``", ":mod:", ":func:", "CLI plugin"):
        assert markup not in out, (cmd, markup)


def test_every_command_and_argument_has_help():
    """Every (nested) subcommand describes itself and every argument says what it takes
    (task s32i: `keidesign import spec --help` printed no description and no word on the
    spec file; `import epa` listed --year, --make, --model, --drive bare, `import vehicle`
    six options, and the DESIGN.toml / STUDY.toml positionals had none)."""
    import argparse

    from conftest import cli_parsers

    parsers = cli_parsers()
    assert len(parsers) > 15
    bare = [p.prog for p in parsers if not (p.description or "").strip()]
    bare += [f"{p.prog} {'/'.join(a.option_strings) or a.metavar or a.dest}"
             for p in parsers for a in p._actions
             if not isinstance(a, (argparse._HelpAction, argparse._VersionAction,
                                   argparse._SubParsersAction))
             and not (a.help or "").strip()]
    assert not bare, bare


def test_set_help_says_arrays_count_from_1(capsys):
    """`--set variable.8.values=...` is the eighth [[variable]] (the docs' and the review
    gallery's rail-grade override of study (a)); neither --help nor docs/studies.md said
    the index counts from 1, so a user counting from 0 set the restraint's load limit
    (task s32i)."""
    from keidesign.studies.spec import load_study

    for cmd in ("optimize", "sweep", "pareto"):
        assert "counted from 1" in " ".join(_help(capsys, cmd).split()), cmd
    text = " ".join((DESIGNS.parents[1] / "docs" / "studies.md").read_text(
        encoding="utf-8").split())
    assert "counted from 1, so `variable.8` is the eighth `[[variable]]`" in text
    study = load_study(DESIGNS.parent / "tallboy_ice_min_mass.toml",
                       ['variable.8.values=["dp_780"]'])
    assert study.doc["variable"][7] == {"name": "crash.front.material", "values": ["dp_780"]}


def test_calibrate_help_describes_calibrate(capsys):
    """It printed validate's description (--quick, --json, --plots: not its options)."""
    out = _help(capsys, "calibrate")
    assert "Refit the energy or the mass model" in out
    assert "--quick" not in out and "--plots" not in out


def test_plain_drops_markup():
    assert plain("CLI plugin: ``keidesign x`` (see :mod:`keidesign.y`)") == \
        "keidesign x (see keidesign.y)"


def test_check_rejects_an_unknown_rule_pack_of_the_design(tmp_path, capsys):
    """`check` passed a design whose rule list named no pack; `evaluate` then failed
    without naming the file or the field."""
    bad = tmp_path / "bad.toml"
    bad.write_text(ALTO.read_text().replace('"packaging"]', '"packagin"]'))
    for cmd in ("check", "evaluate"):
        assert main([cmd, str(bad)]) == 2
        line = _err_line(capsys)
        assert f"{bad}: design.rules: rule pack 'packagin': unknown id" in line
        assert "did you mean 'packaging'?" in line


def test_design_rule_paths_are_relative_to_the_design_file(tmp_path, monkeypatch, capsys):
    """A design listing './my_rules.toml' is read from any working folder (as a study
    reads it), not only from the design's own."""
    folder = tmp_path / "cars"
    folder.mkdir()
    (folder / "my_rules.toml").write_text(
        '[pack]\nid = "my_rules"\nversion = "1"\ntitle = "t"\nsource = "s"\n'
        '[[constraint]]\nid = "a.mass"\nquantity = "mass:curb"\nupper = 900\n'
        'units = "kg"\nsource = "me"\n')
    design = folder / "car.toml"
    design.write_text(ALTO.read_text().replace('"packaging"]', '"./my_rules.toml"]'))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["check", str(design)]) == 0
    assert "my_rules" in capsys.readouterr().out
    (folder / "my_rules.toml").unlink()
    assert main(["check", str(design)]) == 2
    assert "design.rules: my_rules.toml: rule-pack file not found" in _err_line(capsys)


def _class_doc(failed: list[str], judged: int, proxies: tuple[str, ...] = ()) -> dict:
    return {"class": {"key": "passenger_car"}, "fmvss_failed": failed,
            "fmvss_proxies_failed": list(proxies), "fmvss_judged": judged}


def test_class_line_counts_model_proxies_apart():
    """A failed model proxy (the pack's 'derived' rows: fmvss208.ride_down_space, 'a
    model proxy, not an FMVSS criterion') was counted as a failed FMVSS criterion."""
    only = report._certified(_class_doc([], 30, ("fmvss:fmvss208.ride_down_space",)))
    assert ("no failed FMVSS criterion; it fails 1 model proxy (not an FMVSS criterion): "
            "fmvss208.ride_down_space") in only
    both = report._certified(_class_doc(["fmvss:fmvss208.nij"], 30,
                                        ("fmvss:a", "fmvss:b")))
    assert ("fails 1 FMVSS criterion: fmvss208.nij; and 2 model proxies (not FMVSS "
            "criteria): a, b)") in both


def test_class_line_without_the_fmvss_pack_says_not_judged():
    """It said 'the model finds no failed FMVSS criterion' when no FMVSS pack ran."""
    assert "FMVSS not judged" in report._certified(_class_doc([], 0))
    assert "no failed FMVSS criterion" in report._certified(_class_doc([], 30))
    one = report._certified(_class_doc(["fmvss:fmvss208.nij"], 30))
    assert "fails 1 FMVSS criterion: fmvss208.nij" in one
    two = report._certified(_class_doc(["fmvss:a", "fmvss:b"], 30))
    assert "fails 2 FMVSS criteria: a, b" in two


def test_evaluate_without_fmvss_counts_no_fmvss_verdict(capsys):
    assert main(["evaluate", str(ALTO), "--rules", "kei-japan"]) == 0
    assert "FMVSS not judged" in capsys.readouterr().out


def test_rule_on_a_text_choice_is_rejected():
    """A bound on powertrain:bev:motor_type was shown as 'not modelled' for every BEV."""
    text = ('[pack]\nid = "p"\nversion = "1"\ntitle = "t"\nsource = "s"\n'
            '[[constraint]]\nid = "a.b"\nquantity = "powertrain:bev:motor_type"\n'
            'upper = 1\nunits = "unitless"\nsource = "me"\n')
    with pytest.raises(InputError, match=r"p\.toml: constraint\[1\] \(id 'a\.b'\)\.quantity = "
                       r"'powertrain:bev:motor_type': a text choice \('pmsm', "
                       r"'induction'\), not a number; allowed: a numeric variable"):
        parse_pack(text, "p.toml")
    bound = text.replace('quantity = "powertrain:bev:motor_type"', 'quantity = "body:seats"')
    bound = bound.replace("upper = 1", 'upper = "design:name"')
    with pytest.raises(InputError, match=r"upper = 'design:name': text, not a number"):
        parse_pack(bound, "p.toml")


def test_epa_import_names_the_years_of_a_make():
    """'--year 2019 --make NISSAN --model LEAF' ended in 'near names: ' and nothing.
    (Nissan's 2021 rows are analytically derived only: not a year of the data.)"""
    with pytest.raises(InputError, match=r"^--year 2019: no EPA test car of 2019 by NISSAN "
                       r"in the shipped data; allowed: 2011-2018, 2020$"):
        sources._epa_select(2019, "nissan", "LEAF", None, None, None)
    with pytest.raises(InputError, match=r"no EPA make matches 'NISSANX'; near names: "
                                         r"NISSAN"):
        sources._epa_select(2019, "NISSANX", "LEAF", None, None, None)


def test_year_spans():
    assert sources._year_spans([2011, 2012, 2013, 2015, 2017, 2018]) == \
        "2011-2013, 2015, 2017-2018"


@pytest.mark.parametrize("value,text", [
    (True, "true"), (False, "false"), (datetime.date(1979, 5, 27), "1979-05-27"),
    (datetime.time(7, 32), "07:32:00"), (1.5, "1.5"), ("x", "'x'")])
def test_show_writes_toml_values_as_toml(value, text):
    assert show(value) == text


def test_date_in_a_design_is_named_as_written(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(ALTO.read_text().replace("height = 1525", "height = 1979-05-27", 1))
    assert main(["check", str(bad)]) == 2
    assert _err_line(capsys).endswith(
        "bad.toml: body.height = 1979-05-27: expected a number, got date; allowed: number "
        "in [1000, 2600] mm")


@pytest.mark.parametrize("key,old,new,needle", [
    ("powertrain.ice.power", "power = 36", 'power = "49 PS"',
     "units 'PS' cannot be converted to 'kW'; 'PS' is read as peta-siemens (PS) or "
     "picoseconds (ps); a catalogue's metric horsepower goes in as kW: 1 PS = 0.7355 kW"),
    ("powertrain.ice.torque", "torque = 58", 'torque = "5.9 kgm"',
     "unknown unit name 'kgm'; 'kgm' is no unit here; 1 kgf = 9.807 N"),
    ("powertrain.ice.displacement", "displacement = 657", 'displacement = "657 cc"',
     "unknown unit name 'cc'; 'cc' is no unit here: write 'cm**3'"),
])
def test_catalogue_unit_spellings_get_a_hint(key, old, new, needle, tmp_path, capsys):
    """'50 PS' (a kei catalogue's power) said only that PS cannot become kW: OpenMDAO
    reads it as peta-siemens."""
    text = ALTO.read_text()
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new, 1))
    assert main(["check", str(bad)]) == 2
    line = _err_line(capsys)
    assert f"{key} = {new.split(' = ')[1]}".replace('"', "'") in line and needle in line


def test_check_makes_the_body_layout_check_of_evaluate(tmp_path, capsys):
    """`check` passed a design whose body evaluate then rejected (no roof left)."""
    bad = tmp_path / "bad.toml"
    bad.write_text(ALTO.read_text().replace("windshield_rake = ", "windshield_rake = 75 #", 1))
    assert main(["check", str(bad)]) == 2
    assert "of roof before the rear" in _err_line(capsys)


def test_spec_import_refuses_a_truck(tmp_path, capsys):
    """A spec with style = 'truck' was written with a car's body assumptions: a design
    evaluate rejects (no roof left) with a kei hatch's Cd and a four-seat payload."""
    spec = tmp_path / "truck.toml"
    spec.write_text('[vehicle]\nname = "t"\nstyle = "truck"\n[dimensions]\nlength = 3395\n'
                    'width = 1475\nheight = 1765\nwheelbase = 1905\n[engine]\n'
                    'displacement = 658\npower = 36.8\n')
    assert main(["import", "spec", str(spec)]) == 2
    assert "vehicle.style = 'truck': not a valid choice; allowed: one of 'tallboy', " \
        "'hatch'" in _err_line(capsys)


def test_spec_missing_fields_say_what_each_takes(tmp_path, capsys):
    """A spec without its required fields names each with what it takes, as the design
    check does, and the docs section that exists (task s32i: the line ended "(docs/import.md:
    spec file schema)", a section of no such name, and gave no range)."""
    spec = tmp_path / "s.toml"
    spec.write_text("[dimensions]\nlength = 3395\n")
    assert main(["import", "spec", str(spec)]) == 2
    line = _err_line(capsys)
    for item in ("vehicle.name (a string of 1-200 characters)",
                 "dimensions.width (number in [1000, 2500] mm)",
                 "dimensions.wheelbase (number in [1500, 4000] mm)"):
        assert item in line, line
    assert "dimensions.length" not in line
    section = re.search(r'docs/import\.md, "([^"]+)"', line).group(1)
    headings = re.findall(r"^#+ (.*)$", (DESIGNS.parents[1] / "docs" / "import.md")
                          .read_text(encoding="utf-8"), re.M)
    assert any(h.startswith(section) for h in headings), (section, headings)


def test_comma_separated_rule_packs_get_a_hint(capsys):
    """`compare --rules` takes commas, `evaluate --rules` spaces: say so."""
    assert main(["evaluate", str(ALTO), "--rules", "fmvss,us-ncap"]) == 2
    assert _err_line(capsys).endswith("several packs are separated by spaces, not commas")


@pytest.mark.parametrize("value,passed", [(300.0, True), (300.0 + 9.5e-10, True),
                                          (300.0 * (1 + 0.9e-6), True),
                                          (300.0 * (1 + 1.1e-6), False), (300.1, False)])
def test_a_bound_held_by_the_optimizer_passes(value, passed):
    """Study (a)'s optimum held fmvss208.ride_down_space at 300 mm with a margin of
    -9.5e-10 mm (feasible to the optimizer) and its compliance table said FAIL."""
    pack = parse_pack('[pack]\nid = "p"\nversion = "1"\ntitle = "t"\nsource = "s"\n'
                      '[[constraint]]\nid = "a.b"\nquantity = "mass:curb"\nupper = 300\n'
                      'units = "kg"\nsource = "me"\n', "p.toml")
    (rec,) = evaluate_constraints(pack, {"mass:curb": (value, "kg")})
    assert rec["passed"] is passed and rec["margin"] == pytest.approx(300.0 - value)


def test_a_byte_order_mark_is_read(tmp_path, capsys):
    """A design saved as 'UTF-8 with BOM' was 'not valid TOML: Invalid statement (at
    line 1, column 1)'."""
    f = tmp_path / "bom.toml"
    f.write_bytes(b"\xef\xbb\xbf" + ALTO.read_bytes())
    assert main(["check", str(f)]) == 0
    assert "bom.toml: ok (Alto class" in capsys.readouterr().out


@pytest.mark.parametrize("old,new,needle", [
    ("height = 1525", 'height = "60 inchs"', "unknown unit name 'inchs'; did you mean 'inch'?"),
    ("height = 1525", 'height = "1525 mmm"', "unknown unit name 'mmm'; did you mean 'mm'?"),
    ("cd = 0.32", 'cd = 0.32\nspeed_note = 1', "unknown key 'road.speed_note'"),
])
def test_unit_typos_name_the_nearest_unit(old, new, needle, tmp_path, capsys):
    """A misspelt unit said only 'unknown unit name' (review pass of 3 Dec 2026)."""
    bad = tmp_path / "bad.toml"
    bad.write_text(ALTO.read_text().replace(old, new, 1))
    assert main(["check", str(bad)]) == 2
    assert needle in _err_line(capsys)


def test_units_grammar_does_not_follow_openmdaos_cache():
    """OpenMDAO adds each prefixed name it converts ('mm', 'kN') to its unit table; the
    grammar read that table, so '1525 mmm' (milli-millimetre) was 'out of range' after a
    model had run and 'unknown unit name' before (the full test run saw the first)."""
    from openmdao.utils.units import convert_units

    from keidesign import units as ku

    convert_units(1.0, "mm", "m")
    convert_units(1.0, "kN", "N")
    for text in ("mmm", "kkN"):
        with pytest.raises(ku.UnitsError, match="did you mean"):
            ku.parse_units(text)
    assert [ku.parse_units(t).text for t in ("mm", "kN", "MJ", "Mm")] == [
        "mm", "kN", "MJ", "Mm"]


def test_kmh_and_mile_get_a_spelling_hint():
    from keidesign import units as ku

    for name, fix in (("kmh", "km/h"), ("mile", "mi"), ("miles", "mi"), ("GWh", "GW*h")):
        with pytest.raises(ku.UnitsError, match=re.escape(f"write '{fix}'")):
            ku.parse_units(name)
    with pytest.raises(ku.UnitsError) as exc:
        ku.parse_units("furlongs")
    assert "did you mean" not in str(exc.value)  # no near name: no guess


@pytest.mark.parametrize("table,needle", [
    ("[mass.content.extra]\nx = 1", "unknown table 'mass.content.extra' (valid here: no tables "
     "in [mass.content], only keys: advanced_airbags, curtain_airbags"),
    ("[mass.extra]\nx = 1", "unknown table 'mass.extra' (valid here: tables content; keys "
     "battery_specific_energy, curb_measured"),
])
def test_unknown_table_lists_the_keys_that_belong_there(table, needle, tmp_path, capsys):
    """A table inside [mass.content] (which holds only keys) said '(valid here: (none))'
    and suggested a key of another table ('energy.coastdown.a' for 'mass.content.a')."""
    bad = tmp_path / "bad.toml"
    bad.write_text(ALTO.read_text() + "\n" + table + "\n")
    assert main(["check", str(bad)]) == 2
    line = _err_line(capsys)
    assert needle in line and "(none)" not in line and "energy.coastdown" not in line
    bad.write_text(ALTO.read_text() + "\n[mass.content.a]\nx = 1\n")
    assert main(["check", str(bad)]) == 2
    assert "energy.coastdown.a" not in _err_line(capsys)


@pytest.mark.parametrize("cmd", [["rules"], ["check", str(ALTO)], ["evaluate", str(ALTO)]])
def test_a_rules_dir_typo_is_an_error(cmd, tmp_path, capsys):
    """`--rules-dir ./rulez` was silently an empty folder (then 'unknown id' or nothing)."""
    assert main([*cmd, "--rules-dir", str(tmp_path / "rulez")]) == 2
    assert _err_line(capsys).endswith(f"--rules-dir {tmp_path / 'rulez'}: does not exist; "
                                      "allowed: an existing folder of rule packs (*.toml)")
    (tmp_path / "afile").write_text("x")
    assert main([*cmd, "--rules-dir", str(tmp_path / "afile")]) == 2
    assert "afile: is not a folder" in _err_line(capsys)


def test_report_of_a_pareto_or_sweep_folder_says_where_it_goes(tmp_path, capsys):
    """A new user ran a Pareto front and a sweep and then `keidesign report` on their
    folders (pass s36d): 'has no results.json, evaluation.json, optimum.toml; allowed: a
    results folder written by `keidesign optimize --out DIR`', with no word of the
    --pareto / --sweep options that take them. The line now says it."""
    for cmd, name, what in (("pareto", "pareto.csv", "front"), ("sweep", "cases.csv", "map")):
        d = tmp_path / cmd
        d.mkdir()
        (d / name).write_text("a\n1\n", encoding="utf-8")
        assert main(["report", str(d)]) == 2
        assert _err_line(capsys) == (
            f"keidesign: error: keidesign report: {d} has no results.json, evaluation.json, "
            f"optimum.toml; allowed: a results folder written by `keidesign optimize --out "
            f"DIR` ({d} is a `keidesign {cmd}` folder: its {what} goes into the report of "
            f"an optimize result with --{cmd} {d})")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty)]) == 2
    assert _err_line(capsys).endswith("written by `keidesign optimize --out DIR`")
