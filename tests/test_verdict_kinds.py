"""The certified cars' failures by kind in the trials that print verdicts
(``benchmarks/verdict_kinds.py``, task s35c): since task s34f ``CarVerdict.failed`` holds
the federal (FMVSS) criteria and ``proxies_failed`` the model proxies apart; the trial
scripts written before the split (energy and engine-less sizing, the roof trials'
``federal_change``) judge on ``failed`` and print the proxies beside it from here, so a
proxy failure a trial causes stays in sight. Also the markdown of the crash probes'
generated blocks (``crash_probes.doc_text``)."""

from __future__ import annotations

import pytest
from conftest import benchmark_module

from keidesign.validation.crash import CarVerdict


@pytest.fixture(scope="module")
def vk():
    return benchmark_module("verdict_kinds")


def _cars(**fails) -> dict:
    """name -> CarVerdict with ``(criteria, proxies)`` failed."""
    return {n: CarVerdict(n, failed=list(c), proxies_failed=list(p))
            for n, (c, p) in fails.items()}


def test_a_proxy_newly_failed_is_printed_apart_from_the_criteria(vk):
    """A car that newly fails a proxy only is not a federal failure (``failing`` of
    ``failed`` is empty) but the proxies' line names it, with the counts before -> after;
    a proxy failing before and after is not 'newly failed'."""
    before = _cars(iQ=((), ()), Soul=((), ("fmvss208.ride_down_space",)))
    after = _cars(iQ=((), ("fmvss208.crush_space", "fmvss208.dash_intrusion")),
                  Soul=((), ("fmvss208.ride_down_space",)))
    assert vk.failing(after.values()) == {}
    line = vk.proxies_line(before, after)
    assert "failing 1 -> 2 of 2" in line
    assert "newly failed: iQ (fmvss208.crush_space, fmvss208.dash_intrusion)" in line
    assert "Soul" not in line.split("newly failed:")[1]
    assert vk.failing_text(after.values()) == (
        "0; model proxies (not FMVSS criteria) 2: iQ (fmvss208.crush_space, "
        "fmvss208.dash_intrusion); Soul (fmvss208.ride_down_space)")
    assert vk.cars_text(vk.failing(after.values(), "proxies_failed")).startswith("Soul")


def test_energy_trial_item_6_shows_proxies_newly_failed_without_counting_them():
    """energy_sizing_trial.verdict: a proxy newly failed is named in item 6 and does not
    decide it (the rule, written before the split, counts federal criteria)."""
    trial = benchmark_module("energy_sizing_trial")
    kinds = dict.fromkeys(("all", "ncap", "b40", "b56"), (0.1, 0.0))
    base = {"peak": [0.1, -0.1], "8314": (0.0, 0.1), "short": {"7863": (0.0, 0.1),
            "7729": (0.0, 0.1)}, "band": {"esw_g": 5, "mean_g": 5, "peak_g": 5},
            "within": 3, "side": 2, "fails": {}}
    s0 = {**base, "proxies": {}}
    s1 = {**base, "proxies": {"iQ": ["fmvss208.crush_space"]}}
    items = trial.verdict({"shipped": kinds, "trial": kinds}, s0, s1)
    (name, ok), = [(n, ok) for n, ok in items if n.startswith("6 ")]
    assert ok and "model proxies newly failed, not counted: iQ (fmvss208.crush_space)" in name


def test_a_probe_block_keeps_tables_together_and_lines_apart():
    """crash_probes.doc_text: a table's lines stay one block, each other printed line is
    a paragraph of its own (markdown would run them into one otherwise)."""
    cp = benchmark_module("crash_probes")
    text = cp.doc_text("caption:\n| a | b |\n| --- | --- |\n| 1 | 2 |\nline one\nline two\n")
    assert text == "caption:\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nline one\n\nline two"
    assert set(cp.DOC_PROBES) <= set(cp.PROBES)
