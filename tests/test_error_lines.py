"""The exact shape of the CLI's error lines: one ``keidesign: error: `` prefix, then the
file, the field, the value, the problem said once and what is allowed (review pass of
4 Dec 2026: a unit typo named its unit twice, "expected ... (expected a number first)"
said "expected" twice, and a bad pack in a study or in ``--rules`` named neither the
file nor the option)."""

from __future__ import annotations

import pytest
from conftest import DESIGNS, ROOT, STUDY_BASE

from keidesign.cli import main
from keidesign.errors import InputError
from keidesign.studies.spec import parse_study

MIRAGE = DESIGNS / "mirage_class.toml"
PACKS = ("cafe-2022, cafe-2024, epa-ghg, epa-label, fmvss, kei-japan, lsv, packaging, "
         "safe-iii, us-highway, us-ncap")


def _line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.mark.parametrize("old,new,line", [
    ('length = "151.4 inch"', 'length = "151.4 inchs"',
     "keidesign: error: bad.toml: body.length = '151.4 inchs': unknown unit name 'inchs'; "
     "did you mean 'inch'?; allowed: number in [2000, 6000] mm"),
    ('length = "151.4 inch"', 'length = "151.4 kg*inchx"',
     "keidesign: error: bad.toml: body.length = '151.4 kg*inchx': units 'kg*inchx': "
     "unknown unit name 'inchx'; did you mean 'inch'?; allowed: number in [2000, 6000] mm"),
    ('length = "151.4 inch"', 'length = "abc inch"',
     "keidesign: error: bad.toml: body.length = 'abc inch': expected a number or a quantity "
     "string like '12.5 mm'; allowed: number in [2000, 6000] mm"),
    ("seats = 5", 'seats = "five"',
     "keidesign: error: bad.toml: body.seats = 'five': expected a number; allowed: integer "
     "in [1, 9]"),
    ("cd = 0.29 ", "cd = 7.0 ",
     "keidesign: error: bad.toml: road.cd = 7.0: out of range; allowed: number in [0.15, 0.8]"),
    ('"packaging"]', '"packagng"]',
     "keidesign: error: bad.toml: design.rules: rule pack 'packagng': unknown id (did you "
     f"mean 'packaging'?); available packs: {PACKS} (or give a path to a .toml file)"),
])
def test_check_error_line(old, new, line, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = MIRAGE.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "bad.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["check", "bad.toml"]) == 2
    assert _line(capsys) == line


def test_unknown_key_line_names_the_key_once(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = MIRAGE.read_text(encoding="utf-8").replace("seats = 5", "seets = 5", 1)
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    assert main(["check", "bad.toml"]) == 2
    line = _line(capsys)
    assert line.startswith("keidesign: error: bad.toml: unknown key 'body.seets'; did you "
                           "mean 'body.seats'? (valid here: ")
    assert line.count("error:") == 1 and line.count("bad.toml") == 1


def test_evaluate_rules_option_names_the_option(capsys):
    assert main(["evaluate", str(MIRAGE), "--rules", "nope"]) == 2
    assert _line(capsys) == (f"keidesign: error: --rules: rule pack 'nope': unknown id; "
                             f"available packs: {PACKS} (or give a path to a .toml file)")


def test_study_rules_name_the_study_and_the_field():
    text = STUDY_BASE.replace('design = "designs/nbox_class.toml"',
                              'design = "designs/nbox_class.toml"\nrules = ["fmvs"]')
    with pytest.raises(InputError) as exc:
        parse_study(text, "s.toml", base_dir=ROOT / "studies")
    assert str(exc.value).startswith("s.toml: study.rules: rule pack 'fmvs': unknown id "
                                     "(did you mean 'fmvss'?); available packs: ")


@pytest.mark.parametrize("raw,problem", [
    ('"600 mmm"', "unknown unit name 'mmm'; did you mean 'mm'?"),
    ('"abc"', "expected a number or a quantity"),
])
def test_study_quantity_says_the_problem_once(raw, problem):
    text = STUDY_BASE.replace("lower = 600", f"lower = {raw}")
    with pytest.raises(InputError) as exc:
        parse_study(text, "s.toml", base_dir=ROOT / "studies")
    assert str(exc.value) == f"s.toml: variable[1].lower = {raw.replace(chr(34), chr(39))}: " \
        f"{problem}; allowed: a number in mm, or a quantity in units that convert to mm " \
        "(e.g. '12.5 mm')"
