"""The kei class defaults of ``keidesign import`` and the kei WLTC check (issue 13, 4 Dec
2026; docs/validation.md "Kei paths", ``python benchmarks/validation_probes.py
kei_paths``): idle stop from its prevalence in MLIT's passenger kei WLTC lists, and one
set of kei ISG constants for the check and the import."""

from __future__ import annotations

import importlib
import sys
import tomllib

import pytest
from conftest import ROOT
from test_import import _keys_and_comments

from keidesign.cli import main
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.specs import build


def _kei_paths():
    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("kei_paths")


KP = _kei_paths()


def test_idle_stop_counts_are_the_mlit_lists():
    """The default's basis is the data file: the counts by group recomputed from
    ``mlit_kei_wltc.csv`` (736 configurations of four lists, every one a passenger kei
    car with a WLTC figure, mass and fuel-saving measures)."""
    rows = KP.mlit_rows()
    assert len(rows) == 736
    assert {r["list"] for r in rows} == {"2020-03", "2022-03", "2023-03", "2026-03"}
    assert all(float(r["mass_min_kg"]) >= 500 and float(r["wltc_min_km_per_L"]) > 10
               and "EP" in r["measures"] for r in rows)
    assert KP.idle_shares(rows) == build.KEI_IDLE_STOP_COUNTS


@pytest.mark.parametrize("trans, hybrid, idle", [
    ("cvt", False, True), ("cvt", True, True), ("at4", False, True), ("at3", False, True),
    ("mt5", False, False), ("mt6", False, False), ("amt5", False, False),
    ("dct7", False, False)])
def test_kei_idle_stop_default_is_the_groups_majority(trans, hybrid, idle):
    """Idle stop where a group's majority has it (mild hybrids 297/297, CVT 339/374,
    automatic 28/32), none where it does not (manual and automated manual 6/33) or where
    the lists have no such kei car (a dual clutch)."""
    value, basis = build.kei_idle_stop_default(trans, hybrid)
    assert value is idle
    if trans != "dct7":
        assert "MLIT" in basis and "mlit_kei_wltc.csv" in basis


def _import_spec(tmp_path, text: str) -> tuple[dict, dict]:
    src = tmp_path / "spec.toml"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "design.toml"
    assert main(["import", "spec", str(src), "-o", str(out), "--force"]) == 0
    design = out.read_text(encoding="utf-8")
    rows = {k: c for t, k, c in _keys_and_comments(design) if t == "powertrain.ice"}
    return tomllib.loads(design)["powertrain"]["ice"], rows


def _row(model: str, variant: str) -> dict:
    return next(r for r in cal.kei_rows() if (r["model"], r["variant"]) == (model, variant))


def test_kei_spec_without_idle_stop_takes_the_class_default(tmp_path):
    """A kei CVT spec that does not name idle stop gets it, marked assumed with its basis;
    its 6MT twin does not; a spec's own value and a non-kei car stay as before."""
    r = _row("Honda N-WGN", "L Honda SENSING NA FF")
    ice, rows = _import_spec(tmp_path, KP.spec_text(r))
    assert ice["idle_stop"] is True and rows["idle_stop"].startswith("[assumed]")
    assert "339 of 374" in rows["idle_stop"]
    ice, rows = _import_spec(tmp_path, KP.spec_text(r).replace('type = "cvt"', 'type = "6MT"'))
    assert ice["idle_stop"] is False and "of 33" in rows["idle_stop"]
    ice, rows = _import_spec(tmp_path, KP.spec_text(r).replace(
        "hybrid = false", "hybrid = false\nidle_stop = false"))
    assert ice["idle_stop"] is False and rows["idle_stop"].startswith("source:")
    us = (KP.spec_text(r).replace('market = "jdm"', 'market = "us"')
          .replace("length = 3395", "length = 4100").replace("width = 1475", "width = 1700")
          .replace("displacement = 658", "displacement = 1200"))
    ice, rows = _import_spec(tmp_path, us)
    assert ice["idle_stop"] is False
    assert rows["idle_stop"] == "[assumed] no stop-start named in the source"


def test_kei_csv_idle_stop_column_is_read_by_the_import_and_the_check(tmp_path):
    """kei.csv's ``idle_stop`` (every ICE row of the check: yes, MLIT's 'I') reaches the
    imported design and the check's case alike."""
    out = tmp_path / "d.toml"
    assert main(["import", "vehicle", "Honda N-One", "--file", "kei", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    rows = {k: c for t, k, c in _keys_and_comments(text) if t == "powertrain.ice"}
    assert tomllib.loads(text)["powertrain"]["ice"]["idle_stop"] is True
    assert rows["idle_stop"].startswith("source:") and "idle_stop" in rows["idle_stop"]
    todo = {(t[0]["model"], t[0]["variant"]): t for t in cal._kei_todo()}
    for (model, variant), t in todo.items():
        if t[0]["powertrain"] != "BEV" and t[0].get("wltc_km_per_L"):
            assert t[0]["idle_stop"] == "yes" and t[2] is True, (model, variant)


def test_one_set_of_kei_isg_constants():
    """The check and ``import spec`` run a kei mild hybrid on the same ISG constants."""
    assert build.KEI_ISG_KW is pt.KEI_ISG_KW
    assert build.KEI_ISG_BATTERY_KWH is pt.KEI_ISG_BATTERY_KWH
    t = next(t for t in cal._kei_todo() if t[0]["model"] == "Suzuki Alto")
    spec = cal.kei_spec(*t[:7])
    assert spec.kind == "hev" and spec.hev_energy == pt.KEI_ISG_BATTERY_KWH
    assert spec.hev_power == pt.KEI_ISG_KW


@pytest.mark.parametrize("model, variant", [("Honda N-Box", "NA FF"),
                                            ("Suzuki Alto", "Hybrid (R06D+ISG) FF")])
def test_new_user_path_with_the_checks_inputs_is_the_check(tmp_path, model, variant):
    """The two paths are one model: a new user's spec file of a check row, imported
    (``--predict``) and given the inputs the check has and the spec has not (published
    curb mass, idle stop, ISG rating, tyre, compression ratio, rated speed, frontal area),
    evaluates to the check's WLTC figure (an engine and a mild hybrid)."""
    newuser = importlib.import_module("newuser")
    case, res = next((c, r) for c, r in KP.check_rows()
                     if (c[0]["model"], c[0]["variant"]) == (model, variant))
    path = tmp_path / "k.toml"
    path.write_text(KP.spec_text(case[0]), encoding="utf-8")
    run = newuser.run_spec(path, tmp_path)
    edits = KP.check_inputs(case, run.design_text,
                            float(run.outputs["body:frontal_area"]["value"]))
    v = KP._evaluate(run.design_text, tuple(x for e in edits.values() for x in e),
                     tmp_path, "all")
    assert v == pytest.approx(res["predicted"], rel=2e-3)
