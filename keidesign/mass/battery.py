"""Traction-pack specific energy by model year: the technology trend of BEV packs.

The mass build-up counts a BEV pack as ``m_pack = m_fixed + E / s`` (kg; ``E`` kWh,
``s`` Wh/kg of the energy-proportional part: cells and modules; ``m_fixed`` =
``battery_fixed`` = 30 kg of housing, BMS and thermal plate [assumed],
``keidesign/data/mass/coefficients.csv``). The energy-proportional specific energy
grew with cell technology (LMO/NMC 111 pouch cells of 2011 to NMC 811 and LFP
cell-to-pack of 2020-2022): published packs (``data/vehicles/ev_pack_masses.csv``, 28
packs of 22 families, MY2011-2022, pack mass and gross energy with sources) give::

    s(y) = s_2018 exp(k (y_c - 2018)),   y_c = min(max(y, 2011), 2022)

a constant relative improvement per year (the learning-curve form of cell energy
density; BNEF and ANL BatPaC report 5-8 %/yr at pack level over 2010-2020), held at the
first and last years of the data (no extrapolation beyond what was measured: a MY2027
design gets the 2022 value unless its design file sets its own). ``s_2018`` and ``k``
are fitted by least squares on log pack mass with ``m_fixed`` held at 30 kg; judged
leaving each family out (:func:`leave_one_family_out`; numbers in docs/mass_cost.md).
The trend is on gross energy: for a design whose ``powertrain.bev.battery_energy`` is
usable energy, ``mass.battery_specific_energy`` = ``specific_energy(year)`` x the usable
share. The import does not apply it yet (measured and not adopted, docs/mass_cost.md).

Validity: automotive lithium-ion packs of 9-73 kWh; it is a fleet trend, not a
chemistry model (LFP packs sit below, nickel-rich ones above, at the same year).
"""

from __future__ import annotations

import csv
import math
import re
from functools import cache
from importlib import resources

import numpy as np
from scipy.optimize import least_squares

__all__ = ["PACK_FIXED_KG", "YEAR_RANGE", "fit", "leave_one_family_out", "pack_rows",
           "specific_energy"]

#: housing, BMS and thermal plate (coefficients.csv battery_fixed) [assumed]
PACK_FIXED_KG = 30.0
#: model years the trend is fitted on (held at the ends)
YEAR_RANGE = (2011, 2022)
_REF_YEAR = 2018


@cache
def pack_rows() -> tuple[tuple[str, int, float, float], ...]:
    """``(family, first model year, gross kWh, pack kg)`` of ev_pack_masses.csv."""
    ref = resources.files("keidesign").joinpath("data", "vehicles", "ev_pack_masses.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        if not (r["gross_kwh"] and r["pack_mass_kg"]):
            continue
        year = int(re.findall(r"\d{4}", r["model_years"])[0])
        family = f"{r['make']} {r['model'].split()[0]}".lower()
        out.append((family, year, float(r["gross_kwh"]), float(r["pack_mass_kg"])))
    return tuple(out)


def _clip(year: float) -> float:
    return min(max(float(year), YEAR_RANGE[0]), YEAR_RANGE[1])


def _mass(p: np.ndarray, year: np.ndarray, kwh: np.ndarray) -> np.ndarray:
    s = np.exp(p[0] + p[1] * (np.clip(year, *YEAR_RANGE) - _REF_YEAR))
    return PACK_FIXED_KG + kwh * 1000.0 / s


def fit(rows: tuple | list | None = None) -> tuple[float, float]:
    """``(s_2018 Wh/kg, k per year)`` fitted on ``rows`` (default: every pack)."""
    rows = pack_rows() if rows is None else rows
    year = np.array([r[1] for r in rows], dtype=float)
    kwh = np.array([r[2] for r in rows])
    kg = np.array([r[3] for r in rows])
    res = least_squares(lambda p: np.log(_mass(p, year, kwh) / kg), [math.log(150.0), 0.07])
    return float(math.exp(res.x[0])), float(res.x[1])


@cache
def _fitted() -> tuple[float, float]:
    return fit()


def specific_energy(year: float) -> float:
    """Gross-energy specific energy (Wh/kg) of the energy part of a pack of ``year``:
    ``s(y) = s_2018 exp(k (y - 2018))`` (``s_2018``, ``k`` of :func:`fit`). Validity: the
    packs' model years :data:`YEAR_RANGE` (2011-2022); a year outside is held at the
    nearer end (no extrapolation of the trend)."""
    s_ref, k = _fitted()
    return s_ref * math.exp(k * (_clip(year) - _REF_YEAR))


def leave_one_family_out() -> np.ndarray:
    """Pack-mass errors (model / published - 1) with the trend refitted without each
    pack's family, in the order of :func:`pack_rows`."""
    rows = pack_rows()
    err = np.zeros(len(rows))
    for fam in {r[0] for r in rows}:
        train = [r for r in rows if r[0] != fam]
        s_ref, k = fit(train)
        p = np.array([math.log(s_ref), k])
        for i, r in enumerate(rows):
            if r[0] == fam:
                err[i] = _mass(p, np.array([r[1]], float), np.array([r[2]]))[0] / r[3] - 1.0
    return err
