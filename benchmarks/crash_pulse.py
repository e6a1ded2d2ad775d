"""Timing of the frontal pulse: ``python benchmarks/crash_pulse.py [--repeat N]``.

Median of N runs of one ``simulate`` (value only) and of the complex-step partials
sweep (13 directions), with the ratio to the value run measured in the same session;
the same for the numpy reference integration (``reference=True``, 3 runs each), which
the compiled kernel replaces.
"""

from __future__ import annotations

import argparse

import numpy as np
from timing import median_time  # noqa: E402  (benchmarks/timing.py)

from keidesign.crash.pulse import simulate

P = dict(m_test=1094.0, m_stack=227.7, f1=82e3, f2=165e3, f3=250e3, s1=0.07, s2=0.0876,
         s3=0.4234, gap=0.2, clearance=0.08, slack=0.025, k_r=250e3, f_ll=35e3)




def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    n = ap.parse_args().repeat
    one = {k: np.array([v]) for k, v in P.items()}
    many = {k: np.full(13, v, dtype=complex) for k, v in P.items()}
    for j, k in enumerate(P):
        many[k][j] += 1e-30j
    simulate(one)  # load (or compile) the kernel
    base = median_time(lambda: simulate(one), n)
    cs = median_time(lambda: simulate(many), n)
    ref = median_time(lambda: simulate(one, reference=True), 3)
    ref_cs = median_time(lambda: simulate(many, reference=True), 3)
    print(f"simulate (value):                      {base * 1e3:8.2f} ms")
    print(f"simulate (13 cs directions):           {cs * 1e3:8.2f} ms  x{cs / base:.2f}")
    print(f"numpy reference (value):               {ref * 1e3:8.2f} ms  x{ref / base:.2f}")
    print(f"numpy reference (13 cs directions):    {ref_cs * 1e3:8.2f} ms  x{ref_cs / base:.2f}")


if __name__ == "__main__":
    main()
