"""Structural materials for crash members: flow stress, density, strain-rate constants.

Flow stress sigma_0 = (yield + ultimate) / 2, the usual energy-equivalent flow stress
of the superfolding-element theory (Abramowicz & Jones, Int. J. Impact Eng. 2(2),
1984, 179-208). Strengths are typical minimum values of the grades:

* mild steel (SPCC / DC04-class): 210 / 340 MPa;
* HSLA 340 (e.g. HC340LA): 340 / 440 MPa;
* DP 590 and DP 780 dual-phase: 350 / 600 and 500 / 800 MPa
  (WorldAutoSteel, *Advanced High-Strength Steel Application Guidelines* v7, 2021);
* DP 980 dual-phase: 700 / 980 MPa and press-hardened boron steel (22MnB5,
  hot-stamped): 1100 / 1500 MPa, typical minima of the grades as quoted by
  WorldAutoSteel, *AHSS Application Guidelines* v7 (2021) [R: as commonly quoted];
  used for pillars, door beams and floor cross-members;
* aluminium 6061-T6: 276 / 310 MPa (ASM Handbook Vol. 2, 1990).

Young's modulus (the plate buckling of :func:`keidesign.crash.members.box_hinge_moment`):
210 GPa for the steels (EN 1993-1-1 3.2.6), 68.9 GPa for 6061-T6 (ASM Handbook Vol. 2,
1990) [R: handbook values].

Cowper-Symonds constants D (1/s), q: mild steel 40.4, 5 and aluminium alloy
6500, 4 (N. Jones, *Structural Impact*, Cambridge Univ. Press 1989, Sec. 8.3); for the
high-strength grades 802, 3.585, the pair commonly quoted for high-tensile steel [R:
to check against the primary source in the crash issue]. The mild-steel pair would
overstate the rate effect of AHSS grades, whose rate sensitivity is lower.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Material", "MATERIALS", "material"]


@dataclass(frozen=True)
class Material:
    """A sheet material grade.

    Attributes:
        name: grade id used in design files.
        yield_mpa, uts_mpa: yield and ultimate tensile strength, MPa.
        density: kg/m**3.
        cs_d: Cowper-Symonds D, 1/s.
        cs_q: Cowper-Symonds exponent q (-).
        e_mpa: Young's modulus, MPa.
    """

    name: str
    yield_mpa: float
    uts_mpa: float
    density: float
    cs_d: float
    cs_q: float
    e_mpa: float = 210000.0

    @property
    def flow_stress_mpa(self) -> float:
        """Energy-equivalent flow stress (yield + UTS)/2, MPa."""
        return 0.5 * (self.yield_mpa + self.uts_mpa)


_MILD = {"density": 7850.0, "cs_d": 40.4, "cs_q": 5.0}
_HSS = {"density": 7850.0, "cs_d": 802.0, "cs_q": 3.585}

MATERIALS: dict[str, Material] = {
    m.name: m
    for m in (
        Material("mild_steel", 210.0, 340.0, **_MILD),
        Material("hsla_340", 340.0, 440.0, **_HSS),
        Material("dp_590", 350.0, 600.0, **_HSS),
        Material("dp_780", 500.0, 800.0, **_HSS),
        Material("dp_980", 700.0, 980.0, **_HSS),
        Material("hot_stamped_1500", 1100.0, 1500.0, **_HSS),
        Material("al_6061_t6", 276.0, 310.0, density=2700.0, cs_d=6500.0, cs_q=4.0,
                 e_mpa=68900.0),
    )
}


def material(name: str) -> Material:
    """The material grade ``name`` (``KeyError`` listing the known grades)."""
    try:
        return MATERIALS[name]
    except KeyError:
        raise KeyError(f"unknown material {name!r}; known: {', '.join(MATERIALS)}") from None
