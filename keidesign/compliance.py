"""Regulatory outputs computed from rule-pack parameters: EPA label values, CAFE and GHG targets.

The model hook adds the label component (coefficients from the ``epa-label`` pack, BEV
petroleum-equivalency factor from the ``cafe-*`` pack) and, when a ``cafe-*`` pack sets a
target for the design's model year, the footprint target for that year. Both take the
group's ``n_cases`` (:mod:`keidesign.batch`): batched, they work on ``(n,)`` arrays (the
footprint rounding included) and declare no partials.

The fleet (:func:`design_fleet`) picks the table: a truck-style design
(``body.style = "truck"``, an open cargo bed: a light truck, 49 CFR 523.5(a)(3), as
:mod:`keidesign.classification` classifies it) takes its CAFE and GHG targets from the
packs' ``light_truck`` tables (49 CFR 533.5(a) Table 7; the light-truck table of
40 CFR 86.1818-12), every other design from the ``passenger_car`` tables.

Model years a pack's table does not cover (49 CFR 531.5(c) Table 3 lists MY2012-2031;
MY2011 uses the different curve of 531.5(b); the light-truck CAFE tables carried here
list MY2021-2026 in ``cafe-2022`` and MY2021-2031 in ``cafe-2024``, its MY2027-2031 rows
derived) get no target: :func:`not_applicable_packs` gives the reason per
pack, and :mod:`keidesign.evaluation` reports that pack's constraints ``not-applicable``
with it (neither pass nor fail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openmdao.core.group import Group

from keidesign import batch
from keidesign.cafe import (
    CafeTargetComp,
    cafe_coefficients,
    cafe_not_applicable,
    cafe_target_mpg,
    cafe_years,
    round_footprint,
)
from keidesign.ghg import (
    GhgTargetComp,
    ghg_coefficients,
    ghg_not_applicable,
    ghg_target,
    ghg_years,
)
from keidesign.label import LabelComp, label_options
from keidesign.rulepacks import RulePack

__all__ = ["TARGETS", "add_subsystems", "design_fleet", "not_applicable_packs", "pack_targets"]

_TABLES = ("passenger_car", "light_truck")

#: The model variable (and its units) each year-indexed program's target is computed in.
#: The model computes it once, from the first pack that sets one (:func:`add_subsystems`);
#: :func:`pack_targets` gives every pack its own.
TARGETS = {"cafe": ("cafe:target_mpg", "mi/galUS"), "ghg": ("ghg:target_co2", "g/mi")}


def design_fleet(design: Any) -> str:
    """``"light_truck"`` for a truck-style design (``body:style`` = ``"truck"``: an open
    cargo bed, 49 CFR 523.5(a)(3)), ``"passenger_car"`` otherwise."""
    values = getattr(design, "values", None) or {}
    return "light_truck" if values.get("body:style") == "truck" else "passenger_car"


def not_applicable_packs(packs: Sequence[RulePack], model_year: int,
                         fleet: str = "passenger_car") -> dict[str, str]:
    """Pack id -> reason, for each year-indexed pack with no ``fleet`` row for
    ``model_year``.

    A pack is year-indexed when it has ``[params.cafe]`` (or ``[params.ghg]``) with
    ``[[params.cafe.passenger_car]]`` or ``[[params.cafe.light_truck]]`` rows; the reason
    reads ``"no MY2011 row in cafe-2024 (MY2012-2031)"``, for a light truck
    ``"no MY2027 row in cafe-2022 light-truck table (params.cafe.light_truck:
    MY2021-2026)"`` (or, for a pack without that table, that it has none). Every table
    the pack has is checked, whatever the fleet (a bad light-truck row is one
    :class:`~keidesign.errors.InputError` line for a car too).
    """
    out: dict[str, str] = {}
    checks = {"cafe": (cafe_years, cafe_not_applicable),
              "ghg": (ghg_years, ghg_not_applicable)}
    for p in packs:
        for program, (years, why) in checks.items():
            section = p.params.get(program)
            if not (isinstance(section, Mapping) and any(t in section for t in _TABLES)):
                continue
            for table in _TABLES:
                if table in section:
                    years(p, table)  # raises on a bad row
            if fleet == "passenger_car" and "passenger_car" not in section:
                reason = f"{p.id} has no passenger-car table (params.{program}.passenger_car)"
            else:
                reason = why(p, model_year, fleet)
            if reason:
                out[p.id] = reason
    return out


def pack_targets(packs: Sequence[RulePack], model_year: int, fleet: str,
                 footprint_ft2: float) -> dict[str, dict[str, tuple[float, str]]]:
    """Pack id -> ``{target variable: (value, units)}``: each pack's *own* CAFE (GHG)
    target for ``model_year`` and ``fleet`` at ``footprint_ft2``, rounded as the model
    rounds it (49 CFR 531.5(c): footprint to 0.1 ft2; the sloped GHG target to 0.1 g/mi).

    The model computes one ``cafe:target_mpg`` (``ghg:target_co2``), from the first pack
    with a row (:func:`add_subsystems`); judged against it, a second pack of the same
    program (``cafe-2024`` and ``safe-iii`` in one evaluation) would be held to the first
    pack's target. The evaluation judges each pack's ``cafe.target`` (``ghg.target``)
    against the value given here (the same functions as the model's components, so the
    first pack's equals the model's). A pack without a row for the year (its reason in
    :func:`not_applicable_packs`) gets no entry for that program."""
    out: dict[str, dict[str, tuple[float, str]]] = {}
    fp = float(round_footprint(float(footprint_ft2)))
    calc = {"cafe": lambda p: float(cafe_target_mpg(fp, **cafe_coefficients(
                p, model_year, fleet))),
            "ghg": lambda p: float(ghg_target(fp, **ghg_coefficients(p, model_year, fleet),
                                              rounded=True))}
    for program, (name, units) in TARGETS.items():
        with_table = [p for p in packs if program in p.params]
        skip = not_applicable_packs(with_table, model_year, fleet)
        for p in with_table:
            if p.id not in skip:
                out.setdefault(p.id, {})[name] = (calc[program](p), units)
    return out


def add_subsystems(group: Group, design, packs: Sequence[RulePack] = (), *,
                   round_footprint: bool = False) -> None:
    """Model hook: label and CAFE-target subsystems.

    The CAFE (GHG) target comes from the first ``cafe`` (``ghg``) pack that has a row of
    the design's fleet (:func:`design_fleet`) for its model year; with none,
    ``cafe:target_mpg`` (``ghg:target_co2``) is not computed. The label coefficients come
    from the first pack with a ``[params.label]`` table (``epa-label``, or a user's pack
    of another id: it was ignored, the module constants used), else the constants of
    :mod:`keidesign.label`.
    """
    n = batch.n_cases(group)
    fleet = design_fleet(design)
    label_pack = next((p for p in packs if isinstance(p.params.get("label"), Mapping)),
                      None)
    cafe_packs = [p for p in packs if "cafe" in p.params]
    skip = not_applicable_packs(cafe_packs, design.model_year, fleet)
    cafe_pack = next((p for p in cafe_packs if p.id not in skip), None)
    pef_pack = cafe_pack or next(iter(cafe_packs), None)
    group.add_subsystem(
        "label", LabelComp(**label_options(label_pack, pef_pack, design.model_year,
                                           ev=design.powertrain_type == "bev"),
                          n_cases=n),
        promotes=["*"])
    ghg_packs = [p for p in packs if "ghg" in p.params]
    ghg_skip = not_applicable_packs(ghg_packs, design.model_year, fleet)
    ghg_pack = next((p for p in ghg_packs if p.id not in ghg_skip), None)
    if ghg_pack is not None:
        group.add_subsystem("ghg", GhgTargetComp(**ghg_coefficients(ghg_pack,
                                                                    design.model_year,
                                                                    fleet),
                                                 round_footprint=round_footprint,
                                                 n_cases=n), promotes=["*"])
    if cafe_pack is not None:
        coeffs = cafe_coefficients(cafe_pack, design.model_year, fleet)
        group.add_subsystem("cafe", CafeTargetComp(**coeffs, round_footprint=round_footprint,
                                                   n_cases=n),
                            promotes=["*"])
