"""The one line that says what a mass table's ``calibration`` group is.

The ``calibration`` group is not a part: it is the curb mass the a-priori mass groups miss
on real cars, the fitted size law of docs/mass_cost.md (section 2), costed at its own rate.
A new user met "+212 kg calibration" on the imported Sakura with no word on it (s33f), and
"calibration 150.1 kg" under ``evaluate``'s table of the imported Fit (s44f): every table
that shows the group with a mass prints this note beside it. Kept in the costing discipline
so that ``evaluate`` (model layer) and the cost reports (review layer) share it without an
import going up a layer (docs/CONTRIBUTING.md, layers).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

#: ``{output name: (value, unit)}`` as the evaluations give them
Outputs = Mapping[str, tuple]

_MASS_DATA = Path(__file__).resolve().parents[1] / "data" / "mass"


def calibration_note(*outputs: Outputs) -> list[str]:
    """One line saying what the ``calibration`` group is, when one of ``outputs`` gives it a
    mass above 0.05 kg (``mass:group:calibration``, kg): the size law's number of fit cars
    (``data/mass/calibration_cars.csv``) and its cost rate (USD 2024 / kg, ``rates.csv``);
    ``[]`` when no table shows the group."""
    if all(abs(float(o.get("mass:group:calibration", (0.0, None))[0])) <= 0.05
           for o in outputs):
        return []
    from keidesign.costing.component import rates

    with (_MASS_DATA / "calibration_cars.csv").open(newline="", encoding="utf-8") as f:
        cars = sum(1 for _ in csv.DictReader(f))
    return [f"calibration: not a part but the curb mass the groups above miss on real "
            f"cars, a law in the body's envelope volume (+ a BEV term) fitted on {cars} "
            f"cars' published curb masses, judged leave-one-family-out; costed at "
            f"{rates()['calibration_per_kg']:.1f} USD/kg (docs/mass_cost.md, section 2)"]
