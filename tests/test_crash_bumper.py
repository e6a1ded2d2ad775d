"""Part 581 bumper no-damage speeds (keidesign.crash.bumper)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import DESIGNS, component_problem
from openmdao.utils.assert_utils import assert_check_partials

from keidesign import batch
from keidesign.crash.bumper import BumperComp, no_damage_speeds
from keidesign.design import load_design
from keidesign.evaluation import evaluate_design, resolve_packs

VALS = {"crash:front:bumper_force": 40.0, "crash:front:bumper_stroke": 63.0,
        "mass:curb": 900.0}


def test_energy_balance_by_hand():
    """40 kN over 63 mm is 2.52 kJ; a 900 kg car carries it at sqrt(2 x 2520 / 900)
    = 2.366 m/s = 8.52 km/h into the barrier; the equal-mass corner pendulum loses half
    its energy and meets half the force: the same speed."""
    prob = component_problem(BumperComp(), VALS)
    v = np.sqrt(2 * 2520.0 / 900.0) * 3.6
    assert prob.get_val("crash:bumper:front:no_damage_speed")[0] == pytest.approx(v, 1e-12)
    assert prob.get_val("crash:bumper:rear:no_damage_speed")[0] == pytest.approx(v, 1e-12)
    assert prob.get_val("crash:bumper:corner:no_damage_speed")[0] == pytest.approx(v, 1e-12)
    # twice the mass: 1/sqrt(2) the speed
    half = no_damage_speeds(40.0, 63.0, 1800.0)["barrier"]
    assert half == pytest.approx(v / np.sqrt(2.0), rel=1e-12)


def test_partials():
    prob = component_problem(BumperComp(), VALS)
    assert_check_partials(prob.check_partials(method="fd", out_stream=None),
                          atol=1e-5, rtol=1e-5)


def test_batched_equals_scalar():
    n = 4
    rng = np.random.default_rng(3)
    cases = {k: v * rng.uniform(0.7, 1.3, n) for k, v in VALS.items()}
    big = component_problem(BumperComp(n_cases=n), cases)
    assert batch.n_cases(big.model.c) == n
    for i in range(n):
        one = component_problem(BumperComp(), {k: v[i] for k, v in cases.items()})
        for out in ("crash:bumper:front:no_damage_speed", "crash:bumper:corner:no_damage_speed"):
            assert big.get_val(out)[i] == pytest.approx(one.get_val(out)[0], rel=1e-14)


def test_criteria_are_judged_in_the_model():
    """The three Part 581 criteria of the fmvss pack are evaluated (no longer
    not-modelled) and a US-variant kei passes them, as certified cars do."""
    d = load_design(DESIGNS / "nbox_class_us.toml")
    ev = evaluate_design(d, resolve_packs(["fmvss"]))
    part581 = [c for c in ev.constraints if c["id"].startswith("fmvss:part581")]
    assert len(part581) == 3
    assert all(c["passed"] is True for c in part581), part581
