"""NHTSA rollover data (issue 14, deliverable 6 data search; keidesign/data/crash/README.md,
``ncap_rollover.csv`` and ``ncap_cg_2004.csv``).

Asserted: every car of ``ncap_ratings.csv`` has its Safercar SSF / risk / tip row with the
same model year and rollover stars; NHTSA's published "No Tip" risk falls as SSF rises
(one function of SSF, as the README states); the stars sit in the bands the rows bracket
(5 at a printed risk <= 0.101, 4 <= 0.20, 3 <= 0.30, 2 <= 0.40); the 2004
centre-of-gravity rows marked consistent really are (T/2h = avg track / (2 h), average
track = mean of front and rear).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "crash"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_ncap_car_has_its_rollover_row():
    ratings = {r["vehicle"]: r for r in _rows("ncap_ratings.csv")}
    rows = [r for r in _rows("ncap_rollover.csv") if r["set"] == "ncap_ratings"]
    assert sorted(r["vehicle"] for r in rows) == sorted(ratings)
    for r in rows:
        car = ratings[r["vehicle"]]
        assert r["model_year"] == car["model_year"], r["vehicle"]
        assert r["rollover_stars"] == car["rollover_stars"], r["vehicle"]
        assert r["status"] == "V" and "Safercar_data.csv" in r["source"]


def test_no_tip_risk_is_one_falling_function_of_ssf():
    pts = sorted((float(r["static_stability_factor"]), float(r["rollover_risk"]))
                 for r in _rows("ncap_rollover.csv") if r["dynamic_tip"] == "No Tip")
    assert len(pts) >= 30
    for (s0, p0), (s1, p1) in zip(pts, pts[1:], strict=False):
        assert p1 <= p0, (s0, p0, s1, p1)
        if s1 == s0:
            assert p1 == p0


def _band(risk: float) -> int:
    limits = ((0.101, 5), (0.20, 4), (0.30, 3), (0.40, 2))
    return next((stars for top, stars in limits if risk <= top), 1)


@pytest.mark.parametrize("row", _rows("ncap_rollover.csv"), ids=lambda r: r["safercar_row"])
def test_rollover_stars_in_the_bracketed_bands(row):
    assert int(row["rollover_stars"]) == _band(float(row["rollover_risk"]))


def test_cg_2004_rows_marked_consistent_are():
    rows = _rows("ncap_cg_2004.csv")
    assert len(rows) == 52
    ok = [r for r in rows if r["consistency"] == "ok"]
    assert len(ok) == 48
    for r in ok:
        ft, rt, at = (float(r[k]) for k in ("front_track_in", "rear_track_in", "avg_track_in"))
        h, ssf = float(r["cg_height_in"]), float(r["ssf"])
        assert abs((ft + rt) / 2 - at) <= 0.11, r["model"]
        assert abs(at / (2 * h) - ssf) <= 0.002, r["model"]
