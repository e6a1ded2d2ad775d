"""The front's length at fixed body length (tasks s30b, s31a): the size law reads
``body:volume:size`` (the envelope with the dash at the reference position), so a longer
crush zone no longer moves it; the curb's slope is the a-priori groups' own. The figures
docs/mass_cost.md quotes ("The size law's volume at the reference dash") come from
``python benchmarks/crush_mass.py``."""

from __future__ import annotations

import pytest
from conftest import DESIGNS, ROOT, benchmark_module

from keidesign.mass.components import coefficients


def _slope(rows, key):
    return rows[key][2] if key in rows else 0.0


@pytest.mark.parametrize("stem", ["nbox_class", "nbox_class_us"])
def test_the_size_law_does_not_move_with_the_crush_length(stem):
    probe = benchmark_module("crush_mass")
    length, rows = probe.slopes(DESIGNS / f"{stem}.toml")
    # the envelope still falls (the hood lower than the roof); the size volume does not
    assert rows["body:volume:envelope"][2] < -0.05
    assert abs(rows["body:volume:size"][2]) < 1e-9
    assert abs(rows["mass:group:calibration"][2]) < 1e-6
    # the curb's slope is the a-priori groups' (the chassis fraction of gross mass on top)
    c_ch = coefficients()["chassis_fraction"]
    groups = sum(_slope(rows, k) for k in (
        "mass:group:body_structure", "mass:group:closures", "mass:group:glazing",
        "mass:group:interior"))
    curb = rows["mass:curb"][2]
    assert curb == pytest.approx(groups / (1.0 - c_ch), abs=0.02)
    assert rows["mass:crash_structure"][2] > 1.0 and rows["mass:group:glazing"][2] < -1.0
    doc = (ROOT / "docs" / "mass_cost.md").read_text()
    sign = "−" if curb < 0 else "+"
    if stem == "nbox_class":
        texts = (f"`mass:curb` {sign}{abs(curb):.2f} kg per +100 mm",
                 f"crash\nstructure's +{rows['mass:crash_structure'][2]:.2f} kg",
                 f"glazing's −{-rows['mass:group:glazing'][2]:.2f} kg",
                 f"the envelope still falls {-rows['body:volume:envelope'][2]:.3f} m³",
                 f"`nbox_class` ({length:.0f} mm)")
        assert -0.5 < curb < 0.0
    else:
        texts = (f"`mass:curb`\n   {sign}{abs(curb):.2f} kg per +100 mm",
                 f"(crash structure +{rows['mass:crash_structure'][2]:.2f}, secondary load "
                 f"path +{rows['mass:crash_secondary'][2]:.2f} kg)")
        assert curb > 0.0
    flat = " ".join(doc.split())
    for text in texts:
        assert " ".join(text.split()) in flat, text
