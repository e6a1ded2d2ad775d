"""The ``roadload_defaults`` probe (task s31f, issue 13 (e)): the candidate default Cd by
height/width band and the rule docs/validation.md states for it."""

from __future__ import annotations

import numpy as np
from conftest import ROOT, benchmark_module


def test_rule_cd_is_the_band_median_with_the_threshold_inclusive():
    """The candidate's Cd is the median published Cd of the generations in the design's
    band, tall from H/W 0.88 on (the 3 Dec threshold, ``roadload_probe.TALL_HW``)."""
    rd = benchmark_module("roadload_defaults")
    g_cd = np.array([0.28, 0.29, 0.30, 0.31, 0.33, 0.35, 0.40])
    g_hw = np.array([0.80, 0.82, 0.85, 0.87, 0.88, 0.95, 1.00])
    assert rd.rp.TALL_HW == 0.88
    assert rd.rule_cd(g_cd, g_hw, 0.88) == 0.35      # median of 0.33, 0.35, 0.40
    assert rd.rule_cd(g_cd, g_hw, 0.879) == 0.295    # median of 0.28 .. 0.31
    assert rd.rule_cd(g_cd, g_hw, 0.70) == 0.295


def test_the_doc_states_the_rule_the_probe_judges():
    """docs/validation.md's rule (committed before the first judging run) and the probe's
    clause thresholds are the same numbers."""
    rd = benchmark_module("roadload_defaults")
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    start = text.index("### The assumed Cd by body proportion through the chain")
    rule = text[start:text.index("**The 8.1 % taken apart**", start)]
    assert f"at H/W >= {rd.rp.TALL_HW:g}" in rule
    assert f"falls by >= {rd.MIN_GAIN_POINTS:.2f} point" in rule
    assert f"within +/-{100 * rd.MAX_BIAS:.0f} %" in rule
    assert f"worse by more than {rd.MAX_LABEL_LOSS:.2f} point" in rule
