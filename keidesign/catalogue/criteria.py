"""Test criteria that rule packs bound and no model computes yet.

Registering them makes a rule pack's quantity a checked name: a typo
(``body:lenght``) is an error with the nearest registered name, while these, which
are known quantities of the federal tests (FMVSS 214 side dummies, FMVSS 301 fuel
spillage), are reported "not-modelled" until a discipline computes them (issue 14). The
FMVSS 208 dummy criteria are computed since issue 14 deliverable 3
(:mod:`keidesign.crash.occupant`, registered in :mod:`keidesign.catalogue.crash`). Each
description gives the test and the dummy.
"""

from keidesign.registry import register

__all__ = ["NOT_MODELLED", "why_not_modelled"]

#: Why each group of these criteria is not computed yet: printed beside the criterion
#: (``keidesign evaluate``, JSON ``reason``). Longest matching quantity prefix wins.
WHY_NOT_MODELLED = {
    "crash:side:": "needs measured values to fit: NHTSA's NCAP data has no SID-IIs "
                   "lower-spine acceleration and its pole test uses the SID-IIs only "
                   "(keidesign.crash.side_occupant computes the other side criteria)",
    "crash:rear:fuel_spill": "needs a fuel-system integrity model (tank, filler neck, "
                             "lines); the rear impact gives the crush against "
                             "body:rear_crush_to_storage only (fmvss301.rear_crush_space)",
}

#: The registered criteria no model computes: a rule pack's record of one is
#: "not-modelled", with its reason (:func:`why_not_modelled`).
NOT_MODELLED: list[str] = []


def _not_modelled(name: str, units: str, desc: str, **kw) -> None:
    register(name, units, f"Not modelled yet. {desc}", **kw)
    NOT_MODELLED.append(name)


#: FMVSS 301 applies to vehicles using fuel of boiling point above 0 degC (49 CFR 571.301
#: S3, as commonly quoted [R]); an electric vehicle's electrolyte spillage is FMVSS 305's
#: (49 CFR 571.305 [R]), whose own limits no pack carries: a BEV's fuel-spillage record is
#: not-applicable, not "not modelled". What is judged of FMVSS 305 is the battery's
#: clearance to the crush of the same rear and side impacts, as a model proxy
#: (``fmvss301.rear_crush_space``, ``fmvss301.side_crush_space``): the reason says both
_FUEL = {"when": ("powertrain:type", "ice"),
         "when_why": "a BEV carries no fuel; FMVSS 305 (49 CFR 571.305, electrolyte "
                     "spillage and electrical isolation after the same crash tests) "
                     "applies instead: its spillage and isolation limits are not judged "
                     "(no rule pack carries them); the battery's clearance to the rear and "
                     "side crush is, as a model proxy, by fmvss301.rear_crush_space and "
                     "fmvss301.side_crush_space"}


_not_modelled("crash:side:mdb:sid2s:lower_spine_accel", "m/s**2",
              "MDB test, SID-IIs 5th female: lower spine resultant acceleration <= 82 g")
_not_modelled("crash:side:pole:es2re:hic36", "unitless",
              "Oblique pole test, ES-2re 50th male: HIC36 <= 1000")
_not_modelled("crash:side:pole:es2re:rib_deflection", "mm",
              "Oblique pole test, ES-2re 50th male: any rib deflection <= 44 mm")
_not_modelled("crash:side:pole:es2re:abdominal_force", "kN",
              "Oblique pole test, ES-2re 50th male: sum of abdominal forces <= 2.5 kN")
_not_modelled("crash:side:pole:es2re:pubic_force", "kN",
              "Oblique pole test, ES-2re 50th male: pubic symphysis force <= 6 kN")
_not_modelled("crash:side:pole:sid2s:lower_spine_accel", "m/s**2",
              "Oblique pole test, SID-IIs 5th female: lower spine resultant acceleration "
              "<= 82 g")
_not_modelled("crash:rear:fuel_spill_impact", "g",
              "Fuel spillage from impact until motion ceases <= 28 g", **_FUEL)
_not_modelled("crash:rear:fuel_spill_5min", "g",
              "Fuel spillage in the 5 minutes after motion ceases <= 142 g", **_FUEL)
_not_modelled("crash:rear:fuel_spill_rate", "g/min",
              "Fuel spillage in any 1-minute interval thereafter <= 28 g", **_FUEL)
register("crash:bumper:front:no_damage_speed", "km/h",
         "Front bumper: highest barrier-impact speed the bumper zone absorbs before the "
         "crash boxes crush (Part 581 asks 4 km/h; keidesign.crash.bumper)")
register("crash:bumper:rear:no_damage_speed", "km/h",
         "Rear bumper: as the front (the same bumper system assumed; Part 581 asks 4 km/h)")
register("crash:bumper:corner:no_damage_speed", "km/h",
         "Corners: highest equal-mass pendulum speed half the bumper zone absorbs (Part "
         "581 asks 2.4 km/h; keidesign.crash.bumper)")


def why_not_modelled(quantity: str) -> str | None:
    """The reason a registered criterion of this module is not computed yet (None for
    any other quantity)."""
    hits = [k for k in WHY_NOT_MODELLED if quantity.startswith(k)]
    return WHY_NOT_MODELLED[max(hits, key=len)] if hits else None
