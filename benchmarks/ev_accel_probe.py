"""0-60 mph of the EVs of the published-test check: Wong's engine mass factor against the
traction-motor rotor's (issue 13, ``python benchmarks/validation_probes.py ev_mass_factor``).

Runs :func:`keidesign.validation.performance.run` (every ``us_specs.csv`` row with a
published 0-60 mph time, imported and evaluated) four times:

* ``Wong``: the BEV acceleration with Wong's ``1.04 + 0.0025 xi^2`` (the factor before
  the rotor-inertia model), forced by evaluating BEVs through the ICE branch of
  :func:`keidesign.energy.performance.mass_factor`;
* ``rotor``: the shipped ``1.04 + J_rotor k^2 / m`` (:func:`~keidesign.energy.
  performance.rotor_inertia`);
* ``J x 0.5`` and ``J x 2``: the same with the rotor inertia halved and doubled (the
  spread of the published rotor inertias, not a fit).

It prints the EV rows, their mean absolute and mean signed errors, checks that every
gasoline row is bit-identical between the runs, and for each EV the mass factor at launch
and the speed up to which the launch is traction-limited (``mu x driven-axle share x m
g`` below the motor's force), with the 0-60 time at ``mu`` = 1.0 instead of 0.9.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from keidesign.energy import performance as perf
from keidesign.validation import performance as vp

__all__ = ["main"]


@contextmanager
def _patched(name: str, fn: Any) -> Iterator[None]:
    orig = getattr(perf, name)
    setattr(perf, name, fn)
    try:
        yield
    finally:
        setattr(perf, name, orig)


def _wong(k_used: Any, x: dict, c: dict, kind: str = "ice",
          _orig: Any = perf.mass_factor) -> Any:
    return _orig(k_used, x, c, "ice")


def _scaled_rotor(f: float) -> Any:
    orig = perf.rotor_inertia
    return lambda t_r, c: f * orig(t_r, c)


def _runs() -> tuple[dict, dict]:
    """``{label: {name: case}}`` and the launch data ``{name: (x, c)}`` of the BEVs."""
    launch: dict = {}
    current = {"name": ""}
    orig_accel, orig_label = perf.accel_time, vp.car_label

    def label(*a: Any) -> str:
        current["name"] = orig_label(*a)
        return current["name"]

    def spy(v0: float, v1: float, x: dict, kind: str, trans: str, c: dict,
            *a: Any, **k: Any) -> Any:
        if kind == "bev" and v0 == 0.0 and isinstance(x["m"], np.ndarray):
            launch[current["name"]] = (x, c)
        return orig_accel(v0, v1, x, kind, trans, c, *a, **k)

    out = {}
    vp.car_label = label
    try:
        with _patched("accel_time", spy):
            out["rotor"] = {case.name: case for case in vp.run()["cases"]}
    finally:
        vp.car_label = orig_label
    with _patched("mass_factor", _wong):
        out["Wong"] = {case.name: case for case in vp.run()["cases"]}
    for lab, f in (("J x 0.5", 0.5), ("J x 2", 2.0)):
        with _patched("rotor_inertia", _scaled_rotor(f)):
            out[lab] = {case.name: case for case in vp.run()["cases"]}
    return out, launch


def _is_bev(name: str, out: dict) -> bool:
    """A row whose time moved with the BEV mass factor (every gasoline row is unmoved)."""
    return out["Wong"][name].model_s != out["rotor"][name].model_s


def _traction(x: dict, c: dict) -> tuple[float, float]:
    """Launch mass factor and the speed (mph) up to which the launch is traction-limited."""
    v = np.linspace(0.0, 60.0 * perf.MPH, 241)[None, :]
    ratio: list = []
    perf.tractive_force(v, x, "bev", "single_speed", c, ratio_out=ratio)
    slip = np.asarray(ratio[0])[0] == 0.0
    v_slip = float(v[0, slip][-1] / perf.MPH) if slip.any() else 0.0
    gamma = float(np.asarray(perf.mass_factor(x["k"], x, c, "bev")).ravel()[0])
    return gamma, v_slip


def main() -> None:
    out, launch = _runs()
    labels = ("Wong", "rotor", "J x 0.5", "J x 2")
    bev = [n for n in out["Wong"] if _is_bev(n, out)]
    ice = [n for n in out["Wong"] if n not in bev]
    print("0-60 mph of the EVs, model / published - 1 (published: us_specs.csv, basis there)")
    print(f"  {'car':42s} {'pub s':>6s} " + " ".join(f"{lab:>9s}" for lab in labels)
          + "  gamma(0) slip<mph  mu=1.0")
    for n in bev:
        x, c = launch[n]
        gamma, v_slip = _traction(x, c)
        t_mu = float(np.asarray(perf.accel_time(0.0, 60.0 * perf.MPH, x, "bev",
                                                "single_speed", {**c, "mu": 1.0})).ravel()[0])
        print(f"  {n:42s} {out['rotor'][n].published_s:6.2f} "
              + " ".join(f"{out[lab][n].error:+9.1%}" for lab in labels)
              + f"  {gamma:8.3f} {v_slip:9.1f} {t_mu / out['rotor'][n].published_s - 1:+7.1%}")
    for lab in labels:
        e = np.array([out[lab][n].error for n in bev])
        print(f"  {lab:8s} EVs n={len(e)}: mean |error| {np.mean(np.abs(e)):.1%}, "
              f"mean error {np.mean(e):+.1%}")
    for lab in ("Wong", "rotor"):
        e = np.array([case.error for case in out[lab].values()])
        print(f"  {lab:8s} all rows n={len(e)}: mean |error| {np.mean(np.abs(e)):.1%}, "
              f"mean error {np.mean(e):+.1%}")
    same = all(out[lab][n].model_s == out["Wong"][n].model_s for lab in labels for n in ice)
    print(f"  gasoline rows (n={len(ice)}) bit-identical in every run: {same}")


if __name__ == "__main__":
    main()
