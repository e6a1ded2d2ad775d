"""Geometry parameters: design keys, style tables and layout errors that name parameters."""

from __future__ import annotations

import pytest
from conftest import DESIGNS

from geometry.params import layout_from_design
from keidesign.cli import main
from keidesign.design import load_design, parse_design
from keidesign.errors import InputError


def _nbox():
    return load_design(DESIGNS / "nbox_class.toml")


def _alto():
    return load_design(DESIGNS / "alto_class.toml")


def test_reference_designs_make_valid_layouts():
    for stem in ("nbox_class", "alto_class", "mirage_class", "sakura_class"):
        lay = layout_from_design(load_design(DESIGNS / f"{stem}.toml"))
        assert lay.style in ("tallboy", "hatch")


def test_style_table_defaults_and_wrong_style_table(nbox_text):
    d = parse_design(nbox_text, "nbox.toml")
    assert d["body:tallboy:belt_height"] == 1000.0
    assert "body:hatch:backlight_rake" not in d.values
    bad = nbox_text.replace("[road]", "[body.hatch]\nroof_drop = 80\n\n[road]")
    with pytest.raises(InputError, match=r"body\.hatch\.roof_drop.*body\.style = 'tallboy'"):
        parse_design(bad, "nbox.toml")


@pytest.mark.parametrize("changes,pattern", [
    # wheel arches must fit in the overhangs and between the axles
    ({"body:front_overhang": 300.0}, r"body\.front_overhang = 300 .*too short.*allowed"),
    ({"body:wheelbase": 2700.0, "body:front_overhang": 450.0},
     r"rear overhang of 245 mm.*allowed: rear overhang >= \d+"),
    ({"body:tyre_aspect": 80.0, "body:rim_diameter": 16.0},
     r"rear overhang of 330 mm, too short for the tyre 155/80R16.*allowed"),
    # greenhouse: belt, tumblehome, roof fillet too large, plan fillet too large
    ({"body:tallboy:belt_height": 1600.0}, r"body\.tallboy\.belt_height = 1600.*allowed"),
    ({"body:tallboy:belt_height": 600.0}, r"belt_height = 600 .*wheel-arch top"),
    ({"body:tallboy:tumblehome": 34.0, "body:width": 1200.0, "body:track_front": 1000.0,
      "body:track_rear": 1000.0}, r"body\.tallboy\.tumblehome = 34.*allowed: tumblehome"),
    ({"body:tallboy:roof_radius": 480.0},
     r"body\.tallboy\.roof_radius = 480 mm is too large a fillet.*allowed: roof radius <="),
    ({"body:tallboy:plan_radius": 650.0},
     r"body\.tallboy\.plan_radius = 650 mm is too large a fillet"),
    # side profile: windshield reaching the rear, hood too short, hood too low
    ({"body:windshield_rake": 75.0}, r"body\.windshield_rake = 75.*allowed: at least 300 mm"),
    ({"crash:front:crush_length": 400.0, "powertrain:block_length": 300.0,
      "body:cowl_setback": -250.0}, r"cowl at x = 150 mm.*leaves no hood"),
    ({"body:hood_height": 500.0, "body:ground_clearance": 150.0},
     r"body\.hood_height = 500 mm is too low"),
    ({"body:hood_height": 560.0, "body:ground_clearance": 150.0},
     r"front wheel arch .* leaves the side profile .*body\.hood_height = 560"),
    # occupants and powertrain
    ({"body:couple_distance": 1500.0}, r"rear seat back .*body\.couple_distance = 1500"),
    ({"body:tallboy:seat_height": 700.0}, r"H-point .*body\.tallboy\.seat_height = 700"),
    ({"powertrain:block_length": 700.0, "crash:front:crush_length": 750.0},
     r"powertrain\.block_length = 700 .*allowed: block length <= 650"),
])
def test_layout_errors_name_the_parameters(changes, pattern):
    d = _nbox().replace(**changes)
    with pytest.raises(InputError, match=pattern) as err:
        layout_from_design(d)
    msg = str(err.value)
    assert msg.startswith(str(DESIGNS / "nbox_class.toml")) and "\n" not in msg


def test_hatch_backlight_error():
    d = _alto().replace(**{"body:hatch:belt_height": 1250.0, "body:hatch:roof_drop": 200.0})
    with pytest.raises(InputError, match=r"body\.hatch\.belt_height = 1250"):
        layout_from_design(d)


def test_export_cli_errors(capsys, tmp_path):
    assert main(["export", str(DESIGNS / "nbox_class.toml")]) == 2
    assert "no CAD output requested; allowed: --step" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text((DESIGNS / "nbox_class.toml").read_text().replace(
        "front_overhang = 545", "front_overhang = 250"))
    assert main(["export", str(bad), "--step", str(tmp_path / "x.step")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("keidesign: error: ") and "body.front_overhang = 250" in err
    assert not (tmp_path / "x.step").exists()


@pytest.mark.parametrize("stem,placement,engine", [
    ("nbox_class", "underfloor", "front"), ("alto_class", "underfloor", "front"),
    ("carry_class", "underfloor", "underfloor"), ("sakura_class", "tunnel", "rear")])
def test_layout_problems_batched_equal_one_by_one(stem, placement, engine):
    """One implementation: the batched layout check of a sweep's chunk
    (``layout_problems`` on arrays) gives each case the message ``check_layout`` (what
    ``keidesign check`` runs, the same function on one case) gives it alone, over 200
    random cases (every layout parameter within +-30 % of the design's), most invalid,
    failing many different relations."""
    import numpy as np

    from geometry.params import check_layout, layout_problems
    from geometry.profiles import Layout

    lay = layout_from_design(load_design(DESIGNS / f"{stem}.toml"), check=False)
    rng = np.random.default_rng(11)
    n = 200
    p = {k: float(v) * (1.0 + rng.uniform(-0.3, 0.3, n)) if k != "rim"
         else np.full(n, float(v)) for k, v in lay.p.items()}
    batched = layout_problems(Layout(p, lay.style, lay.powertrain, placement, engine))
    alone = []
    for i in range(n):
        one = Layout({k: float(a[i]) for k, a in p.items()}, lay.style, lay.powertrain,
                     placement, engine)
        try:
            check_layout(one, "case")
            alone.append("")
        except InputError as exc:
            alone.append(str(exc).removeprefix("case: "))
    assert batched == alone
    assert 0 < alone.count("") < n // 2
    kinds = {m.split(" mm")[0].split(" = ")[0] for m in alone if m}
    assert len(kinds) >= 4, kinds
