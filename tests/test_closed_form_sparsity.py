"""The sparsity probe of :class:`keidesign.closed_form.DualClosedForm`: both probe points in
one dual evaluation (setup time) declare the partials the two separate evaluations
declared, on every closed-form component of every reference design, and the model's
partials stay right (the components' check_partials tests hold the values)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import REFERENCE_DESIGNS

from keidesign import closed_form as cf
from keidesign.design import load_design
from keidesign.evaluation import resolve_packs
from keidesign.model import build_problem


def _two_call_pattern(comp: cf.DualClosedForm) -> dict[str, tuple[str, ...]]:
    """The pattern as it was found before (one dual evaluation per probe point)."""
    m = len(comp._in)
    probes = [comp._gradients({k: comp._defaults[k] * (1.0 + 0.05 * (j + 1) / m)
                               for j, k in enumerate(comp._in)}),
              comp._gradients({k: 1.0 + (j + 1) / (m + 1) for j, k in enumerate(comp._in)})]
    out = {}
    for name in comp._out:
        out[name] = (tuple(comp.DEPENDS[name]) if name in comp.DEPENDS
                     else tuple(k for k in comp._in
                                if any(np.any(gr.get(name, {}).get(k, 0.0) != 0.0)
                                       for gr in probes)))
    return out


@pytest.mark.parametrize("path", REFERENCE_DESIGNS, ids=lambda p: p.stem)
def test_stacked_probe_declares_what_two_probes_declared(path):
    prob = build_problem(load_design(path), resolve_packs(["epa-label", "cafe-2024", "fmvss"]))
    prob.final_setup()
    comps = [s for s in prob.model.system_iter(recurse=True)
             if isinstance(s, cf.DualClosedForm) and s._points() == 1]
    assert len(comps) >= 8
    for comp in comps:
        assert {k: tuple(v) for k, v in comp._wrt.items()} == _two_call_pattern(comp), \
            comp.pathname
