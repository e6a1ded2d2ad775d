"""Per-iteration progress of an optimization: objective and worst constraint margin.

:class:`IterationReport` is an OpenMDAO case recorder (the documented way to observe a
driver's iterations, ``openmdao.recorders.case_recorder.CaseRecorder``) that writes one
line per driver iteration (every model evaluation the optimizer asks for, line searches
included)::

    optimize   7  mass:curb = 823.4 kg   worst: fmvss208.crush_space +1.2 mm

The values come from the driver's public ``get_objective_values`` and
``get_constraint_values`` in model units; the worst constraint is the one with the
smallest margin above its lower bound (negative: violated). Nothing is recorded to disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

import numpy as np
from openmdao.recorders.case_recorder import CaseRecorder

from keidesign.studies.problem import MarginSpec

__all__ = ["IterationReport"]


class IterationReport(CaseRecorder):
    """Write ``objective`` and the worst constraint margin of each driver iteration.

    Args:
        stream: where the lines go (``sys.stderr`` for the CLI).
        objective: the objective's output name; ``units`` its units (text only).
        margins: constraint output name -> its :class:`MarginSpec` (id, units, bound).
        label: the first word of each line.
    """

    def __init__(self, stream: TextIO, objective: str, units: str | None,
                 margins: Mapping[str, MarginSpec], label: str = "optimize") -> None:
        super().__init__(record_viewer_data=False)
        self._stream, self._objective, self._units = stream, objective, units
        self._margins, self._label = dict(margins), label

    def record_iteration_driver(self, recording_requester: Any, data: dict,
                                metadata: dict) -> None:
        obj = recording_requester.get_objective_values(driver_scaling=False)
        value = float(np.real(np.ravel(next(iter(obj.values())))[0])) if obj else float("nan")
        unit = f" {self._units}" if self._units not in (None, "unitless") else ""
        line = f"{self._label} {self._counter:4d}  {self._objective} = {value:.6g}{unit}"
        worst = self.worst(recording_requester.get_constraint_values(driver_scaling=False))
        if worst is not None:
            spec, margin = worst
            mu = f" {spec.units}" if spec.units not in (None, "unitless") else ""
            line += f"   worst: {spec.id} {margin:+.4g}{mu}"
        print(line, file=self._stream, flush=True)

    def worst(self, values: Mapping[str, Any]) -> tuple[MarginSpec, float] | None:
        """The constraint with the smallest margin above its lower bound."""
        best = None
        for name, val in values.items():
            spec = self._margins.get(name)
            if spec is None:
                continue
            m = float(np.real(np.ravel(val)[0])) - spec.min_margin
            if best is None or m < best[1]:
                best = (spec, m)
        return best

    # the recorder observes driver iterations only: every other hook of the recorder
    # interface does nothing
    def _ignore(self, *args: Any, **kwargs: Any) -> None:
        return None

    record_metadata_system = record_metadata_solver = _ignore
    record_iteration_system = record_iteration_solver = record_iteration_problem = _ignore
    record_derivatives_driver = record_viewer_data = _ignore
