"""Regulatory outputs computed from rule-pack parameters: EPA label values and CAFE target.

The model hook adds the label component (coefficients from the ``epa-label`` pack, BEV
petroleum-equivalency factor from the ``cafe-*`` pack) and, when a ``cafe-*`` pack is
chosen, the footprint target for the design's model year. Both take the group's
``n_cases`` (:mod:`keidesign.batch`): batched, they work on ``(n,)`` arrays (the
footprint rounding included) and declare no partials.
"""

from __future__ import annotations

from collections.abc import Sequence

import openmdao.api as om

from keidesign import batch
from keidesign.cafe import CafeTargetComp, cafe_coefficients
from keidesign.label import LabelComp, label_options
from keidesign.rulepacks import RulePack


def add_subsystems(group: om.Group, design, packs: Sequence[RulePack] = (), *,
                   round_footprint: bool = False) -> None:
    """Model hook: label and CAFE-target subsystems."""
    n = batch.n_cases(group)
    label_pack = next((p for p in packs if p.id == "epa-label"), None)
    cafe_pack = next((p for p in packs if "cafe" in p.params), None)
    group.add_subsystem(
        "label", LabelComp(**label_options(label_pack, cafe_pack, design.model_year,
                                           ev=design.powertrain_type == "bev"),
                          n_cases=n),
        promotes=["*"])
    if cafe_pack is not None:
        coeffs = cafe_coefficients(cafe_pack, design.model_year)
        group.add_subsystem("cafe", CafeTargetComp(**coeffs, round_footprint=round_footprint,
                                                   n_cases=n),
                            promotes=["*"])
