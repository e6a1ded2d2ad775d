"""EPA greenhouse-gas (CO2) footprint targets of passenger cars and light trucks
(40 CFR 86.1818-12).

Equation (40 CFR 86.1818-12 (c)(2) and (h) tables, passenger automobiles and light
trucks; coefficients in ``keidesign/data/regs/us_fe_ghg_targets.csv`` and, light trucks
MY2021-2026, ``light_truck_targets_added.csv``, read in the eCFR text)::

    TARGET [g/mi] = a                 for FP <= fp_low
                  = c * FP + d        between, rounded to 0.1 g/mi
                  = b                 for FP >= fp_high

with FP the footprint (ft2, 49 CFR 523.2; rounded to 0.1 ft2 as for CAFE when the model
rounds it). The compliance value is the tailpipe CO2 of the unadjusted 55/45 city/highway
combination (``energy:co2_unadj``; 0 for a BEV). Like CAFE, the standard is a fleet
average: the target of one model is its contribution, not a limit for it alone.

Coefficients come from a rule pack (``[[params.ghg.passenger_car]]`` and
``[[params.ghg.light_truck]]`` rows with ``model_year``, ``a``, ``b``, ``c``, ``d``,
``fp_low``, ``fp_high``), the table chosen by ``fleet`` (``"passenger_car"``, the
default, or ``"light_truck"``: a truck-style design, 49 CFR 523.5(a)(3)); a model year
without a row is reported not-applicable (:func:`ghg_not_applicable`); a pack with
``years_past_table = "last-row"`` applies a table's last row to later years (the
built-in ``epa-ghg`` pack does: the MY2032 row of each table is the regulation's
"MY2032 and later"). Derivatives: complex step through :func:`ghg_target` (OpenMDAO
``method="cs"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from openmdao.core.explicitcomponent import ExplicitComponent

from keidesign import batch
from keidesign.cafe import (
    has_table,
    round_footprint,
    table_not_applicable,
    year_rows,
)
from keidesign.errors import InputError
from keidesign.variables import add_input, add_output

__all__ = ["GhgTargetComp", "ghg_coefficients", "ghg_not_applicable", "ghg_target",
           "ghg_years"]

KEYS = ("a", "b", "c", "d", "fp_low", "fp_high")


def ghg_target(footprint_ft2: Any, a: float, b: float, c: float, d: float, fp_low: float,
               fp_high: float, rounded: bool = False) -> Any:
    """CO2 target (g/mi) of one table row at ``footprint_ft2`` (module docstring); branches
    on the real part (complex-step safe); ``rounded``: the sloped part to 0.1 g/mi."""
    fp = np.asarray(footprint_ft2)
    mid = c * fp + d
    if rounded:
        mid = round_footprint(mid)  # nearest 0.1, halves away from zero
    out = np.where(np.real(fp) <= fp_low, a + 0.0 * fp,
                   np.where(np.real(fp) >= fp_high, b + 0.0 * fp, mid))
    return out if np.ndim(out) else out[()]


def _rows(pack: Any, fleet: str = "passenger_car") -> list[Mapping[str, Any]]:
    return year_rows(pack, "ghg", "GHG", fleet=fleet)


def ghg_years(pack: Any, fleet: str = "passenger_car") -> list[int]:
    """Model years with a ``[[params.ghg.<fleet>]]`` row in ``pack``, sorted (the rows
    checked: one :class:`InputError` line naming a bad field)."""
    return sorted({int(r["model_year"]) for r in _rows(pack, fleet)})


def _past(pack: Any) -> bool:
    return pack.params["ghg"].get("years_past_table") == "last-row"


def _row(pack: Any, model_year: int, fleet: str = "passenger_car") -> Mapping[str, Any] | None:
    if fleet != "passenger_car" and not has_table(pack, "ghg", fleet):
        return None
    by_year = {int(r["model_year"]): r for r in _rows(pack, fleet)}
    years = sorted(by_year)
    row = by_year.get(int(model_year))
    if row is None and years and int(model_year) > years[-1] and _past(pack):
        row = by_year[years[-1]]
    return row


def ghg_not_applicable(pack: Any, model_year: int, fleet: str = "passenger_car") -> str:
    """Why ``pack`` sets no CO2 target of ``fleet`` for ``model_year`` (``""`` when it
    sets one): ``"no MY2020 row in epa-ghg (MY2021-2032)"``; a light-truck reason names
    the table (``"... light-truck table (params.ghg.light_truck: MY2021-2032)"``), and a
    pack without a light-truck table sets no light-truck target for any year."""
    return table_not_applicable(pack, "ghg", fleet, model_year, ghg_years, _past(pack))


def ghg_coefficients(pack: Any, model_year: int,
                     fleet: str = "passenger_car") -> dict[str, float]:
    """``{a, b, c, d, fp_low, fp_high}`` of ``fleet`` for ``model_year`` (InputError
    naming the table without a row)."""
    row = _row(pack, model_year, fleet)
    if row is None:
        raise InputError(f"{getattr(pack, 'path', 'rule pack')}: params.ghg.{fleet}: "
                         f"{ghg_not_applicable(pack, model_year, fleet)}")
    return {k: float(row[k]) for k in KEYS}


class GhgTargetComp(ExplicitComponent):
    """``ghg:target_co2`` (g/mi) from ``body:footprint`` (ft2), batched with ``n_cases``."""

    def initialize(self) -> None:
        for k in KEYS:
            self.options.declare(k, types=float)
        self.options.declare("round_footprint", default=False, types=bool)
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        add_input(self, "body:footprint", shape=shape)
        add_output(self, "ghg:target_co2", shape=shape)

    def setup_partials(self) -> None:
        if not batch.batched(self):
            self.declare_partials("ghg:target_co2", "body:footprint", method="cs")

    def compute(self, inputs, outputs) -> None:
        fp = inputs["body:footprint"]
        rnd = self.options["round_footprint"]
        if rnd:
            fp = round_footprint(fp)
        outputs["ghg:target_co2"] = ghg_target(fp, *(self.options[k] for k in KEYS),
                                               rounded=rnd)
