"""Timing of the parametric body: ``python benchmarks/geometry_bench.py [--repeat N]``.

Medians over N repeats (default 7), one core, of:

* ``build cold``: every stage rebuilt (stage caches cleared) — a new candidate that
  changes the body shape;
* ``build crash``: a candidate that changes only the crash/powertrain parameters
  (``powertrain:block_length``): the envelope, glazing split and seats are reused;
* ``step``: writing the assembly STEP (mm, named parts);
* ``build+step``: a cold rebuild and the STEP export of a new shape (the sweep case);
* ``closed form``: one evaluation of the closed-form layer (``BodyComp.compute``) and
  one evaluation of its analytic partials (``compute_partials``).

Baselines measured in the same run: ``occ boolean`` (one box-minus-cylinder cut: the
CAD kernel's floor) for the CAD steps, and a one-component OpenMDAO ``run_model`` for
the closed form. No timing is asserted anywhere: this is a report.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import cadquery as cq  # noqa: E402
import numpy as np  # noqa: E402
import openmdao.api as om  # noqa: E402
from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from geometry import cad  # noqa: E402
from geometry.export import write_step  # noqa: E402
from geometry.params import layout_from_design  # noqa: E402
from keidesign.body import BodyComp  # noqa: E402
from keidesign.design import load_design  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]




def _occ_baseline() -> None:
    box = cq.Solid.makeBox(100, 100, 100)
    box.cut(cq.Solid.makeCylinder(30, 200, cq.Vector(50, 50, -50)))


def _om_baseline() -> None:
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("c", om.ExecComp("y = 2.0 * x"))
    prob.setup()
    prob.run_model()


def _closed_form_problem(design):
    comp = BodyComp(style=design["body:style"], powertrain_type=design["powertrain:type"])
    prob = om.Problem(reports=False)
    prob.model.add_subsystem("b", comp, promotes=["*"])
    prob.setup()
    vals = design.numeric()
    for name in comp._names.values():
        v, u = vals[name]
        prob.set_val(name, v, units=None if u == "unitless" else u)
    prob.run_model()
    comp = prob.model.b
    inputs, outputs = comp._inputs, comp._outputs
    jac = {}

    class J(dict):
        def __setitem__(self, key, val):
            jac[key] = val

    return (lambda: comp.compute(inputs, outputs)), (lambda: comp.compute_partials(inputs, J()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    r = args.repeat
    occ = median_time(_occ_baseline, r)
    omb = median_time(_om_baseline, r)
    print(f"baseline occ boolean (box - cylinder): {occ * 1e3:8.2f} ms; "
          f"baseline OpenMDAO 1-component setup+run: {omb * 1e3:8.2f} ms (medians of {r})")
    print(f"{'design':<14} {'step':<18} {'median ms':>10} {'x baseline':>11}")
    tmp = Path(tempfile.mkdtemp())
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        design = load_design(path)
        lay = layout_from_design(design)
        body = cad.build_body(lay)      # warm up the kernel and the imports

        def cold(lay=lay):
            cad.clear_cache()
            return cad.build_body(lay)

        blk = [float(design["powertrain:block_length"])]

        def crash(design=design, blk=blk):
            blk[0] = 400.0 if blk[0] != 400.0 else 420.0      # a new value every run
            d = design.replace(**{"powertrain:block_length": blk[0]})
            return cad.build_body(layout_from_design(d))

        step = tmp / f"{path.stem}.step"

        def both(lay=lay, step=step):
            write_step(cold(lay), step)

        f_eval, f_part = _closed_form_problem(design)
        rows = [("build cold", median_time(cold, r), occ),
                ("build crash", median_time(crash, r), occ),
                ("step", median_time(lambda b=body, s=step: write_step(b, s), r), occ),
                ("build+step", median_time(both, r), occ),
                ("closed form", median_time(f_eval, max(r, 50)), omb),
                ("cf partials", median_time(f_part, max(r, 20)), omb)]
        for name, t, base in rows:
            print(f"{path.stem:<14} {name:<18} {t * 1e3:10.2f} {t / base:11.2f}")
    np.seterr(all="ignore")


if __name__ == "__main__":
    main()
