"""One EPA test car's identity in the probes (issue 13).

``TestCar.key`` (year, make and model, vehicle id, transmission, ETW) is a label, not
an identity: one car tested at several road-load settings or in several test groups
gives several configurations with the same key (the 674 EPA configurations have 568
keys, the 591 gasoline ones 486, the 55 EVs 54, since the analytically derived rows
left them on 5 Dec 2026; 732 / 624 and 649 / 542 before; the EPA test numbers differ). A dict of
predictions keyed by it keeps one (the last) prediction per key and hands it to every
configuration of that key.
The probes index per-car results by :func:`ident` (the key with the EPA test numbers,
which no two configurations share: ``testcars.test_cars`` reads each test number once)
or by position.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def ident(car: Any) -> tuple[str, tuple[str, ...]]:
    """``(car.key, car.test_numbers)``: unique over ``testcars.test_cars()``."""
    return (car.key, tuple(car.test_numbers))


def index(cars: Iterable[Any]) -> dict[tuple[str, tuple[str, ...]], int]:
    """Position of each car of ``cars`` by :func:`ident`; raises ``ValueError`` when two
    cars share an identity (the index would collapse them)."""
    out: dict[tuple[str, tuple[str, ...]], int] = {}
    for i, car in enumerate(cars):
        k = ident(car)
        if k in out:
            raise ValueError(f"two test cars share the identity {k!r} (positions "
                             f"{out[k]} and {i})")
        out[k] = i
    return out


def positions(among: Sequence[Any], cars: Iterable[Any]) -> list[int]:
    """Position in ``among`` (e.g. a comparison's ``cars``) of each car of ``cars``, by
    :func:`ident`: to take per-car predictions of one list for the cars of another."""
    idx = index(among)
    return [idx[ident(car)] for car in cars]
