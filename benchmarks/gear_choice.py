"""Cost of the stepped-gearbox gear choice: ``python benchmarks/gear_choice.py [--repeat N]``.

Times the fuel prediction of the EPA test cars (``keidesign.energy.calibration
.predict_ice``, shipped constants) for the geared configurations (manual, automatic,
DCT: they take the gear choice) and, as the baseline measured in the same run, for the
CVT configurations (no gear choice); reports medians and ms per configuration. No timing
is asserted anywhere: this is a report.
"""

from __future__ import annotations

import argparse

from timing import median_time  # benchmarks/timing.py

from keidesign.energy import calibration as cal


def _median_ms(fn, repeat: int) -> float:
    fn()  # warm caches
    return median_time(fn, repeat) * 1e3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    ice, _ = cal.training_cars()
    c, fit, _ = cal.stored_fits()
    geared = [car for car in ice if car.cls != "cvt"]
    cvt = [car for car in ice if car.cls == "cvt"]
    t_g = _median_ms(lambda: cal.predict_ice(geared, c, fit), args.repeat)
    t_c = _median_ms(lambda: cal.predict_ice(cvt, c, fit), args.repeat)
    print(f"geared ({len(geared)} configurations): {t_g:.0f} ms, {t_g / len(geared):.3f} "
          f"ms each; baseline CVT ({len(cvt)}): {t_c:.0f} ms, {t_c / len(cvt):.3f} ms each; "
          f"ratio per configuration {t_g / len(geared) / (t_c / len(cvt)):.2f} "
          f"(medians of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
