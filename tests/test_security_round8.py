"""Hostile inputs, round eight (audit s39c; docs/security.md): a study's set-up.

Each test fails on dcd7b86: the earlier rounds checked what a study file holds when it is
read; these are study files that read as valid and broke, or silently changed, the
problem keidesign builds from them (OpenMDAO tracebacks, a bound dropped unsaid).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS, ROOT
from test_security_studies import _study as _study_file
from test_security_studies import no_case_lists as _no_case_lists

from keidesign.errors import InputError
from keidesign.rulepacks import load_pack
from keidesign.studies.expressions import ExpressionError, names_in, parse_expression
from keidesign.studies.problem import DerivedComp, build_study_problem, finish_setup
from keidesign.studies.spec import MAX_VARS, DerivedSpec, load_study, parse_study

no_case_lists = _no_case_lists  # test_security_studies' fixture: no case list is made

SWEEP = """
[study]
name = "t"
design = "carry_class.toml"
{rules}
{derived}
[[variable]]
name = "crash.front.crush_length"
lower = 200
upper = 300
{constraints}
[sweep]
levels = 2
"""


def _study(tmp_path: Path, *, rules: str = "", derived: str = "", constraints: str = ""):
    text = SWEEP.format(rules=rules, derived=derived, constraints=constraints)
    return parse_study(text, str(tmp_path / "s.toml"), base_dir=DESIGNS)


def _set_up(study):
    sp = build_study_problem(study, study.base)
    finish_setup(sp)
    return sp


PACK = """
[pack]
id = "{pid}"
version = "1"
title = "t"
source = "s"
status = "to-check"
{constraints}
"""

CONSTRAINT = """
[[constraint]]
id = "{cid}"
quantity = "mass:curb"
{bounds}
units = "kg"
source = "s"
description = "d"
status = "to-check"
"""


def _pack(tmp_path: Path, pid: str, *cons: tuple[str, str]) -> Path:
    path = tmp_path / f"{pid}.toml"
    path.write_text(PACK.format(pid=pid, constraints="".join(
        CONSTRAINT.format(cid=c, bounds=b) for c, b in cons)))
    return path


# ----------------------------------------------------------------- derived quantities


def test_a_derived_symbol_named_y_is_an_input_like_any_other():
    """``vars = { y = ... }``: the component's output was called ``y`` (OpenMDAO's
    "Variable name 'y' already exists" traceback from every study command)."""
    spec = DerivedSpec("study:q", "y + 1", "kg", (("y", "mass:curb"),),
                       parse_expression("y + 1", {"y"}))
    prob = om.Problem()
    prob.model.add_subsystem("d", DerivedComp(spec=spec, units={"mass:curb": "kg"}))
    prob.setup()
    prob.set_val("d.y", 900.0)
    prob.run_model()
    assert prob.get_val(f"d.{DerivedComp.OUT}") == pytest.approx(901.0)


def test_a_derived_quantity_of_too_many_vars_is_one_line(tmp_path):
    """Every ``vars`` symbol is an input of the quantity's component, used or not: a table
    of 40,000 (870 kB) did not set up a sweep in 300 s; now refused as it is read."""
    vars_ = ", ".join(f'a{i} = "mass:curb"' for i in range(40_000))
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=rf"derived\.q\.vars: 40,000 symbols; allowed: at "
                                         rf"most {MAX_VARS}\Z"):
        _study(tmp_path, derived=f'[derived.q]\nexpr = "a0"\nunits = "kg"\nvars = {{ {vars_} }}')
    assert time.perf_counter() - t0 < 10
    ok = ", ".join(f'a{i} = "mass:curb"' for i in range(MAX_VARS))
    study = _study(tmp_path, derived=f'[derived.q]\nexpr = "a0"\nunits = "kg"\nvars = {{ {ok} }}')
    assert len(study.derived[0].vars) == MAX_VARS


@pytest.mark.parametrize("expr, value", [("m * 1e3", 9e5), ("m * 2.5E-1", 225.0),
                                         ("m / 1e2", 9.0), ("e * 0 + m * .5e1", 4500.0)])
def test_a_number_with_an_exponent_is_a_number(tmp_path, expr, value):
    """The check for undefined symbols took a number's exponent for a name ('uses e3,
    not defined in derived.q.vars'), though the parser reads it."""
    study = _study(tmp_path, derived=f'[derived.q]\nexpr = "{expr}"\nunits = "kg"\n'
                                     'vars = { m = "mass:curb" }')
    assert study.derived[0].parsed({"m": np.array([900.0])})[0] == pytest.approx(value)
    assert names_in(expr) <= {"m", "e"}


def test_a_symbol_of_up_to_64_characters_can_be_used(tmp_path):
    """A ``vars`` symbol may have 64 characters (``_IDENT``); the expression's tokenizer
    read names of at most 32, so a longer symbol was "unexpected" in the expression."""
    sym = "s" * 64
    study = _study(tmp_path, derived=f'[derived.q]\nexpr = "2 * {sym}"\nunits = "kg"\n'
                                     f'vars = {{ {sym} = "mass:curb" }}')
    assert study.derived[0].parsed({sym: np.array([1.5])})[0] == 3.0
    with pytest.raises(ExpressionError, match="unexpected"):
        parse_expression("s" * 65, {"s" * 65})


def test_a_derived_quantity_named_like_the_pareto_augmented_objective(tmp_path):
    """``[derived.pareto_augmented]`` in a Pareto study: the epsilon points' augmented
    objective was ``study:pareto_augmented`` too (its subsystem, colons made '_', as
    well): OpenMDAO's "Subsystem name 'study_pareto_augmented' is already used" at the
    first epsilon point, after the anchors' optimizations."""
    from keidesign.studies import pareto

    study = load_study(ROOT / "studies" / "pareto_mass_mpg_frontal.toml", [
        'derived.pareto_augmented={expr="m", units="kg", vars={m="mass:curb"}}'])
    n = len(study.pareto_objectives)
    sp, names = pareto._problem(study, 0, list(range(1, n)), None, ranges=[1.0] * n)
    proms = {m["prom_name"] for m in sp.prob.model.get_io_metadata(
        iotypes="output", return_rel_names=False).values()}
    assert {pareto.AUGMENTED, "study:pareto_augmented"} <= proms


# ------------------------------------------------------------------- margins' records


def test_two_records_of_one_margin_name_get_two_outputs(tmp_path):
    """A pack's constraints 'a.b_c' and 'a_b.c' gave one margin output name
    ('margin:p:a_b_c': '.' made '_'): OpenMDAO's "Variable name ... already exists"
    traceback from the study commands. Each now has its own output and value."""
    pack = _pack(tmp_path, "p", ("a.b_c", "upper = 2000.0"), ("a_b.c", "upper = 3000.0"))
    study = _study(tmp_path, rules=f'rules = ["{pack}"]',
                   constraints='[[constraint]]\nid = "p:*"')
    sp = _set_up(study)
    outs = {m.id: m.output for m in sp.margins}
    assert len(set(outs.values())) == 2, outs
    sp.prob.run_model()
    curb = float(sp.prob.get_val("mass:curb")[0])
    got = {rid: float(sp.prob.get_val(name)[0]) for rid, name in outs.items()}
    assert got == pytest.approx({"p:a.b_c": 2000.0 - curb, "p:a_b.c": 3000.0 - curb})


def test_a_constraint_named_like_another_constraints_record_is_one_line(tmp_path):
    """A constraint 'x' with both bounds records 'x.lower' and 'x.upper'; a second
    constraint 'x.lower' made two records of one id: two rows of one id in evaluate's
    table, and in a study one bound dropped unsaid (its cases 'feasible' under a lower
    bound of 5,000 kg on the curb mass)."""
    pack = _pack(tmp_path, "q", ("x", "lower = 100.0\nupper = 2000.0"),
                 ("x.lower", "lower = 5000.0"))
    with pytest.raises(InputError, match=r"constraint\[2\]\.id = 'x\.lower': the record id "
                                         r"of constraint\[1\]'s lower bound"):
        load_pack(pack)
    # either order, either bound
    pack = _pack(tmp_path, "q", ("x.upper", "upper = 1.0"),
                 ("x", "lower = 100.0\nupper = 2000.0"))
    with pytest.raises(InputError, match=r"constraint\[1\]\.id = 'x\.upper'"):
        load_pack(pack)
    # an id of one bound with a dot is still a plain id
    assert [c.id for c in load_pack(_pack(tmp_path, "q", ("x", "upper = 2000.0"),
                                          ("x.lower", "lower = 100.0"))).constraints] \
        == ["x", "x.lower"]


@pytest.mark.parametrize("first", ["pack", "study"])
def test_a_pack_named_study_cannot_replace_a_study_bound(tmp_path, first):
    """A study's bound on its derived quantity ``q`` is the record 'study:q.upper'; a rule
    pack with the id 'study' and a constraint 'q' with both bounds records the same id,
    and the first of the two was kept, the other dropped unsaid: listed first, the
    pack's 5,000 kg replaced the study's bound of 500."""
    pack = _pack(tmp_path, "study", ("q", "lower = 100.0\nupper = 5000.0"))
    mine = '[[constraint]]\nquantity = "study:q"\nupper = 500\nunits = "kg"'
    theirs = '[[constraint]]\nid = "study:*"'
    study = _study(tmp_path, rules=f'rules = ["{pack}"]',
                   derived='[derived.q]\nexpr = "m"\nunits = "kg"\nvars = { m = "mass:curb" }',
                   constraints="\n".join([theirs, mine] if first == "pack" else [mine, theirs]))
    with pytest.raises(InputError, match=r"record 'study:q\.upper' names two bounds"):
        build_study_problem(study, study.base)


# ------------------------------------------------------------- out of range, other units


@pytest.mark.parametrize("given, shown", [("1905 um", " (it is 1.905 mm)"),
                                          ("1905 cm", " (it is 19050 mm)"),
                                          ("10000 mm", ""), ("10000", "")])
def test_a_value_out_of_range_in_other_units_says_what_it_is(given, shown):
    """'1905 um' (micrometres) was "out of range; allowed: number in [1500, 4000] mm",
    which a reader of '1905' cannot place; the value is now said in the range's units
    when the file gives others (one line, the field, the value and the range)."""
    from conftest import design_with

    with pytest.raises(InputError) as exc:
        design_with("carry_class", {"body.wheelbase": given})
    assert str(exc.value) == (f"carry_class.toml: body.wheelbase = {given!r}: out of range"
                              f"{shown}; allowed: number in [1500, 4000] mm")


def test_a_spec_value_out_of_range_in_other_units_says_what_it_is(tmp_path):
    """The same for a spec file of `keidesign import spec`."""
    from keidesign.specs.sources import user_spec

    text = (ROOT / "tests" / "data" / "newuser" / "nissan_sentra_2020.toml").read_text()
    spec = tmp_path / "spec.toml"
    spec.write_text(text.replace("\nlength = 4641\n", '\nlength = "4641 um"\n'))
    with pytest.raises(InputError, match=r"dimensions\.length = '4641 um': out of range "
                                         r"\(it is 4\.641 mm\); allowed: number in "
                                         r"\[2000, 6000\] mm\Z"):
        user_spec(spec)


# ------------------------------------------------------- units of a study's own bounds

DERIVED_MM = '[derived.q]\nexpr = "m"\nunits = "{u}"\nvars = {{ m = "mass:curb" }}'


@pytest.mark.parametrize("derived_units, constraint, field, message", [
    ("1/kg", 'quantity = "study:q"\nupper = "5 kg"\nunits = "kg"', "units",
     "'kg': incompatible with the units '1/kg' of study:q"),
    ("kg", 'quantity = "mass:curb"\nupper = "body:length"\nunits = "kg"', "upper",
     "'body:length': a quantity in 'mm', which does not convert to the constraint's units "
     "'kg'"),
    ("mm", 'quantity = "mass:curb"\nupper = "study:q"\nunits = "kg"', "upper",
     "'study:q': a quantity in 'mm', which does not convert to the constraint's units 'kg'"),
])
def test_a_bound_in_units_that_do_not_convert_is_one_line(tmp_path, derived_units,
                                                          constraint, field, message):
    """A bound in 'kg' on a derived quantity in '1/kg', or a bound that is a quantity in
    'mm' on one in 'kg': read as valid, then a UnitsError traceback from the problem's
    set-up (every study command); now refused as the study is read."""
    with pytest.raises(InputError, match=rf"constraint\[1\]\.{field} = {message}"):
        _study(tmp_path, derived=DERIVED_MM.format(u=derived_units),
               constraints=f"[[constraint]]\n{constraint}")
    # compatible units and a bound without units are read as before
    study = _study(tmp_path, derived=DERIVED_MM.format(u="g"), constraints=(
        '[[constraint]]\nquantity = "study:q"\nupper = "1 t"\nunits = "kg"\n'
        '[[constraint]]\nquantity = "mass:curb"\nupper = "study:q"\nunits = "kg"\n'
        '[[constraint]]\nquantity = "mass:curb"\nupper = "body:seats"\nunits = "kg"'))
    assert [c.upper for c in study.constraints] == [1000.0, "study:q", "body:seats"]


# ------------------------------------------------------------------ a STEP file per case


def test_a_sweep_writing_a_step_file_per_case_is_limited(tmp_path, capsys, no_case_lists):
    """``sweep.step = true`` builds the CAD body and writes a STEP file for every case
    (14.9 s and 0.83 MB for the Carry class on this machine): the 200,000 cases the case
    limit lets through asked for ~35 days and ~170 GB of disk. Such a sweep is now
    limited to 1,000 cases unless --max-cases, counted before any case list is made."""
    from keidesign.cli import main
    from keidesign.studies.sweep import MAX_STEP_CASES

    study = _study_file(tmp_path, "[sweep]\nlevels = 32\nstep = true\n", objective=False)
    args = ["sweep", str(study), "--out", str(tmp_path / "o"), "--serial"]
    assert MAX_STEP_CASES == 1_000
    assert main(args) == 2
    _, err = capsys.readouterr()
    assert err == (f"keidesign: error: {study}: sweep.step = true (the CAD body of every "
                   "case, ~15 s and ~0.8 MB each): 1024 cases with STEP files exceed the "
                   "limit of 1000 cases with STEP files (the default); reduce sweep.levels, "
                   "or set sweep.step = false, or pass --max-cases 1024 to run them "
                   "knowingly\n")
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- the import


@pytest.mark.parametrize("year", [1990, 10**20])
def test_import_vehicle_of_a_year_no_row_covers_says_the_year(year):
    """`import vehicle Alto --year 2099`: "no vehicle row matches 'Alto'; near names:
    SUZUKI ALTO" named the name, which matches, and not the year, which does not."""
    from keidesign.specs.sources import vehicle_spec

    with pytest.raises(InputError) as exc:
        vehicle_spec("Alto", year=year)
    assert str(exc.value) == (f"--year {year}: no vehicle row matching 'Alto' covers that "
                              "model year; allowed: 2021")
    with pytest.raises(InputError, match=r"^no vehicle row matches 'Altoo'; near names: "):
        vehicle_spec("Altoo", year=year)


@pytest.mark.parametrize("height", [10**400, "1e999", None, True, [1500]])
def test_import_seat_refuses_what_is_no_height_with_its_value_error(height):
    """``keidesign.specs.build.import_seat`` raises ValueError for what is no body height
    (its contract): an integer beyond a float's range was an OverflowError, ``None`` or
    a list a TypeError, ``True`` a seat of a 1 mm body."""
    from keidesign.specs.build import import_seat

    with pytest.raises(ValueError, match="body height .* is not a positive finite number"):
        import_seat(height)


def test_the_rule_packs_are_not_a_swept_variable(tmp_path):
    """``[[variable]] name = "design.rules"`` with ``values = [["x"], ["/etc/passwd"]]``
    ran every case 'ok' and 'feasible' under the study's packs: the values were neither
    read nor used, and the table's column said otherwise."""
    with pytest.raises(InputError, match=r"variable\[2\]\.name = 'design\.rules': not "
                                         r"swept: the rule packs of every case are the "
                                         r"study's; allowed: study\.rules"):
        _study(tmp_path, constraints='[[variable]]\nname = "design.rules"\n'
                                     'values = [["x"], ["/etc/passwd"]]')
