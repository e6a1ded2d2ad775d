"""The leg-room floor (task s38b): ``pack.legroom`` holds the SAE J826 95th-percentile leg
at the lowest usable knee angle (110 deg, Gao et al. 2022), not the 125 deg comfort
middle, and no published small car's front leg room falls below it (docs/geometry.md,
"The leg-room floor and the published-packaging seat law")."""

from __future__ import annotations

import csv
import math
import tomllib
from pathlib import Path

import pytest

from geometry import profiles as pr

ROOT = Path(__file__).resolve().parents[1]


def test_required_legroom_is_the_110_degree_floor():
    # law of cosines on the J826 95th thigh 456 and lower leg 459 mm at 110 deg, + 254 mm
    reach = math.sqrt(456.0**2 + 459.0**2 - 2 * 456.0 * 459.0 * math.cos(math.radians(110)))
    assert pr.KNEE_ANGLE_DEG == 110.0
    assert pr.REQUIRED_LEGROOM == pytest.approx(reach + 254.0, abs=1e-9)
    assert pr.REQUIRED_LEGROOM == pytest.approx(1003.5, abs=0.05)


def test_packaging_rule_cites_the_floor_and_its_source():
    rules = tomllib.loads((ROOT / "keidesign/rules/packaging.toml").read_text())
    rule = next(c for c in rules["constraint"] if c["id"] == "pack.legroom")
    assert rule["status"] == "derived"
    assert "Gao" in rule["source"] and "J826" in rule["source"] and "J1100" in rule["source"]
    assert "110 deg" in rule["source"] and "125" not in rule["source"]
    assert "floor" in rule["description"] and "lowest usable knee angle" in rule["description"]


def test_no_published_front_leg_room_is_below_the_floor():
    path = ROOT / "keidesign/data/vehicles/published_packaging.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        legs = [float(r["leg_room_front_mm"]) for r in csv.DictReader(fh)
                if r["leg_room_front_mm"]]
    assert len(legs) >= 17       # 8 rows when the floor was set (s38b), 17 since s38h
    assert min(legs) >= pr.REQUIRED_LEGROOM
