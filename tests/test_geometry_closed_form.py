"""The closed-form body layer (keidesign.body) held to the CadQuery solid, and its partials.

Tolerances (stated in docs/geometry.md): volumes and frontal area 0.2 %, panel areas 2 %,
total surface 0.5 %, centroid 1 mm, crush lengths and side crush space 0.5 mm, head room
2 mm. Observed over 36 kei-range designs: volumes <= 0.09 %, frontal area <= 0.02 %, panel areas
<= 1.5 %, centroid <= 0.42 mm, head room <= 0.9 mm.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal
from test_geometry_cad import kei_variant

from geometry import measure
from geometry.cad import build_body
from geometry.params import layout_from_design
from keidesign.body import _SAMPLE, OUTPUTS, BodyComp, add_subsystems, closed_form
from keidesign.design import load_design
from keidesign.errors import InputError

REL = {"body:volume:envelope": 2e-3, "body:volume:greenhouse": 2e-3,
       "body:volume:crush_zone": 2e-3, "body:volume:occupant_cell": 2e-3,
       "body:volume:powertrain": 1e-9, "body:volume:energy_storage": 1e-9,
       "body:frontal_area": 2e-3, "body:surface_area": 5e-3}
ABS_MM = {"body:cg_x": 1.0, "body:cg_z": 1.0, "body:crush_to_dash": 0.5,
          "body:crush_to_powertrain": 0.5, "body:side_crush_space": 0.5,
          "body:headroom": 2.0, "body:headroom_margin": 2.0}
PANEL_REL = 2e-2

CASES = [("nbox_class", None), ("alto_class", None), ("sakura_class", None),
         ("mirage_class", None), ("nbox_class", (3050.0, 1400.0, 1950.0)),
         ("alto_class", (3380.0, 1460.0, 1420.0))]


def _design(stem, dims):
    return load_design(DESIGNS / f"{stem}.toml") if dims is None else kei_variant(stem, *dims)


@pytest.mark.parametrize("stem,dims", CASES, ids=lambda v: str(v))
def test_closed_form_matches_the_solid(stem, dims):
    lay = layout_from_design(_design(stem, dims))
    cf = closed_form(lay.p, lay.style, lay.powertrain)
    cfo = {k: float(cf[k]) * s for k, s in OUTPUTS.items()}
    for name, (closed, cad, rel) in measure.compare(build_body(lay), cfo).items():
        if name in ABS_MM:
            assert abs(closed - cad) < ABS_MM[name], (name, closed, cad)
        elif name.startswith("body:panel_area:"):
            assert abs(rel) < PANEL_REL, (name, closed, cad)
        else:
            assert abs(rel) < REL[name], (name, closed, cad)


def test_nbox_values():
    lay = layout_from_design(load_design(DESIGNS / "nbox_class.toml"))
    out = closed_form(lay.p, lay.style, lay.powertrain)
    # frontal area from the section + tyres: 2.390 m^2 (FASTSim's N-Box: 2.19 m^2)
    assert_near_equal(float(out["body:frontal_area"]) * 1e-6, 2.3896, 1e-3)
    assert_near_equal(float(out["body:footprint"]) / 304.8**2, 35.4, 2e-3)
    assert_near_equal(float(out["body:side_crush_space"]), 737.5 - 340.0 - 205.0, 1e-12)
    assert float(out["body:headroom_margin"]) > 0 and float(out["body:legroom_margin"]) > 0


def _prob(style, powertrain, values):
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("b", BodyComp(style=style, powertrain_type=powertrain),
                             promotes=["*"])
    prob.setup(force_alloc_complex=True)
    comp = prob.model.b
    for short, name in comp._names.items():
        prob.set_val(name, values[short])
    prob.run_model()
    return prob


@pytest.mark.parametrize("style,powertrain", [("tallboy", "ice"), ("hatch", "ice"),
                                              ("tallboy", "bev"), ("hatch", "bev")])
def test_partials_against_complex_step(style, powertrain):
    prob = _prob(style, powertrain, _SAMPLE)
    with np.errstate(all="ignore"):
        data = prob.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-6, rtol=1e-8)


def test_hook_checks_layout_and_runs():
    d = load_design(DESIGNS / "sakura_class.toml")
    prob = om.Problem(reports=False)
    add_subsystems(prob.model, d)
    prob.setup()
    for name, (val, units) in d.numeric().items():
        if name in prob.model.body._names.values():
            prob.set_val(name, val, units=None if units == "unitless" else units)
    prob.run_model()
    assert prob.get_val("body:volume:energy_storage", units="L")[0] == pytest.approx(80.0)
    bad = d.replace(**{"body:front_overhang": 250.0})
    with pytest.raises(InputError, match="body.front_overhang = 250"):
        add_subsystems(om.Problem(reports=False).model, bad)
