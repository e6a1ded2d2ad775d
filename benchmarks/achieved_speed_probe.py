"""A car behind the trace: its cycle energy per mile three ways (probe, not shipped):
``python benchmarks/achieved_speed_probe.py``.

The shipped model (``keidesign.energy.vehicle.cycle_results`` with the distance shares
of ``performance.trace_passes``) runs the energy kernels on the trace's speeds with the
power capped at full load (``powertrains.full_load_cap``: an ICE's engine, a BEV's motor,
a hybrid's both) and divides by the distance the full-power pass drives, ``s_k D_k``;
on every step the pass is below the trace (``perf:<cycle>_behind``, catching up too) it
runs at full power (an ICE's engine at full load, a BEV's motor at its available power
without regeneration, a hybrid's both), at the trace's speed. Its stated assumption (A,
docs/energy.md section 2): the trace's speed and road load on the steps behind (before
the full-load steps of 5 Dec 2026: the trace's demand, so the acceleration the car still
owed was never charged). This probe measures what that costs against a reference that
has no such assumption:

* ``achieved``: the same kernels (``bev_cycle``, ``ice_cycle``, shipped constants) on the
  speed profile the full-power pass achieves, ``v_i = min(v_t,i, v_i-1 + a(v_i-1) dt)``
  (:func:`achieved_speeds`, the pass of ``keidesign.energy._us06_kernel`` written once
  more here: the probe's one duplicate, held to the shipped kernel's distance shares by
  ``tests/test_achieved_speed_probe.py``), over that profile's own distance;
* ``shipped``: the trace's energy with the cap and the model's full-power steps
  (``perf:<cycle>_behind``: full load, a BEV's available power, on every step the pass
  is below the trace), over ``s_k D_k``;
* ``uncapped``: (BEV) the whole demand of the trace (the model before 5 Dec 2026) over
  ``s_k D_k``, the double count the cap was added against.

Energy per mile of the hot FTP (bags 1 + 2 of the UDDS), the HWFET, the US06 and the
JC08 (hot, with the EPA cycles' kernel options, at the EPA test mass: the model's JC08
figure runs at its own test mass, curb + 110 kg, and gear rule, so the probe's JC08
column is not the figure, only its accounting): BEV battery (DC) kWh/mi, ICE fuel kWh/mi
(LHV). Assumptions of the reference (A): the pass's
force curve and effective mass (``m (1 + f_rot)``) are the performance model's, the
kernels' road load and inertia their own (the achieved profile is within the capped
power to a few per cent: the kernels cap what is left); no driver model beyond the pass.
Numbers: docs/energy.md section 2 ("BEV"); measured 5 Dec 2026.
"""

from __future__ import annotations

import numpy as np

from keidesign.design import load_design
from keidesign.energy import components as ec
from keidesign.energy import constants as kc
from keidesign.energy import performance as perf
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as veh
from keidesign.energy.cycles import METRES_PER_MILE, UDDS_BAG_SPLIT_S, SegmentSet, load_trace
from keidesign.evaluation import resolve_packs
from keidesign.model import build_problem

#: (result name, trace file, segment boundaries s) of the probe
TRACES = (("ftp", "udds", (UDDS_BAG_SPLIT_S,)), ("hwfet", "hwfet", ()), ("us06", "us06", ()),
          ("jc08", "jc08", ()))
DESIGNS = "studies/designs"
#: (kind, design stem, changes) of the table in docs/energy.md
CASES = (("bev", "sakura_class", {}),
         ("bev", "sakura_class", {"powertrain:bev:motor_power": 10.0,
                                  "powertrain:bev:motor_torque": 40.0}),
         ("bev", "sakura_class", {"powertrain:bev:motor_power": 5.0,
                                  "powertrain:bev:motor_torque": 20.0}),
         ("ice", "carry_class", {}),
         ("ice", "carry_class", {"powertrain:ice:power": 10.0,
                                 "powertrain:ice:torque": 62.8 * 10.0 / 36.8}),
         ("ice", "carry_class", {"powertrain:ice:power": 5.0,
                                 "powertrain:ice:torque": 62.8 * 5.0 / 36.8}))


def achieved_speeds(net: np.ndarray, vt: np.ndarray, dt: np.ndarray) -> np.ndarray:
    """Speeds (m/s, ``(T,)``) the full-power pass achieves on the trace ``vt`` (m/s, its
    first point the start) with intervals ``dt`` (s): explicit Euler on the full-power
    acceleration ``net`` (m/s^2 on :data:`keidesign.energy.performance.V_GRID`, one row),
    linearly interpolated, never above the trace nor below 0 (the steps of
    ``keidesign.energy._us06_kernel.us06_sweep``)."""
    h = float(perf.V_GRID[1] - perf.V_GRID[0])
    q_max = len(perf.V_GRID) - 1.000001
    out = np.zeros(len(vt))
    va = 0.0
    for i, d in enumerate(dt):
        q = min(max(va / h, 0.0), q_max)
        j = int(np.floor(q))
        vmax = va + (net[j] + (net[j + 1] - net[j]) * (va / h - j)) * d
        va = min(vt[i + 1], max(vmax, 0.0))
        out[i + 1] = va
    return out


def segment_set(t: np.ndarray, v: np.ndarray, splits: tuple[float, ...]) -> SegmentSet:
    """The 1 Hz speeds ``v`` at times ``t`` as a :class:`SegmentSet`, split at ``splits``."""
    dt = np.diff(t)
    bins = np.searchsorted(np.asarray(splits, dtype=float), t[:-1], side="right")
    n = len(splits) + 1
    starts = np.array([int(np.argmax(bins == k)) for k in range(n)])
    dist = np.bincount(bins, weights=0.5 * (v[1:] + v[:-1]) * dt, minlength=n)
    return SegmentSet(tuple(f"s{k}" for k in range(n)), starts, dt, v[:-1], v[1:], dist,
                      np.bincount(bins, weights=dt, minlength=n))


def behind_steps(prob, name: str) -> np.ndarray:
    """The model's full-power steps of the pass ``name`` (bool ``(1, T - 1)``,
    ``perf:<name>_behind``), which the shipped column's kernels take as the model's."""
    return np.asarray(prob.get_val(f"perf:{name}_behind"), dtype=bool).reshape(1, -1)


def _inputs(prob, comp) -> dict:
    return {n: np.reshape(prob.get_val(f"{comp.pathname}.{n}"), (1, 1)) for n in comp._ins}


def _demand_dc(seg: SegmentSet, x: dict, c: dict) -> np.ndarray:
    """BEV battery energy per segment (J) of the whole demand (no cap)."""
    tr = pt.Trace.of(seg)
    p_el, _ = pt._electric_drive(pt.wheel_power(x, tr), tr.vb, x["k"], x["p_r"], x["t_r"],
                                 c, induction=x["induction"],
                                 decel_g=pt.deceleration_g(tr))
    pb = pt.battery_power(p_el + c["aux_kw"] * 1e3 + x.get("p_heat", 0.0), x["v_oc"],
                          x["r_b"])
    return np.add.reduceat(pb * tr.dt, seg.starts, axis=-1)[0]


def consumption(kind: str, stem: str, changes: dict) -> dict:
    """``{cycle: {"share", "achieved", "shipped", "uncapped"}}`` (kWh/mi; ``uncapped``
    BEV only) of the design ``stem`` with ``changes``."""
    d = load_design(f"{DESIGNS}/{stem}.toml").replace(**changes)
    prob = build_problem(d, resolve_packs(d.rules))
    prob.run_model()
    pc = next(prob.model.system_iter(recurse=True, typ=ec.PerformanceComp))
    cc = next(prob.model.system_iter(recurse=True, typ=ec.CycleComp))
    xp, pkind, ptrans, _ = pc.kernel_x(_inputs(prob, pc))
    net = np.asarray(perf._net_acceleration(xp, pkind, ptrans, pc._c,
                                            pc.options["turbo"])[0])[0]
    o = cc.options
    trans = "single_speed" if kind == "bev" else o["transmission"]
    x = veh.kernel_params(kind, trans, ec._quantities(kind, _inputs(prob, cc),
                                                      o["motor_type"], o["pack_chemistry"]))
    ice_c, bev_c = veh.with_driveline(kc.ice_constants(), kc.bev_constants(),
                                      o["eta_driveline"])
    ice_c = pt.with_compression(ice_c, o["compression_ratio"], o["turbo"])

    def energy(seg: SegmentSet, behind: np.ndarray | None = None) -> np.ndarray:
        if kind == "bev":
            return np.asarray(pt.bev_cycle(seg, x, bev_c, behind=behind)["dc"])[0]
        # as cycle_results runs the EPA cycles
        return np.asarray(pt.ice_cycle(
            seg, x, trans, ice_c, idle_stop=o["idle_stop"], turbo=o["turbo"],
            stop_speed=o["idle_stop_speed"] / 3.6, lockup=o["converter_lockup"],
            manual_schedule=pt.manual_schedule(ice_c, o["manual_upshift_mph"]),
            behind=behind)["fuel"])[0]

    out = {}
    for name, trace, splits in TRACES:
        t, vt = load_trace(trace)
        va = achieved_speeds(net, vt, np.diff(t))
        on_trace, achieved = segment_set(t, vt, splits), segment_set(t, va, splits)
        d_a = achieved.distance.sum() / METRES_PER_MILE * 3.6e6
        row = {"share": (achieved.distance / on_trace.distance).tolist(),
               "achieved": energy(achieved).sum() / d_a,
               "shipped": energy(on_trace, behind_steps(prob, name)).sum() / d_a}
        if kind == "bev":
            row["uncapped"] = _demand_dc(on_trace, x, bev_c).sum() / d_a
        out[name] = row
    return out


def main() -> None:
    for kind, stem, changes in CASES:
        label = ", ".join(f"{k.split(':')[-1]} {v:.3g}" for k, v in changes.items()) or "shipped"
        print(f"{kind} {stem} ({label})")
        for name, row in consumption(kind, stem, changes).items():
            shares = "/".join(f"{s:.3f}" for s in row["share"])
            rest = "  ".join(f"{k} {v:.4f}" for k, v in row.items() if k != "share")
            rel = "  ".join(f"{k} {v / row['achieved'] - 1:+.1%}" for k, v in row.items()
                            if k not in ("share", "achieved"))
            print(f"  {name:5s} share {shares}  {rest} kWh/mi  ({rel})")


if __name__ == "__main__":
    main()
