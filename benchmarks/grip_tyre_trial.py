"""Trial (issue 13, task s42c): a grip-tyre rolling term for the road load from specs.

    python benchmarks/grip_tyre_trial.py            # ~20-40 min on the shared machine
    python benchmarks/grip_tyre_trial.py --no-chain # (e), kei and absent rows only
    python benchmarks/grip_tyre_trial.py --held     # variant B: c0, c1 the shipped pair
    python benchmarks/grip_tyre_trial.py --below    # variant C: c0, c1 fitted below the hinge
    python benchmarks/grip_tyre_trial.py --hinge 60 # variant A with the hinge at 60 W/kg

Why: the gasoline label combined from specs, held out by family (401 configurations,
probe footing, 5.73 %, bias -0.13 %), is test mass +0.19 + road load +1.28 + powertrain
-1.78 + formula +0.18 points of bias (``gasoline_label_parts``); the road-load part sits
in the Toyota 86, the MX-5 and the families without a published Cd, and the ratio in
the ICE fit (the powertrain part's class-wide cause) waits for it.

Candidate (its ship rule in docs/validation.md, "The road load of the overshooting
families from specs", committed before the first run)::

    road:crr = c0 (1 + k max(P/m - H, 0) / (10 W/kg))    combustion engines
    road:crr = c0                                        battery-electric

``P`` the rated engine power (W), ``m`` the test mass (kg: the ETW in the road-load fit,
the design's predicted ``mass:test`` on the specs-only path), ``H`` = 75 W/kg
(:data:`HINGE_W_PER_KG`, the road-load fit's median car; fixed). Physical meaning: the
original-equipment tyres of cars with more power per mass are grip-oriented
(performance / summer, higher speed rating), and grip costs rolling resistance (NHTSA
DOT HS 811 154, 2009: over 16 tyre models lower rolling resistance went with poorer wet
slide friction; TRB Special Report 286, 2006: RRC 0.007-0.017 over ~200 tyres); the spec
sheet carries no tyre class, so the power per mass stands in for it (status A). Valid
for 30-150 W/kg; kei cars (below 60 W/kg) are never above the hinge. The EVs are outside
the term (their motor rating is not their tyres' purpose: their OE tyres are
low-rolling-resistance lines). ``k`` is fitted with ``c0``, ``c1`` on the (e) road-load
cases (published Cd, ETW), refitted without each family.

What is measured (the rule's clauses): (e) held out at 20 / 50 / 70 mph and on the EV
rows; the label combined from specs of the 401 labelled gasoline configurations with
``label_split``'s hold-out constants (the road-load constants of each family's refit,
shipped pair -> the candidate's triple); the kei WLTC ICE rows (all-data constants); the
absent stand-in's gasoline rows from specs (all-data constants, ``road:crr`` and
``road:crr_speed`` written into the imported design). Results in
``benchmarks/results/grip_tyre_trial.json`` and docs/validation.md.

Result (7 Dec 2026, the first run): every clause of the rule met ((e) 50 mph 7.40 -> 7.03 %,
label from specs 5.73 (-0.13) -> 5.46 (-0.57) %, kei WLTC 5.24 -> 5.54 %, absent gasoline
8.23 -> 7.78 %, EV rows 6.12 -> 6.11 %), but not shipped: implemented in the model (with
``c0`` 0.0079 -> 0.00755 for every car below the hinge) it takes three kei rows past the
per-row bounds of ``tests/test_energy_validation.py`` (Mira e:S +9.5 -> +10.2 % against 10 %,
Taft +11.8 -> +12.5 % against 12 %, N-One RS 6MT +8.8 -> +9.5 % against 9 %); docs/validation.md.
Variant B (``--held``, rule committed before its run): ``k`` 0.081 with the pair held,
(e) 50 mph 7.40 -> 7.11 %, kei unchanged, absent 8.23 -> 7.44 %, but the label from specs
5.73 -> 5.61 % (clause 1: 5.53 %): not shipped.

Task s42f (rule in docs/validation.md before its runs; trial, nothing shipped): is variant
A's lower ``c0`` physics or an artefact? Variant C (``--below``): ``c0``, ``c1`` fitted
only on the cases where the term is zero (combustion rows at or below the hinge, the
EVs), then ``k`` alone with the pair held; variants A60 / A90 (``--hinge``): variant A
with the hinge moved. Each also checks every kei row against the per-row bounds of
``tests/test_energy_validation.py`` (:func:`kei_bounds`).

Result (7 Dec 2026, trial for the next session's ship decision): C ``c0`` 0.00765 (the
grip-free cases alone), ``k`` 0.105: label from specs 5.50 %, (e) 50 mph 7.00 %, but the
Taft +12.20 % (12) and N-One RS +9.16 % (9) past their bounds; A60 ``c0`` 0.00716: EV rows
6.49 % (clause 7) and three kei rows past; A90 ``c0`` 0.00780, ``k`` 0.243: every clause
met, label 5.48 %, (e) 7.12 %, but the Taft at +11.99 % (12 %) at the fitted pair and
+12.004 % at (0.0078, 9.0e-5). docs/validation.md, "The road load of the overshooting
families from specs".
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

#: power per test mass (W/kg) above which the rolling term grows: the shipped road-load
#: fit's median car (fixed, not fitted)
HINGE_W_PER_KG = 75.0
#: the term's scale (W/kg): ``k`` is the relative growth of ``c0`` per 10 W/kg
SCALE_W_PER_KG = 10.0
RESULT = Path(__file__).resolve().parent / "results" / "grip_tyre_trial.json"
#: variant B's results (``--held``)
RESULT_HELD = RESULT.with_name("grip_tyre_trial_held.json")
#: variant C's results (``--below``)
RESULT_BELOW = RESULT.with_name("grip_tyre_trial_below.json")
HP_W = 745.7


def excess(power_w, mass_kg, ev) -> np.ndarray:
    """The term's variable ``max(P/m - H, 0) / 10 W/kg`` (0 for battery-electric rows)."""
    pm = np.asarray(power_w, float) / np.asarray(mass_kg, float)
    x = np.maximum(pm - HINGE_W_PER_KG, 0.0) / SCALE_W_PER_KG
    return np.where(np.asarray(ev, bool), 0.0, x)


def crr(p, power_w: float, mass_kg: float, ev: bool = False) -> float:
    """``road:crr`` of the candidate with constants ``p = (c0, c1, k)``."""
    return float(p[0] * (1.0 + p[2] * excess(power_w, mass_kg, ev)))


def _mb(x) -> tuple[float, float, int]:
    x = np.asarray(list(x), float)
    return 100.0 * float(np.abs(x).mean()), 100.0 * float(x.mean()), int(len(x))


def _k_above(rp, d, above: np.ndarray, c0: float, c1: float, lever) -> np.ndarray:
    """``k`` alone least-squares fitted on the cases ``above`` the hinge with the pair
    ``(c0, c1)`` held (relative road-load residuals); returns ``(c0, c1, k)``."""
    from scipy.optimize import least_squares

    def res(k):
        return (rp._predict(d, above, np.array([c0, c1, k[0]]), lever) / d.y[above]
                - 1.0).ravel()

    return np.array([c0, c1, least_squares(res, [0.1]).x[0]])


def _held_fit(rp, d, i: np.ndarray, lever) -> np.ndarray:
    """Variant B: the shipped pair ``(c0, c1)`` fitted on cases ``i`` without the term, then
    ``k`` alone on the combustion rows of ``i`` above the hinge with the pair held."""
    c0, c1 = rp._fit(d, i, None)
    above = i[np.asarray(lever.x_roll)[i] > 0.0]
    if not above.size:
        return np.array([c0, c1, 0.0])

    return _k_above(rp, d, above, c0, c1, lever)


def _below_fit(rp, d, i: np.ndarray, lever) -> np.ndarray:
    """Variant C: the pair ``(c0, c1)`` fitted (shipped two-constant form) only on the cases
    of ``i`` where the term is zero (the grip-free population: combustion rows at or below
    the hinge, the EVs), then ``k`` alone on the rows of ``i`` above the hinge with the
    pair held (the rows below it do not move with ``k``)."""
    x = np.asarray(lever.x_roll)[i]
    c0, c1 = rp._fit(d, i[x == 0.0], None)
    above = i[x > 0.0]
    if not above.size:
        return np.array([c0, c1, 0.0])

    return _k_above(rp, d, above, c0, c1, lever)


def e_part(held: bool = False, below: bool = False) -> dict:
    """(e) held out by family, shipped pair and the candidate: MAE / bias (%) at 20 / 50 /
    70 mph, the EV rows and the >= 85 W/kg rows at 50 mph; the constants."""
    import roadload_probe as rp

    d = rp.data()
    pm = np.array([c.car.hp * HP_W / c.car.etw for c in d.cs])
    ev = np.array([c.car.cls == "ev" for c in d.cs])
    lever = rp.Lever("grip tyre", excess(pm, 1.0, ev))
    every = np.ones(len(d.cs), bool)
    out: dict = {"n": int(len(d.cs)), "n_ev": int(ev.sum()),
                 "n_above": int((pm > HINGE_W_PER_KG).sum())}
    for name, lv in (("shipped", None), ("candidate", lever)):
        if (held or below) and lv is not None:
            from keidesign.validation import roadload as rl

            fit = _below_fit if below else _held_fit
            err, fits = rl.lofo(d.cs, lambda tr, fit=fit: fit(rp, d, d.rows(tr), lever),
                                lambda te, q: rp._predict(d, d.rows(te), q, lever))
            p = fit(rp, d, np.flatnonzero(every), lever)
        else:
            err, p, fits = rp.lever_lofo(d, every, lv)
        out[name] = {"mae": [100.0 * float(v) for v in np.abs(err).mean(0)],
                     "bias": [100.0 * float(v) for v in err.mean(0)],
                     "ev50": _mb(err[ev, 1]), "hi50": _mb(err[(pm >= 85) & ~ev, 1]),
                     "p": [float(v) for v in p],
                     "fits": {f: [float(v) for v in q] for f, q in fits.items()}}
        print(f"(e) {name}: MAE 20/50/70 {np.round(out[name]['mae'], 2)}, bias "
              f"{np.round(out[name]['bias'], 2)}, EV 50 mph {np.round(out[name]['ev50'], 2)}, "
              f">= 85 W/kg {np.round(out[name]['hi50'], 2)}, p {p}", flush=True)
    if out["candidate"]["fits"]:
        ks = [q[2] for q in out["candidate"]["fits"].values()]
        out["k_range"] = [min(ks), max(ks)]
    return out


def labelled_with_grip(cars: list, ho, p_all, fits):
    """For each labelled gasoline configuration of ``cars`` from specs: ``(car, label row,
    prediction with hold-out ho, hold-out with the candidate's road:crr for the car's
    family, that crr)``; ``fits`` the per-family refits, ``p_all`` the all-rows fit."""
    from keidesign.energy import testcars as tc
    from keidesign.validation import specsonly as so

    for car in so.cases(cars, hybrids=False):
        lab = tc.label_for(car)
        if lab is None:
            continue
        base = so.predict(car, ho)
        p = fits.get(car.family, p_all)
        c = crr(p, car.hp * HP_W, base.outputs["mass:test"])
        h = replace(ho, road={**ho.road, car.family: {"road:crr": c,
                                                      "road:crr_speed": float(p[1])}})
        yield car, lab, base, h, c


def chain_part(p_all, fits) -> dict:
    """The labelled gasoline configurations from specs with ``label_split``'s hold-out
    constants, shipped and with the candidate's family refit: label combined error (by
    the fueleconomy.gov set) and road load at 50 mph, per row."""
    import validation_probes as vp

    from keidesign.validation import specsonly as so

    cars, _, ho = vp._gasoline_holdout()
    rows = []
    for car, lab, base, h, c in labelled_with_grip(cars, ho, p_all, fits):
        trial = so.predict(car, h)
        row = {"family": car.family, "cls": car.cls, "year": car.year, "crr": c}
        for name, case in (("shipped", base), ("candidate", trial)):
            o = case.outputs
            row[name] = vp._label_comb(o["energy:ftp_mpg"], o["energy:hwfet_mpg"], car.year,
                                       "fueleconomy.gov") / lab.comb - 1.0
            row[name + "_road50"] = float(so.errors([case])["road"][0][1])
        rows.append(row)
    out = {"rows": rows}
    for name in ("shipped", "candidate"):
        out[name] = {"label": _mb(r[name] for r in rows),
                     "road50": _mb(r[name + "_road50"] for r in rows
                                   if np.isfinite(r[name + "_road50"])),
                     "by_class": {k: _mb(r[name] for r in rows if r["cls"] == k)
                                  for k in ("cvt", "automatic", "dct", "manual")}}
        print(f"chain {name}: label {np.round(out[name]['label'], 2)}, road 50 mph "
              f"{np.round(out[name]['road50'], 2)}, by class "
              f"{ {k: np.round(v, 2).tolist() for k, v in out[name]['by_class'].items()} }",
              flush=True)
    fam = sorted({r["family"] for r in rows})
    out["families"] = {f: {n: _mb(r[n] for r in rows if r["family"] == f)
                           for n in ("shipped", "candidate")} for f in fam}
    return out


def kei_part(p_all) -> dict:
    """Kei WLTC ICE rows: shipped check and with the candidate's all-data ``c0``, ``c1``
    (no kei row reaches the hinge, so ``k`` does not act)."""
    import validation_probes as vp

    from keidesign.energy import calibration as cal

    s = cal.kei_wltc_stats(cal.kei_wltc_check())["all"]
    e = vp._kei_wltc_with(float(p_all[0]), float(p_all[1]), False)
    out = {"shipped": (100.0 * s["mae"], 100.0 * s["bias"], s["n"]),
           "candidate": _mb(e)}
    print(f"kei WLTC ICE: shipped {np.round(out['shipped'], 2)}, candidate "
          f"{np.round(out['candidate'], 2)}", flush=True)
    return out


def kei_bounds(p_all) -> dict:
    """Every kei row of ``tests/test_energy_validation.py`` against its bound with the
    candidate's all-data ``c0``, ``c1`` as ``road:crr`` / ``road:crr_speed`` (no kei row
    reaches the hinge): the five ``KEI_CASES`` MAE <= 6 % and each < 10 %; catalogue NA
    rows without an ISG each < 12 %, their MAE <= 7.5 %; turbo CVT rows < 5 %, the turbo
    manual < 9 %. Returns the rows, the failures and the group MAEs."""
    from unittest import mock

    from keidesign.energy import calibration as cal

    spec_of = cal.kei_spec

    def spec(*a, **kw):
        return replace(spec_of(*a, **kw), crr=float(p_all[0]), crr_speed=float(p_all[1]))

    with mock.patch.object(cal, "kei_spec", spec):
        rows = [r for r in cal.kei_wltc_check() if r["unit"] == "km/L"]
    cases = [r for r in rows if r["set"] == "cases"]
    cat = [r for r in rows if r["set"] == "catalogue"]
    na = [r for r in cat if not r["turbo"] and "ISG" not in r["assumptions"]]
    fails = []
    for r in cases:
        if abs(r["error"]) >= 0.10:
            fails.append((r["model"], r["variant"], r["error"], 0.10))
    for r in na:
        if abs(r["error"]) >= 0.12:
            fails.append((r["model"], r["variant"], r["error"], 0.12))
    for r in cat:
        if r["turbo"]:
            b = 0.09 if ", mt" in r["assumptions"] else 0.05
            if abs(r["error"]) >= b:
                fails.append((r["model"], r["variant"], r["error"], b))
    out = {"rows": [(r["set"], r["model"], r["variant"], 100.0 * r["error"]) for r in rows],
           "cases_mae": _mb(r["error"] for r in cases)[0],
           "na_mae": _mb(r["error"] for r in na)[0], "fails": fails}
    ok = not fails and out["cases_mae"] <= 6.0 and out["na_mae"] <= 7.5
    out["ok"] = bool(ok)
    print(f"kei bounds {np.round(p_all[:2], 6)}: ok {ok}, cases MAE {out['cases_mae']:.2f}, "
          f"NA MAE {out['na_mae']:.2f}, fails {fails}", flush=True)
    for s, m, v, e in out["rows"]:
        print(f"  {s:9s} {m} {v}: {e:+.2f} %", flush=True)
    return out


def _label_err(outputs: dict, published: float) -> float:
    """Label combined error (%) of an ``evaluate --json`` output against ``published``."""
    import absent_families as af

    from keidesign.units import convert

    o = outputs[af.LABEL["combined"][2]]
    return 100.0 * (convert(float(o["value"]), o["units"], "mi/galUS") / published - 1.0)


def absent_gasoline_specs(base: Path):
    """``(row, spec file)`` of each gasoline row of the absent stand-in
    (``absent_families.rows``, no motor), its spec file written into ``base``."""
    import absent_families as af

    for r in af.rows():
        if r["motor_kw"]:
            continue
        spec = base / f"{r['config']}.toml"
        spec.write_text(af.spec_text(r), encoding="utf-8")
        yield r, spec


def absent_part(p_all) -> dict:
    """The absent stand-in's gasoline rows from specs: the shipped import and the same
    design with the candidate's ``road:crr`` (the rated power over the predicted test mass)
    and all-data ``road:crr_speed``: label combined error (%) per row."""
    import absent_families as af
    import newuser
    import tomlkit

    from keidesign.units import convert

    out = {"rows": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for r, spec in absent_gasoline_specs(base):
            res = newuser.run_spec(spec, base)
            if not res.outputs:
                continue
            pub = af.published(r, "combined")
            m = convert(float(res.outputs["mass:test"]["value"]),
                        res.outputs["mass:test"]["units"], "kg")
            c = crr(p_all, float(r["power_hp"]) * HP_W, m)
            doc = tomlkit.parse(res.design_text)
            doc["road"]["crr"] = c
            doc["road"]["crr_speed"] = float(p_all[1])
            design = base / f"{r['config']}_grip.toml"
            design.write_text(tomlkit.dumps(doc), encoding="utf-8")
            code, txt, msg = newuser._call(["evaluate", "--json", str(design)])
            if code != 0:
                raise RuntimeError(f"{design.name}: {msg.strip()}")
            out["rows"].append({"config": r["config"], "family": r["family"], "crr": c,
                                "w_per_kg": float(r["power_hp"]) * HP_W / m,
                                "shipped": _label_err(res.outputs, pub),
                                "candidate": _label_err(json.loads(txt)["outputs"], pub)})
    for name in ("shipped", "candidate"):
        out[name] = _mb(0.01 * r[name] for r in out["rows"])
    print(f"absent gasoline: shipped {np.round(out['shipped'], 2)}, candidate "
          f"{np.round(out['candidate'], 2)}", flush=True)
    return out


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    global HINGE_W_PER_KG
    held = "--held" in argv
    below = "--below" in argv
    if "--hinge" in argv:
        HINGE_W_PER_KG = float(argv[argv.index("--hinge") + 1])
    variant = ("B (pair held)" if held else "C (pair below the hinge)" if below
               else f"A (hinge {HINGE_W_PER_KG:g} W/kg)")
    res: dict = {"e": e_part(held, below), "variant": variant, "hinge": HINGE_W_PER_KG}
    cand = res["e"]["candidate"]
    p_all = np.array(cand["p"])
    fits = {f: np.array(q) for f, q in cand["fits"].items()}
    res["kei"] = kei_part(p_all)
    res["kei_bounds"] = kei_bounds(p_all)
    out = (RESULT_HELD if held else RESULT_BELOW if below else RESULT if
           HINGE_W_PER_KG == 75.0 else RESULT.with_name(
               f"grip_tyre_trial_hinge{HINGE_W_PER_KG:g}.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res), encoding="utf-8")
    if "--no-absent" not in argv:
        res["absent"] = absent_part(p_all)
    out.write_text(json.dumps(res), encoding="utf-8")
    if "--no-chain" not in argv:
        res["chain"] = chain_part(p_all, fits)
        out.write_text(json.dumps(res), encoding="utf-8")
    return res


if __name__ == "__main__":
    main()
