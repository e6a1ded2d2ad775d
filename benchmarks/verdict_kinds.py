"""The certified cars' failures by kind, for the probes and trials that print verdicts.

Since task s34f (d82fcbb, 6 Dec 2026) :class:`keidesign.validation.crash.CarVerdict`
splits the ``fmvss`` pack's rows a car fails into the federal (FMVSS) criteria
(``failed``) and the model proxies (``proxies_failed``: the pack's ``derived`` rows, the
crush, ride-down and intrusion spaces, "a model proxy, not an FMVSS criterion"); until
then ``failed`` held both. The trial scripts written before the split (the energy and
engine-less sizing trials, the roof trials' ``federal_change``) judge their rules on
``failed``; they print the proxies beside it from here, so that a proxy failure a trial
causes is seen, not silently dropped from the line it used to be in.

Nothing here is a model: the functions only sort and word ``CarVerdict`` lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: the two kinds of failed rows a CarVerdict holds: (attribute, words for a line)
KINDS = (("failed", "federal criteria"),
         ("proxies_failed", "model proxies (not FMVSS criteria)"))


def failing(cars: Iterable, kind: str = "failed") -> dict[str, list[str]]:
    """``{car name: sorted rows of kind failed}`` of the cars failing any (``kind`` one of
    the attributes of :data:`KINDS`)."""
    return {v.name: sorted(getattr(v, kind)) for v in cars if getattr(v, kind)}


def newly(f0: Mapping[str, list[str]], f1: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """``{car: rows}`` failed in ``f1`` and not in ``f0`` (both ``{car: rows}`` as
    :func:`failing` gives them; a car absent from ``f0`` failed nothing there)."""
    return {n: [c for c in f if c not in f0.get(n, [])] for n, f in f1.items()
            if set(f) - set(f0.get(n, []))}


def cars_text(fails: Mapping[str, list[str]], by_name: bool = True) -> str:
    """``car (row, row); car (row)`` of ``{car: rows}``, the cars by name (``by_name``)
    or in the mapping's order; ``none`` when empty."""
    items = sorted(fails.items()) if by_name else fails.items()
    return "; ".join(f"{n} ({', '.join(f)})" for n, f in items) or "none"


def failing_text(cars: Iterable) -> str:
    """The cars failing a federal criterion and, apart, a model proxy, one cell of a
    table: ``n: car (rows); ...; model proxies (not FMVSS criteria) m: car (rows)``, the
    cars in their order in ``cars``."""
    cars = list(cars)
    crit, prox = failing(cars, "failed"), failing(cars, "proxies_failed")
    return (f"{len(crit)}{': ' + cars_text(crit, False) if crit else ''}; model proxies (not "
            f"FMVSS criteria) {len(prox)}{': ' + cars_text(prox, False) if prox else ''}")


def proxies_line(before: Mapping, after: Mapping) -> str:
    """What a trial did to the model proxies, printed beside its federal verdict: the cars
    failing a proxy before -> after (of the cars after) and the proxies newly failed by
    car, ``before`` / ``after`` mappings name -> CarVerdict."""
    f0 = failing(before.values(), "proxies_failed")
    f1 = failing(after.values(), "proxies_failed")
    return (f"model proxies (not FMVSS criteria): failing {len(f0)} -> {len(f1)} of "
            f"{len(after)}; newly failed: {cars_text(newly(f0, f1))}")
