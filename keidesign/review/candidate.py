"""A design under review: the design, its evaluation, and (on first use) its CAD body,
its frontal crash run and its drive-cycle traces.

Nothing is recomputed differently from the model: the crash pulse is
:func:`keidesign.crash.pulse.simulate` with the model's own pulse inputs and the cycle
traces are the energy kernels of :mod:`keidesign.energy` with the model's own road-load,
driveline and powertrain values (both read from the evaluation's registered inputs and
outputs), so a trace sums to the model's cycle result (tested).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from keidesign import units as ku
from keidesign.design import Design, load_design
from keidesign.evaluation import Evaluation, design_packs, evaluate_design

__all__ = ["BUDGET_ZONES", "Candidate", "load_candidate", "kei_limits"]

#: The kei envelope (mm) when no rule pack of the candidate bounds the body size.
KEI_ENVELOPE_MM = (3400.0, 1480.0, 2000.0)


#: the zones of :meth:`Candidate.crush_budget`, from the bumper face back (mm)
BUDGET_ZONES = ("bumper", "crash_box", "rails", "powertrain_push_back", "dash_intrusion",
                "rails_to_cab", "cab_front_intrusion")


@dataclass
class Candidate:
    """One design under review (``label`` is the short name used in figures)."""

    label: str
    design: Design
    evaluation: Evaluation
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        return self.design.name

    def value(self, name: str, default: float = math.nan) -> float:
        """A registered output or design input of the evaluation (registered units)."""
        ev = self.evaluation
        if name in ev.outputs:
            return float(ev.outputs[name][0])
        if name in ev.inputs:
            return float(ev.inputs[name][0])
        return default

    def units(self, name: str) -> str:
        ev = self.evaluation
        return (ev.outputs.get(name) or ev.inputs.get(name) or (0.0, ""))[1] or ""

    @property
    def constraints(self) -> list[dict[str, Any]]:
        return self.evaluation.constraints

    @property
    def body(self):
        """The CAD body (:class:`geometry.cad.Body`, cached by the geometry package)."""
        if "body" not in self._cache:
            from geometry.export import build

            self._cache["body"] = build(self.design)
        return self._cache["body"]

    @property
    def crash(self) -> dict[str, Any]:
        """The FMVSS 208 56 km/h pulse run (:func:`keidesign.crash.pulse.simulate`)."""
        if "crash" not in self._cache:
            from keidesign.crash.pulse import PULSE_INPUTS, params_from_inputs, simulate

            vals = {k: np.atleast_1d(self.value(k)).astype(float) for k in PULSE_INPUTS}
            self._cache["crash"] = simulate(params_from_inputs(vals))
        return self._cache["crash"]

    def cycle(self, name: str = "udds") -> dict[str, np.ndarray]:
        """Second-by-second trace of a drive cycle (see :func:`cycle_trace`)."""
        key = f"cycle:{name}"
        if key not in self._cache:
            self._cache[key] = cycle_trace(self, name)
        return self._cache[key]

    def crush_budget(self) -> dict[str, float]:
        """Crush along x from the bumper face (mm): zones of the available length and
        the crush used at 56 km/h as ``fmvss208.crush_space`` judges it.

        The zones (:data:`BUDGET_ZONES`, mm; a zone the front does not have is 0) sum
        to ``available`` (``crash:front:crush_available``) as the crash model builds it
        (:class:`keidesign.crash.structure.FrontStructureComp`): a front with a
        powertrain ahead of the dash is bumper stroke, crash box stroke, rails up to the
        powertrain (``engine_gap`` less both), the powertrain's push-back
        (``engine_clearance``) and the tolerated dash intrusion; a cab-over truck
        (``body.style = "truck"``) has no powertrain ahead of the cab, and is bumper and
        crash box stroke, the frame rails up to the cab front panel and the tolerated
        cab-front intrusion (``dash_intrusion_limit``).

        ``used`` is ``crash:front:crush_past_stack`` (the maximum dynamic crush less the
        powertrain stack's own compression, the quantity the criterion compares with
        ``available``, docs/crash.md); ``total`` is ``crash:front:crush_required``, the
        total dynamic crush including the stack's compression (shown, not judged)."""
        v = self.value
        s1, s2 = v("crash:front:bumper_stroke"), v("crash:front:crash_box_stroke")
        cav = v("crash:front:crush_available")
        zones = dict.fromkeys(BUDGET_ZONES, 0.0)
        cab_over = str(self.design.values.get("body:style", "hatch")) == "truck"
        if cab_over:
            tol = v("crash:front:dash_intrusion_limit")
            ahead = max(cav - tol, 0.0)
            zones.update(cab_front_intrusion=tol)
        else:
            gap, clr = v("crash:front:engine_gap"), v("crash:front:engine_clearance")
            ahead = max(gap, 0.0)
            zones.update(powertrain_push_back=clr, dash_intrusion=max(cav - gap - clr, 0.0))
        # the zones ahead of the powertrain (of the cab front) fill the length there: a
        # short front whose bumper and crash box strokes reach past the block front (700
        # mm of crush length with the 450 mm block: 157.6 mm of strokes, a 100 mm gap) has
        # no rail zone and its crash box zone ends at the block, where the model's crush
        # available counts it (the strokes drawn whole overran the available by 57.6 mm)
        b1 = min(s1, ahead)
        b2 = min(s2, ahead - b1)
        zones.update(bumper=b1, crash_box=b2)
        zones["rails_to_cab" if cab_over else "rails"] = ahead - b1 - b2
        return {**zones, "cab_over": cab_over,
                "available": cav, "used": v("crash:front:crush_past_stack"),
                "total": v("crash:front:crush_required"),
                "crush_length": v("crash:front:crush_length")}


def load_candidate(src: str | Path | Design, *, label: str | None = None,
                   packs: Sequence[Any] | None = None, **changes: Any) -> Candidate:
    """Evaluate a design file (or :class:`Design`) against ``packs`` (default: its own).

    ``changes``: design values to replace first (registered names, e.g.
    ``**{"powertrain:bev:battery_energy": 30.0}``).
    """
    os.environ.setdefault("OPENMDAO_REPORTS", "0")
    design = src if isinstance(src, Design) else load_design(src)
    if changes:
        design = design.replace(**changes)
    if packs is None:
        packs = design_packs(design)
    ev = evaluate_design(design, packs)
    return Candidate(label or design.name, design, ev)


def kei_limits(cand: Candidate) -> tuple[float, float, float]:
    """(length, width, height) upper limits in mm from the candidate's rule packs
    (``body:length`` etc.), else :data:`KEI_ENVELOPE_MM`."""

    out = list(KEI_ENVELOPE_MM)
    dims = {"body:length": 0, "body:width": 1, "body:height": 2}
    for pack in cand.evaluation.packs:
        for con in pack.constraints:
            if con.quantity in dims and isinstance(con.upper, (int, float)):
                out[dims[con.quantity]] = float(ku.convert(float(con.upper), con.units,
                                                           "mm"))
    return out[0], out[1], out[2]


# --------------------------------------------------------------------------- cycles

CYCLES = {"udds": ("udds_bag1", "udds_bag2"), "hwfet": ("hwfet",), "us06": ("us06",),
          "wltc": ("wltc3b_low", "wltc3b_medium", "wltc3b_high")}


def _per_interval(names: tuple[str, ...]):
    """The segments of ``names`` with every 1 s interval its own segment, so the kernels'
    per-segment sums are per-interval values."""
    from keidesign.energy.cycles import SegmentSet, segments

    seg = segments(names)
    n = len(seg.dt)
    return seg, SegmentSet(seg.names, np.arange(n), seg.dt, seg.v0, seg.v1,
                           seg.dt * seg.vb, seg.dt)


def cycle_trace(cand: Candidate, cycle: str = "udds") -> dict[str, np.ndarray]:
    """Speed, wheel power and fuel (ICE) or battery (BEV) power of ``cand`` over a cycle.

    Returns arrays over the 1 s intervals: ``t`` (s, interval end), ``speed_mph``,
    ``wheel_kw``, ``power_kw`` (fuel power, ICE/HEV LHV basis; battery DC power, BEV),
    ``cumulative`` (fuel in US gal for an ICE, DC energy in kWh for a BEV),
    ``cumulative_units``, ``distance_mi``; hot-start values (no cold-start fuel).
    """
    from keidesign.energy import constants as kc
    from keidesign.energy import powertrains as pt
    from keidesign.energy import vehicle as veh
    from keidesign.energy.roadload import load_constants

    if cycle not in CYCLES:
        raise KeyError(f"unknown cycle {cycle!r}; known: {sorted(CYCLES)}")
    kind = cand.design.powertrain_type
    v = cand.value
    q = {"m_eff": v("energy:road:m_eff"), "f0": v("energy:road:f0"),
         "f1": v("energy:road:f1", 0.0), "f2": v("energy:road:f2"),
         "k_lo": v("powertrain:overall_ratio_low"), "k_hi": v("powertrain:overall_ratio_high")}
    if kind == "bev":
        q.update(power=v("powertrain:bev:motor_power"), torque=v("powertrain:bev:motor_torque"),
                 max_rpm=v("powertrain:bev:max_motor_speed"),
                 v_oc=v("powertrain:bev:pack_voltage"),
                 r_b=pt.pack_resistance(v("powertrain:bev:pack_voltage"),
                                        v("powertrain:bev:battery_energy"),
                                        v("powertrain:bev:battery_resistance"),
                                        kc.bev_constants()["pack_tau_s"]),
                 eta_chg=v("powertrain:bev:charger_efficiency"),
                 charger_power=v("powertrain:bev:charger_power", pt.CHARGER_KW_DEFAULT),
                 induction=1.0 if cand.design.values.get("powertrain:bev:motor_type") == "induction"
                 else 0.0,
                 pack_heater=pt.PACK_HEATER_KW[cand.design.values.get(
                     "powertrain:bev:pack_chemistry", "li-ion")])
    else:
        q.update(vd=v("powertrain:ice:displacement") * 1e-3, power=v("powertrain:ice:power"),
                 torque=v("powertrain:ice:torque"), rated_rpm=v("powertrain:ice:rated_speed"))
    q = {k: np.array([[float(x)]]) for k, x in q.items()}
    trans = "single_speed" if kind == "bev" else str(cand.design["powertrain:transmission"])
    x = veh.kernel_params(kind, trans, q)
    seg, per = _per_interval(CYCLES[cycle])
    if kind == "bev":
        r = pt.bev_cycle(per, x, kc.bev_constants())
        energy = np.asarray(r["dc"])[0] / veh.J_PER_KWH          # kWh per interval
        cum, cum_units = np.cumsum(energy), "kWh (battery, DC)"
    else:
        turbo = bool(cand.design["powertrain:ice:turbo"])
        idle = bool(cand.design["powertrain:ice:idle_stop"])
        cr = float(cand.design.values.get("powertrain:ice:compression_ratio", 0.0))
        ice_c = pt.with_compression(kc.ice_constants(), cr, turbo)
        # the EPA cycles with the manual's upshift schedule, as energy.vehicle runs them
        sched = pt.manual_schedule(ice_c, tuple(cand.design.values.get(
            "powertrain:ice:manual_upshift_mph", ()))) if cycle != "wltc" else None
        r = pt.ice_cycle(per, x, trans, ice_c, idle_stop=idle, turbo=turbo,
                         manual_schedule=sched)
        energy = np.asarray(r["fuel"])[0] / veh.J_PER_KWH        # kWh of fuel per interval
        lhv = float(load_constants()["fuel"]["lhv_kwh_per_galUS"])
        cum, cum_units = np.cumsum(energy) / lhv, "US gal (fuel)"
    pw = np.asarray(r["pw"])[0] if "pw" in r else np.full(len(seg.dt), np.nan)
    return {"t": np.cumsum(seg.dt), "speed_mph": seg.v1 / pt.MPH, "wheel_kw": pw / 1e3,
            "power_kw": energy * 3600.0 / seg.dt, "cumulative": cum,
            "cumulative_units": cum_units,
            "distance_mi": np.cumsum(seg.dt * seg.vb) / veh.METRES_PER_MILE,
            "kind": kind, "cycle": cycle}
