"""The terminal summary of `keidesign optimize` says what an active item is (new-user
pass s34d: study (a) printed 'active: fmvss:fmvss301.rear_crush_space (lower), d
mass:curb / d bound = 0.007287 kg/mm', reading as a lower bound on the rear crush, an
upper-bound criterion; the 'lower' was the floor of its margin, and trade_factors.md
words the same row '1 mm more required margin on ...')."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from keidesign.studies.optimize import format_result


def _res(active):
    best = SimpleNamespace(success=True, feasible=True, discrete={})
    study = SimpleNamespace(name="s", continuous=[])
    return SimpleNamespace(study=study, objective="mass:curb", objective_units="kg",
                           value=885.3, best=best, starts=[best], runner="serial",
                           n_evals=24, elapsed=78.3, x={}, active=active, notes=[],
                           federal_class={}, skipped=[], out=Path("r"), files={})


def test_active_lines_say_margin_or_bound():
    text = format_result(_res([
        {"kind": "constraint", "id": "fmvss:fmvss301.rear_crush_space", "bound": "lower",
         "units": "mm", "value": 0.0, "dfdb_multiplier": 0.007287},
        {"kind": "bound", "id": "body.height", "bound": "lower", "units": "mm",
         "value": 1650.0, "dfdb_multiplier": 0.2307},
        {"kind": "constraint", "id": "study:body:cargo_length.lower", "bound": "lower",
         "units": "mm", "value": 10.0, "dfdb_multiplier": 0.0039}]))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("active:")]
    assert lines[0] == ("active: fmvss:fmvss301.rear_crush_space (margin at its required "
                        "0 mm), d mass:curb / d required margin = 0.007287 kg/mm")
    assert lines[1] == ("active: body.height (lower bound 1650 mm), d mass:curb / d bound = "
                        "0.2307 kg/mm")
    assert lines[2].startswith("active: study:body:cargo_length.lower (margin at its "
                               "required 10 mm), d mass:curb / d required margin = ")


def test_the_not_impacted_note_says_it_was_the_start_point():
    """OpenMDAO checks once, at the driver's first derivatives (the start), which margins
    no design variable moves, and says 'at the current design point'. A new user's BEV
    study (battery energy and rail wall, task s35f) printed under its optimum 'note: ...
    cannot be impacted by the design variables ... at the current design point:
    margin:fmvss:fmvss208_dash_intrusion', read as the optimum, where the dash intrusion
    was 32.6 mm and moved with the wall; at the base design it was 0 (a max(0, ...)).
    The note now says which point it was about."""
    import warnings

    from openmdao.utils.om_warnings import DerivativesWarning

    from keidesign.studies.optimize import _quiet

    notes: list[str] = []
    with _quiet(notes):
        warnings.warn("The following constraints or objectives cannot be impacted by the "
                      "design variables of the problem at the current design point:\n"
                      "  margin:fmvss:fmvss208_dash_intrusion, inds=[0]\n",
                      DerivativesWarning, stacklevel=1)
    assert len(notes) == 1
    assert "at the current design point" not in notes[0], notes
    assert "at the start point, where the optimizer first computed derivatives" in notes[0]
    assert notes[0].endswith("margin:fmvss:fmvss208_dash_intrusion, inds=[0]; a margin at "
                             "a kink there (a zero intrusion, max(0, ...)) may move later")


def test_openmdaos_atomic_group_note_is_not_a_note_of_the_run():
    """New-user pass s44f: every optimization's first note was OpenMDAO's relevance
    message on the mass loop ('The following groups have a nonlinear solver that computes
    gradients and will be treated as atomic ...: vehicle.mass'), the same for every design
    and study, asking nothing and explained nowhere; other warnings stay notes."""
    from openmdao.utils.om_warnings import issue_warning

    from keidesign.studies.optimize import _quiet

    notes: list[str] = []
    with _quiet(notes):
        issue_warning("The following groups have a nonlinear solver that computes gradients "
                      "and will be treated as atomic for the purposes of determining "
                      "which systems are included in the optimization iteration: "
                      "\nvehicle.mass\n")
        issue_warning("another OpenMDAO warning")
    assert notes == ["another OpenMDAO warning"], notes


def _not_converged():
    """Study (a), dp_780 rails, `--set driver.maxiter=3` (task s37i): SLSQP stopped at its
    iteration limit with the body height on its lower bound."""
    best = SimpleNamespace(success=False, feasible=True, discrete={}, n_iter=5, n_major=3)
    height = SimpleNamespace(name="body:height", path="body.height", lower=1650.0,
                             upper=1850.0, units="mm")
    power = SimpleNamespace(name="powertrain:ice:power", path="powertrain.ice.power",
                            lower=36.0, upper=47.0, units="kW")
    study = SimpleNamespace(name="s", continuous=[height, power],
                            driver={"optimizer": "SLSQP"})
    return SimpleNamespace(study=study, objective="mass:curb", objective_units="kg",
                           value=894.499, best=best, starts=[best], runner="serial",
                           n_evals=6, elapsed=2.6,
                           x={"body:height": 1650.0000000000002,
                              "powertrain:ice:power": 42.75},
                           active=[], notes=["the optimizer did not report success: FAIL: "
                                             "Iteration limit reached"],
                           federal_class={}, skipped=[], out=Path("r"), files={})


def test_a_point_that_did_not_converge_is_not_called_the_optimum():
    """The terminal line said 'optimum: mass:curb = 894.499 kg (NOT converged, ...)' while
    trade_factors.md and optimum.toml said 'not an optimum'; it named no variable on a
    bound (there are no multipliers there, but a bound is what to widen)."""
    text = format_result(_not_converged())
    first = text.splitlines()[1].strip()
    assert first.startswith("best point found (not an optimum): mass:curb = 894.499 kg "
                            "(NOT converged, feasible;")
    assert "3 SLSQP iterations, 6 model evaluations" in first
    assert "  at its lower bound: body.height = 1650 mm (no multiplier: not an optimum)" in text
    assert "powertrain.ice.power (" not in text and "bound: powertrain" not in text


def test_a_converged_run_says_optimum_and_its_iterations():
    res = _res([])
    res.best.n_major = 24
    first = format_result(res).splitlines()[1].strip()
    assert first.startswith("optimum: mass:curb = 885.3 kg (converged, feasible; 1 start(s) "
                            "on serial, 24 iterations, 24 model evaluations")


def test_the_drivers_failure_banner_is_not_a_second_note():
    """ScipyOptimizeDriver prints 'Optimization FAILED. Iteration limit reached ---' with
    disp=False; the summary printed it as a note above 'the optimizer did not report
    success: FAIL: Iteration limit reached'."""
    from keidesign.studies.optimize import _quiet

    notes: list[str] = []
    with _quiet(notes, banner_said=True):
        print("Optimization FAILED.\nIteration limit reached\n" + "-" * 35)
    assert notes == []
    with _quiet(notes):
        print("something else the driver printed")
    assert notes == ["something else the driver printed"]


def test_an_infeasible_point_names_its_violated_constraints():
    """Study (a) with the label bound at 60 mpg and driver.maxiter = 10 (task s37i) said
    'INFEASIBLE' and 'see margins' and named no constraint; the most violated (relative
    to its scale) now come first, with margin and units."""
    res = _not_converged()
    res.best.feasible = False
    res.margins = [
        {"id": "fmvss:fmvss301.rear_crush_space", "margin": -0.1469, "units": "mm",
         "min_margin": 0.0, "constrained": True, "fixed": False, "ref": 100.0},
        {"id": "study:energy:label_comb_mpg.lower", "margin": -20.4, "units": "mi/galUS",
         "min_margin": 0.0, "constrained": True, "fixed": False, "ref": 36.8},
        {"id": "kei-japan:kei.height", "margin": 150.0, "units": "mm", "min_margin": 0.0,
         "constrained": True, "fixed": False, "ref": 2000.0},
        {"id": "fmvss:fmvss208.hic15", "margin": -5.0, "units": "", "min_margin": 0.0,
         "constrained": False, "fixed": False, "ref": 700.0}]
    lines = [ln.strip() for ln in format_result(res).splitlines() if "violated:" in ln]
    assert lines == [
        "violated: study:energy:label_comb_mpg.lower margin -20.4 mi/galUS (required 0)",
        "violated: fmvss:fmvss301.rear_crush_space margin -0.1469 mm (required 0)"]


def test_a_point_that_is_no_optimum_is_not_called_the_optimum_in_its_notes():
    """Study (a) at driver.maxiter = 3 (task s37i): under 'NOT converged' the note read
    'the optimum fails 5 criteria of the study's rule packs ...'."""
    from keidesign.studies.optimize import unconstrained_failures

    margins = [{"id": "fmvss:fmvss208.crush_space"}]
    failed = ["fmvss:fmvss208.crush_space", "cafe-2024:cafe.target"]
    assert unconstrained_failures(failed, margins).startswith(
        "the optimum fails 1 criteria of the study's rule packs")
    assert unconstrained_failures(failed, margins, optimum=False).startswith(
        "the point found fails 1 criteria of the study's rule packs")


def test_an_infeasible_ride_down_on_the_registry_restraint_says_what_to_set(tmp_path, capsys):
    """New-user pass s44f: an optimization of a design without a [crash.restraint] table
    (a `--predict` import, the from-scratch hatch) ended 'violated:
    fmvss:fmvss208.ride_down_space margin -64.03 mm' and nothing of why; the line is now
    followed by the registry restraint and what to write."""
    from conftest import ROOT

    from keidesign.cli import main

    study = tmp_path / "s.toml"
    study.write_text(
        f'[study]\nname = "scratch"\ndesign = "{ROOT / "docs/examples/hatch_from_scratch.toml"}"'
        '\nrules = ["kei-japan", "fmvss"]\n'
        '[[variable]]\nname = "crash.front.wall_thickness"\nlower = 1.2\nupper = 3.0\n'
        '[objective]\nname = "mass:curb"\nsense = "min"\n'
        '[[constraint]]\nid = "fmvss:fmvss208.ride_down_space"\n'
        '[driver]\nmaxiter = 3\n', encoding="utf-8")
    assert main(["optimize", str(study), "--out", str(tmp_path / "out"), "--serial",
                 "--no-step", "--no-reports", "--no-resolve"]) == 0
    out = capsys.readouterr().out.splitlines()
    i = next(i for i, ln in enumerate(out)
             if ln.startswith("  violated: fmvss:fmvss208.ride_down_space margin -"))
    assert out[i + 1].startswith("    the restraint is the registry's (25 mm slack, "
                                 "250 kN/m, 35 kN: no [crash.restraint] table)"), out


#: an optimum's unconstrained failures (s44i): a pass/fail criterion and a policy threshold
UNCONSTRAINED = [
    {"id": "fmvss:fmvss301.rear_crush_space", "value": 708.6, "bound": 953.0,
     "units": "mm", "margin": -244.4, "policy": False},
    {"id": "fmvss:compat.front.share_above", "value": 0.4, "bound": 0.5,
     "units": None, "margin": -0.1, "policy": True}]


def test_a_feasible_optimum_failing_an_unconstrained_federal_criterion_warns_with_its_margin():
    """New-user pass s44f / task s44i: the imported Alto's mass optimum held on FMVSS 208
    ended 'optimum ... feasible' with FMVSS 301 rear crush 953 mm against 708.6 mm
    available named only in a note of ids; the summary now prints a WARNING block with
    each failing pass/fail criterion and its margin, and policy thresholds stay out."""
    res = _res([])
    res.unconstrained = [dict(r) for r in UNCONSTRAINED]
    text = format_result(res)
    assert ("WARNING: the optimum FAILS 1 pass/fail criteria of the study's rule packs "
            "that the study does not constrain") in text
    assert ("FAIL fmvss:fmvss301.rear_crush_space: value 708.6 against 953 mm, "
            "margin -244.4 mm") in text
    assert "share_above" not in text
    res.unconstrained = res.unconstrained[1:]
    assert "WARNING" not in format_result(res)


def test_trade_factors_md_carries_the_unconstrained_warning():
    """Task s45a: the summary's WARNING block (s44i) was missing from trade_factors.md,
    the Markdown file beside the optimum, which said 'Optimum ... (converged, feasible)'
    only: it now carries the block (bold WARNING, one item per criterion with its margin),
    before the trade factors; policy thresholds stay out, and no failure, no block."""
    from keidesign.studies.optimize import format_trade_factors

    res = _res([])
    res.unconstrained = [dict(r) for r in UNCONSTRAINED]
    md = format_trade_factors(res).splitlines()
    i = md.index("**WARNING**: the optimum FAILS 1 pass/fail criteria of the study's rule "
                 "packs that the study does not constrain ('feasible' is about the study's "
                 "constraints only; add a [[constraint]] to hold them):")
    assert md[i - 1] == "" and md[i - 2].startswith("Optimum: ")
    assert md[i + 1:i + 4] == ["", "- FAIL fmvss:fmvss301.rear_crush_space: value 708.6 "
                               "against 953 mm, margin -244.4 mm", ""]
    assert md[i + 4].startswith("Each active constraint or bound")
    assert "share_above" not in "\n".join(md)
    res.best = SimpleNamespace(success=False, feasible=True, discrete={}, message="x")
    assert "**WARNING**: the point found FAILS 1" in format_trade_factors(res)
    res.unconstrained = res.unconstrained[1:]
    assert "WARNING" not in format_trade_factors(res)


def test_results_json_lists_the_unconstrained_failures():
    """The same rows reach results.json (``unconstrained_failures``), margins included."""
    from keidesign.studies.optimize import _results_doc

    res = _res([])
    res.study = SimpleNamespace(name="s", continuous=[], path="s.toml", fingerprint="f",
                                objective=None)
    res.margins, res.outputs, res.timings, res.starts = [], {}, {}, []
    res.unconstrained = [{"id": "fmvss:fmvss301.rear_crush_space", "margin": -244.4,
                          "units": "mm", "value": 708.6, "bound": 953.0, "policy": False}]
    doc = _results_doc(res)
    assert doc["unconstrained_failures"][0]["margin"] == -244.4
