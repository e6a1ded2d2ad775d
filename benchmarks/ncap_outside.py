"""US NCAP stars of certified cars outside the dummy fit (issue 14, task s44e).

    python benchmarks/ncap_outside.py               # print the tables (about 1-2 min)
    python benchmarks/ncap_outside.py --write-docs  # rewrite the block of docs/crash.md
    python benchmarks/ncap_outside.py --check       # exit 1 if a docs block differs

Two blocks of docs/crash.md: the stars against the published (``ncap_outside``, task
s44e) and whether they rank the cars as the tests do (``ncap_outside (discrimination)``,
task s45b, "Do the stars discriminate?": :mod:`keidesign.validation.ncap_discrimination`).

The rule (docs/crash.md, "NCAP stars on certified cars outside the fit", written before
the ratings were read) picks one published 2011-protocol rating per certified generation
that is not one of the 17 fit cars (``keidesign.validation.ncap_outside.select``); the
shipped model predicts its stars through the Known outcomes' evaluation. Nothing is fitted.
Diagnostics beside the rule's figures: the stars NHTSA's curves give from the rows'
measured dummy values (they must reproduce the published ones), the model's dummy values
against the measured (the fitted constants held out on cars they never saw), a constant
predictor (added after the run: not a figure of the rule), and the worst cars with the
measured criterion that sets their seat's rating and the test's own pulse peak.
"""

from __future__ import annotations

import os
import statistics
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.crash import occupant as occ  # noqa: E402
from keidesign.validation import fleet_pulses as fp  # noqa: E402
from keidesign.validation import ncap_discrimination as nd  # noqa: E402
from keidesign.validation import ncap_outside as no  # noqa: E402
from keidesign.validation import own_tests as ot  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "crash.md"
_LABEL = {"driver": "frontal driver (50th male)", "passenger": "frontal passenger (5th female)",
          "vehicle": "frontal vehicle", "side": "side vehicle"}
_CRIT = {"head": "HIC15", "deflection": "chest deflection", "nij": "Nij",
         "femur": "femur force"}
_DUMMY = {"m50": "50th male driver", "f05": "5th female passenger"}
#: the issue's target: within one star for at least this share of at least this many cars
TARGET_SHARE, TARGET_N = 0.80, 10


def _stars(s: dict) -> str:
    return " / ".join("-" if s[k] is None else str(s[k]) for k in no.SEATS)


def model_responses(extra: dict) -> dict[str, dict]:
    """The shipped constants' dummy responses of one car (HIC15, mm, Nij, kN)."""
    fit = occ.load_fit()
    out = {}
    for d in occ.DUMMIES:
        r = occ.dummy_responses(extra["a3ms"], extra["hic_occ"], fit[d])
        out[d] = {"head": float(r["hic15"]), "deflection": float(r["deflection"]),
                  "nij": float(r["nij"]), "femur": float(r["femur"])}
    return out


def worst(rows: list[dict]) -> list[dict]:
    """Cars missing any figure by two stars or more, largest miss first."""
    out = []
    for r in rows:
        miss = {s: r["model"][s] - r["published"][s] for s in no.SEATS
                if r["published"][s] is not None}
        big = {s: m for s, m in miss.items() if abs(m) >= 2}
        if big:
            out.append({**r, "miss": big, "size": max(map(abs, big.values()))})
    return sorted(out, key=lambda x: (-x["size"], x["car"]))


def binding(measured: dict, dummy: str) -> tuple[str, float]:
    """The criterion whose risk alone is largest in the measured values of one dummy."""
    resp = {"head": measured[dummy]["head"], "deflection": measured[dummy]["deflection"],
            "nij": measured[dummy]["nij"], "femur": measured[dummy]["femur"]}
    risks = no.criterion_risks(dummy, resp)
    crit = max(risks, key=risks.get)
    return crit, resp[crit]


def report(rows: list[dict], n_selected: int, skipped: list) -> str:
    s_gen, s_test = no.summary(rows), no.summary(rows, distinct=True)
    lines = [f"{len(rows)} certified generations outside the fit carry a rating under the "
             f"rule ({n_selected} selected, {len(skipped)} not imported; "
             f"{len({r['test'] for r in rows})} distinct frontal tests).", "",
             "| figure | n | within one star | exact | bias (model - published) "
             "| distinct tests: n, within one, exact |", "| --- | --- | --- | --- | --- | --- |"]
    for s in no.SEATS:
        g, t = s_gen[s], s_test[s]
        share = 100 * g["within"] / g["n"]
        lines.append(f"| {_LABEL[s]} | {g['n']} | {g['within']} ({share:.0f} %) | "
                     f"{g['exact']} | {g['bias']:+.2f} | {t['n']}, {t['within']}, "
                     f"{t['exact']} |")
    veh, side = s_gen["vehicle"], s_gen["side"]
    met = all(x["n"] >= TARGET_N and x["within"] >= TARGET_SHARE * x["n"] for x in (veh, side))
    lines += ["", f"Verdict (the rule): frontal vehicle within one star for "
              f"{100 * veh['within'] / veh['n']:.0f} % of {veh['n']}, side vehicle for "
              f"{100 * side['within'] / side['n']:.0f} % of {side['n']}: the issue's target "
              f"(>= {100 * TARGET_SHARE:.0f} % of >= {TARGET_N}) is "
              f"{'met' if met else 'not met'} outside the fit."]
    # diagnostics
    with_meas = [r for r in rows if r["measured"] is not None]
    repro = sum(no.measured_stars(r["measured"]) == {k: r["published"][k] for k in
                                                      ("driver", "passenger", "vehicle")}
                for r in with_meas)
    const = {}
    for s in no.SEATS:
        vals = [r["published"][s] for r in rows if r["published"][s] is not None]
        mode = Counter(vals).most_common(1)[0][0]
        const[s] = (mode, sum(abs(v - mode) <= 1 for v in vals),
                    sum(v == mode for v in vals), len(vals))
    spread = {s: sorted({r["model"][s] for r in rows}) for s in no.SEATS}
    lines += ["", f"Check: NHTSA's curves give the published driver, passenger and vehicle "
              f"stars from the ratings rows' measured dummy values for {repro} of "
              f"{len(with_meas)} generations with readings.", "",
              "Diagnostic added after the run (not a figure of the rule): the model's stars "
              "take the values " + "; ".join(
                  f"{_LABEL[s]} {', '.join(map(str, spread[s]))}" for s in no.SEATS)
              + ". A constant prediction of the most common published value scores "
              + "; ".join(f"{_LABEL[s]} ({const[s][0]} stars) within one {const[s][1]} of "
                          f"{const[s][3]}, exact {const[s][2]}" for s in no.SEATS) + "."]
    # held-out dummy values
    lines += ["", "| dummy | criterion | model / measured - 1: bias | MAE | measured range "
              "| n |", "| --- | --- | --- | --- | --- | --- |"]
    for d in occ.DUMMIES:
        for c in occ.CRITERIA:
            errs, vals, seen = [], [], set()
            for r in with_meas:
                if r["test"] in seen:
                    continue
                seen.add(r["test"])
                m = r["measured"][d][c]
                errs.append(model_responses(r["extra"])[d][c] / m - 1.0)
                vals.append(m)
            lines.append(f"| {_DUMMY[d]} | {_CRIT[c]} | {100 * statistics.mean(errs):+.0f} % | "
                         f"{100 * statistics.mean(map(abs, errs)):.0f} % | {min(vals):.3g}-"
                         f"{max(vals):.3g} | {len(errs)} |")
    # worst cars
    fleet = {r["nhtsa_test_no"]: r for r in fp.fleet_pulse_rows() if fp.at_speed(r)}
    lines += ["", "| worst cars (miss >= 2 stars) | rating row | published d / p / v / side "
              "| model | measured criterion setting the missed seat (model's value) | pulse peak: "
              "test, model 3 ms (g) |", "| --- | --- | --- | --- | --- | --- |"]
    for w in worst(rows):
        notes, pub = [], w["published"]
        worse = "m50" if pub["driver"] < pub["passenger"] else "f05"
        dummies = dict.fromkeys({"driver": "m50", "passenger": "f05", "vehicle": worse}[s]
                                for s in w["miss"] if s != "side")
        for d in dummies if w["measured"] is not None else ():
            crit, v = binding(w["measured"], d)
            mv = model_responses(w["extra"])[d][crit]
            notes.append(f"{_DUMMY[d]} {_CRIT[crit]} {v:.3g} ({mv:.3g})")
        if "side" in w["miss"]:
            ss = w["side_seats"]
            notes.append(f"side: MDB driver {ss['driver']}, rear {ss['rear'] or '-'}, "
                         f"pole {ss['pole']} stars")
        t = fleet.get(w["test"])
        peak = f"{t['peak_decel_g']:.1f}" if t is not None else "no pulse"
        lines.append(f"| {w['car']} | {w['rating']} (test {w['test']}) | "
                     f"{_stars(w['published'])} | {_stars(w['model'])} | "
                     f"{'; '.join(notes)} | {peak}, "
                     f"{w['extra']['peak_g']:.1f} |")
    lines += ["", "| car | rating row | test | published d / p / v / side | model |",
              "| --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['car']} | {r['rating']} | {r['test']} | {_stars(r['published'])} "
                     f"| {_stars(r['model'])} |")
    return "\n".join(lines)


_STARS = ("driver", "passenger", "vehicle")
_RR_LABEL = {"vehicle": "frontal vehicle relative risk (D1, judged)",
             "driver": "driver (50th male) relative risk",
             "passenger": "passenger (5th female) relative risk"}
#: the per-test quantities the measured vehicle risk is ranked against (the ceiling)
_CEILING = {"peak": "the test's CFC 60 peak deceleration (g), ncap_fleet_pulses.csv",
            "crush": "the test's maximum dynamic crush (mm), ncap_fleet_pulses.csv",
            "curb": "the rating row's curb weight (lb)",
            "a3ms": "the model's 3 ms occupant deceleration (g)",
            "model_peak": "the model's pulse peak, 3 ms (g)"}


def _rank_cell(x: list[float], y: list[float]) -> str:
    f = nd.rank(x, y)
    drop = f", {f['dropped']} resamples without a rho" if f["dropped"] else ""
    return f"{f['rho']:+.2f} | {f['lo']:+.2f} to {f['hi']:+.2f}{drop} | {f['n']}"


def discrimination(rows: list[dict]) -> str:
    """The block of "Do the stars discriminate?" (task s45b): the criterion over D, the
    seats and criteria reported beside it, the ceiling and the per-test table."""
    d = nd.population(rows)
    meas = [nd.measured_relative_risks(r["measured"]) for r in d]
    model = [nd.relative_risks(r["extra"]["risk_driver"], r["extra"]["risk_passenger"])
             for r in d]
    # the table's rounded values are the ones ranked: a test recomputes from the table
    mrr = {s: [round(m[s], 5) for m in meas] for s in nd.SEATS}
    prr = {s: [round(m[s], 5) for m in model] for s in nd.SEATS}
    crit = nd.criterion(prr["vehicle"], mrr["vehicle"], [r["model"]["vehicle"] for r in d],
                        [r["published"]["vehicle"] for r in d])
    d1, d2 = crit["d1"], crit["d2"]
    lines = [f"D: {len(d)} distinct frontal tests of the generations outside the fit with "
             f"the ten dummy readings. Spearman's rho of the model against the measured, "
             f"95 % percentile bootstrap interval ({nd.N_BOOT} resamples, seed {nd.SEED}).",
             "", "| model against measured | rho | 95 % interval | n |",
             "| --- | --- | --- | --- |"]
    for s in nd.SEATS:
        lines.append(f"| {_RR_LABEL[s]} | {_rank_cell(prr[s], mrr[s])} |")
    resp = [model_responses(r["extra"]) for r in d]
    for dm in occ.DUMMIES:
        for c in occ.CRITERIA:
            cell = _rank_cell([x[dm][c] for x in resp], [r["measured"][dm][c] for r in d])
            lines.append(f"| {_DUMMY[dm]} {_CRIT[c]} | {cell} |")
    lines += ["", f"D1: rho = {d1['rho']:+.2f} (95 % interval {d1['lo']:+.2f} to "
              f"{d1['hi']:+.2f}) against the threshold {nd.RHO_MIN:+.2f} and a lower end "
              f"above 0: {'met' if d1['met'] else 'not met'}.",
              f"D2: exact frontal vehicle stars, the model {d2['model']} of {d2['n']}, a "
              f"constant {d2['mode']} stars {d2['constant']} of {d2['n']}: "
              f"{'met' if d2['met'] else 'not met'}.",
              f"Verdict: the stars {'discriminate' if crit['met'] else 'do not discriminate'}"
              f" ({'met' if crit['met'] else 'not met'}).", ""]
    seats = []
    for s in ("driver", "passenger"):
        pub = [r["published"][s] for r in d]
        mode, const = nd.mode_exact(pub)
        exact = sum(r["model"][s] == r["published"][s] for r in d)
        seats.append(f"{s} the model {exact}, a constant {mode} stars {const}")
    spread = {s: sorted({r["model"][s] for r in d}) for s in _STARS}
    lines += ["Seats (reported): exact stars over D, " + "; ".join(seats) + ". The model's "
              "stars over D take the values " + "; ".join(
                  f"{s} {', '.join(map(str, spread[s]))}" for s in _STARS) + ".", ""]
    # the ceiling: what per-test quantities rank the measured risk
    fleet = {r["nhtsa_test_no"]: r for r in fp.fleet_pulse_rows() if fp.at_speed(r)}
    per = {"peak": lambda r: fleet[r["test"]]["peak_decel_g"] if r["test"] in fleet else None,
           "crush": lambda r: (fleet[r["test"]]["max_dynamic_crush_mm"]
                               if r["test"] in fleet else None),
           "curb": lambda r: float(r["curb_lb"]),
           "a3ms": lambda r: r["extra"]["a3ms_g"],
           "model_peak": lambda r: r["extra"]["peak_g"]}
    lines += ["| measured vehicle relative risk against (reported, the ceiling) | rho | "
              "95 % interval | n |", "| --- | --- | --- | --- |"]
    for k, f in per.items():
        pairs = [(f(r), m) for r, m in zip(d, mrr["vehicle"], strict=True) if f(r) is not None]
        lines.append(f"| {_CEILING[k]} | {_rank_cell(*map(list, zip(*pairs, strict=True)))} |")
    pairs = [(r["extra"]["a3ms_g"], fleet[r["test"]]["peak_decel_g"]) for r in d
             if r["test"] in fleet]
    lines.append(f"| (the model's 3 ms occupant deceleration against the test's peak) | "
                 f"{_rank_cell(*map(list, zip(*pairs, strict=True)))} |")
    # what sets the measured rank: each measured criterion's own risk (the factors of P)
    lines += ["", "| measured vehicle relative risk against the measured risk of one "
              "criterion alone (reported) | rho | spread of that risk over D: sd (mean) |",
              "| --- | --- | --- |"]
    for dm in occ.DUMMIES:
        for c in occ.CRITERIA:
            risk = [no.criterion_risks(dm, r["measured"][dm])[c] for r in d]
            lines.append(f"| {_DUMMY[dm]} {_CRIT[c]} | {nd.spearman(risk, mrr['vehicle']):+.2f}"
                         f" | {statistics.pstdev(risk):.3f} ({statistics.mean(risk):.3f}) |")
    lines += ["", "| car | test | published d / p / v | model d / p / v | measured vehicle "
              "RR | model vehicle RR |", "| --- | --- | --- | --- | --- | --- |"]
    for r, m, p in sorted(zip(d, mrr["vehicle"], prr["vehicle"], strict=True), key=lambda x: -x[1]):
        pub = " / ".join(str(r["published"][s]) for s in _STARS)
        mod = " / ".join(str(r["model"][s]) for s in _STARS)
        lines.append(f"| {r['car']} | {r['test']} | {pub} | {mod} | {m:.5f} | {p:.5f} |")
    return "\n".join(lines)


def main() -> int:
    args = docblock.arguments(__doc__)
    sel = no.select(no.rating_rows(), ot.name_table(), ot.generation_years(),
                    no.fit_generations(), no.fit_tests())
    predicted, skipped = no.evaluate(sel)
    rows = no.compare(sel, predicted)
    text, disc = report(rows, len(sel), skipped), discrimination(rows)
    print(text + "\n\n" + disc)
    return max(docblock.write_or_check(args, DOC, "ncap_outside", text, ROOT),
               docblock.write_or_check(args, DOC, "ncap_outside", disc, ROOT,
                                       "discrimination"))


if __name__ == "__main__":
    sys.exit(main())
