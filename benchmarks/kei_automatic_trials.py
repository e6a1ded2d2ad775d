"""The kei automatics' transmission trials (issue 13, 4 Dec 2026, none shipped): the
physics the probes ``python benchmarks/validation_probes.py kei_automatic``,
``kei_automatic_fit``, ``kei_automatic_idle``, ``kei_automatic_idle_fit`` and
``converter_lockup`` swap in, kept out of the shipped ICE kernel
(:mod:`keidesign.energy.powertrains`; docs/validation.md, "Kei automatics" and "Kei
automatics, second round").

Each trial is a constant of the ``[ice]`` section (absent: the shipped model):

* **Open converter below the lock-up gear on every 3-4 speed automatic** (the EPA rows
  too; :func:`trial_lockup`): ``tc_open_ratio`` (a constant speed ratio,
  :func:`constant_speed_ratio`) or ``tc_stall_rpm`` (the capacity law's slip with that
  stall speed). Since 4 Dec 2026 the capacity law is shipped as a design choice
  (``powertrain.converter_lockup``, :func:`keidesign.energy.powertrains.
  converter_speed_ratio`, stall speed :data:`keidesign.energy.powertrains.TC_STALL_RPM`);
  the trial calls it and only decides which cars' converters open, and at what stall
  speed.
* **Input spin loss** of a torque-converter automatic (:func:`spin_loss_torque`):
  ``at_spin_nm`` (N m), ``at_spin_scope``, ``at_spin_law``. Its constant torque on the
  3-4 speed automatics is shipped since 7 Dec 2026 (task s35h:
  :func:`keidesign.energy.powertrains.spin_torque`, ``at_spin_nm`` fitted in
  ``calibration.toml``); the trial reuses it and adds only its other scopes and law
  (:func:`trial_loads`); :func:`before_spin` gives the model before.
* **Later upshift** of a 3-4 speed automatic (:func:`shift_speed`): ``at_shift_rpm``;
  **load-dependent upshift** (:func:`shift_load_speed`, :data:`SUZUKI_4AT_SHIFT_LINE`):
  ``at_shift_load_rpm``, ``at_shift_load_ref``.
* **The converter's load at idle in Drive** (:func:`converter_idle_torque`):
  ``tc_idle_stall_rpm``, ``tc_idle_scope``.

The shipped kernel stays the one implementation where it can: :func:`active` swaps in,
for its duration, :func:`engine_speed` (the shipped function when no trial constant of
its own is given; else the shipped steps with the trial terms), :func:`ice_cycle` (the
shipped kernel run with the load law :func:`trial_loads`, through its ``load_law``
argument: no copy of the kernel) and calibration's ``fit_vectors`` with a version that
knows the trial fit names (:data:`TRIAL_BOUNDS`). The swap replaces every module-level
name bound to a shipped function (:func:`transmission_trials.swapped_in`), then checks
that the trials reach calibration's prediction (:func:`check_effect`).
:func:`with_trials` runs a probe inside :func:`active`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import numpy as np
from transmission_trials import swapped_in

from geometry import ad as D
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.cycles import SegmentSet
from keidesign.energy.powertrains import FAMILY, GEARS, RPM

#: The shipped functions the trial versions call (taken at import, before any patch).
SHIPPED = SimpleNamespace(engine_speed=pt._cycle_engine_speed, ice_cycle=pt.ice_cycle,
                          fit_vectors=cal.fit_vectors)


def shift_speed(trans: str, c: dict) -> float:
    """Upshift engine speed (rpm) of the stepped-gearbox rule (module docstring) for
    ``trans``: ``c["shift_rpm"]`` (fitted on the EPA rows), or ``c["at_shift_rpm"]`` for a
    torque-converter automatic of four speeds or fewer when that trial constant is given
    (absent: the shipped model, one shift speed for every stepped gearbox).

    The trial (issue 13, 4 Dec 2026, ``benchmarks/validation_probes.py
    kei_automatic_idle``): a 3-4 speed automatic's part-throttle upshift line lies at a
    higher engine speed than a manual driver's, because its few, widely spaced ratios
    leave no power reserve after an early upshift and its converter, open below the top
    (lock-up) gear, needs speed to transmit torque (Naunheimer et al., *Automotive
    Transmissions*, 2nd ed., 2011, ch. 7-8, shift maps, R); the value for the kei 4ATs is
    not published (no shift map of these transmissions found: status A). Same rule as
    the shipped one (highest gear at or above the shift speed with 20 % power reserve),
    only its threshold moves. Validity: part load on the test cycles."""
    v = c.get("at_shift_rpm")
    if v and FAMILY[trans] == "automatic" and GEARS[trans] <= 4:
        return float(v)
    return float(c["shift_rpm"])


#: A Suzuki 4-speed automatic's upshift schedule (2007 Swift, ratios 2.875 / 1.568 / 1.000
#: / 0.697 as the Jimny JB64's 4AT, reduction 1.023, final 4.277; Suzuki Swift service
#: manual, "Automatic Gear Shift Table", read via carmanualsonline.info, status R): the
#: vehicle speeds of the 1-2, 2-3 and 3-4 upshifts at 10 % throttle (14-19, 31-36, 46-51
#: km/h) and 50 % (36-41, 64-69, 95-100 km/h) put the engine, after the upshift, at 990,
#: 1280, 1290 rpm and 2300, 2540, 2590 rpm on a 175/65R15 tyre (1.91 m): a line
#: ``N = 860 rpm + 3230 rpm x throttle`` through the two throttle means (1185 and 2477
#: rpm). The trial reads the throttle as the engine's load fraction (demanded over
#: full-load power at the candidate gear's speed; A: a throttle's torque share is not
#: linear in its opening).
SUZUKI_4AT_SHIFT_LINE = (860.0, 3230.0)


def shift_load_speed(trans: str, c: dict) -> float:
    """Rise (rpm per unit load fraction) of a 3-4 speed automatic's upshift engine speed
    with the load: ``c["at_shift_load_rpm"]`` when that trial constant is given (then
    :func:`gear_index` takes the highest gear whose speed is at least ``shift_speed +
    rise x P_e / P_full`` with the 20 % power reserve), else 0 (the shipped rule: one
    threshold at every load). Source of the trial's line: :data:`SUZUKI_4AT_SHIFT_LINE`.
    The load fraction is the demanded power over the full-load power at the candidate
    gear's speed, or (``c["at_shift_load_ref"]`` = ``"rated"``) over the rated power."""
    v = c.get("at_shift_load_rpm")
    if v and FAMILY[trans] == "automatic" and GEARS[trans] <= 4:
        return float(v)
    return 0.0


#: Transmissions whose converter drag at idle in Drive (:func:`converter_idle_torque`) a
#: trial applies (``c["tc_idle_scope"]``): ``"at4"`` (torque-converter automatics of four
#: speeds or fewer), ``"automatic"`` (every stepped torque-converter automatic) or
#: ``"converter"`` (those and the CVTs, most of which launch through a converter too).
TC_IDLE_SCOPES = ("at4", "automatic", "converter")


def converter_idle_torque(trans: str, t_r: Any, c: dict) -> Any:
    """Torque (N m) the torque converter takes from the engine while the car stands in
    Drive with the brakes on (the turbine held, speed ratio 0), at the idle speed.

    Physics: a hydrodynamic converter's pump torque at a given speed ratio goes with the
    square of its speed, ``T_p = (N_p / K)^2`` with ``K`` the capacity factor (rpm per
    sqrt(N m); Wong, *Theory of Ground Vehicles*, 4th ed., 2008, ch. 2, hydrodynamic
    transmissions; Naunheimer et al., *Automotive Transmissions*, 2nd ed., 2011, ch. 8;
    R). The converter is matched to the engine by its stall speed ``N_s`` (the engine
    speed at full throttle with the turbine held, where the converter absorbs the
    engine's full-load torque): ``K = N_s / sqrt(T_s)``; taking ``T_s`` = the rated
    torque ``t_r`` (assumption A: a kei NA engine gives 90-100 % of its peak torque at
    2000-3000 rpm), the idle load is

        T_idle = t_r (N_idle / N_s)^2                                      [N m]

    e.g. 63 N m x (750 / 2500)^2 = 5.7 N m, 0.45 kW at 750 rpm, 1.1 kW of fuel at the
    Willans ``e`` = 0.4, 0.13 L/h. ``N_s`` = ``c["tc_idle_stall_rpm"]`` (the "about
    2,500 rpm" normal A/T stall-test value, jidousha-seibi.jp, R; workshop manuals give
    2,000-2,900 rpm for small front-drive 4ATs, e.g. Hyundai Accent 2002 2,300-2,700, R),
    on the types of ``c["tc_idle_scope"]`` (:data:`TC_IDLE_SCOPES`, default
    ``"automatic"``). The load is what makers' "idle neutral control" removes (the
    transmission internally in neutral while the car stands in D with the brake on:
    Nissan technician information 2017, "Idle neutral control", and Mazda's workshop
    manual, both qualitative, R; one press figure, about 0.1 L/h saved by N against D
    at a stop, kangnamtimes.com Japanese edition, secondary, R, is the size of the
    estimate above). Whether the kei automatics of ``kei_automatics.csv`` have such a
    control is not known (A: none; their measure codes in MLIT's lists name none, and
    whether the lists have a code for it was not checked). With idle stop
    the engine is off while standing and there is no load. Validity: warm fluid, the
    turbine fully held (no creep), idle speed in D at the model's ``idle_rpm``. Returns
    None where the rule does not apply: the constant absent (the shipped model: the
    fitted standing term carries no transmission-specific load) or a type outside the
    scope."""
    n_s = c.get("tc_idle_stall_rpm")
    if not n_s:
        return None
    fam = FAMILY[trans]
    scope = c.get("tc_idle_scope", "automatic")
    applies = (fam == "automatic" and (scope != "at4" or GEARS[trans] <= 4)) or (
        scope == "converter" and fam == "cvt")
    if not applies:
        return None
    return t_r * (c["idle_rpm"] / n_s) ** 2


def trial_lockup(trans: str) -> str:
    """Lock-up rule (:data:`keidesign.energy.powertrains.CONVERTER_LOCKUP`) the lock-up
    trial gives a design that does not say its own (``powertrain.converter_lockup`` =
    ``"all"``, every EPA row): ``"top"`` for a torque-converter automatic of four speeds
    or fewer, ``"all"`` for every other type.

    A four-speed automatic of the 1990s-2010s locks its converter in the top (overdrive)
    gear only, above a lock-up speed, and releases it at closed throttle or with the
    brake applied (workshop manuals, status R: Nissan RL4F03A, Sentra 1999 GA16DE,
    Lock-up ON (D4): "The lock-up is applied when the specified vehicle speed is
    exceeded"; Nissan 200SX 1996, "D(1) -> D(2) -> D(3) -> D(4) -> D(4) lock-up"; Toyota
    A240E, MR2 1988, lock-up released "when the throttle is completely closed" and "when
    the brake light switch is ON"; Mazda Protege 1997 4AT, no converter-clutch operation
    at closed throttle or with the brake switch on). Five speeds and more (the early
    lock-up automatics of the EPA rows) and every other family: locked in every gear.
    Which gear the shipped rule locks comes from
    :func:`keidesign.energy.powertrains.lockup_gear`."""
    if FAMILY[trans] == "automatic" and GEARS[trans] <= 4:
        return "top"
    return "all"


#: Automatic transmissions whose input spin loss (:func:`spin_loss_torque`) a trial
#: applies: ``"at4"`` (four speeds or fewer: the older designs of the kei vans and
#: the Jimny) or ``"automatic"`` (every torque-converter automatic).
SPIN_LOSS_SCOPES = ("at4", "automatic")
#: Laws of the spin torque (``c["at_spin_law"]``): ``"constant"`` (a fixed-displacement
#: pump against a constant line pressure: torque independent of speed) or ``"viscous"``
#: (open wet clutches' drag: shear torque ``mu A r^2 w / h`` proportional to the slip
#: speed; the torque ``at_spin_nm`` is then the value at :data:`SPIN_REF_RPM`).
SPIN_LOSS_LAWS = ("constant", "viscous")
#: Engine speed (rpm) at which a ``viscous`` spin torque equals ``at_spin_nm``.
SPIN_REF_RPM = 2000.0


def spin_loss_torque(trans: str, c: dict) -> float:
    """Spin (drag) torque, N m, of a stepped torque-converter automatic at its input, of
    the trials: the shipped term (:func:`keidesign.energy.powertrains.spin_torque`, a
    3-4 speed automatic's pump and clutch drag, ``c["at_spin_nm"]``, since 7 Dec 2026:
    physics, sources, validity there) where it applies, else the same torque on the
    types of ``c["at_spin_scope"]`` (:data:`SPIN_LOSS_SCOPES`, default ``"at4"``: four
    speeds or fewer, also where ``c["at_few_gears"]`` is 0, the model before 7 Dec 2026
    that the 4 Dec trials ran on; ``"automatic"``: every torque-converter automatic).
    ``c["at_spin_law"]`` (:data:`SPIN_LOSS_LAWS`; :func:`trial_loads` applies it) makes
    it proportional to the engine speed, the value at :data:`SPIN_REF_RPM`. 0 where
    ``at_spin_nm`` is 0 or absent."""
    t = pt.spin_torque(trans, c)
    if t or FAMILY[trans] != "automatic" or not c.get("at_spin_nm"):
        return t
    if c.get("at_spin_scope", "at4") == "at4" and GEARS[trans] > 4:
        return 0.0
    return float(c["at_spin_nm"])


def constant_speed_ratio(idx: np.ndarray, n_lock: int, p_t: Any, nu: float) -> np.ndarray:
    """The first lock-up trial's slip law (4 Dec 2026): a constant turbine / pump speed
    ratio ``nu`` (``c["tc_open_ratio"]``, -) in the open gears (index ``idx`` below
    ``n_lock``, :func:`keidesign.energy.powertrains.lockup_gear`) while the engine
    drives (``p_t`` > 0, W), 1 elsewhere; the shipped capacity law
    (:func:`keidesign.energy.powertrains.converter_speed_ratio`) replaces it otherwise.
    Validity: the coupling range (``nu`` 0.8-1)."""
    open_ = (idx < n_lock) & (D.real(p_t) > 0.0)
    return np.where(open_, nu, 1.0)


#: Start and bounds of the open torque converter's speed ratio ``tc_open_ratio`` (fit
#: name of the lock-up trial, :func:`constant_speed_ratio`):
#: the coupling range, 0.8-1 (1: no slip).
TC_OPEN_TRIAL = {"x0": 0.95, "lb": 0.8, "ub": 1.0}
#: Start and bounds of the converter's stall speed ``tc_stall_rpm`` (rpm; fit name of the
#: capacity-law lock-up trial, :func:`keidesign.energy.powertrains.
#: converter_speed_ratio`): small-car converters stall at
#: 1800-3000 rpm; the lower bound, 1000 rpm, leaves almost no slip.
TC_STALL_TRIAL = {"x0": 2400.0, "lb": 1000.0, "ub": 4000.0}
#: Start and bounds of an automatic's input spin torque ``at_spin_nm`` (N m; fit name of
#: the kei-automatic trial, :func:`spin_loss_torque`): 0 (no
#: load-independent loss) to 15 N m (pump and clutch drag of a large automatic).
AT_SPIN_TRIAL = {"x0": 2.0, "lb": 0.0, "ub": 15.0}
#: Start and bounds of a 3-4 speed automatic's upshift speed ``at_shift_rpm`` (rpm; fit
#: name of the kei-automatic trial, :func:`shift_speed`):
#: the shipped grid's 1500-1750 rpm up to 3500 rpm.
AT_SHIFT_TRIAL = {"x0": 2000.0, "lb": 1000.0, "ub": 3500.0}
#: Start and bounds of the stall speed ``tc_idle_stall_rpm`` (rpm) of the converter's
#: idle load in Drive (:func:`converter_idle_torque`): small
#: converters stall at 2000-3000 rpm; the upper bound, 8000 rpm, leaves 1 % of the
#: rated torque at idle.
TC_IDLE_TRIAL = {"x0": 2500.0, "lb": 1500.0, "ub": 8000.0}

def trial_lock_index(trans: str, c: dict) -> int:
    """Index (0 = first gear) of the lowest gear in which a lock-up trial locks the
    converter of ``trans`` (a design that says ``"all"``, every EPA row): with
    ``c["at_lockup_from"]`` (a gear number, 1-based; a number above the gear count is
    the top gear) a five-speed or larger torque-converter automatic locks from that gear
    (the sourced lock-up ranges of ``keidesign/data/vehicles/at_lockup.csv``,
    ``benchmarks/at_lockup.py``); else, and for every other type, the gear of
    :func:`trial_lockup` (a 3-4 speed automatic's top gear)."""
    g = c.get("at_lockup_from")
    if g and FAMILY[trans] == "automatic" and GEARS[trans] > 4:
        return int(min(g, GEARS[trans])) - 1
    return pt.lockup_gear(trans, trial_lockup(trans))


#: The ICE fit names without the spin torque (shipped since 7 Dec 2026): the trials'
#: fits of the model before, with :func:`before_spin`.
FIT_NAMES_NO_SPIN = tuple(n for n in cal.FIT_NAMES if n != "at_spin_nm")


def before_spin(c: dict) -> dict:
    """The constants ``c`` (calibration's form, with an ``"ice"`` section) as the model
    before 7 Dec 2026 ran: every automatic whose design says ``"all"`` locked in every
    gear and no spin torque (``at_few_gears`` 0,
    :func:`keidesign.energy.powertrains.few_speed_automatic`); fit it with
    :data:`FIT_NAMES_NO_SPIN`. A trial's own spin constants (:func:`spin_loss_torque`)
    still apply."""
    ice = {k: v for k, v in c["ice"].items() if k != "at_spin_nm"}
    return {**c, "ice": {**ice, "at_few_gears": 0}}


#: Start and bounds of each trial fit name (:func:`fit_vectors`).
TRIAL_BOUNDS = {"tc_open_ratio": TC_OPEN_TRIAL, "tc_stall_rpm": TC_STALL_TRIAL,
                "at_spin_nm": AT_SPIN_TRIAL, "at_shift_rpm": AT_SHIFT_TRIAL,
                "tc_idle_stall_rpm": TC_IDLE_TRIAL}


def _converter_open(c: dict) -> bool:
    """Whether a lock-up trial constant is given (the converters of :func:`trial_lockup`
    may slip)."""
    return "tc_open_ratio" in c or bool(c.get("tc_stall_rpm"))


def engine_speed(x: dict, tr: pt.Trace, pe: Any, trans: str, c: dict,
                 turbo: bool, lockup: str = "all",
                 manual_schedule: tuple[float, ...] | None = None,
                 behind: np.ndarray | None = None) -> tuple[Any, Any]:
    """The shipped engine-speed rule (:func:`keidesign.energy.powertrains.
    _cycle_engine_speed`) with the trials' shift speeds (:func:`shift_speed`,
    :func:`shift_load_speed`) and lock-up rule (:func:`trial_lockup` where the design
    says ``"all"``; the constant ratio ``tc_open_ratio`` or the shipped capacity law at
    the stall speed ``tc_stall_rpm``): ``(w, w_g)``, rad/s. The shipped function itself
    for a CVT, a single speed and wherever no such trial constant is given (the design's
    ``lockup``, ``manual_schedule`` and ``behind`` passed on; a driver-shifted manual
    with a schedule takes the shipped
    :func:`keidesign.energy.powertrains.scheduled_gear_index` at the trial's shift speed;
    the intervals ``behind`` the trace the shipped full-throttle gear)."""
    stepped = trans != "cvt" and GEARS[trans] > 1
    w_load = shift_load_speed(trans, c) * RPM if stepped else 0.0
    if not stepped or (shift_speed(trans, c) == float(c["shift_rpm"]) and not w_load
                       and not _converter_open(c)):
        return SHIPPED.engine_speed(x, tr, pe, trans, c, turbo, lockup, manual_schedule,
                                    behind)
    vb = tr.vb
    w_idle = c["idle_rpm"] * RPM
    eps_w = pt.ENGINE_SPEED_EPS
    kg = pt.gear_ratios(x, GEARS[trans])
    args = (D.real(kg), vb, D.real(pe), D.real(x["t_r"]), D.real(x["p_r"]),
            D.real(x["w_r"]), w_idle, shift_speed(trans, c) * RPM, turbo)
    idx = (gear_index_by_load(*args, w_load=w_load,
                              load_ref=c.get("at_shift_load_ref", "full_load"))
           if w_load else pt.scheduled_gear_index(*args, tr.dv, manual_schedule)
           if manual_schedule is not None and trans in pt.MANUAL_SCHEDULE_TRANS
           else pt.gear_index(*args))
    if behind is not None and np.any(behind):
        idx = np.where(behind, pt._full_throttle_gear(*args[:2], *args[3:7], turbo), idx)
    w_g = vb * D.gather(kg, idx)
    n_lock = (trial_lock_index(trans, c) if _converter_open(c) and lockup == "all"
              else pt.lockup_gear(trans, lockup, int(c.get("at_few_gears", 0))))
    if not n_lock:
        return D.smax(w_g, w_idle, eps_w), w_g
    p_t = pe - c["acc_kw"] * 1e3
    if "tc_open_ratio" in c:
        nu = constant_speed_ratio(idx, n_lock, p_t, c["tc_open_ratio"])
    else:
        nu = pt.converter_speed_ratio(idx, n_lock, w_g, p_t, x["t_r"],
                                      c.get("tc_stall_rpm") or pt.TC_STALL_RPM)
    return D.smax(w_g / nu, w_idle, eps_w), w_g


def trial_loads(s: pt.IceIntervals,
                base: Callable[[pt.IceIntervals], tuple] = pt.willans_loads) -> tuple:
    """The load law of :func:`ice_cycle`: ``base``'s (the shipped
    :func:`keidesign.energy.powertrains.willans_loads`) with the input spin loss
    (:func:`spin_loss_torque`) on the running engine's brake power while the car moves,

        P_b' = P_b + T_spin w [v > 0],  T_spin x w / w_ref with the viscous law   (W)

    and the converter's load at idle in Drive (:func:`converter_idle_torque`) on the
    standing fuel power without idle stop,

        P_stand' = P_stand + T_idle w_idle / e                                 (W)

    ``base``'s loads unchanged where neither trial constant applies to ``s.trans``.
    ``base`` (the shipped law) already books the shipped spin torque
    (:func:`keidesign.energy.powertrains.spin_torque`, constant, on a 3-4 speed
    automatic): only the trial's torque beyond it is added here, so that the trials and
    the shipped kernel share one implementation of the term.
    Physics, sources and status: the two functions' docstrings (R and A)."""
    pe, p0, stand = base(s)
    c = s.c
    t_spin = spin_loss_torque(s.trans, c)
    viscous = c.get("at_spin_law", "constant") == "viscous"
    if t_spin and (viscous or t_spin != pt.spin_torque(s.trans, c)):
        # an automatic's pump and drag torque at the input while the car moves, less
        # the shipped term base has booked
        if viscous:
            t_spin = t_spin * s.w / (SPIN_REF_RPM * pt.RPM)
        pe = pe + (t_spin - pt.spin_torque(s.trans, c)) * s.w * (s.tr.vb > 0.0)
    t_idle = None if s.idle_stop else converter_idle_torque(s.trans, s.x["t_r"], c)
    if t_idle is not None:
        # the converter's stall-curve load at idle in Drive
        stand = stand + t_idle * c["idle_rpm"] * pt.RPM / c["e"]
    return pe, p0, stand


def ice_cycle(seg: SegmentSet, x: dict, trans: str, c: dict, idle_stop: bool = False,
              turbo: bool = False, pw: Any = None, stop_speed: float = 0.0,
              lockup: str = "all",
              load_law: Callable[[pt.IceIntervals], tuple] = pt.willans_loads,
              manual_schedule: tuple[float, ...] | None = None,
              behind: np.ndarray | None = None) -> dict:
    """The shipped ICE cycle (:data:`SHIPPED`) with the trials' load law
    (:func:`trial_loads` on top of ``load_law``); the shipped cycle's every output, bit
    for bit, where no spin loss or idle load in Drive applies to ``trans``. The trials'
    engine-speed rule (:func:`engine_speed`) reaches the kernel through the swap of
    :func:`active`, as the kernel's other callers get it."""
    return SHIPPED.ice_cycle(seg, x, trans, c, idle_stop=idle_stop, turbo=turbo, pw=pw,
                             stop_speed=stop_speed, lockup=lockup,
                             load_law=functools.partial(trial_loads, base=load_law),
                             manual_schedule=manual_schedule, behind=behind)


def fit_vectors(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibration's ``fit_vectors`` that also knows the trial fit names
    (:data:`TRIAL_BOUNDS`)."""
    rows = [tuple(TRIAL_BOUNDS[n][k] for k in ("x0", "lb", "ub")) if n in TRIAL_BOUNDS
            else tuple(float(v[0]) for v in SHIPPED.fit_vectors((n,))) for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def swaps() -> tuple[tuple[Callable, Callable], ...]:
    """``(shipped function, trial version)`` pairs :func:`active` puts in place."""
    return ((SHIPPED.engine_speed, engine_speed), (SHIPPED.ice_cycle, ice_cycle),
            (SHIPPED.fit_vectors, fit_vectors))


#: Trial constants the effect check sets on the first EPA four-speed automatic.
EFFECT_TRIALS = ({"at_spin_nm": 2.0}, {"at_shift_rpm": 2500.0},
                 {"at_shift_load_rpm": SUZUKI_4AT_SHIFT_LINE[1]},
                 {"tc_idle_stall_rpm": 2500.0}, {"tc_open_ratio": 0.9})


def check_effect() -> None:
    """Raise unless each trial of :data:`EFFECT_TRIALS` moves calibration's predicted
    FTP fuel economy (:func:`keidesign.energy.calibration.predict_ice`, stored constants)
    of the first EPA four-speed automatic by more than 0.01 %: the trials reach the code
    the probes run."""
    c, fit, _ = cal.stored_fits()
    car = next(car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES
               and car.trans == "at4")
    base = cal.predict_ice([car], c, fit)["ftp"][0]
    for trial in EFFECT_TRIALS:
        moved = cal.predict_ice([car], c, {**fit, **trial})["ftp"][0]
        if not abs(moved / base - 1.0) > 1e-4:
            raise RuntimeError(f"kei automatic trial {trial} does not reach "
                               f"calibration.predict_ice ({car.key}: {base:.4f} -> "
                               f"{moved:.4f} mpg): a caller holds a shipped function "
                               "this swap did not replace")


@contextmanager
def active() -> Iterator[None]:
    """The kernel and calibration with the trials available, for the ``with`` block:
    every module-level binding of a shipped function swapped for its trial version, the
    effect checked (:func:`check_effect`), all undone on exit
    (:func:`transmission_trials.swapped_in`)."""
    with swapped_in(swaps(), check_effect):
        yield


def with_trials(fn: Callable) -> Callable:
    """``fn`` run inside :func:`active` (a probe that sets trial constants)."""
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with active():
            return fn(*args, **kwargs)
    return run


def gear_index_by_load(kg: np.ndarray, vb: np.ndarray, pe: np.ndarray, t_r: np.ndarray,
               p_r: np.ndarray, w_r: np.ndarray, w_idle: float, w_shift: float,
               turbo: bool, w_load: float = 0.0, load_ref: str = "full_load") -> np.ndarray:
    """The shipped :func:`keidesign.energy.powertrains.gear_index` with the trial's
    load-dependent shift speed. Gear index ``(n, T)`` of the stepped-gearbox rule on real
    arrays:
    ratios ``kg`` (n, G), interval speeds ``vb`` (T,), engine power demand ``pe`` (n, T),
    rated torque, power and speed (n, 1); evaluated over ``(n, T, G)`` with the full-load
    curve of :func:`keidesign.energy.powertrains._full_load_power` (a discrete decision:
    no derivative). ``w_load``
    (rad/s per unit load fraction, :func:`shift_load_speed`): the shift speed's rise with
    the load fraction ``pe / P_full`` of each candidate gear (0: one threshold), or
    ``pe / P_rated`` with ``load_ref`` = ``"rated"`` (the pedal read as a share of the
    engine's rated power)."""
    n_g = kg.shape[-1]
    w_all = vb[None, :, None] * kg[:, None, :]  # (n, T, G)
    xr = {"t_r": t_r[:, :, None], "p_r": p_r[:, :, None], "w_r": w_r[:, :, None]}
    p_avail = pt._full_load_power(np.maximum(w_all, w_idle), xr, turbo)
    reserve = pe[..., None] <= 0.8 * p_avail
    if w_load:
        ref = xr["p_r"] if load_ref == "rated" else np.maximum(p_avail, 1.0)
        w_shift = w_shift + w_load * np.clip(pe[..., None] / ref, 0.0, 1.0)
    ok = (w_all >= w_shift) & reserve & (w_all <= 1.1 * xr["w_r"])
    highest_ok = n_g - 1 - np.argmax(ok[..., ::-1], axis=-1)
    lowest_reserve = np.argmax(reserve, axis=-1)
    return np.where(ok.any(axis=-1), highest_ok,
                    np.where(reserve.any(axis=-1), lowest_reserve, 0))
