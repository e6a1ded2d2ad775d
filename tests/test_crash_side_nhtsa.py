"""NHTSA side MDB tests (data/crash/side_nhtsa_tests.csv) against the side model
(keidesign.crash.validation.load_side_nhtsa, keidesign.validation.crash.side_nhtsa_checks
and side_nhtsa_profiles; issue 14, side pass)."""

from __future__ import annotations

import csv
import io
import math
from importlib.resources import files

import pytest

from keidesign.crash import validation as val
from keidesign.crash.side import MDB_CRAB_DEG
from keidesign.errors import InputError
from keidesign.validation import crash as cv

TEXT = (files("keidesign") / "data" / "crash" / "side_nhtsa_tests.csv").read_text(
    encoding="utf-8")
ROWS = val.load_side_nhtsa()


def test_rows_parse_with_sources_and_status():
    """Every row: status V or R, a source naming the document read, the four figures the
    check needs as numbers; the crush profile numbers where given."""
    assert len(ROWS) >= 2
    for r in ROWS:
        assert r["status"] in ("V", "R")
        assert "github.com/" in r["source"] or "http" in r["source"]
        for k in val.SIDE_NHTSA_REQUIRED:
            assert isinstance(r[k], float) and r[k] > 0.0, (r["vehicle"], k)
    g6 = next(r for r in ROWS if r["nhtsa_test_ref"] == "G50104")
    assert [g6[f"dpd{k}_mm"] for k in range(1, 7)] == [32.0, 215.0, 223.0, 227.0, 200.0, -25.0]
    assert g6["max_static_crush_mm"] == max(g6[f"dpd{k}_mm"] for k in range(1, 7)) + 13.0


def test_matched_generation_holds_the_test_year():
    """A row's us_specs_make/model/generation names a us_specs row whose model-year range
    holds the tested year (blank: none matched)."""
    from keidesign.specs import sources

    years = {}
    for vr in sources.vehicle_rows("us_specs"):
        first, _, last = vr.row["model_years"].partition("-")
        years[(vr.row["make"], vr.row["model"], vr.row["generation"])] = (
            int(first), int(last or first))
    matched = 0
    for r in ROWS:
        key = (r["us_specs_make"], r["us_specs_model"], r["us_specs_generation"])
        if not key[2]:
            assert not key[0] and not key[1]
            continue
        first, last = years[key]
        assert first <= r["model_year"] <= last, r["vehicle"]
        matched += 1
    assert matched >= 1


@pytest.mark.parametrize("column, value, words", [
    ("status", "X", "status: 'X'; allowed: V or R"),
    ("source", "", "source: empty"),
    ("max_static_crush_mm", "", "max_static_crush_mm: ''; allowed: 1 to 1000"),
    ("test_mass_kg", "12", "test_mass_kg: '12'; allowed: 500 to 4000"),
    ("barrier_speed_kmh", "fast", "barrier_speed_kmh: 'fast'; allowed: a number or blank"),
])
def test_bad_row_is_refused_with_field_value_and_range(column, value, words):
    reader = csv.DictReader(io.StringIO(TEXT))
    rows = list(reader)
    rows[0][column] = value
    buf = io.StringIO()
    w = csv.DictWriter(buf, reader.fieldnames)
    w.writeheader()
    w.writerows(rows)
    with pytest.raises(InputError) as exc:
        val.load_side_nhtsa(buf.getvalue())
    assert "side_nhtsa_tests.csv line 2" in str(exc.value)
    assert words in str(exc.value)


@pytest.fixture(scope="module")
def checks():
    res = cv.certified_cars(cv.side_nhtsa_names())
    assert not res["skipped"]
    return {c["test"]: c for c in cv.side_nhtsa_checks(res)}, res


def test_checks_follow_the_tests_conditions(checks):
    """Energy 1/2 M m / (M + m) (V cos crab)^2 with the test's own masses and speed (the
    program's 27 deg crab where the row gives none), crush E / F, implied force E / CRHDST;
    the matched generation's imported force, otherwise the default structure's."""
    by_test, res = checks
    forces = {v.name: v.side["force_kn"] for v in res["cars"]}
    assert len(by_test) == len(ROWS)
    for r in ROWS:
        c = by_test[f"{r['vehicle']} {r['model_year']:.0f} ({r['nhtsa_test_ref']})"]
        crab = MDB_CRAB_DEG if r["crab_deg"] is None else r["crab_deg"]
        v = r["barrier_speed_kmh"] / 3.6 * math.cos(math.radians(crab))
        big_m, m = r["barrier_mass_kg"], r["test_mass_kg"]
        e_kj = 0.5 * big_m * m / (big_m + m) * v**2 * 1e-3
        assert c["energy_kj"] == pytest.approx(e_kj, rel=1e-12)
        f = forces[c["car"]] if c["car"] else val.side_force_kn()
        assert c["model_force_kn"] == pytest.approx(f, rel=1e-12)
        assert c["model_crush_mm"] == pytest.approx(1e3 * e_kj / f, rel=1e-9)
        assert c["implied_force_kn"] == pytest.approx(1e3 * e_kj / r["max_static_crush_mm"])
        assert (c["car"] is None) == (not r["us_specs_generation"])


def test_side_model_crush_matches_nhtsas_static_crush(checks):
    """Finding (docs/crash.md, "One joint law for the side structure"): with the B-pillar's
    ends at the sill's and roof rail's torque under the FMVSS face too, the model's crush
    is 95-103 % of the residual crush NHTSA measured (83-89 % with the built-in pillar of
    before), inside the +/-15 % target on both cars; its force (397-404 kN) within 10 % of
    the 377-416 kN the tests imply."""
    for c in checks[0].values():
        assert abs(c["crush_ratio"] - 1.0) <= val.BOUND, c["test"]
        assert c["crush_ratio"] > 0.9, c["test"]
        assert 0.9 < c["model_force_kn"] / c["implied_force_kn"] < 1.1, c["test"]


def test_profile_stations_run_rear_to_front_over_the_damage():
    """DPD1 at the damage's rear end, six stations equally spaced over its length,
    centred where DAMDST puts it (mm behind the front axle = CG - DAMDST)."""
    (p,) = cv.side_nhtsa_profiles()
    x = p["stations_mm"]
    assert x[0] == pytest.approx(1134.0 + 555.0 + 1125.0)
    assert all(a - b == pytest.approx(450.0) for a, b in zip(x, x[1:], strict=False))
    assert len(p["model_mm"]) == 6 and max(p["model_mm"]) == pytest.approx(240.0)


def test_joint_law_table_quotes_the_checks(checks):
    """docs/crash.md "One joint law for the side structure": the NHTSA side NCAP rows of
    its table quote these checks (``python benchmarks/crash_probes.py side_nhtsa``, here on
    this module's evaluations, no extra run; s18h3): force / E ÷ CRHDST and model / test
    crush of the G6 and the Volt."""
    from conftest import ROOT

    by_test, _ = checks
    text = (ROOT / "docs" / "crash.md").read_text(encoding="utf-8")
    for label, test in (("Pontiac G6 2005", "G50104"), ("Chevrolet Volt 2017", "10003")):
        c = next(c for t, c in by_test.items() if t.endswith(f"({test})"))
        row = next(line for line in text.splitlines()
                   if line.startswith(f"| NHTSA side NCAP, {label}: force"))
        after = row.split(" | ")[-1].strip(" |")
        assert after == (f"{c['model_force_kn']:.0f} / {c['implied_force_kn']:.0f}; "
                         f"{c['crush_ratio']:.2f}"), (label, after)
