"""Hostile inputs, round five (audit s30c; docs/security.md).

Every check goes through the real CLI (``keidesign.cli.main``) where the defect showed
there, and fails on 143e55e. The hostile sizes here are kept small enough for the old
code to answer (wrongly) in about a second; the full-size cases measured on the old
code are in docs/security.md.
"""

from __future__ import annotations

import subprocess
import time
import tomllib
from pathlib import Path

import pytest
from conftest import DESIGNS, ROOT, bounded_time

from keidesign.cli import main

NBOX = DESIGNS / "nbox_class.toml"
STUDY = ROOT / "studies" / "feasibility_crush_height.toml"


def _one_error(capsys) -> str:
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("keidesign: error: "), err[:2000]
    return lines[0]


def _dotted(n: int, part: str = "a") -> str:
    return ".".join([part] * n)


# ---------------------------------------------------------------- TOML keys of many parts
# tomllib's time grows with the square of a key's parts, and for a dotted key of a
# key/value line its memory too: a design file with one key of 100,000 parts (200 kB)
# was killed at 23 GB after 168 s of `keidesign check` on 143e55e.

DEEP_PARTS = 3000  # 0.3 s and ~40 MB in tomllib: the old code answered, wrongly


@pytest.mark.parametrize("where", ["body key", "table header", "array of tables",
                                   "inline table", "quoted parts"])
def test_a_design_key_of_thousands_of_dotted_parts_is_refused_before_parsing(
        tmp_path, capsys, where):
    text = NBOX.read_text(encoding="utf-8")
    deep = _dotted(DEEP_PARTS)
    text = {"body key": text.replace("[body]\n", f"[body]\n{deep} = 1\n"),
            "table header": text + f"\n[{deep}]\nx = 1\n",
            "array of tables": text + f"\n[[{deep}]]\nx = 1\n",
            "inline table": text.replace("[body]\n", f"[body]\nx = {{{deep} = 1}}\n"),
            "quoted parts": text.replace("[body]\n",
                                         f"[body]\n{_dotted(DEEP_PARTS, chr(34) + 'a' + chr(34))}"
                                         " = 1\n")}[where]
    bad = tmp_path / "deep.toml"
    bad.write_text(text, encoding="utf-8")
    with bounded_time(60):
        assert main(["check", str(bad)]) == 2
    line = _one_error(capsys)
    assert "deep.toml: line " in line and "a key of more than 32 dotted parts; allowed: at " \
           "most 32" in line, line
    assert len(line) < 300


def test_a_rule_pack_study_and_spec_key_of_thousands_of_parts_is_one_line(tmp_path, capsys):
    deep = _dotted(DEEP_PARTS)
    pack = tmp_path / "pack.toml"
    pack.write_text(f'[pack]\nid = "p"\n{deep} = 1\n', encoding="utf-8")
    study = tmp_path / "study.toml"
    study.write_text(STUDY.read_text(encoding="utf-8") + f"\n[{deep}]\n",
                     encoding="utf-8")
    spec = tmp_path / "spec.toml"
    spec.write_text(f"[vehicle]\n{deep} = 1\n", encoding="utf-8")
    for argv, name in ((["rules", str(pack)], "pack.toml"),
                       (["sweep", str(study), "--out", str(tmp_path / "out")], "study.toml"),
                       (["import", "spec", str(spec), "-o", str(tmp_path / "d.toml")],
                        "spec.toml")):
        with bounded_time(60):
            assert main(argv) == 2, argv
        line = _one_error(capsys)
        assert f"{name}: line " in line and "more than 32 dotted parts" in line, line
    assert not (tmp_path / "out" / "cases.sqlite").exists()
    assert not (tmp_path / "d.toml").exists()


def test_a_set_value_of_an_inline_table_of_thousands_of_parts_is_one_line(tmp_path, capsys):
    """`--set KEY={a.a.a...=1}`: tomllib read the inline table's key in square time
    (40,000 parts, the most a command-line argument holds ~65,000: 7.7 s)."""
    with bounded_time(60):
        assert main(["sweep", str(STUDY), "--out", str(tmp_path / "out"), "--set",
                     f"study.name={{{_dotted(DEEP_PARTS)} = 1}}"]) == 2
    line = _one_error(capsys)
    assert "--set 'study.name={a.a.a" in line
    assert "the value holds a key of more than 32 dotted parts; allowed: at most 32" in line


def test_the_key_parts_check_is_linear_and_refuses_no_shipped_file():
    """The check itself on 1 MiB of the worst texts for it (each token a word, a dot, an
    open string) answers in a few seconds; every shipped TOML file and a key of exactly
    KEY_PARTS_MAX parts pass it, and a number's dot, a string's or a comment's dots do
    not count."""
    from keidesign.errors import InputError
    from keidesign.inputfiles import KEY_PARTS_MAX, check_key_parts, parse_toml

    files = subprocess.run(["git", "ls-files", "*.toml"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    assert len(files) > 50
    for f in files:  # both limits (key parts, nesting) leave every shipped file as it is
        text = (ROOT / f).read_text(encoding="utf-8")
        assert parse_toml(text, f) == tomllib.loads(text), f
    ok = (f"{_dotted(KEY_PARTS_MAX)} = 1\n"
          f"s = \"{'a.' * 1000}\"\nm = '''\n{'a.' * 1000}\n'''\n# {'a.' * 1000}\n"
          f"x = [{', '.join(['1.5'] * 1000)}]\n")
    assert parse_toml(ok, "ok.toml")["s"].startswith("a.a.")
    # the shapes of the CLI tests are valid TOML: refused for their parts, not their syntax
    for text in (f"[{_dotted(40)}]\n", f"[[{_dotted(40)}]]\n", f"x = {{{_dotted(40)} = 1}}\n",
                 f"{_dotted(40, chr(34) + 'a' + chr(34))} = 1\n"):
        tomllib.loads(text)
        with pytest.raises(InputError, match="line 1: a key of more than 32 dotted parts"):
            parse_toml(text, "x.toml")
    with pytest.raises(InputError, match="line 8: a key of more than"):
        check_key_parts(ok + f"{_dotted(KEY_PARTS_MAX + 1)} = 1\n", "bad.toml")
    mib = 1 << 20
    for text in (_dotted(mib // 2) + " = 1", "." * mib, "a.b\n" * (mib // 4),
                 '"' + "\\" * mib, "x = [" + "1.5," * (mib // 4) + "]", '"\\"\'.' * (mib // 5)):
        t0 = time.perf_counter()
        try:
            parse_toml(text, "big.toml")
        except InputError:
            pass
        assert time.perf_counter() - t0 < 20, text[:40]



# ---------------------------------------------------------------- ids ending in a line break
# The id patterns ended in `$`, which also matches before a final line break.


def test_a_constraint_id_ending_in_a_line_break_is_refused(tmp_path, capsys):
    """A pack's constraint id "lsv.top_speed\\n" passed the id check and split
    `evaluate`'s table row (and `rules`' listing) in two."""
    pack = tmp_path / "lsvx.toml"
    text = (ROOT / "keidesign" / "rules" / "lsv.toml").read_text(encoding="utf-8")
    pack.write_text(text.replace('id = "lsv"', 'id = "lsvx"').replace(
        'id = "lsv.top_speed"', 'id = "lsv.top_speed\\n"', 1), encoding="utf-8")
    assert main(["rules", str(pack)]) == 2
    line = _one_error(capsys)
    assert "constraint[1].id = 'lsv.top_speed\\n': not a dotted lower-case id" in line, line


def test_a_derived_name_ending_in_a_line_break_is_one_line(tmp_path, capsys):
    """`[derived."x\\n"]` passed the name check and reached OpenMDAO's add_subsystem: a
    NameError traceback after the study's problem was built."""
    study = tmp_path / "study.toml"
    study.write_text(STUDY.read_text(encoding="utf-8").replace(
        '"designs/nbox_class.toml"', repr(str(NBOX)).replace("'", '"'))
        + '\n[derived."x\\n"]\nexpr = "2 * m"\nunits = "kg"\nvars = { m = "mass:curb" }\n',
        encoding="utf-8")
    with bounded_time(120):
        assert main(["sweep", str(study), "--out", str(tmp_path / "out")]) == 2
    line = _one_error(capsys)
    assert "study.toml: derived." in line and "x\\n" in line, line
    assert not (tmp_path / "out" / "cases.csv").exists()


# ---------------------------------------------------------------- file names on stdout
# s29a escaped every error line; the lines a command prints on success named a file of
# someone else's folder raw, ESC sequences included (clear the screen, set the title).

ESC_NAME = "a\x1b[2J\x1b]0;owned\x07"


def test_check_names_a_good_file_with_terminal_escapes_escaped(tmp_path, capsys, monkeypatch):
    design = tmp_path / f"{ESC_NAME}.toml"
    design.write_text(NBOX.read_text(encoding="utf-8"), encoding="utf-8")
    # a relative name: the ok line cuts a long path (pytest-xdist's tmp_path is long)
    monkeypatch.chdir(tmp_path)
    assert main(["check", design.name]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out, out
    assert "a\\x1b[2J\\x1b]" in out and ": ok (" in out


def test_a_sweep_names_its_default_results_folder_escaped(tmp_path, capsys, monkeypatch):
    """`keidesign sweep <study>` writes results/<study file stem>: a study file named with
    ESC sequences put them on the terminal in the "results in ..." line."""
    study = tmp_path / f"{ESC_NAME}.toml"
    study.write_text(STUDY.read_text(encoding="utf-8").replace(
        '"designs/nbox_class.toml"', repr(str(NBOX)).replace("'", '"')), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with bounded_time(300):
        assert main(["sweep", str(study), "--set", "sweep.levels=2", "--set", "sweep.chunk=4",
                     "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out, out[-500:]
    assert "keidesign: results in 'results/a\\x1b[2J\\x1b]0;owned\\x07'/ (" in out


# ---------------------------------------------------------------- results folders


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  '{"a":' * 50_000 + "1" + "}" * 50_000])
def test_a_history_nested_too_deeply_is_one_error(tmp_path, text):
    """`history.json` of 100,000 nested arrays (200 kB) was a RecursionError from the
    JSON decoder: a traceback from the review notebooks' figure, and in `keidesign
    report` a note 'RecursionError: maximum recursion depth exceeded' instead of the
    reason."""
    from keidesign.errors import InputError
    from keidesign.review import plots

    history = tmp_path / "history.json"
    history.write_text(text)
    with pytest.raises(InputError, match="not a keidesign optimization history"):
        plots.optimization_history(history)


@pytest.mark.parametrize("objectives", [2, 3])
def test_a_pareto_table_of_extreme_finite_values_draws(tmp_path, objectives):
    """Two points at +-1e308 in `pareto.csv` overflowed matplotlib's axis range: a
    ValueError traceback ('arange: cannot compute length', 'Axis limits cannot be NaN or
    Inf') from the review figure (a bare note in `keidesign report --pareto`). Values
    beyond PLOT_MAX are drawn as missing, like 'nan'."""
    from keidesign.review import plots

    head = ["point", "eps b (kg)", "a (kg)", "b (kg)", "success", "feasible", "on_front"]
    rows = [[0, 0, 1e308, 1], [1, 0, -1e308, 2], [2, 0, 3, 4]]
    if objectives == 3:
        head[2:2] = ["eps c (kg)"]
        head[5:5] = ["c (kg)"]
        rows = [[0, 0, 0, 1, 2, 1e308], [1, 0, 0, 2, 3, -1e308], [2, 0, 0, 3, 4, 5]]
    (tmp_path / "pareto.csv").write_text("\n".join(
        [",".join(head)] + [",".join(map(str, r + ["True"] * 3)) for r in rows]) + "\n")
    plots.save(plots.pareto_front(tmp_path), tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 1000


@pytest.mark.parametrize("cells", [[], [("nan", 1)], [(1e308, 1), (-1e308, 2)]])
def test_a_feasibility_map_without_a_drawable_case_is_one_error(tmp_path, cells):
    """A `cases.csv` of no case with numbers on both axes (a header only, 'nan') was a
    ValueError traceback from np.vectorize (an empty grid)."""
    import json

    from keidesign.errors import InputError
    from keidesign.review import plots

    (tmp_path / "summary.json").write_text(json.dumps(
        {"study": "s", "map": ["body.height", "body.length"]}))
    (tmp_path / "cases.csv").write_text("\n".join(
        ["body:height [mm],body:length [mm],status,feasible,binding"]
        + [f"{x},{y},ok,False,kei.length" for x, y in cells]) + "\n")
    with pytest.raises(InputError, match="no case with a number in 'body:height"):
        plots.feasibility_map(tmp_path)


# ---------------------------------------------------------------- the import's result cache


@pytest.mark.parametrize("entry", ["fifo", "device", "shape", "huge"])
def test_a_planted_cache_entry_is_a_miss(tmp_path, monkeypatch, entry):
    """`keidesign import`'s on-disk results ($KEIDESIGN_CACHE_DIR, which a team may share)
    were read whole with Path.read_text and converted unchecked: a FIFO at an entry's path
    hung the import, a link to /dev/zero filled the memory, a result of another shape was
    a ValueError traceback. Now each is a miss: the model runs."""
    import os

    from keidesign.specs import build, resultcache, sources
    from keidesign.specs.text import design_text

    monkeypatch.setenv("KEIDESIGN_CACHE_DIR", str(tmp_path))
    spec = sources.vehicle_spec("Suzuki Alto", None, None, None, None, None, 0)
    computed = design_text(*build.build_design(spec, cache=True))
    found = sorted((tmp_path / "restraint").glob("*.json"))
    assert found
    for f in found:
        f.unlink()
        if entry == "fifo":
            os.mkfifo(f)
        elif entry == "device":
            f.symlink_to("/dev/zero")
        elif entry == "shape":
            f.write_text('{"result": ["x", "y"]}')
        else:
            f.write_text('{"result": [' + "1," * resultcache.MAX_ENTRY + "1]}")
    with bounded_time(120):
        assert design_text(*build.build_design(spec, cache=True)) == computed


def test_a_study_nested_hundreds_of_levels_is_one_line(tmp_path, capsys):
    """A study of a 32-part header over a 32-part key over 450 nested arrays (tomllib
    reads it) was a RecursionError traceback from `keidesign sweep` (copy.deepcopy of the
    study before its --set overrides). Tables and arrays nest at most TOML_DEPTH_MAX
    levels in any file read."""
    from keidesign.inputfiles import TOML_DEPTH_MAX

    deep = f"\n[{_dotted(32, 'h')}]\n{_dotted(32, 'k')} = {'[' * 450}1{']' * 450}\n"
    study = tmp_path / "study.toml"
    study.write_text(STUDY.read_text(encoding="utf-8").replace(
        '"designs/nbox_class.toml"', repr(str(NBOX)).replace("'", '"')) + deep,
        encoding="utf-8")
    with bounded_time(60):
        assert main(["sweep", str(study), "--out", str(tmp_path / "out")]) == 2
    line = _one_error(capsys)
    assert f"study.toml: tables and arrays nested more than {TOML_DEPTH_MAX} levels deep" \
        in line, line
    design = tmp_path / "design.toml"
    design.write_text(NBOX.read_text(encoding="utf-8") + deep, encoding="utf-8")
    assert main(["check", str(design)]) == 2
    assert "design.toml: tables and arrays nested more than" in _one_error(capsys)


# ---------------------------------------------------------------- long pack text in tables


def test_a_constraint_id_of_300000_characters_is_refused(tmp_path, capsys):
    """A constraint id had no length limit: one of 300,000 characters made a row of
    300,162 characters in `evaluate`'s table (300,086 in `compare --rules`)."""
    from keidesign.rulepacks import CON_ID_MAX

    pack = tmp_path / "t1.toml"
    text = (ROOT / "keidesign" / "rules" / "lsv.toml").read_text(encoding="utf-8")
    pack.write_text(text.replace('id = "lsv"', 'id = "t1"').replace(
        'id = "lsv.top_speed"', f'id = "lsv.{"a" * 300_000}"', 1), encoding="utf-8")
    assert main(["rules", str(pack)]) == 2
    line = _one_error(capsys)
    assert f": 300,004 characters; allowed: at most {CON_ID_MAX}" in line
    assert len(line) < 400


def test_a_pack_version_of_300000_characters_is_cut_in_the_packs_line(tmp_path, capsys):
    """A pack's version is any text: `evaluate`'s packs line printed one of 300,000
    characters whole (a 300,143-character line)."""
    pack = tmp_path / "t1.toml"
    text = (ROOT / "keidesign" / "rules" / "lsv.toml").read_text(encoding="utf-8")
    pack.write_text(text.replace('id = "lsv"', 'id = "t1"').replace(
        'version = "2026.12"', f'version = "{"V" * 300_000}"'), encoding="utf-8")
    with bounded_time(120):
        assert main(["evaluate", str(NBOX), "--rules", str(pack)]) == 0
    out = capsys.readouterr().out
    assert max(len(s) for s in out.splitlines()) < 400
    assert "t1 " + "V" * 37 + "..." in out


def _pack_with_applicability(tmp_path: Path, text: str) -> Path:
    pack = tmp_path / "t1.toml"
    lsv = (ROOT / "keidesign" / "rules" / "lsv.toml").read_text(encoding="utf-8")
    pack.write_text(lsv.replace('id = "lsv"', 'id = "t1"').replace(
        "lower = 20.0", f'applies_to = ["lsv"]\napplicability = "{text}"\nlower = 20.0', 1),
        encoding="utf-8")
    return pack


def test_compare_shows_a_packs_applicability_on_one_printable_line(tmp_path, capsys):
    """`compare --rules A --rules B` printed a not-applicable reason (a pack's
    `applicability`, any text) raw under its table: ESC sequences reached the terminal
    and a line break forged a row ('kei.length ... PASS')."""
    pack = _pack_with_applicability(
        tmp_path, "x\\u001b[2J\\u001b]0;owned\\u0007\\nkei.length  3395.0  3400.0  mm  PASS")
    with bounded_time(300):
        assert main(["compare", str(NBOX), "--rules", str(pack), "--rules", "fmvss"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert not any(s.startswith("kei.length  3395.0") for s in out.splitlines())
    assert "applies to lsv only (x?[2J?]0;owned? kei.length  3395.0  3400.0  mm  PASS)" in out


def test_an_applicability_of_300000_characters_is_cut_in_the_notes(tmp_path, capsys):
    """A not-applicable reason quoting an `applicability` of 300,000 characters was one
    line of 300,003 characters under `evaluate`'s table and 300,119 under `compare`'s."""
    from keidesign.errors import NOTE_MAX

    pack = _pack_with_applicability(tmp_path, "A" * 300_000)
    with bounded_time(300):
        assert main(["evaluate", str(NBOX), "--rules", str(pack)]) == 0
        assert main(["compare", str(NBOX), "--rules", str(pack), "--rules", "fmvss"]) == 0
    out = capsys.readouterr().out
    assert max(len(s) for s in out.splitlines()) <= NOTE_MAX
    assert "A" * 100 + "..." in out
