"""The kei rows' import / check gap (issue 13, task s45e, 8 Dec 2026).

A kei.csv ICE row run by the kei WLTC check (:func:`keidesign.energy.calibration.
kei_wltc_check`) and the same row imported (``keidesign import vehicle``, then
``evaluate``) differ by 0.2-0.7 % in WLTC km/L. The gap is two inputs and nothing else:
the check's frontal area is the proxy ``FRONTAL_AREA_FACTOR`` x W x H where the import
runs the body model's own area (:func:`keidesign.body.frontal_area`), and the import
ignores kei.csv's ``tyre`` column (155/65R14 on every row) where the check reads it (the
rated speed differs too and is worth nothing). With the import's area, tyre and rated
speed put into the check's spec, the check gives the import's figure within 0.1 % on
every row: any other default that drifts apart on one path fails here. The check with the
body model's area was tried and not shipped (docs/validation.md, "The kei rows' import /
check gap"; ``benchmarks/validation_probes.py kei_import_gap``).
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from keidesign.body import frontal_area
from keidesign.cli import main
from keidesign.design import load_design
from keidesign.energy import calibration as ecal
from keidesign.energy import vehicle as ev
from keidesign.energy.roadload import FRONTAL_AREA_FACTOR

ICE = [t for t in ecal._kei_todo() if not t[0]["powertrain"].upper().startswith("BEV")]

#: Largest |import / check with the import's inputs - 1| (the residual is 0.00 %)
RESIDUAL = 0.001


@pytest.fixture(scope="module")
def constants() -> dict:
    return {**ecal.fixed_constants(), **ecal._stored_fit()}


def _imported(r: dict, tmp_path, capsys) -> tuple[object, dict]:
    out = tmp_path / "d.toml"
    assert main(["import", "vehicle", r["model"], "--file", "kei", "--variant",
                 r["variant"], "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--json", str(out)]) == 0
    outputs = json.loads(capsys.readouterr().out)["outputs"]
    return load_design(out), {k: v["value"] for k, v in outputs.items()}


def test_every_ice_row_of_the_check_is_here():
    assert len(ICE) == 13


@pytest.mark.parametrize("t", ICE, ids=lambda t: f"{t[0]['model']} {t[0]['variant']}")
def test_import_is_the_check_with_the_imports_area_and_tyre(t, constants, tmp_path, capsys):
    r, style, idle, hyb, trans, drive, tyre_d, *_ = t
    design, out = _imported(r, tmp_path, capsys)
    v = design.values
    # the body model's area without the model is the model's own output
    assert frontal_area(design) == pytest.approx(out["body:frontal_area"], rel=1e-9)
    spec = ecal.kei_spec(r, style, idle, hyb, trans, drive, tyre_d)
    # what the check runs instead: the proxy area and the row's tyre
    assert spec.area == pytest.approx(
        FRONTAL_AREA_FACTOR * float(r["width_mm"]) * float(r["height_mm"]) * 1e-6)
    tyre = (25.4 * float(v["body:rim_diameter"])
            + 2.0 * float(v["body:tyre_width"]) * float(v["body:tyre_aspect"]) / 100.0)
    same = replace(spec, area=frontal_area(design), tyre_d=tyre / 1000.0,
                   rated_rpm=float(v["powertrain:ice:rated_speed"]))
    check = float(ev.simulate([same], constants=constants)["wltc_km_per_l"][0])
    imp = float(out["energy:wltc_km_per_l"])
    assert abs(imp / check - 1.0) < RESIDUAL, (imp, check)
