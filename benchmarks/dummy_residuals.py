"""The frontal dummies' Nij and femur against NHTSA's measured values: what explains the
residuals across cars (issue 14, task s42g; docs/crash.md, "The dummies' neck and femur
against the measured"). Analysis only: nothing is shipped, no constant changes.

    python benchmarks/dummy_residuals.py     # about 1 min

The model (``keidesign.crash.occupant``) makes every frontal criterion but HIC15 one
constant times the occupant's 3 ms deceleration a (m/s^2): y_d,c = k_d,c a; HIC15 =
k_head^2.5 HIC_occ. The constants are the geometric mean of measured / model over the 17
imported NCAP cars (``keidesign.validation.ncap``). This script

1. tabulates, per dummy and criterion, the model held out by maker (the constants refitted
   without the car's maker) against the measured: MAE and bias of y_model / y_meas - 1,
   Pearson r of model and measured across the cars;
2. correlates the in-sample log residual e = ln(y_meas / (k a)) of the driver's and the
   passenger's Nij and femur force with physically motivated inputs a design carries (the
   model's test mass, occupant excursion, front length to the dash, ESW, 3 ms body peak,
   pulse duration, OLC, the occupant's 3 ms deceleration itself and its logarithm (an
   exponent 1 + b on it in place of 1), the tested car's build year (its VIN's 10th
   character, in the listing's notes) and NHTSA's curb), and, as diagnostics no design
   carries, the measured pulse's peak (rows the source marks Valid) and the same dummy's
   measured chest deflection residual (a restraint-tuning signal);
3. takes for each of the four criteria the design-readable input with the largest |r| and
   fits e = c + b (x - x_mean) leaving each maker out (c and b refitted without the
   maker), against the shipped form (b = 0) held out the same way: held-out MAE, b's
   range over the folds, and the 51 frontal stars (driver / passenger / vehicle of 17
   cars) within one and exact, with all four candidates in place.

Would-be ship rule, written before the first run, for a later session (this one ships
nothing whatever the numbers): a candidate input for a criterion would be kept only if
(i) |r| >= 0.66 on the 17 cars (p < 0.05 after a Bonferroni factor for the ten
design-readable inputs tried, 0.66 for eleven too; |r| >= 0.48 is p < 0.05 for one
input); (ii) its held-out-by-maker MAE is at least 3 points below the shipped form's
on the same folds; (iii) b's range over the maker folds excludes 0; (iv) the 51 frontal
stars within one of the published are >= 48 and not fewer than the shipped form's held
out by maker.
"""

from __future__ import annotations

import csv
import math
import os
import re
import statistics
from importlib import resources
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from keidesign.crash import occupant as occ  # noqa: E402
from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.specs import sources  # noqa: E402
from keidesign.specs.write import imported_design  # noqa: E402
from keidesign.validation import ncap  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: model outputs read per car: label -> output name
_MODEL_INPUTS = {"test mass, kg": "crash:front:test_mass",
                 "occupant excursion, mm": "crash:front:occupant_excursion",
                 "front to dash, mm": "body:crush_to_dash",
                 "ESW, m/s^2": "crash:front:esw_decel",
                 "3 ms body peak, m/s^2": "crash:front:peak_decel",
                 "pulse duration, ms": "crash:front:pulse_duration",
                 "OLC, m/s^2": "crash:front:olc",
                 "occupant 3 ms, m/s^2": "crash:front:chest_accel_3ms"}
#: the residuals examined: (dummy, criterion)
TARGETS = (("m50", "nij"), ("f05", "nij"), ("m50", "femur"), ("f05", "femur"))
_WHO = {"m50": "50th driver", "f05": "5th passenger"}
_CRIT = ("hic15", "deflection", "nij", "femur")
_KEY = {"hic15": "head", "deflection": "deflection", "nij": "nij", "femur": "femur"}


def maker(name: str) -> str:
    """The maker of an ncap_ratings.csv vehicle (its first word)."""
    return name.split()[0].lower()


def inputs(rows: list) -> None:
    """Put each imported car's candidate inputs into ``car.extra`` (model outputs, the
    listing's model year, NHTSA's curb and the Valid measured pulse peak)."""
    text = resources.files("keidesign.data").joinpath("crash/ncap_ratings.csv").read_text()
    listing = {r["vehicle"]: r for r in csv.DictReader(text.splitlines())}
    text = resources.files("keidesign.data").joinpath(
        "crash/ncap_frontal_pulses.csv").read_text()
    pulses = {r["vehicle"]: r for r in csv.DictReader(text.splitlines())}
    by_key = sources.us_specs_generations()
    packs = resolve_packs(["fmvss"])
    for car in rows:
        if car.skipped:
            continue
        design = imported_design(sources.row_spec(by_key[ncap.NCAP_MATCH[car.name]]),
                                 f"<import {car.name}>")
        o = evaluate_design(design, packs).outputs
        car.extra = {label: float(np.ravel(o[name][0])[0])
                     for label, name in _MODEL_INPUTS.items()}
        car.extra["ln occupant 3 ms (exponent 1 + b)"] = math.log(car.a3ms)
        year = re.search(r"(\d{4})-build \(frontal", listing[car.name]["notes"])
        car.extra["test car's build year (VIN)"] = float(year.group(1)) if year else math.nan
        car.extra["NHTSA curb, kg"] = float(listing[car.name]["curb_mass_kg"])
        p = pulses.get(car.name)
        car.extra["measured peak, g (diag.)"] = (float(p["peak_decel_g"]) if p and
                                                 p["source_quality"] == "Valid"
                                                 else float("nan"))


def fit_log(used: list, d: str, c: str) -> float:
    """ln k of one criterion: mean of ln(measured / base) (the shipped fit)."""
    return statistics.mean(math.log(car.measured[d][_KEY[c]] / car.base(_KEY[c]))
                           for car in used)


def base_pred(car, k_log: float, c: str) -> float:
    """The shipped form's response from ln k (HIC15: k is the HIC ratio, not k_head)."""
    return math.exp(k_log) * car.base(_KEY[c])


def pearson(x: list, y: list) -> tuple[float, int]:
    """Pearson r over the pairs where both are finite, and their count."""
    pairs = [(a, b) for a, b in zip(x, y, strict=True) if math.isfinite(a) and math.isfinite(b)]
    if len(pairs) < 4:
        return float("nan"), len(pairs)
    xa, ya = np.array(pairs).T
    return float(np.corrcoef(xa, ya)[0, 1]), len(pairs)


def residual(car, used: list, d: str, c: str) -> float:
    """In-sample log residual ln(measured / (k base)) with k fitted on ``used``."""
    return math.log(car.measured[d][_KEY[c]]) - math.log(base_pred(car, fit_log(used, d, c),
                                                                   c))


def lomo_fit(train: list, d: str, c: str, x: str | None) -> tuple[float, float, float]:
    """(c, b, x_mean) of e = ln(meas / base) = c + b (x - x_mean) on ``train``; b = 0
    without an input (the shipped form)."""
    y = np.array([math.log(car.measured[d][_KEY[c]] / car.base(_KEY[c])) for car in train])
    if x is None:
        return float(y.mean()), 0.0, 0.0
    xs = np.array([car.extra[x] for car in train])
    xm = float(xs.mean())
    if np.ptp(xs) == 0.0:
        raise ValueError(f"{x}: constant on a training fold")
    b = float(np.sum((xs - xm) * (y - y.mean())) / np.sum((xs - xm) ** 2))
    return float(y.mean()), b, xm


def lomo_predict(used: list, d: str, c: str, x: str | None) -> tuple[dict, list]:
    """Held-out-by-maker predictions {car: value} and the fold slopes."""
    pred, slopes = {}, []
    for m in sorted({maker(car.name) for car in used}):
        train = [car for car in used if maker(car.name) != m]
        c0, b, xm = lomo_fit(train, d, c, x)
        slopes.append(b)
        for car in used:
            if maker(car.name) == m:
                xv = car.extra[x] if x else xm
                pred[car.name] = math.exp(c0 + b * (xv - xm)) * car.base(_KEY[c])
    return pred, slopes


def stars(used: list, preds: dict) -> tuple[int, int, dict]:
    """Within-one and exact counts of the 51 frontal stars from ``preds[(d, c)][car]``,
    and the per-car stars."""
    within = exact = 0
    per = {}
    for car in used:
        resp = {d: {c: preds[(d, c)][car.name] for c in _CRIT} for d in occ.DUMMIES}
        s = ncap._rate(resp)
        per[car.name] = s
        for seat in ("driver", "passenger", "vehicle"):
            within += abs(s[seat] - car.stars[seat]) <= 1
            exact += s[seat] == car.stars[seat]
    return within, exact, per


def err_stats(used: list, pred: dict, d: str, c: str) -> tuple[float, float, float]:
    """MAE, bias of pred / measured - 1 and Pearson r of pred and measured."""
    e = [pred[car.name] / car.measured[d][_KEY[c]] - 1.0 for car in used]
    r, _ = pearson([pred[car.name] for car in used], [car.measured[d][_KEY[c]] for car in used])
    return statistics.mean(map(abs, e)), statistics.mean(e), r


def nbox(t: tuple, x: str, c0: float, b: float, xm: float) -> None:
    """The US N-Box class (studies/designs/nbox_class_us.toml) at 600 and 1000 mm fronts:
    the criterion and the NCAP relative risk, shipped against the all-car candidate."""
    design = load_design(ROOT / "studies" / "designs" / "nbox_class_us.toml")
    packs = resolve_packs(["fmvss"])
    d, c = t
    if x not in _MODEL_INPUTS:
        return
    for front in (600.0, 1000.0):
        o = evaluate_design(design.replace(**{"crash:front:crush_length": front}),
                            packs).outputs
        a = float(o["crash:front:chest_accel_3ms"][0])
        xv = float(np.ravel(o[_MODEL_INPUTS[x]][0])[0])
        pre = "crash:front:f05:" if d == "f05" else "crash:front:"
        resp = {dd: {cc: float(o[("crash:front:f05:" if dd == "f05" else "crash:front:")
                                  + ("femur_force" if cc == "femur" else
                                     "chest_deflection" if cc == "deflection" else cc)][0])
                     for cc in _CRIT} for dd in occ.DUMMIES}
        shipped = resp[d][c]
        rr0 = ncap_rr(resp)
        resp[d][c] = math.exp(c0 + b * (xv - xm)) * a
        print(f"  N-Box class, US, {front:.0f} mm front: {x} {xv:.0f}, {pre}{c} shipped "
              f"{shipped:.3f} -> candidate {resp[d][c]:.3f}; NCAP vehicle relative risk "
              f"{rr0:.3f} -> {ncap_rr(resp):.3f}")


def ncap_rr(resp: dict) -> float:
    """NCAP vehicle relative risk of the two dummies' responses."""
    p = [float(occ.seat_risk(d, r["hic15"], r["deflection"], r["nij"], r["femur"]))
         for d, r in resp.items()]
    return 0.5 * sum(p) / occ.NCAP_BASELINE


def main() -> None:
    rows = ncap.cars()
    inputs(rows)
    used = [car for car in rows if not car.skipped]
    n_makers = len({maker(car.name) for car in used})
    print(f"{len(used)} imported NCAP cars, {n_makers} makers\n")

    print("1. Model held out by maker against the measured")
    print("| dummy | criterion | MAE | bias | r (model, measured) | Spearman | measured range |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    base = {}
    for d in occ.DUMMIES:
        for c in _CRIT:
            pred, _ = lomo_predict(used, d, c, None)
            base[(d, c)] = pred
            mae, bias, r = err_stats(used, pred, d, c)
            vals = [car.measured[d][_KEY[c]] for car in used]
            rho = stats.spearmanr([pred[car.name] for car in used], vals)[0]
            print(f"| {_WHO[d]} | {c} | {100 * mae:.0f} % | {100 * bias:+.0f} % | {r:+.2f} "
                  f"| {rho:+.2f} | {min(vals):.3g}-{max(vals):.3g} |")

    readable = list(_MODEL_INPUTS) + ["ln occupant 3 ms (exponent 1 + b)",
                                      "test car's build year (VIN)", "NHTSA curb, kg"]
    diag = ["measured peak, g (diag.)"]
    print("\n2. Pearson r of the log residual ln(measured / model) with each input "
          "(17 cars; diagnostics: n in brackets)")
    print("| input | " + " | ".join(f"{_WHO[d]} {c}" for d, c in TARGETS) + " |")
    print("| --- " * (len(TARGETS) + 1) + "|")
    res = {t: [residual(car, used, *t) for car in used] for t in TARGETS}
    rtab = {}
    for x in readable + diag:
        cells = []
        for t in TARGETS:
            r, n = pearson([car.extra[x] for car in used], res[t])
            rtab[(x, t)] = r
            cells.append(f"{r:+.2f}" + (f" ({n})" if x in diag else ""))
        print(f"| {x} | " + " | ".join(cells) + " |")
    chest = {d: [residual(car, used, d, "deflection") for car in used] for d in occ.DUMMIES}
    cells = [f"{pearson(chest[d], res[(d, c)])[0]:+.2f}" for d, c in TARGETS]
    print("| same dummy's chest-deflection residual (diag.) | " + " | ".join(cells) + " |")
    print(f"\ndriver against passenger residual: Nij r = "
          f"{pearson(res[('m50', 'nij')], res[('f05', 'nij')])[0]:+.2f}, femur r = "
          f"{pearson(res[('m50', 'femur')], res[('f05', 'femur')])[0]:+.2f}; "
          f"Nij against femur: driver {pearson(res[('m50', 'nij')], res[('m50', 'femur')])[0]:+.2f}"
          f", passenger {pearson(res[('f05', 'nij')], res[('f05', 'femur')])[0]:+.2f}")

    print("\n3. Best design-readable input per criterion, held out by maker")
    print("| criterion | input | r | b range over folds | MAE shipped -> candidate "
          "| bias shipped -> candidate | rule (i)-(iii) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    note, passing = [], []
    cand, kept = dict(base), dict(base)
    for t in TARGETS:
        x = max(readable, key=lambda v: abs(rtab[(v, t)]))
        pred, slopes = lomo_predict(used, *t, x)
        cand[t] = pred
        m0, b0, _ = err_stats(used, base[t], *t)
        m1, b1, _ = err_stats(used, pred, *t)
        ok = (abs(rtab[(x, t)]) >= 0.66, m1 <= m0 - 0.03, min(slopes) * max(slopes) > 0)
        if all(ok):
            kept[t] = pred
            passing.append((t, x))
        vn = next(car for car in used if car.name == "Nissan Versa Note")
        note.append(f"{_WHO[t[0]]} {t[1]}: Versa Note measured {vn.measured[t[0]][_KEY[t[1]]]:.3g}"
                    f", shipped form {base[t][vn.name]:.3g}, candidate {pred[vn.name]:.3g}")
        print(f"| {_WHO[t[0]]} {t[1]} | {x} | {rtab[(x, t)]:+.2f} | {min(slopes):+.3g} to "
              f"{max(slopes):+.3g} | {100 * m0:.1f} -> {100 * m1:.1f} % | {100 * b0:+.1f} -> "
              f"{100 * b1:+.1f} % | {' '.join('met' if o else 'fails' for o in ok)} |")
    print("\n" + "; ".join(note))
    for t, x in passing:
        c0, b, xm = lomo_fit(used, *t, x)
        xs = [car.extra[x] for car in used]
        print(f"\n{_WHO[t[0]]} {t[1]} on all 17 cars: ln(y / a) = {c0:.4f} + {b:.5f} (x - {xm:.1f})"
              f", x = {x} over {min(xs):.0f}-{max(xs):.0f}")
        nbox(t, x, c0, b, xm)
    w0, e0, s0 = stars(used, base)
    w1, e1, s1 = stars(used, cand)
    w2, e2, s2 = stars(used, kept)
    print(f"\n51 frontal stars held out by maker: shipped form within one {w0}, exact {e0}; "
          f"with the candidates that meet (i)-(iii) within one {w2}, exact {e2} (rule (iv): "
          f"{'met' if w2 >= 48 and w2 >= w0 else 'fails'}); with all four candidates within "
          f"one {w1}, exact {e1}")
    print("\n| car | published | shipped form (maker out) | candidates meeting (i)-(iii) "
          "| all four candidates |")
    print("| --- | --- | --- | --- | --- |")

    def f(s: dict) -> str:
        return f"{s['driver']} / {s['passenger']} / {s['vehicle']}"

    for car in used:
        if s0[car.name] != s1[car.name] or s0[car.name] != s2[car.name] or \
                car.name == "Nissan Versa Note":
            print(f"| {car.name} | {f(car.stars)} | {f(s0[car.name])} | {f(s2[car.name])} "
                  f"| {f(s1[car.name])} |")


if __name__ == "__main__":
    main()
