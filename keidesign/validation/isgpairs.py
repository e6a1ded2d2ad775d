"""The kei mild hybrids' ISG gain against catalogue twins (issue 13).

A belt ISG (Suzuki) or crankshaft starter-generator (Nissan / Mitsubishi "S-HYBRID") on
a kei car is sold next to grades of the same body and engine without it. The catalogue
WLTC figures of such a pair give the gain the ISG is credited with on the test,
``g = FE_hybrid / FE_twin - 1``; ``keidesign/data/vehicles/isg_pairs.csv`` holds the
pairs found (sources and status per row; README there). Each pair is run on the kei
check's assumptions (:func:`keidesign.energy.calibration.kei_spec`: the hybrid's kei.csv
row, with the pair's drive) twice: as the HEV ``mild`` layout with the row's ISG, and as
the conventional car (the twin's published mass and compression ratio where the pair
file has them, else the hybrid's), with and without idle stop, since the twins' idle-stop
equipment is not stated in the pages read. The model's gain is taken apart (WLTC
km/L ratios, each against the one before):

* ``idle_stop``: the conventional car with idle stop against without (the Willans idle
  fuel saved while standing, :func:`keidesign.energy.powertrains.ice_cycle`);
* ``engine_off``: the HEV with its regeneration switched off (``regen_share`` 0) against
  the conventional car with idle stop: what the HEV's engine-off rule saves beyond the
  idle stop (the rest of the fitted standing term, the low-speed deceleration idle);
* ``regen``: the HEV against the HEV without regeneration (the ISG's braking energy,
  charge-balanced at the engine's marginal cost).

Validity: the WLTC-mode figure of Japanese kei catalogues (class 3, low + medium + high
phases); catalogue figures are rounded to 0.1 km/L (about 0.5 % of a gain).
"""

from __future__ import annotations

import copy
import csv
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import vehicle as ev

__all__ = ["IsgPair", "PairResult", "load_pairs", "pair_results", "STATUS"]

#: Status codes of a data row (docs: V verified in the source read, R secondary source,
#: A assumed).
STATUS = ("V", "R", "A")


@dataclass(frozen=True)
class IsgPair:
    """One catalogue pair (a row of isg_pairs.csv)."""

    pair: str
    hybrid_model: str
    hybrid_variant: str
    drive: str  # FF | 4WD
    hybrid_wltc: float  # km/L
    twin_wltc: float  # km/L
    twin_mass_kg: float | None
    twin_compression_ratio: float | None
    status: str

    @property
    def catalogue_gain(self) -> float:
        """``FE_hybrid / FE_twin - 1`` of the catalogues (-)."""
        return self.hybrid_wltc / self.twin_wltc - 1.0


@dataclass(frozen=True)
class PairResult:
    """The model's WLTC figures (km/L) and gains (-) of one pair."""

    pair: IsgPair
    hybrid: float
    twin: float  # conventional, no idle stop
    twin_idle_stop: float
    hybrid_no_regen: float

    @property
    def gain(self) -> float:
        """Model gain against the twin without idle stop."""
        return self.hybrid / self.twin - 1.0

    @property
    def gain_idle_stop(self) -> float:
        """Model gain against the twin with idle stop."""
        return self.hybrid / self.twin_idle_stop - 1.0

    @property
    def parts(self) -> dict[str, float]:
        """``idle_stop``, ``engine_off``, ``regen`` (module docstring); their product of
        (1 + part) is 1 + :attr:`gain`."""
        return {"idle_stop": self.twin_idle_stop / self.twin - 1.0,
                "engine_off": self.hybrid_no_regen / self.twin_idle_stop - 1.0,
                "regen": self.hybrid / self.hybrid_no_regen - 1.0}


def _number(row: dict, field: str, lo: float, hi: float, blank: bool = False) -> float | None:
    text = (row.get(field) or "").strip()
    if not text and blank:
        return None
    try:
        v = float(text)
    except ValueError:
        v = float("nan")
    if not lo <= v <= hi:
        raise ValueError(f"isg_pairs.csv pair {row.get('pair')!r}: {field} = {text!r}, "
                         f"allowed {lo:g}-{hi:g}" + (" or blank" if blank else ""))
    return v


def _pair(row: dict) -> IsgPair:
    """A checked :class:`IsgPair` of a csv row (one message naming field, value and
    allowed range for a bad one)."""
    if row.get("drive") not in ("FF", "4WD"):
        raise ValueError(f"isg_pairs.csv pair {row.get('pair')!r}: drive = "
                         f"{row.get('drive')!r}, allowed FF or 4WD")
    if row.get("status") not in STATUS:
        raise ValueError(f"isg_pairs.csv pair {row.get('pair')!r}: status = "
                         f"{row.get('status')!r}, allowed one of {STATUS}")
    if not (row.get("source") or "").strip():
        raise ValueError(f"isg_pairs.csv pair {row.get('pair')!r}: source is blank, "
                         "allowed a URL or document")
    return IsgPair(pair=row["pair"], hybrid_model=row["hybrid_model"],
                   hybrid_variant=row["hybrid_variant"], drive=row["drive"],
                   hybrid_wltc=_number(row, "hybrid_wltc_km_per_L", 5.0, 60.0),
                   twin_wltc=_number(row, "twin_wltc_km_per_L", 5.0, 60.0),
                   twin_mass_kg=_number(row, "twin_mass_kg", 400.0, 1500.0, blank=True),
                   twin_compression_ratio=_number(row, "twin_compression_ratio", 8.0,
                                                  15.0, blank=True),
                   status=row["status"])


def load_pairs(rows: list[dict] | None = None) -> list[IsgPair]:
    """The pairs of ``keidesign/data/vehicles/isg_pairs.csv`` (or of ``rows``)."""
    if rows is None:
        ref = resources.files("keidesign").joinpath("data", "vehicles", "isg_pairs.csv")
        with ref.open("r", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    return [_pair(r) for r in rows]


def _specs(p: IsgPair) -> tuple[ev.VehicleSpec, ev.VehicleSpec, ev.VehicleSpec]:
    """(hybrid, twin, twin with idle stop) specs of the kei check for pair ``p``."""
    todo = cal._kei_todo()
    r, style, _, hyb, trans, _, tyre_d, *_ = next(
        t for t in todo if t[0]["model"] == p.hybrid_model
        and t[0]["variant"] == p.hybrid_variant)
    if not hyb:
        raise ValueError(f"isg_pairs.csv pair {p.pair!r}: kei.csv row {p.hybrid_model} "
                         f"{p.hybrid_variant} has no hybrid_kW, allowed an ISG row")
    drive = "awd" if p.drive == "4WD" else "fwd"
    hybrid = cal.kei_spec(r, style, True, hyb, trans, drive, tyre_d)
    r_twin = dict(r)
    if p.twin_mass_kg is not None:
        r_twin["curb_mass_kg"] = str(p.twin_mass_kg)
    if p.twin_compression_ratio is not None:
        r_twin["compression_ratio"] = str(p.twin_compression_ratio)
    twin = cal.kei_spec(r_twin, style, False, None, trans, drive, tyre_d)
    return hybrid, twin, replace(twin, idle_stop=True)


def pair_results(pairs: list[IsgPair] | None = None, c: dict | None = None
                 ) -> list[PairResult]:
    """The model's figures of every pair with the constants ``c`` (default: the shipped
    ones, as :func:`keidesign.energy.calibration.kei_wltc_check`)."""
    pairs = load_pairs() if pairs is None else pairs
    c = c or {**cal.fixed_constants(), **cal._stored_fit()}
    c0 = copy.deepcopy(c)
    c0["bev"]["regen_share"] = 0.0
    specs = [_specs(p) for p in pairs]
    flat = [s for trio in specs for s in trio]
    fe = np.asarray(ev.simulate(flat, constants=c)["wltc_km_per_l"], dtype=float).reshape(-1, 3)
    fe0 = np.asarray(ev.simulate([h for h, _, _ in specs], constants=c0)["wltc_km_per_l"],
                     dtype=float).ravel()
    return [PairResult(pair=p, hybrid=float(f[0]), twin=float(f[1]),
                       twin_idle_stop=float(f[2]), hybrid_no_regen=float(f0))
            for p, f, f0 in zip(pairs, fe, fe0, strict=True)]
