"""Coefficients of the mass build-up and the US content table, read once from package data.

``keidesign/data/mass/coefficients.csv``: one row per coefficient (name, value, units,
status ``sourced``/``assumed``/``fitted``, source). ``us_content.csv``: one row per
US-specific content item (mass, consumer cost and its year, source). The fitted rows are
written by :mod:`keidesign.mass.calibration` (``--write``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "mass"
COEFFICIENTS_CSV = DATA / "coefficients.csv"
CONTENT_CSV = DATA / "us_content.csv"
CALIBRATION_CARS_CSV = DATA / "calibration_cars.csv"
COMPONENT_MASSES_CSV = DATA / "component_masses.csv"
#: Engine accessories the published bare-engine masses leave out and the build-up's engine
#: term carries (no other group holds them): alternator 5.4-6.8 kg (autozone.com, R, as
#: for ``isg_machine_net``) + starter ~3 kg [A] = 9 kg [A].
ENGINE_ACCESSORIES_KG = 9.0


@dataclass(frozen=True)
class ContentItem:
    """One US-specific content item (``us_content.csv``)."""

    item: str
    applies: str  # "all", "ice" (an engine's), or "car" (passenger cars: not a truck body)
    mass_kg: float
    cost_usd: float
    cost_year: int
    cost_basis: str  # "consumer" (retail) or "dmc"
    status: str
    description: str
    source: str


@cache
def coefficients() -> dict[str, float]:
    """``{name: value}`` of ``coefficients.csv``."""
    with COEFFICIENTS_CSV.open(newline="", encoding="utf-8") as f:
        return {r["name"]: float(r["value"]) for r in csv.DictReader(f)}


@contextmanager
def held_coefficients(values: Mapping[str, float]) -> Iterator[None]:
    """Models built and run inside the block see these coefficients in place of the
    stored ones (hold-out validation: the calibration refitted without a car's family,
    :mod:`keidesign.validation.specsonly`); the stored ones are back on exit."""
    d = coefficients()
    old = dict(d)
    d.update(values)
    try:
        yield
    finally:
        d.clear()
        d.update(old)


def calibration_volume_range() -> tuple[float, float]:
    """``(V_min, V_max)``, m^3: the smallest and largest envelope volume of the cars the
    size law (``calibration_*`` coefficients) was fitted on, written with the fit
    (``calibration_volume_min`` / ``calibration_volume_max`` of ``coefficients.csv``, by
    ``python -m keidesign.mass.calibration --write``). Read from :func:`coefficients`, so
    a hold-out's :func:`held_coefficients` (the fold's own range) applies to the model."""
    c = coefficients()
    return c["calibration_volume_min"], c["calibration_volume_max"]


@dataclass(frozen=True)
class ComponentMass:
    """One published component mass (``component_masses.csv``)."""

    component: str       # engine, engine_other, transmission, body_delta, closure
    item: str
    displacement_l: float  # 0 where not an engine
    torque_nm: float       # 0 where not given
    mass_kg: float
    definition: str
    status: str            # V, R or A
    source: str


def component_masses() -> list[ComponentMass]:
    """The rows of ``component_masses.csv`` (published masses behind the build-up's
    assumed terms; docs/mass_cost.md, "Why the light kei hatches come out heavy")."""
    def num(x: str) -> float:
        return float(x) if x.strip() else 0.0

    with COMPONENT_MASSES_CSV.open(newline="", encoding="utf-8") as f:
        return [ComponentMass(r["component"], r["item"], num(r["displacement_l"]),
                              num(r["torque_nm"]), float(r["mass_kg"]), r["definition"],
                              r["status"], r["source"]) for r in csv.DictReader(f)]


def published_engine_law(accessories: float = ENGINE_ACCESSORIES_KG
                         ) -> tuple[float, float, float]:
    """``(base kg, per litre kg/L, turbo kg)`` of the engine term fitted on the published
    aluminium-block engines of ``component_masses.csv`` (rows ``engine``).

    ``m_engine = base + per_litre V_d (+ turbo)``: ordinary least squares in kg of
    ``m_published + accessories`` on the displacement over the naturally aspirated rows
    (the published masses are bare engines; the build-up's engine carries the alternator
    and starter, ``accessories`` [A]); ``turbo`` = the one same-engine turbo - NA step of
    the rows (R06A: 55.7 - 51.9 = 3.8 kg, R). Validity: 0.66-2.0 L aluminium-block
    petrol engines (Daihatsu KF, Suzuki R06A, Toyota 1KR, 1ZR, 1AZ); status R (the
    masses) + A (the accessories).
    """
    import numpy as np

    rows = [r for r in component_masses() if r.component == "engine"]
    na = [r for r in rows if "turbo" not in r.item.lower()]
    x = np.array([[1.0, r.displacement_l] for r in na])
    y = np.array([r.mass_kg + accessories for r in na])
    (base, per_l), *_ = np.linalg.lstsq(x, y, rcond=None)
    turbo = [r for r in rows if "turbo" in r.item.lower()]
    steps = [t.mass_kg - n.mass_kg for t in turbo for n in na
             if n.item.split(" NA")[0] == t.item.split(" turbo")[0]]
    return float(base), float(per_l), float(np.mean(steps)) if steps else 0.0


def coefficient_rows() -> list[dict[str, str]]:
    """The rows of ``coefficients.csv`` (for docs and the calibration writer)."""
    with COEFFICIENTS_CSV.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def content_items() -> dict[str, ContentItem]:
    """``{item: ContentItem}`` of ``us_content.csv``."""
    with CONTENT_CSV.open(newline="", encoding="utf-8") as f:
        return {r["item"]: ContentItem(r["item"], r["applies"], float(r["mass_kg"]),
                                       float(r["cost_usd"]), int(r["cost_year"]),
                                       r["cost_basis"], r["status"], r["description"],
                                       r["source"])
                for r in csv.DictReader(f)}


def fitted_content(design) -> tuple[str, ...]:
    """Content items fitted on ``design``: every applicable item for ``market = "us"``,
    else the items whose ``mass.content.<item>`` flag is true."""
    out = []
    for name, item in content_items().items():
        if not _applies(item, design):
            continue
        if design["mass:market"] == "us" or bool(design[f"mass:content:{name}"]):
            out.append(name)
    return tuple(out)


def _applies(item: ContentItem, design) -> bool:
    """Whether a content item's regulation covers ``design``: ``ice`` items need an
    engine; ``car`` items a passenger car, not a truck body (Part 581 applies to
    "passenger motor vehicles other than multipurpose passenger vehicles and low-speed
    vehicles", 49 CFR 581.3 [V]; a truck is not a passenger motor vehicle, 49 U.S.C.
    32101(10)(B) [V]; the pack's part581 rows are not applicable to it, task s28e).

    ``all`` items cover a light truck too (a kei truck: GVWR about 1,000 kg, single rear
    wheels; checked item by item, task s29h, [R] from the standards' application
    sections as reproduced by eCFR mirrors, to-check against the eCFR itself):
    advanced air bags, FMVSS 208 S3(a) (passenger cars, MPVs, trucks and buses; the S14
    advanced requirements for GVWR <= 3,855 kg); side air bags, FMVSS 214 S2 (trucks of
    GVWR <= 4,536 kg except walk-in vans); curtain air bags, FMVSS 226 S2 (trucks designed
    to carry at least one person, GVWR <= 4,536 kg, except vehicles without doors); TPMS,
    FMVSS 138 S2 (trucks of GVWR <= 4,536 kg except those with dual wheels on an axle);
    rear camera, FMVSS 111 S2 and the rear-visibility requirement of trucks of GVWR <=
    4,536 kg from 1 May 2018; lamps, FMVSS 108 (every motor vehicle); the knee air bag is
    no FMVSS item but a means to FMVSS 208's dummy criteria; ``ice``: evaporative / ORVR,
    40 CFR 86.1813-17 (light-duty trucks as well as cars)."""
    if item.applies == "ice":
        return design.powertrain_type == "ice"
    if item.applies == "car":
        return str(design.values.get("body:style", "hatch")) != "truck"
    return True


def us_content_added(design) -> tuple[str, ...]:
    """Items a US-market version of ``design`` needs beyond what ``design`` has."""
    have = set(fitted_content(design))
    return tuple(n for n, it in content_items().items()
                 if n not in have and _applies(it, design))
