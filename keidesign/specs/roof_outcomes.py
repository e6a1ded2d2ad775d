"""The published curb masses of the IIHS roof outcomes, read for the import's roof sizing
(:func:`keidesign.specs.build.roof_curb`): ``data/crash/known_outcomes.csv``
(``curb_mass_kg``, its vehicles matched to us_specs generations by :data:`ROOF_MATCH`)
and ``data/crash/iihs_roof_strength.csv`` (``iihs_curb_weight_kg``, its own us_specs
key columns). Both files are checked, cell by cell, by ``keidesign.validation.crash``
(``roof_outcome``, ``roof_rows``), whose ``_roof_targets`` reads the same pairs; a test
holds the two readings equal. Here, below the validation layer, so that the import
reads them without an import cycle (specs -> validation -> energy -> specs)."""
from __future__ import annotations

import csv
from importlib import resources

#: known_outcomes.csv vehicle -> (us_specs make, model, generation)
ROOF_MATCH = {
    "smart fortwo (451)": ("smart", "fortwo", "W451"),
    "Honda Fit (GK)": ("HONDA", "FIT", "GK (3rd gen)"),
    "Honda Fit (GE)": ("HONDA", "FIT", "GE (2nd gen)"),
    "Chevrolet Sonic": ("CHEVROLET", "SONIC 5", "T300 hatchback"),
    "Fiat 500": ("Fiat", "500", "312 (US 1.4)"),
    "Nissan Leaf (ZE0)": ("NISSAN", "NISSAN LEAF S", "ZE0/AZE0 (1st gen)"),
    "Ford Fiesta": ("Ford", "FIESTA", "6th gen (US) sedan"),
    "MINI Cooper hardtop (R56)": ("MINI", "Cooper Hardtop", "R56 Cooper"),
    "Nissan Versa sedan (N17)": ("NISSAN", "NISSAN VERSA S", "N17 sedan"),
    "Chevrolet Bolt EV": ("CHEVROLET", "BOLT EV", "1st gen"),
    "BMW i3": ("BMW", "I3 BEV", "I01 (60 Ah)"),
    "Chevrolet Spark": ("CHEVROLET", "Spark", "M300 (2nd gen)"),
    "Toyota Yaris hatchback (XP130)": ("TOYOTA", "YARIS", "XP130 hatchback (US 1.5)"),
}

#: iihs_roof_strength.csv's us_specs key columns
ROOF_KEY = ("us_specs_make", "us_specs_model", "us_specs_generation")


def _rows(name: str) -> list[dict]:
    path = resources.files("keidesign") / "data" / "crash" / name
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def published_curbs() -> list[tuple[tuple[str, str, str], float]]:
    """(us_specs key, published curb kg) of every IIHS roof outcome row with a generation
    and a curb: known_outcomes.csv's through :data:`ROOF_MATCH`, then
    iihs_roof_strength.csv's, in that order (a later row of one key wins where read into
    a dict). Cells are the checked files' (``keidesign.validation.crash``); a blank curb
    is left out."""
    known = {r["vehicle"]: r for r in _rows("known_outcomes.csv")}
    out = [(key, known[v]["curb_mass_kg"]) for v, key in ROOF_MATCH.items() if v in known]
    for r in _rows("iihs_roof_strength.csv"):
        key = tuple(r[k].strip() for k in ROOF_KEY)
        if all(key):
            out.append((key, r["iihs_curb_weight_kg"]))
    return [(k, float(c)) for k, c in out if c.strip()]
