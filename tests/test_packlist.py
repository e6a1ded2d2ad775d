"""``keidesign rules``: the pack listing keeps its columns aligned for long cells."""

from __future__ import annotations

from keidesign.cli import main
from keidesign.packlist import CELL_MAX, format_pack_list
from keidesign.rulepacks import list_packs


def _aligned(out: str) -> bool:
    """Every row's version, count and title sit under their header (count right-aligned);
    wrapped lines continue in the version or title column."""
    lines = out.splitlines()
    head = lines[0]
    version, title = head.index("version"), head.index("title / file")
    count_end = head.index("constraints") + len("constraints")
    for ln in lines[1:]:
        if not ln[0].isspace():  # a pack's first line: id, version, count, title
            if not (ln[version - 2:version] == "  " and ln[version] != " "
                    and ln[count_end - 1].isdigit() and ln[count_end:title] == "  "
                    and ln[title] != " "):
                return False
        elif len(ln) - len(ln.lstrip()) not in (version, title):
            return False
    return True


def _rows(out: str) -> list[str]:
    return [ln for ln in out.splitlines()[1:] if ln and not ln[0].isspace()]


def test_every_built_in_pack_row_aligns(capsys):
    """The version, count and title of every pack start in the same column (a long
    version such as safe-iii's ``2025.12-proposed`` used to push its row right)."""
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    rows = _rows(out)
    assert {r.split()[0] for r in rows} >= {"safe-iii", "cafe-2024", "fmvss", "us-ncap"}
    assert _aligned(out), out


def test_listing_width_and_every_pack_file_shown():
    packs = list_packs()
    out = format_pack_list(packs, width=80)
    assert all(len(ln) <= 80 for ln in out.splitlines() if "/" not in ln), out
    for p in packs:
        assert f"{p.path.parent.name}/{p.path.name}" in out
        assert " ".join(p.title.split()) in " ".join(out.split())


def test_hostile_pack_text_stays_on_its_row(tmp_path, capsys):
    """A user's pack with a long version, a title holding line breaks and control
    characters, and a 10,000-character title: aligned rows, one line per piece, cut."""
    folder = tmp_path / "packs"
    folder.mkdir()
    for pid, version, title in (("aa", "v" * 40, "first\\nsecond\\u001b[31mred"),
                                ("bb", "1", "x " * 5000)):
        (folder / f"{pid}.toml").write_text(
            f'[pack]\nid = "{pid}"\nversion = "{version}"\ntitle = "{title}"\n'
            'source = "s"\n', encoding="utf-8")
    assert main(["rules", "--rules-dir", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "first second?[31mred" in " ".join(out.split())
    assert _aligned(out), out
    assert max(len(ln) for ln in out.splitlines()) <= 160
    assert out.count("x x") < 200 and "..." in out
    assert f"{'v' * CELL_MAX}" in out and "v" * (CELL_MAX + 1) not in out


def test_rules_pack_prints_the_reason_beside_every_unmodelled_criterion(capsys):
    """Issue 14 deliverable 4: ``keidesign rules fmvss`` lists each criterion; one no
    model computes says so on its row, with its reason on the next line."""
    from keidesign.catalogue.criteria import NOT_MODELLED, why_not_modelled
    from keidesign.evaluation import resolve_packs

    assert main(["rules", "fmvss"]) == 0
    lines = capsys.readouterr().out.splitlines()
    pack = resolve_packs(["fmvss"])[0]
    unmodelled = [c for c in pack.constraints if c.quantity in NOT_MODELLED]
    # SID-IIs lower spine (MDB, pole), ES-2re pole (4), fuel spillage (3)
    assert len(unmodelled) == 9
    assert "(40 constraints, 9 not modelled)" in " ".join(lines[:2])
    for con in pack.constraints:
        i = next(k for k, ln in enumerate(lines) if ln.startswith(con.id + " "))
        assert con.quantity in lines[i]
        if con in unmodelled:
            assert lines[i].endswith("  not modelled"), lines[i]
            why = " ".join(ln.strip() for ln in lines[i + 1:i + 6]
                           if ln.startswith("    "))
            assert why.startswith("why: needs ") and why_not_modelled(con.quantity)[:40] in why
        elif con.applies_to:  # Part 581: passenger cars only (49 CFR 581.3), the crash
            # standards: passenger cars and trucks (their application sections), and why
            assert lines[i].endswith(" only"), lines[i]
            assert lines[i + 1].startswith("    applies: 49 CFR 5")
        else:
            assert "not modelled" not in lines[i]
            assert i + 1 == len(lines) or not lines[i + 1].startswith("    ")


def test_rules_pack_bounds_and_a_bad_id(capsys):
    assert main(["rules", "kei-japan"]) == 0
    out = capsys.readouterr().out
    assert "(7 constraints, 0 not modelled)" in " ".join(out.split())
    assert "kei.length body:length <= 3400 mm" in [" ".join(ln.split())
                                                  for ln in out.splitlines()]
    assert main(["rules", "no-such-pack"]) == 2
    assert capsys.readouterr().err.startswith(
        "keidesign: error: rules: rule pack 'no-such-pack': unknown id")
