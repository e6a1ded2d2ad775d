"""A kei.csv ``ICE mild hybrid`` row imported with ``keidesign import vehicle`` keeps its
belt ISG (task s44h, 8 Dec 2026): the design evaluates to the kei WLTC check's model
figure (:func:`keidesign.energy.calibration.kei_wltc_check`, which runs these rows with
the ISG) within the import-vs-check gap of the plain-engine kei rows (~0.6 %, the two
paths' road load and tyre; before: 5.5-6.3 % below, the ISG left out). The mass fit keeps
these rows as plain engines (``keidesign.mass.calibration.MILD_AS_PLAIN``)."""

from __future__ import annotations

import json

import pytest

from keidesign.cli import main
from keidesign.energy import calibration as ecal
from keidesign.energy import powertrains as pt
from keidesign.mass import calibration as mcal
from keidesign.specs import sources

MILD = [r for r in ecal.kei_rows() if "hybrid" in r["powertrain"].lower()]

#: Largest |import / check - 1| allowed: the plain-engine kei rows' gap is 0.5-0.8 %
#: (N-WGN, Dayz X, Taft, 8 Dec 2026); without the ISG the hybrids' is 5.5-6.3 %.
GAP = 0.01


@pytest.fixture(scope="module")
def check() -> dict[tuple[str, str], float]:
    return {(r["model"], r["variant"]): r["predicted"] for r in ecal.kei_wltc_check()}


def _import(r: dict, out) -> str:
    assert main(["import", "vehicle", r["model"], "--file", "kei", "--variant",
                 r["variant"], "-o", str(out), "--force"]) == 0
    return out.read_text(encoding="utf-8")


def test_every_mild_hybrid_row_is_checked(check):
    assert len(MILD) >= 5
    assert all((r["model"], r["variant"]) in check for r in MILD)


@pytest.mark.parametrize("r", MILD, ids=lambda r: f"{r['model']} {r['variant']}")
def test_imported_mild_hybrid_evaluates_to_the_check(r, check, tmp_path, capsys):
    text = _import(r, tmp_path / "d.toml")
    assert "plain engine" not in text
    kw = float(r["hybrid_kW"] or pt.KEI_ISG_KW)
    assert f"hev_motor_power = {kw:g}" in text.replace(f"{kw:g}.0", f"{kw:g}")
    capsys.readouterr()
    assert main(["evaluate", "--json", str(tmp_path / "d.toml")]) == 0
    v = float(json.loads(capsys.readouterr().out)["outputs"]["energy:wltc_km_per_l"]["value"])
    c = check[(r["model"], r["variant"])]
    assert abs(v / c - 1.0) < GAP, (v, c)


def test_mass_fit_keeps_mild_hybrids_plain():
    """The fit's design of a mild-hybrid row has no ISG, its recorded a-priori mass holds."""
    vr = next(vr for vr in sources.vehicle_rows("kei") if vr.row["hybrid_kW"])
    assert sources.row_spec(vr).get("hybrid") == "hev"
    design, _ = mcal._design(vr)
    assert design.values.get("powertrain:ice:hybrid") != "hev"
    rec = {d.name: d for d in mcal.read_cars()}
    now = mcal.car_of(vr)
    assert now.prior == pytest.approx(rec[now.name].prior, rel=1e-9)
