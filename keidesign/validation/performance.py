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

Like with like: each row's ``zero_to_60_start`` says where the publication's clock
starts (sources in ``us_specs_README.md``, "0-60 mph: the magazines' start"): ``rest``
(Edmunds' headline figure; unknown starts are taken as rest), ``rollout_1ft`` (Car and
Driver since its December 2019 issue, Motor Trend: the first foot is not timed) or
``from_3mph`` (Car and Driver before December 2019). The model's time is the same
full-power launch with that part taken off: ``t(60 mph) - t(x = 0.3048 m)`` or ``t(60
mph) - t(v = 3 mph)`` (:func:`keidesign.energy.performance.launch_time`); the
product's ``perf:accel_0_60`` stays from rest. ``start=False`` compares every row from
rest (the comparison before 7 Dec 2026).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from keidesign.design import parse_design
from keidesign.energy import performance as perf
from keidesign.energy.components import PerformanceComp
from keidesign.errors import InputError
from keidesign.evaluation import resolve_packs
from keidesign.model import build_problem
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
    #: where the published clock starts (``rest``, ``rollout_1ft``, ``from_3mph``)
    start: str = "rest"
    #: the model's time from rest (``model_s`` is it less the untimed start)
    model_rest_s: float = float("nan")
    #: the design's powertrain kind (``ice``, ``hev``, ``bev``)
    kind: str = ""

    @property
    def error(self) -> float:
        return self.model_s / self.published_s - 1.0


#: the untimed start of each ``zero_to_60_start`` (launch_time's target); rest: none
STARTS = {"rest": None, "rollout_1ft": {"distance": perf.ROLLOUT_M},
          "from_3mph": {"speed": 3.0 * perf.MPH}}


def run(start: bool = True, spec_hook: Callable[[str, Any], None] | None = None,
        problem_hook: Callable[[str, Any, PerformanceComp], bool] | None = None) -> dict:
    """``{"cases": [AccelCase], "failed": [(name, reason)], "err": array}``; ``start``:
    the model's time from each row's published start (False: every row from rest).

    For trials (``benchmarks/ev_launch_trial.py``): ``spec_hook(name, spec)`` may change
    a row's imported spec before its design is built; ``problem_hook(name, prob, comp)``
    is called after the run with the problem and its performance component, and the
    model is run again where it returns True (a changed component constant)."""
    done, failed = [], []
    packs = resolve_packs(["epa-label"])
    for vr in sources.vehicle_rows("us_specs"):
        t = vr.row.get("zero_to_60_s", "")
        if not t:
            continue
        name = car_label(vr.row["make"], vr.row["model"], vr.row["generation"])
        begin = (vr.row.get("zero_to_60_start") or "rest").strip() if start else "rest"
        if begin not in STARTS:
            raise InputError(f"us_specs.csv, {name}: zero_to_60_start = {begin!r}; "
                             f"allowed: {', '.join(STARTS)}")
        try:
            spec = sources.row_spec(vr)
            if spec_hook is not None:
                spec_hook(name, spec)
            header, tables = build_design(spec, predict=False)
            design = parse_design(design_text(header, tables), f"<import {name}>")
            prob = build_problem(design, packs, round_footprint=True)
            prob.run_model()
        except InputError as exc:
            failed.append((name, str(exc)))
            continue
        comp = next(prob.model.system_iter(recurse=True, typ=PerformanceComp))
        if problem_hook is not None and problem_hook(name, prob, comp):
            prob.run_model()
        rest = float(prob.get_val("perf:accel_0_60").item())
        model = rest
        if STARTS[begin] is not None:
            model = rest - comp.launch_time(**STARTS[begin])
        done.append(AccelCase(name, float(t), vr.row.get("zero_to_60_basis", ""), model,
                              begin, rest, comp.options["kind"]))
    return {"cases": done, "failed": failed, "err": np.array([c.error for c in done])}
