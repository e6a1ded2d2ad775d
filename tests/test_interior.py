"""SAE J1100-type interior volumes and the EPA size classes
(keidesign.classification.interior, task s35d: a trial not used by classify/evaluate,
docs/classification.md)."""

from __future__ import annotations

import csv
import math
from importlib import resources

import pytest
from conftest import DESIGNS

from geometry.params import layout_from_design
from keidesign.classification.interior import (
    LOAD_FLOOR_RISE,
    REAR_HEEL_BEHIND_H,
    REAR_WALL,
    SIDE_WALL,
    _ft3,
    epa_size_class,
    interior,
    interior_from_values,
)
from keidesign.design import load_design

NBOX = DESIGNS / "nbox_class.toml"
CARRY = DESIGNS / "carry_class.toml"


def test_seat_volume_is_the_regulation_product_in_inches():
    """40 CFR 600.315-08(d) / 49 CFR 523.2: H61 x W3 x L34 in inches / 1,728. Hand-worked:
    40.0 x 54.0 x 42.0 in = 90,720 in^3 = 52.5 ft^3."""
    assert _ft3(40.0 * 25.4, 54.0 * 25.4, 42.0 * 25.4) == pytest.approx(52.5, abs=1e-9)


def test_nbox_volumes_by_hand():
    """The N-Box class body's dimensions from its layout by the module's rules, worked
    out here from the layout's points, and the volumes their products."""
    lay = layout_from_design(load_design(NBOX), check=False)
    it = interior(lay)
    xh, zh = lay.h_point
    xhe, zhe = lay.heel_point
    l50 = float(lay.p["l50"])
    assert it.W3 == pytest.approx(float(lay.W) - 2 * SIDE_WALL)
    assert it.L34 == pytest.approx(math.hypot(xh - xhe, zh - zhe - 100.0) + 254.0)
    # rear leg room: the rear H-point (same height, l50 behind) to an ankle 100 mm over a
    # heel 250 mm behind the front H-point on the cabin floor, + 254 mm
    assert it.L51 == pytest.approx(math.hypot(l50 - REAR_HEEL_BEHIND_H,
                                              zh - float(lay.z_floor) - 100.0) + 254.0)
    inch3 = 25.4 ** 3 * 1728.0
    assert it.front_seat == pytest.approx(it.H61 * it.W3 * it.L34 / inch3)
    assert it.rear_seat == pytest.approx(it.H63 * it.W4 * it.L51 / inch3)
    # a tall-boy is a station wagon: V10 = (W4 + W201)/2 x H201 x L205
    d = it.cargo_dims
    assert it.body_type == "station wagon"
    assert d["W201"] == pytest.approx(2.0 * float(lay.y_in))
    assert d["L205"] == pytest.approx(float(lay.x_rear(lay.belt)) - REAR_WALL
                                      - float(lay.cell_x[1]))
    assert d["H201"] == pytest.approx(float(lay.z_top(lay.x_rear_axle))
                                      - float(lay.p["roof_thickness"])
                                      - float(lay.z_cargo_floor) - LOAD_FLOOR_RISE)
    assert it.cargo_index == pytest.approx(0.5 * (it.W4 + d["W201"]) * d["H201"]
                                           * d["L205"] / inch3)
    assert it.index == pytest.approx(it.front_seat + it.rear_seat + it.cargo_index)


def test_without_rear_row_the_cargo_space_starts_behind_the_front_seat():
    """49 CFR 523.2: with no second seat the cargo-carrying volume is the space behind the
    rearmost seat: the front seat's back (its H-point + the rear seat back's depth), so
    it is longer than with the rear row by the couple distance, and no rear seat volume."""
    d = load_design(NBOX)
    with_row = interior_from_values(d.values)
    two = interior_from_values({**d.values, "body:couple_distance": 0.0})
    assert with_row is not None and two is not None
    assert two.rear_seat == 0.0 and not two.rear_row and with_row.rear_row
    assert two.cargo_dims["L205"] == pytest.approx(with_row.cargo_dims["L205"]
                                                   + float(d.values["body:couple_distance"]))
    assert epa_size_class(two.index, True, two.rear_row) == "two seater"


def test_truck_has_no_car_interior():
    assert interior_from_values(load_design(CARRY).values) is None
    lay = layout_from_design(load_design(CARRY), check=False)
    with pytest.raises(ValueError, match="open bed"):
        interior(lay)


@pytest.mark.parametrize(("index", "wagon", "name"), [
    (84.9, False, "minicompact"), (85.0, False, "subcompact"), (99.9, False, "subcompact"),
    (100.0, False, "compact"), (109.9, False, "compact"), (110.0, False, "midsize"),
    (119.9, False, "midsize"), (120.0, False, "large"), (129.9, True, "small station wagon"),
    (130.0, True, "midsize station wagon"), (159.9, True, "midsize station wagon"),
    (160.0, True, "large station wagon")])
def test_size_class_bands_of_600_315(index, wagon, name):
    """40 CFR 600.315-08(a)(1): each band includes its lower bound ("greater than or equal
    to"), excludes its upper ("less than")."""
    assert epa_size_class(index, wagon) == name


def test_published_volumes_file_joins_the_label_file():
    """keidesign/data/epa/epa_label_volumes_2011_2023.csv: one row per label row, the same
    year, make, model and VClass; the i-MiEV's published hatchback volumes (85 + 13 ft^3,
    a subcompact) as fueleconomy.gov gives them."""
    base = resources.files("keidesign").joinpath("data", "epa")
    with base.joinpath("epa_label_small_2011_2023.csv").open(encoding="utf-8") as fh:
        label = {r["id"]: r for r in csv.DictReader(fh)}
    with base.joinpath("epa_label_volumes_2011_2023.csv").open(encoding="utf-8") as fh:
        vols = {r["id"]: r for r in csv.DictReader(fh)}
    assert vols.keys() == label.keys()
    for i, r in vols.items():
        assert all(r[k] == label[i][k] for k in ("year", "make", "model", "VClass")), i
    imiev = [r for r in vols.values() if r["make"] == "Mitsubishi" and "i-MiEV" in r["model"]]
    assert imiev and {(r["hpv"], r["hlv"], r["VClass"]) for r in imiev} == {
        ("85", "13", "Subcompact Cars")}
