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


def test_the_not_impacted_note_says_it_was_the_start_point():
    """OpenMDAO checks once, at the driver's first derivatives (the start), which margins
    no design variable moves, and says 'at the current design point'. A new user's BEV
    study (battery energy and rail wall, task s35f) printed under its optimum 'note: ...
    cannot be impacted by the design variables ... at the current design point:
    margin:fmvss:fmvss208_dash_intrusion', read as the optimum, where the dash intrusion
    was 32.6 mm and moved with the wall; at the base design it was 0 (a max(0, ...)).
    The note now says which point it was about."""
    import warnings

    from openmdao.utils.om_warnings import DerivativesWarning

    from keidesign.studies.optimize import _quiet

    notes: list[str] = []
    with _quiet(notes):
        warnings.warn("The following constraints or objectives cannot be impacted by the "
                      "design variables of the problem at the current design point:\n"
                      "  margin:fmvss:fmvss208_dash_intrusion, inds=[0]\n",
                      DerivativesWarning, stacklevel=1)
    assert len(notes) == 1
    assert "at the current design point" not in notes[0], notes
    assert "at the start point, where the optimizer first computed derivatives" in notes[0]
    assert notes[0].endswith("margin:fmvss:fmvss208_dash_intrusion, inds=[0]; a margin at "
                             "a kink there (a zero intrusion, max(0, ...)) may move later")
