"""Cost of the stepped-gearbox gear choice: ``python benchmarks/gear_choice.py [--repeat N]``.

Times the fuel prediction of the EPA test cars (``keidesign.energy.calibration
.predict_ice``, shipped constants) for the geared configurations (manual, automatic,
DCT: they take the gear choice) and, as the baseline measured in the same run, for the
CVT configurations (no gear choice); reports medians and ms per configuration.

Second line, the manual's upshift schedule (:func:`schedule_cost`): ``ice_cycle`` on the
FTP's two UDDS bags for an mt5 car (a kei 658 cc, 43 kW; one design and a block of 8,
the batch API's block) with the class schedule (``manual_schedule``, which runs
:func:`keidesign.energy.powertrains.scheduled_gear_index`) against the same call without
it (the shipped ``gear_index`` alone: the baseline, measured in the same run); medians
and their ratio. No timing is asserted anywhere: this is a report.
"""

from __future__ import annotations

import argparse

import numpy as np
from timing import median_time  # benchmarks/timing.py

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import segments
from keidesign.energy.vehicle import VehicleSpec, kernel_params

#: The FTP's measured phases: bag 1 (its run gives bag 3 too) and bag 2.
FTP = ("udds_bag1", "udds_bag2")


def _median_ms(fn, repeat: int) -> float:
    fn()  # warm caches
    return median_time(fn, repeat) * 1e3


def mt5_batch(n: int) -> dict:
    """Kernel parameters of ``n`` copies of a kei mt5 car (658 cc, 43 kW, 1046 kg test
    mass; default ratios), ``(n, 1)`` arrays."""
    q = VehicleSpec(trans="mt5", mass_test=1046.0, cd=0.38, area=2.218, crr=0.0101,
                    vd=0.658, power=43.0, torque=65.0).quantities()
    return kernel_params("ice", "mt5", {k: np.full((n, 1), float(v)) for k, v in q.items()})


def schedule_cost(repeat: int, sizes: tuple[int, ...] = (1, 8)) -> list[str]:
    """Lines of the schedule's cost: ``ice_cycle`` on the FTP for an mt5 batch of each
    size with and without ``manual_schedule`` (medians in ms, ratio with / without)."""
    seg = segments(FTP)
    c = kc.ice_constants()
    sched = pt.manual_schedule(c)
    lines = []
    for n in sizes:
        x = mt5_batch(n)
        t_0 = _median_ms(lambda x=x: pt.ice_cycle(seg, x, "mt5", c), repeat)
        t_s = _median_ms(lambda x=x: pt.ice_cycle(seg, x, "mt5", c, manual_schedule=sched),
                         repeat)
        lines.append(f"ice_cycle FTP mt5 x {n}: with the schedule {t_s:.2f} ms, without "
                     f"(baseline) {t_0:.2f} ms, ratio {t_s / t_0:.2f} (medians of {repeat})")
    return lines


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
    for line in schedule_cost(max(args.repeat, 21)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
