"""The model-year hold-out stand-in (``benchmarks/later_years.py``, task s42e): its row
selection, and its core on three MY2023 rows with the record checked against a live
prediction with the shipped constants (a stale docs/validation.json would fail it)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import calibration as cal
from keidesign.energy import testcars as tc
from keidesign.validation.report import car_id


def test_split_marks_a_family_new_only_when_no_earlier_year_has_it():
    ly = benchmark_module("later_years")
    cars = [SimpleNamespace(year=y, family=f)
            for y, f in ((2018, "A"), (2020, "A"), (2021, "B"), (2022, "B"), (2019, "C"))]
    got = [(c.year, c.family, new) for c, new in ly.split(cars, 2020)]
    assert got == [(2020, "A", False), (2021, "B", True), (2022, "B", True)]
    got = [(c.year, c.family, new) for c, new in ly.split(cars, 2019)]
    assert got == [(2020, "A", False), (2021, "B", True), (2022, "B", True), (2019, "C", True)]
    assert ly.split(cars, 2023) == []


def test_core_on_three_rows_matches_a_live_prediction_with_the_shipped_constants():
    ly = benchmark_module("later_years")
    my23 = [c for c in tc.test_cars() if c.year == 2023]
    ice = [c for c in my23 if c.cls == "cvt"][:2]
    ev = [c for c in my23 if c.cls == "ev"][:1]
    three = ice + ev
    assert len(three) == 3
    errs = ly.errors_a(three, ly.record())
    c, fit, bev = cal.stored_fits()
    p_ice, p_ev = cal.predict_ice(ice, c, fit), cal.predict_bev(ev, c, bev)
    for cars, p in ((ice, p_ice), (ev, p_ev)):
        for i, car in enumerate(cars):
            for t in ("ftp", "hwfet"):
                assert errs[car_id(car)]["shipped"][t] == pytest.approx(
                    p[t][i] / car.tests[t] - 1.0, abs=1e-6)
    # held out by family: another set of constants, so another prediction
    assert any(errs[car_id(x)]["lofo"]["ftp"] != errs[car_id(x)]["shipped"]["ftp"]
               for x in three)
    # the label from the test car exists exactly for the rows with a label record
    for x in three:
        has = tc.label_for(x) is not None
        assert np.isfinite(errs[car_id(x)]["shipped"]["label_testcar"]) == has
    specs, failed = ly.errors_specs(ice[:1])
    assert len(ly.so.cases(ice[:1])) == 1  # the row has a published-spec row
    assert not failed and len(specs) == 1
    for e in specs.values():
        assert abs(e["test_mass"]) < 0.2 and abs(e["road_chain"]) < 0.4


def test_docs_quote_the_held_out_unadjusted_figures_of_the_newer_years():
    """docs/validation.md's "A model-year hold-out" table quotes the (a) figures held out
    by family of MY2019-2023 (seen and new families) as the validation record has them:
    a regenerated record that moves them fails here until the section is rerun."""
    ly = benchmark_module("later_years")
    from conftest import ROOT

    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    start = doc.index("### A model-year hold-out: MY2024-2026")
    section = doc[start:doc.index("\n### ", start + 10)]
    rows = ly.split(tc.test_cars(), 2019)
    errs = {"a": ly.errors_a([c for c, _ in rows], ly.record())}
    quoted = []
    for group, test in (("gasoline", "ftp"), ("gasoline", "hwfet"), ("ev", "ftp"),
                        ("ev", "hwfet")):
        col = ("", "a", test, "lofo")
        for new in (False, True):
            cars = [c for c, n in rows if n == new and ly.in_group(c, group)]
            s = ly.summary(ly.values(cars, errs, col))
            quoted.append(f"{100 * s['mae']:.1f} % ({100 * s['bias']:+.1f} %) {s['n']}")
    line = {g: next(ln for ln in section.splitlines() if ln.startswith(f"| (a) {g}"))
            for g in ("gasoline FTP", "gasoline HWFET", "EV FTP", "EV HWFET")}
    for (g, ln), pair in zip(line.items(), zip(quoted[::2], quoted[1::2], strict=True),
                             strict=True):
        assert pair[0] in ln and pair[1] in ln, (g, pair, ln)
