"""Open body (``body.roof = "open"``): the field's validation, the mass term, its pair
data and fit (:mod:`keidesign.mass.open_body`), and the spec import of the roof."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from conftest import ROOT, component_problem, design_with
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal

from keidesign import variables as reg
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.mass import BodyMassComp
from keidesign.mass import open_body as ob
from keidesign.mass.data import coefficients
from keidesign.specs import sources as src


def _outputs(stem: str, changes: dict | None = None) -> dict[str, float]:
    d = design_with(stem, changes)
    ev = evaluate_design(d, resolve_packs(d.rules))
    return {k: v for k, (v, _) in ev.outputs.items()}


def test_registry_roof_choices():
    var = reg.get("body:roof")
    assert var.choices == ("fixed", "open") and var.default == "fixed"


def test_bad_roof_is_one_clear_message():
    with pytest.raises(InputError) as e:
        design_with("alto_class", {"body.roof": "targa"})
    msg = str(e.value)
    assert "body.roof" in msg and "'targa'" in msg
    assert "'fixed'" in msg and "'open'" in msg


def test_bad_roof_in_a_spec_file(tmp_path):
    spec = (ROOT / "tests/data/newuser/honda_s660.toml").read_text()
    path = tmp_path / "bad.toml"
    path.write_text(spec.replace('roof = "open"', 'roof = "targa"'))
    with pytest.raises(src.InputError) as e:
        src.user_spec(path)
    msg = str(e.value)
    assert "vehicle.roof = 'targa'" in msg and "'fixed', 'open'" in msg


def test_spec_roof_reaches_the_design():
    spec = src.user_spec(ROOT / "tests/data/newuser/honda_s660.toml")
    assert spec.get("roof") == "open"


@pytest.fixture(scope="module")
def alto_pair():
    return _outputs("alto_class"), _outputs("alto_class", {"body.roof": "open"})


def test_open_body_adds_the_term_and_closed_is_unchanged(alto_pair):
    closed, opened = alto_pair
    c = coefficients()
    wb = design_with("alto_class")["body:wheelbase"] * 1e-3
    # a fixed roof: the term is exactly zero and the body structure is the sum without it
    assert closed["mass:open_body"] == 0.0
    assert closed["mass:group:body_structure"] == (
        closed["mass:biw"] + closed["mass:crash_structure"] + closed["mass:crash_secondary"]
        + closed["mass:frame"])
    assert_near_equal(opened["mass:open_body"], c["open_body_per_m"] * wb, 1e-12)
    # the term sits in the body structure; the chassis (10 % of gross) carries it too
    assert_near_equal(opened["mass:group:body_structure"]
                      - closed["mass:group:body_structure"], opened["mass:open_body"], 1e-9)
    step = opened["mass:curb"] - closed["mass:curb"]
    assert_near_equal(step, opened["mass:open_body"] / (1.0 - c["chassis_fraction"]), 1e-6)


def test_closed_build_up_unchanged_by_the_option():
    """A fixed roof gives the same numbers whether the option is passed or defaulted."""
    vals = {"crash:front:secondary_force": 50.0, "crash:front:rail_force": 300.0}
    a = component_problem(BodyMassComp(), vals)
    b = component_problem(BodyMassComp(roof="fixed"), vals)
    assert "body:wheelbase" not in b.model.c._var_rel_names["input"]
    for k in ("mass:group:body_structure", "mass:biw", "mass:group:closures"):
        assert a.get_val(k)[0] == b.get_val(k)[0]
    o = component_problem(BodyMassComp(roof="open"), {**vals, "body:wheelbase": 2400.0})
    assert o.get_val("mass:group:body_structure")[0] > a.get_val(
        "mass:group:body_structure")[0]


def test_open_body_partials():
    comp = BodyMassComp(seats=2, roof="open")
    prob = component_problem(comp, {"body:wheelbase": 2285.0,
                                    "crash:front:secondary_force": 50.0,
                                    "crash:front:rail_force": 300.0})
    data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-8, rtol=1e-8)


def test_pair_data_rows_carry_source_and_status():
    with ob.PAIRS_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) >= 5
    for r in rows:
        assert r["status"] in ("V", "R") and r["source"].strip(), r["open_model"]
        assert 1500 <= float(r["wheelbase_mm"]) <= 4000, r["open_model"]
        assert float(r["curb_closed_kg"]) <= 1700.0


def test_stored_coefficient_is_the_fit_and_beats_no_term_held_out():
    rows = ob.pairs()
    a = float(ob.fit(rows)[0])
    assert coefficients()["open_body_per_m"] == pytest.approx(round(a, 1), abs=1e-9)
    none = ob.summary(rows, ob.holdout(rows, None))
    term = ob.summary(rows, ob.holdout(rows, "wheelbase"))
    assert term["mae"] < none["mae"] and term["mae_make"] < none["mae_make"]


def test_holdout_leaves_the_make_out():
    """A make's pairs are predicted with a coefficient fitted without them: raising one
    make's open masses leaves its predictions (kg) unchanged and moves the others'."""
    rows = ob.pairs()
    err = ob.holdout(rows)
    bumped = [ob.Pair(p.make, p.open_model, p.closed_model, p.wheelbase,
                      p.curb_open + (500.0 if p.make == "Fiat" else 0.0), p.curb_closed)
              for p in rows]
    err2 = ob.holdout(bumped)
    fiat = np.array([p.make == "Fiat" for p in rows])
    # the Fiat predictions (closed + term fitted without Fiat) are unchanged in kg
    pred = (1.0 + err[fiat]) * np.array([p.curb_open for p in rows if p.make == "Fiat"])
    pred2 = (1.0 + err2[fiat]) * np.array([p.curb_open for p in bumped if p.make == "Fiat"])
    assert np.allclose(pred, pred2)
    assert not np.allclose(err[~fiat], err2[~fiat])


def test_probe_report_lines():
    lines = ob.report({"S660": 2.285})
    assert lines[0].startswith(f"{len(ob.pairs())} open / closed pairs")
    assert any(line.strip().startswith("S660: wheelbase 2.285 m") for line in lines)


def test_open_body_probe_runs(capsys):
    """``python benchmarks/validation_probes.py open_body`` (~15 s): each open new-user
    spec (S660, Copen) with a fixed roof has no open-body mass and is lighter than with
    the open one by the term and the chassis share it carries."""
    import re
    import sys
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    import validation_probes as vp

    assert vp.main(["open_body"]) == 0
    out = capsys.readouterr().out
    got = {(m[0], m[1]): (float(m[2]), float(m[3])) for m in re.findall(
        r"^(.+), roof = (\w+): curb ([\d.]+) kg .*mass:open_body ([\d.]+) kg", out, re.M)}
    names = {n for n, _ in got}
    assert {"Honda S660 6MT", "Daihatsu Copen L880K 5MT"} <= names
    c = coefficients()
    for n in names:
        fixed, opened = got[n, "fixed"], got[n, "open"]
        assert fixed[1] == 0.0 and opened[1] > 0.0
        assert_near_equal(opened[0] - fixed[0], opened[1] / (1.0 - c["chassis_fraction"]),
                          2e-3)
