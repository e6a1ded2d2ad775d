"""The whole vehicle model: total derivatives against complex step."""

from __future__ import annotations

import pytest
from conftest import DESIGNS
from openmdao.utils.assert_utils import assert_check_totals

from keidesign.design import load_design
from keidesign.evaluation import resolve_packs
from keidesign.model import build_problem

OF = ["mass:curb", "crash:front:crush_required", "crash:front:crush_past_stack",
      "crash:front:crush_available",
      "energy:label_comb_mpg", "energy:cafe_mpg", "cafe:target_mpg", "cost:price"]
WRT_COMMON = ["body:wheelbase", "body:height", "road:cd", "mass:payload",
              "crash:front:crush_length", "crash:front:wall_thickness",
              "powertrain:block_length"]


@pytest.mark.parametrize("stem,wrt_pt", [
    ("nbox_class", ["powertrain:ice:power", "powertrain:ice:displacement"]),
    ("sakura_class", ["powertrain:bev:battery_energy", "powertrain:bev:motor_power"]),
])
def test_model_totals(stem, wrt_pt):
    d = load_design(DESIGNS / f"{stem}.toml")
    prob = build_problem(d, resolve_packs(d.rules), force_alloc_complex=True)
    prob.run_model()
    data = prob.check_totals(of=OF, wrt=WRT_COMMON + wrt_pt, method="cs", out_stream=None)
    assert_check_totals(data, atol=1e-6, rtol=1e-6)


def test_results_do_not_depend_on_the_previous_point():
    """The mass <-> crash-structure loop restarts from the same state on every solve, so a
    case gives bit-identical outputs whatever ran before it (serial vs Dask sweeps)."""
    from keidesign.model import registered_outputs

    d = load_design(DESIGNS / "nbox_class.toml")
    packs = resolve_packs(d.rules)
    fresh = build_problem(d, packs)
    fresh.run_model()
    expected = registered_outputs(fresh)
    warm = build_problem(d, packs)
    warm.run_model()
    warm.set_val("crash:front:wall_thickness", 2.8)
    warm.set_val("body:height", 1700.0)
    warm.run_model()
    warm.set_val("crash:front:wall_thickness", d["crash:front:wall_thickness"])
    warm.set_val("body:height", d["body:height"])
    warm.run_model()
    got = registered_outputs(warm)
    assert got == expected
