"""Timing of the parametric body: ``python benchmarks/geometry_bench.py [--repeat N]
[--closed-form-only]``.

Medians over N repeats (default 7), one core, of:

* ``build cold``: every stage rebuilt (stage caches cleared) — a new candidate that
  changes the body shape;
* ``build crash``: a candidate that changes only the crash/powertrain parameters
  (``powertrain:block_length``): the envelope, glazing split and seats are reused;
* ``step``: writing the assembly STEP (mm, named parts);
* ``build+step``: a cold rebuild and the STEP export of a new shape (the sweep case);
* ``closed form``: one evaluation of the closed-form layer (``BodyComp.compute``) and
  one evaluation of its analytic partials (``compute_partials``), compiled (the default
  kernel) and with the dual-number reference (``kernel="reference"``, the path before
  the compiled tape) measured in the same run;
* ``batched``: one ``run_model`` of ``BodyComp(n_cases=1000)`` on 1000 designs around
  the reference design vs 1000 scalar ``set_val`` + ``run_model`` of ``BodyComp()``;
* ``cold start``: a fresh process with an empty numba/tape cache (``NUMBA_CACHE_DIR``)
  vs a second one with the cache filled: import, set-up, first run and first partials.

Baselines measured in the same run: ``occ boolean`` (one box-minus-cylinder cut: the
CAD kernel's floor) for the CAD steps, and a one-component OpenMDAO ``run_model`` for
the closed form. No timing is asserted anywhere: this is a report.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
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
from geometry.profiles import parameter_names  # noqa: E402
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


def _closed_form_problem(design, kernel: str = "compiled"):
    comp = BodyComp(style=design["body:style"], powertrain_type=design["powertrain:type"],
                    kernel=kernel)
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


def _batched(design, n: int = 1000) -> tuple[float, float]:
    """Seconds for one batched run_model of n designs, and for n scalar run_models."""
    lay = layout_from_design(design)
    names = parameter_names(lay.style, lay.powertrain)
    rng = np.random.default_rng(0)
    cols = {s: lay.p[s] * rng.uniform(0.98, 1.02, n) for s in names}

    def problem(k: int) -> om.Problem:
        prob = om.Problem(reports=False)
        prob.model.add_subsystem("b", BodyComp(style=lay.style, powertrain_type=lay.powertrain,
                                               n_cases=k), promotes=["*"])
        prob.setup()
        return prob

    big = problem(n)
    for s, name in names.items():
        big.set_val(name, cols[s])
    big.run_model()
    t_big = median_time(big.run_model, 5)
    one = problem(1)

    def scalar_runs() -> None:
        for i in range(n):
            for s, name in names.items():
                one.set_val(name, cols[s][i])
            one.run_model()

    return t_big, median_time(scalar_runs, 3)


_COLD = """
import time; t0 = time.perf_counter()
import openmdao.api as om
from keidesign.body import BodyComp
t1 = time.perf_counter()
prob = om.Problem(reports=False)
prob.model.add_subsystem("b", BodyComp(style="{style}", powertrain_type="{pt}"), promotes=["*"])
prob.setup(); prob.final_setup(); t2 = time.perf_counter()
prob.run_model(); t3 = time.perf_counter()
prob.compute_totals(of=["body:volume:envelope"], wrt=["body:length"]); t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def _cold_start(style: str, pt: str) -> list[tuple[str, list[float]]]:
    """(label, [import, setup, first run, first partials] s) with an empty cache, then
    with the cache it filled."""
    env = dict(os.environ, NUMBA_CACHE_DIR=tempfile.mkdtemp(), OPENMDAO_REPORTS="0")
    out = []
    for label in ("cold (empty cache)", "warm (cached)"):
        res = subprocess.run([sys.executable, "-c", _COLD.format(style=style, pt=pt)],
                             env=env, capture_output=True, text=True, check=True, cwd=ROOT)
        out.append((label, [float(v) for v in res.stdout.split()[-4:]]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--closed-form-only", action="store_true",
                    help="skip the CAD rows (build, STEP)")
    args = ap.parse_args()
    r = args.repeat
    occ = median_time(_occ_baseline, r)
    omb = median_time(_om_baseline, r)
    print(f"baseline occ boolean (box - cylinder): {occ * 1e3:8.2f} ms; "
          f"baseline OpenMDAO 1-component setup+run: {omb * 1e3:8.2f} ms (medians of {r})")
    print(f"{'design':<14} {'step':<26} {'median ms':>10} {'x baseline':>11}")
    tmp = Path(tempfile.mkdtemp())
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        design = load_design(path)
        lay = layout_from_design(design)
        rows = []
        if not args.closed_form_only:
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

            rows += [("build cold", median_time(cold, r), occ),
                     ("build crash", median_time(crash, r), occ),
                     ("step", median_time(lambda b=body, s=step: write_step(b, s), r), occ),
                     ("build+step", median_time(both, r), occ)]
        f_eval, f_part = _closed_form_problem(design)
        g_eval, g_part = _closed_form_problem(design, "reference")
        te, tp = median_time(f_eval, max(r, 200)), median_time(f_part, max(r, 200))
        rows += [("closed form", te, omb), ("cf partials", tp, omb),
                 ("cf compute+partials", te + tp, omb),
                 ("cf reference", median_time(g_eval, max(r, 50)), omb),
                 ("cf reference partials", median_time(g_part, max(r, 20)), omb)]
        for name, t, base in rows:
            print(f"{path.stem:<14} {name:<26} {t * 1e3:10.3f} {t / base:11.2f}")
    for stem in ("nbox_class", "alto_class"):
        design = load_design(ROOT / "studies" / "designs" / f"{stem}.toml")
        t_big, t_small = _batched(design)
        print(f"{stem:<14} batched n=1000: one run_model {t_big * 1e3:8.2f} ms "
              f"({1000 / t_big:8.0f} cases/s); 1000 scalar run_model {t_small * 1e3:8.1f} ms "
              f"({1000 / t_small:6.0f} cases/s); ratio {t_small / t_big:6.1f}")
    for label, (t_imp, t_setup, t_run, t_part) in _cold_start("tallboy", "ice"):
        print(f"start {label:<20} import {t_imp:6.2f} s, setup {t_setup:6.2f} s, first run "
              f"{t_run:6.2f} s, first partials {t_part:6.2f} s")
    np.seterr(all="ignore")


if __name__ == "__main__":
    main()
