"""The docs as a new user reads them (docs-as-a-user review, task s30g, 6 Dec 2026): every
relative link and anchor resolves, every section a doc cites by name exists, every command
quoted in README.md, docs/*.md and the notebooks' text names a script, module, option,
probe and file that exist, and the layout errors docs/geometry.md shows are the ones the
check prints (its roof-fillet line said <= 453 mm where the check says 404 since issue 3).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shlex

import pytest
from conftest import DESIGNS, ROOT, benchmark_module

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FENCE = re.compile(r"```.*?```", re.S)


def _prose(text: str) -> str:
    """``text`` with its fenced blocks blanked (line numbers kept)."""
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _headings(path) -> list[str]:
    return [m.group(1).strip() for m in
            re.finditer(r"^#{1,6}\s+(.*)$", _prose(path.read_text(encoding="utf-8")), re.M)]


def _anchors(path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for h in _headings(path):
        s = _slug(h)
        n = seen.get(s, 0)
        seen[s] = n + 1
        out.add(s if n == 0 else f"{s}-{n}")
    return out | set(re.findall(r'<a (?:name|id)="([^"]+)"', path.read_text(encoding="utf-8")))


def _links():
    for doc in DOCS:
        for m in re.finditer(r"\]\(([^)\s]+)\)", _prose(doc.read_text(encoding="utf-8"))):
            if not re.match(r"[a-z]+:", m.group(1)):
                yield doc, m.group(1)


def test_every_relative_link_and_anchor_resolves():
    links = list(_links())
    assert len(links) >= 50
    bad = []
    for doc, url in links:
        path, _, anchor = url.partition("#")
        target = (doc.parent / path).resolve() if path else doc
        if not target.exists():
            bad.append(f"{doc.name}: {url}: no such file")
        elif anchor and target.suffix == ".md" and anchor not in _anchors(target):
            bad.append(f"{doc.name}: {url}: no such heading")
    assert not bad, bad


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("`", "")).strip().lower()


def _texts():
    """README, docs and the notebooks' markdown cells, each as one line of prose."""
    for doc in DOCS:
        yield doc.name, doc.read_text(encoding="utf-8")
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        yield nb.name, "\n".join("".join(c["source"]) for c in cells
                                 if c["cell_type"] == "markdown")


def test_every_section_cited_by_name_exists():
    """``docs/crash.md, "Known outcomes"``: a heading of that doc starts with the quoted
    words, or a bold or italic paragraph label of it does (the docs' sub-sections; "EVs:
    " before it allowed). docs/crash.md, "The default payload of an import without a
    GVWR", cited three times, was lost in the merge of s28a (909dee8)."""
    cited = bad = 0
    for name, text in _texts():
        flat = re.sub(r"\s*\n\s*", " ", text)
        for m in re.finditer(r"\b(docs/)?([a-z_]+)\.md(?:,|'s)? \"([^\"]+)\"", flat):
            doc = ROOT / "docs" / f"{m.group(2)}.md"
            if not doc.exists():
                continue        # another README (keidesign/data/...), not a doc
            cited += 1
            words = _norm(m.group(3)).rstrip(",.")
            if any(_norm(h).startswith(words) for h in _headings(doc)):
                continue
            if re.search(rf"\*(\w+: )?{re.escape(words)}", _norm(doc.read_text(encoding="utf-8"))):
                continue
            bad += 1
            print(f"{name}: {m.group(0)}")
    assert cited >= 40 and bad == 0


def _quoted_commands():
    """(where, command) of every command the docs quote: lines of the fenced shell blocks
    and inline `python ...` / `keidesign ...` / `jupyter ...` spans."""
    start = ("keidesign ", "python ", "python3 ", ".venv/bin/", "jupyter ")
    for name, text in _texts():
        for m in re.finditer(r"```(?:bash|sh)?\n(.*?)```", text, re.S):
            for line in m.group(1).splitlines():
                if line.strip().startswith(start):
                    yield name, line.strip()
        for m in re.finditer(r"`((?:python3?|keidesign|jupyter) [^`]+)`", _prose(text)):
            yield name, re.sub(r"\s+", " ", m.group(1))


def _strip(cmd: str) -> list[str]:
    cmd = re.split(r"\s+#", cmd, maxsplit=1)[0].rstrip("\\ ")
    return shlex.split(re.sub(r"^\.venv/bin/", "", cmd))


def _flags_in(source: str, words: list[str]) -> list[str]:
    return [w for w in words if w.startswith("--") and f'"{w}"' not in source
            and f"'{w}'" not in source]


def test_every_quoted_command_names_what_exists():
    """The script or module exists and has each quoted option; a probe script's probe
    names are its PROBES; a keidesign command parses (a bare `keidesign evaluate` naming
    the command is a reference, not a call); a studies/ or docs/ file it names exists."""
    from keidesign.cli import _parser

    probes = {s: set(benchmark_module(s).PROBES) for s in ("validation_probes", "crash_probes")}
    docblock = (ROOT / "benchmarks" / "docblock.py").read_text(encoding="utf-8")
    bad, n = [], 0
    for where, cmd in _quoted_commands():
        if cmd.startswith("keidesign:"):
            continue
        toks = _strip(cmd)
        n += 1
        for t in toks:
            if (re.fullmatch(r"(studies|docs|notebooks)/[\w/.-]+\.(toml|md|ipynb)", t)
                    and not (ROOT / t).exists()):
                bad.append(f"{where}: {cmd}: no file {t}")
        if toks[0] == "keidesign" and len(toks) > 1 and "..." not in toks:
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    _parser().parse_args(toks[1:])
            except SystemExit as exc:
                if exc.code and not re.search(r"arguments are required|expected one argument",
                                              err.getvalue()):
                    bad.append(f"{where}: {cmd}: {err.getvalue().strip().splitlines()[-1]}")
        elif toks[0] in ("python", "python3") and toks[1].startswith("benchmarks/"):
            if "<name>" in toks[1]:
                continue
            script = ROOT / toks[1]
            if not script.is_file():
                bad.append(f"{where}: {cmd}: no script")
                continue
            source = script.read_text(encoding="utf-8")
            if "docblock" in source:
                source += docblock
            bad += [f"{where}: {cmd}: no option {f}" for f in _flags_in(source, toks[2:])]
            if script.stem in probes:
                args = " ".join(toks[2:]).replace("[", " ").replace("]", " ").split()
                words = [a for i, a in enumerate(args) if not a.startswith("-")
                         and not (i and args[i - 1].startswith("--"))]
                bad += [f"{where}: {cmd}: no probe {w}" for w in words
                        if w not in probes[script.stem]]
        elif toks[0] in ("python", "python3") and toks[1] == "-m" and \
                toks[2].startswith("keidesign."):
            module = ROOT / (toks[2].replace(".", "/") + ".py")
            if not module.is_file():
                bad.append(f"{where}: {cmd}: no module")
                continue
            bad += [f"{where}: {cmd}: no option {f}"
                    for f in _flags_in(module.read_text(encoding="utf-8"), toks[3:])]
    assert n >= 300 and not bad, bad


def test_every_keidesign_option_is_documented():
    """Each option of each subcommand (nested ones too) is named somewhere in the docs."""
    from keidesign.cli import _parser

    text = "".join(d.read_text(encoding="utf-8") for d in DOCS)
    missing = []

    def walk(parser, name):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub, p in action.choices.items():
                    walk(p, f"{name} {sub}")
            elif action.option_strings and not any(
                    o in text for o in action.option_strings if o != "--help"):
                missing.append(f"{name} {action.option_strings}")

    walk(_parser(), "keidesign")
    assert missing == [] or missing == ["keidesign ['-h', '--help']"], missing


def _geometry_errors() -> list[str]:
    text = (ROOT / "docs" / "geometry.md").read_text(encoding="utf-8")
    part = text.split("### Parameter sets that cannot make a solid", 1)[1]
    return re.search(r"```\n(.*?)```", part, re.S).group(1).strip().splitlines()


@pytest.mark.parametrize("line", _geometry_errors(), ids=lambda s: s.split(":")[1][:40])
def test_geometry_layout_errors_are_what_the_check_prints(line):
    """Each line of docs/geometry.md's example is the check's message for its design with
    the values the line names set (``nbox.toml`` is nbox_class.toml)."""
    from geometry.params import layout_from_design
    from keidesign.design import load_design
    from keidesign.errors import InputError

    stem, message = line.split(": ", 1)
    design = load_design(DESIGNS / ("nbox_class.toml" if stem == "nbox.toml" else stem))
    changes = {}
    for key, value in re.findall(r"\b(body(?:\.\w+)+) = (-?[\d.]+)", message):
        name = key.replace(".", ":")
        if float(design[name]) != float(value):
            changes[name] = float(value)
    assert changes, line
    with pytest.raises(InputError) as err:
        layout_from_design(design.replace(**changes))
    assert str(err.value).split(": ", 1)[1] == message


@pytest.mark.parametrize("doc,start,commands", [
    ("studies.md", "Common options:", ("optimize", "sweep", "pareto")),
    ("review.md", "`keidesign report` options:", ("report",)),
])
def test_options_paragraphs_name_every_option(doc, start, commands):
    """The paragraph listing a command's options lists them all (docs/studies.md's left
    out --max-cases, --overwrite, --scheduler-timeout; docs/review.md's --compare-rules,
    which the help lists)."""
    from keidesign.cli import _parser

    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    paragraph = text[text.index(start):].split("\n\n", 1)[0]
    subparsers = next(a for a in _parser()._actions
                      if isinstance(a, argparse._SubParsersAction)).choices
    for cmd in commands:
        for action in subparsers[cmd]._actions:
            long = [o for o in action.option_strings if o.startswith("--") and o != "--help"]
            if long:
                assert any(f"`{o}" in paragraph for o in long), (cmd, long)


def test_the_scripts_a_placeholder_command_stands_for_exist():
    """``python benchmarks/<name>.py [--write-docs]`` for `a`, `b`, ...: each named script
    exists and writes a docs block."""
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    listed = re.search(r"`python benchmarks/<name>\.py \[--write-docs\]` for ([^|]+)\|",
                       text).group(1)
    names = re.findall(r"`(\w+)`", listed)
    assert len(names) >= 5
    for name in names:
        script = ROOT / "benchmarks" / f"{name}.py"
        assert script.is_file() and "docblock" in script.read_text(encoding="utf-8"), name


def test_geometry_names_the_mirages_failed_envelope_checks():
    """docs/geometry.md said the Mirage fails the width (1666 mm); its sidecar's checks
    fail the length (3846 mm) as well: the sentence names every failed kei dimension with
    the assembly's value."""
    from geometry.cad import build_body
    from geometry.checks import checks
    from geometry.params import layout_from_design
    from keidesign.design import load_design
    from keidesign.evaluation import resolve_packs

    text = " ".join((ROOT / "docs" / "geometry.md").read_text(encoding="utf-8").split())
    m = re.search(r"The Mirage fails the ([a-z ]+) \(([\d ]+and [\d ]+|\d+) mm\)", text)
    named = dict(zip(re.findall(r"length|width|height", m.group(1)),
                     (float(v) for v in re.findall(r"\d+", m.group(2))), strict=True))
    d = load_design(DESIGNS / "mirage_class.toml")
    recs = checks(build_body(layout_from_design(d)), resolve_packs(d.rules))
    failed = {r["id"].split(".")[1]: r["value"] for r in recs
              if r["id"].startswith("kei-japan:kei.") and not r["passed"]}
    assert set(named) == set(failed)
    for dim, value in named.items():
        assert value == pytest.approx(failed[dim], abs=0.5), dim


def _subparser(cmd: str):
    from keidesign.cli import _parser

    return next(a for a in _parser()._actions
                if isinstance(a, argparse._SubParsersAction)).choices[cmd]


def test_compare_help_explains_every_argument():
    """`keidesign compare --help` read whole (task s31d): BASE.toml and VARIANT.toml had
    no word of help, and no example said how the two modes are called."""
    parser = _subparser("compare")
    bare = [a.dest for a in parser._actions if a.dest != "help" and not a.help]
    assert bare == [], bare
    text = parser.format_help()
    assert "examples (run from the repository root):\n  keidesign compare " in text
    assert "exit status: 0" in text


def _compare_examples() -> list[str]:
    from keidesign.costing.commands import COMPARE_EXAMPLES

    return [line.strip() for line in COMPARE_EXAMPLES.splitlines()
            if line.startswith("  keidesign compare ")]


@pytest.mark.parametrize("line", _compare_examples(), ids=lambda s: s.split(" ", 2)[2][:48])
def test_compare_help_examples_run_as_written(line, tmp_path, monkeypatch, capsys):
    """Each example of `keidesign compare --help` runs as written from the repository
    root (here a folder whose studies/ is the repository's, so --plot writes below
    tmp_path): exit 0, and what its options promise (JSON on stdout, the two figures)."""
    from keidesign.cli import main

    (tmp_path / "studies").symlink_to(ROOT / "studies")
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(line)[1:]
    assert main(argv) == 0, line
    out = capsys.readouterr().out
    if "--json" in argv:
        json.loads(out)
    else:
        assert out.strip()
    if "--plot" in argv:
        folder = tmp_path / argv[argv.index("--plot") + 1]
        assert {p.name for p in folder.iterdir()} == {"breakdown.png", "delta.png"}
    assert ("--changed" in argv) <= ("--rules" in argv)


def test_compare_changed_without_rules_is_refused(capsys):
    """`--changed` selects the criteria that differ between two rule sets; with BASE
    VARIANT it was ignored without a word (exit 0, the full cost table). One line, exit 2,
    before any evaluation."""
    from keidesign.cli import main

    argv = ["compare", str(DESIGNS / "nbox_class.toml"), str(DESIGNS / "nbox_class_us.toml"),
            "--changed"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--changed: only with --rules A --rules B" in err, err


#: abbreviations a new user meets in a doc, and the words that define them where they are
#: first used outside a generated block (task s32i: docs/crash.md's models table used
#: ESW and OLC bare, its data note CFC 60; README CAFE, LSV and N2)
JARGON = {
    "README.md": {"CAFE": "Corporate Average Fuel Economy", "LSV": "low-speed vehicle",
                  "N2": "model diagram"},
    "docs/crash.md": {"ESW": "equivalent square wave", "OLC": "occupant load criterion",
                      "CFC 60": "channel frequency class", "the stack": "powertrain block"},
}


@pytest.mark.parametrize("doc, term", [(d, t) for d, terms in JARGON.items() for t in terms])
def test_jargon_is_defined_at_first_use(doc, term):
    """The first use of each abbreviation outside the generated blocks (which say only
    what their script writes) carries its definition within the next 200 characters."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    text = re.sub(r"<!-- generated by [^>]*: begin -->.*?<!-- generated by [^>]*: end -->",
                  "", text, flags=re.S)
    text = " ".join(text.replace("`", "").split())
    first = re.search(rf"(?<![\w.:-]){re.escape(term)}(?![\w-])", text)
    assert first, (doc, term)
    assert JARGON[doc][term].lower() in text[first.start():first.end() + 200].lower(), \
        (doc, term, text[max(0, first.start() - 80):first.end() + 200])
