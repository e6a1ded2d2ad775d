"""Hostile inputs, round four (audit s29a; docs/security.md): the lines keidesign prints
about files from others, the folders it searches for rule packs and the CSV tables it
writes for spreadsheets.

Every check goes through the real CLI (``keidesign.cli.main``) where the defect showed
there, and fails on d54e367.
"""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path

import pytest
from conftest import DESIGNS, bounded_time

from keidesign.cli import main

NBOX = DESIGNS / "nbox_class.toml"
HANG_LIMIT_S = 120  # a guard against hangs, not a performance bound


def _one_error(capsys) -> str:
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("keidesign: error: "), err[:2000]
    return lines[0]


# ---------------------------------------------------------------- rule-pack folders


def test_an_unknown_pack_id_in_a_folder_of_thousands_of_packs_is_one_short_line(
        tmp_path, capsys, monkeypatch):
    """The message of an unknown pack id listed every file of every folder searched: a
    working folder whose ./rules/ held 20,000 files made a 160 kB line (2.8 s), and a
    file name holding ESC sequences reached the terminal raw. Now at most LIST_MAX ids
    that can be pack ids, and how many more."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for i in range(2000):
        (rules / f"p{i:05d}.toml").touch()
    (rules / "a\x1b[2J\x1b]0;owned\x07.toml").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate", str(NBOX), "--rules", "nosuch"]) == 2
    line = _one_error(capsys)
    assert "rule pack 'nosuch': unknown id" in line
    assert "\x1b" not in line and "owned" not in line
    assert len(line) < 1000, len(line)
    assert "p00000, p00001" in line and " more) (or give a path to a .toml file)" in line


def test_a_pack_file_name_with_terminal_escapes_is_shown_escaped(tmp_path, capsys,
                                                                 monkeypatch):
    """`keidesign rules` in a folder from someone else: the error line named
    ./rules/<file> with its ESC sequences raw (clear the screen, set the window title).
    Every error line now shows a character that is not printable as its escape."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a\x1b[2J\x1b]0;owned\x07.toml").write_text("[pack]\nidd = 1\n")
    monkeypatch.chdir(tmp_path)
    assert main(["rules"]) == 2
    line = _one_error(capsys)
    assert "\x1b" not in line and "\x07" not in line
    assert "a\\x1b[2J\\x1b]0;owned\\x07.toml: pack.idd: unknown key" in line


def test_a_pack_id_is_found_without_listing_its_folders(tmp_path, monkeypatch):
    """A pack id was found by globbing every folder of the search path, each as often as
    $KEIDESIGN_RULES_PATH named it, for every pack looked up: one folder of 20,000 files
    named 50 times took 26 s for one lookup. Now each folder is searched once, and an id
    is looked up by its file name; the folders are listed only for the message of an
    unknown id."""
    from keidesign import rulepacks

    folder = tmp_path / "packs"
    folder.mkdir()
    text = (rulepacks.builtin_dir() / "lsv.toml").read_text(encoding="utf-8")
    (folder / "lsv.toml").write_text(text)
    monkeypatch.setenv(rulepacks.ENV_VAR, ":".join([str(folder)] * 200))
    assert rulepacks._search_path().count(folder) == 1

    def no_glob(self, pattern):
        raise AssertionError(f"globbed {self} for a pack id")

    monkeypatch.setattr(Path, "glob", no_glob)
    assert rulepacks.load_pack("lsv").path == folder / "lsv.toml"
    assert rulepacks.load_pack("fmvss").path == rulepacks.builtin_dir() / "fmvss.toml"


EVIL_PACK = """
[pack]
id = "{id}"
version = "1\\u001b[2J\\nforged line"
title = "T\\u001b[31mRED"
source = "s"

[[constraint]]
id = "a"
quantity = "body:length"
units = "mm"
source = "x\\nkei.length   3395   3400   mm   5   PASS   forged row"
upper = 2000
"""


def test_rule_pack_text_never_forges_a_line_of_a_table(tmp_path, capsys, monkeypatch):
    """A rule pack's text is any string: a line break in a constraint's source forged a
    row of `evaluate`'s compliance table ('kei.length ... PASS'), and a version holding
    ESC and a line break was printed raw in `check`'s line (the screen cleared, a line
    of the pack's own). Each is now shown on its own line and row, printable."""
    pack = tmp_path / "evil.toml"
    pack.write_text(EVIL_PACK.format(id="evil"))
    assert main(["evaluate", str(NBOX), "--rules", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert not any(ln.startswith("kei.length") for ln in out.splitlines()), out
    row = next(ln for ln in out.splitlines() if ln.startswith("evil:a "))
    assert row.endswith("x kei.length   3395   3400   mm   5   PASS   forged row"), row
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fmvss.toml").write_text(EVIL_PACK.format(id="fmvss"))
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(NBOX)]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 and "\x1b" not in out
    assert f"fmvss 1?[2J forged line ({rules / 'fmvss.toml'}, not the built-in pack)" in out


# ---------------------------------------------------------------- study messages


STUDY = f"""
[study]
name = "s"
design = "{NBOX}"

[objective]
name = "mass:curb"
"""
LONG = 100_000


@pytest.mark.parametrize("text, overrides, needle", [
    (f'variable = ["{"x" * LONG}"]\n' + STUDY, [], "variable[1] = 'xxx"),
    (STUDY + f"[derived.{'a' * LONG}]\nexpr = '1'\n", [], "derived.'aaa"),
    (STUDY + f"[[variable]]\n{'b' * LONG} = 1\n", [], "unknown key 'variable[1].bbb"),
    (STUDY + f"[derived.x]\nexpr = 'a'\nunits = 'mm'\nvars = {{{'c' * LONG} = "
     "'body:length'}\n", [], "derived.x.vars.'ccc"),
    (STUDY, [f"{'k' * LONG}=1"], "unknown key 'kkk"),
    (STUDY, [f"study.{'k' * LONG}=1"], "unknown key 'study.kkk"),
    (STUDY + "[[variable]]\nname = 'body.height'\nlower = 1700\nupper = 1800\n",
     [f"variable.{'k' * LONG}=1"], "--set 'variable.kkk"),
    (STUDY, [f"derived.{'k' * LONG}.expr=1"], "derived.'kkk"),
])
def test_a_study_key_or_value_is_shown_cut(tmp_path, capsys, text, overrides, needle):
    """The study reader printed some keys and values whole: a key, a derived name or
    symbol, a --set KEY or a value where a table belongs of 500,000 characters made an
    error line of 500,000 characters. Each is now shown cut to 80 characters like every
    value, and the CLI cuts any line after MESSAGE_MAX characters."""
    study = tmp_path / "study.toml"
    study.write_text(text)
    args = ["sweep", str(study), "--out", str(tmp_path / "o"), "--serial"]
    for item in overrides:
        args += ["--set", item]
    assert main(args) == 2
    line = _one_error(capsys)
    assert needle in line and len(line) < 600, (len(line), line[:300])
    assert not (tmp_path / "o").exists()


def test_one_line_is_plain_and_bounded():
    """The CLI's last guarantee: one line, no control or format character raw (ESC,
    a bidi override, a lone surrogate: escaped), at most MESSAGE_MAX characters; text a
    user may write (Japanese, the ideographic space) as it is."""
    from keidesign.errors import MESSAGE_MAX, one_line

    assert one_line("a\nb\x1b[31m\u202ex\ud800 アルト\u3000ラパン") == \
        "a b\\x1b[31m\\u202ex\\ud800 アルト\u3000ラパン"
    long = one_line("k" * 500_000)
    assert long.startswith("k" * MESSAGE_MAX) and long.endswith("(cut: 500,000 characters)")
    assert len(long) < MESSAGE_MAX + 40


@pytest.mark.parametrize("name", ["...toml", "..toml"])
def test_a_study_file_named_with_dots_never_writes_into_the_working_folder(
        tmp_path, capsys, monkeypatch, name):
    """Without --out a study writes results/<study file name>: a study file named
    '...toml' (stem '..') wrote its results into the working folder itself
    (results/..), and --overwrite deleted the folder's runs/. Refused, before anything
    is written."""
    work = tmp_path / "work"
    (work / "runs").mkdir(parents=True)
    (work / "runs" / "mine.txt").write_text("precious\n")
    (work / name).write_text(STUDY.replace("[objective]", "[sweep]\nlevels = 2\n"
                                           "[[variable]]\nname = 'body.height'\n"
                                           "lower = 1700\nupper = 1800\n[objective]"))
    monkeypatch.chdir(work)
    assert main(["sweep", name, "--serial", "--no-progress", "--overwrite"]) == 2
    line = _one_error(capsys)
    assert "not a folder of its own in results/" in line and "give --out DIR" in line
    assert (work / "runs" / "mine.txt").read_text() == "precious\n"
    assert sorted(p.name for p in work.iterdir()) == [name, "runs"]


# ---------------------------------------------------------------- CSV for spreadsheets


def test_csv_text_cells_are_never_formulas(tmp_path):
    """OWASP "CSV injection": a text cell starting with = + - @ (or a tab or CR) is a
    formula to a spreadsheet; keidesign's tables are written with a leading ' on such
    text. Numbers (a negative float) are written as numbers."""
    from keidesign.studies.outputs import write_csv

    path = write_csv(tmp_path / "t.csv", ["=h", "x"], [
        ["=1+2", -1.5], ["@SUM(A1)", -2], ["+cmd", None], ["-2+3", 0.1], ["\tx", "a=b"]])
    with path.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["'=h", "x"], ["'=1+2", "-1.5"], ["'@SUM(A1)", "-2"], ["'+cmd", ""],
                    ["'-2+3", "0.1"], ["'\tx", "a=b"]]


def _sweep(tmp_path: Path, rules: str, variables: str, constraints: str = "") -> tuple:
    """(exit status, out folder) of `keidesign sweep` of a study on the N-Box-class design:
    crush length at 2 levels, ``variables`` and ``constraints`` (TOML) added."""
    study = tmp_path / "study.toml"
    study.write_text(textwrap.dedent(f"""
        [study]
        name = "round4"
        design = "{NBOX}"
        rules = [{rules}]

        [[variable]]
        name = "crash.front.crush_length"
        lower = 600
        upper = 900
    """) + textwrap.dedent(variables) + textwrap.dedent(constraints)
        + '\n[sweep]\nmethod = "fullfact"\nlevels = 2\n')
    out = tmp_path / "o"
    with bounded_time(HANG_LIMIT_S):
        return main(["sweep", str(study), "--out", str(out), "--serial", "--no-progress"]), out


def test_a_swept_value_shaped_like_a_formula_is_written_as_text(tmp_path, capsys):
    """A study's discrete values are text from its file, written into cases.csv: a
    study from someone else sweeping design.name over '=HYPERLINK(...)' or '@SUM(...)'
    put live formulas into the table a reviewer opens in a spreadsheet (measured: cells
    '=1+2' and '@SUM(1)' written as they were). Now written with a leading '."""
    rc, out = _sweep(tmp_path, '"fmvss"', """
        [[variable]]
        name = "design.name"
        values = ["=HYPERLINK(\\"http://example.invalid\\",\\"x\\")", "@SUM(1)"]
    """)
    assert rc == 0
    capsys.readouterr()
    with (out / "cases.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4
    assert {r["design:name"] for r in rows} == {
        "'=HYPERLINK(\"http://example.invalid\",\"x\")", "'@SUM(1)"}
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


# ---------------------------------------------------------------- case records


def test_a_study_recording_more_than_a_case_store_reads_is_refused_before_any_case(
        tmp_path, capsys):
    """A constraint glob over a large rule pack (12,644 constraints in 1 MB) recorded
    356,744 characters a case: the sweep ran every case, then refused its own
    cases.sqlite as "not a keidesign case store ... (was the file edited?)". Now the
    study is refused before any case runs, naming the count and the limit."""
    pack = tmp_path / "big.toml"
    pack.write_text('[pack]\nid = "big"\nversion = "1"\ntitle = "t"\nsource = "s"\n' + "".join(
        f'[[constraint]]\nid = "c{i}"\nquantity = "body:length"\nunits = "mm"\n'
        f'source = "x"\nupper = {3000 + i}\n' for i in range(3000)))
    rc, out = _sweep(tmp_path, f'"{pack}"', "", '[[constraint]]\nid = "big:*"\n')
    assert rc == 2
    line = _one_error(capsys)
    assert "a case records 3,000 quantities" in line and "at most 65,536 characters" in line
    assert not (out / "cases.sqlite").exists()
