"""Regulatory outputs computed from rule-pack parameters: EPA label values, CAFE and GHG targets.

The model hook adds the label component (coefficients from the ``epa-label`` pack, BEV
petroleum-equivalency factor from the ``cafe-*`` pack) and, when a ``cafe-*`` pack sets a
target for the design's model year, the footprint target for that year. Both take the
group's ``n_cases`` (:mod:`keidesign.batch`): batched, they work on ``(n,)`` arrays (the
footprint rounding included) and declare no partials.

Model years a pack's table does not cover (49 CFR 531.5(c) Table 3 lists MY2012-2031;
MY2011 uses the different curve of 531.5(b)) get no target: :func:`not_applicable_packs`
gives the reason per pack, and :mod:`keidesign.evaluation` reports that pack's
constraints ``not-applicable`` with it (neither pass nor fail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import openmdao.api as om

from keidesign import batch
from keidesign.cafe import CafeTargetComp, cafe_coefficients, cafe_not_applicable
from keidesign.ghg import GhgTargetComp, ghg_coefficients, ghg_not_applicable
from keidesign.label import LabelComp, label_options
from keidesign.rulepacks import RulePack

__all__ = ["add_subsystems", "not_applicable_packs"]


def not_applicable_packs(packs: Sequence[RulePack], model_year: int) -> dict[str, str]:
    """Pack id -> reason, for each year-indexed pack with no row for ``model_year``.

    A pack is year-indexed when it has ``[params.cafe]`` with
    ``[[params.cafe.passenger_car]]`` rows; the reason reads
    ``"no MY2011 row in cafe-2024 (MY2012-2031)"``.
    """
    out: dict[str, str] = {}
    for p in packs:
        cafe = p.params.get("cafe")
        if isinstance(cafe, Mapping) and "passenger_car" in cafe:
            reason = cafe_not_applicable(p, model_year)
            if reason:
                out[p.id] = reason
        ghg = p.params.get("ghg")
        if isinstance(ghg, Mapping) and "passenger_car" in ghg:
            reason = ghg_not_applicable(p, model_year)
            if reason:
                out[p.id] = reason
    return out


def add_subsystems(group: om.Group, design, packs: Sequence[RulePack] = (), *,
                   round_footprint: bool = False) -> None:
    """Model hook: label and CAFE-target subsystems.

    The CAFE target comes from the first ``cafe`` pack that has a row for the design's
    model year; with none, ``cafe:target_mpg`` is not computed.
    """
    n = batch.n_cases(group)
    label_pack = next((p for p in packs if p.id == "epa-label"), None)
    cafe_packs = [p for p in packs if "cafe" in p.params]
    skip = not_applicable_packs(cafe_packs, design.model_year)
    cafe_pack = next((p for p in cafe_packs if p.id not in skip), None)
    pef_pack = cafe_pack or next(iter(cafe_packs), None)
    group.add_subsystem(
        "label", LabelComp(**label_options(label_pack, pef_pack, design.model_year,
                                           ev=design.powertrain_type == "bev"),
                          n_cases=n),
        promotes=["*"])
    ghg_packs = [p for p in packs if "ghg" in p.params]
    ghg_skip = not_applicable_packs(ghg_packs, design.model_year)
    ghg_pack = next((p for p in ghg_packs if p.id not in ghg_skip), None)
    if ghg_pack is not None:
        group.add_subsystem("ghg", GhgTargetComp(**ghg_coefficients(ghg_pack,
                                                                    design.model_year),
                                                 round_footprint=round_footprint,
                                                 n_cases=n), promotes=["*"])
    if cafe_pack is not None:
        coeffs = cafe_coefficients(cafe_pack, design.model_year)
        group.add_subsystem("cafe", CafeTargetComp(**coeffs, round_footprint=round_footprint,
                                                   n_cases=n),
                            promotes=["*"])
