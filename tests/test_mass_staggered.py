"""Staggered tyres in the mass build-up: a car whose two axles carry two tyre sizes (the
smart fortwo, BMW i3 and i8, Alfa 4C, Mitsubishi i-MiEV) takes two wheel corners at each
size (``keidesign.mass.components.wheel_group``) instead of four at the driven axle's."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import run_comp
from openmdao.utils.assert_utils import assert_check_partials, assert_near_equal
from test_mass import BODY_VALS

from keidesign.energy import testcars as tc
from keidesign.errors import InputError
from keidesign.mass import BodyMassComp
from keidesign.mass.components import TYRE_REF_MM2, other_axle_tyre, wheel_group
from keidesign.mass.data import coefficients
from keidesign.validation import specsonly

REF = coefficients()["corner_mass_ref"]


def _wd(w, aspect, rim):
    return w * (25.4 * rim + 2.0 * w * aspect / 100.0)


def test_four_equal_corners_without_another_axle():
    assert wheel_group(REF, 155.0, 557.1) == pytest.approx(4.0 * REF, rel=1e-3)
    d = 25.4 * 15 + 2 * 175 * 0.55
    assert wheel_group(REF, 175.0, d) == pytest.approx(4 * REF * 175 * d / TYRE_REF_MM2)
    # the same size given as the other axle changes nothing
    assert wheel_group(REF, 175.0, d, (175.0, 55.0, 15.0)) == pytest.approx(
        wheel_group(REF, 175.0, d), rel=1e-12)


def test_two_corners_at_each_size():
    rear, front = (175.0, 55.0, 15.0), (155.0, 60.0, 15.0)    # the fortwo W451
    d = 25.4 * 15 + 2 * 175 * 0.55
    got = wheel_group(REF, 175.0, d, front)
    want = 2 * REF * (_wd(*rear) + _wd(*front)) / TYRE_REF_MM2
    assert got == pytest.approx(want, rel=1e-12)
    assert got < wheel_group(REF, 175.0, d)                  # the narrower front is lighter


def test_other_axle_tyre_all_three_or_none():
    keys = ("body:tyre_other_width", "body:tyre_other_aspect", "body:rim_other_diameter")
    assert other_axle_tyre({}) is None
    assert other_axle_tyre(dict.fromkeys(keys, 0.0)) is None
    assert other_axle_tyre(dict(zip(keys, (155.0, 70.0, 19.0), strict=True))) == (155.0, 70.0, 19.0)
    with pytest.raises(InputError, match=r"car.toml: body.tyre_other_aspect = 0: .*all "
                       r"three.*allowed: 0 for all three \(not given\) or 25 and above"):
        other_axle_tyre({keys[0]: 155.0, keys[2]: 19.0}, "car.toml")
    with pytest.raises(InputError, match=r"body.tyre_other_width = 50: "):
        other_axle_tyre(dict(zip(keys, (50.0, 70.0, 19.0), strict=True)))


def test_body_mass_comp_with_a_staggered_pair():
    other = (155.0, 70.0, 19.0)
    plain = run_comp(BodyMassComp(seats=4, material="dp_780"), **BODY_VALS)
    stag = run_comp(BodyMassComp(seats=4, material="dp_780", tyre_other=other),
                    **BODY_VALS)
    k = REF / TYRE_REF_MM2
    wd = BODY_VALS["body:tyre_width"] * BODY_VALS["body:tyre_diameter"]
    assert_near_equal(plain.get_val("mass:group:wheels"), 4 * k * wd, 1e-12)
    assert_near_equal(stag.get_val("mass:group:wheels"), 2 * k * wd + 2 * k * _wd(*other),
                      1e-12)
    assert_near_equal(stag.get_val("mass:group:closures"),
                      plain.get_val("mass:group:closures"), 1e-12)
    data = stag.check_partials(method="cs", out_stream=None)
    assert_check_partials(data, atol=1e-8, rtol=1e-8)


def test_import_of_the_i3_carries_its_front_axle_to_the_mass():
    """``keidesign import epa --predict`` of an i3: the driven rear 175/60 R19 is the
    design's tyre, the front 155/70 R19 the other axle's; the model's wheels group is two
    corners at each, lighter than four at the rear."""
    from keidesign.model import build_problem

    car = next(c for c in tc.test_cars() if c.make == "BMW" and c.model == "I3 BEV")
    design = specsonly.imported(car)
    v = design.values
    assert (v["body:tyre_width"], v["body:tyre_aspect"], v["body:rim_diameter"]) == (
        175.0, 60.0, 19.0)
    assert other_axle_tyre(v) == (155.0, 70.0, 19.0)
    prob = build_problem(design)
    prob.run_model()
    got = float(prob.get_val("mass:group:wheels")[0])
    four = wheel_group(REF, 175.0, float(prob.get_val("body:tyre_diameter", units="mm")[0]))
    assert got == pytest.approx(four / 2 + 2 * REF * _wd(155.0, 70.0, 19.0) / TYRE_REF_MM2,
                                rel=1e-9)
    plain = dataclasses.replace(design, values={**v, "body:tyre_other_width": 0.0,
                                                "body:tyre_other_aspect": 0.0,
                                                "body:rim_other_diameter": 0.0})
    p2 = build_problem(plain)
    p2.run_model()
    assert float(p2.get_val("mass:group:wheels")[0]) == pytest.approx(four, rel=1e-9)
    assert got < four


def test_geometry_takes_both_wheelhouses_at_the_driven_tyre(tmp_path):
    """What the model does with a staggered car's other axle (review of 5 Dec 2026): the
    wheel mass reads it, the geometry does not (wheelhouses, arches, the room between
    them: every ``body:*`` output is the same with the other axle's tyre given or not,
    even a wider one, which no us_specs row has), and the import says so in the
    comment of ``body.tyre_other_width``, with a warning when the undriven tyre is the
    wider (the room between the wheelhouses then overstated)."""
    from conftest import DESIGNS

    from keidesign.cli import main
    from keidesign.design import load_design
    from keidesign.model import build_problem
    from keidesign.specs.build import staggered_geometry_note

    design = load_design(DESIGNS / "mirage_class.toml")
    wider = {"body:tyre_other_width": design["body:tyre_width"] + 40.0,
             "body:tyre_other_aspect": 55.0, "body:rim_other_diameter": 16.0}
    runs = []
    for values in ({}, wider):
        prob = build_problem(dataclasses.replace(design, values={**design.values, **values}))
        prob.run_model()
        outs = prob.model.list_outputs(out_stream=None, prom_name=True)
        runs.append({m["prom_name"]: v["val"].tolist() for _, m in outs
                     for v in (m,) if m["prom_name"].startswith("body:")}
                    | {"wheels": float(prob.get_val("mass:group:wheels")[0])})
    plain, stag = runs
    assert len(plain) > 20 and stag.pop("wheels") > plain.pop("wheels")
    assert stag == plain
    assert "takes both axles at the driven axle's tyre_width (175 mm)" in \
        staggered_geometry_note(175.0, 155.0)
    assert "WARNING" not in staggered_geometry_note(175.0, 155.0)
    assert "WARNING: this undriven tyre is 20 mm wider" in staggered_geometry_note(175.0, 195.0)
    from test_import import USER_SPEC_ICE

    spec = tmp_path / "s.toml"
    spec.write_text(USER_SPEC_ICE.replace('[dimensions]\n', '[dimensions]\ntyre = "175/55R15"\n'
                                          'tyre_other = "155/60R15"\n'), encoding="utf-8")
    out = tmp_path / "d.toml"
    assert main(["import", "spec", str(spec), "--output", str(out)]) == 0
    line, = [x for x in out.read_text().splitlines() if x.startswith("tyre_other_width")]
    assert "geometry (wheelhouses, arches, track + tyre check) takes both axles" in line
