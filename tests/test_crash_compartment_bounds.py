"""The compartment strength's bounds that docs/crash.md derives from stored tests (issue
14, task s27d: "A measured compartment strength, searched again"; no strength measured on
five cars was found, so nothing is fitted and the force-limited compartment stays a
trial). The section quotes, from the shipped data files, the floor each test sets (a
compartment that carried a 3 ms peak intact is at least that strong), the band's top
and the one measured overload (the 1996 Neon, NHTSA test 4429). These tests hold each
quoted figure to the file it is read from, so the docs cannot drift from the data.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from keidesign.crash import validation as val
from keidesign.review.plots import published_pulse_band
from keidesign.validation import crash as cv

SECTION = "### A measured compartment strength, searched again"


@pytest.fixture(scope="module")
def section() -> str:
    text = (ROOT / "docs" / "crash.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n### ", start + len(SECTION))
    return " ".join(text[start:end].split())


def _peaks() -> dict[int, tuple[str, float]]:
    """NHTSA test number -> (vehicle, CFC 60 peak, g) of the ``Valid`` rows of both pulse
    files (``ncap_frontal_pulses.csv``, ``short_front_pulses.csv``)."""
    return {int(r["nhtsa_test_no"]): (r["vehicle"], float(r["peak_decel_g"]))
            for f in cv.PULSE_FILES for r in cv.ncap_pulse_rows(f)
            if r["source_quality"] == "Valid"}


def test_the_floor_is_the_band_top_and_its_test(section):
    """The band's top (the largest peak of the 16 ``Valid`` band tests,
    :func:`published_pulse_band`) is the floor the section quotes, with the test that
    sets it; no stored ``Valid`` test of either pulse file peaks higher."""
    top = published_pulse_band()["peak"][1]
    peaks = _peaks()
    test, (vehicle, peak) = max(peaks.items(), key=lambda kv: kv[1][1])
    assert peak == pytest.approx(top)
    assert vehicle.startswith("Fiat 500")
    assert f"{top:.1f} g (Fiat 500, NCAP test {test}" in section
    assert f"at or below the band's top, {top:.1f} g" in section


@pytest.mark.parametrize("test, name", [(7729, "Scion iQ"), (10039, "smart W453"),
                                        (8314, "smart 451 ED")])
def test_the_short_fronts_floors_are_their_stored_peaks(section, test, name):
    """Each short front's floor is its own stored peak (one decimal) with its test."""
    peak = _peaks()[test][1]
    assert f"{peak:.1f} g ({name}, {test})" in section


def test_the_overload_is_the_stored_neon_test(section):
    """The one measured overload is the stored 4429 row: its largest 3 ms force over its
    test mass, in g, and the force in kN."""
    rows = [r for r in val.load_overload_force_crush()
            if r["test"] == "NHTSA 4429" and r["quantity"] == "peak_force_kn"]
    r = max(rows, key=lambda r: r["value"])
    g = r["value"] * 1e3 / (r["test_mass_kg"] * 9.80665)
    assert f"{g:.1f} g x {r['test_mass_kg']:,.0f} kg = {r['value']:.0f} kN" in section
