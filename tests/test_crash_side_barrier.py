"""The side barrier as an input of the side load case (issue 14, task s12h9).

Every face bends the door beams and the B-pillar, whose ends turn against the sill's and
the roof rail's plastic torque (one joint law for both load cases since 4 Dec 2026, task
s13h5); a face reaching below the sill's top (the FMVSS 214 MDB on every default design)
also crushes the floor cross-members through the sill (keidesign/crash/side.py, "Which
face loads what" and "One joint law").
"""

from __future__ import annotations

import numpy as np
import pytest
from openmdao.utils.assert_utils import assert_near_equal

from keidesign import variables as reg
from keidesign.crash import side
from keidesign.crash import validation as val
from keidesign.crash.members import box_plastic_moment, box_torsion_moment
from keidesign.errors import InputError
from keidesign.materials import material
from tests.conftest import run_comp


def _defaults() -> dict:
    return val.default_side_structure()


def test_barriers_from_their_sources():
    """FMVSS 214: 1,368 kg, 54 km/h crabbed 27 deg, face 279-838 mm; IIHS (2003-2020):
    1,500 kg, 50 km/h square, face 379-1,138 mm (side_iihs_program.csv)."""
    f, i = side.FMVSS_MDB, val.iihs_barrier()
    assert (f.mass_kg, f.speed_kmh, f.crab_deg) == (1368.0, 54.0, 27.0)
    assert (f.face_bottom_mm, f.face_top_mm) == (279.0, 838.0)
    assert (i.mass_kg, i.speed_kmh, i.crab_deg) == (1500.0, 50.0, 0.0)
    assert (i.face_bottom_mm, i.face_top_mm) == (379.0, 1138.0)
    assert f.lateral_speed == pytest.approx(54.0 / 3.6 * np.cos(np.radians(27.0)), rel=1e-15)
    assert i.lateral_speed == pytest.approx(50.0 / 3.6, rel=1e-15)


def test_engagement_by_height():
    sill_top = float(reg.get(side.SILL_TOP_KEY).default)
    assert side.engages_sill(side.FMVSS_MDB, sill_top)
    assert not side.engages_sill(val.iihs_barrier(), sill_top)
    assert side.engages_sill(val.iihs_barrier(), 400.0)
    assert not side.engages_sill(side.FMVSS_MDB, 250.0)
    assert list(side.engages_sill(val.iihs_barrier(), np.array([300.0, 420.0]))) == [False, True]


@pytest.mark.parametrize(("key", "value"), [("mass_kg", 0.0), ("speed_kmh", -5.0),
                                            ("crab_deg", 90.0), ("face_height_mm", 0.0),
                                            ("face_ground_clearance_mm", -1.0)])
def test_bad_barrier_is_refused(key, value):
    args = {"name": "test", "mass_kg": 1500.0, "speed_kmh": 50.0, "crab_deg": 0.0,
            "face_ground_clearance_mm": 379.0, "face_height_mm": 759.0, key: value}
    lo, hi = side.SideBarrier.RANGES[key]
    with pytest.raises(InputError, match=rf"'test' {key}: {value!r}; allowed: {lo:g} to {hi:g}"):
        side.SideBarrier(**args)


def _pillar_by_hand(g: dict, grades: tuple, v: float) -> tuple[float, list[float], float]:
    """The B-pillar's M_p and its end moments at the sill and roof rail (N m), from the
    section formulas (T_p = 2 h d t sigma_0 / sqrt 3, rate factor at half the closing
    speed ``v``, m/s), and its length L_B (m)."""
    mat, mat_s, mat_r = (material(k) for k in grades)
    mm = 1e-3

    def dyn(m, depth):
        return 1.0 + (0.33 * 0.5 * v / depth / m.cs_d) ** (1.0 / m.cs_q)

    m_p = box_plastic_moment(mat.flow_stress_mpa * 1e6, *(g[f"crash:side:b_pillar_{k}"] * mm
                                                         for k in ("width", "depth",
                                                                   "thickness"))) \
        * dyn(mat, g["crash:side:b_pillar_depth"] * mm)
    ends = []
    for key, m in (("sill", mat_s), ("roof_rail", mat_r)):
        h, dd, t = (g[f"crash:side:{key}_{k}"] * mm for k in ("height", "depth", "thickness"))
        t_p = 2.0 * h * dd * t * m.flow_stress_mpa * 1e6 / np.sqrt(3.0)
        assert box_torsion_moment(m.flow_stress_mpa * 1e6, h, dd, t) == pytest.approx(t_p)
        ends.append(min(m_p, 2.0 * t_p * dyn(m, dd)))
    return m_p, ends, side.PILLAR_HEIGHT_FRACTION * g["body:height"] * mm


def test_fmvss_face_adds_the_cross_members_to_the_same_pillar():
    """One joint law: under the FMVSS 214 face (reaching the sill) the force is the door
    beams + the B-pillar with its ends at the sill's and roof rail's torque + the
    cross-members through the sill; the pillar term is the one a face above the sill
    gets at the same speed, below the built-in 8 M_p / L_B of before (the default
    structure's sill and roof rail turn under the pillar's M_p); moving the sill top
    anywhere above the face's lower edge changes nothing."""
    d = _defaults()
    g, mats = d["g"], tuple(material(k) for k in d["grades"])
    v_l = side.FMVSS_MDB.lateral_speed
    f_db, f_b, p_cm = side.member_forces(g, mats[0], v_l)
    m_p, ends, l_b = _pillar_by_hand(g, d["grades"], v_l)
    pillar = 2.0 * (ends[0] + ends[1] + 2.0 * m_p) / l_b
    want = d["n_door_beams"] * f_db + pillar + d["n_cross_members"] * p_cm
    got = val.structure_side_force_kn(**d, barrier=side.FMVSS_MDB)
    assert got["engages_sill"] and got["b_pillar"] == pytest.approx(pillar * 1e-3, rel=1e-12)
    above = side.SideBarrier("FMVSS face above the sill", side.MDB_MASS_KG,
                             side.MDB_SPEED_KMH, side.MDB_CRAB_DEG,
                             g[side.SILL_TOP_KEY] + 1.0, side.MDB_FACE_HEIGHT_MM)
    assert val.structure_side_force_kn(**d, barrier=above)["b_pillar"] == got["b_pillar"]
    assert 0.5 * f_b < pillar < 0.8 * f_b  # f_b = 8 M_p / L_B
    for top in (280.0, 330.0, 378.0, 600.0):
        prob = run_comp(side.SideImpactComp(), **{"mass:curb": 900.0, "body:height": 1500.0,
                                                  side.SILL_TOP_KEY: top})
        assert_near_equal(prob.get_val("crash:side:force", units="N"), want, 1e-12)


def test_face_above_the_sill_bends_door_beams_and_pillar_against_the_sill_torque():
    """Above the sill: n_db 4 M_p/L_db + 2 (M_s + M_r + 2 M_p)/L_B, the end moments the
    sill's and roof rail's plastic torque on both sides of the joint (T_p = 2 h d t
    sigma_0 / sqrt 3, rate factor at half the closing speed), capped at the pillar's
    M_p; no cross-member crush. Between the pinned (4 M_p/L_B) and built-in (8 M_p/L_B)
    pillar."""
    d = _defaults()
    g, grades = d["g"], d["grades"]
    barrier = val.iihs_barrier()
    v = barrier.lateral_speed
    f_db, f_b, _ = side.member_forces(g, material(grades[0]), v)
    m_p, ends, l_b = _pillar_by_hand(g, grades, v)
    want = d["n_door_beams"] * f_db + 2.0 * (ends[0] + ends[1] + 2.0 * m_p) / l_b
    got = val.structure_side_force_kn(**d, barrier=barrier)
    assert got["force"] == pytest.approx(want * 1e-3, rel=1e-12)
    assert got["cross_members"] == 0.0 and not got["engages_sill"]
    pinned, built = 4.0 * m_p / l_b, f_b  # f_b = 8 M_p / L_B
    assert pinned < got["b_pillar"] * 1e3 < built
    # a sill and roof rail stiff in torsion give the built-in pillar back
    stiff = dict(g, **{"crash:side:sill_thickness": 6.0, "crash:side:roof_rail_thickness": 6.0,
                       "crash:side:roof_rail_height": 150.0, "crash:side:roof_rail_depth": 150.0})
    f_stiff = val.structure_side_force_kn(**dict(d, g=stiff), barrier=barrier)
    assert f_stiff["b_pillar"] == pytest.approx(built * 1e-3, rel=1e-12)


def test_component_uses_the_bending_branch_when_the_fmvss_face_clears_the_sill():
    d = _defaults()
    low = dict(d["g"], **{side.SILL_TOP_KEY: 250.0})
    want = val.structure_side_force_kn(**dict(d, g=low), barrier=side.FMVSS_MDB)["force"]
    prob = run_comp(side.SideImpactComp(), **{"mass:curb": 900.0, "body:height": 1500.0,
                                              side.SILL_TOP_KEY: 250.0})
    assert_near_equal(prob.get_val("crash:side:force", units="kN"), want, 1e-12)
    assert want < val.side_force_kn()
