"""EV FTP from the measured coast-down: residual analysis of the 55 EPA EV
configurations and trial physics (issue 13, s33b, 6 Dec 2026; run by
``python benchmarks/validation_probes.py ev_ftp``).

**Ship rule, written 6 Dec 2026 16:04 UTC before the first trial run.** A trial term
(physics with a cited source; at most two constants, fitted on every EV family with the
five ``[bev]`` constants) ships only if, held out by family (the calibration's BEV lofo:
every fitted BEV constant refitted without the family) on the 55 EPA EV
configurations: the EV FTP MAE <= 5.0 % with |bias| <= 2 %, the HWFET MAE <= 4.7 %
(shipped 4.72 %, so not above it at the printed decimal), and then the EV label from
specs held out by family (combined) MAE not above its current 4.4 %, and the kei EV
WLTC check (all-EV fit) MAE not above 1 %. Otherwise nothing ships and the trial stays
here, its numbers in docs/validation.md under a "tried, not shipped" paragraph.

Candidate trials (each named before its run):

* **T1, the motor rotor's inertia on the dynamometer** (named 16:04 UTC). The cycle
  model's effective mass is ``ETW (1 + f)`` with ``f`` = 0.03 (UN GTR No. 15's allowance
  for the wheels) for every car; a single-speed BEV's rotor turns with the driven
  wheels at ``k`` rad/s per m/s (8-10 x the wheel speed), so it stores ``J_rotor k^2 /
  2 v^2`` of kinetic energy that the dynamometer's inertia setting (ETW) does not
  simulate and the friction brakes and the regeneration must take back:
  ``m_eff = ETW (1 + f) + J_rotor k^2`` with ``J_rotor`` from the motor's peak torque
  (:func:`keidesign.energy.performance.rotor_inertia`, the similarity law ``J ~
  T^(5/4)`` from the UQM SR218N's 0.047 kg m^2 at 248 N m, R); nothing new fitted.
* **T2, the motor's open-circuit spin loss counted once** (named 16:07 UTC). The EPA
  targets come from a coast-down in neutral, which holds the drag of a single-speed
  BEV's motor turning with the wheels: a permanent-magnet rotor's open-circuit iron loss
  and every rotor's windage (:func:`keidesign.energy.powertrains.coastdown_drag`;
  Moskalik, SAE 2020-01-1064; Hyundai and Kia, *Coastdown Facts*, R). The road load from
  specs carries the same drag (``motor_drag``). The shipped loss map charges both terms
  again on every interval (``motor_loss``: ``a w^2 + b w^3``), so the spin loss is
  counted twice. The trial charges the motor loss without them where the road load
  holds them (every BEV cycle: the EPA targets and the designs' road load from specs
  with ``motor_drag``): ``P_loss = k_m size [c_cu tau^2 + c_mag i] + i a w^2`` (an
  induction machine's iron loss stays: unexcited in neutral, it has no flux; its
  windage is in the targets). Nothing new fitted; the five ``[bev]`` constants refitted.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

import numpy as np
from ev_standing_trial import _mae, lofo  # (benchmarks/ev_standing_trial.py)

from keidesign.energy import calibration as cal
from keidesign.energy import performance as perf
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc

SHIPPED_PARAMS = cal.epa_bev_params
SHIPPED_LOSS = pt.motor_loss


def t1_params(cars: list, c: dict) -> dict:
    """:func:`keidesign.energy.calibration.epa_bev_params` with the rotor's reflected
    inertia in the effective mass: ``m_eff = ETW (1 + f) + J_rotor(T_r) k^2`` (kg)."""
    x = SHIPPED_PARAMS(cars, c)
    j = perf.rotor_inertia(x["t_r"], c["performance"])
    x["m_eff"] = x["m_eff"] + j * x["k"] * x["k"]
    return x


def t2_loss(p_shaft, w, p_r, t_r, c: dict, induction=0.0):
    """:func:`keidesign.energy.powertrains.motor_loss` without the open-circuit spin loss
    the road load holds (a permanent-magnet machine's iron loss, every machine's
    windage; :func:`keidesign.energy.powertrains.coastdown_drag`)."""
    a_fe, b_w = pt.spin_loss_coefficients(p_r, t_r, c)
    return (SHIPPED_LOSS(p_shaft, w, p_r, t_r, c, induction)
            - (1.0 - induction) * a_fe * w * w - b_w * w**3)


@contextmanager
def swapped(trial: str | None) -> Iterator[None]:
    """The trial's physics on the EPA rows and the designs (None: as shipped)."""
    with ExitStack() as st:
        if trial == "T1":
            st.enter_context(mock.patch.object(cal, "epa_bev_params", t1_params))
        elif trial == "T2":
            st.enter_context(mock.patch.object(pt, "motor_loss", t2_loss))
        yield


def rule_a(base: dict, tr: dict) -> tuple[bool, str]:
    """The rule's (a) part: FTP MAE <= 5.0 % with |bias| <= 2 %, HWFET MAE <= 4.7 %."""
    f, fb, h = _mae(tr["ftp"]), float(np.mean(tr["ftp"])), _mae(tr["hwfet"])
    ok = f <= 0.0505 and abs(fb) <= 0.02 and h <= 0.0475
    return ok, (f"FTP {100 * _mae(base['ftp']):.2f} -> {100 * f:.2f} % ({100 * fb:+.2f} %), "
                f"HWFET {100 * _mae(base['hwfet']):.2f} -> {100 * h:.2f} % "
                f"({100 * float(np.mean(tr['hwfet'])):+.2f} %): "
                + ("passes (a)" if ok else "fails"))


def features(ev: list) -> dict[str, np.ndarray]:
    """Candidate explanatory variables of the held-out error, per configuration."""
    def road(car: tc.TestCar, mph: float) -> float:
        v = mph * 0.44704
        return (car.f0 + car.f1 * v + car.f2 * v * v) / car.etw

    return {name: np.array(vals, dtype=float) for name, vals in {
        "rated power / ETW": [(car.motor_kw or car.hp * 0.7457) / car.etw for car in ev],
        "rated torque / ETW": [(car.motor_nm or 320.0) / car.etw for car in ev],
        "model year": [car.year for car in ev],
        "ETW": [car.etw for car in ev],
        "N/V": [car.nv for car in ev],
        "on-board charger": [car.charger_kw or pt.CHARGER_KW_DEFAULT for car in ev],
        "front drive": [car.drive == "fwd" for car in ev],
        "rear drive": [car.drive == "rwd" for car in ev],
        "induction (any)": ["induction" in (car.motor_type or "") for car in ev],
        "F0 / ETW": [car.f0 / car.etw for car in ev],
        "target force at 20 mph / ETW": [road(car, 20.0) for car in ev],
        "target force at 50 mph / ETW": [road(car, 50.0) for car in ev],
    }.items()}


def residuals(ev: list, err: dict) -> None:
    """Per-family mean held-out errors (sorted by FTP) and the Pearson r of the FTP, the
    HWFET and the FTP - HWFET error with :func:`features`."""
    fams = sorted({car.family for car in ev},
                  key=lambda f: np.mean([err["ftp"][i] for i, car in enumerate(ev)
                                         if car.family == f]))
    print("per family, held-out FTP / HWFET / FTP - HWFET (%):")
    for fam in fams:
        i = [j for j, car in enumerate(ev) if car.family == fam]
        ef, eh = err["ftp"][i], err["hwfet"][i]
        print(f"    {fam[:24]:24s} n {len(i):2d}  {100 * np.mean(ef):+6.1f} "
              f"{100 * np.mean(eh):+6.1f} {100 * np.mean(ef - eh):+6.1f}")
    ef, eh = err["ftp"], err["hwfet"]
    print(f"r(FTP error, HWFET error) = {np.corrcoef(ef, eh)[0, 1]:+.2f}")
    for name, v in features(ev).items():
        r = [np.corrcoef(v, e)[0, 1] for e in (ef, eh, ef - eh)]
        print(f"    {name:30s} r with FTP {r[0]:+.2f}, HWFET {r[1]:+.2f}, "
              f"FTP - HWFET {r[2]:+.2f}")


def main(argv: list[str] | None = None) -> None:
    """Print the shipped and trial hold-outs (55 EPA EV configurations), the all-EV fits,
    the per-family moves and the rule's verdict on its (a) part."""
    trials = (argv or sys.argv[1:]) or ["T1", "T2"]
    c = cal.load_constants()
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    t0 = time.time()
    base = lofo(ev, c)
    print(f"shipped: FTP {100 * _mae(base['ftp']):.2f} % ({100 * np.mean(base['ftp']):+.2f} %),"
          f" HWFET {100 * _mae(base['hwfet']):.2f} % ({100 * np.mean(base['hwfet']):+.2f} %)"
          f" [{time.time() - t0:.0f} s]", flush=True)
    residuals(ev, base)
    fams = sorted({car.family for car in ev})
    for name in trials:
        with swapped(name):
            tr = lofo(ev, c)
            f_all = cal.fit_bev(ev, c)
        print(f"{name}: all-EV fit " + ", ".join(f"{k} {v:.4g}" for k, v in f_all.items()))
        print(f"{name}: " + rule_a(base, tr)[1], flush=True)
        for fam in fams:
            i = [j for j, car in enumerate(ev) if car.family == fam]
            print(f"    {fam[:24]:24s} FTP {100 * np.mean(base['ftp'][i]):+6.1f} -> "
                  f"{100 * np.mean(tr['ftp'][i]):+6.1f}  HWFET "
                  f"{100 * np.mean(base['hwfet'][i]):+6.1f} -> "
                  f"{100 * np.mean(tr['hwfet'][i]):+6.1f}")


if __name__ == "__main__":
    main()
