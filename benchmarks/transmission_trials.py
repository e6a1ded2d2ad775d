"""Issue 13's transmission trials (3 Dec 2026, none shipped): the physics the probe
``python benchmarks/validation_probes.py transmission`` refits and holds out, kept out of
the shipped ICE kernel (docs/validation.md, "Transmission physics does not take the
class offsets out of the hold-out error").

Each trial is a constant of the ``[ice]`` section (absent: the shipped model):

* **Manual upshift speed** ``shift_rpm_manual`` (rpm): the manual family's upshift
  speed instead of ``shift_rpm``. On the dynamometer a manual is shifted at the maker's
  recommended shift speeds (40 CFR 86.128-79 (a), [R]), an automatic by its controller.
* **Open torque converter** below ``tc_lockup_mph`` (mph) with the turbine/pump speed
  ratio ``tc_speed_ratio`` (-), torque-converter automatics only: the engine turns at
  ``w = max_s(w_g / nu, w_idle)`` and the shipped kernel's slipping-clutch term
  ``P (w / w_g - 1)`` is the slip power. In the coupling range the converter's torque
  ratio is 1, so its efficiency is the speed ratio ``nu`` (Naunheimer et al.,
  *Automotive Transmissions*, 2nd ed., 2011, ch. 8). Valid for ``nu`` in 0.5-1.
* **Spin loss** ``tr_spin`` (``{family: k_spin}``, -): the load-independent loss of the
  affine gearbox model ``P_in = P_out / eta + P_spin(w)`` (Guzzella & Sciarretta,
  *Vehicle Propulsion Systems*, 3rd ed., 2013, ch. 3: idling losses, churning,
  bearing and seal drag, a hydraulic pump), ``P_spin = k_spin T_r w`` (W) with the drag
  torque a fraction ``k_spin`` of the engine's rated torque ``T_r`` (N m; the gearbox is
  sized to it) at engine speed ``w`` (rad/s). It adds to the engine's brake power while
  the engine runs; the idle-stop saving stays the engine's own Willans idle fuel.
  In the Willans line it is the zero-load mean effective pressure
  ``dp_me0 = 4 pi k_spin T_r / V_eff`` (Pa): the same scaling as the engine's friction
  (why the two are confounded on the EPA rows), and how :func:`ice_cycle` applies it.
* **Efficiencies of their own** for the manual (``eta_mt``) and dual-clutch
  (``eta_dct``) families, or one layshaft efficiency for both (``eta_layshaft``), as fit
  names beside the shipped ``eta_cvt`` and ``eta_at``.

The shipped kernel stays the one implementation: :func:`active` swaps in, for its
duration, wrappers that call the shipped engine-speed rule and cycle
(:mod:`keidesign.energy.powertrains`) with the trial constants mapped onto the shipped
ones, and calibration's ``fit_vectors`` / ``ice_section`` with versions that also know
the trial fit names. With no trial constant every wrapper is the shipped function.
The swap replaces every module-level name bound to a shipped function (a module that
did ``from keidesign.energy.powertrains import ice_cycle`` included), then checks that
the trials reach calibration's prediction (:func:`keidesign.energy.calibration.
predict_ice`): a spin loss, an open converter and a manual upshift speed each move the
predicted fuel economy of a car of their family, or :func:`active` raises before the
run. A reference kept elsewhere (a dict, a default argument) is not swapped: that check
is what catches it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from types import ModuleType, SimpleNamespace
from typing import Any
from unittest import mock

import numpy as np

from geometry import ad as D
from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc

#: Trial fit names of transmission efficiencies and the ``eta_tr`` entries each sets
#: (applied after the shipped ``eta_cvt``, ``eta_at``): manual, dual clutch, and one
#: layshaft efficiency for both (the same layshaft gear train).
TRIAL_ETA_TYPES = {"eta_mt": ("mt5", "mt6", "manual"), "eta_dct": ("dct",),
                   "eta_layshaft": ("mt5", "mt6", "manual", "dct")}
#: Start and bounds of a trial efficiency.
ETA_TRIAL = {"x0": 0.95, "lb": 0.80, "ub": 0.99}
#: Fit names of the spin-loss trial: ``spin_<family>`` (:data:`keidesign.energy.
#: calibration.ICE_CLASSES`), drag torque / rated engine torque; start and bounds.
SPIN_PREFIX = "spin_"
SPIN_TRIAL = {"x0": 0.01, "lb": 0.0, "ub": 0.2}
#: Start and bounds of the fitted converter speed ratio ``tc_speed_ratio``.
TC_RATIO_TRIAL = {"x0": 0.9, "lb": 0.5, "ub": 1.0}

#: The shipped functions the wrappers call (taken at import, before any patch).
SHIPPED = SimpleNamespace(engine_speed=pt._cycle_engine_speed, ice_cycle=pt.ice_cycle,
                          willans_idle=pt.willans_idle, fit_vectors=cal.fit_vectors,
                          ice_section=cal.ice_section)
#: Key under which :func:`ice_cycle` keeps the engine's own ``pme0_bar`` for the
#: idle-stop saving (:func:`willans_idle`).
_ENGINE_PME0 = "_engine_pme0_bar"


def upshift_rpm(c: dict, trans: str) -> float:
    """Upshift engine speed (rpm): ``c["shift_rpm_manual"]`` for the manual family where
    given, else the shipped ``c["shift_rpm"]``."""
    if pt.FAMILY[trans] == "manual" and "shift_rpm_manual" in c:
        return c["shift_rpm_manual"]
    return c["shift_rpm"]


def converter_speed_ratio(c: dict, trans: str, vb: np.ndarray) -> np.ndarray:
    """Speed ratio (-) of the open converter on each interval of mean speed ``vb``
    (m/s): ``c["tc_speed_ratio"]`` below ``c["tc_lockup_mph"]``, 1 above it, and 1 for
    every transmission without a converter or where the constants are absent."""
    if pt.FAMILY[trans] != "automatic" or "tc_speed_ratio" not in c:
        return np.ones_like(vb)
    return np.where(vb < c["tc_lockup_mph"] * pt.MPH, c["tc_speed_ratio"], 1.0)


def spin_pme_bar(c: dict, trans: str, x: dict) -> Any:
    """Spin loss ``k_spin T_r w`` as a zero-load mean effective pressure (bar, ``(n,
    1)``): ``4 pi k_spin T_r / V_eff`` (module docstring), 0 without ``c["tr_spin"]``
    for the family of ``trans``."""
    k = c.get("tr_spin", {}).get(pt.FAMILY[trans], 0.0)
    return 4.0 * np.pi * k * x["t_r"] / pt.effective_volume(x, c) * 1e-5


def engine_speed(x: dict, tr: pt.Trace, pe: Any, trans: str, c: dict,
                 turbo: bool, lockup: str = "all",
                 manual_schedule: tuple[float, ...] | None = None,
                 behind: np.ndarray | None = None) -> tuple[Any, Any]:
    """The shipped engine-speed rule with the manual upshift speed and the open
    converter: ``(w, w_g)``, rad/s (``lockup``, ``manual_schedule``, ``behind``: the
    caller's, passed on)."""
    shift = upshift_rpm(c, trans)
    cs = c if shift == c["shift_rpm"] else {**c, "shift_rpm": shift}
    w, w_g = SHIPPED.engine_speed(x, tr, pe, trans, cs, turbo, lockup, manual_schedule,
                                  behind)
    if pt.FAMILY[trans] != "automatic" or "tc_speed_ratio" not in c:
        return w, w_g
    w = D.smax(w_g / converter_speed_ratio(c, trans, tr.vb), c["idle_rpm"] * pt.RPM,
               pt.ENGINE_SPEED_EPS)
    return w, w_g


def ice_cycle(seg: Any, x: dict, trans: str, c: dict, idle_stop: bool = False,
              turbo: bool = False, pw: Any = None, stop_speed: float = 0.0,
              lockup: str = "all",
              load_law: Callable[[pt.IceIntervals], tuple] = pt.willans_loads,
              manual_schedule: tuple[float, ...] | None = None,
              behind: np.ndarray | None = None) -> dict:
    """The shipped ICE cycle with the family's spin loss (:func:`spin_pme_bar`) on the
    running engine; the idle-stop saving keeps the engine's own friction
    (``stop_speed``, ``lockup``, ``load_law``, ``manual_schedule``, ``behind``: the
    caller's, passed on)."""
    kw = {"idle_stop": idle_stop, "turbo": turbo, "pw": pw, "stop_speed": stop_speed,
          "lockup": lockup, "load_law": load_law, "manual_schedule": manual_schedule,
          "behind": behind}
    if not c.get("tr_spin", {}).get(pt.FAMILY[trans], 0.0):
        return SHIPPED.ice_cycle(seg, x, trans, c, **kw)
    cs = {**c, "pme0_bar": c["pme0_bar"] + spin_pme_bar(c, trans, x),
          _ENGINE_PME0: c["pme0_bar"]}
    return SHIPPED.ice_cycle(seg, x, trans, cs, **kw)


def willans_idle(x: dict, c: dict) -> Any:
    """The shipped warm-idle fuel power (W) on the engine's own ``pme0_bar``."""
    if _ENGINE_PME0 in c:
        c = {**c, "pme0_bar": c[_ENGINE_PME0]}
    return SHIPPED.willans_idle(x, c)


def _trial_bounds(name: str) -> tuple[float, float, float] | None:
    if name in TRIAL_ETA_TYPES:
        b = ETA_TRIAL
    elif name.startswith(SPIN_PREFIX) and name[len(SPIN_PREFIX):] in cal.ICE_CLASSES:
        b = SPIN_TRIAL
    elif name == "tc_speed_ratio":
        b = TC_RATIO_TRIAL
    else:
        return None
    return b["x0"], b["lb"], b["ub"]


def fit_vectors(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibration's ``fit_vectors`` that also knows the trial fit names."""
    rows = [_trial_bounds(n) or tuple(float(v[0]) for v in SHIPPED.fit_vectors((n,)))
            for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def ice_section(base: dict, fit: dict) -> dict:
    """Calibration's ``ice_section`` that also maps the trial fit names: the
    efficiencies of :data:`TRIAL_ETA_TYPES` into ``eta_tr``, ``spin_<family>`` into
    ``tr_spin``; the other trial constants (``tc_speed_ratio``, ``shift_rpm_manual``)
    pass as they are."""
    spin = {k[len(SPIN_PREFIX):]: v for k, v in fit.items() if k.startswith(SPIN_PREFIX)}
    ice = SHIPPED.ice_section(base, {k: v for k, v in fit.items() if k not in
                                     TRIAL_ETA_TYPES and not k.startswith(SPIN_PREFIX)})
    for name, types in TRIAL_ETA_TYPES.items():
        if name in fit:
            ice["eta_tr"].update({t: fit[name] for t in types})
    if spin:
        ice["tr_spin"] = {**base.get("tr_spin", {}), **spin}
    return ice


def bindings(fn: Callable) -> list[tuple[ModuleType, str]]:
    """Every ``(module, global name)`` of the loaded modules bound to ``fn``: the module
    that defines it and each one that imported it by name."""
    out = []
    for mod in list(sys.modules.values()):
        names = getattr(mod, "__dict__", None)
        if isinstance(mod, ModuleType) and isinstance(names, dict):
            out += [(mod, k) for k, v in list(names.items()) if v is fn]
    return out


def swaps() -> tuple[tuple[Callable, Callable], ...]:
    """``(shipped function, trial wrapper)`` pairs :func:`active` puts in place."""
    return ((SHIPPED.engine_speed, engine_speed), (SHIPPED.ice_cycle, ice_cycle),
            (SHIPPED.willans_idle, willans_idle), (SHIPPED.fit_vectors, fit_vectors),
            (SHIPPED.ice_section, ice_section))


#: Trial constants the effect check sets, with the family whose car each must move.
EFFECT_TRIALS = (("cvt", {"spin_cvt": 0.02}),
                 ("automatic", {"tc_speed_ratio": 0.85, "tc_lockup_mph": 25.0}),
                 ("manual", {"shift_rpm_manual": 2500.0}))


def check_effect() -> None:
    """Raise unless each trial of :data:`EFFECT_TRIALS` moves calibration's predicted
    FTP fuel economy (:func:`keidesign.energy.calibration.predict_ice`, stored
    constants) of the first EPA test car of its family by more than 0.1 %: the trials
    reach the code the probe fits with."""
    c, fit, _ = cal.stored_fits()
    cars = tc.test_cars()
    for family, trial in EFFECT_TRIALS:
        car = next(car for car in cars if car.cls in cal.ICE_CLASSES
                   and pt.FAMILY[car.trans] == family)
        base = cal.predict_ice([car], c, fit)["ftp"][0]
        moved = cal.predict_ice([car], c, {**fit, **trial})["ftp"][0]
        if not abs(moved / base - 1.0) > 1e-3:
            raise RuntimeError(f"transmission trial {trial} does not reach "
                               f"calibration.predict_ice ({car.key}: {base:.4f} -> "
                               f"{moved:.4f} mpg): a caller holds a shipped function "
                               "this swap did not replace")


@contextmanager
def swapped_in(pairs: tuple[tuple[Callable, Callable], ...],
               check: Callable[[], None]) -> Iterator[None]:
    """For the ``with`` block: every module-level binding of each shipped function of
    ``pairs`` (:func:`bindings`) swapped for its trial wrapper, then ``check()`` (which
    raises when a trial does not reach what the probe judges); all undone on exit. The
    swap every trial module of ``benchmarks/`` uses."""
    with ExitStack() as stack:
        for shipped, wrapper in pairs:
            for mod, name in bindings(shipped):
                stack.enter_context(mock.patch.object(mod, name, wrapper))
        check()
        yield


@contextmanager
def active() -> Iterator[None]:
    """The kernel and calibration with the trials available, for the ``with`` block:
    every module-level binding of a shipped function (:func:`bindings`) swapped for its
    trial wrapper, the effect checked (:func:`check_effect`), all undone on exit
    (:func:`swapped_in`)."""
    with swapped_in(swaps(), check_effect):
        yield
