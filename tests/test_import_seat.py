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
    stubs = [mock.patch.object(build, n, lambda *a, **k: None)
             for n in ("_restraint_table", "_predicted_roof_table")]
    stubs.append(mock.patch.object(build, "_model_masses", lambda *a, **k: []))
    for s in stubs:
        s.start()
    try:
        _, tables = build.build_design(sources.row_spec(vr))
    finally:
        for s in stubs:
            s.stop()
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
