"""Curb mass by transmission class (issue 13): the transmission's mass step on twins.

    python benchmarks/validation_probes.py transmission_mass     (~10 s)

1. **Twins of the EPA test-car data** (``/work/shared/data/epa``, through
   :func:`keidesign.energy.testcars.test_cars`): the same model year, make, model,
   displacement, rated horsepower and drive tested with a manual and with another
   gearbox (CVT, stepped automatic, DCT), and with a CVT and an automatic. The published
   step is the difference of the equivalent test weights (ETW, the inertia class of
   curb + 300 lb in 125-lb steps, 40 CFR 1066.805; several tests of a class averaged):
   one pair carries up to +/-62.5 lb (+/-28 kg) of class rounding on each side, so only
   means over many pairs say anything, and the pairs of one family (model years) are
   averaged first, then the families. The model's step is the build-up's:
   ``(m_tr(other, T) - m_tr(manual, T)) / (1 - chassis_fraction)``
   (:func:`keidesign.mass.components.transmission_mass`; the chassis term
   ``c_ch (m_curb + m_payload)`` scales every a-priori kilogram by ``1 / (1 - c_ch)``),
   with T the torque ``keidesign import epa --predict`` writes for the car.
2. **What the specs-only curb comparison compares** (docs/validation.md, "(b), (c),
   (d), (e): from published specs alone"): each EPA configuration's predicted curb is
   set against the ``curb_kg`` of its ``us_specs.csv`` row
   (:func:`keidesign.specs.sources.us_specs_for`), which is one trim's figure: the
   table counts the configurations whose row's trim has another transmission class,
   and (:func:`specs_curb`, ~2 min: the mass model on each configuration's import,
   shipped constants) gives the curb error per configuration class and reference-trim
   class: the class biases on the configurations set against a trim of their own class
   are the ones a gearbox mass could explain.
3. **Coefficient trials** (:func:`trials`, seconds): the mass calibration
   (:mod:`keidesign.mass.calibration`, recorded fit data, judged leave-one-family-out)
   with ``trans_<family>_base`` moved by the twin steps' disagreement
   ``(published - model) (1 - chassis_fraction)`` and by the sourced gearbox masses of
   :data:`SOURCED_AT`; a base shift moves each car's a-priori mass by the same kilograms,
   so the recorded data shifted are exact.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from keidesign.energy import testcars as tc
from keidesign.energy.powertrains import FAMILY
from keidesign.mass.components import transmission_mass
from keidesign.mass.data import coefficients
from keidesign.specs import sources
from keidesign.specs.build import TORQUE_PER_LITRE
from keidesign.validation import specsonly as so

CLASSES = ("manual", "cvt", "automatic", "dct")
#: the steps reported: (gearbox, against)
STEPS = (("cvt", "manual"), ("automatic", "manual"), ("dct", "manual"),
         ("cvt", "automatic"))
#: one pair's ETW step spread from the class rounding alone: the difference of two
#: independent uniform +/-28.35 kg errors (125 lb classes), kg (standard deviation)
ROUNDING_SD_KG = 56.7 / 6.0 ** 0.5


#: Published stepped-automatic masses with fluid, kg, and the engine they serve (L,
#: turbocharged): GM 6T30 71.5 kg behind the 1.8 L of the North American Cruze / Sonic,
#: 6T40 82 kg behind the 1.4 L turbo (GM's figures as quoted by
#: https://en.wikipedia.org/wiki/GM_6T_transmission, read 4 Dec 2026, R; the 6T40's
#: "Transmission weight: wet: 82 kg (180.4 lb)" also in the GM Powertrain data sheet
#: quoted at https://cruzetalk.com (6T40 Transmission Specifications thread, 2010), R).
SOURCED_AT = (("GM 6T30", 71.5, 1.8, False), ("GM 6T40", 82.0, 1.4, True))


@dataclass
class Twin:
    """One twin pair: the same engine and drive behind two gearboxes."""

    family: str
    label: str
    gearbox: str            # class of the heavier-suspected box (cvt, automatic, dct)
    against: str            # manual or automatic
    etw_step: float         # published ETW difference, kg
    model_step: float       # the build-up's curb step, kg
    torque: float           # N m, as the import writes it


def _torque(car: tc.TestCar) -> float:
    return float(so.imported(car).values["powertrain:ice:torque"])


def model_step(gearbox: str, against: str, torque: float, c: dict | None = None) -> float:
    """The build-up's curb-mass step between two gearboxes of one engine, kg."""
    c = coefficients() if c is None else c
    d = transmission_mass(gearbox, torque, c) - transmission_mass(against, torque, c)
    return float(d / (1.0 - c["chassis_fraction"]))


def twins(c: dict | None = None) -> list[Twin]:
    """Every twin pair of the EPA test-car data (gasoline, non-hybrid)."""
    groups: dict[tuple, dict[str, list[tc.TestCar]]] = defaultdict(lambda: defaultdict(list))
    for car in tc.test_cars():
        if car.cls in CLASSES:
            key = (car.year, car.make, car.model, round(car.vd, 1), car.drive, car.hp)
            groups[key][car.cls].append(car)
    out = []
    for key, by in sorted(groups.items(), key=lambda kv: str(kv[0])):
        for gearbox, against in STEPS:
            if gearbox not in by or against not in by:
                continue
            a, b = by[gearbox], by[against]
            tq = _torque(b[0])
            step = np.mean([x.etw for x in a]) - np.mean([x.etw for x in b])
            out.append(Twin(b[0].family, f"{key[0]} {key[1]} {key[2]} {key[3]:.1f} L "
                            f"{a[0].trans}/{b[0].trans}", gearbox, against, float(step),
                            model_step(a[0].trans, b[0].trans, tq, c), tq))
    return out


def step_table(pairs: list[Twin]) -> list[dict]:
    """Per step (gearbox vs against): pairs, families, the family-weighted mean of the
    published ETW step and its standard error over families, the model's mean step, and
    the families whose mean published step lies more than two rounding standard errors
    (``2 ROUNDING_SD_KG / sqrt(n_pairs)``) from the model's step."""
    rows = []
    for gearbox, against in STEPS:
        ps = [p for p in pairs if (p.gearbox, p.against) == (gearbox, against)]
        if not ps:
            continue
        fam: dict[str, list[Twin]] = defaultdict(list)
        for p in ps:
            fam[p.family].append(p)
        pub = np.array([np.mean([p.etw_step for p in v]) for v in fam.values()])
        mod = np.array([np.mean([p.model_step for p in v]) for v in fam.values()])
        tol = np.array([2.0 * ROUNDING_SD_KG / len(v) ** 0.5 for v in fam.values()])
        rows.append({"step": f"{gearbox} - {against}", "pairs": len(ps),
                     "families": len(fam), "published": float(pub.mean()),
                     "sem": float(pub.std(ddof=1) / len(pub) ** 0.5) if len(pub) > 1
                     else float("nan"), "model": float(mod.mean()),
                     "disagree": int(np.sum(np.abs(pub - mod) > tol)),
                     "model_heavier": int(np.sum(mod - pub > tol)),
                     "per_family": {f: (float(p), float(m), len(fam[f]))
                                    for f, p, m in zip(fam, pub, mod, strict=True)}})
    return rows


def _with_reference():
    """Specs-only configurations (gasoline, non-hybrid) with a published curb: (car, its
    us_specs.csv row, the row trim's transmission class)."""
    for car in so.cases(hybrids=False):
        if car.cls not in CLASSES:
            continue
        row = sources.us_specs_for(car)
        if row is None or not row.row.get("curb_kg"):
            continue
        t = sources._trans_text(row.row["trim"] + " " + row.row["transmission"])
        yield car, row, FAMILY.get(t, "?") if t else "?"


def curb_reference_classes() -> dict[tuple[str, str], int]:
    """Specs-only configurations with a published curb: (configuration's class, class of
    the trim whose ``curb_kg`` it is compared with) -> count."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for car, _, ref in _with_reference():
        out[(car.cls, ref)] += 1
    return dict(out)


def specs_curb() -> list[tuple[str, str, str, float, float]]:
    """Curb error ``model / published - 1`` of every specs-only configuration with a
    published curb (the mass model of its ``import epa --predict`` design, shipped
    coefficients): ``(family, configuration's class, reference trim's class, error,
    published curb kg)``."""
    os.environ.setdefault("OPENMDAO_REPORTS", "0")
    from keidesign.model import build_problem

    out = []
    for car, row, ref in _with_reference():
        prob = build_problem(so.imported(car), [])
        prob.run_model()
        err = float(prob.get_val("mass:curb").item()) / float(row.row["curb_kg"]) - 1.0
        out.append((car.family, car.cls, ref, err,
                    float(row.row["curb_kg"])))
    return out


def _stats(e: list[float]) -> str:
    a = np.array(e)
    return f"{len(a)}: {100 * np.mean(np.abs(a)):.1f} % ({100 * np.mean(a):+.1f} %)"


def sourced_at_shift(c: dict | None = None) -> float:
    """Mean of (published - model) over :data:`SOURCED_AT`, kg, the model at the torque
    the import writes for the engine (``TORQUE_PER_LITRE`` x displacement)."""
    c = coefficients() if c is None else c
    d = [m - float(transmission_mass("at6", TORQUE_PER_LITRE[t] * v, c))
         for _, m, v, t in SOURCED_AT]
    return float(np.mean(d))


def trials(rows: list[dict], c: dict | None = None) -> dict[str, dict]:
    """Leave-one-family-out curb error per class (calibration refitted) with the shipped
    transmission coefficients and with ``trans_<key>_base`` shifted: the stepped
    automatic by the sourced masses, by its twin disagreement, and the automatic and the
    CVT both by theirs. ``{trial: {class: (MAE, bias)}}`` (fractions)."""
    from dataclasses import replace

    from keidesign.mass import calibration as mcal

    c = coefficients() if c is None else c
    k = 1.0 - c["chassis_fraction"]
    tw = {r["step"]: (r["published"] - r["model"]) * k for r in rows}
    at, cvt = tw["automatic - manual"], tw["cvt - manual"]
    data = mcal.read_cars()
    out = {}
    for name, shift in (("shipped", {}), (f"automatic {sourced_at_shift(c):+.1f} kg "
                                           "(GM 6T30/6T40)", {"automatic": sourced_at_shift(c)}),
                        (f"automatic {at:+.1f} kg (twins)", {"automatic": at}),
                        (f"automatic {at:+.1f}, cvt {cvt:+.1f} kg (twins)",
                         {"automatic": at, "cvt": cvt})):
        moved = [replace(d, prior=d.prior + shift.get(d.transmission, 0.0)) for d in data]
        s = mcal.summary(moved, mcal.shipped())
        out[name] = {g: (r["lofo"].mae, r["lofo"].bias) for g, r in s["rows"].items()}
    return out


def main(c: dict | None = None, curb: bool = True) -> list[dict]:
    """Print the twin steps (published vs model) and the specs-only reference classes."""
    pairs = twins(c)
    rows = step_table(pairs)
    print("Twin steps of the EPA test-car data (same year, model, engine, drive): curb step "
          "of the gearbox over the one it is set against, kg; published = ETW difference "
          "(family mean, then mean over families +/- standard error); model = "
          "build-up's step at the imported torque")
    print("| step | pairs | families | published, kg | model, kg | families apart "
          "(model heavier) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['step']} | {r['pairs']} | {r['families']} | {r['published']:+.1f} "
              f"+/- {r['sem']:.1f} | {r['model']:+.1f} | {r['disagree']} "
              f"({r['model_heavier']}) |")
    for r in rows:
        print(f"\n{r['step']} per family (published ETW step, model step, pairs):")
        for f, (p, m, n) in sorted(r["per_family"].items()):
            print(f"  {f}: {p:+.0f} kg, model {m:+.0f} kg, {n}")
    ref = curb_reference_classes()
    print("\nSpecs-only curb comparison: configurations by their class and the class of "
          "the us_specs.csv trim whose published curb they are set against")
    for cls in CLASSES:
        tot = sum(v for (a, _), v in ref.items() if a == cls)
        same = ref.get((cls, cls), 0)
        others = ", ".join(f"{b} {v}" for (a, b), v in sorted(ref.items())
                           if a == cls and b != cls)
        print(f"  {cls}: {tot} configurations, {same} against a {cls} trim; others: "
              f"{others or '-'}")
    res = trials(rows, c)
    groups = list(next(iter(res.values())))
    print("\nMass calibration, leave-one-family-out curb MAE (bias) with trans_<x>_base "
          "shifted (recorded fit data, refitted per held-out family):")
    print("| trial | " + " | ".join(groups) + " |")
    print("| --- |" + " --- |" * len(groups))
    for name, r in res.items():
        print(f"| {name} | " + " | ".join(
            f"{100 * r[g][0]:.2f} % ({100 * r[g][1]:+.2f} %)" for g in groups) + " |")
    if curb:
        err = specs_curb()
        print("\nSpecs-only curb error (mass model, shipped coefficients), n: MAE (bias): "
              "all / against a trim of the same class / against another class")
        for cls in CLASSES:
            every = [e for _, a, _, e, _ in err if a == cls]
            same = [e for _, a, b, e, _ in err if a == cls and b == cls]
            other = [e for _, a, b, e, _ in err if a == cls and b != cls]
            print(f"  {cls}: {_stats(every)} / {_stats(same) if same else '-'} / "
                  f"{_stats(other) if other else '-'}")
        own = {cls: [(e, m) for _, a, b, e, m in err if a == cls and b == cls]
               for cls in CLASSES}
        kg = {cls: float(np.mean([e * m for e, m in v])) for cls, v in own.items() if v}
        model = {r["step"]: r["model"] for r in rows}
        print("Mean own-class curb error, kg: " + ", ".join(
            f"{cls} {v:+.0f}" for cls, v in kg.items()) + "; the CVT - manual step that "
            f"would take both out: {model['cvt - manual'] - kg['cvt'] + kg['manual']:+.0f} "
            f"kg (model {model['cvt - manual']:+.1f})")
        print("\nPer family, configurations set against a trim of their own class "
              "(n: MAE (bias)):")
        for cls in CLASSES:
            fams = sorted({f for f, a, b, _, _ in err if a == cls and b == cls})
            print(f"  {cls}: " + "; ".join(
                f"{f} " + _stats([e for g, a, b, e, _ in err
                                  if g == f and a == cls and b == cls]) for f in fams))
    return rows


if __name__ == "__main__":
    main()
