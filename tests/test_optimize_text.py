"""The terminal summary of `keidesign optimize` says what an active item is (new-user
pass s34d: study (a) printed 'active: fmvss:fmvss301.rear_crush_space (lower), d
mass:curb / d bound = 0.007287 kg/mm', reading as a lower bound on the rear crush, an
upper-bound criterion; the 'lower' was the floor of its margin, and trade_factors.md
words the same row '1 mm more required margin on ...')."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from keidesign.studies.optimize import format_result


def _res(active):
    best = SimpleNamespace(success=True, feasible=True, discrete={})
    study = SimpleNamespace(name="s", continuous=[])
    return SimpleNamespace(study=study, objective="mass:curb", objective_units="kg",
                           value=885.3, best=best, starts=[best], runner="serial",
                           n_evals=24, elapsed=78.3, x={}, active=active, notes=[],
                           federal_class={}, skipped=[], out=Path("r"), files={})


def test_active_lines_say_margin_or_bound():
    text = format_result(_res([
        {"kind": "constraint", "id": "fmvss:fmvss301.rear_crush_space", "bound": "lower",
         "units": "mm", "value": 0.0, "dfdb_multiplier": 0.007287},
        {"kind": "bound", "id": "body.height", "bound": "lower", "units": "mm",
         "value": 1650.0, "dfdb_multiplier": 0.2307},
        {"kind": "constraint", "id": "study:body:cargo_length.lower", "bound": "lower",
         "units": "mm", "value": 10.0, "dfdb_multiplier": 0.0039}]))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("active:")]
    assert lines[0] == ("active: fmvss:fmvss301.rear_crush_space (margin at its required "
                        "0 mm), d mass:curb / d required margin = 0.007287 kg/mm")
    assert lines[1] == "active: body.height (lower bound), d mass:curb / d bound = 0.2307 kg/mm"
    assert lines[2].startswith("active: study:body:cargo_length.lower (margin at its "
                               "required 10 mm), d mass:curb / d required margin = ")
