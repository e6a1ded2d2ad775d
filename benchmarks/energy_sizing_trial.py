"""Energy-based sizing of an imported front (issue 14, task s23h_d; 5 Dec 2026): a
zero-parameter trial against the fitted force-per-kg rule, probe-side only.

    python benchmarks/energy_sizing_trial.py            # the whole judgment (~15 min, +0.2 s
                                                        # a sizing for the achieved crush)
    python benchmarks/crash_probes.py energy_sizing     # the same

The shipped rule (``keidesign.specs.build._structure_scale``) sizes the rail and
crash-box walls of an imported front so that its force is proportional to the FMVSS 208
test mass m: t = t_ref (phi m / m_ref)^(3/5), phi = 0.73 fitted on 30 US barrier tests
(docs/crash.md, "Front structure of an imported car"). Here instead, a front is sized so
that the crush it needs to absorb the test's kinetic energy is the stroke it has
(design intent: Huang, *Vehicle Crash Mechanics*, CRC 2002, ch. 3-4, the crush zones
absorb E = m V^2 / 2 within the crush space; Kamal's lumped-mass model, the energy the
springs take). With the model's force-crush law F(x) (Campbell's line over the zones,
then the stack contact, the engine's push-back on the dash and the compaction as the
pulse kernel counts them: :mod:`keidesign.crash.pulse`), the force scale s (every zone
force times s; the walls times s^(3/5), the superfolding force going as t^(5/3),
``members.py``) solves::

    C(s; m, V) = eta S,    V = 56 km/h (FMVSS 208 / US NCAP), m the FMVSS 208 test mass

C the pulse's maximum dynamic crush at the 56 km/h test (``crash:front:crush_required``,
the figure the NCAP and NHTSA tests measure) and S the stroke the front has:

* front engine (a powertrain stack ahead of the dash): S = C_av = g_e + c_e + delta_dash,
  the crush available of ``fmvss208.crush_space``; energy balance: the zones, the
  stack's contact and the dash's push-back absorb E within C_av;
* engine-less front (rear or mid engine or motor, the structure's ``layout``): S = the
  zones' own stroke up to the gap, ``structure.campbell_span`` (s_1 + s_2 + s_3, or the
  gap where the zones reach it): E absorbed by the zones before the compaction past them
  (assumed 20 MN/m) is reached.

(First attempt, before any judgment was run: C the crush past the stack against C_av.
No scale reaches it on a short front: at 0.2 x the shipped force the iQ's crush past the
stack is 342 mm against its 352 mm C_av, the Mirage's 499 against 520 mm, because the
stack's contact and the dash's push-back alone stop the car within C_av in the model.
So the target is the whole crush, which counts the stack's compression as crush used.)

eta = 1 is the zero-parameter form; :data:`ETAS` are the levels of one global efficiency
factor, fitted (if the zero-parameter form is off by a constant) on all 30 barrier tests
with zero mean log crush error and held out by family exactly as the shipped phi
(``keidesign.validation.nhtsa_barrier.held_out_errors``). phi is not used. The rule
applies to the fronts the shipped rule sizes (non-kei, a published or EPA-derived curb,
no ``--predict``), so the trial changes the rule only, not its scope; the others keep the
reference rail set. Units: forces N, lengths m in the kernel (mm in reports), mass kg.
Assumptions: [A] every zone force scales with one s (the rails' secondary force does not
follow the wall exactly; the sized design's own 56 km/h crush, the model run on the
rewritten walls, is printed against the target, :func:`achieved_line`: at eta 1 within
+1.1 mm, 0.1 %, of it on the 20 fronts of the tests, 5 Dec 2026); [A] the
design speed is the 56 km/h test for every test speed (a 40 km/h test runs the front
sized at 56 km/h); [R] C_av and the zones as the model defines them (structure.py).
Validity: imported non-kei fronts with a curb mass, full-width rigid barrier 40-57 km/h.
Nothing here changes the shipped model; :func:`energy_sizing` patches the import's
restraint step (``build._restraint_table``, where the whole design first exists) for a
``with`` block and restores it.

Ship rule, written before the first run (5 Dec 2026, 14:10 UTC; committed with the judgment
code in a2785ce, before the first run). The trial ships only if
ALL hold against the shipped rule, judged the same way:

1. crush of the 30 NCAP + NHTSA barrier tests, held out by family: mean absolute error
   pooled not worse, and not worse on each kind (NCAP 56 km/h, NHTSA 40 km/h, NHTSA
   56 km/h) by more than 1 point; |bias| pooled at most 5 %;
2. peak (3 ms model / CFC 60 test) of the NCAP rows of certified generations: mean
   absolute error not worse, |bias| not larger;
3. the engine-less tests (smart 451 ED, test 8314, the W451 import at its NCAP curb; the
   i-MiEV, test 7863): each peak error smaller in magnitude, each crush error within
   +/-15 %;
4. the iQ's own NCAP test (7729): crush and peak errors not worse in magnitude;
5. pulse band counts of the certified generations (ESW, time average, 3 ms peak within
   15.1-31.0 g / 34.1-70.9 g): none lower;
6. federal verdicts of every certified generation (131): no generation newly failing;
7. NCAP stars within one (frontal: driver, passenger, vehicle; side), dummy constants
   refitted on the NCAP cars under each rule as the existing star check does: not fewer.

(Item 6 as first coded counted a further criterion of a generation failing already, the
W453 ED's HIC15 at eta 1, as a newly failing one; corrected to the text on 5 Dec 2026 after
the run: :func:`verdict` counts generations failing none under the shipped rule and
prints the others beside it. At eta 1 item 6 holds, the verdict "fails 1, 2, 4, 5"; at the
fitted 0.88 it fails, the Scion iQ newly failing.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import verdict_kinds as vk  # noqa: E402  (benchmarks/verdict_kinds.py)

from keidesign import variables  # noqa: E402
from keidesign.crash import pulse  # noqa: E402
from keidesign.crash.energy_sizing import (  # noqa: E402
    DESIGN_SPEED_KMH,
    force_scale,
    zone_stroke,
)
from keidesign.crash.structure import CAMPBELL_X0_M, FrontStructureComp  # noqa: E402
from keidesign.design import parse_design  # noqa: E402
from keidesign.errors import InputError  # noqa: E402
from keidesign.model import build_problem  # noqa: E402
from keidesign.review.plots import published_pulse_band  # noqa: E402
from keidesign.specs import build  # noqa: E402
from keidesign.specs.text import design_text  # noqa: E402
from keidesign.validation import crash as cv  # noqa: E402
from keidesign.validation import front_shape as fsh  # noqa: E402
from keidesign.validation import nhtsa_barrier as nb  # noqa: E402

#: levels of the one global efficiency factor (crush target / stroke) the probe runs
ETAS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1)
#: the text of the shipped rule's note on a wall it sized (``build._structure_scale``)
SIZED_MARK = "(phi m_test / m_ref)^(3/5)"
#: the shipped rule's force-crush shape in the judge (``fsh.shape_params``)
SHAPE = ("campbell", CAMPBELL_X0_M)
#: each sizing done inside :func:`energy_sizing`: the design (its import's first header
#: line), m_test, engine-less, S, target, s and the sized design's own 56 km/h crush
LOG: list[dict] = []


def stroke(p: dict, c_av_mm: float, engine_less: bool) -> float:
    """The stroke S (m) of the front of pulse parameters ``p``: front engine: C_av;
    engine-less: the zones' stroke up to the gap (``energy_sizing.zone_stroke``)."""
    if not engine_less:
        return c_av_mm * 1e-3
    return zone_stroke(p)


def energy_scale(inputs: dict, c_av_mm: float, eta: float, engine_less: bool) -> dict:
    """The force scale s (x the front of pulse ``inputs``, registered units) whose 56 km/h
    crush is ``eta`` x the stroke (:func:`stroke`), with the terms: ``{"s",
    "engine_less", "stroke_mm", "target_mm"}`` (``energy_sizing.force_scale``, since 5 Dec
    2026 shared with the import's engine-less rule). Raises :class:`InputError` when no
    scale of ``energy_sizing.S_GRID`` reaches the target."""
    p = pulse.params_from_inputs(inputs)
    s_len = stroke(p, c_av_mm, engine_less)
    target = eta * s_len
    s = force_scale(p, target, DESIGN_SPEED_KMH)
    return {"s": s, "engine_less": engine_less, "stroke_mm": s_len * 1e3, "target_mm": target * 1e3}


def _resize(header: list[str], tables: list, eta: float) -> None:
    """Rewrite the walls of a front the shipped rule sized (its note carries
    :data:`SIZED_MARK`) by the energy scale, in place."""
    crash = next((t for t in tables if t.name == "crash.front"), None)
    if crash is None or not any(e.key == "wall_thickness" and SIZED_MARK in e.note
                                for e in crash.entries):
        return
    design = parse_design(design_text(header, tables), "<energy sizing>")
    prob = build_problem(design, round_footprint=True)
    prob.run_model()

    def val(k: str) -> float:
        return float(np.ravel(prob.get_val(k, units=variables.get(k).units))[0])

    inputs = {k: val(k) for k in pulse.PULSE_INPUTS}
    comp = next(prob.model.system_iter(recurse=True, typ=FrontStructureComp))
    r = energy_scale(inputs, val("crash:front:crush_available"), eta,
                     comp.options["layout"] in cv.ENGINELESS_LAYOUTS)
    w = r["s"] ** 0.6
    for e in crash.entries:
        if e.key in ("wall_thickness", "crash_box_thickness"):
            e.value = round(float(e.value) * w, 2)
            e.note += (f"; energy sizing trial: x {w:.3f} (force x {r['s']:.3f}) so that the "
                       f"56 km/h crush is {eta:g} x the stroke")
    sized = build_problem(parse_design(design_text(header, tables), "<energy sized>"),
                          round_footprint=True)
    sized.run_model()
    achieved = float(np.ravel(sized.get_val("crash:front:crush_required", units="mm"))[0])
    LOG.append({"design": (header[0] if header else "").split(": ", 1)[-1], "test_mass":
                inputs["crash:front:test_mass"], **r, "achieved_mm": achieved})


def achieved_line(log: list[dict]) -> str:
    """The sized designs' own 56 km/h crush (the model run on the rewritten walls, which
    the zone forces follow only approximately: module docstring, [A]) against their
    targets: count, mean and largest |achieved - target| (mm) and the largest relative."""
    if not log:
        return "no front sized"
    d = np.array([r["achieved_mm"] - r["target_mm"] for r in log])
    rel = np.array([r["achieved_mm"] / r["target_mm"] - 1.0 for r in log])
    k = int(np.argmax(np.abs(d)))
    return (f"{len(log)} fronts sized; achieved 56 km/h crush - target: mean {np.mean(d):+.1f} "
            f"mm, largest {d[k]:+.1f} mm ({log[k]['design'][:60]}), largest relative "
            f"{np.max(np.abs(rel)):.1%}")


@contextmanager
def energy_sizing(eta: float = 1.0) -> Iterator[None]:
    """Within the block the import sizes the fronts the shipped rule sizes by the energy
    rule at efficiency ``eta`` (module docstring); restored after."""
    if not 0.3 <= eta <= 1.5:
        raise InputError(f"energy sizing efficiency: {eta!r}; allowed: 0.3-1.5")
    kept = build._restraint_table

    def sized(header, tables, cache=False):
        _resize(header, tables, eta)
        return kept(header, tables, False)

    build._restraint_table = sized
    try:
        yield
    finally:
        build._restraint_table = kept


# --- the judgment (module docstring, ship rule)

def _summary(errors: list[float]) -> str:
    e = np.asarray(errors)
    return f"MAE {np.mean(np.abs(e)):.1%}, bias {np.mean(e):+.1%} (n {e.size})"


def _barrier_rows() -> tuple[list[dict], list[dict]]:
    """The NCAP rows (``Valid``, imported generations) and NHTSA barrier rows the 30
    tests come from (as ``fsh.stored_tests``)."""
    rows = nb.load_barrier_tests()
    ncap = [r for r in cv.ncap_pulse_rows() if r["source_quality"] == "Valid"
            and r["us_specs_make"]]
    return ncap, rows


def crush_checks(tests: list[dict]) -> list[dict]:
    """Each test's model crush (mm) with the fronts as imported (the model's law, no
    force factor applied on top), at the test's mass and speed."""
    out = []
    for t in tests:
        p = fsh.shape_params(t["params"], 1.0, SHAPE)
        p["m_test"] = t["mass_kg"]
        c = pulse.simulate_cases({k: np.atleast_1d(v) for k, v in p.items()},
                                 v0_kmh=t["speed_kmh"])["c_max"][0]
        out.append({"car": t["car"], "make": t["make"], "kind": t["kind"],
                    "crush_model_mm": float(np.real(c)) * 1e3,
                    "crush_test_mm": t["crush_test_mm"]})
    return out


def _kind_lines(tag: str, rows: list[dict], key: str, kinds: dict[str, str]) -> dict:
    """Print the crush errors ``key`` of ``rows`` pooled and per kind; return the MAEs."""
    out = {}
    cells = []
    for kind in ("all", "ncap", "b40", "b56"):
        e = [r[key] for r in rows if kind == "all" or kinds[r["car"]] == kind]
        out[kind] = (float(np.mean(np.abs(e))), float(np.mean(e)))
        cells.append(f"{kind} {_summary(e)}")
    print(f"| {tag} | " + " | ".join(cells) + " |")
    return out


def barrier_judgment() -> dict:
    """The 30 barrier tests: the shipped rule (phi fitted on all, held out by family,
    ``fsh.judge``), the energy rule at eta = 1 (no parameter: in sample = held out) and
    at the eta of :data:`ETAS` fitted on all and held out by family. Returns the MAEs and
    the fitted eta."""
    ncap, rows = _barrier_rows()
    tests0, sized0 = fsh.stored_tests()
    kinds = {t["car"]: t["kind"] for t in tests0}
    # the generations of the 30 tests only: the barrier rows name two more (Corolla E210,
    # Corolla Matrix E140, no dynamic crush), sized but in no test (until 5 Dec 2026 they
    # were imported too, and the s list had 22 fronts against the 20 sized of the tests)
    names = {t["generation"] for t in tests0}
    j0 = fsh.judge(fsh.crush_tables(tests0, build.front_force_factor(), sized0,
                                    shapes=(SHAPE,))[SHAPE], ("ncap", "b40", "b56"))
    print(f"{len(tests0)} barrier tests ({len(sized0 & names)} generations sized by mass); "
          "crush error (model - test) / test\n"
          "| rule | all | NCAP 56 km/h | NHTSA 40 km/h | NHTSA 56 km/h |\n"
          "| --- | --- | --- | --- | --- |")
    res = {"shipped": _kind_lines(f"shipped, phi {j0['phi']:.3f} held out by family",
                                  j0["tests"], "error_held_out", kinds)}
    table, logs = {}, {}
    for eta in ETAS:
        LOG.clear()
        with energy_sizing(eta):
            fronts, skipped = nb.import_fronts(names)
        if skipped:
            print(f"eta {eta:g}: not importable: {skipped}")
        table[eta] = crush_checks(fsh.shape_tests(fronts, ncap, rows))
        logs[eta] = list(LOG)
    one = [{**c, "error": c["crush_model_mm"] / c["crush_test_mm"] - 1.0} for c in table[1.0]]
    res["eta1"] = _kind_lines("energy, eta 1 (no parameter)", one, "error", kinds)
    # the fit's bisection takes the crush to fall as its factor rises (a force level):
    # keyed by 1 / eta, the crush target's inverse
    held = nb.held_out_errors({1.0 / e: c for e, c in table.items()},
                              {c["car"] for c in table[1.0]},
                              {c["car"] for c in table[1.0]}, nb.family)
    eta_fit = 1.0 / held[0]["phi"]
    lo, hi = (min(1.0 / r["phi_held_out"] for r in held),
              max(1.0 / r["phi_held_out"] for r in held))
    res["eta_fit"] = _kind_lines(f"energy, eta {eta_fit:.3f} fitted, held out by family "
                                 f"({lo:.3f}-{hi:.3f})", held, "error_held_out", kinds)
    res["eta"] = eta_fit
    print("\nper test: crush test, mm | shipped held out | energy eta 1 | energy eta fitted "
          "held out\n| test | test, mm | shipped | eta 1 | eta fit |\n| --- | --- | --- | --- "
          "| --- |")
    s0 = {r["car"]: r for r in j0["tests"]}
    s1 = {r["car"]: r for r in one}
    sf = {r["car"]: r for r in held}
    for t in tests0:
        c = t["car"]
        print(f"| {c} | {t['crush_test_mm']:.0f} | {s0[c]['error_held_out']:+.0%} | "
              f"{s1[c]['error']:+.0%} | {sf[c]['error_held_out']:+.0%} |")
    s_eta = np.array([r["s"] for r in logs[1.0]])
    s_len = np.array([r["stroke_mm"] for r in logs[1.0]])
    print(f"\nforce scale s of the {s_eta.size} sized fronts at eta 1 (x the shipped rule's "
          "force): " + ", ".join(f"{x:.2f}" for x in sorted(s_eta))
          + f"; corr(ln s, ln S) {np.corrcoef(np.log(s_eta), np.log(s_len))[0, 1]:+.2f}")
    for eta in ETAS:
        print(f"eta {eta:g}: {achieved_line(logs[eta])}")
    return res


def _state(tag: str, ctx) -> dict:
    """Under ``ctx`` (a rule's context): NCAP stars within one (dummy constants refitted on
    the NCAP cars under it), every certified generation's verdicts with those constants,
    the NCAP rows' crush and peak errors, the short fronts' tests, the band counts and
    the smart 451 ED's test (the W451 at its NCAP curb)."""
    import crash_probes as cp  # noqa: PLC0415  (benchmarks/crash_probes.py)

    from keidesign.validation import ncap  # noqa: PLC0415

    seats = ("driver", "passenger", "vehicle")
    LOG.clear()
    with ctx():
        rows = ncap.cars()
        k = {**ncap.fit(rows), "side": ncap.fit_side(rows)}
        front = [r for r in ncap.star_table(rows) if not r["skipped"]]
        sides = [r for r in ncap.side_table(rows) if not r["skipped"]]
        with fsh.model_with(pulse.FRONT_FORCE_LAW, build.front_force_factor(), k):
            res = cv.certified_cars()
            w451 = cp.smart_import("W451", cp.SMART_ED_NCAP["curb_kg"])
    sized = list(LOG)
    within = sum(abs(r["model"][s] - r["published"][s]) <= 1 for r in front for s in seats)
    side_in = sum(abs(r["model"] - r["published"]) <= 1 for r in sides)
    cars = res["cars"]
    band = published_pulse_band()
    cnt = {f: sum(band["esw" if f != "peak_g" else "peak"][0] <= v.pulse[f]
                  <= band["esw" if f != "peak_g" else "peak"][1] for v in cars)
           for f in ("esw_g", "mean_g", "peak_g")}
    checks = cv.ncap_pulse_checks(res)
    short = {c["test"]: c for c in cv.ncap_pulse_checks(res, cv.ncap_pulse_rows(
        "short_front_pulses.csv"))}
    t = cp.SMART_ED_NCAP
    out = {"fails": vk.failing(cars, "failed"), "proxies": vk.failing(cars, "proxies_failed"),
           "n": len(cars), "within": within, "n_front": 3 * len(front), "side": side_in,
           "n_side": len(sides), "band": cnt,
           "crush": [c["crush_error"] for c in checks],
           "peak": [c["peak_error"] for c in checks],
           "8314": (w451["crush"] / t["crush_mm"] - 1.0, w451["peak_g"] / t["peak_g"] - 1.0,
                    w451["crush"], w451["peak_g"]),
           "short": {n: (c["crush_error"], c["peak_error"], c["crush_test_mm"],
                         c["peak_test_g"]) for n, c in short.items()}}
    print(f"{tag}: {out['n']} certified generations, failing a federal criterion "
          f"{len(out['fails'])}: {vk.cars_text(out['fails'])}; failing a model proxy (not an "
          f"FMVSS criterion) {len(out['proxies'])}: {vk.cars_text(out['proxies'])}"
          + f"; NCAP frontal within one star {within} of {out['n_front']}, side {side_in} "
          f"of {out['n_side']}; band ESW {cnt['esw_g']}, time average {cnt['mean_g']}, peak "
          f"{cnt['peak_g']} of {out['n']}; NCAP rows crush {_summary(out['crush'])}, peak "
          f"{_summary(out['peak'])}; 451 ED test {t['test']} ({t['crush_mm']:.0f} mm, "
          f"{t['peak_g']:.1f} g): {w451['crush']:.0f} mm ({out['8314'][0]:+.0%}), "
          f"{w451['peak_g']:.1f} g ({out['8314'][1]:+.0%}); "
          + "; ".join(f"test {n} ({c[2]:.0f} mm, {c[3]:.1f} g): crush {c[0]:+.0%}, peak "
                      f"{c[1]:+.0%}" for n, c in sorted(out["short"].items()))
          + (f"; sizing (every import, a car imported twice counted twice): "
             f"{achieved_line(sized)}" if sized else ""))
    return out


@contextmanager
def _shipped() -> Iterator[None]:
    yield


def verdict(b: dict, s0: dict, s1: dict) -> list[tuple[str, bool]]:
    """The ship rule's items (module docstring) for the trial's state ``s1`` against the
    shipped ``s0``; ``b``: :func:`barrier_judgment`'s MAEs of the trial (``eta1`` or
    ``eta_fit``) beside the shipped ones (``shipped``)."""
    sh, tr = b["shipped"], b["trial"]

    def mae(x):
        return float(np.mean(np.abs(x)))

    # item 6 counts generations that newly fail (none of their criteria failed under the
    # shipped rule); a further criterion on a generation failing already is printed
    # beside it, not counted (until 5 Dec 2026 it was: the W453 ED's HIC15 at eta 1)
    new = {n: f for n, f in s1["fails"].items() if n not in s0["fails"]}
    more = {n: [c for c in f if c not in s0["fails"][n]] for n, f in s1["fails"].items()
            if n in s0["fails"]}
    more_text = "; ".join(f"{n}: + {', '.join(f)}" for n, f in more.items() if f)
    # the model proxies newly failed (CarVerdict.proxies_failed): printed beside item 6,
    # not counted. The rule was written (5 Dec 2026) when ``failed`` held criteria and
    # proxies together; since d82fcbb (task s34f) it is judged on the criteria alone
    proxy_new = vk.newly(s0.get("proxies", {}), s1.get("proxies", {}))
    return [
        ("1 held-out crush MAE pooled not worse, kinds within 1 pt, |bias| <= 5 %",
         tr["all"][0] <= sh["all"][0] + 1e-9 and abs(tr["all"][1]) <= 0.05
         and all(tr[k][0] <= sh[k][0] + 0.01 for k in ("ncap", "b40", "b56"))),
        ("2 NCAP peak MAE and |bias| not worse",
         mae(s1["peak"]) <= mae(s0["peak"]) and abs(np.mean(s1["peak"]))
         <= abs(np.mean(s0["peak"]))),
        ("3 engine-less peaks better, crush within 15 %",
         abs(s1["8314"][1]) < abs(s0["8314"][1]) and abs(s1["short"]["7863"][1])
         < abs(s0["short"]["7863"][1]) and abs(s1["8314"][0]) <= 0.15
         and abs(s1["short"]["7863"][0]) <= 0.15),
        ("4 iQ 7729 crush and peak not worse",
         abs(s1["short"]["7729"][0]) <= abs(s0["short"]["7729"][0])
         and abs(s1["short"]["7729"][1]) <= abs(s0["short"]["7729"][1])),
        ("5 band counts none lower", all(s1["band"][f] >= s0["band"][f] for f in s0["band"])),
        (f"6 no certified car newly failing ({'; '.join(f'{n}: {f}' for n, f in new.items())}"
         + (f"; already failing, not counted: {more_text}" if more_text else "")
         + (f"; model proxies newly failed, not counted: {vk.cars_text(proxy_new)}"
            if proxy_new else "") + ")",
         not new),
        ("7 stars within one not fewer",
         s1["within"] >= s0["within"] and s1["side"] >= s0["side"]),
    ]


def main(argv: list[str] | None = None) -> int:
    """The whole judgment: the 30 barrier tests, then the full model under the shipped
    rule, the energy rule at eta 1 and at the fitted eta (if it differs from 1 by more
    than 0.02), each against the ship rule (``--fitted-only``: the fitted eta only)."""
    b = barrier_judgment()
    print()
    s0 = _state("shipped (force per kg, phi "
                f"{build.front_force_factor():g})", _shipped)
    etas = [1.0] + ([round(b["eta"], 2)] if abs(b["eta"] - 1.0) > 0.02 else [])
    if argv and argv[0] == "--fitted-only":
        etas = etas[1:]
    for eta in etas:
        s1 = _state(f"energy sizing, eta {eta:g}", lambda e=eta: energy_sizing(e))
        key = "eta1" if eta == 1.0 else "eta_fit"
        items = verdict({"shipped": b["shipped"], "trial": b[key]}, s0, s1)
        print(f"ship rule, eta {eta:g}: " + "; ".join(
            f"{name}: {'pass' if ok else 'FAIL'}" for name, ok in items)
              + f" -> {'SHIP' if all(ok for _, ok in items) else 'not shipped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
