"""The s38g cargo-term probe (benchmarks/interior_cargo_terms.py) and the s35d
benchmark's class distance (benchmarks/interior_volumes.py)."""

from __future__ import annotations

import pytest
from conftest import benchmark_module

iv = benchmark_module("interior_volumes")
ct = benchmark_module("interior_cargo_terms")


def test_car_and_wagon_classes_within_one_only_where_their_bands_overlap():
    # the s35d rule: "the wagon/car pair of the same index band" is within one
    assert iv.class_distance("compact", "small station wagon") == 1     # < 110 vs < 130
    assert iv.class_distance("large", "midsize station wagon") == 1     # >= 120 vs 130-160
    # minicompact (< 85 ft^3) and a large station wagon (>= 160) share no band
    assert iv.class_distance("minicompact", "large station wagon") > 1
    assert iv.class_distance("midsize station wagon", "compact") > 1     # 130-160 vs 100-110
    assert iv.class_distance("compact", "midsize") == 1
    assert iv.class_distance("compact", "large") == 2


def test_sedan_names():
    assert ct.is_sedan("HONDA CIVIC", "9th gen sedan")
    assert ct.is_sedan("KIA FORTE KOUP", "TD Koup")
    assert ct.is_sedan("MITSUBISHI MIRAGE G4", "A05A sedan")
    assert not ct.is_sedan("HONDA FIT", "GE (2nd gen)")
    assert not ct.is_sedan("KIA Forte5", "YD 5-door")


def test_coarse_family_groups_trims():
    assert ct.coarse_family("HONDA CIVIC HF") == ct.coarse_family("HONDA CIVIC 4DR SEDAN 2.0L")
    assert ct.coarse_family("NISSAN NISSAN VERSA S") == ct.coarse_family("NISSAN VERSA")
    assert ct.coarse_family("HONDA FIT") != ct.coarse_family("HONDA CIVIC")


def _row(fam, box, lv4):
    return {"family": fam, "lv4": lv4, "t": {"B": box}, "sedan": True, "line": fam,
            "it": None}


def test_packing_fraction_recovers_a_known_k_and_is_held_out():
    rows = [_row(f"MAKE M{i}", b, 0.44 * b) for i, b in enumerate((20, 25, 28, 31, 35))]
    assert ct.fit_k(rows) == pytest.approx(0.44)
    # one family off the law: its own prediction does not see it
    rows[0]["lv4"] = 20.0
    cg = ct.cargo(rows, "T1")
    assert cg["MAKE M0"] == pytest.approx(0.44 * 20)
    assert cg["MAKE M1"] != pytest.approx(0.44 * 25)
