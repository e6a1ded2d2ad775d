"""Names of published vehicles, the make said once.

The data files name a car by make and model as their source writes them, and several
sources (EPA test-car rows, ``us_specs.csv``) repeat the make at the start of the model:
NISSAN / ``NISSAN LEAF S``, MAZDA / ``MAZDA2``, CODA / ``CODA``. Every label the tools
print (import names, validation tables, crash tables) is built here, so none says
"NISSAN NISSAN LEAF S".
"""

from __future__ import annotations


def model_after_make(make: str, model: str) -> str:
    """``model`` without a leading copy of its own ``make``: ``("NISSAN", "NISSAN LEAF S")``
    -> ``" LEAF S"``, ``("MAZDA", "MAZDA2")`` -> ``"2"``, ``("CODA", "CODA")`` -> ``""``;
    any other model comes back with one space in front (``("KIA", "KIAXX")`` -> ``" KIAXX"``:
    the make must end at a space, a digit or the end of the model). The result is meant to
    follow the make, so it keeps its leading space."""
    make, model = make.strip(), model.strip()
    head, rest = model[:len(make)], model[len(make):]
    if make and head.lower() == make.lower() and (not rest or rest[0] == " "
                                                  or rest[0].isdigit()):
        return rest
    return f" {model}" if model else ""


def make_case(make: str) -> str:
    """An upper-case make as a name: words title-cased, words of up to 3 letters kept as
    initials (``NISSAN`` -> ``Nissan``, ``MERCEDES-BENZ`` -> ``Mercedes-Benz``, ``BMW``
    and ``KIA`` kept)."""
    return " ".join(w if len(w) <= 3 else w.title() for w in make.split())


def vehicle_name(make: str, model: str) -> str:
    """``make model`` for a design name (the import's), the make title-cased and said once:
    ``("NISSAN", "NISSAN LEAF S")`` -> ``"Nissan LEAF S"``."""
    return (make_case(make) + model_after_make(make, model)).strip()


def car_label(make: str, model: str, *rest: str) -> str:
    """``make model rest...`` for a table row, the make as the data file writes it and said
    once: ``("NISSAN", "NISSAN LEAF S", "ZE0/AZE0 (1st gen)")`` ->
    ``"NISSAN LEAF S ZE0/AZE0 (1st gen)"``; empty parts are left out."""
    head = (make.strip() + model_after_make(make, model)).strip()
    return " ".join(p for p in (head, *(str(r).strip() for r in rest)) if p)
