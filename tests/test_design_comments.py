"""Figures the reference design files quote in their comments are what the model gives.

The US variants say why their restraint is stiffer with numbers (occupant excursion and
chest deceleration with it, excursion with the default restraint); the Sakura variant
said 269 mm where the model gives 268 and 434 mm where it gives 433. Every comment of
these shapes in ``studies/designs`` is found and recomputed here, so a model change
that moves a quoted figure fails this test until the comment is updated.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DESIGNS
from scipy.constants import g as G  # standard gravity, m/s^2

from keidesign import variables as reg
from keidesign.design import parse_design
from keidesign.evaluation import evaluate_design, resolve_packs

#: comment shapes: (pattern, output, factor to the quoted unit, decimals of the quote)
WITH_FILE = {
    "excursion": (re.compile(r"\(excursion (\d+) mm\)"), "crash:front:occupant_excursion",
                  1.0, 0),
    "chest": (re.compile(r"\(chest (\d+\.\d) g\)"), "crash:front:chest_accel_3ms", 1.0 / G, 1),
}
DEFAULT_RESTRAINT = re.compile(r"the default restraint lets it travel (\d+) mm")
#: ``US: 250 -> 900 kN/m`` beside a key: the first figure is the registry default
CHANGE = re.compile(r"^(\w+) = ([\d.]+) +# US: ([\d.]+) -> ([\d.]+) ")
RESTRAINT_TABLE = re.compile(r"^\[crash\.restraint\]\n(?:[^\[\n].*\n|\n)*", re.M)

QUOTING = sorted(p for p in DESIGNS.glob("*.toml")
                 if DEFAULT_RESTRAINT.search(p.read_text(encoding="utf-8"))
                 or any(pat.search(p.read_text(encoding="utf-8"))
                        for pat, *_ in WITH_FILE.values()))


def _outputs(text: str, source: str) -> dict:
    return evaluate_design(parse_design(text, source), resolve_packs(["fmvss"])).outputs


def test_the_us_variants_quote_figures():
    assert {p.name for p in QUOTING} >= {"nbox_class_us.toml", "sakura_class_us.toml"}


@pytest.mark.parametrize("path", QUOTING, ids=lambda p: p.stem)
def test_quoted_figures_are_the_models(path: Path):
    text = path.read_text(encoding="utf-8")
    out = _outputs(text, str(path))
    for what, (pat, name, factor, decimals) in WITH_FILE.items():
        for m in pat.finditer(text):
            value = round(out[name][0] * factor, decimals)
            assert float(m.group(1)) == value, (path.name, what, m.group(0), value)
    if m := DEFAULT_RESTRAINT.search(text):
        assert RESTRAINT_TABLE.search(text), path.name
        default = _outputs(RESTRAINT_TABLE.sub("", text), f"{path} (default restraint)")
        assert float(m.group(1)) == round(default["crash:front:occupant_excursion"][0]), \
            (path.name, m.group(0), default["crash:front:occupant_excursion"][0])


@pytest.mark.parametrize("path", QUOTING, ids=lambda p: p.stem)
def test_quoted_changes_start_from_the_default(path: Path):
    """``stiffness = 900  # US: 250 -> 900 kN/m``: 250 is the registry default and 900
    the value set."""
    section, checked = "", 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip("[]").replace(".", ":")
            continue
        if (m := CHANGE.match(line)) and section == "crash:restraint":
            key, value, before, after = m.groups()
            assert float(value) == float(after), line
            assert reg.get(f"{section}:{key}").default == float(before), line
            checked += 1
    assert checked == 2, path.name


#: design files whose ``[crash.restraint]`` is the import's restraint rule run on their own
#: pulse (since 4 Dec 2026, Campbell's force-crush law): all keys, or (cab-over trucks)
#: the rule's first stage, the slack, only
RULE_RESTRAINT = {"alto_class": "all", "nbox_class": "all", "sakura_class": "all",
                  "mirage_class": "all", "carry_class": "slack", "hijet_class": "slack",
                  "minicab_ev_truck_class": "slack"}


@pytest.mark.parametrize("stem", sorted(RULE_RESTRAINT))
def test_rule_restraint_is_the_rules(stem: str):
    """The restraint these files carry is what ``keidesign.specs.build.restraint_design``
    gives for their pulse from the registry restraint (the rule every import gets;
    docs/crash.md, "Restraint of an imported car"), and their comment quotes the rule's
    excursions where it does: a model change that moves the rule fails here until the
    files are updated."""
    from keidesign.design import load_design
    from keidesign.specs.build import (
        design_pulse_inputs,
        restraint_design,
        restraint_values,
        with_restraint,
    )

    path = DESIGNS / f"{stem}.toml"
    design = load_design(path)
    slack0 = float(reg.get("crash:restraint:slack").default)
    slack, lam, exc, exc0 = restraint_design(design_pulse_inputs(
        with_restraint(design, slack0, 1.0)))
    want = restraint_values(slack, lam)
    keys = want if RULE_RESTRAINT[stem] == "all" else ["crash:restraint:slack"]
    for k in keys:
        assert float(design[k]) == pytest.approx(want[k], abs=1e-9), (stem, k)
    text = path.read_text(encoding="utf-8")
    if m := re.search(r"(\d+) mm at the registry restraint,\n# (\d+) mm with this one", text):
        assert (float(m.group(1)), float(m.group(2))) == (round(exc0), round(exc)), stem
    else:
        assert RULE_RESTRAINT[stem] == "slack", stem


#: ``# US-compliant variant of nbox_class.toml: same body, powertrain and road data``
SAME = re.compile(r"^# US-compliant variant of (\w+\.toml): same ([\w ,]+?) data", re.M)
KEY_LINE = re.compile(r"^(\w+) *= *[^#]*?(#.*)?$")


def _flat(table: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _us_comments(text: str) -> dict:
    """``{dotted key: its line's comment}`` of a design file's ``key = value`` lines."""
    section, out = "", {}
    for line in text.splitlines():
        if line.startswith("["):
            section = line.split("]")[0].strip("[") + "."
        elif m := KEY_LINE.match(line):
            out[section + m.group(1)] = m.group(2) or ""
    return out


US_VARIANTS = sorted(DESIGNS.glob("*_us.toml"))


def test_every_us_variant_names_its_twin():
    assert {p.name for p in US_VARIANTS} >= {"nbox_class_us.toml", "sakura_class_us.toml"}
    for path in US_VARIANTS:
        assert SAME.search(path.read_text(encoding="utf-8")), path.name


@pytest.mark.parametrize("path", US_VARIANTS, ids=lambda p: p.stem)
def test_us_variant_keeps_its_twins_data(path: Path):
    """A US variant's header says which tables it shares with its JDM twin ("same body,
    powertrain and road data"); every key of those tables is the twin's, unless its line
    says why (``# US: ...``). The Sakura US variant once lost the twin's 3 kW charger
    (the 7.2 kW default gave the heavier US car a better label than the JDM car's)."""
    import tomllib

    text = path.read_text(encoding="utf-8")
    m = SAME.search(text)
    twin = DESIGNS / m.group(1)
    tables = [t.strip() for t in re.split(r",| and ", m.group(2)) if t.strip()]
    assert tables and all(t in {"body", "powertrain", "road", "mass", "crash"}
                          for t in tables), (path.name, tables)
    us = _flat(tomllib.loads(text))
    jdm = _flat(tomllib.loads(twin.read_text(encoding="utf-8")))
    comments = _us_comments(text)
    shared = [k for k in us.keys() | jdm.keys() if k.split(".")[0] in tables]
    differ = sorted(k for k in shared if us.get(k) != jdm.get(k)
                    and "US:" not in comments.get(k, ""))
    assert not differ, (path.name, {k: (jdm.get(k), us.get(k)) for k in differ})


def _header(text: str) -> str:
    """The leading comment block of a design file, its lines joined (``# `` dropped)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


@pytest.mark.parametrize("path", sorted(DESIGNS.glob("*.toml")), ids=lambda p: p.stem)
def test_the_header_names_the_designs_powertrain(path: Path):
    """A reference design's header says what its powertrain is: one that names a hybrid
    has a ``hybrid`` other than ``none``, or says it is modelled as a plain engine (task
    s45d: alto_class.toml said "mild hybrid FF" over a plain engine); one that says "no
    idle stop" has none."""
    from keidesign.design import load_design

    text = path.read_text(encoding="utf-8")
    head = _header(text)
    v = load_design(path).values
    hybrid = v.get("powertrain:ice:hybrid", "none")
    if "hybrid" in head.lower() and hybrid == "none":
        assert "as a plain engine" in head, (path.name, head[:120])
    if "no idle stop" in head:
        assert not v.get("powertrain:ice:idle_stop", False), path.name
