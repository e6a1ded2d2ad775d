"""(f) EV range: the model's EPA label range against fueleconomy.gov (issue 13).

Every pack of ``data/vehicles/ev_batteries.csv`` that joins a ``us_specs`` generation
is imported from its published specs in the pack's first model year (``keidesign
import vehicle``: dimensions, curb mass, motor) with that pack (its usable energy, or its
gross energy times the published usable share [assumed]) and
evaluated; ``energy:ev_range`` (0.7 x the 55/45 city/highway combination of the
unadjusted ranges, the label derivation of 40 CFR 600.210-12 with the 0.7 floor) is
compared with the label range of the row (fueleconomy.gov ``range``). Nothing is
fitted to these ranges; the BEV loss constants are the shipped ones.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.specs import sources
from keidesign.specs.write import imported_design
from keidesign.vehiclenames import car_label

__all__ = ["RangeRow", "markdown", "rows"]


@dataclass
class RangeRow:
    """One pack: published and modelled label range (mi) and the energy used (kWh)."""

    car: str
    years: str
    usable_kwh: float
    usable_basis: str
    epa_range_mi: float
    model_range_mi: float = float("nan")
    skipped: str = ""

    @property
    def error(self) -> float:
        return self.model_range_mi / self.epa_range_mi - 1.0


def rows() -> list[RangeRow]:
    """Every pack of ev_batteries.csv with a us_specs generation, imported and evaluated."""
    by_key = sources.us_specs_generations()
    out = []
    for pack in sources.ev_batteries():
        key = (pack["make"], pack["model"], pack["generation"])
        if not pack["generation"] or key not in by_key or not pack["epa_range_mi"]:
            continue
        year = sources._years(pack["model_years"])[0]
        kwh, basis = sources.pack_energy(pack)
        row = RangeRow(car_label(pack["make"], pack["model"], pack["generation"]),
                       pack["model_years"], kwh, "usable" if pack["usable_kwh"] else
                       "gross x share", float(pack["epa_range_mi"]))
        try:
            spec = sources.row_spec(by_key[key], year)
            spec.set("battery_energy", round(kwh, 2), basis)  # this pack, whatever the year
            design = imported_design(spec, f"<import {row.car}>")
            ev = evaluate_design(design, resolve_packs(["epa-label"]))
            row.model_range_mi = float(ev.outputs["energy:ev_range"][0])
        except InputError as exc:
            row.skipped = str(exc)
        out.append(row)
    return out


def markdown(rs: list[RangeRow]) -> str:
    """The docs table (per pack) and the summary line."""
    lines = ["| car | model years | usable kWh (basis) | EPA label range, mi | model, mi "
             "| error |", "| --- | --- | --- | --- | --- | --- |"]
    used = [r for r in rs if not r.skipped]
    for r in rs:
        res = (f"{r.model_range_mi:.0f} | {100 * r.error:+.1f} %" if not r.skipped
               else f"not imported: {r.skipped[:60]} | -")
        lines.append(f"| {r.car} | {r.years} | {r.usable_kwh:.1f} ({r.usable_basis}) "
                     f"| {r.epa_range_mi:.0f} | {res} |")
    errs = [r.error for r in used]
    share, n = sources.usable_share()
    lines += ["", f"{len(used)} packs: MAE {100 * statistics.mean(map(abs, errs)):.1f} %, "
              f"bias {100 * statistics.mean(errs):+.1f} %, worst "
              f"{100 * max(errs, key=abs):+.1f} %. Usable share for a pack known by its "
              f"gross energy: {share:.3f} (mean of the {n} packs that publish both)."]
    return "\n".join(lines)
