"""Stepped automatics' converter lock-up from published lock-up ranges (issue 13, the
absent families' automatics; 6 Dec 2026, task s31h; ``python
benchmarks/validation_probes.py at_lockup``, ~5-10 min on 2 shared cores).

**Data** (``keidesign/data/vehicles/at_lockup.csv``, README there): the published
lock-up ranges, stall speeds and gearbox identities of stepped automatics found on
6 Dec 2026 (workshop-manual mirrors, a textbook, press pages; status R). No published
spin-loss figure (N m at an input speed) of a passenger-car automatic was reached:
EPA's ALPHA benchmarking data of the 6T40 and others is not in the stored corpora
(docs/validation.md, "Stepped automatics' lock-up range from published data").

**Rule** (written and committed before the first judging run): the model locks every
automatic's converter in every gear (``powertrain.converter_lockup = "all"``); the
published ranges say it is open in the lower gears. Two readings of the file, each a
lock-up gear for every five-speed or larger automatic (a three- or four-speed one locks
in its top gear, the sourced rule of :func:`kei_automatic_trials.trial_lockup`):

* **(A) engaged** (:func:`engaged_gear`): the median over the file's 5+-speed rows of the
  lowest gear in which the converter is locked or slip-locked in D, rounded to a whole
  gear (halves up): Honda 5AT 2, Jatco 7AT 2 (slip), Jatco 5AT 3 (slip), Ford 6F35 6 ->
  2.5 -> locked from 3rd gear (slip lock-up counted as locked: its tens of rpm of
  controlled slip are small beside an open converter's, A).
* **(B) full lock-up** (:func:`full_lockup_gear`): the median over the rows with a full
  lock-up gear of the number of gears below the top in which it locks: Honda 3, Jatco
  7AT 0, Ford 6F35 0 -> 0: the top gear only.

Below the lock-up gear the converter slips by the shipped capacity law
(:func:`keidesign.energy.powertrains.converter_speed_ratio`) at the shipped stall speed
2500 rpm (``powertrains.TC_STALL_RPM``; the file's Hyundai A6MF row, 2400 +/- 100 rpm,
is within it): no new fitted constant. The ICE constants (``eta_at`` among them) are
refitted on every gasoline configuration and judged leave-one-family-out
(``ice_lofo(exact=False)`` on the probes' grid). A rule ships if (1) the in-data
automatics' held-out FTP and HWFET MAE each get worse by at most 0.1 point, (2) the
gasoline label from specs (5.7 %) does not get worse, (3) ``absent_families``' gasoline
rows improve; (2) and (3) are run only for a rule that passes (1); of two that pass, the
one with the lower absent gasoline MAE. Nothing is fitted on the absent rows.

**Verdict** (6 Dec 2026): (A) passes (1) (automatics' held-out FTP 6.54 -> 6.38 %, HWFET
4.35 -> 4.35 %) and fails (3) (absent gasoline 8.0 -> 8.1 %, the stepped automatics 14.4
-> 14.6 %: the refit's ``eta_at`` 0.932 -> 0.939 gives the loss back); (B) fails (1)
(HWFET +0.47 point). Nothing shipped; docs/validation.md has the tables.

**Second rule** (6 Dec 2026, task s31i; :func:`top_trial`, :func:`top_checks`,
:func:`top_label`; docs/validation.md, "A 3-4 speed automatic's converter locked in its
top gear only", rule written first): a 3-4 speed automatic locked in its top gear only,
five speeds and more in every gear. Verdict: criterion (1) passes (automatics' held-out
FTP 6.54 -> 6.40 %, HWFET 4.35 -> 4.32 %, the 3-4 speeds' FTP 6.01 -> 3.97 %); (3) fails
(absent gasoline 7.96 -> 8.08 %, +0.12 point) and (4) half fails (``kei_automatics.csv``'s
automatics 27.65 -> 27.93 %; MLIT's 35.11 -> 34.21 %): not shipped, (2) not run.

**Third rule** (6 Dec 2026, task s32c; :func:`_trials` with ``spin``, probes
``at_spin``, ``at_spin_checks``, ``at_spin_label``; docs/validation.md, "A 3-4 speed
automatic's pump and drag torque", rule written first): the s31i rule and an input spin
torque on every 3-4 speed automatic (constant with speed), its size fitted with the ICE
constants (1.855 N m on all cars) and held out by family. Verdict: (1) passes
(automatics' held-out FTP 6.54 -> 6.49 %, HWFET 4.35 -> 4.18 %, the 3-4 speeds' FTP
6.01 -> 4.33 %), (4) passes (``kei_automatic``'s 8 automatics 27.65 -> 22.53 %, MLIT's
35.11 -> 29.82 %), (5) passes (kei WLTC check 5.09 -> 5.24 %), (3) fails (absent
gasoline 7.96 -> 8.22 %: the refit's ``eta_at`` 0.932 -> 0.938): not shipped. Re-judged
on 6-7 Dec 2026 (task s35h) under the owners' criterion (3) (the absent rows not worse
by more than 0.30 point): passes, shipped (:func:`keidesign.energy.powertrains.
spin_torque`, :func:`keidesign.energy.powertrains.lockup_gear`); the probes now compare
the model before (:func:`kei_automatic_trials.before_spin`) with the shipped one.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "vehicles" / "at_lockup.csv"


def load(path: Path = DATA) -> list[dict[str, str]]:
    """The rows of ``at_lockup.csv`` (strings, blank where the source gives none)."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _gear(v: str) -> int | None:
    return int(v) if v.strip().isdigit() else None


def engaged_gear(rows: list[dict[str, str]]) -> int:
    """Rule (A): the median over the rows of five speeds or more of the lowest gear in
    which the converter is locked or slip-locked in D (``lockup_gear``,
    ``slip_lockup_gear``), rounded to a whole gear, halves up (gear number, 1-based)."""
    low = []
    for r in rows:
        n = _gear(r["gears"])
        g = [x for x in (_gear(r["lockup_gear"]), _gear(r["slip_lockup_gear"])) if x]
        if n and n > 4 and g:
            low.append(min(g))
    return int(math.floor(float(np.median(low)) + 0.5))


def full_lockup_gear(rows: list[dict[str, str]]) -> int:
    """Rule (B): the median over the rows of five speeds or more with a full lock-up
    gear of the gears below the top in which it locks, as the trial constant
    ``at_lockup_from`` (:func:`kei_automatic_trials.trial_lock_index`): 99 (the top gear
    of any gearbox) when the median is 0, else ``-k`` is not representable and raises."""
    below = []
    for r in rows:
        n, g = _gear(r["gears"]), _gear(r["lockup_gear"])
        if n and n > 4 and g:
            below.append(n - g)
    k = int(math.floor(float(np.median(below)) + 0.5))
    if k:
        raise ValueError(f"full lock-up {k} gears below the top: not a trial rule")
    return 99


def rules(rows: list[dict[str, str]] | None = None) -> dict[str, int]:
    """The two rules' ``at_lockup_from`` (gear number; 99 = the top gear)."""
    rows = load() if rows is None else rows
    return {"(A) engaged": engaged_gear(rows), "(B) full lock-up": full_lockup_gear(rows)}


def _held_out(trials, cars: list, kei, groups: dict[str, np.ndarray]) -> dict:
    """Each ``(name, constants[, fitted names])`` of ``trials`` refitted on the probes'
    grid (the fitted names: ``calibration.FIT_NAMES`` unless given) and held out by
    family (``validation_probes._trial_lofo``) with the trials swapped in: FTP / HWFET
    MAE (bias) per group printed; ``{name: {"fit", "lofo", "kei", "c"}}``."""
    import validation_probes as vp

    from keidesign.energy import calibration as cal
    from keidesign.validation import fueleconomy as fe

    out = {}
    with vp.kat.active():
        for name, c, *names in trials:
            grid = fe.ice_grid(cars, c, vp.RATIO_GRID, names=names[0] if names else
                               cal.FIT_NAMES)
            fit, e, k_err = vp._trial_lofo(name, cars, kei, c, grid)
            for g, m in groups.items():
                print(f"  lofo {g:20s} n={m.sum():3d}: FTP {vp._ms(e['ftp'][m])}, "
                      f"HWFET {vp._ms(e['hwfet'][m])}")
            print(f"  kei WLTC check (all-car fit): {vp._ms(k_err)}")
            out[name] = {"fit": fit, "lofo": e, "kei": k_err, "c": c}
    return out


def main() -> dict:
    """The shipped model (converter locked in every gear) and rules (A) and (B), each
    refitted and held out by family: FTP / HWFET MAE (bias) over every gasoline row,
    the automatics, the 4-speed, 5+-speed and 6-speed ones, and the kei WLTC check with
    the all-car fit."""
    import validation_probes as vp

    from keidesign.energy import calibration as cal
    from keidesign.energy import powertrains as pt
    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    rows = load()
    gears = rules(rows)
    print(f"at_lockup.csv: {len(rows)} rows; rule (A) locked from gear "
          f"{gears['(A) engaged']}, rule (B) locked from gear {gears['(B) full lock-up']} "
          "(99 = top) on every 5+-speed automatic; 3-4 speed: top gear")
    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = vp.ift.KeiFitRows.load()
    n_g = np.array([pt.GEARS[car.trans] for car in cars])
    auto = np.array([car.cls == "automatic" for car in cars])
    groups = {"all gasoline": np.ones(len(cars), bool), "automatic": auto,
              "4-speed automatic": auto & (n_g == 4), "5+-speed automatic": auto & (n_g > 4),
              "6-speed automatic": auto & (n_g == 6)}
    # the model these rules were judged against (before 7 Dec 2026): no spin torque
    c0 = vp.kat.before_spin(cal.fixed_constants())
    names = vp.kat.FIT_NAMES_NO_SPIN
    trials = [("converter locked in every gear (shipped)", c0, names)]
    for name, g in gears.items():
        trials.append((f"rule {name}: 5+-speed locked from gear {g}, 3-4 speed top, "
                       f"capacity-law slip at {pt.TC_STALL_RPM:.0f} rpm",
                       {**c0, "ice": {**c0["ice"], "tc_stall_rpm": pt.TC_STALL_RPM,
                                      "at_lockup_from": float(g)}}, names))
    out = _held_out(trials, cars, kei, groups)
    base = out[trials[0][0]]["lofo"]
    print("\nverdict (1): automatics' held-out MAE change, points (limit +0.10 each)")
    for name, *_ in trials[1:]:
        d = {t: 100 * (np.mean(np.abs(out[name]["lofo"][t][auto]))
                       - np.mean(np.abs(base[t][auto]))) for t in fe.TESTS}
        ok = all(v <= 0.10 for v in d.values())
        print(f"  {name[:40]}: " + ", ".join(f"{t} {v:+.2f}" for t, v in d.items())
              + (" -> passes (1)" if ok else " -> fails (1)"))
        out[name]["passes_1"] = ok
    return out


def absent_check(rule: str = "(A) engaged") -> dict:
    """Criterion (3) of the rule (module docstring): ``absent_families``' gasoline rows
    (label combined from specs, ``benchmarks/absent_families.py: run``) with the
    shipped constants (``calibration.toml``), the converter locked in every gear with
    its all-car fit on the probes' grid, and ``rule`` with its own: MAE (bias) over the
    gasoline rows, the stepped automatics and the rest (~3-5 min)."""
    import absent_families as af
    import validation_probes as vp

    from keidesign.energy import calibration as cal
    from keidesign.energy import constants as kc
    from keidesign.energy import powertrains as pt
    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    c0 = vp.kat.before_spin(cal.fixed_constants())  # the model of 6 Dec 2026
    g = rules()[rule]
    trial = {**c0, "ice": {**c0["ice"], "tc_stall_rpm": pt.TC_STALL_RPM,
                           "at_lockup_from": float(g)}}
    gas = [r for r in af.rows() if not r["motor_kw"]]
    stepped = {r["config"] for r in gas if r["transmission"] == "automatic"}
    out = {}
    with vp.kat.active():
        for name, c in (("shipped constants", None), ("locked in every gear, grid fit", c0),
                        (f"rule {rule}, grid fit", trial)):
            held = (kc.held(ice=cal.ice_section(c["ice"], fe.best_fit(
                fe.ice_grid(cars, c, vp.RATIO_GRID, names=vp.kat.FIT_NAMES_NO_SPIN))))
                    if c is not None else vp.nullcontext())
            with held:
                res = af.run(gas)
            err = {it["row"]["config"]: it["err"]["combined"] for it in res if it["pred"]}
            out[name] = err
            print(f"{name}:")
            for sub, keep in (("gasoline", err), ("stepped automatics",
                                                   {k: v for k, v in err.items() if k in stepped}),
                              ("the rest", {k: v for k, v in err.items() if k not in stepped})):
                n, mae, bias, worst = af.stats(list(keep.values()))
                print(f"  {sub:18s} n={n:2d}: label combined MAE {mae:.1f} % (bias {bias:+.1f} %), "
                      f"worst {worst:+.1f} %")
            print("  stepped automatics: " + ", ".join(
                f"{k} {v:+.1f}" for k, v in err.items() if k in stepped))
    return out


#: The laws judged by a written rule of two refitted arms, with the rule's limit (point)
#: on all gasoline rows' held-out FTP / HWFET MAE: s45c's viscous spin torque (0.20),
#: s45f's converter multiplication range (0.10).
RULE_LAWS = {"viscous": 0.20, "multiplication": 0.10}
#: The task that wrote each rule.
TASK = {"viscous": "s45c", "multiplication": "s45f"}


def _top_constants() -> tuple[dict, dict]:
    """The converter locked in every gear (the model before 7 Dec 2026,
    :func:`kei_automatic_trials.before_spin` of ``calibration.fixed_constants``) and the
    s31i rule (docs/validation.md, "A 3-4 speed automatic's converter locked in its top
    gear only"), shipped since 7 Dec 2026 (``calibration.fixed_constants``, ``[ice]
    at_few_gears`` 4: :func:`keidesign.energy.powertrains.lockup_gear` locks a 3-4 speed
    automatic in its top gear and a 5+-speed one in every gear, the capacity law's slip
    at the shipped stall speed below it)."""
    import kei_automatic_trials as kat

    from keidesign.energy import calibration as cal

    c1 = cal.fixed_constants()
    return kat.before_spin(c1), c1


def _trials(spin: bool = False, law: str = "constant"
            ) -> tuple[tuple[str, dict, tuple[str, ...]], ...]:
    """``(name, constants, fitted names)`` of the two trials each judging compares: the
    converter locked in every gear and the s31i top-gear rule (:func:`_top_constants`;
    no spin torque: :data:`kei_automatic_trials.FIT_NAMES_NO_SPIN`), or with ``spin``
    the s32c rule (docs/validation.md, "A 3-4 speed automatic's pump and drag torque"),
    the shipped model since 7 Dec 2026 (task s35h): the s31i top-gear rule and an input
    spin torque on every torque-converter automatic of three or four speeds
    (:func:`keidesign.energy.powertrains.spin_torque`, constant with speed), its size
    ``at_spin_nm`` fitted with the ICE constants (``calibration.FIT_NAMES``; bounds 0-15
    N m).

    ``law`` ``"viscous"`` (task s45c; docs/validation.md, "The 3-4 speed automatics' spin
    loss growing with engine speed", rule written first): the shipped arm (the constant
    law, refitted) against the same model with the spin torque proportional to engine
    speed, ``T_spin = T_ref w / w_ref`` (``at_spin_law = "viscous"`` of
    :func:`kei_automatic_trials.trial_loads`, ``w_ref`` = ``SPIN_REF_RPM`` 2000 rpm),
    ``T_ref`` fitted in its place.

    ``law`` ``"multiplication"`` (task s45f; docs/validation.md, "A torque converter
    through its multiplication range", rule written first): the shipped arm against the
    shipped model with the converter's multiplication range on (``[ice] tc_stall_tr`` =
    :data:`keidesign.energy.powertrains.TC_STALL_TR`, a class value, not fitted), each
    refitted with ``calibration.FIT_NAMES``."""
    import kei_automatic_trials as kat

    from keidesign.energy import calibration as cal
    from keidesign.energy import powertrains as pt

    c0, c1 = _top_constants()
    if law == "viscous":
        cv = {**c1, "ice": {**c1["ice"], "at_spin_law": "viscous"}}
        return (("shipped: 3-4 speed top gear + constant spin torque, refitted", c1,
                 cal.FIT_NAMES),
                ("3-4 speed top gear + spin torque ~ engine speed (viscous), fitted", cv,
                 cal.FIT_NAMES))
    if law != "constant":
        if law == "multiplication":
            cm = {**c1, "ice": {**c1["ice"], "tc_stall_tr": pt.TC_STALL_TR}}
            return (("shipped: 3-4 speed top gear + constant spin torque, refitted", c1,
                     cal.FIT_NAMES),
                    (f"converter multiplication range (stall TR {pt.TC_STALL_TR}), refitted",
                     cm, cal.FIT_NAMES))
        raise ValueError(f"law {law!r}: allowed constant, viscous, multiplication")
    if not spin:
        return (("locked in every gear", c0, kat.FIT_NAMES_NO_SPIN),
                ("3-4 speed top gear only", c1, kat.FIT_NAMES_NO_SPIN))
    return (("locked in every gear", c0, kat.FIT_NAMES_NO_SPIN),
            ("3-4 speed top gear only + spin torque fitted", c1, cal.FIT_NAMES))


def top_trial(spin: bool = False, law: str = "constant") -> dict:
    """Criterion (1) of the s31i rule (with ``spin``, the s32c rule's, :func:`_trials`):
    the converter locked in every gear and the 3-4 speed top-gear rule, each refitted on
    every gasoline row on the probes' grid and held out by family
    (``ice_lofo(exact=False)``): FTP / HWFET MAE (bias) per group, the automatics'
    change and the four-speeds' FTP change (~10 min)."""
    import validation_probes as vp

    from keidesign.energy import powertrains as pt
    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = vp.ift.KeiFitRows.load()
    n_g = np.array([pt.GEARS[car.trans] for car in cars])
    auto = np.array([car.cls == "automatic" for car in cars])
    groups = {"all gasoline": np.ones(len(cars), bool), "automatic": auto,
              "3-4-speed automatic": auto & (n_g <= 4), "5+-speed automatic": auto & (n_g > 4),
              "6-speed automatic": auto & (n_g == 6)}
    out = _held_out(_trials(spin, law), cars, kei, groups)
    a, b = (out[k]["lofo"] for k in out)
    mae = lambda e, m: 100 * float(np.mean(np.abs(e[m])))  # noqa: E731
    d = {t: mae(b[t], auto) - mae(a[t], auto) for t in fe.TESTS}
    four = groups["3-4-speed automatic"]
    d4 = mae(b["ftp"], four) - mae(a["ftp"], four)
    if law in RULE_LAWS:  # s45c's / s45f's criteria (3) and (5)
        every = groups["all gasoline"]
        dg = {t: mae(b[t], every) - mae(a[t], every) for t in fe.TESTS}
        ka, kb = (out[k]["kei"] for k in out)
        dk = 100 * (float(np.mean(np.abs(kb))) - float(np.mean(np.abs(ka))))
        lim = RULE_LAWS[law]
        ok3 = all(v <= lim for v in dg.values()) and all(v <= 0.10 for v in d.values())
        print(f"\n{TASK[law]} criterion (3): all gasoline " + ", ".join(
            f"{t} {v:+.2f}" for t, v in dg.items()) + f" point (limit +{lim:.2f}), automatics "
            + ", ".join(f"{t} {v:+.2f}" for t, v in d.items()) + " point (limit +0.10) -> "
            + ("passes" if ok3 else "fails") + f"; 3-4 speed FTP {d4:+.2f} point")
        print(f"{TASK[law]} criterion (5): kei WLTC check {dk:+.2f} point (limit +0.20) -> "
              + ("passes" if dk <= 0.20 else "fails"))
        out["passes_3"], out["passes_5"] = ok3, dk <= 0.20
        return out
    ok = all(v <= 0.10 for v in d.values()) and d4 < 0.0
    print("\ncriterion (1): automatics " + ", ".join(f"{t} {v:+.2f}" for t, v in d.items())
          + f" point; 3-4 speed FTP {d4:+.2f} point -> " + ("passes" if ok else "fails"))
    out["passes_1"] = ok
    return out


def _kei_mae(err: list[float]) -> str:
    e = np.asarray(err)
    return f"n={e.size}: MAE {100 * np.mean(np.abs(e)):.2f} % (bias {100 * np.mean(e):+.2f} %)"


def top_checks(spin: bool = False, law: str = "constant") -> dict:
    """Criteria (3) and (4) of the s31i rule (with ``spin``, the s32c rule's, its kei
    WLTC check too) with each trial's all-car fit on the probes' grid (:func:`_trials`:
    the converter locked in every gear; the 3-4 speed top-gear rule) and the shipped
    constants: ``absent_families``' gasoline rows (label combined from
    specs), the automatic rows of ``kei_automatics.csv`` (WLTC at the published curb
    mass, :func:`kei_automatic.run_rows`) and ``mlit_kei``'s sampled automatics (WLTC
    from specs alone and at the published curb mass) (~10 min)."""
    import tempfile

    import absent_families as af
    import kei_automatic as ka
    import mlit_kei
    import validation_probes as vp

    from keidesign.energy import calibration as cal
    from keidesign.energy import constants as kc
    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    kei = vp.ift.KeiFitRows.load()
    gas = [r for r in af.rows() if not r["motor_kw"]]
    stepped = {r["config"] for r in gas if r["transmission"] == "automatic"}
    krows = ka.rows()
    kauto = {r["config"] for r in krows if r["family_type"] == "automatic"}
    all_cases, _ = mlit_kei.cases()
    mauto = [c for c in mlit_kei.sample(all_cases) if c["trans"] == "automatic"]
    out = {}
    with vp.kat.active():
        arms = [(f"{n}, grid fit", c, m) for n, c, m in _trials(spin, law)]
        if law not in RULE_LAWS:  # these rules compare the two refitted arms only
            arms.insert(0, ("shipped constants", None, None))
        for name, c, names in arms:
            if c is None:
                held = vp.nullcontext()
                ice = None
            else:
                fit = fe.best_fit(fe.ice_grid(cars, c, vp.RATIO_GRID, names=names))
                print(f"\n{name}: all-car fit " + ", ".join(
                    f"{k} {v:.4g}" if np.isscalar(v) else f"{k} {tuple(v)}"
                    for k, v in fit.items()))
                print("  kei WLTC check (all-car fit): " + _kei_mae(
                    list(kei.predict(c, fit) / kei.measured - 1.0)))
                ice = cal.ice_section(c["ice"], fit)
                held = kc.held(ice=ice)
            with held:
                res = af.run(gas)
                err = {it["row"]["config"]: it["err"]["combined"] for it in res if it["pred"]}
                model = ka.run_rows(krows)
                with tempfile.TemporaryDirectory() as d:
                    mres = [(mc, mlit_kei.run(mc, Path(d))) for mc in mauto]
            print(f"{name}:")
            for sub, keep in (("gasoline", err), ("stepped automatics",
                                                   {k: v for k, v in err.items() if k in stepped})):
                n, mae, bias, worst = af.stats(list(keep.values()))
                print(f"  absent {sub:18s} n={n:2d}: label combined MAE {mae:.2f} % "
                      f"(bias {bias:+.2f} %), worst {worst:+.1f} %")
            by = {r["config"]: r for r in krows}
            kerr = {k: v / float(by[k]["wltc_km_per_L"]) - 1.0 for k, v in model.items()}
            print("  kei_automatics.csv automatics " + _kei_mae(
                [v for k, v in kerr.items() if k in kauto]) + ": " + ", ".join(
                f"{k} {100 * v:+.1f}" for k, v in kerr.items() if k in kauto))
            spec = [m["wltc_pred"] / float(mc["row"]["wltc_max_km_per_L"]) - 1.0
                    for mc, m in mres]
            pub = [m["wltc_pub_mass"] / float(mc["row"]["wltc_max_km_per_L"]) - 1.0
                   for mc, m in mres]
            names = [f"{mc['row']['name']} {mc['row']['type']} {mc['row']['transmission']} "
                     f"{mc['row']['drive']}" for mc, _ in mres]
            print("  mlit_kei automatics, specs alone " + _kei_mae(spec)
                  + "; at the published mass " + _kei_mae(pub) + ": " + ", ".join(
                      f"{k} {100 * e:+.1f}" for k, e in zip(names, spec, strict=True)))
            out[name] = {"absent": err, "kei": kerr, "mlit_spec": spec, "mlit_pub": pub,
                         "kei_auto": [v for k, v in kerr.items() if k in kauto]}
            if law in RULE_LAWS:  # s45c's / s45f's criterion (2): the whole MLIT run
                with kc.held(ice=ice):
                    out[name]["mlit_sets"] = _mlit_sets(mlit_kei.run_all(quiet=True))
    if law in RULE_LAWS:
        _s45c_verdict(out, TASK[law])
    return out


def _mlit_sets(results: list[dict]) -> dict[str, tuple[int, float, float]]:
    """``mlit_kei``'s sets of s45c's criterion (2), from specs alone: ``{set: (n, MAE %,
    bias %)}`` (unseen families; their closed front-engine CVT cars; the 4ATs; all),
    each printed."""
    import mlit_kei

    g = mlit_kei._groups(results)
    sets = {"all": g["all"]["all"], "unseen": g["data"]["unseen"],
            "unseen closed front-engine CVT": g["data, closed front-engine CVT cars only"][
                "unseen"],
            "4-speed automatics": g["transmission"]["automatic"],
            "cab-over wagons": g["body"]["cab-over wagon (underfloor engine)"]}
    out = {}
    for k, xs in sets.items():
        e = np.array([x["err_pred"] for x in xs])
        out[k] = (e.size, float(np.mean(np.abs(e))), float(np.mean(e)))
        print(f"  mlit_kei {k:32s} n={e.size:3d}: specs alone MAE {out[k][1]:.2f} % "
              f"(bias {out[k][2]:+.2f} %)")
    return out


def _s45c_verdict(out: dict, task: str = "s45c") -> None:
    """s45c's criteria (1), (2) and (6) (docs/validation.md, "The 3-4 speed automatics'
    spin loss growing with engine speed"): the viscous arm against the shipped law's,
    each with its own all-car fit."""
    names = list(out)
    a, b = out[names[0]], out[names[1]]

    def mae(v) -> float:
        return 100 * float(np.mean(np.abs(np.asarray(list(v)))))

    import absent_families as af

    d_ml = mae(b["mlit_spec"]) - mae(a["mlit_spec"])
    d_ka = mae(b["kei_auto"]) - mae(a["kei_auto"])
    ok1 = d_ml <= -3.0 and d_ka < 0.0
    ua, ub = a["mlit_sets"], b["mlit_sets"]
    d_un = ub["unseen"][1] - ua["unseen"][1]
    d_cvt = ub["unseen closed front-engine CVT"][1] - ua["unseen closed front-engine CVT"][1]
    ok2 = d_un <= -0.3 and d_cvt <= 0.2
    d_ab = af.stats(list(b["absent"].values()))[1] - af.stats(list(a["absent"].values()))[1]
    ok6 = d_ab <= 0.30
    print(f"\n{task} criterion (1): MLIT 4ATs {d_ml:+.2f} point (needs <= -3.0), "
          f"kei_automatics.csv rows {d_ka:+.2f} point (needs < 0) -> "
          + ("passes" if ok1 else "fails"))
    print(f"{task} criterion (2): MLIT unseen {d_un:+.2f} point (needs <= -0.3), unseen closed "
          f"CVT {d_cvt:+.2f} point (limit +0.2) -> " + ("passes" if ok2 else "fails"))
    print(f"{task} criterion (6): absent gasoline {d_ab:+.2f} point (limit +0.30) -> "
          + ("passes" if ok6 else "fails"))
    out["passes"] = {"1": ok1, "2": ok2, "6": ok6}


def top_label(spin: bool = False, law: str = "constant") -> dict:
    """Criterion (2) of the s31i rule (with ``spin``, the s32c rule's, :func:`_trials`)
    on the probes' footing (``label_parts``' chain,
    :func:`validation_probes._gasoline_holdout`: ``ice_lofo(exact=False)`` on the
    probes' grid, the specs-only hold-out constants without the mass volumes): the
    gasoline label combined from specs alone, held out by family, with the converter
    locked in every gear and with the 3-4 speed top-gear rule (its ``[ice]`` sections
    carrying the capacity law's stall speed): MAE (bias) over the labelled gasoline
    configurations, the automatics and the 3-4 speed ones (~15-25 min)."""
    import validation_probes as vp

    from keidesign.energy import powertrains as pt
    from keidesign.energy import testcars as tc
    from keidesign.errors import InputError
    from keidesign.validation import fueleconomy as fe
    from keidesign.validation import specsonly as so

    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    out = {}
    with vp.kat.active():
        for name, c, names in _trials(spin, law):
            lofo = fe.ice_lofo(cars, c, fe.ice_grid(cars, c, vp.RATIO_GRID, names=names),
                               exact=False)
            ho = vp._specs_holdout(lofo, volumes=False)
            # the trial's own switch (the 3-4 speed class, 0: locked in every gear, no
            # spin torque); the fitted spin torque comes with each family's fit, none
            # where it is not fitted
            trial = {"at_few_gears": c["ice"]["at_few_gears"],
                     "at_spin_law": c["ice"].get("at_spin_law", "constant"),
                     "tc_stall_tr": c["ice"].get("tc_stall_tr", 0.0)}
            if "at_spin_nm" not in names:
                trial["at_spin_nm"] = 0.0
            ho.ice = {f: {**v, **trial} for f, v in ho.ice.items()}
            done = []
            for car in so.cases(cars, hybrids=False):
                try:
                    done.append(so.predict(car, ho, so.imported(car)))
                except InputError:
                    continue
            comb = so.errors(done)["comb"]
            ok = np.isfinite(comb)
            auto = np.array([d.car.cls == "automatic" for d in done])
            n_g = np.array([pt.GEARS[d.car.trans] for d in done])
            print(f"\n{name}: label combined from specs, held out (probe footing), MAE (bias):")
            for g, m in (("gasoline", ok), ("automatic", ok & auto),
                         ("3-4 speed automatic", ok & auto & (n_g <= 4))):
                print(f"  {g:20s} n={m.sum():3d}: {100 * np.mean(np.abs(comb[m])):.2f} % "
                      f"({100 * np.mean(comb[m]):+.2f} %)")
            out[name] = comb
    return out


if __name__ == "__main__":
    main()
