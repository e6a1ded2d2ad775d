"""Issue 13's CVT / manual HWFET split, the kinematics (5 Dec 2026, probe ``cvt_cruise``;
nothing shipped): the CVT's operating line and the manual's shift schedule against the
shipped rules.

    python benchmarks/validation_probes.py cvt_cruise        # ~15 min, one-step hold-out
    python benchmarks/validation_probes.py cvt_cruise_exact  # ~12 min on 2 shared cores

Result (docs/validation.md, "The CVT / manual split: cruise engine speed and the
manual's shift schedule"): the CVTs already cruise on their top-ratio floor and the fit
pushes ``cvt_load`` to its 1.0 bound (kei WLTC 4.64 -> 8.07 %); the full schedule
overshoots; the schedule on accelerations only meets the rule below on both hold-outs
(exact: FTP 5.63 -> 5.50 %, HWFET 4.36 -> 4.34 %, kei WLTC 4.64 -> 4.81 %, twins'
split +6.6 -> -1.7 points) but worsens the automatics and the twins' combined ratio
and is an EPA-procedure rule the kernel would also apply to the WLTC and JC08; its
speeds x 0.85, the scale held out by family (every family picks it), do better still
(FTP 5.44 %, HWFET 4.22 %, kei WLTC 4.45 %, split -0.0 points): kept here as the
candidate, not shipped. The scale held out exactly (``cvt_cruise_scaled_exact``, the
schedule on ``mt5`` / ``mt6`` only, :data:`SCOPE_TRANS`): every family picks x 0.85, FTP
5.63 -> 5.43 %, HWFET 4.36 -> 4.22 %, kei WLTC 4.45 % with the schedule on every cycle,
4.82 % with it on the EPA cycles only (MLIT's kei manuals 8.27 -> 6.61 / 9.78 %). On the
WLTC and JC08 the shipped rule is UN GTR No. 15 Annex 2's gear rule to within its floor
and margin and the schedule is not (``cvt_cruise_scope``: :func:`gtr15_gear_index`,
:func:`japan_gear_table`), so the shipping plan in docs/validation.md scopes it to the
EPA cycles.

**The rule, written before the run.** A trial is shipped as the default only if, refitted
on the 649 gasoline configurations and held out by family (``ice_lofo(exact=False)`` on
the probes' ``RATIO_GRID``, as ``cvt_losses``): (1) the CVT / manual twins' held-out
HWFET - FTP ratio-error split (``twin_ratio``: FTP -0.9, HWFET +5.7 %) shrinks; (2) the
all-gasoline held-out FTP and HWFET MAE are each not worse by more than 0.05 point
(the transmission trials' rule); (3) the kei WLTC check (all-car fit) is not worse by
more than 0.2 point. Else it stays here, reported "tried, not kept" with its numbers.

``twin_ratio`` found the CVT / manual ratio too high on the HWFET (+5.7 %, every make);
``cvt_losses`` found a loss law cannot close it and about half of it on the manual side
(held-out class bias FTP +3.3, HWFET -1.0 %). Two kinematic levers:

* **The CVT's cruise engine speed** (``cvt_load`` fitted). The shipped CVT holds the
  engine on ``w = P_b / (k_cvt T_NA)`` clipped to the ratio range ``[v k_hi, v k_lo]``
  and the floor ``N_cvt`` (:func:`keidesign.energy.powertrains._cycle_engine_speed`),
  ``k_cvt`` = 0.6 assumed (A). ``k_hi`` of an EPA row is its published N/V (engine rpm
  per mph in the top, for a CVT the overdrive, ratio:
  :class:`keidesign.energy.testcars.TestCar`), so the floor ``v k_hi`` is the lowest
  engine speed the ratio range allows at a road speed. The probe's table
  (:func:`cruise_table`) shows the shipped CVTs on that floor at 50-60 mph and on
  the HWFET's cruise: the operating line is below it (at 60 mph it asks 950-1800 rpm,
  the floor is 1500-2000 rpm). A published figure agrees: the 2015 Honda CR-V 2.4 CVT
  runs 1500 rpm at 55 mph and 1800 rpm at 65 mph in Drive (tflcar.com, 2014, "2015 Honda
  CR-V: Low RPMs for High MPGs?", R), 27.3 and 27.7 rpm/mph: one ratio over that range,
  the overdrive end, not an operating line that rises with the power. So the CVT's
  cruise speed is already the kinematic minimum and cannot go lower; the only kinematic
  lever left is a higher line (``k_cvt`` below 0.6: the controller keeps a torque
  reserve, which raises the speed on the accelerations and, below about 0.4, at cruise
  too). ``cvt_load`` is fitted with the other constants (start 0.6, bounds 0.2-1.0).
* **The manual's shift schedule by vehicle speed** (``manual_schedule_mph``). The EPA
  driver shifts a manual as the maker recommends to the buyer (40 CFR 86.128-79 (a):
  "All test conditions, except as noted, shall be run according to the manufacturer's
  recommendations to the ultimate purchaser", read in the eCFR text quoted at
  ecomodder.com/forum/399302-post17.html, 2013, with NRCan's reply that
  "manufacturers provide the speeds at which the manual transmission should be shifted
  for each gear", R). The makers' owner's-manual tables give upshift speeds by vehicle
  speed: 1-2 17, 2-3 24, 3-4 35, 4-5 41, 5-6 50 mph (Polaris Slingshot owner's manual,
  GM 2.4 L with a 5-speed manual, publications.polaris.com, R); 1-2 17, 4-5 27, 5-6 42
  mph (2006 Dodge Viper, owner's manual p. 123, R). The model's rule (the highest gear at
  or above ``shift_rpm`` with a 20 % power reserve) upshifts the CVT twins' manuals on
  the FTP at 11.6 / 15.6 / 21.2 / 28.8 / 42.7 mph (medians; :func:`shift_table`): two
  to four gear-steps earlier on the urban cycle, a lower engine speed than the test
  driver's, which is the manual's FTP optimism the twins show. The trial: gear ``g``
  (0 = first) on an interval of mean speed ``v`` is the number of schedule speeds
  ``v_1 .. v_{G-1}`` at or below ``v`` (the Slingshot's table, the one complete
  schedule read: 17, 24, 35, 41, 50 mph, A for every car, the first ``G - 1`` of them;
  the same speeds on the way down, A), lowered to the highest gear with the shipped
  20 % power reserve where that gear lacks it, and the engine never below idle (the
  clutch slips). Unlike the 3 Dec 2026 trial (the "default schedule of 40 CFR 86.128 as
  recalled", 15 / 25 / 40 / 45 mph, docs/validation.md), these are read speeds. A
  variant (``manual_schedule_accel_only``) takes the schedule on the accelerating
  intervals only (``dv`` > 0) and the shipped rule elsewhere: the makers print the
  speeds "for acceleration" and allow "earlier upshifts during cruise conditions
  (relatively steady speeds)" for economy (2006 Viper owner's manual, R).

**Shipped (5 Dec 2026).** The accelerations-only schedule on the driver-shifted manuals,
scoped to the EPA cycles, is now the kernel's
(:func:`keidesign.energy.powertrains.scheduled_gear_index`, ``ice_cycle``'s
``manual_schedule``; ``[ice] manual_schedule_mph``, its scale 0.85 / 1.0 a grid
dimension of the calibration). This module keeps the trials around it: the schedule on
every interval, on every cycle (the WLTC and JC08 too), at other speeds, and
``cvt_load`` fitted. Its trial key is :data:`SCHEDULE` (``manual_schedule_trial_mph``,
not the shipped constant's name): with it the trial's schedule replaces the shipped one
on every cycle the kernel runs; without it the shipped model runs (the stored schedule
on the EPA cycles where the caller passes it).

The shipped kernel stays the one implementation: :func:`active` swaps in, for its
duration, a wrapper of the engine-speed rule that applies the trial's schedule to the
driver-shifted manuals when :data:`SCHEDULE` is in the ``[ice]`` constants (on the
accelerations only: the shipped :func:`keidesign.energy.powertrains.
scheduled_gear_index` with the trial's speeds; every other case is the shipped
function), and calibration's ``fit_vectors`` that knows ``cvt_load``
(``ice_section`` passes it as it is), over every module-level binding
(:func:`transmission_trials.swapped_in`), then checks that both reach calibration's
prediction (:func:`check_effect`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import transmission_trials as tt

from geometry import ad as D
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc

#: fit name of the CVT operating line (the ``[ice]`` constant ``cvt_load``), start, bounds
CVT_LOAD = "cvt_load"
CVT_LOAD_TRIAL = {"x0": 0.6, "lb": 0.2, "ub": 1.0}
#: ``[ice]`` key of the trial's upshift schedule (mph, first to second, ...); not the
#: shipped ``manual_schedule_mph``, which the kernel applies on the EPA cycles only
SCHEDULE = "manual_schedule_trial_mph"
#: the makers' recommended upshift speeds read (Polaris Slingshot, GM 2.4 L 5MT; R), mph
SLINGSHOT_MPH = cal.MAKERS_UPSHIFT_MPH
#: ``[ice]`` key: the schedule on accelerating intervals only (``dv`` > 0), the shipped
#: rule elsewhere (the Viper manual's "earlier upshifts during cruise conditions")
ACCEL_ONLY = "manual_schedule_accel_only"
#: the transmissions the schedule applies to: the driver-shifted manuals. The automated
#: manuals (``amt5``, ``amt6``, of the manual family) are shifted by their controller,
#: not by the owner's-manual table, and keep the shipped rule (5 Dec 2026; no EPA test
#: car, kei WLTC check row or MLIT kei manual of the probes is an AMT, so no figure
#: moved). The kernel's own scope since the schedule shipped.
SCOPE_TRANS = pt.MANUAL_SCHEDULE_TRANS


def _mps(schedule: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(float(v) * pt.MPH for v in schedule)


def schedule_gear(vb: np.ndarray, n_g: int, schedule: tuple[float, ...]) -> np.ndarray:
    """Gear index ``(T,)`` (0 = first) of the speed schedule: the number of the first
    ``n_g - 1`` upshift speeds (mph) at or below each interval's mean speed ``vb`` (m/s)
    (the shipped :func:`keidesign.energy.powertrains.schedule_gear`, in mph)."""
    return pt.schedule_gear(vb, n_g, _mps(schedule))


def scheduled_index(x: dict, tr: pt.Trace, pe: Any, trans: str, c: dict,
                    turbo: bool) -> np.ndarray:
    """Gear index ``(n, T)`` of the trial: the schedule's gear, lowered to the highest
    gear with the shipped 20 % power reserve (:func:`keidesign.energy.powertrains.
    gear_index` with no speed floor) where the schedule's gear lacks it; with
    :data:`ACCEL_ONLY` the shipped :func:`keidesign.energy.powertrains.
    scheduled_gear_index` at the trial's speeds (the shipped rule off the
    accelerations)."""
    n_g = pt.GEARS[trans]
    kg = D.real(pt.gear_ratios(x, n_g))
    args = (kg, tr.vb, D.real(pe), D.real(x["t_r"]), D.real(x["p_r"]), D.real(x["w_r"]),
            c["idle_rpm"] * pt.RPM)
    if c.get(ACCEL_ONLY, False):
        return pt.scheduled_gear_index(*args, tt.upshift_rpm(c, trans) * pt.RPM, turbo,
                                       tr.dv, _mps(c[SCHEDULE]))
    reserve = pt.gear_index(*args, 0.0, turbo)
    return np.minimum(schedule_gear(tr.vb, n_g, c[SCHEDULE])[None, :], reserve)


def engine_speed(x: dict, tr: pt.Trace, pe: Any, trans: str, c: dict,
                 turbo: bool, lockup: str = "all",
                 manual_schedule: tuple[float, ...] | None = None,
                 behind: np.ndarray | None = None) -> tuple[Any, Any]:
    """The transmission trials' engine-speed rule (``manual_schedule``, the shipped
    schedule the caller passes, and ``behind`` passed on); a driver-shifted manual
    (:data:`SCOPE_TRANS`) with ``c[SCHEDULE]`` takes the trial's scheduled gear
    (:func:`scheduled_index`) on every cycle instead (the shipped full-throttle gear on
    the intervals ``behind`` the trace), the engine at least at idle."""
    if trans not in SCOPE_TRANS or SCHEDULE not in c:
        return tt.engine_speed(x, tr, pe, trans, c, turbo, lockup, manual_schedule, behind)
    kg = pt.gear_ratios(x, pt.GEARS[trans])
    idx = scheduled_index(x, tr, pe, trans, c, turbo)
    if behind is not None and np.any(behind):
        idx = np.where(behind, pt._full_throttle_gear(
            D.real(kg), tr.vb, D.real(x["t_r"]), D.real(x["p_r"]), D.real(x["w_r"]),
            c["idle_rpm"] * pt.RPM, turbo), idx)
    w_g = tr.vb * D.gather(kg, idx)
    return D.smax(w_g, c["idle_rpm"] * pt.RPM, pt.ENGINE_SPEED_EPS), w_g


def fit_vectors(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The transmission trials' ``fit_vectors`` that also knows :data:`CVT_LOAD`."""
    b = CVT_LOAD_TRIAL
    rows = [(b["x0"], b["lb"], b["ub"]) if n == CVT_LOAD else
            tuple(float(v[0]) for v in tt.fit_vectors((n,))) for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def check_effect() -> None:
    """Raise unless ``cvt_load`` 0.3 moves calibration's predicted FTP of the first EPA
    CVT test car and the schedule that of the first manual by more than 0.1 % (stored
    constants): the trials reach the code the probe fits with."""
    c, fit, _ = cal.stored_fits()
    cars = [car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES]
    for family, trial in (("cvt", {CVT_LOAD: 0.3}), ("manual", {SCHEDULE: SLINGSHOT_MPH})):
        car = next(car for car in cars if pt.FAMILY[car.trans] == family)
        base = cal.predict_ice([car], c, fit)["ftp"][0]
        moved = cal.predict_ice([car], c, {**fit, **trial})["ftp"][0]
        if not abs(moved / base - 1.0) > 1e-3:
            raise RuntimeError(f"cvt_cruise trial {trial} does not reach calibration."
                               f"predict_ice ({car.key}: {base:.4f} -> {moved:.4f} mpg): "
                               "a caller holds a shipped function this swap did not "
                               "replace")


def swaps() -> tuple:
    """The transmission trials' swaps with this module's ``engine_speed`` and
    ``fit_vectors`` in place of theirs."""
    mine = {tt.SHIPPED.engine_speed: engine_speed, tt.SHIPPED.fit_vectors: fit_vectors}
    return tuple((s, mine.get(s, w)) for s, w in tt.swaps())


@contextmanager
def active() -> Iterator[None]:
    """The kernel and calibration with the trials available, for the ``with`` block."""
    with tt.swapped_in(swaps(), check_effect):
        yield


def _params(car: tc.TestCar, c: dict) -> dict:
    return cal.epa_ice_params([car], c, c["roadload"]["rotating_mass_fraction"])


def cruise_table(cars: list[tc.TestCar], c: dict, fit: dict) -> list[dict]:
    """Per CVT car the shipped rule's engine speed (rpm): at steady 50 and 60 mph (the
    operating line and the top-ratio floor ``v x N/V``), and its mean over the HWFET's
    cruise (intervals above 45 mph with ``|dv|`` < 0.3 m/s) against the floor's mean."""
    from keidesign.energy.cycles import segments

    ice = cal._ice_kernel_consts(c, fit)
    tr = pt.Trace.of(segments(("hwfet",)))
    cruise = (tr.vb > 45.0 * pt.MPH) & (np.abs(tr.dv) < 0.3)
    out = []
    for car in cars:
        x = _params(car, c)
        w = np.asarray(pt.ice_cycle(segments(("hwfet",)), x, "cvt", ice)["w"])[0]
        row = {"car": car, "nv": car.nv,
               "hwfet": w[cruise].mean() / pt.RPM,
               "hwfet_floor": (tr.vb[cruise] * x["k_hi"][0, 0]).mean() / pt.RPM}
        for mph in (50.0, 60.0):
            v = mph * pt.MPH
            pe = ((x["f0"] * v + x["f1"] * v**2 + x["f2"] * v**3)[0, 0]
                  / pt.transmission_efficiency(ice, "cvt") + ice["acc_kw"] * 1e3)
            w_op = pe / (ice["cvt_load"] * x["t_r"][0, 0]) / pt.RPM
            floor = max(v * x["k_hi"][0, 0] / pt.RPM, ice["cvt_min_rpm"])
            row[mph] = (w_op, floor, max(w_op, floor))
        out.append(row)
    return out


def shift_table(cars: list[tc.TestCar], c: dict, fit: dict) -> list[dict]:
    """Per manual car the speed-floor gear rule's upshift speeds on the FTP (mph, median
    over the accelerating intervals where the gear steps up) and on the HWFET's cruise its
    share in top gear and mean engine speed (rpm). That rule (``gear_index`` at
    ``shift_rpm``) is the shipped one on the WLTC and JC08 and on every non-manual; since
    5 Dec 2026 a driver-shifted manual on the EPA cycles follows the upshift schedule
    instead (``[ice] manual_schedule_mph``), so this table is the rule before it."""
    from keidesign.energy.cycles import segments

    ice = cal._ice_kernel_consts(c, fit)
    out = []
    for car in cars:
        x = _params(car, c)
        row: dict = {"car": car, "nv": car.nv}
        for cyc in (("udds_bag1", "udds_bag2"), ("hwfet",)):
            tr = pt.Trace.of(segments(cyc))
            pw = pt.wheel_power(x, tr)
            eta = pt.transmission_efficiency(ice, car.trans)
            pe = np.maximum(pw, 0.0) / eta - np.maximum(-pw, 0.0) * eta + ice["acc_kw"] * 1e3
            n_g = pt.GEARS[car.trans]
            kg = pt.gear_ratios(x, n_g)
            idx = pt.gear_index(kg, tr.vb, pe, x["t_r"], x["p_r"], x["w_r"],
                                ice["idle_rpm"] * pt.RPM, ice["shift_rpm"] * pt.RPM,
                                False)[0]
            if cyc[0] == "hwfet":
                cr = (tr.vb > 45.0 * pt.MPH) & (np.abs(tr.dv) < 0.3)
                row["top"] = float((idx[cr] == n_g - 1).mean())
                row["hwfet_rpm"] = float((tr.vb[cr] * kg[0][idx[cr]]).mean() / pt.RPM)
                continue
            up = (tr.dv[1:] > 0) & (idx[1:] == idx[:-1] + 1)
            row["up"] = [float(np.median(tr.vb[1:][up & (idx[:-1] == g)]) / pt.MPH)
                         if (up & (idx[:-1] == g)).any() else float("nan")
                         for g in range(n_g - 1)]
        out.append(row)
    return out


def gtr15_gear_index(kg: np.ndarray, tr: pt.Trace, pe: np.ndarray, x: dict,
                     idle_rpm: float, turbo: bool) -> np.ndarray:
    """Gear index ``(n, T)`` (0 = first) of UN GTR No. 15 (WLTP) Annex 2's initial gear
    rule for manual transmissions, on the kernel's inputs (no smoothing corrections).

    Annex 2 para. 3.3-3.5 (as transcribed in the JRC ``wltp`` package, docs/annex-2.rst,
    phase-1b text, and its ``calc_fixed_n_min_drives``; R): the initial gear of each
    second is the highest gear ``i`` with ``n_min_drive(i) <= n_i <= n_max`` and
    ``P_available,i = P_wot(n_i) (1 - SM) >= P_required``, SM = 10 %, where
    ``n_min_drive`` = ``n_idle`` in first, ``1.15 n_idle`` in second on an
    acceleration (``0.9 n_idle`` otherwise), and ``n_idle + 0.125 (s - n_idle)`` from
    third gear on (``s`` the rated speed; "higher values may be used if requested by
    the manufacturer"). Here ``P_wot`` is the kernel's full-load curve
    (``powertrains._full_load_power``), ``P_required`` the kernel's engine power demand
    ``pe`` (W; the Annex's is the wheel power with ``kr`` = 1.1 on the inertia term and
    no transmission loss: A, a few per cent of the demand), ``n_max`` the shipped
    ``1.1 w_r``; where no gear qualifies, the lowest with the margin (else first), as
    the shipped :func:`keidesign.energy.powertrains.gear_index`. The Annex's corrections
    (gears held 2 s or more on accelerations, no skipped gears on accelerations, 1-5 s
    sequences removed, para. 4) are not applied: the table compares the gear choice
    rule, not the smoothed gear trace."""
    n_g = kg.shape[-1]
    w_idle = idle_rpm * pt.RPM
    w_all = tr.vb[None, :, None] * kg[:, None, :]
    xr = {k: np.asarray(x[k], dtype=float)[:, :, None] for k in ("t_r", "p_r", "w_r")}
    p_avail = pt._full_load_power(np.maximum(w_all, w_idle), xr, turbo)
    margin = pe[..., None] <= 0.9 * p_avail
    n_min = w_idle + 0.125 * (xr["w_r"] - w_idle)
    second = np.where(tr.dv > 0.0, 1.15 * w_idle, 0.9 * w_idle)[None, :, None]
    g = np.arange(n_g)[None, None, :]
    floor = np.where(g >= 2, n_min, np.where(g == 1, second, w_idle))
    ok = (w_all >= floor) & margin & (w_all <= 1.1 * xr["w_r"])
    highest_ok = n_g - 1 - np.argmax(ok[..., ::-1], axis=-1)
    lowest = np.argmax(margin, axis=-1)
    return np.where(ok.any(axis=-1), highest_ok, np.where(margin.any(axis=-1), lowest, 0))


def upshift_speeds(idx: np.ndarray, tr: pt.Trace, n_g: int) -> list[float]:
    """Median vehicle speed (mph) of the upshifts ``g -> g + 1`` on accelerating intervals
    of one gear trace ``idx`` ``(T,)`` (NaN where the trace has none)."""
    up = (tr.dv[1:] > 0) & (idx[1:] == idx[:-1] + 1)
    return [float(np.median(tr.vb[1:][up & (idx[:-1] == g)]) / pt.MPH)
            if (up & (idx[:-1] == g)).any() else float("nan") for g in range(n_g - 1)]


def japan_gear_table(rows: list[tuple[str, dict, str, bool, str]], c: dict, fit: dict,
                     schedule: tuple[float, ...]) -> list[dict]:
    """Per manual ``(name, kernel params x, trans, turbo, WLTC class)`` on the WLTC
    (Japan's WLTC mode, low + medium + high) and the JC08: upshift speeds (mph, medians over
    the accelerations) of the shipped rule, of :func:`gtr15_gear_index` and of the
    ``schedule`` (mph) on accelerations (:func:`scheduled_index`'s trial, the shipped
    rule elsewhere); the shares of the moving intervals where the shipped gear and the
    schedule's equal the GTR 15 rule's, and the GTR 15 ``n_min_drive`` (rpm)."""
    from keidesign.energy.cycles import segments
    from keidesign.energy.vehicle import wltc_segments

    ice = cal._ice_kernel_consts(c, fit)
    out = []
    for name, x, trans, turbo, wcls in rows:
        n_g = pt.GEARS[trans]
        kg = np.asarray(pt.gear_ratios(x, n_g), dtype=float)
        w_r = float(np.asarray(x["w_r"]).ravel()[0])
        row: dict = {"name": name, "trans": trans,
                     "n_min_drive": (ice["idle_rpm"] + 0.125 * (w_r / pt.RPM
                                                                 - ice["idle_rpm"]))}
        for cyc, seg in (("wltc", wltc_segments(wcls)), ("jc08", ("jc08",))):
            tr = pt.Trace.of(segments(seg))
            pw = np.asarray(pt.wheel_power(x, tr), dtype=float)
            eta = pt.transmission_efficiency(ice, trans)
            pe = np.maximum(pw, 0.0) / eta - np.maximum(-pw, 0.0) * eta + ice["acc_kw"] * 1e3
            args = (kg, tr.vb, pe, x["t_r"], x["p_r"], x["w_r"], ice["idle_rpm"] * pt.RPM)
            shipped = pt.gear_index(*args, ice["shift_rpm"] * pt.RPM, turbo)[0]
            gtr = gtr15_gear_index(kg, tr, pe, x, ice["idle_rpm"], turbo)[0]
            sched = pt.scheduled_gear_index(*args, ice["shift_rpm"] * pt.RPM, turbo,
                                            tr.dv, _mps(schedule))[0]
            moving = tr.vb > 1.0 / 3.6
            acc = moving & (tr.dv > 0.0)
            row[cyc] = {"shipped": upshift_speeds(shipped, tr, n_g),
                        "gtr15": upshift_speeds(gtr, tr, n_g),
                        "schedule": upshift_speeds(sched, tr, n_g),
                        "same_shipped": float((shipped == gtr)[moving].mean()),
                        "same_schedule": float((sched == gtr)[moving].mean()),
                        "same_shipped_acc": float((shipped == gtr)[acc].mean()),
                        "same_schedule_acc": float((sched == gtr)[acc].mean()),
                        "rpm": {k: float((tr.vb * kg[0][g])[moving].mean() / pt.RPM)
                                for k, g in (("shipped", shipped), ("gtr15", gtr),
                                             ("schedule", sched))}}
        out.append(row)
    return out
