"""A class crush for engine-less imported fronts (issue 14, task s28b; 6 Dec 2026): the
energy sizing of task s25a with the crush bounded by one constant fitted on the five
engine-less tests and judged leave-one-family-out, its ship rule written before the first
run.

    python benchmarks/engineless_class_crush_trial.py          # the whole judgment (~12 min)
    python benchmarks/crash_probes.py engineless_class_crush   # the same
    python benchmarks/engineless_class_crush_trial.py --tests  # item 1 only (~2 min)
    python benchmarks/engineless_class_crush_trial.py --tests --write-docs   # item 1 as
                          # docs/crash.md's block (the targets table quotes it); --check

Background (docs/crash.md, "Energy sizing of engine-less imported fronts", "The W453 ED's
inputs audited"): the s25a rule sizes a front with no engine or motor ahead of the dash so
that its zones absorb the 56 km/h test energy within their own stroke S
(``benchmarks/engineless_sizing_trial.py``, whose machinery this trial reuses). It met the
short engine-less fronts (smart 451 ED, i-MiEV) and passed the W453 ED, but over-crushed
the held-out Tesla Model 3 by 36 %: the Teslas' tests stop in 0.67-0.73 of their zones'
stroke as imported, the short fronts use all of theirs. Five engine-less tests of five
cars and three makers are stored since task s26b (``short_front_pulses.csv``,
``ncap_frontal_pulses.csv``; ``validation.crash.engineless_front_rows``):
``crash.validation.MIN_CARS_TO_FIT`` is reached, so one constant may be fitted.

Hypothesis (written 6 Dec 2026, 03:04 UTC, before any judging run; committed alone with
the rule's code, the flag and the constant off): an imported front with no engine or
motor ahead of the dash is designed so that its crush zones absorb the full-width test's
kinetic energy within a design crush

    C_d = min(S, C*),   C* = V^2 / (2 a*)     (m; V = 56 km/h, a* in m/s^2)

S the zones' own stroke up to the gap (``energy_sizing.zone_stroke``), C* the class crush:
the crush in which the class's engine-less fronts stop at their energy-equivalent
deceleration a* (the test's ESW). A front whose zones are shorter than C* uses them all
(the s25a rule); a front with stroke to spare is made stiff enough to stop within C* and
keeps the rest (a reserve for higher speeds and the offset tests, a design choice [A]).
Sizing as s25a (``build._energy_sized_front``, the fixed point on the walls, t ~ s^(3/5)):
the one force scale s whose three-mass pulse crush at the design's FMVSS 208 test mass is
C_d (``energy_sizing.design_crush``). Every front-engined front keeps the force per kg
(phi 0.73). Candidate (iii) of the task; candidate (i), a used share u of S (S_used =
u S), is not run: on the stored figures (the s25a rule's crush is S: smart 451 ED 479,
i-MiEV 618, W453 479, Model 3 895, Model S 974 mm against tests of 510, 583, 411, 657,
653 mm) the ratios test / S are 1.06, 0.94, 0.86, 0.73, 0.67, and no one u puts four of
the five crushes within +/-15 % (the intervals u in [0.85, 1.15] x ratio of any four do
not meet), so (i) fails item 1 by arithmetic. Candidate (ii), a force per kg of its own,
is not run here (time).

The fitted constant, C* (reported also as a* = V^2 / (2 C*) in g): the C* of a 0.5 mm
grid over 300-1,500 mm that minimises, over the fitting tests i,

    sum_i ln^2( min(S_i, C*) / c_i )

c_i the test's maximum dynamic crush (mm), S_i the zones' stroke of its design as
imported (geometry: the same under either rule); the smallest such C* where the minimum
is flat. The five tests and their designs (the smarts one family, so four folds):

* 8314 smart fortwo electric drive 451 (family smart): the W451 row imported at the 451
  ED's NCAP curb, 963 kg (``crash_probes.smart_import``, as s25a's item (b));
* 10039 smart fortwo W453 (family smart): the W453 row imported at NHTSA's curb, 965 kg,
  with the import's cargo (the case "The W453 ED's inputs audited" assumes [A]: FMVSS
  208 S8.1.1 loading);
* 7863 Mitsubishi i-MiEV (family i-MiEV): the certified HA3W generation as imported;
* 10383 Tesla Model 3 MY2018 RWD (family Model 3) and 8308 Tesla Model S MY2013 RWD
  (family Model S): the designs of their spec files (``data/crash``, s25a's).

Ship rule (written with the hypothesis, before any judging run; ALL must hold):

1. held out by family (C* fitted on the other families' tests): at least 4 of the 5
   tests have the model's 56 km/h maximum dynamic crush within +/-15 % AND its 3 ms peak
   within +/-25 % of the test's (the issue's known-outcome bounds, as s25a's items (b)
   and (c)). (Expected from the stored figures, stated before the run: the W453's zones
   are 479 mm against its 411 mm, so it is over by ~16 % whatever C*; the four others
   must all pass.)
2. front-engined imports untouched: the design texts, verdicts and pulse figures of the
   certified generations the rule does not size (124), the 15 NCAP rows' crush and peak
   errors and the 30 barrier tests' crush at every phi of the fit identical
   (``engineless_sizing_trial`` item (a));
3. the smart fortwo electric drive W453 ED passes every federal criterion;
4. no certified generation newly failing (of 131);
5. US NCAP stars within one of the published, frontal and side, not fewer;
6. the pulse-band counts (ESW, time average, 3 ms peak) none lower.

2-6 are judged with C* fitted on all five tests (the constant shipped if it passes). If
any item fails, nothing ships: ``build.ENGINELESS_ENERGY_SIZING`` stays False,
``build.ENGINELESS_CLASS_CRUSH_MM`` None, the trial and its table stay (docs/crash.md,
"A class crush for engine-less imported fronts").

Judgment (6 Dec 2026, run of 03:05-03:14 UTC on 58b7f2c, about 9 minutes; docs/crash.md,
"A class crush for engine-less imported fronts"): C* held out 652.5-656.5 mm, on all five
654.5 mm (a* = 18.85 g). 1 pass (4 of 5: the W453 +16.5 % crush, as stated before the run;
the Model 3 -0.5 % / -10.1 %, the Model S +0.7 % / -11.2 %, the 451 ED -5.9 % / -9.6 %,
the i-MiEV +5.9 % / -11.0 %), 2 pass (7 design texts changed, the 124 others identical),
3 pass (the W453 ED 3 -> 0 criteria failed, peak 129.8 -> 51.7 g), 4 pass (failing 1 -> 0
of 131), 5 pass (48 / 15 stars unchanged), 6 pass (band 131 / 122 -> 123 / 105 -> 108)
-> shipped: ``build.ENGINELESS_ENERGY_SIZING`` True, ``ENGINELESS_CLASS_CRUSH_MM`` 654.5.
Rerun after shipping, the flag on and off are still compared (``est.rule``), so the
judgment reproduces.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docblock  # noqa: E402  (benchmarks/docblock.py)
import engineless_sizing_trial as est  # noqa: E402  (benchmarks/)
import verdict_kinds as vk  # noqa: E402  (benchmarks/verdict_kinds.py)

from keidesign.crash import energy_sizing as esz  # noqa: E402
from keidesign.crash import pulse  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.specs import build, write  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402

#: item 1's bounds (model / test - 1) and how many of the five must hold both
CRUSH_BOUND, PEAK_BOUND, AT_LEAST = est.CRUSH_BOUND, est.PEAK_BOUND, 4
#: the fit's grid of C*, mm
C_GRID_MM = np.arange(300.0, 1500.0 + 0.25, 0.5)
#: the five engine-less tests: (test number, family, how its design is made)
TESTS = (("8314", "smart", "W451"), ("10039", "smart", "W453"),
         ("7863", "i-MiEV", "MITSUBISHI i-MiEV HA3W"),
         ("10383", "Model 3", "tesla_model3_2018_rwd_spec.toml"),
         ("8308", "Model S", "tesla_models_2013_rwd_spec.toml"))


@contextmanager
def class_crush(c_mm: float | None) -> Iterator[None]:
    """The import's class crush C* set to ``c_mm`` (None: the s25a rule), restored after."""
    kept = build.ENGINELESS_CLASS_CRUSH_MM
    build.ENGINELESS_CLASS_CRUSH_MM = c_mm
    try:
        yield
    finally:
        build.ENGINELESS_CLASS_CRUSH_MM = kept


def _test_rows() -> dict[str, dict]:
    rows = {r["nhtsa_test_no"]: r for r in cv.ncap_pulse_rows()}
    rows.update({r["nhtsa_test_no"]: r for r in cv.ncap_pulse_rows("short_front_pulses.csv")})
    return {t: {"crush_mm": float(rows[t]["max_dynamic_crush_mm"]),
                "peak_g": float(rows[t]["peak_decel_g"]),
                "curb_kg": float(rows[t]["curb_mass_kg"] or "nan")} for t, _, _ in TESTS}


def run_test(test: str, how: str, on: bool, c_mm: float | None = None) -> dict:
    """The design of one of :data:`TESTS` imported with the engine-less rule ``on`` (class
    crush ``c_mm``) or off and evaluated: 56 km/h crush (mm), 3 ms peak (g), test mass
    (kg) and its zones' stroke S (mm)."""
    import crash_probes as cp  # noqa: PLC0415  (benchmarks/crash_probes.py)

    t = _test_rows()[test]
    with est.rule(on), class_crush(c_mm):
        if how.startswith("W45"):
            r = cp.smart_import(how, t["curb_kg"])
            crush, peak, mass, inputs = r["crush"], r["peak_g"], r["test_mass"], r["inputs"]
        elif how.endswith(".toml"):
            from keidesign.specs.sources import user_spec  # noqa: PLC0415

            path = Path(cv.__file__).resolve().parent.parent / "data" / "crash" / how
            ev = evaluate_design(write.imported_design(user_spec(path), f"<import {how}>"),
                                 resolve_packs(["fmvss"]))
            o = ev.outputs
            crush = float(o["crash:front:crush_required"][0])
            peak = float(o["crash:front:peak_decel"][0]) / 9.80665
            mass, inputs = float(o["crash:front:test_mass"][0]), cv.pulse_input_values(ev)
        else:
            v = cv.certified_cars({how})["cars"][0]
            crush, peak = v.pulse["crush_mm"], v.pulse["peak_g"]
            mass, inputs = v.pulse["test_mass_kg"], v.pulse_inputs
    stroke = 1e3 * esz.zone_stroke(pulse.params_from_inputs(inputs))
    return {"crush_mm": crush, "peak_g": peak, "test_mass": mass, "stroke_mm": stroke,
            "crush_error": crush / t["crush_mm"] - 1.0, "peak_error": peak / t["peak_g"] - 1.0}


def fit_class_crush(strokes_mm: list[float], crushes_mm: list[float]) -> float:
    """C* (mm) of the grid :data:`C_GRID_MM` minimising sum ln^2(min(S_i, C*) / c_i) over
    the fitting tests (module docstring); the smallest where the minimum is flat."""
    s = np.asarray(strokes_mm)[:, None]
    c = np.asarray(crushes_mm)[:, None]
    cost = (np.log(np.minimum(s, C_GRID_MM[None, :]) / c) ** 2).sum(axis=0)
    return float(C_GRID_MM[int(np.argmin(cost))])


def within(c: dict) -> bool:
    return abs(c["crush_error"]) <= CRUSH_BOUND and abs(c["peak_error"]) <= PEAK_BOUND


def held_out() -> tuple[list[dict], float]:
    """Item 1: each test under the shipped import, the s25a rule (its S) and the rule with
    C* fitted without its family; and C* fitted on all five."""
    tests = _test_rows()
    recs = []
    for test, family, how in TESTS:
        recs.append({"test": test, "family": family, "how": how, **tests[test],
                     "shipped": run_test(test, how, False),
                     "zones": run_test(test, how, True, None)})
    for r in recs:
        fit = [x for x in recs if x["family"] != r["family"]]
        r["c_fold_mm"] = fit_class_crush([x["zones"]["stroke_mm"] for x in fit],
                                         [x["crush_mm"] for x in fit])
        r["held_out"] = run_test(r["test"], r["how"], True, r["c_fold_mm"])
    c_all = fit_class_crush([x["zones"]["stroke_mm"] for x in recs],
                            [x["crush_mm"] for x in recs])
    return recs, c_all


def test_lines(recs: list[dict], c_all: float) -> list[str]:
    def cell(c: dict) -> str:
        return (f"{c['crush_mm']:.0f} mm ({c['crush_error']:+.1%}); {c['peak_g']:.1f} g "
                f"({c['peak_error']:+.1%})")

    out = ["| test | family | test: crush, peak | zones' stroke S, mm | shipped (force per "
           "kg) | s25a rule (within S) | C* held out, mm (a*, g) | class crush, held out "
           "| within both |", "|" + " --- |" * 9]
    for r in recs:
        h = r["held_out"]
        out.append(f"| {r['test']} | {r['family']} | {r['crush_mm']:.0f} mm, "
                   f"{r['peak_g']:.1f} g | {r['zones']['stroke_mm']:.0f} | {cell(r['shipped'])}"
                   f" | {cell(r['zones'])} | {r['c_fold_mm']:.1f} "
                   f"({esz.class_decel_g(r['c_fold_mm']):.1f}) | {cell(h)} | "
                   f"{'yes' if within(h) else 'NO'} |")
    out.append(f"\nC* fitted on all five: {c_all:.1f} mm (a* = {esz.class_decel_g(c_all):.2f} "
               f"g at {esz.DESIGN_SPEED_KMH:g} km/h); S of each design under the shipped import"
               f" and the rule: " + "; ".join(
                   f"{r['test']} {r['shipped']['stroke_mm']:.1f} / {r['held_out']['stroke_mm']:.1f}"
                   for r in recs))
    return out


def main(argv: list[str] | None = None) -> int:
    """The whole judgment (items 1-6); ``--tests``: item 1 only; ``--write-docs`` /
    ``--check`` (with ``--tests`` or alone: item 1 only): item 1's table and verdict as
    the block of docs/crash.md ("A class crush for engine-less imported fronts"), written
    or compared (exit status 1 if it differs)."""
    argv = list(argv or [])
    doc = docblock.flag_arguments(argv)
    tests_only = "--tests" in argv or doc.write_docs or doc.check
    recs, c_all = held_out()
    print("\n".join(test_lines(recs, c_all)))
    n_in = sum(within(r["held_out"]) for r in recs)
    items = [("1. held out by family: crush within 15 % and peak within 25 %, at least "
              f"{AT_LEAST} of {len(recs)}", n_in >= AT_LEAST, f"{n_in} of {len(recs)}")]
    if not tests_only:
        s0 = est.state(False)
        with class_crush(c_all):
            s1 = est.state(True)
        rest = {name[:3]: (ok, text) for name, ok, text in est.verdict(s0, s1, [])}
        by0 = {v.name: v for v in s0["res"]["cars"]}
        by1 = {v.name: v for v in s1["res"]["cars"]}
        new = sorted(n for n, v in by1.items() if v.failed and not by0[n].failed)
        st0, st1 = s0["stars"], s1["stars"]
        w = by1.get(est.W453_ED)
        items += [("2. front-engined imports untouched", *rest["(a)"]),
                  ("3. W453 ED passes every federal criterion", *rest["(d)"]),
                  ("4. no certified generation newly failing", not new,
                   f"newly failing: {', '.join(new) or 'none'}; failing "
                   f"{sum(bool(v.failed) for v in by0.values())} -> "
                   f"{sum(bool(v.failed) for v in by1.values())} of {len(by1)}; "
                   f"{vk.proxies_line(by0, by1)} (not counted)"),
                  ("5. NCAP stars within one not fewer", st1[0] >= st0[0] and st1[2] >= st0[2],
                   f"frontal {st0[0]} -> {st1[0]} of {st1[1]}, side {st0[2]} -> {st1[2]} of "
                   f"{st1[3]}"),
                  ("6. pulse-band counts none lower",
                   all(s1["band"][f] >= s0["band"][f] for f in s0["band"]),
                   "ESW / time average / peak " + " / ".join(
                       f"{s0['band'][f]} -> {s1['band'][f]}" for f in s0["band"]))]
        print("\n" + "\n".join(est.sized_lines(s0, s1)))
        if w is not None:
            print(f"\nW453 ED under the rule: test mass {w.pulse['test_mass_kg']:.0f} kg, crush "
                  f"{w.pulse['crush_mm']:.0f} mm, peak {w.pulse['peak_g']:.1f} g")
    table = ["| item | result | figures |", "| --- | --- | --- |"]
    table += [f"| {name} | {'pass' if ok else 'FAIL'} | {text} |" for name, ok, text in items]
    print("\n" + "\n".join(table))
    if not tests_only:
        ship = all(ok for _, ok, _ in items)
        print(f"\nship rule: {'SHIP' if ship else 'not shipped'} (C* = {c_all:.1f} mm)")
    if doc.write_docs or doc.check:
        root = Path(__file__).resolve().parents[1]
        text = "\n".join(test_lines(recs, c_all)) + "\n\n" + "\n".join(table)
        return docblock.write_or_check(doc, root / "docs" / "crash.md",
                                       "engineless_class_crush_trial", text, root)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
