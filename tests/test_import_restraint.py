"""The restraint an import writes (task s45a): ``keidesign import ... --predict`` writes
the import's restraint rule as a ``[crash.restraint]`` table marked assumed, as the plain
import does; the file re-loads and evaluates to the excursion the rule reported; a spec
file's ``[restraint]`` values are written instead of the rule's; a sweep of the
``--predict`` import no longer fails ``fmvss208.ride_down_space`` at every case.

Before s45a a ``--predict`` file had no table and rode down on the registry restraint
(25 mm, 250 kN/m, 35 kN): the new-user pass s44f's 3 x 3 sweep of the imported Alto
failed the ride-down space at 9 of 9 cases (docs/review.md)."""

from __future__ import annotations

import re

import pytest

from keidesign.cli import main
from keidesign.design import load_design
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.specs.build import (
    RESTRAINT_TABLE_COMMENT,
    design_pulse_inputs,
    restraint_design,
    with_restraint,
)

#: the note the rule writes beside the slack: excursion with the registry restraint, then
#: with the rule's (``_restraint_table``)
NOTE = re.compile(r"(\d+) mm at slack 25 mm x1, (\d+) mm at slack ([\d.]+) mm x([\d.]+) ")
#: the imported car's own crush length and height (kei.csv Alto HA37S: 580 mm overhang +
#: 230 mm; 1,525 mm published)
ALTO_CRUSH, ALTO_HEIGHT = 810, 1525


@pytest.fixture(scope="module")
def alto_predict(tmp_path_factory):
    """``keidesign import vehicle "Suzuki Alto" --predict -o FILE``: (path, text)."""
    out = tmp_path_factory.mktemp("restraint") / "alto_predict.toml"
    assert main(["import", "vehicle", "Suzuki Alto", "--predict", "-o", str(out)]) == 0
    return out, out.read_text(encoding="utf-8")


def test_predict_import_writes_the_rule_restraint_it_reports(alto_predict):
    """The table is there, says it is assumed (the rule, the car's own pulse and space,
    not measured), re-loads as `keidesign check` reads it, and evaluates to the excursion
    the rule's note reports; the rule rerun on the file (its restraint set back to the
    registry's) gives the same slack and factor."""
    path, text = alto_predict
    assert "--predict: measured values" in text
    assert "[crash.restraint]" in text, "a --predict import without the rule's table"
    block = text.split("[crash.restraint]", 1)[1].split("\n[", 1)[0]
    comment = " ".join(line.lstrip("# ") for line in block.splitlines()
                       if line.startswith("#"))
    assert comment == " ".join(RESTRAINT_TABLE_COMMENT.split())
    assert "[assumed]" in comment and "not measured" in comment
    assert "own 56 km/h pulse and its ride-down space" in comment
    m = NOTE.search(block)
    assert m, block
    exc0, exc, slack, lam = (float(g) for g in m.groups())
    assert main(["check", str(path)]) == 0
    design = load_design(path)
    assert design["crash:restraint:slack"] == slack
    assert design["crash:restraint:load_limit"] == pytest.approx(35.0 * lam, abs=0.006)
    assert design["crash:restraint:stiffness"] == pytest.approx(250.0 * lam, abs=0.006)
    out = evaluate_design(design, resolve_packs(["fmvss"])).outputs
    assert round(float(out["crash:front:occupant_excursion"][0])) == exc <= 300.0 < exc0
    again = restraint_design(design_pulse_inputs(with_restraint(design, 25.0, 1.0)))
    assert (again[0], again[1]) == (slack, lam)
    assert round(again[2]) == exc and round(again[3]) == exc0


def test_a_sweep_of_the_predict_import_is_not_failed_by_its_restraint(alto_predict,
                                                                       tmp_path):
    """A 3 x 3 sweep (crush length 780-840 mm, height 1,500-1,550 mm, around the
    import's 810 / 1,525 mm) judged on FMVSS 208: with the registry restraint (before
    s45a) 0 of 9 feasible, all 9 on `fmvss208.ride_down_space`; with the rule's restraint
    the import's own point and every longer front pass (6 of 9), the 780 mm fronts
    (harsher than the one the restraint was sized for) fail it."""
    from keidesign.studies.spec import load_study
    from keidesign.studies.sweep import run_sweep

    path, _ = alto_predict
    study = tmp_path / "sweep.toml"
    study.write_text(f"""[study]
name = "alto predict sweep"
design = "{path.as_posix()}"
rules = ["kei-japan", "fmvss"]

[[variable]]
name = "crash.front.crush_length"
lower = {ALTO_CRUSH - 30}
upper = {ALTO_CRUSH + 30}

[[variable]]
name = "body.height"
lower = {ALTO_HEIGHT - 25}
upper = {ALTO_HEIGHT + 25}

[[constraint]]
id = "fmvss:fmvss208.*"

[sweep]
map = ["crash.front.crush_length", "body.height"]
levels = 3
""", encoding="utf-8")
    res = run_sweep(load_study(study), tmp_path / "out")
    rows = res.rows
    assert len(rows) == 9 and all(r["status"] == "ok" for r in rows)
    # ``binding``: the tightest criterion of a case, the violated one when infeasible
    ride = [r for r in rows if not r["feasible"]
            and r["binding"] == "fmvss:fmvss208.ride_down_space"]
    assert len(ride) < 9, "every case fails the ride-down space (the registry restraint)"
    feasible = {(r["inputs"]["crash:front:crush_length"], r["inputs"]["body:height"])
                for r in rows if r["feasible"]}
    assert (ALTO_CRUSH, ALTO_HEIGHT) in feasible, feasible
    # docs/import.md and docs/crash.md quote it: 6 of 9, the 780 mm fronts on the space
    assert feasible == {(c, h) for c in (ALTO_CRUSH, ALTO_CRUSH + 30)
                        for h in (ALTO_HEIGHT - 25, ALTO_HEIGHT, ALTO_HEIGHT + 25)}
    assert {r["inputs"]["crash:front:crush_length"] for r in ride} == {ALTO_CRUSH - 30}


def test_the_restraint_table_moves_no_mass_or_energy_output(alto_predict):
    """Why the mass fit, the specs-only validation and the sentinel import without the
    rule (``build_design(..., restraint_rule=False)``): the same file on the registry
    restraint gives the same mass and energy outputs, and another occupant excursion."""
    path, _ = alto_predict
    design = load_design(path)
    packs = resolve_packs(["epa-label", "fmvss"])
    ruled = evaluate_design(design, packs).outputs
    registry = evaluate_design(with_restraint(design, 25.0, 1.0), packs).outputs
    keys = [k for k in ruled if k.startswith(("mass:", "energy:", "perf:"))]
    assert "mass:curb" in keys and "energy:label_comb_mpg" in keys
    for k in keys:
        assert registry[k][0] == ruled[k][0], k
    assert (registry["crash:front:occupant_excursion"][0]
            > ruled["crash:front:occupant_excursion"][0])


SPEC = """[vehicle]
name = "Restraint spec"
[dimensions]
length = 3395
width = 1475
height = 1525
wheelbase = 2460
[engine]
displacement = 658
power = 36
"""


def test_a_spec_files_restraint_is_written_instead_of_the_rule(tmp_path):
    """`[restraint]` of a spec file: its values with their source, the keys it does not
    give the registry defaults (assumed), and no rule (its comment absent); a spec
    without the table gets the rule's, with --predict too."""
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC + "[restraint]\nslack = 5\nload_limit = \"42 kN\"\n",
                    encoding="utf-8")
    out = tmp_path / "given.toml"
    assert main(["import", "spec", str(spec), "--predict", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    block = text.split("[crash.restraint]", 1)[1].split("\n[", 1)[0]
    assert "restraint_design" not in block
    assert re.search(r"^slack = 5 +# source: spec.toml: restraint.slack", block, re.M), block
    assert re.search(r"^load_limit = \"42 kN\" +# source: spec.toml: restraint.load_limit",
                     block, re.M), block
    assert re.search(r"^stiffness = 250 +# \[assumed\] registry default 250 kN/m", block,
                     re.M), block
    d = load_design(out)
    assert (d["crash:restraint:slack"], d["crash:restraint:stiffness"],
            d["crash:restraint:load_limit"]) == (5.0, 250.0, 42.0)
    plain = tmp_path / "plain.toml"
    spec.write_text(SPEC, encoding="utf-8")
    assert main(["import", "spec", str(spec), "--predict", "-o", str(plain)]) == 0
    assert "restraint_design" in plain.read_text(encoding="utf-8")
