"""benchmarks/crash_probes.py ``intrusion`` (issue 14, task s38j): the report's reading of
measured dash travel against the stack-path springs, on hand-made rows: a model below
the measured static travel by more than the slack, or above the IIHS upper bound,
contradicts the pair; the pair with fewer contradictions is named, equal counts name
neither; pairs beyond the judged two are reported and not judged."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import crash_probes as cp  # noqa: E402

SHIP, FIT = cp.INTRUSION_PAIRS


def _row(lower, upper, ship, fit, extra=None):
    dash = {SHIP: ship, FIT: fit}
    if extra is not None:
        dash[(1e6, 1e6)] = extra
    return {"test": 1, "car": "X", "curb": 1000.0, "lower": lower, "sides": 2,
            "upper": upper, "dash": dash}


def test_counts_and_the_pair_supported():
    rows = [_row(40.0, None, 0.0, 100.0),      # shipped below the lower bound
            _row(10.0, 90.0, 6.0, 120.0),      # 6 >= 10 - 5: no flag; 120 > 90: fitted above
            _row(30.0, None, 10.0, 35.0)]      # shipped below again
    text = "\n".join(cp.intrusion_lines(rows))
    assert "| 0< | 100 |" in text and "| 6 | 120> |" in text
    assert "contradictions 2 of 3" in text and "contradictions 1 of 3" in text
    assert text.endswith("K_STACK 50 / K_DASH 0.5 MN/m")


def test_equal_counts_name_neither_and_extra_pairs_are_not_judged():
    rows = [_row(40.0, None, 0.0, 100.0, extra=50.0), _row(10.0, 90.0, 20.0, 120.0, extra=0.0)]
    lines = cp.intrusion_lines(rows)
    assert lines[-1].endswith("neither (equal counts)")
    assert any("(valley pair, reported, not judged)" in ln and "contradictions 1 of 2" in ln
               for ln in lines)
