"""The import layers of docs/CONTRIBUTING.md, held on every first-party import.

Every ``import`` of ``keidesign`` or ``geometry`` in the two packages is read from the
source (module level and inside functions alike, so a function-level import cannot
dodge the rule): a module may import its own layer or a lower one, never a higher one,
and the packages (``keidesign.energy``, ``geometry``, ...) form no import cycle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (layer, module prefixes), bottom to top; the longest matching prefix wins. A module
#: named ``commands`` is a CLI plugin and one named ``calibration`` a fitting tool
#: (it runs the model over data), whatever package holds it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("keidesign", "keidesign.errors", "keidesign.units", "keidesign.registry",
              "keidesign.catalogue", "keidesign.variables", "keidesign.tomlwrite",
              "keidesign.inputfiles", "keidesign.materials", "keidesign.batch",
              "keidesign.vehiclenames", "keidesign.interrupt")),
    ("geometry", ("geometry",)),
    ("disciplines", ("keidesign.body", "keidesign.closed_form", "keidesign.powertrain",
                     "keidesign.energy", "keidesign.crash", "keidesign.mass",
                     "keidesign.costing", "keidesign.cafe", "keidesign.ghg",
                     "keidesign.label")),
    ("model", ("keidesign.design", "keidesign.rulepacks", "keidesign.compliance",
               "keidesign.model", "keidesign.reuse", "keidesign.evaluation",
               "keidesign.rules_compare")),
    ("tools", ("keidesign.studies", "keidesign.specs", "keidesign.validation",
               "keidesign.classification")),
    ("review", ("keidesign.review",)),
    ("cli", ("keidesign.cli", "keidesign.console", "keidesign.__main__", "keidesign.packlist")),
]
NAMES = [name for name, _ in LAYERS]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """Index of a module's layer in :data:`LAYERS`."""
    last = module.rsplit(".", 1)[-1]
    if last == "commands":
        return NAMES.index("cli")
    if last == "calibration":
        return NAMES.index("tools")
    best, length = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > length:
                best, length = i, len(p)
    if best is None:
        raise AssertionError(f"{module} is in no layer of tests/test_layers.py")
    return best


def first_party_imports(path: Path, name: str | None = None) -> list[tuple[str, int]]:
    """``(imported module, line)`` of every first-party import in ``path`` (module
    ``name``, by default from its place in the repository)."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    modules = {module_name(p) for p in SOURCES}
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for a in node.names:  # `from pkg import module` imports the module
                full = f"{mod}.{a.name}"
                out.append((full if full in modules else mod, node.lineno))
    return [(m, n) for m, n in out if m.split(".")[0] in ("keidesign", "geometry")]


SOURCES = sorted([*ROOT.joinpath("keidesign").rglob("*.py"),
                  *ROOT.joinpath("geometry").rglob("*.py")])


def test_every_module_has_a_layer():
    for path in SOURCES:
        layer(module_name(path))


def test_no_import_goes_up_a_layer():
    bad = []
    for path in SOURCES:
        me = module_name(path)
        for mod, line in first_party_imports(path):
            if layer(mod) > layer(me):
                bad.append(f"{path.relative_to(ROOT)}:{line}: {me} ({NAMES[layer(me)]}) "
                           f"imports {mod} ({NAMES[layer(mod)]})")
    assert not bad, "imports against the layers of docs/CONTRIBUTING.md:\n" + "\n".join(bad)


def _package(module: str) -> str:
    """The package a module belongs to in the cycle check: ``keidesign.<sub>`` (or
    ``geometry``); a CLI plugin or fitting tool inside a package counts on its own."""
    pkg = ".".join(module.split(".")[:2])
    return pkg if layer(pkg) == layer(module) else module


def test_packages_form_no_import_cycle():
    graph: dict[str, set[str]] = defaultdict(set)
    for path in SOURCES:
        me = _package(module_name(path))
        for mod, _ in first_party_imports(path):
            if _package(mod) != me:
                graph[me].add(_package(mod))
    # depth-first search for a back edge
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            pytest.fail("import cycle between packages: " + " -> ".join(cycle))


def test_the_checker_sees_a_violation(tmp_path):
    """The walker finds a function-level import that goes up a layer (a discipline
    importing the model), so the tests above can fail."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from keidesign.model import build_problem\n"
                     "    return build_problem\n", encoding="utf-8")
    found = first_party_imports(probe, "keidesign.energy.probe")
    assert found == [("keidesign.model", 2)]
    assert layer("keidesign.model") > layer("keidesign.energy.probe")
    assert _package("keidesign.costing.commands") == "keidesign.costing.commands"
