"""The imported US hatch/sedan's front seat (task s38b, refitted by task s38h): H30 =
312 + 0.328 (H - 1,500) mm with H clamped to 1,394-1,669 mm and L53 = 789 mm, written as assumed
keys with their basis; a kei import keeps the registry's seat (docs/geometry.md, "The
leg-room floor and the published-packaging seat law")."""

from __future__ import annotations

from unittest import mock

import pytest

from keidesign.specs import build, sources


def _tables(file: str, model: str, generation: str | None = None) -> dict:
    vr = next(v for v in sources.vehicle_rows(file) if v.row["model"] == model
              and (generation is None or v.row.get("generation") == generation))
    none = lambda *a, **k: None  # noqa: E731 - the model runs left out
    with mock.patch.multiple(build, _restraint_table=none, _predicted_roof_table=none,
                             _model_masses=lambda *a, **k: []):
        _, tables = build.build_design(sources.row_spec(vr))
    return {t.name: {e.key: e for e in t.entries} for t in tables}


@pytest.mark.parametrize(("model", "generation", "h30"), [
    ("SOUL", "AM (1st gen)", 348.0),        # 1,610 mm: 312 + 0.328 x 110 = 348.1
    ("MX-5", "ND (4th gen) 2.0", 277.0),    # 1,224 mm, clamped to 1,394: 277.2
    ("NISSAN CUBE 1.8 S", "Z12 (3rd gen)", 367.0),   # 1,669 mm: 367.4
])
def test_us_hatch_import_writes_the_fitted_seat(model, generation, h30):
    t = _tables("us_specs", model, generation)
    assert t["body"]["style"].value == "hatch"
    l53, seat = t["body"]["hpoint_to_heel"], t["body.hatch"]["seat_height"]
    assert l53.value == 789.0 and l53.assumed
    assert "task" in l53.note and "s38h" in l53.note and "L53 = 789" in l53.note
    assert seat.value == h30 and seat.assumed and "H30 = 312 + 0.328" in seat.note
    assert ("clamped" in seat.note) == (model == "MX-5")


def test_kei_import_keeps_the_registry_seat():
    t = _tables("kei", "Honda N-Box")
    assert "hpoint_to_heel" not in t["body"]
    assert all("seat_height" not in t[n] for n in t if n.startswith("body."))


@pytest.mark.parametrize("height", [float("nan"), float("inf"), 0.0, -1500.0])
def test_import_seat_refuses_a_height_that_is_no_body_height(height):
    """A careless height (NaN from an empty cell, inf, 0, negative) is named, not clamped
    to a seat nor left to fail in ``round`` (task s38r: NaN gave "cannot convert float NaN
    to integer", inf and 0 a plausible 367 / 277 mm seat)."""
    with pytest.raises(ValueError, match="body height"):
        build.import_seat(height)


def test_import_seat_clamps_at_both_ends_and_says_so():
    lo, hi = build.IMPORT_SEAT_HEIGHTS_MM
    assert build.import_seat(2600.0)[0] == build.import_seat(hi)[0] == 367.0
    assert build.import_seat(1000.0)[0] == build.import_seat(lo)[0] == 277.0
    assert "clamped to 1669" in build.import_seat(2600.0)[2]
    assert "clamped" not in build.import_seat(hi)[2]
