"""0-60 mph against published figures (issue 13, deliverable 5).

Every row of ``data/vehicles/us_specs.csv`` with a published 0-60 mph time (an
instrumented magazine test named in the row; sources in its README) is imported as a
design (``keidesign import vehicle --file us_specs``: published dimensions, curb mass,
engine or motor, transmission; the rest assumed and marked) and evaluated; the model's
``perf:accel_0_60`` (:mod:`keidesign.energy.performance`: full-load tractive force in the
best gear, traction limit, shift times, Wong's mass factor where the engine turns with
the wheels; the
test mass is curb + 136 kg as for the EPA tests, close to a magazine's curb + driver and
instruments) is compared with the published time. Rows the format cannot import (a
range-extender EV) are listed. Nothing is fitted to these times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from keidesign.design import parse_design
from keidesign.errors import InputError
from keidesign.evaluation import evaluate_design, resolve_packs
from keidesign.specs import sources
from keidesign.specs.build import build_design
from keidesign.specs.write import design_text
from keidesign.vehiclenames import car_label

__all__ = ["AccelCase", "run"]


@dataclass
class AccelCase:
    """One published 0-60 mph time and the model's."""

    name: str
    published_s: float
    basis: str
    model_s: float

    @property
    def error(self) -> float:
        return self.model_s / self.published_s - 1.0


def run() -> dict:
    """``{"cases": [AccelCase], "failed": [(name, reason)], "err": array}``."""
    done, failed = [], []
    for vr in sources.vehicle_rows("us_specs"):
        t = vr.row.get("zero_to_60_s", "")
        if not t:
            continue
        name = car_label(vr.row["make"], vr.row["model"], vr.row["generation"])
        try:
            header, tables = build_design(sources.row_spec(vr), predict=False)
            design = parse_design(design_text(header, tables), f"<import {name}>")
            out = evaluate_design(design, resolve_packs(["epa-label"])).outputs
        except InputError as exc:
            failed.append((name, str(exc)))
            continue
        done.append(AccelCase(name, float(t), vr.row.get("zero_to_60_basis", ""),
                              float(out["perf:accel_0_60"][0])))
    return {"cases": done, "failed": failed, "err": np.array([c.error for c in done])}
