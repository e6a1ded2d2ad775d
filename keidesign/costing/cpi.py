"""Dollars of one year in dollars of another: the BLS CPI-U deflator (``cpi.csv``).

Equation: ``usd_2024 = usd_y x CPI(2024) / CPI(y)``, CPI the BLS Consumer Price Index for
All Urban Consumers, U.S. city average, all items, 1982-84 = 100, annual average (series
CUUR0000SA0), of ``keidesign/data/cost/cpi.csv`` (each year with its status, V or R, and
source; ``keidesign/data/cost/README.md``). Every money figure of the cost model is in
dollars of :data:`BASE_YEAR`; a published price is nominal, in dollars of its year, and is
brought to :data:`BASE_YEAR` by this factor before it is compared with a modelled one.

Validity: the years of the table only. A year outside it is an error naming the year and
the years there are, never a factor of 1 (a 2009 price compared as 2024 dollars would be
about 30 % off). The CPI-U is a consumer-basket deflator, not a new-vehicle price index:
it brings money to one year's purchasing power, not one car's price to another year's.
This module imports no model code (``compare`` reads it before any run).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from keidesign.errors import InputError

__all__ = ["BASE_YEAR", "CPI_CSV", "cpi_factor", "cpi_table", "cpi_years", "to_base_year"]

#: the year of the dollars of every money figure the model computes
BASE_YEAR = 2024
CPI_CSV = Path(__file__).resolve().parents[1] / "data" / "cost" / "cpi.csv"


@cache
def cpi_table() -> dict[int, float]:
    """``{year: CPI-U annual average}`` of ``cpi.csv``."""
    with CPI_CSV.open(newline="", encoding="utf-8") as f:
        return {int(r["year"]): float(r["cpi_u"]) for r in csv.DictReader(f)}


def cpi_years() -> str:
    """The table's years for a message: ``1984, 1998, 2002, 2007, 2010-2024``."""
    years = sorted(cpi_table())
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r))
                     for r in runs)


def cpi_factor(year: int, *, where: str = "") -> float:
    """Dollars of ``year`` -> dollars of :data:`BASE_YEAR` (CPI(base) / CPI(year)).

    ``where``: the file and field the year comes from, for the message (``prices.csv:
    model_year``). Raises :class:`InputError` for a year the table lacks."""
    cpi = cpi_table()
    try:
        y = int(year)
        return cpi[BASE_YEAR] / cpi[y]
    except (KeyError, TypeError, ValueError):
        field = f"{where} = {year!r}" if where else f"year {year!r}"
        raise InputError(f"{field}: no CPI-U annual average for that year in "
                         f"keidesign/data/cost/cpi.csv, so its dollars cannot be brought to "
                         f"{BASE_YEAR} dollars; allowed: {cpi_years()} (add the year's BLS "
                         "annual average, series CUUR0000SA0, with its source)") from None


def to_base_year(amount: float, year: int, *, where: str = "") -> float:
    """``amount`` dollars of ``year`` in dollars of :data:`BASE_YEAR`."""
    return float(amount) * cpi_factor(year, where=where)
