"""The B-pillar's ends at the roof (issue 14, task s32b; trial
``benchmarks/roof_joint_trial.py``, not shipped alone; shipped with the design era by task
s33h, ``crash.roof.b_pillar_joint_share``): the share the side structure's joint law
gives, the roof force the trial's patch makes of it, the shipped share, and the trial's
rule-1 tally."""

from __future__ import annotations

import math

import pytest
from conftest import benchmark_module

from keidesign import variables
from keidesign.crash import roof, side
from keidesign.crash.members import box_plastic_moment, box_torsion_moment
from keidesign.materials import material

GRADES = {"crash:side:material": "dp_980", "crash:side:sill_material": "mild_steel",
          "crash:side:roof_rail_material": "mild_steel"}


def _defaults() -> dict:
    trial = benchmark_module("roof_joint_trial")
    return {k: float(variables.get(k).default) for k in trial.SECTION_KEYS} | GRADES


def _by_hand(g: dict) -> tuple[float, float, float]:
    """(M_p,B, M_s, M_r) in N m from the members' closed forms, quasi-static."""
    mm = 1e-3
    sig = {k: material(v).flow_stress_mpa * 1e6 for k, v in GRADES.items()}
    m_p = box_plastic_moment(sig["crash:side:material"], g["crash:side:b_pillar_width"] * mm,
                             g["crash:side:b_pillar_depth"] * mm,
                             g["crash:side:b_pillar_thickness"] * mm)
    ends = []
    for key, grade in (("sill", "crash:side:sill_material"),
                       ("roof_rail", "crash:side:roof_rail_material")):
        t_p = box_torsion_moment(sig[grade], *(g[f"crash:side:{key}_{d}"] * mm
                                               for d in ("height", "depth", "thickness")))
        ends.append(min(m_p, 2.0 * t_p))
    return m_p, ends[0], ends[1]


def test_share_is_the_side_joint_law_at_rest():
    """eta_B = (min(M_p, 2 T_p,sill) + min(M_p, 2 T_p,rail)) / 2 M_p on the registry's
    sections (no rate factor), and the side model's pillar force at v = 0 holds the same
    end moments: 2 (M_s + M_r + 2 M_p) / L_B."""
    trial = benchmark_module("roof_joint_trial")
    g = _defaults()
    m_p, m_s, m_r = _by_hand(g)
    s = trial.joint_share(g)
    assert s["share"] == pytest.approx((m_s + m_r) / (2.0 * m_p))
    assert (s["m_p"], s["m_s"], s["m_r"]) == pytest.approx((m_p * 1e-3, m_s * 1e-3,
                                                            m_r * 1e-3))
    assert 0.0 < s["share"] < 1.0
    h = 1500.0
    mats = tuple(material(GRADES[k]) for k in side.MATERIAL_KEYS)
    f = side.pillar_force(g | {"body:height": h}, mats, 0.0)
    assert f == pytest.approx(2.0 * (m_s + m_r + 2.0 * m_p) / (side.PILLAR_HEIGHT_FRACTION
                                                                * h * 1e-3))


def test_share_runs_from_pinned_to_built_in():
    """Members too weak to twist leave the pillar pinned (share -> 0); members whose
    torque exceeds the pillar's M_p hold it built in (share 1)."""
    trial = benchmark_module("roof_joint_trial")
    g = _defaults()
    weak = g | {"crash:side:sill_thickness": 1e-4, "crash:side:roof_rail_thickness": 1e-4}
    strong = g | {"crash:side:sill_thickness": 50.0, "crash:side:roof_rail_thickness": 50.0}
    assert trial.joint_share(weak)["share"] < 1e-3
    assert trial.joint_share(strong)["share"] == pytest.approx(1.0)


def test_patched_share_gives_the_candidate_roof_force():
    """Inside ``b_share(eta_B)`` the roof model's force is the candidate's closed form
    2 M_p,A / (L_A sin rake) + (M_s + M_r) / (L_B sin 25 deg) (from the force at the old
    0.5), the shipped override (None since task s33h) is back after the block, and the
    shipped model gives the same force."""
    trial = benchmark_module("roof_joint_trial")
    g = _defaults()
    ins = {k: float(variables.get(k).default) for k in roof.RoofStrengthComp.INPUTS
           if k.startswith("crash:")}
    ins |= {k: g[k] for k in roof.RoofStrengthComp.INPUTS if k in g}
    ins |= {"body:height": 1500.0, "body:hood_height": 930.0, "body:windshield_rake": 60.0,
            "mass:curb": 800.0}
    comp = roof.RoofStrengthComp()
    shipped = roof.B_PILLAR_SHARE
    with trial.b_share(0.5):  # the half credited until task s33h
        f0 = comp.values(ins)["crash:roof:strength"]
    s = trial.joint_share(g)
    with trial.b_share(s["share"]):
        f1 = comp.values(ins)["crash:roof:strength"]
    assert roof.B_PILLAR_SHARE == shipped
    m_p, m_s, m_r = _by_hand(g)
    l_b = side.PILLAR_HEIGHT_FRACTION * ins["body:height"] * 1e-3
    sin25 = math.sin(math.radians(roof.ROLL_DEG))
    f_a = f0 * 1e3 - 0.5 * 2.0 * m_p / (l_b * sin25)
    assert f1 * 1e3 == pytest.approx(f_a + (m_s + m_r) / (l_b * sin25))
    # shipped since task s33h: the model's own share is the joint law (no override)
    assert shipped is None
    assert comp.values(ins)["crash:roof:strength"] == pytest.approx(f1, rel=1e-12)


def test_shipped_joint_share_is_the_side_law_quasi_static():
    """Task s33h: ``crash.roof.b_pillar_joint_share`` on the registry's sections is
    (M_s + M_r) / (2 M_p,B) of the moments worked by hand (0.320), and follows the
    sill's and roof rail's sections (weak members -> 0, strong -> 1, the pillar's own
    moment capping each end)."""
    g = _defaults()
    m_p, m_s, m_r = _by_hand(g)
    reg = {k: str(variables.get(k).default) for k in side.MATERIAL_KEYS}
    mats = (reg["crash:side:material"], reg["crash:side:sill_material"],
            reg["crash:side:roof_rail_material"])
    share, mp, ms, mr = roof.b_pillar_joint_share(g, *mats)
    assert (mp, ms, mr) == pytest.approx((m_p, m_s, m_r))
    assert share == pytest.approx((m_s + m_r) / (2.0 * m_p)) and share == pytest.approx(
        0.320, abs=0.0005)
    weak = g | {"crash:side:sill_thickness": 1e-4, "crash:side:roof_rail_thickness": 1e-4}
    strong = g | {"crash:side:sill_thickness": 50.0, "crash:side:roof_rail_thickness": 50.0}
    assert roof.b_pillar_joint_share(weak, *mats)[0] < 1e-3
    assert roof.b_pillar_joint_share(strong, *mats)[0] == pytest.approx(1.0)


def test_rule_one_needs_nine_within():
    """The tally counts |error| <= 20 % before and after; rule 1 asks at least
    ``MIN_WITHIN`` = 9 after (more than the shipped 8), whatever the MAE does."""
    trial = benchmark_module("roof_joint_trial")
    assert trial.MIN_WITHIN == 9
    nan = float("nan")
    before = [{"vehicle": str(i), "iihs_swr": 4.0, "floor": nan, "model_swr": 4.0 * (1 + e),
               "error": e, "a_pillar_mm": 1.0, "model_force_kn": 50.0}
              for i, e in enumerate([0.0] * 8 + [0.5, 0.6, 0.7])]
    one_in = [r | {"error": 0.1} if r["vehicle"] == "8" else r for r in before]
    swap = [r | {"error": 0.1} if r["vehicle"] == "8" else
            r | {"error": -0.2001} if r["vehicle"] == "0" else r for r in before]
    assert trial.judge(before, one_in)["within"] == (8, 9)
    j = trial.judge(before, swap)
    assert j["within"] == (8, 8) and j["mae"][1] < j["mae"][0]
