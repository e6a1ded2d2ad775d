"""Output paths of the CLI: missing folders are created (``mkdir -p``); a path that cannot
be is one error line naming the option and the path, before any work is done."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DESIGNS

from keidesign.cli import main

NBOX = DESIGNS / "nbox_class.toml"


def _err_line(capsys) -> str:
    err = [ln for ln in capsys.readouterr().err.strip().splitlines()
           if ln.startswith("keidesign: error: ")]
    assert len(err) == 1, err
    return err[0]


def test_variables_and_import_create_missing_folders(tmp_path, capsys):
    """These used to stop with 'No such file or directory' (export created its folders:
    the writers disagreed)."""
    page = tmp_path / "a" / "b" / "variables.md"
    assert main(["variables", "--output", str(page)]) == 0
    assert page.read_text(encoding="utf-8").startswith("# Variable registry")
    design = tmp_path / "c" / "d" / "alto.toml"
    assert main(["import", "vehicle", "Suzuki Alto", "-o", str(design)]) == 0
    assert design.read_text(encoding="utf-8").startswith("# Imported from")


def test_export_creates_the_folder_of_every_output(tmp_path, capsys):
    step, stl, side = tmp_path / "s" / "a.step", tmp_path / "t" / "a.stl", \
        tmp_path / "j" / "k" / "a.json"
    assert main(["export", str(NBOX), "--step", str(step), "--stl", str(stl),
                 "--json", str(side)]) == 0
    assert all(p.stat().st_size > 0 for p in (step, stl, side))


@pytest.mark.parametrize("args,option", [
    (["variables", "--output", "{f}/variables.md"], "--output"),
    (["import", "vehicle", "Suzuki Alto", "-o", "{f}/alto.toml"], "-o"),
    (["export", str(NBOX), "--step", "{f}/a.step"], "--step"),
    (["export", str(NBOX), "--step", "{d}/a.step", "--json", "{f}/x/a.json"], "--json"),
    (["export", str(NBOX), "--glb", "{d}/a.glb", "--render", "{f}/views"], "--render"),
    (["compare", str(NBOX), str(DESIGNS / "nbox_class_us.toml"), "--plot", "{f}/p"],
     "--plot"),
    (["validate", "--quick", "--json", "{f}/v.json"], "--json"),
    (["validate", "--quick", "--plots", "{f}/plots"], "--plots"),
    (["report", "{d}", "--out", "{f}/r.html"], "--out"),
    (["classify", str(NBOX), "--map", "{f}/m.png"], "--map"),
])
def test_a_folder_below_a_file_is_one_line_before_any_work(tmp_path, capsys, args, option):
    """A path whose folder would sit below a regular file: one line naming the option,
    the path and the file in the way; nothing written."""
    blocker = tmp_path / "afile"
    blocker.write_text("keep me", encoding="utf-8")
    argv = [a.format(f=blocker, d=tmp_path) for a in args]
    assert main(argv) == 2
    line = _err_line(capsys)
    assert f"{option} '{blocker}/" in line, line
    assert f"{blocker} is not a folder" in line or f"{blocker} exists and is not a folder" \
        in line, line
    assert blocker.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_an_output_file_that_is_a_folder_is_one_line(tmp_path, capsys):
    assert main(["variables", "--output", str(tmp_path)]) == 2
    assert "--output" in (line := _err_line(capsys)) and "is a folder" in line


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("kind", ["step", "stl", "glb"])
def test_a_writer_that_fails_is_an_error_not_a_success(kind, tmp_path, capsys):
    """The CadQuery writers report a failure by their return value: export used to print
    the path as written and exit 0."""
    assert main(["export", str(NBOX), f"--{kind}", "/dev/full",
                 "--json", str(tmp_path / "a.json")]) == 2
    assert f"--{kind} /dev/full: cannot write" in _err_line(capsys)


def test_replace_file_never_writes_through_a_link(tmp_path):
    """Writing in place wrote through a hard link (st_nlink > 1) the file the other name
    (outside the results folder) also is, and through a symbolic link its target (s31l):
    replace_file renames a new file onto the name, leaving the other name's file as it
    was, with a new file's permissions and no temporary file behind."""
    import os

    from keidesign.outpaths import replace_file

    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    folder = tmp_path / "results"
    folder.mkdir()
    os.link(victim, folder / "cases.csv")
    (folder / "summary.json").symlink_to(victim)
    assert (folder / "cases.csv").stat().st_nlink == 2
    for name in ("cases.csv", "summary.json", "new.txt"):
        assert replace_file(folder / name, f"written {name}\n") == folder / name
        assert (folder / name).read_text() == f"written {name}\n"
        st = (folder / name).lstat()
        assert st.st_nlink == 1 and not (folder / name).is_symlink()
    assert victim.read_text() == "precious\n" and victim.stat().st_nlink == 1
    umask = os.umask(0)
    os.umask(umask)
    assert (folder / "new.txt").stat().st_mode & 0o777 == 0o666 & ~umask
    replace_file(folder / "b.png", b"\x89PNG")
    assert (folder / "b.png").read_bytes() == b"\x89PNG"
    assert sorted(p.name for p in folder.iterdir()) == ["b.png", "cases.csv", "new.txt",
                                                        "summary.json"]
