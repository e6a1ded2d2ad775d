"""A new engineer's pass with careless and hostile input (task s37d, 7 Dec 2026): each
test fails on the code before its fix (867fc28)."""

from __future__ import annotations

import pytest

from keidesign import units as ku


@pytest.mark.parametrize("text,near", [("Kg", "'kg'"), ("KG", "'kg'"), ("KM", "'km'"),
                                       ("Kw", "'kW'"), ("MM", "'mm'"), ("Inch", "'inch'")])
def test_a_unit_in_the_wrong_case_names_the_right_case(text, near):
    """'810 Kg' was offered 'Kig' (kibigram), '810 KG' nothing: unit names are
    case-sensitive and the message now says so, naming the name in the right case."""
    with pytest.raises(ku.UnitsError) as info:
        ku.parse_units(text)
    msg = str(info.value)
    assert f"did you mean {near}? (unit names are case-sensitive)" in msg
    assert "Kig" not in msg


@pytest.mark.parametrize("text,fix", [("kwh", "'kW*h'"), ("CC", "'cm**3'")])
def test_a_catalogue_spelling_in_another_case_gets_its_hint(text, fix):
    """'kwh' was offered 'kh' (kilo-hour), 'CC' nothing; 'kWh' and 'cc'
    had their hint."""
    with pytest.raises(ku.UnitsError) as info:
        ku.parse_units(text)
    assert f"is no unit here: write {fix}" in str(info.value)


def test_a_torque_in_capitals_is_told_it_reads_nautical_miles():
    """'65 NM' (a catalogue's N*m in capitals) was 'units 'NM' cannot be converted to
    'N*m'' with no word that NM is OpenMDAO's nautical mile."""
    assert "nautical miles here: a torque is written 'N*m'" in ku.spelling_hint("NM")


# --------------------------------------------------------------- TOML a user cannot see

def _toml_error(text: str) -> str:
    from keidesign.errors import InputError
    from keidesign.inputfiles import parse_toml

    with pytest.raises(InputError) as info:
        parse_toml(text, "d.toml")
    return str(info.value)


@pytest.mark.parametrize("key,name", [
    ("h\u0435ight", "U+0435 CYRILLIC SMALL LETTER IE"),     # a look-alike 'e'
    ("\uff48eight", "U+FF48 FULLWIDTH LATIN SMALL LETTER H"),
    ("he\u200bight", "U+200B ZERO WIDTH SPACE"),
    ("height\u00a0", "U+00A0 NO-BREAK SPACE"),
])
def test_a_look_alike_character_in_a_key_is_named(key, name):
    """'h<Cyrillic e>ight = 1790' said only "Expected '=' after a key in a key/value
    pair (at line 2, column 2)" of a line that looks right."""
    msg = _toml_error(f"[body]\n{key} = 1790\n")
    assert name in msg and "not ASCII" in msg
    assert "a key is ASCII letters, digits, '_' and '-'" in msg


def test_a_typographic_quote_is_named():
    msg = _toml_error('[body]\nheight = \u201c1790 mm\u201d\n')
    assert "U+201C LEFT DOUBLE QUOTATION MARK" in msg
    assert "straight quotes" in msg


def test_a_key_given_twice_is_named_with_both_lines():
    """'Cannot overwrite a value (at line 5, column 10)' named neither the key nor where
    it was given first."""
    msg = _toml_error('name = "x"\n[body]\nstyle = "hatch"\nlength = 3395\nstyle = "tallboy"\n')
    assert "'style' at line 5 is given a second time in its table (first at line 3)" in msg
    assert "allowed: each key once" in msg


def test_a_dotted_key_over_a_value_is_not_called_a_repeat():
    msg = _toml_error("[body]\nstyle = 1\nstyle.x = 2\n")
    assert "'style.x' at line 3 collides with a value given before" in msg


def test_a_table_declared_twice_is_named_with_both_lines():
    msg = _toml_error('[body]\nlength = 3395\n[road]\ncd = 0.3\n[body]\nwidth = 1475\n')
    assert "[body] is declared a second time at line 5 (first at line 1)" in msg


# --------------------------------------------------------------- a study's design path

def _study_error(tmp_path, design: str) -> str:
    from keidesign.errors import InputError
    from keidesign.studies.spec import load_study

    study = tmp_path / "study" / "s.toml"
    study.parent.mkdir(exist_ok=True)
    study.write_text(f'[study]\nname = "s"\ndesign = "{design}"\n')
    with pytest.raises(InputError) as info:
        load_study(study)
    return str(info.value)


def test_a_study_design_that_is_no_toml_names_the_study_field(tmp_path):
    """A study pointing at '../passwd' (a readable file that is no design) was
    'passwd: not valid TOML: Expected '=' ...': the study file and its field unnamed."""
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    msg = _study_error(tmp_path, "../passwd")
    assert msg.startswith(f"{tmp_path / 'study' / 's.toml'}: study.design = '../passwd': ")
    assert "not valid TOML" in msg and msg.count("allowed:") == 1


def test_a_study_design_that_is_a_folder_says_allowed_once(tmp_path):
    """'design file is a folder; allowed: a regular file ... (/etc); allowed: a design
    file relative to the study file': two 'allowed:' in one line."""
    (tmp_path / "d").mkdir()
    msg = _study_error(tmp_path, "../d")
    assert "study.design = '../d': design file is a folder" in msg
    assert msg.count("allowed:") == 1


# --------------------------------------------------------------- export paths

@pytest.mark.parametrize("option,path", [("--step", "/proc/keidesign_s37d.step"),
                                         ("--json", "/sys/keidesign_s37d.json")])
def test_export_to_a_folder_it_cannot_write_fails_before_the_build(option, path,
                                                                   monkeypatch, tmp_path):
    """'export d.toml --step /sys/x.step' built the body (42-50 s) and then said the
    STEP writer failed; the README promises such a path is refused before any work."""
    from conftest import DESIGNS

    import geometry.export as gx
    from keidesign.design import load_design
    from keidesign.errors import InputError

    def no_build(*_a, **_k):
        raise AssertionError("the body was built before the path was checked")

    monkeypatch.setattr(gx, "build", no_build)
    paths = ({"step": path} if option == "--step" else
             {"step": tmp_path / "x.step", "json_path": path})
    with pytest.raises(InputError) as info:
        gx.export(load_design(DESIGNS / "alto_class.toml"), **paths)
    msg = str(info.value)
    assert msg.startswith(f"{option} '{path}': cannot write a file in ")
    assert "allowed: a path this user may write" in msg


def test_a_writable_folder_keeps_no_probe(tmp_path):
    from keidesign.outpaths import file_folder

    file_folder(tmp_path / "a" / "x.step", "--step")
    assert [p.name for p in (tmp_path / "a").iterdir()] == []


@pytest.mark.parametrize("extra", [["--json", "side.json"], ["--render", "views"], []])
def test_export_without_a_cad_output_says_so_before_loading(extra, tmp_path, capsys,
                                                             monkeypatch):
    """'export d.toml --json side.json' loaded the design and its packs, then said 'no
    output requested', as if --json had not been given."""
    import keidesign.design as kd
    from keidesign.cli import main

    def no_load(*_a, **_k):
        raise AssertionError("the design was loaded before the options were checked")

    monkeypatch.setattr(kd, "load_design", no_load)
    monkeypatch.chdir(tmp_path)
    assert main(["export", "nowhere.toml", *extra]) == 2
    err = capsys.readouterr().err
    assert "no CAD output requested" in err
    if extra:
        assert f"{extra[0]} alone writes nothing" in err


# --------------------------------------------------------------- sweep summary

def test_a_sweep_summary_counts_messages_that_differ_only_in_numbers_together():
    """A 3,000-case LHS of the kei truck study (study (e)) printed 16 invalid cases as
    three lines of '(1 case)', one windshield message each with its own cowl position,
    and '13 more cases with 13 other messages': all 16 were that one reason."""
    from types import SimpleNamespace

    from keidesign.studies.sweep import format_summary

    def windshield(cowl: float, roof: int) -> str:
        return (f"the windshield (body.windshield_rake = 30 deg, cowl at x = {cowl} mm) "
                f"leaves {roof} mm of roof; allowed: at least 300 mm of roof")

    rows = ([{"status": "invalid", "message": windshield(680.681 - i, 285 + i)}
             for i in range(15)]
            + [{"status": "invalid", "message": "body.seats = 2 has no rear row"}]
            + [{"status": "ok", "feasible": True, "binding": "", "message": ""}])
    res = SimpleNamespace(counts=lambda: {"ok": 1, "invalid": 16, "error": 0, "feasible": 1},
                          rows=rows, runner="serial", n_cases=17, n_new=17, elapsed=1.0,
                          rate=17.0)
    lines = format_summary(SimpleNamespace(name="s", sweep={}), res).splitlines()
    assert lines[2:] == [f"  invalid (15 cases like this one, other numbers): "
                         f"{windshield(680.681, 285)}",
                         "  invalid (1 case): body.seats = 2 has no rear row"], lines


# --------------------------------------------------------------- report of another version

def _optimize_folder(tmp_path, evaluation: dict, optimum: str = "") -> object:
    """A results folder as `keidesign optimize` writes it, as far as the report reads it
    before any model runs."""
    import json

    from conftest import DESIGNS

    d = tmp_path / "res"
    d.mkdir()
    (d / "results.json").write_text(json.dumps({"schema": "keidesign.optimize/1",
                                                "study": "s"}))
    (d / "evaluation.json").write_text(json.dumps(evaluation))
    (d / "optimum.toml").write_text(optimum or (DESIGNS / "alto_class.toml").read_text())
    return d


def _evaluation(**kw) -> dict:
    from keidesign.evaluation import SCHEMA

    doc = {"schema": SCHEMA, "keidesign_version": "0.1.0", "design": {"name": "a"},
           "rules": [{"id": "kei-japan", "version": "1998.10", "path": None}],
           "constraints": [{"id": "kei-japan:kei.length"}], "summary": {}}
    doc.update(kw)
    return doc


def _report_error(folder) -> str:
    from keidesign.errors import InputError
    from keidesign.review.report import build_report

    with pytest.raises(InputError) as info:
        build_report(folder, compare_rules=None)
    return str(info.value)


def _old_key_optimum() -> str:
    from conftest import DESIGNS

    return (DESIGNS / "alto_class.toml").read_text().replace(
        "[body]\n", "[body]\nbelt_height = 900\n", 1)


def test_report_refuses_a_results_schema_it_does_not_read(tmp_path):
    """A folder whose files carry another schema ('keidesign.optimize/0') was reviewed
    as if this version had written it, without a word."""
    msg = _report_error(_optimize_folder(tmp_path,
                                         _evaluation(schema="keidesign.evaluation/0")))
    assert "evaluation.json: schema = 'keidesign.evaluation/0'" in msg
    assert "allowed: 'keidesign.evaluation/1'" in msg and "rerun the study" in msg


def test_report_of_another_version_says_so_in_its_error(tmp_path):
    """A record of a constraint this version's pack no longer has (the folder of an
    older keidesign, its pack of another version) said only 'not a constraint of the
    rule packs the file names ...; allowed: the file `keidesign optimize` writes'."""
    msg = _report_error(_optimize_folder(tmp_path, _evaluation(
        keidesign_version="0.0.9",
        rules=[{"id": "kei-japan", "version": "1990.01", "path": None}],
        constraints=[{"id": "kei-japan:kei.length_old"}])))
    assert "written by keidesign 0.0.9 with kei-japan 1990.01" in msg
    assert "this is keidesign 0.1.0 with kei-japan 1998.10" in msg


@pytest.mark.parametrize("version,needle", [
    ("0.0.9", "(the folder was written by keidesign 0.0.9; this is keidesign 0.1.0: rerun "
              "the study with this version)"),
    # keidesign's version is rarely bumped: the same number still says whose file it is
    ("0.1.0", "(optimum.toml is written by `keidesign optimize`: a folder of another "
              "keidesign version, or an edited file; rerun the study with this version)")])
def test_report_of_an_optimum_of_an_old_design_key_says_where_it_came_from(
        version, needle, tmp_path):
    msg = _report_error(_optimize_folder(tmp_path, _evaluation(keidesign_version=version),
                                         _old_key_optimum()))
    assert "unknown key 'body.belt_height'" in msg and needle in msg


# --------------------------------------------------------------- a catalogue's drive code

SPEC = """[vehicle]
name = "My car"
drive = "{drive}"
[dimensions]
length = 3395
width = 1475
height = 1640
wheelbase = 2460
[engine]
displacement = 658
power = "43 kW"
[transmission]
type = "cvt"
"""


@pytest.mark.parametrize("code,needle", [
    ("FF", "'FF' is a catalogue's front engine, front drive: write drive = 'fwd'"),
    ("MR", "'MR' is a catalogue's mid engine, rear drive: write drive = 'rwd' with "
           "layout = 'mid'"),
    ("2WD", "'2WD' names no axle: write drive = 'fwd' or 'rwd'")])
def test_a_catalogue_drive_code_is_told_what_to_write(code, needle, tmp_path, capsys):
    """A kei catalogue's drive column ('FF', 'FR', 'MR', 'RR', '2WD') was 'not a valid
    choice; allowed: one of 'fwd', 'rwd', 'awd', '4wd'' with no word of which."""
    from keidesign.cli import main

    spec = tmp_path / "s.toml"
    spec.write_text(SPEC.format(drive=code))
    assert main(["import", "spec", str(spec)]) == 2
    err = capsys.readouterr().err
    assert f"vehicle.drive = '{code}': not a valid choice; {needle}; allowed: one of" in err


# --------------------------------------------------------------- Ctrl-C

def test_the_interrupted_line_says_how_many_cases_are_recorded(tmp_path, capsys):
    """A Ctrl-C during a kei truck sweep's 25 s set-up said 'every finished case is
    recorded' with none recorded; after 75 s, with 1,856 recorded, the same words."""
    from keidesign.studies.commands import _interrupted
    from keidesign.studies.store import CaseStore

    assert _interrupted(tmp_path, "--resume") == 130
    assert "interrupted; no case yet recorded in" in capsys.readouterr().err
    store = CaseStore(tmp_path / "cases.sqlite", "f" * 16)
    store.add([{"hash": f"{i:016x}", "seq": i, "status": "ok", "inputs": {}, "outputs": {}}
               for i in range(2)])
    store.close()
    _interrupted(tmp_path, "--resume")
    err = capsys.readouterr().err
    assert "interrupted; 2 cases recorded in" in err and "--resume" in err


# --------------------------------------------------------------- a folder as the file

def test_a_folder_of_design_files_given_as_one_says_how_to_name_them(tmp_path, capsys):
    """'keidesign evaluate studies/designs' said only 'design file is a folder'."""
    from conftest import DESIGNS

    from keidesign.cli import main

    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text((DESIGNS / "alto_class.toml").read_text())
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert (f"design file is a folder (of 2 .toml files: name them, e.g. "
            f"{tmp_path}/*.toml); allowed: a regular file") in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
    assert "design file is a folder; allowed:" in capsys.readouterr().err
