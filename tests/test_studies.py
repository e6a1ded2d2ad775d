"""Study files, margins, case store, Pareto filter: fast checks (no optimization runs)."""

from __future__ import annotations

import re

import numpy as np
import openmdao.api as om
import pytest
from conftest import ROOT, STUDY_BASE
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal

from keidesign.errors import InputError
from keidesign.studies.pareto import nondominated
from keidesign.studies.problem import MarginComp, MarginSpec, build_study_problem
from keidesign.studies.spec import apply_overrides, load_study, parse_study
from keidesign.studies.store import CaseStore, case_hash
from keidesign.studies.sweep import generate_cases

STUDIES = ROOT / "studies"
READY = ["tallboy_ice_min_mass", "kei_ev_min_cost", "pareto_mass_mpg_frontal",
         "feasibility_crush_height"]

BASE = STUDY_BASE


def _parse(text: str):
    return parse_study(text, "s.toml", base_dir=STUDIES)


@pytest.mark.parametrize("stem", READY)
def test_ready_studies_validate(stem):
    s = load_study(STUDIES / f"{stem}.toml")
    assert s.name and s.variables
    assert len(s.fingerprint) == 16


def test_valid_study_fills_defaults():
    s = _parse(BASE)
    assert s.driver["optimizer"] == "SLSQP" and s.driver["multistart"] == 0
    v = s.variable("crash:front:crush_length")
    assert (v.lower, v.upper, v.units) == (600.0, 900.0, "mm")
    assert s.start_values() == {"crash:front:crush_length": 800.0}


@pytest.mark.parametrize("change,pattern", [
    ("[study]\nname='x'\ndesign='designs/nbox_class.toml'\nrecrod=[]\n",
     r"s\.toml: unknown key 'study\.recrod'; did you mean 'record'\?"),
    (BASE.replace('name = "crash.front.crush_length"', 'name = "crash.front.crush_lenght"'),
     r"variable\[1\]\.name = 'crash\.front\.crush_lenght': not a design variable \(did you "
     r"mean 'crash\.front\.crush_length'\?\)"),
    (BASE.replace("upper = 900", "upper = 9000"),
     r"variable\[1\]\.upper = 9000: outside the physically possible range of "
     r"crash\.front\.crush_length; allowed: number in \[100, 1500\] mm"),
    (BASE.replace("upper = 900", "upper = '35 kg'"),
     r"variable\[1\]\.upper = '35 kg': units 'kg' cannot be converted to 'mm'; allowed: "
     r"a number in mm, or a quantity in units that convert to mm \(e\.g\. '12\.5 mm'\)$"),
    (BASE.replace("upper = 900", "upper = '35 furlong'"),  # each bad quantity: "allowed"
     r"variable\[1\]\.upper = '35 furlong': unknown unit name 'furlong'; allowed: a number "
     r"in mm, or a quantity"),
    (BASE.replace("upper = 900", "upper = 'abc'"),
     r"variable\[1\]\.upper = 'abc': expected a number or a quantity; allowed: a number in "
     r"mm"),
    (BASE + "[[constraint]]\nquantity = 'energy:label_comb_mpg'\nlower = '40 kg'\n"
     "units = 'mi/galUS'\n",
     r"constraint\[2\]\.lower = '40 kg': units 'kg' cannot be converted to 'mi/galUS'; "
     r"allowed: a number in mi/galUS, or a quantity"),
    (BASE + "[[constraint]]\nquantity = 'energy:ev_range'\nlower = '200 km'\n",
     r"constraint\[2\]\.units: missing \(required for a bound on a quantity, even when "
     r"lower/upper carry units\); allowed: a unit string \(energy:ev_range's own are 'mi': "
     r"units = 'mi'\)$"),
    (BASE + "[[constraint]]\nquantity = 'energy:ev_range'\nunits = 'mi'\n",
     r"constraint\[2\]: neither lower nor upper is given; allowed: lower = \.\.\. and/or"),
    (BASE.replace("lower = 600", "lower = 950"),
     r"variable\[1\]\.lower = 950: not below upper"),
    (BASE.replace("upper = 900", "upper = 700"),
     r"variable\[1\] = 'crash\.front\.crush_length': the base design's value 800 is "
     r"outside \[600, 700\]"),
    (BASE.replace('name = "crash.front.crush_length"', 'name = "crash.front.material"'),
     r"is not a continuous variable \(one of .*\); list its options in values"),
    (BASE.replace('name = "mass:curb"', 'name = "cost:nonexistent"'),
     r"objective\.name = 'cost:nonexistent': no model computes this quantity: it is not a "
     r"registered variable"),
    (BASE.replace('id = "fmvss:fmvss208.crush_space"', 'id = "fmvss:fmvss208.crush_spac"'),
     r"constraint\[1\]\.id = 'fmvss:fmvss208\.crush_spac': matches no constraint of the rule "
     r"packs .*did you mean 'fmvss:fmvss208\.crush_space'\?"),
    (BASE + "[driver]\noptimizer = 'IPOPT'\n",
     r"driver\.optimizer = 'IPOPT': not a valid choice"),
    (BASE + "[driver]\noptimizer = 'pyoptsparse:IPOPT'\n",
     r"pyOptSparse \(IPOPT, SNOPT\) is not installable"),
    (BASE + "[sweep]\nmethod = 'lhs'\n", r"sweep\.samples: missing"),
    (BASE + "[sweep]\nlevels = 3\nbatch = 'yes'\n",
     r"sweep\.batch = 'yes': .*expected true or false"),
    (BASE + "[sweep]\nmap = ['crash.front.crush_length', 'body.height']\n",
     r"sweep\.map\[2\] = 'body\.height': not a continuous \[\[variable\]\] of this study"),
    (BASE + "[derived.r]\nexpr = 'a * q'\nunits = 'mi'\nvars = { a = 'mass:curb' }\n",
     r"derived\.r\.expr = 'a \* q': uses q, not defined in derived\.r\.vars"),
    (BASE + "[derived.r]\nexpr = 'e'\nunits = 'mi'\nvars = { e = 'mass:curb' }\n",
     r"derived\.r\.vars\.e = 'e': not a valid symbol"),
    (BASE.replace("designs/nbox_class.toml", "designs/none.toml"),
     r"study\.design = 'designs/none\.toml': design file not found"),
    (BASE + "[set.body]\nheigth = 1700\n",
     r"nbox_class\.toml with s\.toml \[set\]: unknown key 'body\.heigth'; did you mean "
     r"'body\.height'\?"),
    (BASE + "[pareto]\npoints = 3\n[[pareto.objective]]\nname = 'mass:curb'\n",
     r"pareto\.objective = .*expected 2 or 3"),
])
def test_bad_study_one_clear_error(change, pattern):
    with pytest.raises(InputError) as exc:
        _parse(change)
    msg = str(exc.value)
    assert "\n" not in msg
    assert re.search(pattern, msg), msg


def test_output_not_computed_yet_is_one_clear_error():
    """A registered quantity no model computes yet (e.g. the EPA range before the energy
    discipline delivers it) names itself when the problem is built."""
    text = (BASE.replace("designs/nbox_class.toml", "designs/sakura_class.toml")
            + "[[constraint]]\nquantity = 'energy:ev_range'\nlower = 150\nunits = 'mi'\n")
    s = _parse(text)
    try:
        build_study_problem(s, s.base, objectives=[s.objective])
    except InputError as exc:
        assert "constraint[2].quantity = 'energy:ev_range'" in str(exc)
        assert "not computed by the model" in str(exc)
    else:  # the energy discipline computes it now: nothing to report
        pass


def _skipped(text: str) -> list[str]:
    """The records a study's problem skipped (``id: reason``)."""
    s = _parse(text)
    return build_study_problem(s, s.base, objectives=[s.objective]).skipped


def _refused(text: str, match: str) -> None:
    s = _parse(text)
    with pytest.raises(InputError, match=match):
        build_study_problem(s, s.base, objectives=[s.objective])


def test_explicit_unmodelled_constraint_is_an_error_glob_skips_it():
    _refused(BASE + "[[constraint]]\nid = 'fmvss:fmvss301.spill_rate'\n",
             r"constraint\[2\]\.id = 'fmvss:fmvss301\.spill_rate': quantity "
             r"'crash:rear:fuel_spill_rate' is not computed")
    assert any("fmvss301.spill_rate" in k
               for k in _skipped(BASE + "[[constraint]]\nid = 'fmvss:fmvss301.*'\n"))


def test_truck_study_skips_part_581_and_an_explicit_one_says_why():
    """Part 581 applies to passenger cars only (49 CFR 581.3): a truck study's
    ``fmvss:part581.*`` glob skips the records with that reason, naming one is an error
    saying it does not apply; a car study keeps them."""
    truck = BASE.replace("designs/nbox_class.toml", "designs/carry_class.toml").replace(
        "lower = 600\nupper = 900", "lower = 150\nupper = 300")
    skipped = [k for k in _skipped(truck + "[[constraint]]\nid = 'fmvss:part581.*'\n")
               if "part581" in k]
    assert len(skipped) == 3 and all("49 CFR 581.3" in k and "not-applicable" in k
                                     for k in skipped), skipped
    _refused(truck + "[[constraint]]\nid = 'fmvss:part581.corner'\n",
             r"constraint\[2\]\.id = 'fmvss:part581\.corner': constraint does not apply: "
             r"applies to passenger car only")
    assert not [k for k in _skipped(BASE + "[[constraint]]\nid = 'fmvss:part581.*'\n")
                if "part581" in k]


@pytest.mark.parametrize("stem", sorted(p.stem for p in STUDIES.glob("*.toml")))
def test_fmvss_study_optimises_a_us_market_design(stem):
    """A study held to FMVSS (a ``fmvss:`` constraint) is of a US-market car: its base
    design (with ``[set]``) carries every US content item of data/mass/us_content.csv that
    applies to it (task s29h: studies (a), (b), (e) optimised the JDM designs, study (a)'s
    855.7 kg optimum about 19.75 kg short of the US car's), while the structure the
    variables start from stays the JDM base design's."""
    from keidesign.design import load_design
    from keidesign.mass.data import fitted_content, us_content_added

    s = load_study(STUDIES / f"{stem}.toml")
    if not any((c.id or "").startswith("fmvss:") for c in s.constraints):
        pytest.skip("no FMVSS constraint")
    assert s.base["mass:market"] == "us"
    assert not us_content_added(s.base) and fitted_content(s.base)
    jdm = load_design(s.design_path)
    assert jdm["mass:market"] == "jdm"
    start = s.start_values()
    for v in s.continuous:
        if v.start is None:
            assert start[v.name] == float(jdm.values[v.name]), v.name


@pytest.mark.parametrize("study", ["kei_ev_min_cost.toml", "tallboy_ice_min_mass.toml"])
def test_study_problem_setup_alone_computes_the_design(study):
    """A study problem after a plain ``prob.setup()`` (no ``finish_setup``) runs at its
    design's values: outputs equal the evaluate path's (`build_problem`). Before the fix
    its inputs stayed at OpenMDAO's defaults (BEV motor power 1 kW: 0-60 999 s, top
    speed 0 mph, mpg 0 for the ICE)."""
    from keidesign.model import build_problem

    s = load_study(STUDIES / study)
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    sp.prob.setup()
    sp.prob.run_model()
    ref = build_problem(s.base, list(s.packs))
    ref.run_model()
    for name, units in [("mass:curb", "kg"), ("mass:test", "kg"), ("energy:ftp_mpg", "mi/galUS"),
                        ("energy:label_comb_mpg", "mi/galUS"), ("perf:accel_0_60", "s"),
                        ("perf:top_speed", "mi/h")]:
        assert_near_equal(sp.prob.get_val(name, units=units), ref.get_val(name, units=units),
                          tolerance=1e-9)


def test_fixed_constraints_are_not_driver_constraints():
    s = _parse(BASE + "[[constraint]]\nid = 'kei-japan:*'\n")
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    by_id = {m.id: m for m in sp.margins}
    # seats is a structure option, length an input no study variable moves: constants
    assert by_id["kei-japan:kei.seats"].fixed and not by_id["kei-japan:kei.seats"].constrained
    assert by_id["kei-japan:kei.length"].fixed_value == pytest.approx(5.0)
    assert by_id["fmvss:fmvss208.crush_space"].constrained


def test_class_average_outputs_are_not_driver_constraints():
    """The pole test's SID-IIs values are the side fit's class averages, the same for
    every design: no design variable moves them, so an optimizer constraint on one was
    dead (OpenMDAO warned, review s29d); their margins are checked once, as constants."""
    from keidesign.crash.side_occupant import CLASS_AVERAGE

    s = _parse(BASE + "[[constraint]]\nid = 'fmvss:fmvss214.pole.*'\n")
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    by_q = {m.quantity: m for m in sp.margins}
    assert "crash:side:pole:sid2s:hic36" in by_q         # the pack's one pole SID-IIs row
    for q in set(CLASS_AVERAGE) & set(by_q):
        m = by_q[q]
        assert m.fixed and not m.constrained and m.fixed_value > 0.0, m
    assert by_q["crash:side:pole:crush_required"].constrained


def test_overrides():
    doc = {"sweep": {"levels": 5}, "variable": [{"name": "a", "upper": 1}]}
    out = apply_overrides(doc, ["sweep.levels=3", "variable.1.upper=2.5", "study.name=x y"],
                          "s.toml")
    assert out["sweep"]["levels"] == 3 and out["variable"][0]["upper"] == 2.5
    assert out["study"]["name"] == "x y" and doc["sweep"]["levels"] == 5
    with pytest.raises(InputError, match=r"--set 'variable\.3\.upper=1': variable\.3: "
                                         r"expected an index 1\.\.1"):
        apply_overrides(doc, ["variable.3.upper=1"], "s.toml")
    with pytest.raises(InputError, match="expected KEY=VALUE"):
        apply_overrides(doc, ["levels"], "s.toml")


def test_cases_fullfact_lhs_and_discrete():
    s = _parse(BASE + "[[variable]]\nname='body.height'\nlower=1700\nupper=1800\n"
               "[[variable]]\nname='crash.front.material'\nvalues=['dp_590','dp_780']\n"
               "[sweep]\nlevels=3\n")
    cases = generate_cases(s)
    assert len(cases) == 2 * 9 and len({c["hash"] for c in cases}) == 18
    assert cases[0]["values"] == {"crash:front:crush_length": 600.0, "body:height": 1700.0}
    s2 = _parse(BASE + "[sweep]\nmethod='lhs'\nsamples=7\nseed=3\n")
    a, b = generate_cases(s2), generate_cases(s2)
    assert [c["hash"] for c in a] == [c["hash"] for c in b]  # seeded: same cases
    x = sorted(c["values"]["crash:front:crush_length"] for c in a)
    assert all(600 + 300 * i / 7 <= xi <= 600 + 300 * (i + 1) / 7 for i, xi in enumerate(x))


def test_margin_comp_values_and_partials():
    specs = [
        MarginSpec("a", "margin:a", "x", "upper", "b", "mm"),       # b - x in mm
        MarginSpec("c", "margin:c", "x", "lower", 0.5, "m"),         # x[m] - 0.5
        MarginSpec("d", "margin:d", "y", "upper", 700.0, None),      # 700 - y
    ]
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("m", MarginComp(margins=specs, units={"x": "mm", "b": "cm",
                                                                  "y": None}),
                             promotes=["*"])
    prob.setup(force_alloc_complex=True)
    prob.set_val("x", 800.0)
    prob.set_val("b", 90.0)
    prob.set_val("y", 650.0)
    prob.run_model()
    assert_near_equal(prob.get_val("margin:a"), 100.0, 1e-12)
    assert_near_equal(prob.get_val("margin:c"), 0.3, 1e-12)
    assert_near_equal(prob.get_val("margin:d"), 50.0, 1e-12)
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-10, rtol=1e-10)


def test_store_append_resume_and_refusal(tmp_path):
    path = tmp_path / "cases.sqlite"
    row = {"hash": case_hash({"a": 1.0}), "seq": 0, "status": "ok", "inputs": {"a": 1.0},
           "outputs": {"y": 0.1 + 0.2}, "message": ""}
    with CaseStore(path, "f1") as st:
        assert st.add([row]) == 1 and st.add([row]) == 0  # append-only, keyed by hash
    with pytest.raises(InputError, match="already holds 1 finished case"):
        CaseStore(path, "f1")
    with pytest.raises(InputError, match="come from a different study"):
        CaseStore(path, "f2", resume=True)
    with CaseStore(path, "f1", resume=True) as st:
        assert st.rows()[0]["outputs"]["y"] == 0.1 + 0.2  # floats round-trip exactly


def test_recorded_count_looks_ahead_without_changing_or_trusting_the_file(tmp_path):
    """``recorded_count`` (the look ahead of ``sweep --resume``, task s34c) counts the
    given hashes a store records, read-only (the file's bytes unchanged); anything it
    cannot tell (no file, not SQLite, another database's schema, a view) is None, and the
    run's own CaseStore decides."""
    import sqlite3

    from keidesign.studies.store import recorded_count

    path = tmp_path / "cases.sqlite"
    assert recorded_count(path, {"x"}) is None
    hashes = [case_hash({"a": float(k)}) for k in range(3)]
    with CaseStore(path, "f1") as st:
        st.add([{"hash": h, "seq": k, "status": "ok", "inputs": {}, "outputs": {},
                 "message": ""} for k, h in enumerate(hashes[:2])])
    before = path.read_bytes()
    assert recorded_count(path, set(hashes)) == 2
    assert recorded_count(path, {hashes[0], "other"}) == 1
    assert path.read_bytes() == before
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    assert recorded_count(junk, set(hashes)) is None
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.execute("CREATE VIEW cases AS SELECT 'h' AS hash")
    con.commit()
    con.close()
    assert recorded_count(other, {"h"}) is None


def test_nondominated_with_ties():
    pts = [[1.0, 5.0], [1.0, 6.0], [2.0, 7.0], [2.0, 7.0 + 1e-12], [3.0, 6.5]]
    assert nondominated(pts, ["min", "max"]) == [False, True, True, False, False]
    assert nondominated(np.array([[1.0, 1.0]]).tolist(), ["min", "min"]) == [True]


@pytest.mark.parametrize("cmd,table", [("sweep", "[sweep]"), ("pareto", "[pareto]"),
                                       ("optimize", "[objective]")])
def test_command_needs_its_table(tmp_path, capsys, cmd, table):
    from keidesign.cli import main

    path = tmp_path / "study.toml"
    text = BASE.replace('[objective]\nname = "mass:curb"\n', "").replace(
        "designs/nbox_class.toml", str(STUDIES / "designs" / "nbox_class.toml"))
    path.write_text(text)
    assert main([cmd, str(path), "--out", str(tmp_path / "o"), "--serial"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("keidesign: error: ") and table in err and err.count("\n") == 1


def test_best_start_is_the_lowest_feasible_objective():
    """Among converged feasible starts the objective decides, whatever their residual
    violations within the driver's tolerance (study (a) once reported dp_590 at 866.3 kg
    over a feasible dp_780 start at 864.8 kg because the latter's residual was 1e-9
    larger); among infeasible starts the smaller violation wins."""
    from keidesign.studies.optimize import StartResult, _better

    def start(i, obj, feasible=True, success=True, viol=0.0):
        return StartResult(i, {}, {}, success, feasible, "", obj, {}, 1, 1, 0.0,
                           max_violation=viol)

    runs = [start(0, 876.1), start(1, 866.3, viol=0.0), start(2, 864.8, viol=1e-9),
            start(3, 861.8, feasible=False, success=False, viol=0.02)]
    best = None
    for r in runs:
        if _better(r, best, "min"):
            best = r
    assert best.index == 2
    a, b = start(0, 900.0, False, False, 0.1), start(1, 950.0, False, False, 0.01)
    assert _better(b, a, "min") and not _better(a, b, "min")


# ---------------------------------------------------------------- [class] (issue 15 D3)


def test_class_passenger_car_becomes_bounds_on_what_decides_it():
    """A study that requires a passenger car with full access in >= 45 states gets the
    top speed above the LSV band and every computed FMVSS criterion (certification)."""
    s = _parse(BASE + '\n[class]\nrequire = "passenger_car"\nmin_full_access_states = 45\n')
    top = [c for c in s.constraints if c.quantity == "perf:top_speed"]
    assert len(top) == 1 and top[0].lower == 25.0 and top[0].units == "mi/h"
    assert top[0].upper is None and top[0].where == "class.require"
    assert any(c.id == "fmvss:fmvss*" for c in s.constraints)  # added: certification
    # a study that already lists every FMVSS criterion is not given them twice
    s2 = _parse(BASE.replace('fmvss208.crush_space"', 'fmvss*"')
                + '\n[class]\nrequire = "passenger_car"\n')
    assert sum(1 for c in s2.constraints if c.id and c.id.startswith("fmvss:")) == 1
    # the bound is part of the optimization problem
    sp = build_study_problem(s, s.base, objectives=[s.objective])
    by_id = {m.id: m for m in sp.margins}
    assert by_id["study:perf:top_speed.lower"].constrained
    assert "fmvss:fmvss301.rear_crush_space" in by_id  # every computed FMVSS criterion


def test_class_lsv_bounds_and_impossible_access_counts():
    """An LSV is 20-25 mph and below 3,000 lb GVWR; it has full access nowhere, so asking
    for full access in 45 states is one clear error naming the field, the value and
    what the class can have."""
    s = _parse(BASE + '\n[class]\nrequire = "lsv"\nmin_road_access_states = 20\n')
    top = next(c for c in s.constraints if c.quantity == "perf:top_speed")
    assert (top.lower, top.upper) == (20.0, 25.0)
    gvw = next(c for c in s.constraints if c.quantity == "mass:gvw")
    assert gvw.upper == 1361.0 and gvw.units == "kg"
    with pytest.raises(InputError, match=r"class\.min_full_access_states.*45.*full access "
                                         r"in 0 of 51.*at most 0"):
        _parse(BASE + '\n[class]\nrequire = "lsv"\nmin_full_access_states = 45\n')
    with pytest.raises(InputError, match=r"class\.min_road_access_states.*51.*at most"):
        _parse(BASE + '\n[class]\nrequire = "lsv"\nmin_road_access_states = 51\n')


@pytest.mark.parametrize("body, match", [
    ('require = "truck"', r"class\.require.*truck"),
    ('min_full_access_states = 3', r"class\.require: missing"),
    ('require = "lsv"\nstates = 3', r"class.*states"),
    ('require = "lsv"\nmin_road_access_states = -1', r"class\.min_road_access_states"),
])
def test_class_bad_input_is_one_clear_error(body, match):
    with pytest.raises(InputError, match=match):
        _parse(BASE + f"\n[class]\n{body}\n")


def test_pareto_grid_best_end_stays_short_of_the_anchor():
    """The epsilon grid runs from the worst anchor value to just short of the best (a
    constraint at the anchor's own optimum leaves the feasible set no interior)."""
    from types import SimpleNamespace

    from keidesign.studies import pareto
    from keidesign.studies.spec import ObjectiveSpec

    study = SimpleNamespace(
        pareto_objectives=[ObjectiveSpec(name="a", sense="max"),
                           ObjectiveSpec(name="b", sense="max")],
        pareto={"points": 3}, path="s.toml")
    anchors = [{"objectives": [10.0, 0.0], "success": True, "feasible": True},
               {"objectives": [5.0, 100.0], "success": True, "feasible": True}]
    eps = [p["eps"][0] for p in pareto._grid(study, anchors)]
    top = 100.0 * (1.0 - pareto.BEST_END_BACKOFF)
    assert eps == pytest.approx([0.0, top / 2.0, top], rel=1e-12)
    assert eps[-1] < 100.0


def test_optimize_summary_names_files_where_they_are(tmp_path):
    """The recorder and reports sit in optimization_out/: the summary said 'cases.sql,
    reports' as if they were in the results folder."""
    from keidesign.studies.optimize import files_line

    files = {"recorder": tmp_path / "optimization_out" / "cases.sql",
             "reports": tmp_path / "optimization_out" / "reports",
             "design": tmp_path / "optimum.toml", "again": tmp_path / "optimum.toml"}
    assert files_line(tmp_path, files) == (
        f"  results in {tmp_path}/: optimization_out/cases.sql, optimization_out/reports, "
        "optimum.toml")


def test_optimize_refuses_an_objective_pinned_by_a_measured_value(tmp_path):
    """An imported car keeps its published curb (mass.curb_measured), which pins mass:curb:
    optimizing it ran to "converged, feasible" with every trade factor 0. It is refused
    before any run, naming the objective, the pinning field and the remedy; without the
    field the check passes."""
    from keidesign.studies.optimize import check_objective_movable, optimize

    pinned = load_study(ROOT / "studies" / "tallboy_ice_min_mass.toml",
                        ["set.mass.curb_measured=880", 'variable.8.values=["dp_780"]'])
    with pytest.raises(InputError) as exc:
        optimize(pinned, tmp_path / "opt", step=False, reports=False, trade=False)
    msg = str(exc.value)
    assert "objective 'mass:curb' cannot be moved by any design variable" in msg, msg
    assert "mass.curb_measured = 880 kg" in msg and "--predict" in msg, msg
    assert "remove that field" in msg and "\n" not in msg
    assert not (tmp_path / "opt").exists()
    check_objective_movable(load_study(ROOT / "studies" / "tallboy_ice_min_mass.toml"))


def test_trade_factor_line_of_an_objective_without_units():
    """An objective registered without units (a ratio; money is printed in USD since
    s29f): the trade factor line read 'changes <objective> by 24.37  (multiplier ...'
    with a double space where the units go; the optimum line gives the value to six
    digits. The same result with a price objective reads USD in both places."""
    from types import SimpleNamespace

    from keidesign.studies.optimize import format_trade_factors

    def result(objective):
        return SimpleNamespace(
            study=SimpleNamespace(name="p"), objective=objective, objective_units=None,
            value=21070.54, best=SimpleNamespace(success=True, feasible=True, message="ok"),
            outputs={objective: (21070.54, None), "mass:curb": (1093.0, "kg")},
            active=[{"kind": "constraint", "id": "study:energy:ev_range.lower",
                     "bound": "lower", "units": "km", "step": 2.0, "dfdb_multiplier": 24.36,
                     "dfdb_resolve": 24.37, "resolve_success": True,
                     "effects": {objective: 24.37, "mass:curb": 1.142}}])

    text = format_trade_factors(result("cost:rpe"))
    assert "Optimum: cost:rpe = 21070.5 (converged, feasible)" in text
    line = next(ln for ln in text.splitlines() if ln.startswith("- **"))
    assert line == ("- **1 km more required margin on study:energy:ev_range.lower** changes "
                    "cost:rpe by 24.37 (multiplier 24.36, re-solve 24.37, step 2 km)"), line
    price = format_trade_factors(result("cost:price"))
    assert "Optimum: cost:price = 21,071 USD (2024) (converged, feasible)" in price
    assert "changes cost:price by 24.37 USD (multiplier" in price
    assert "  " not in price.replace("\n  - ", "\n- ")
    assert "  " not in text.replace("\n  - ", "\n- ")


def test_trade_factor_units_with_powers_keep_the_bold_and_render_literally():
    """A bound in ``cm**3`` (study (a)'s displacement, new-user pass s36d) was written
    ``- **raising the lower bound of powertrain.ice.displacement by 1 cm**3** changes
    ...``: the unit's ``**`` closed the bold, and the report (and GitHub) showed 'by 1 cm'
    bold, a bare '3', then the rest of the line bold up to the next ``cm**``. The units are
    escaped in the Markdown; the report's renderer shows them as written."""
    from types import SimpleNamespace

    from keidesign.review.report import markdown_html
    from keidesign.studies.optimize import format_trade_factors

    res = SimpleNamespace(
        study=SimpleNamespace(name="p"), objective="mass:curb", objective_units="kg",
        value=885.3, best=SimpleNamespace(success=True, feasible=True, message="ok"),
        outputs={"mass:curb": (885.3, "kg"), "crash:front:mean_decel": (400.0, "m/s**2"),
                 "body:volume:size": (4.0, "m**3")},
        active=[{"kind": "bound", "id": "powertrain.ice.displacement", "bound": "lower",
                 "units": "cm**3", "step": 1.1, "dfdb_multiplier": 0.06009,
                 "dfdb_resolve": 0.06009, "resolve_success": True,
                 "effects": {"mass:curb": 0.06009, "crash:front:mean_decel": -0.01998,
                             "body:volume:size": 0.001}}])
    html = markdown_html(format_trade_factors(res))
    line = next(ln for ln in html.splitlines() if "displacement" in ln)
    assert line == ("<li><strong>raising the lower bound of powertrain.ice.displacement by 1 "
                    "cm&#42;&#42;3</strong> changes mass:curb by 0.06009 kg (multiplier "
                    "0.06009, re-solve 0.06009, step 1.1 cm&#42;&#42;3)</li>"), line
    per_unit = next(ln for ln in html.splitlines() if "per unit" in ln)
    assert "<strong>" not in per_unit and "m/s&#42;&#42;2 crash:front:mean_decel" in per_unit
    assert "m&#42;&#42;3 body:volume:size" in per_unit


def test_a_second_cafe_pack_or_one_without_the_year_is_no_study_margin():
    """The model computes one ``cafe:target_mpg``, from the first pack with a row for the
    design's year: a study constraining a second CAFE pack (``safe-iii`` after
    ``cafe-2024``) would hold it to cafe-2024's target, so naming it is one error line
    (it was a margin on the other pack's target); a pack without the year's row
    (``cafe-2022`` at MY2027) is not-applicable as in ``evaluate`` (skipped by a glob, an
    error when named), not a margin on cafe-2024's target."""
    base = BASE.replace('design = "designs/nbox_class.toml"\n',
                        'design = "designs/nbox_class.toml"\n'
                        'rules = ["kei-japan", "fmvss", "cafe-2022", "cafe-2024", "safe-iii"]\n')
    two = base + "[[constraint]]\nid = 'cafe-2024:cafe.target'\n"
    _refused(two + "[[constraint]]\nid = 'safe-iii:cafe.target'\n",
             r"constraint\[3\]\.id = 'safe-iii:cafe\.target': its bound cafe:target_mpg "
             r"would be cafe-2024's target")
    old = two + "[[constraint]]\nid = 'cafe-2022:*'\n"
    assert [k for k in _skipped(old) if k.startswith("cafe-2022:")] == [
        "cafe-2022:cafe.target: constraint does not apply: no MY2027 row in cafe-2022 "
        "(MY2012-2026) (not-applicable)"]
    _refused(two + "[[constraint]]\nid = 'cafe-2022:cafe.target'\n",
             r"'cafe-2022:cafe\.target': constraint does not apply: no MY2027 row")
    assert not [k for k in _skipped(two) if k.startswith("cafe-2024:")]


def test_a_discrete_column_is_bare_for_text_options_with_units_for_numbers():
    """cases.csv (sweep) and starts.csv (optimize) head a discrete variable the same way,
    now by one function (each had its own copy until s31o): an option of text values (a
    rail grade) is a label, bare; one of numbers is a quantity, ``name [units]``, ``[-]``
    dimensionless."""
    from keidesign.studies.outputs import discrete_column
    from keidesign.studies.spec import DesignVar

    grade = DesignVar("crash:front:material", None, values=("hsla_340", "dp_780"))
    wall = DesignVar("crash:front:wall_thickness", "mm", values=(1.2, 2.0))
    seats = DesignVar("body:seats", None, values=(2, 4))
    assert discrete_column(grade) == "crash:front:material"
    assert discrete_column(wall) == "crash:front:wall_thickness [mm]"
    assert discrete_column(seats) == "body:seats [-]"


def test_store_refusal_names_what_differs(tmp_path):
    """`--resume` into a store of the same study after a rule pack changed (new-user
    pass s34d: the sweep of studies/feasibility_crush_height.toml refused its own earlier
    run as 'a different study or settings', though the study file was untouched): the
    message names the part of the fingerprint that differs."""
    path = tmp_path / "cases.sqlite"
    row = {"hash": case_hash({"a": 1.0}), "seq": 0, "status": "ok", "inputs": {"a": 1.0},
           "outputs": {"y": 1.0}, "message": ""}
    parts = {"study": "s1", "design": "d1", "packs": "p1", "keidesign": "0.1"}
    info = {f"fingerprint:{k}": v for k, v in parts.items()}
    with CaseStore(path, "f1", info=info) as st:
        st.add([row])
    new = info | {"fingerprint:packs": "p2"}
    with pytest.raises(InputError) as exc:
        CaseStore(path, "f2", resume=True, info=new)
    msg = str(exc.value)
    assert "come from a different study" in msg and "the rule packs differ" in msg
    assert "study file" not in msg and "keidesign version" not in msg
    new = info | {"fingerprint:packs": "p2", "fingerprint:keidesign": "0.2"}
    with pytest.raises(InputError, match="the rule packs and the keidesign version differ"):
        CaseStore(path, "f2", resume=True, info=new)
    # a store written before the parts were kept: every candidate named
    old = tmp_path / "old.sqlite"
    with CaseStore(old, "f1") as st:
        st.add([row])
    with pytest.raises(InputError, match="one of the study file .* the keidesign version"):
        CaseStore(old, "f2", resume=True, info=new)


def test_study_fingerprint_parts_follow_the_fingerprint():
    """The parts a store keeps are those the fingerprint hashes: another rule pack list
    changes the packs' part and the fingerprint, not the design's part."""
    a = load_study(STUDIES / "feasibility_crush_height.toml")
    b = load_study(STUDIES / "feasibility_crush_height.toml",
                   overrides=['study.rules=["kei-japan", "fmvss"]'])
    assert a.fingerprint != b.fingerprint
    pa, pb = a.fingerprint_parts, b.fingerprint_parts
    assert set(pa) == {"study", "design", "packs", "keidesign"}
    assert pa["design"] == pb["design"] and pa["keidesign"] == pb["keidesign"]
    assert pa["packs"] != pb["packs"] and pa["study"] != pb["study"]


def test_a_table_key_written_at_the_top_names_its_table():
    """``--set levels=3`` (or ``levels = 3`` above ``[sweep]``) said 'unknown key
    'levels' (valid here: study, set, variable, ...)' with no hint where it goes (new-user
    pass s36d); a key of one of the single tables now names it, both when two tables have
    it. A key of none of them, or near a top-level name, is as before."""
    with pytest.raises(InputError) as exc:
        _parse("levels = 3\n" + BASE)
    assert str(exc.value) == ("s.toml: unknown key 'levels'; did you mean 'sweep.levels'? "
                              "(valid here: study, set, variable, objective, constraint, "
                              "derived, driver, sweep, pareto, class)")
    with pytest.raises(InputError, match=r"unknown key 'seed'; did you mean 'driver\.seed' "
                                         r"or 'sweep\.seed'\?"):
        _parse("seed = 1\n" + BASE)
    with pytest.raises(InputError, match=r"unknown key 'sweeps'; did you mean 'sweep'\? "):
        _parse("sweeps = 1\n" + BASE)
    with pytest.raises(InputError, match=r"unknown key 'zzz' \(valid here: "):
        _parse("zzz = 1\n" + BASE)
    # a design file given as a study: its [design] table is not study.design's file name
    with pytest.raises(InputError, match=r"unknown key 'design'; a \[design\] table: this "
                                         r"is a design file, not a study file \("):
        _parse("[design]\nname = 'x'\n[body]\nlength = 3395\n")
