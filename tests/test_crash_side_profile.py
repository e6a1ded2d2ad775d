"""Side MDB crush along the car at the energy store (keidesign.crash.side_profile,
fmvss301.side_crush_space; issue 14)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import component_problem, design_with
from openmdao.utils.assert_utils import assert_check_partials

from keidesign import batch
from keidesign.crash.side_profile import (
    MDB_FACE_WIDTH_MM,
    SideStorageCrushComp,
    crush_at_storage,
    crush_profile,
    face_span,
    impact_reference_x,
)
from keidesign.evaluation import evaluate_design, resolve_packs

VALS = {"crash:side:mdb:crush_required": 250.0, "body:wheelbase": 2460.0,
        "body:storage_front_from_front_axle": 1700.0,
        "body:storage_rear_from_front_axle": 2100.0}


def test_impact_reference_line_by_hand():
    """940 mm ahead of the wheelbase midpoint up to 2,896 mm, 508 mm behind the front
    axle above: the two rules meet at 2,896 mm (1,448 - 940 = 508)."""
    wb = np.array([2460.0, 2896.0, 3000.0])
    assert impact_reference_x(wb) == pytest.approx([1230.0 - 940.0, 508.0, 508.0])


def test_profile_flat_over_the_face_and_zero_at_the_axles():
    """Kei wheelbase 2,460 mm: the face's forward edge on the impact reference line, 290
    mm behind the front axle, so the face spans 290 to 1,966 mm; a straight rise from the
    front axle to it, the full crush over it, a straight fall to zero at the rear axle,
    none behind it."""
    wb, c = 2460.0, 200.0
    x_s, x_e = face_span(wb)
    assert (x_s, x_e) == pytest.approx((290.0, 290.0 + MDB_FACE_WIDTH_MM))
    x = np.array([0.0, 145.0, 600.0, x_e, 0.5 * (x_e + wb), wb, wb + 300.0])
    assert crush_profile(x, c, wb) == pytest.approx([0.0, 0.5 * c, c, c, 0.5 * c, 0.0, 0.0])


def test_face_placement_against_nhtsas_g6_record():
    """NHTSA's side NCAP record of the 2005 Pontiac G6 (data/crash/side_nhtsa_tests.csv):
    the barrier's centreline struck 207 mm behind the CG. The forward-edge face puts it
    within 25 mm of that; a face centred on the impact reference line would put it over
    600 mm ahead of the CG (the placement used until 4 Dec 2026)."""
    from keidesign.crash import validation as val

    g6 = next(r for r in val.load_side_nhtsa() if r["nhtsa_test_ref"] == "G50104")
    x_s, x_e = face_span(g6["wheelbase_mm"])
    centre = 0.5 * (x_s + x_e)
    model = g6["cg_behind_front_axle_mm"] - centre  # + ahead of the CG, as IMPPNT
    assert model == pytest.approx(g6["impact_point_from_cg_mm"], abs=25.0)
    centred = g6["cg_behind_front_axle_mm"] - float(impact_reference_x(g6["wheelbase_mm"]))
    assert centred - g6["impact_point_from_cg_mm"] > 600.0


def test_a_tank_far_aft_of_the_barrier_sees_less_crush():
    """The crush reaching a store falls as the store moves aft of the barrier face,
    and a store reaching under the face sees the full crush."""
    c, wb = 250.0, 2460.0
    x_e = face_span(wb)[1]
    aft = [float(crush_at_storage(c, wb, x0, x0 + 400.0)) for x0 in (1400.0, 2000.0, 2200.0)]
    assert aft[0] == pytest.approx(c)
    assert aft[0] > aft[1] > aft[2] > 0.0
    assert aft[2] == pytest.approx(c * (wb - 2200.0) / (wb - x_e))


def test_largest_crush_over_the_store_by_sampling():
    """crush_at_storage is the profile's maximum over the store's stretch, wherever the
    stretch lies (ahead of a long car's face, across it, behind it)."""
    for wb in (2000.0, 2460.0, 3000.0, 3900.0):
        for x0, x1 in ((50.0, 300.0), (700.0, 1500.0), (1500.0, 1900.0), (0.0, wb)):
            xs = np.linspace(x0, x1, 2001)
            assert float(crush_at_storage(180.0, wb, x0, x1)) == pytest.approx(
                crush_profile(xs, 180.0, wb).max(), abs=0.2)


def test_partials():
    prob = component_problem(SideStorageCrushComp(), VALS)
    assert_check_partials(prob.check_partials(method="cs", out_stream=None),
                          atol=1e-8, rtol=1e-8)


def test_batched_cases_are_the_closed_form_case_by_case():
    """n cases in one component: each case is the closed form of its own inputs."""
    x0 = np.array([1500.0, 2000.0, 2100.0])
    vals = {**{k: np.full(x0.size, v) for k, v in VALS.items()},
            "body:storage_front_from_front_axle": x0,
            "body:storage_rear_from_front_axle": x0 + 300.0}
    got = component_problem(SideStorageCrushComp(**{batch.OPTION: x0.size}), vals).get_val(
        "crash:side:mdb:crush_at_storage")
    want = [float(crush_at_storage(250.0, 2460.0, a, a + 300.0)) for a in x0]
    assert got == pytest.approx(want, rel=1e-12)
    assert want[0] > want[1] > want[2]


def _side(design):
    ev = evaluate_design(design, resolve_packs(["fmvss"]))
    o = {k: float(v[0]) for k, v in ev.outputs.items()}
    margin = {c["id"]: c["margin"] for c in ev.constraints}["fmvss:fmvss301.side_crush_space"]
    return o, margin


def test_pack_between_the_sills_sees_the_sills_intrusion_and_a_rear_pack_less():
    """Sakura class: the under-floor pack, centred between the axles, lies under the
    barrier face: the sill over it is pushed in by the side's whole crush (the floor
    cross-members crush through it), so the pack sees the crush needed; placed behind the
    rear seat the same pack sees less, and the rule pack compares that crush with the
    side skin to the pack."""
    under, m_under = _side(design_with("sakura_class"))
    rear, m_rear = _side(design_with("sakura_class", {"body.battery_placement": "rear"}))
    assert under["crash:side:mdb:crush_at_storage"] == pytest.approx(
        under["crash:side:mdb:crush_required"], rel=1e-12)
    assert rear["crash:side:mdb:crush_at_storage"] < 0.5 * rear["crash:side:mdb:crush_required"]
    for o, m in ((under, m_under), (rear, m_rear)):
        assert m == pytest.approx(o["body:side_crush_to_storage"]
                                  - o["crash:side:mdb:crush_at_storage"], abs=1e-6)


def test_tank_ahead_of_the_rear_axle_lies_under_the_face():
    """Alto class (ICE, wheelbase 2,460 mm): the tank, which ends 40 mm ahead of the rear
    arch, starts ahead of the face's rear end (1,966 mm), so its sill is pushed in by the
    whole crush needed; moved 200 mm aft of that end it would see the taper only."""
    o, _ = _side(design_with("alto_class"))
    x0 = o["body:storage_front_from_front_axle"]
    x_e = face_span(2460.0)[1]
    assert x0 < x_e
    c = o["crash:side:mdb:crush_required"]
    assert o["crash:side:mdb:crush_at_storage"] == pytest.approx(c, rel=1e-12)
    assert float(crush_at_storage(c, 2460.0, x_e + 200.0, x_e + 400.0)) == pytest.approx(
        c * (2460.0 - x_e - 200.0) / (2460.0 - x_e))
