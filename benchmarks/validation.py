"""Validation on EPA-tested cars, the docs it feeds, and its cost in time.

    python benchmarks/validation.py                 # full run: tables + timings
    python benchmarks/validation.py --write-docs    # ... and rewrite the generated block
                                                    # of docs/validation.md, its figures
                                                    # (docs/img/validation) and
                                                    # docs/validation.json
    python benchmarks/validation.py --check         # exit 1 if the docs block differs

The same comparisons as ``keidesign validate`` (every configuration, the full strategy
grid, leave-one-family-out refits). Timings are medians of one run each step (the full
run takes minutes) with the ratio to a baseline measured in the same run: one
evaluation of the ICE energy model over every gasoline configuration with the shipped
constants. No timing is asserted anywhere.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.energy import calibration as cal  # noqa: E402
from keidesign.validation import fueleconomy as fe  # noqa: E402
from keidesign.validation import report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "validation.md"


def main() -> int:
    args = docblock.arguments(__doc__)

    cars = [car for car in fe.tc.test_cars() if car.cls in fe.ICE_CLASSES]
    c, fit, _ = cal.stored_fits()
    t0 = time.perf_counter()
    cal.predict_ice(cars, c, fit)
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    res = report.run()
    full = time.perf_counter() - t0
    md = report.markdown(res)
    print(md)
    print(f"\nbaseline: ICE model on {len(cars)} configurations, shipped constants: "
          f"{base:.2f} s")
    print(f"full validation (fits, leave-one-family-out refits, labels, road load, kei): "
          f"{full:.0f} s = {full / base:.0f} x baseline")
    if args.write_docs:
        img = ROOT / "docs" / "img" / "validation"
        for p in report.plots(res, img):
            print(f"wrote {p.relative_to(ROOT)}")
        (ROOT / "docs" / "validation.json").write_text(
            json.dumps(report.as_json(res), indent=1) + "\n", encoding="utf-8")
    return docblock.write_or_check(args, DOC, "validation", md, ROOT)


if __name__ == "__main__":
    sys.exit(main())
