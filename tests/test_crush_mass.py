"""The size law as a design sensitivity of the front's length (task s30b): the figures
docs/mass_cost.md quotes ("What the optimizer sees of the front's length") come from
``python benchmarks/crush_mass.py``, and the slope is the size law's: k times the
envelope's change."""

from __future__ import annotations

import pytest
from conftest import DESIGNS, ROOT, benchmark_module

from keidesign.mass.components import coefficients


def test_size_law_slope_in_the_crush_length_is_quoted_from_the_script():
    probe = benchmark_module("crush_mass")
    length, rows = probe.slopes(DESIGNS / "nbox_class.toml")
    curb, law = rows["mass:curb"][2], rows["mass:group:calibration"][2]
    dv = rows["body:volume:envelope"][2]
    k = coefficients()["calibration_per_volume"]
    # the size law's slope is k x the envelope's change; the crash structure's own is
    # positive and far smaller
    assert law == pytest.approx(k * dv, rel=1e-3) and law < 0.0 < rows[
        "mass:crash_structure"][2] < -law / 4.0
    assert curb < 0.0
    doc = (ROOT / "docs" / "mass_cost.md").read_text()
    for text in (f"`mass:curb` −{-curb:.2f}", f"(`mass:group:calibration`) −{-law:.2f}",
                 f"{-dv:.3f} m³ per 100 mm", f"k = {k:.3f} kg/m³", f"nbox_class` ({length:.0f}"):
        assert text in doc, text
