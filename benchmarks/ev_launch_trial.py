"""The EVs' 0-60 mph launch against published tests, taken apart and the candidates of
task s40c tried (issue 13, deliverable 5; ``python benchmarks/validation_probes.py
ev_launch``, ~6 min on a shared core; docs/validation.md, "0-60 mph: the EVs' launch").

Every row of :func:`keidesign.validation.performance.run` (``us_specs.csv`` rows with a
published 0-60 mph time, each at its magazine's clock start) is evaluated per variant:

* ``before``: the model before 7 Dec 2026 (task s40c): the join of T1 taken off, the
  BEV rows at the import's assumed 2.8 N m per kW and the 8.0 reduction bounded at a
  0.6 g launch force; a row without an EPA test car keeps the motor its make, model and
  year join (task s41e, the Spark EV's 443 N m at 3.87: docs/validation.md, "The Spark
  EV's and the Kona's published drive") in every variant, so the 7 EVs' ``before`` is
  7.51 %, not s40c's 8.05 % (the Spark EV then at -8.3 %);
* ``T1`` (the import's motor; shipped 7 Dec 2026, :func:`keidesign.specs.sources.
  _twin_motor`): a BEV row without a published torque takes the peak torque its EPA test
  car's join gives (``ev_motors.csv``, status V/R; the same join the EPA import uses),
  and the single reduction ``ev_motors.csv`` publishes for that generation
  (``reduction_ratio``; none published: the import's default, unchanged). Nothing
  fitted;
* ``T2`` (load transfer): the traction limit ``mu x share x m g`` with the longitudinal
  load transfer of a two-wheel-drive car at the limit (T. D. Gillespie, *Fundamentals of
  Vehicle Dynamics*, SAE 1992, ch. 2, "Traction-limited acceleration", neglecting rolling
  resistance and drag at launch): front-driven ``F = mu W (c/L) / (1 + mu h/L)``,
  rear-driven ``F = mu W (b/L) / (1 - mu h/L)``, with the static share of the model's
  :func:`~keidesign.energy.performance.driven_axle_share` and the CG height ``h = K_CG
  H`` of :mod:`keidesign.crash.rollover` (0.373 x the body height, fitted there on 21
  NCAP vehicles, not here), ``L`` the wheelbase; every row (gasoline too: the same tyre
  physics);
* ``T2`` alone is on ``before``; ``T1+T2``: both.

The per-car table (before, and with T1) gives each EV's phases (0-30 and 30-60
mph from rest), the launch force against the traction limit, the speed up to which the
launch is traction-limited, the motor's base speed in mph and the power per test mass.
Then per variant: each EV's error, the EVs' and all rows' MAE and bias, and whether every
gasoline row is bit-identical to ``before``. The ship rule (pre-registered):
docs/validation.md, "0-60 mph: the EVs' launch".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from keidesign.crash.rollover import K_CG
from keidesign.energy import performance as perf
from keidesign.energy.components import PerformanceComp
from keidesign.specs import sources
from keidesign.validation import performance as vp

__all__ = ["main", "run_variant"]

MPH = perf.MPH


def _without_join(spec: sources.Spec) -> dict:
    """The model before T1: the facts the EPA test car's motor join
    (:func:`keidesign.specs.sources._twin_motor`) set, removed from ``spec``; returns them
    ``{key: value}``."""
    out = {}
    for k in ("motor_torque", "final_drive"):
        f = spec.facts.get(k)
        if f is not None and f.note.startswith("ev_motors.csv: published") and (
                "the motor of EPA test car" in f.note):
            out[k] = spec.facts.pop(k).value
    return out


def _share_with_transfer(share: float, drive: str, h_over_l: float, mu: float) -> float:
    """T2: the driven axle's share of the weight at the traction limit (Gillespie ch. 2)."""
    if drive in ("awd", "4wd"):
        return share
    if drive == "rwd":
        return share / (1.0 - mu * h_over_l)
    return share / (1.0 + mu * h_over_l)


def run_variant(t1: bool, t2: bool, keep: dict | None = None) -> list[vp.AccelCase]:
    """The cases of :func:`keidesign.validation.performance.run` with T1 and/or T2;
    ``keep`` receives ``{name: (x, c, kind, trans, facts)}`` of each BEV."""
    joined: dict = {}

    def spec_hook(name: str, spec: sources.Spec) -> None:
        facts = _without_join(spec)
        if t1:  # shipped (7 Dec 2026): put the join back
            for k, val in facts.items():
                spec.set(k, val, "ev_motors.csv")
        joined[name] = facts if t1 else {}

    def problem_hook(name: str, prob: Any, comp: PerformanceComp) -> bool:
        if keep is not None and comp.options["kind"] == "bev":
            keep[name] = comp
        if not t2:
            return False
        h_l = K_CG * float(prob.get_val("body:height").item()) / float(
            prob.get_val("body:wheelbase").item())
        c = comp._c
        c["driven_axle_share"] = _share_with_transfer(
            float(c["driven_axle_share"]), comp.options["drive"], h_l, float(c["mu"]))
        return True

    cases = vp.run(spec_hook=spec_hook, problem_hook=problem_hook)["cases"]
    if keep is not None:
        for name, comp in keep.items():
            x, kind, trans, _ = comp.kernel_x(comp._vals(comp._inputs))
            keep[name] = (x, dict(comp._c), kind, trans, joined[name])
    return cases


def range_check() -> dict:
    """Rule 5 of the ship rule: the (f) EV label range from published specs
    (:func:`keidesign.validation.evrange.rows`, the same ``us_specs.csv`` import) with the
    join (shipped) and without it (before): per pack and MAE / bias."""
    from keidesign.validation import evrange

    orig = sources._twin_motor
    sources._twin_motor = lambda spec, car, esrc: None
    try:
        before = evrange.rows()
    finally:
        sources._twin_motor = orig
    after = evrange.rows()
    out = {}
    for label, rs in (("before", before), ("T1", after)):
        e = np.array([r.error for r in rs if not r.skipped])
        out[label] = (float(np.mean(np.abs(e))), float(np.mean(e)), len(e))
        print(f"  EV range (f) {label:6s} n={len(e)} MAE {out[label][0]:.2%} bias "
              f"{out[label][1]:+.2%}")
    moved = [(a.car, a.years, b.error, a.error) for a, b in zip(after, before, strict=True)
             if not a.skipped and a.model_range_mi != b.model_range_mi]
    print("  moved: " + ", ".join(f"{c} {y} {eb:+.1%} -> {ea:+.1%}" for c, y, eb, ea in moved))
    return out


def _v(a: Any) -> float:
    return float(np.asarray(a).ravel()[0])


def _phases(name: str, case: vp.AccelCase, x: dict, c: dict, kind: str, trans: str) -> str:
    """One EV's launch taken apart: phases, forces, traction-limited speed, base speed."""
    t30 = _v(perf.accel_time(0.0, 30.0 * MPH, x, kind, trans, c))
    t60 = _v(perf.accel_time(0.0, 60.0 * MPH, x, kind, trans, c))
    m, tr, pr, k = _v(x["m"]), _v(x["t_r"]), _v(x["p_r"]), _v(x["k"])
    f_mot = tr * k * c["eta_gear"]
    f_trac = c["mu"] * c["driven_axle_share"] * c["g"] * m
    v = np.linspace(0.0, 60.0 * MPH, 241)[None, :]
    ratio: list = []
    perf.tractive_force(v, x, kind, trans, c, ratio_out=ratio)
    slip = np.asarray(ratio[0])[0] == 0.0
    v_slip = float(v[0, slip][-1] / MPH) if slip.any() else 0.0
    return (f"  {name[:34]:34s} {case.published_s:5.2f} {case.model_s:5.2f} {case.error:+6.1%}"
            f" {t30:5.2f} {t60 - t30:5.2f} {m:5.0f} {tr:4.0f} {k * _v(x['r_roll']):5.2f}"
            f" {f_mot / (m * c['g']):5.2f} {f_trac / (m * c['g']):5.2f} {v_slip:5.1f}"
            f" {pr / tr / k / MPH:5.1f} {pr / m:5.1f}")


def _summary(label: str, cases: list, base: dict) -> dict:
    bev = [c for c in cases if c.name in base["bev"]]
    ice = [c for c in cases if c.name not in base["bev"]]
    e_all = np.array([c.error for c in cases])
    e_ev = np.array([c.error for c in bev])
    same = all(c.model_s == base["cases"][c.name].model_s for c in ice)
    print(f"  {label:8s} EVs n={len(e_ev)} MAE {np.mean(np.abs(e_ev)):.2%} bias "
          f"{np.mean(e_ev):+.2%} | all n={len(e_all)} MAE {np.mean(np.abs(e_all)):.2%} bias "
          f"{np.mean(e_all):+.2%} | gasoline/hybrid rows bit-identical: {same}")
    print("           " + ", ".join(f"{c.name.split(' ')[1][:10]} {c.error:+.1%}" for c in bev))
    moved = [c for c in ice if c.model_s != base["cases"][c.name].model_s]
    if moved:
        print("           gasoline/hybrid moved: " + ", ".join(
            f"{c.name.split(' ')[1][:10]} {base['cases'][c.name].error:+.1%} -> {c.error:+.1%}"
            for c in moved))
    return {"ev_mae": float(np.mean(np.abs(e_ev))), "mae": float(np.mean(np.abs(e_all))),
            "same": same}


def main() -> dict:
    keep0: dict = {}
    keep1: dict = {}
    runs = {"before": run_variant(False, False, keep0)}
    runs["T1"] = run_variant(True, False, keep1)
    runs["T2"] = run_variant(False, True)
    runs["T1+T2"] = run_variant(True, True)
    base = {"bev": set(keep0), "cases": {c.name: c for c in runs["before"]}}
    head = ("  car                                 pub   model  error  0-30 30-60  mass"
            "   T_r  G    Fmot/W Ftr/W slip<  base  P/m")
    for label, keep in (("before", keep0), ("T1", keep1)):
        print(f"The EVs' launch, {label} (times s, from rest for the phases; force per "
              "test weight; slip< mph: traction-limited below; base mph; P/m W/kg)")
        print(head)
        cases = {c.name: c for c in runs[label]}
        for name, (x, c, kind, trans, facts) in keep.items():
            print(_phases(name, cases[name], x, c, kind, trans)
                  + (f"  [{'; '.join(f'{k} {v:g}' for k, v in facts.items())}]"
                     if facts else ""))
    print("Variants (model / published - 1, each row at its clock start)")
    out = {label: _summary(label, cases, base) for label, cases in runs.items()}
    print("The same import on the (f) EV range check (ship rule 5)")
    out["range"] = range_check()
    return out


if __name__ == "__main__":
    main()
