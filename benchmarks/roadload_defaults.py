"""The chain's road load from specs taken apart, and the assumed Cd by body proportion
judged through it (issue 13 target (e), task s31f).

    python benchmarks/roadload_defaults.py parts   # ~8 min on 2 shared cores (the chain)
    python benchmarks/roadload_defaults.py judge   # the chain + the no-Cd rows again
    python benchmarks/roadload_defaults.py         # both

Issue 13's target (e) is the road load at 50 mph from specs within 8 % MAE held out by
family. The road-load model with the published Cd and the ETW meets it (7.4 % on 529
configurations since task s35b, 526 since task s32d, 7.5 % on 522 before); the whole
chain from specs (predicted test mass, the CAD body's frontal area, the published Cd or
the import's assumed one) does not (8.07 %, bias -1.76 %, 564 configurations; the 52 with
the assumed Cd 11.1 %, :func:`parts`; 55 and 10.9 %, the chain 8.11 %, before task s35b
gave the Hyundai Venue QX its published Cd; 59 and 10.7 % before task s32d gave the
Corolla E210 sedan its). Both parts hold the road-load pair (``road:crr``,
``road:crr_speed``) and the mass calibration out by family (``roadload_probe.chain``);
the ICE and EV constants stay shipped (they enter neither the road load nor the test
mass).

* :func:`parts` (no fitting): the chain's road-load error at 20 / 50 / 70 mph by term,
  putting back one measured input at a time (test mass -> ETW, CAD area -> ``0.89 W H``),
  then the road-load model's own error split into its low-order part (``F0 + F1 v``
  against the target's ``A + B v``: rolling and what else grows slowly with speed) and
  its quadratic part (``F2 v^2`` against ``C v^2``: the drag), the EV rows' motor drag
  (the one parasitic term the model has), and what the assumed Cd is against the
  published one; each by Cd source, body style (``roadload_probe.body_style``: sedan by
  the generation's name, else tall at H/W >= 0.88, else hatch), H/W band and drive. Then
  the CAD frontal area against ``W H`` and against the published frontal areas of the
  in-data bodies that have one (:data:`PUBLISHED_AREAS`).
* :func:`judge`: the candidate written in docs/validation.md ("The assumed Cd by body
  proportion through the chain") before its first run: the default Cd of an import
  without a published one = the median published Cd of the ``us_specs.csv`` generations
  in its H/W band (tall at H/W >= 0.88, ``roadload_probe.TALL_HW``, else other), fitted
  without the held-out family's generations, through the chain; prints each clause of
  the rule with its figures and the verdict.

Prints its findings; nothing is written but the chain's cache (``benchmarks/results/``,
recomputed when the model or this probe changes).
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import roadload_probe as rp
from result_cache import cached

from keidesign import label
from keidesign.energy import testcars as tc
from keidesign.energy.roadload import FRONTAL_AREA_FACTOR, road_load_coefficients
from keidesign.specs import sources as src
from keidesign.validation import roadload as rl

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "results" / "roadload_defaults.json"
V = rp.V

#: Published projected frontal areas of in-data bodies (m^2), R: with the source. The
#: BMW i3's from its drag area 0.690 m^2 at Cd 0.29 (BMW's figures as quoted on
#: ecomodder.com/forum/687854-post3.html: 2.38 m^2); the VW Golf Mk7's 2.22 m^2
#: (ed-info.de, "Die Hälfte des Spritverbrauchs ist der Aerodynamik geschuldet", quoting
#: the Süddeutsche Zeitung). Keyed by (make, model, generation) of ``us_specs.csv``.
PUBLISHED_AREAS = {("BMW", "I3 BEV", "I01 (60 Ah)"): (0.690 / 0.29, "BMW i3, CdA 0.690 m^2 "
                                                     "at Cd 0.29 (ecomodder.com post 687854)"),
                   ("VOLKSWAGEN", "Golf", "Mk7 (facelift) 5-door"): (
                       2.22, "VW Golf Mk7, 2.22 m^2 (ed-info.de)")}

#: The rule's clauses (docs/validation.md, "The assumed Cd by body proportion through the
#: chain", committed before the first judging run)
MIN_GAIN_POINTS = 0.20   # chain road load at 50 mph, MAE, points
MAX_BIAS = 0.02          # chain road load at 50 mph, |bias|
MAX_LABEL_LOSS = 0.10    # label combined from specs, gasoline, MAE points


def _row(c: rp.ChainCase) -> dict:
    """The numbers of one chain case the parts and the judge need (JSON-able)."""
    car, o = c.case.car, c.case.outputs
    r = src.us_specs_for(car).row
    w, h = float(r["width_mm"] or "nan"), float(r["height_mm"] or "nan")
    lab = tc.label_for(car)
    comb = (o[f"energy:label{label.fueleconomy_gov_set(car.year)}_comb_mpg"] / lab.comb - 1.0
            if lab is not None else None)
    return {"key": car.key, "family": car.family, "make": car.make, "cls": car.cls,
            "drive": car.drive, "etw": car.etw, "y": [car.road_load(v) for v in V],
            "a_lbf": car.a_lbf, "b_lbf_mph": car.b_lbf_mph, "c_lbf_mph2": car.c_lbf_mph2,
            "m_pred": o["mass:test"], "a_cad": o["body:frontal_area"], "wh": w * h * 1e-6,
            "hw_pub": h / w, "hw": c.values["hw"], "style": _style(r, c.values["hw"]),
            "gen": [r["make"], r["model"], r["generation"]],
            "cd": c.values["road:cd"], "has_cd": bool(r.get("cd")),
            "crr": c.values["road:crr"], "c1": c.values["road:crr_speed"],
            "road_out": [c.case.road_load(v) for v in V], "comb": comb}


def _style(row: dict, hw: float) -> str:
    """:func:`roadload_probe.body_style`, with the imported design's H/W where the row
    has no width or height."""
    if row["width_mm"] and row["height_mm"]:
        return rp.body_style(row)
    return rp.body_style({**row, "width_mm": "1", "height_mm": str(hw)})


def chain_rows() -> list[dict]:
    """:func:`roadload_probe.base_chain` as rows (cached)."""
    return cached(CACHE, lambda: [_row(c) for c in rp.base_chain()])


@dataclass(frozen=True)
class Chain:
    """The chain rows as arrays."""

    rows: list[dict]

    def a(self, key: str) -> np.ndarray:
        return np.array([r[key] for r in self.rows])

    @property
    def n(self) -> int:
        return len(self.rows)

    def err(self, m: np.ndarray, area: np.ndarray, cd: np.ndarray,
            motor: np.ndarray) -> np.ndarray:
        f0, f1, f2 = road_load_coefficients(m[:, None], cd[:, None], area[:, None],
                                            self.a("crr")[:, None], self.a("c1")[:, None])
        return (f0 + f1 * V + f2 * V**2 + motor) / self.a("y") - 1.0


def _cell(e: np.ndarray, digits: int = 1) -> str:
    return rp._cell(e, digits) if len(e) else "-"


def _speeds(e: np.ndarray) -> str:
    return " / ".join(_cell(e[:, j]) for j in range(e.shape[1])) if len(e) else "-"


def _motor(ch: Chain) -> np.ndarray:
    """(n, 3) a BEV row's motor coast-down drag (N), as the design carries it: the chain's
    own road load minus its body terms (zero on the ICE rows)."""
    f0, f1, f2 = road_load_coefficients(ch.a("m_pred")[:, None], ch.a("cd")[:, None],
                                        ch.a("a_cad")[:, None], ch.a("crr")[:, None],
                                        ch.a("c1")[:, None])
    d = ch.a("road_out") - (f0 + f1 * V + f2 * V**2)
    return np.where(np.abs(d) < 1e-6, 0.0, d)


def groups(ch: Chain) -> list[tuple[str, np.ndarray]]:
    has, sty, hw = ch.a("has_cd"), ch.a("style"), ch.a("hw")
    drive = ch.a("drive")
    return [("all", np.ones(ch.n, bool)), ("published Cd", has), ("assumed Cd", ~has),
            *((f"style {s}", sty == s) for s in ("sedan", "hatch", "tall")),
            (f"H/W < {rp.TALL_HW}", hw < rp.TALL_HW), (f"H/W >= {rp.TALL_HW}", hw >= rp.TALL_HW),
            ("fwd", drive == "fwd"), ("rwd/awd", drive != "fwd"),
            ("ev", ch.a("cls") == "ev")]


def parts() -> None:
    """The chain's road-load error taken apart (module docstring)."""
    ch = Chain(chain_rows())
    motor = _motor(ch)
    m_pred, etw, a_cad, wh, cd, has = (ch.a(k) for k in ("m_pred", "etw", "a_cad", "wh", "cd",
                                                         "has_cd"))
    a_wh = np.where(np.isfinite(wh), FRONTAL_AREA_FACTOR * wh, a_cad)  # CAD where no W, H
    e_out = ch.a("road_out") / ch.a("y") - 1.0
    e_chain = ch.err(m_pred, a_cad, cd, motor)
    assert np.allclose(e_out, e_chain, atol=1e-9), "the chain's road load is not rebuilt"
    e_etw = ch.err(etw, a_cad, cd, motor)
    e_model = ch.err(etw, a_wh, cd, motor)
    dflt = statistics.median(rp._generations()[0])
    e_dflt = ch.err(etw, a_wh, np.full(ch.n, dflt), motor)
    # the road-load model's error split at each speed: low-order part and drag part
    lbf, mph = 4.4482216, 0.44704
    y = ch.a("y")
    t_low = (ch.a("a_lbf")[:, None] + ch.a("b_lbf_mph")[:, None] * V / mph) * lbf
    t_c = ch.a("c_lbf_mph2")[:, None] * (V / mph) ** 2 * lbf
    f0, f1, f2 = road_load_coefficients(etw[:, None], cd[:, None], a_wh[:, None],
                                        ch.a("crr")[:, None], ch.a("c1")[:, None])
    low = (f0 + f1 * V - t_low) / y
    quad = (f2 * V**2 - t_c) / y
    mot = motor / y
    print(f"specs-only chain, {ch.n} configurations ({has.sum()} with a published Cd, "
          f"{(~has).sum()} with the assumed {dflt:.3f}); road-load pair and mass calibration "
          "held out by family. 20 / 50 / 70 mph MAE (bias), %:")
    for g, m in groups(ch):
        print(f"  {g} (n={m.sum()}):")
        print(f"    chain {_speeds(e_chain[m])}; test mass -> ETW {_speeds(e_etw[m])}; "
              f"and CAD area -> 0.89 W H (the road-load model) {_speeds(e_model[m])}")
        print("    50 mph bias in points: mass "
              f"{100 * (e_chain[m, 1] - e_etw[m, 1]).mean():+.2f}, area "
              f"{100 * (e_etw[m, 1] - e_model[m, 1]).mean():+.2f}, the model "
              f"{100 * e_model[m, 1].mean():+.2f} = low-order (F0 + F1 v vs A + B v) "
              f"{100 * low[m, 1].mean():+.2f} + drag (F2 v^2 vs C v^2) "
              f"{100 * quad[m, 1].mean():+.2f} + motor drag {100 * mot[m, 1].mean():+.2f}; "
              f"MAE steps {100 * np.abs(e_chain[m, 1]).mean():.2f} -> "
              f"{100 * np.abs(e_etw[m, 1]).mean():.2f} -> "
              f"{100 * np.abs(e_model[m, 1]).mean():.2f}; every Cd -> {dflt:.3f}: "
              f"{_cell(e_dflt[m, 1], 2)}")
    cpub = cd[has]
    print(f"  the assumed {dflt:.3f} against the {has.sum()} published Cd: "
          f"{_cell(dflt / cpub - 1.0)}; the drag part of the no-Cd rows' model error at "
          f"50 mph {_cell(quad[~has, 1])} vs the published-Cd rows' {_cell(quad[has, 1])}; "
          f"the low-order part {_cell(low[~has, 1])} vs {_cell(low[has, 1])}")
    fams = sorted({r["family"] for r, h in zip(ch.rows, has, strict=True) if not h})
    print("  the assumed-Cd rows by family (n, H/W, style, chain 50 mph, model 50 mph, "
          "low-order / drag parts): " + "; ".join(
              f"{f} ({(fm := (ch.a('family') == f) & ~has).sum()}, {ch.a('hw')[fm].mean():.2f}, "
              f"{ch.a('style')[fm][0]}, {_cell(e_chain[fm, 1])}, {_cell(e_model[fm, 1])}, "
              f"{100 * low[fm, 1].mean():+.1f} / {100 * quad[fm, 1].mean():+.1f})"
              for f in fams))
    r = a_cad / wh
    ok = np.isfinite(r)
    print(f"  CAD frontal area / (W H): {r[ok].min():.3f}-{r[ok].max():.3f} (median "
          f"{np.median(r[ok]):.3f}); by style " + ", ".join(
              f"{s} {np.median(r[ok & (ch.a('style') == s)]):.3f}"
              for s in ("sedan", "hatch", "tall")))
    for (make, model, gen), (area, basis) in PUBLISHED_AREAS.items():
        row = next(x.row for x in src.us_specs_rows() if (x.row["make"], x.row["model"],
                                                           x.row["generation"]) == (
                                                               make, model, gen))
        w_h = float(row["width_mm"]) * float(row["height_mm"]) * 1e-6
        same = [i for i, x in enumerate(ch.rows) if x["family"] and x["gen"][0] == make
                and x["gen"][1].lower().replace("e-", "") == model.lower().replace("e-", "")]
        cad = f"{np.median(a_cad[same]):.3f} m^2 (CAD of its {len(same)} chain rows)" \
            if same else "no chain row"
        print(f"  published {basis}: {area:.3f} m^2 = {area / w_h:.3f} W H (us_specs "
              f"{row['width_mm']} x {row['height_mm']} mm); 0.89 W H {0.89 * w_h:.3f} m^2; "
              f"{cad}")


def rule_cd(g_cd: np.ndarray, g_hw: np.ndarray, hw: float) -> float:
    """The candidate default Cd (module docstring): the median published Cd of the
    generations in the H/W band of ``hw``."""
    tall = g_hw >= rp.TALL_HW
    return float(np.median(g_cd[tall] if hw >= rp.TALL_HW else g_cd[~tall]))


def _rule_lofo_published() -> tuple[np.ndarray, np.ndarray]:
    """Clause 5: the road-load model (e)'s cases with the rule's Cd, and with the shipped
    median, in place of their published Cd (each fitted without the family; the pair
    refitted without the family on the published Cd): 20 / 50 / 70 mph errors."""
    d = rp.data()

    def tall_median(cd, hw, sty):
        return lambda h, s: np.array([rule_cd(cd, hw, x) for x in h])

    return rp.cd_rule_lofo(d, tall_median)[0], rp.cd_rule_lofo(d, rp._median)[0]


def absent_cd() -> None:
    """Information, not a clause: the two defaults against the published Cd of the
    small-car families absent from the EPA data (``absent_families.csv``, one value per
    family and Cd; the fitted generations are all of ``us_specs.csv``, which holds none
    of them)."""
    import csv
    from importlib import resources

    g_cd, g_hw, _, _ = rp._generations()
    med = float(np.median(g_cd))
    ref = resources.files("keidesign").joinpath("data", "vehicles", "absent_families.csv")
    with ref.open(encoding="utf-8") as fh:
        seen = {}
        for r in csv.DictReader(fh):
            if r["cd"] and r["roof"] != "open":
                seen[(r["family"], r["cd"])] = float(r["height_mm"]) / float(r["width_mm"])
    cd = np.array([float(k[1]) for k in seen])
    hw = np.array(list(seen.values()))
    rule = np.array([rule_cd(g_cd, g_hw, h) for h in hw])
    tall = hw >= rp.TALL_HW
    print(f"absent families' published Cd (closed bodies, {len(cd)} family/Cd pairs; "
          f"{tall.sum()} tall): Cd error MAE (bias) of the median {med:.3f} "
          f"{_cell(med / cd - 1.0)}, of the band rule {_cell(rule / cd - 1.0)}; tall "
          f"{_cell(med / cd[tall] - 1.0)} vs {_cell(rule[tall] / cd[tall] - 1.0)}, other "
          f"{_cell(med / cd[~tall] - 1.0)} vs {_cell(rule[~tall] / cd[~tall] - 1.0)}; "
          + ", ".join(f"{f} {c} (H/W {h:.2f})" for (f, c), h in seen.items()))


def judge() -> None:
    """The rule's clauses and the verdict (module docstring)."""
    rows = chain_rows()
    ch = Chain(rows)
    g_cd, g_hw, g_fam, _ = rp._generations()
    has = ch.a("has_cd")
    idx = [i for i in range(ch.n) if not has[i]]
    new_cd = {}
    for i in idx:
        keep = g_fam != rows[i]["family"]
        new_cd[i] = rule_cd(g_cd[keep], g_hw[keep], rows[i]["hw"])
    # the chain's rows are the cases of specsonly.cases(hybrids=False) in order
    def rerun() -> list[dict]:
        ov = {i: {"road:cd": new_cd[i]} for i in idx}
        return [_row(c) for c in rp.chain(ov, only=idx)]

    trial = cached(CACHE.with_name("roadload_defaults_judge.json"), rerun)
    rows2 = list(rows)
    for i, r in zip(idx, trial, strict=True):
        assert r["key"] == rows[i]["key"]
        rows2[i] = r
    base, cand = Chain(rows), Chain(rows2)
    e0 = base.a("road_out") / base.a("y") - 1.0
    e1 = cand.a("road_out") / cand.a("y") - 1.0
    print(f"the assumed Cd by H/W band (>= {rp.TALL_HW}: tall), median of the us_specs "
          "generations without the family's, on the no-Cd rows: " + ", ".join(
              f"{f} {v:.3f}" for f, v in sorted({(rows[i]['family'], round(new_cd[i], 3))
                                                  for i in idx})))
    mae0, mae1 = 100 * np.abs(e0[:, 1]).mean(), 100 * np.abs(e1[:, 1]).mean()
    bias1 = e1[:, 1].mean()
    print(f"chain road load, {ch.n} configurations, 20 / 50 / 70 mph: shipped "
          f"{_speeds(e0)} -> rule {_speeds(e1)}; the {len(idx)} no-Cd rows "
          f"{_speeds(e0[idx])} -> {_speeds(e1[idx])}")
    c1 = mae0 - mae1 >= MIN_GAIN_POINTS
    c2 = abs(bias1) <= MAX_BIAS
    print(f"  (1) 50 mph MAE {mae0:.2f} -> {mae1:.2f} % (gain {mae0 - mae1:+.2f} point, "
          f"needs >= {MIN_GAIN_POINTS}): {'met' if c1 else 'not met'}")
    print(f"  (2) 50 mph bias {100 * e0[:, 1].mean():+.2f} -> {100 * bias1:+.2f} % (within "
          f"+/-{100 * MAX_BIAS:.0f} %): {'met' if c2 else 'not met'}")
    fit = rl.validate()
    print(f"  (3) the road-load model with the published Cd (e), {len(fit['lofo'])} "
          f"configurations: {_speeds(fit['lofo'])}; the import's default does not enter it: "
          "met (unchanged)")
    gas = np.array([r["cls"] != "ev" and r["comb"] is not None for r in rows])
    l0 = np.array([r["comb"] if r["comb"] is not None else np.nan for r in rows])[gas]
    l1 = np.array([r["comb"] if r["comb"] is not None else np.nan for r in rows2])[gas]
    lm0, lm1 = 100 * np.abs(l0).mean(), 100 * np.abs(l1).mean()
    c4 = lm1 - lm0 <= MAX_LABEL_LOSS
    print(f"  (4) label combined from specs, {gas.sum()} labelled gasoline configurations "
          f"(ICE constants shipped): {lm0:.2f} % ({100 * l0.mean():+.2f}) -> {lm1:.2f} % "
          f"({100 * l1.mean():+.2f}); worse by at most {MAX_LABEL_LOSS}: "
          f"{'met' if c4 else 'not met'}")
    e_rule, e_med = _rule_lofo_published()
    m_rule, m_med = 100 * np.abs(e_rule[:, 1]).mean(), 100 * np.abs(e_med[:, 1]).mean()
    c5 = m_rule <= m_med
    print(f"  (5) on the {len(e_rule)} road-load configurations with a published Cd, the "
          f"rule's Cd in its place (held out) {_speeds(e_rule)} against the shipped median's "
          f"{_speeds(e_med)}: 50 mph {m_rule:.2f} vs {m_med:.2f} %: "
          f"{'met' if c5 else 'not met'}")
    ok = c1 and c2 and c4 and c5
    print(f"verdict: {'ship' if ok else 'not shipped'} (clauses 1-4 of the task: "
          f"{'met' if c1 and c2 and c4 else 'not met'})")
    absent_cd()


def main(argv: list[str]) -> None:
    what = argv or ["parts", "judge"]
    for w in what:
        {"parts": parts, "judge": judge}[w]()


if __name__ == "__main__":
    main(sys.argv[1:])
