"""The published WLTC phase figures of the kei rows (kei.csv ``wltc_L/M/H_km_per_L``,
kei_trucks.csv ``wltc_city/suburban/highway_km_per_L``; task s43f) and the
``kei_wltc_phases --published`` summary (docs/validation.md, "The kei WLTC phases on
published figures").

The data checks are physical: a catalogue's phase figures are km/L of a petrol kei car
(5-60 km/L), the low (urban) phase is the thirstiest, and the combined WLTC figure is
the distance-weighted harmonic mean of the three phases (Japan's class 3b WLTC, no
extra-high phase), within the catalogue's rounding to 0.1 km/L."""

from __future__ import annotations

import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy.cycles import segments
from keidesign.energy.vehicle import wltc_segments


def _phase_rows() -> list[tuple[str, float, list[float]]]:
    out = []
    for r in cal.kei_rows():
        ph = [r.get(f"wltc_{k}_km_per_L") for k in "LMH"]
        if any(ph):
            out.append((f"{r['model']} {r['variant']}", float(r["wltc_km_per_L"]),
                        [float(x) for x in ph]))
    for r in cal.kei_truck_rows():
        ph = [r.get(f"wltc_{k}_km_per_L") for k in ("city", "suburban", "highway")]
        if any(ph):
            out.append((f"{r['model']} {r['variant']}", float(r["wltc_km_per_L"]),
                        [float(x) for x in ph]))
    return out


def test_published_phases_are_physical_and_add_up():
    rows = _phase_rows()
    assert len(rows) >= 8   # 3 kei.csv + 5 kei_trucks.csv rows (s43f)
    km = segments(wltc_segments("3b")).distance / 1000.0
    assert len(km) == 3
    for name, comb, (lo, me, hi) in rows:
        for v in (comb, lo, me, hi):
            assert 5.0 <= v <= 60.0, name
        assert lo < me and lo < hi, name   # the urban phase is the thirstiest
        harmonic = sum(km) / sum(d / v for d, v in zip(km, (lo, me, hi), strict=True))
        assert abs(harmonic - comb) <= 0.1, (name, harmonic, comb)


def test_phase_summary_by_group():
    probe = benchmark_module("kei_wltc_phases")

    def row(family, turbo, cvt, model, pub):
        return {"family": family, "config": "x", "turbo": turbo, "cvt": cvt,
                "model": dict(zip(probe.PHASES, model, strict=True)),
                "published": dict(zip(probe.PHASES, pub, strict=True))}
    rows = [row("A", False, True, (12.0, 11.0, 10.0), (10.0, 10.0, 10.0)),
            row("A", True, True, (10.0, 10.0, 10.0), (10.0, 10.0, 10.0)),
            row("B", False, False, (9.0, 10.0, 11.0), (10.0, 10.0, 10.0))]
    s = probe.phase_summary(rows)
    assert s["all"]["low"]["n"] == 3
    assert s["all"]["low"]["bias"] == pytest.approx((0.2 + 0.0 - 0.1) / 3)
    assert s["all"]["low"]["mae"] == pytest.approx((0.2 + 0.0 + 0.1) / 3)
    assert s["family A"]["high"]["bias"] == pytest.approx(0.0)
    assert s["turbo"]["medium"]["n"] == 1
    assert s["other transmission"]["low"]["bias"] == pytest.approx(-0.1)
    assert s["low_lead"]["A"] == pytest.approx(0.1)
    assert s["low_lead"]["B"] == pytest.approx(-0.2)
    assert s["families"] == 2 and s["families_with_low_lead"] == 1


def test_published_rows_keep_complete_phases_only(monkeypatch):
    probe = benchmark_module("kei_wltc_phases")
    trucks = benchmark_module("kei_truck_wltc")
    ph = {p: {"km_l": 10.0 + i} for i, p in enumerate(probe.PHASES)}
    fake_run = [
        {"model": "F1", "variant": "a", "turbo": False, "transmission": "cvt",
         "phases": ph, "phase_measured": {"low": 9.0, "medium": 10.0, "high": 11.0}},
        {"model": "F2", "variant": "b", "turbo": True, "transmission": "mt6",
         "phases": ph, "phase_measured": {}}]
    fake_trucks = [
        {"model": "T", "variant": "c", "transmission": "5MT", "model_kmpl": [1, 2, 3],
         "published": [1.0, 2.0, 3.0]},
        {"model": "T", "variant": "d", "transmission": "CVT", "model_kmpl": [1, 2, 3],
         "published": [None, None, None]}]
    monkeypatch.setattr(probe, "run", lambda c0: fake_run)
    monkeypatch.setattr(trucks, "phase_records", lambda **k: fake_trucks)
    rows = probe.published_rows()
    assert [(r["family"], r["config"], r["cvt"]) for r in rows] == [
        ("F1", "a", True), ("T", "c", False)]
    assert rows[0]["published"] == {"low": 9.0, "medium": 10.0, "high": 11.0}


def test_published_phase_figures_quoted_are_current():
    """docs/validation.md "The kei WLTC phases on published figures" quotes ``python
    benchmarks/kei_wltc_phases.py --published`` (~1 min): each configuration's per-phase
    error, the MAE and bias of all rows and the NA / turbo / CVT / 5MT biases."""
    from conftest import ROOT

    probe = benchmark_module("kei_wltc_phases")
    rows = probe.published_rows()
    s = probe.phase_summary(rows)
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    sec = text[text.index("### The kei WLTC phases on published figures"):]
    sec = sec[:sec.index("\n## ")]

    def pct(x: float) -> str:
        return f"{100 * x:+.1f} %"
    assert f"{len(rows)} configurations of {s['families']} families" in sec
    for r in rows:
        cells = " | ".join(pct(r["model"][p] / r["published"][p] - 1.0) for p in probe.PHASES)
        assert f"| {cells} |" in sec, (r["family"], r["config"], cells)
    n = len(rows)
    assert (f"| **all {n}: MAE** | " + " | ".join(
        f"**{100 * s['all'][p]['mae']:.1f} %**" for p in probe.PHASES) + " |") in sec
    assert (f"| **all {n}: bias** | " + " | ".join(
        f"**{pct(s['all'][p]['bias'])}**" for p in probe.PHASES) + " |") in sec
    for name, label in (("NA", "NA"), ("turbo", "turbo"), ("CVT", "CVT"),
                        ("other transmission", "5MT")):
        g = s[name]
        assert (f"| {label} ({g['low']['n']}) bias | " + " | ".join(
            pct(g[p]["bias"]) for p in probe.PHASES) + " |") in sec, name
    assert (f"holds in every family with published phases ({s['families_with_low_lead']} "
            f"of {s['families']})") in " ".join(sec.split())
