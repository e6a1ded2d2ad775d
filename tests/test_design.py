"""Design files: loading, defaults, units, and every class of validation error."""

from __future__ import annotations

import pytest
from conftest import REFERENCE_DESIGNS

from keidesign import variables as reg
from keidesign.design import load_design, parse_design
from keidesign.errors import InputError


@pytest.mark.parametrize("path", REFERENCE_DESIGNS, ids=lambda p: p.stem)
def test_reference_designs_load(path):
    d = load_design(path)
    assert d.name
    assert d["design:source"], "every reference design names its source"
    assert d.powertrain_type in ("ice", "bev")


def test_reference_design_set_covers_the_classes():
    stems = {p.stem for p in REFERENCE_DESIGNS}
    assert {"nbox_class", "alto_class", "sakura_class", "mirage_class"} <= stems


def test_defaults_filled(nbox_text):
    text = nbox_text.replace("options = 0\n", "")
    d = parse_design(text)
    assert d["mass:options"] == reg.get("mass:options").default
    # every key the file leaves out takes its registered default
    import tomllib

    given = set()

    def walk(node, prefix=""):
        for k, v in node.items():
            name = f"{prefix}:{k}" if prefix else k
            walk(v, name) if isinstance(v, dict) else given.add(name)

    walk(tomllib.loads(text))
    defaulted = [n for n in d.values if n not in given]
    assert defaulted
    for name in defaulted:
        var = reg.get(name)
        # a list of strings is stored as a list; a list of numbers (dtype tuple) as a tuple
        assert d[name] == (list(var.default) if var.dtype is list else var.default), name


def test_quantity_strings_are_converted(nbox_text):
    d = parse_design(nbox_text.replace("height = 1790", 'height = "1.79 m"'))
    assert d["body:height"] == pytest.approx(1790.0)
    d = parse_design(nbox_text.replace("torque = 65", 'torque = "47.94 lbf*ft"'))
    assert d["powertrain:ice:torque"] == pytest.approx(65.0, rel=1e-3)


def _err(text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_design(text, "cand.toml")
    msg = str(info.value)
    assert msg.startswith("cand.toml: "), msg
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("old,new,expect", [
    # unknown key, with the nearest valid key suggested
    ("wheelbase = 2520", "wheelbas = 2520", ["body.wheelbas", "did you mean 'body.wheelbase'"]),
    # key in the wrong table: the table where it belongs is suggested
    ("cd = 0.38", "cd = 0.38\ncrush_length = 3",
     ["road.crush_length", "crash.front.crush_length"]),
    ("[road]", "[raod]", ["unknown table 'raod'", "did you mean 'road'"]),
    # wrong types
    ("length = 3395", 'length = "long"', ["body.length = 'long'", "[2000, 6000] mm"]),
    ("turbo = false", "turbo = 1", ["powertrain.ice.turbo = 1", "true or false"]),
    ("cylinders = 3", "cylinders = 3.5", ["powertrain.ice.cylinders = 3.5", "integer"]),
    ("cylinders = 3", "cylinders = true", ["powertrain.ice.cylinders = true", "boolean"]),
    ('rules = ["kei-japan", "fmvss", "epa-label", "cafe-2024", "us-highway", "packaging"]',
     "rules = 3",
     ["design.rules = 3", "list of strings"]),
    # out-of-range and non-finite values
    ("height = 1790", "height = -1790", ["body.height = -1790", "out of range", "[1000, 2600]"]),
    ("height = 1790", "height = 1e9", ["body.height = 1000000000.0", "out of range"]),
    ("height = 1790", "height = nan", ["body.height = nan", "not a finite number"]),
    ("height = 1790", "height = inf", ["body.height = inf", "not a finite number"]),
    # the pole members' sections (3 Dec 2026)
    ("[mass]", "[crash.side]\nsill_thickness = 9\n[mass]",
     ["crash.side.sill_thickness = 9", "out of range", "[0.4, 6] mm"]),
    # the sill top that decides which side barrier face loads the sill (4 Dec 2026)
    ("[mass]", "[crash.side]\nsill_top_height = 50\n[mass]",
     ["crash.side.sill_top_height = 50", "out of range", "[100, 900] mm"]),
    ("[mass]", '[crash.side]\nroof_rail_material = "steel"\n[mass]',
     ["crash.side.roof_rail_material = 'steel'", "one of"]),
    # the HEV motor's own reduction (4 Dec 2026)
    ("turbo = false", "turbo = false\nhev_motor_reduction = 25",
     ["powertrain.ice.hev_motor_reduction = 25", "out of range", "0 (none", "[1, 20]"]),
    # the HEV traction pack: both fields or neither (4 Dec 2026)
    ("turbo = false", "turbo = false\nhev_battery_voltage = 144",
     ["powertrain.ice.hev_battery_voltage = 144 V", "hev_battery_resistance = 0 ohm",
      "both 0", "48 to 800 V"]),
    ("turbo = false", "turbo = false\nhev_battery_resistance = 9",
     ["powertrain.ice.hev_battery_resistance = 9", "out of range", "[0, 5]"]),
    # wrong units
    ("height = 1790", 'height = "1790 kg"', ["'kg' cannot be converted to 'mm'"]),
    ("height = 1790", 'height = "1790 furlongs"',
     ["'1790 furlongs': unknown unit name 'furlongs'"]),
    ("cylinders = 3", 'cylinders = "3 m"', ["units 'm' given for a quantity without units"]),
    # choices
    ('material = "dp_590"', 'material = "dp590"', ["did you mean 'dp_590'", "one of"]),
    # missing field
    ("wheelbase = 2520\n", "", ["missing required field(s): body.wheelbase", "[1500, 4000]"]),
    # a field of the other powertrain type
    ("[powertrain.ice]", "[powertrain.bev]\nbattery_energy = 20\n[powertrain.ice]",
     ["powertrain.bev.battery_energy", "powertrain.type = 'ice'"]),
    # parameter sets that cannot make a vehicle
    ("front_overhang = 545", "front_overhang = 900",
     ["body.wheelbase", "body.front_overhang", "rear overhang of -25 mm"]),
    ("track_front = 1305", "track_front = 1400", ["body.track_front", "body.width"]),
    ("block_length = 450", "block_length = 900",
     ["powertrain.block_length (900 mm)", "allowed: block length < crush length"]),
    # bumper and crash boxes longer than the front: a rail stroke of -73 mm and a
    # negative rail mass were evaluated, fmvss208.crush_space PASS (review s29d)
    ("crush_length = 800", "crush_length = 800\nbumper_depth = 400\ncrash_box_length = 500",
     ["crash.front.bumper_depth (400 mm) + crash.front.crash_box_length (500 mm) = 900 mm",
      "crash.front.crush_length (800 mm", "allowed: bumper depth + crash-box length < "
      "crush length"]),
    ("hood_height = 1050", "hood_height = 1795", ["body.hood_height", "body.height"]),
    # broken TOML
    ("[mass]", "[mass", ["not valid TOML", "line"]),
])
def test_validation_errors(nbox_text, old, new, expect):
    assert old in nbox_text
    msg = _err(nbox_text.replace(old, new, 1))
    for piece in expect:
        assert piece in msg, msg


def test_missing_file():
    with pytest.raises(InputError, match="design file not found"):
        load_design("nope.toml")


def test_several_missing_fields_in_one_message(nbox_text):
    text = nbox_text.replace("wheelbase = 2520\n", "").replace("width = 1475\n", "")
    msg = _err(text)
    assert "body.wheelbase" in msg and "body.width" in msg


def test_kei_violation_is_not_an_input_error(nbox_text):
    """A 3.6 m car is a valid design; the kei length limit is a rule-pack constraint."""
    d = parse_design(nbox_text.replace("length = 3395", "length = 3600"))
    assert d["body:length"] == 3600


def test_registry_rejects_duplicates():
    with pytest.raises(ValueError, match="already registered"):
        reg.register("body:length", "mm", "again")



@pytest.mark.parametrize("trans", ["cvt", "at6", "mt5"])
def test_bev_refuses_a_gearbox(trans):
    """A BEV drives through one reduction: another transmission is an input error (it was
    replaced by single_speed without a word), and a BEV without the key gets
    single_speed, not the registry's plain default 'cvt'."""
    text = (REFERENCE_DESIGNS[0].parent / "sakura_class.toml").read_text()
    assert 'transmission = "single_speed"' in text
    with pytest.raises(InputError) as info:
        parse_design(text.replace('transmission = "single_speed"',
                                  f'transmission = "{trans}"'), "ev.toml")
    msg = str(info.value)
    assert f"powertrain.transmission = '{trans}' for powertrain.type = 'bev'" in msg, msg
    assert "allowed: 'single_speed'" in msg and "\n" not in msg
    d = parse_design(text.replace('transmission = "single_speed"\n', ""), "ev.toml")
    assert d["powertrain:transmission"] == "single_speed"


@pytest.mark.parametrize("old,new,hint", [
    ('transmission = "cvt"', 'transmission = "CVT"', "did you mean 'cvt'?"),
    ('transmission = "cvt"', 'transmission = "6AT"', "did you mean 'at6'?"),
    ("cd = 0.38", "Cd = 0.38", "did you mean 'road.cd'?"),
])
def test_choice_and_key_hints_ignore_case_and_order(nbox_text, old, new, hint):
    """A choice or key in another letter case, or an automatic written '6AT', gets its
    suggestion (they got none: difflib is case-sensitive)."""
    assert old in nbox_text
    msg = _err(nbox_text.replace(old, new, 1))
    assert hint in msg, msg


def test_a_study_file_is_named_as_one():
    """`keidesign check` on a study file said "unknown table 'study'": it says what the
    file is and which command runs it."""
    from conftest import ROOT

    for stem, cmd in (("tallboy_ice_min_mass", "optimize"),
                      ("feasibility_crush_height", "sweep")):
        path = ROOT / "studies" / f"{stem}.toml"
        with pytest.raises(InputError) as info:
            load_design(path)
        msg = str(info.value)
        assert "a study file (it has a [study] table), not a design file" in msg, msg
        assert f"`keidesign {cmd} {path}`" in msg and "\n" not in msg, msg


def test_printed_bounds_are_allowed(nbox_text):
    """A body bound printed in a message is itself allowed (it was rounded to the nearest:
    'tumblehome = 20.2 deg ... allowed: tumblehome <= 20.2 deg', roof radius 196 / 205
    mm): set each field to the bound its message prints and that check passes."""
    import re

    from geometry.params import layout_from_design

    def err(text: str) -> str:
        with pytest.raises(InputError) as info:
            layout_from_design(parse_design(text, "cand.toml"))
        return str(info.value)

    text = nbox_text.replace("[body]\n", "[body.tallboy]\nbelt_height = 700\n"
                             "tumblehome = 30\nroof_radius = 400\n[body]\n", 1)
    for field, pattern in (("tumblehome", r"allowed: tumblehome <= ([\d.]+) deg"),
                           ("roof_radius", r"allowed: roof radius <= ([\d.]+) mm")):
        msg = err(text)
        m = re.search(pattern, msg)
        assert m, msg
        text = re.sub(rf"^{field} = .*$", f"{field} = {m.group(1)}", text, count=1,
                      flags=re.M)
    layout_from_design(parse_design(text, "cand.toml"))


def test_a_cab_over_front_may_hold_its_crash_boxes_in_its_horns():
    """The truck's crash boxes are clipped to the frame horns ahead of the cab front
    (keidesign.crash.structure, 'Cab-over front'): bumper + boxes longer than its front is
    not the car's missing rail."""
    from conftest import design_with

    d = design_with("carry_class", {"crash.front.crash_box_length": 150})
    assert d["crash:front:bumper_depth"] + d["crash:front:crash_box_length"] > \
        d["crash:front:crush_length"]
    with pytest.raises(InputError, match="leaves no front rail"):
        design_with("alto_class", {"crash.front.crash_box_length": 500,
                                   "crash.front.bumper_depth": 400})
