"""The design-speed chassis with the size law's offset held, judged on MLIT's kei lists
first (issue 13, 5 Dec 2026):

    python benchmarks/validation_probes.py power_parts_held    # ~4-6 min on 2 shared cores

``power_parts``' design-speed chassis (:func:`power_parts.brake_part`: the chassis
fraction ``c_ch + beta (s - 1)``, ``s`` the squared FMVSS 135 high-speed test speed of the
rated power over 120 km/h) passed its 97-car rule but, merged as the default, made MLIT's
kei curb mass 5.2 -> 6.3 % and the unseen kei families' WLTC 10.6 -> 11.5 %: the refitted
size law's offset fell 55.9 -> 16.8 kg and took mass off every kei. The rule below and
the three variants were written (docs/validation.md, "The design-speed chassis with the
size law's offset held") before any variant was run.

**Physics** (as ``power_parts``; R: recalled with citation, A: assumption)::

    eta P = 1/2 rho C_dA v^3 + m g C_rr v  -> v_max  (rho 1.2 kg/m^3, C_dA 0.65 m^2,
            C_rr 0.010, eta 0.90, m 1,100 kg: fixed [A], so no published mass enters)
    v_test = min(0.8 v_max, 160 km/h)       (FMVSS 135 S7.9 high-speed effectiveness, R:
                                             49 CFR 571.135)
    s      = (v_test / 120 km/h)^2          (120 km/h: the heating snubs, S7.13, R)
    chassis = f (m_curb + m_payload),  m_curb = (P + cal + f m_payload) / (1 - f)

a brake disc's thermal mass sized by one stop's energy ``1/2 m v_test^2`` (Limpert,
*Brake Design and Safety*, 3rd ed., SAE 2011, ch. 3, single-stop temperature rise, R);
the items upsized with the brakes (hubs, knuckles, springs, anti-roll bars of the faster
variant) ride on the same fraction [A]. The mass a chassis part adds compounds through
the structure that carries it (Malen & Reddy, *Preliminary vehicle mass estimation using
empirical subsystem influence coefficients*, FGPC 2007, R): here by ``1 / (1 - f)``.
Valid for the fit's range, 35-150 kW, 650-1,700 kg; at and above the 160 km/h cap
(about 80 kW) the fraction is constant.

**Variants** (each with the size law refitted on the training families of each fold;
``c_ch`` 0.10, the shipped fraction [A]):

1. ``offset held`` (the candidate): ``f = c_ch + beta (s - 1)``, ``beta`` 0.0797 from the
   engine twins (``power_parts``); the offset ``d`` held at the value the shipped
   constant-chassis law fits on the same cars (55.9 kg on all 97); ``k``, ``b`` refitted.
2. ``above kei power``: ``f = c_ch + beta' max(s - s_47, 0)``, ``s_47`` the speed factor
   at 47 kW (the 64 PS ceiling of the Japanese makers' voluntary kei power agreement,
   R), so a car at or under a kei's power keeps the shipped fraction; ``beta'`` from the
   twins with the same floored ``s`` (the estimator of ``power_parts.brake_twins``:
   group-weighted least squares through the origin of the residual step on ``(m_a +
   300 kg) (s'_b - s'_a)``); ``d``, ``k``, ``b`` refitted.
3. ``above kei power, offset held``: 2 with ``d`` held as in 1.

**Rule** (in this order; a variant ships only if it passes all three; if more than one,
the one with the lower MLIT kei curb MAE):

1. MLIT kei curb mass: on ``mlit_kei``'s 126 configurations from specs alone (the
   variant's coefficients fitted on all 97 fit cars, as it would ship), the curb MAE
   against the lists' mass range not worse by more than 0.1 point.
2. Unseen kei WLTC: the WLTC from specs of the configurations of families the fit never
   saw not worse (MAE change <= +0.05 point), computed at the variant's predicted curb
   mass (``[mass] curb_measured``: the energy model sees only the curb mass; the shipped
   law through that path reproduces the specs-alone figure, checked here).
3. US cars: held out by family, the curb MAE of the 83 ``us_specs`` fit cars better by
   >= 0.15 point, and the test mass (curb + 136 kg) against the EPA ETW of the absent
   families' gasoline configurations (never fitted) better by >= 0.15 point.

How the MLIT figures are computed: each sampled configuration is imported and run once
with the shipped model (:func:`mlit_records`); its a-priori groups ``P = m_curb -
chassis - calibration``, envelope volume and payload (``chassis / c_ch - m_curb``) give
a :class:`keidesign.mass.calibration.Car`, which any variant predicts in closed form
(the a-priori groups do not depend on the curb mass; the shipped law reproduces the
model's curb mass, checked). Nothing here changes a shipped constant (CONTRIBUTING,
"Physics tried and not kept").

**Result (5 Dec 2026): tried, not kept; no variant passes** (docs/validation.md): MLIT
kei curb 5.22 -> 6.04 / 6.47 / 6.09 % (variants 1 / 2 / 3); unseen kei WLTC 10.63 ->
10.35 / 11.59 / 10.82 %; US curb held out 4.22 -> 4.24 / 3.98 / 4.10 %; absent test
mass vs ETW 12.18 -> 7.68 / 10.35 / 8.67 %. With the offset held the refit moves the
volume slope (k 79.0 -> 28.0 / 39.1 kg/m^3) and the small-envelope kei get heavier.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import absent_mass as am
import kei_paths
import mlit_kei
import newuser
import numpy as np
import power_parts as pp

from keidesign.catalogue.mass import TEST_MASS_ADDER_KG
from keidesign.mass import calibration as mcal
from keidesign.mass.data import coefficients

#: the kei power ceiling: 64 PS (Japanese makers' voluntary agreement, R), kW
KEI_POWER_KW = 64.0 * 0.73549875
Fitter = Callable[..., tuple]  # fitter(cars, weights=None): pp.frac_fitter
Predictor = Callable[[mcal.Car, tuple], float]


def s_of(power_kw: float, floor_kw: float | None) -> float:
    """The variant's speed term: ``s - 1`` (``floor_kw`` None) or ``max(s - s(floor),
    0)``."""
    s = pp.speed_factor(power_kw)
    return s - 1.0 if floor_kw is None else max(s - pp.speed_factor(floor_kw), 0.0)


def twin_beta(floor_kw: float | None, tol: float | None = None) -> float:
    """``beta`` of the twins (``power_parts``' estimator) for the speed term of
    :func:`s_of`: the residual curb step (published less the build-up's own step) on
    ``(m_a + 300 kg) (term_b - term_a)``, group-weighted, through the origin."""
    rows = []
    for key, base, r in pp._pairs(tol):
        m_a = float(base["curb_kg"])
        x = (m_a + pp.PAYLOAD_TWINS) * (s_of(float(r["power_kw"]), floor_kw)
                                         - s_of(float(base["power_kw"]), floor_kw))
        rows.append((key, x, float(r["curb_kg"]) - m_a - pp.buildup_step(base, r)))
    return pp.slope(rows)


def variant_fraction(beta: float, floor_kw: float | None) -> Callable[[mcal.Car], float]:
    """The variant's chassis fraction ``c_ch + beta term`` (:func:`s_of`) of a car."""
    c_ch = coefficients()["chassis_fraction"]
    return lambda d: c_ch + beta * s_of(d.power, floor_kw)


def variant(beta: float, floor_kw: float | None, hold_d: bool) -> tuple[Fitter, Predictor]:
    """The size law refitted with the chassis fraction ``c_ch + beta term`` (fixed
    ``beta``; the one fitter :func:`power_parts.frac_fitter`, unweighted unless the caller
    passes weights); with ``hold_d`` the offset is the shipped constant-chassis law's
    ``d`` on the same cars and only ``k``, ``b`` are fitted."""
    frac = variant_fraction(beta, floor_kw)
    return pp.frac_fitter(frac, hold_d), pp.frac_predictor(frac)


def held_law(beta: float, floor_kw: float | None) -> tuple[Fitter, Predictor]:
    """The part with the whole size law held (``d``, ``k`` of the constant-chassis law on
    the same cars; ``b`` refitted): a sensitivity printed after the verdict."""
    frac = variant_fraction(beta, floor_kw)

    def fitter(ds):
        d0, k0, _ = mcal.fit(ds)
        bev = [d for d in ds if d.bev]
        r = [d.curb_pub * (1.0 - frac(d)) - frac(d) * d.payload - d.prior - d0
             - k0 * mcal._x(d)[1] for d in bev]
        return (d0, k0, float(np.mean(r)) if r else 0.0)

    return fitter, pp.frac_predictor(frac)


def trials() -> dict[str, tuple[Fitter, Predictor]]:
    """The shipped law, the three variants of the docstring and, for reference, the
    design-speed chassis of ``power_parts`` (offset refitted)."""
    beta = twin_beta(None)
    beta_k = twin_beta(KEI_POWER_KW)
    return {
        "shipped law (d, k, b)": am.TRIALS["shipped law (d, k, b)"][:2],
        f"1 offset held, beta {beta:.4f} (the candidate)": variant(beta, None, True),
        f"2 above kei power, beta' {beta_k:.4f}": variant(beta_k, KEI_POWER_KW, False),
        f"3 above kei power, offset held, beta' {beta_k:.4f}":
            variant(beta_k, KEI_POWER_KW, True),
        f"power_parts' design-speed chassis, beta {beta:.4f} (reference, not judged)":
            variant(beta, None, False),
    }


# --- MLIT's kei lists ------------------------------------------------------------------

def mlit_records(tmp: Path) -> list[dict]:
    """Each sampled ``mlit_kei`` configuration imported and run once with the shipped
    model: ``{"case", "car" (a Car of its terms), "design" (the imported design text),
    "curb", "wltc" (specs alone), "lo", "hi", "pub", "unseen"}``."""
    c_ch = coefficients()["chassis_fraction"]
    all_cases, _ = mlit_kei.cases()
    out = []
    for c in mlit_kei.sample(all_cases):
        r = c["row"]
        stem = f"mlit_{c['index']:03d}"
        path = tmp / f"{stem}.toml"
        path.write_text(mlit_kei.spec_text(c), encoding="utf-8")
        res = newuser.run_spec(path, tmp)
        if not res.outputs:
            raise RuntimeError(f"{stem}: {res.message}")
        g = {k: float(res.outputs[k]["value"]) for k in (
            "mass:curb", "mass:group:chassis", "mass:group:calibration",
            "body:volume:size", "energy:wltc_km_per_l")}
        car = mcal.Car(
            name=stem, source="mlit_kei_wltc.csv", family=c["family"]["family_id"],
            cls="kei ICE", powertrain="ice", curb_pub=float(r["mass_min_kg"]),
            prior=g["mass:curb"] - g["mass:group:chassis"] - g["mass:group:calibration"],
            volume=g["body:volume:size"],
            payload=g["mass:group:chassis"] / c_ch - g["mass:curb"],
            power=float(c["engine"]["power_kW"]))
        out.append({"case": c, "car": car, "design": res.design_text,
                    "curb": g["mass:curb"], "wltc": g["energy:wltc_km_per_l"],
                    "lo": float(r["mass_min_kg"]), "hi": float(r["mass_max_kg"]),
                    "pub": float(r["wltc_max_km_per_L"]),
                    "unseen": c["family"]["in_kei_csv"] != "yes"})
    return out


def wltc_at(rec: dict, curb: float, tmp: Path) -> float:
    """WLTC (km/L) of an MLIT configuration at the given curb mass."""
    design = kei_paths._set(rec["design"], "mass", "curb_measured", f"{curb!r}")
    path = tmp / f"{rec['car'].name}_at.toml"
    path.write_text(design, encoding="utf-8")
    code, out, err = newuser._call(["evaluate", "--json", str(path)])
    if code:
        raise RuntimeError(f"{rec['car'].name}: {err}")
    return float(json.loads(out)["outputs"]["energy:wltc_km_per_l"]["value"])


def _mae(e: Sequence[float]) -> tuple[float, float]:
    a = np.asarray(e, dtype=float)
    return float(np.mean(np.abs(a))), float(np.mean(a))


def mlit_check(recs: list[dict], curb_of: dict[str, float], tmp: Path) -> dict[str, tuple]:
    """Curb MAE / bias (all), WLTC from specs MAE / bias (all, unseen, in data), %."""
    curb_e, wltc_e, unseen_e, seen_e, small_e, large_e = [], [], [], [], [], []
    v_ref = coefficients()["calibration_volume_ref"]
    for rec in recs:
        m = curb_of[rec["car"].name]
        curb_e.append(newuser.error_pct(m, rec["lo"], rec["hi"]))
        (small_e if rec["car"].volume < v_ref else large_e).append(curb_e[-1])
        w = rec["wltc"] if abs(m - rec["curb"]) < 1e-9 else wltc_at(rec, m, tmp)
        e = 100.0 * (w / rec["pub"] - 1.0)
        wltc_e.append(e)
        (unseen_e if rec["unseen"] else seen_e).append(e)
    return {"curb": _mae(curb_e), "wltc": _mae(wltc_e), "wltc unseen": _mae(unseen_e),
            "wltc in data": _mae(seen_e), "curb V < V_ref": _mae(small_e),
            "curb V >= V_ref": _mae(large_e),
            "n": (len(recs), len(unseen_e), len(small_e))}


# --- the run ---------------------------------------------------------------------------

def main() -> None:
    data = mcal.read_cars()
    sel = am.classes(data, am.lengths())
    tri = trials()
    coef_of = {name: f(data) for name, (f, _) in tri.items()}
    print("## The variants (coefficients fitted on all 97: d kg, k kg/m^3, b kg)\n")
    for name, coef in coef_of.items():
        print(f"  {name}: d {coef[0]:.1f}, k {coef[1]:.1f}, b {coef[2]:.1f}")
    c_ch = coefficients()["chassis_fraction"]
    for label, beta, floor in (("beta", twin_beta(None), None),
                               ("beta'", twin_beta(KEI_POWER_KW), KEI_POWER_KW)):
        print(f"  chassis fraction with {label} {beta:.4f} at 35 / 38 / 47 / 60 / 80 / 120 kW:"
              " " + " / ".join(f"{c_ch + beta * s_of(p, floor):.3f}"
                               for p in (35, 38, 47, 60, 80, 120)))

    print("\n## US and all fit cars held out by family (curb MAE (bias)); d, k, b refitted "
          "(the offset held where the variant says)\n")
    print("trial | " + " | ".join(f"{k} ({sum(map(f, data))})" for k, f in sel.items()))
    held_of = {}
    for name, (fitter, predictor) in tri.items():
        held_of[name] = held = am.lofo(data, fitter, predictor)
        print(f"{name} | " + " | ".join(am._stat([held[d.name] for d in data if f(d)])
                                        for f in sel.values()))

    print("\n## The absent families' test mass against the EPA ETW (coefficients on all 97; "
          "gasoline; BEV) and curb against autoevolution (gasoline)\n")
    absent = am.held_inside(am.absent_cars(), data)
    etw_of = {}
    for name, (_, predictor) in tri.items():
        pred = {car.name: predictor(car, coef_of[name]) for _, _, car in absent}
        cells = []
        for bev in (False, True):
            s = [(r, c) for r, _, c in absent if c.bev == bev and r["testcar_etw_lb"]]
            errs = [(pred[c.name] + TEST_MASS_ADDER_KG) / (float(r["testcar_etw_lb"]) * am.LB)
                    - 1 for r, c in s]
            if not bev:
                etw_of[name] = 100 * float(np.mean(np.abs(errs)))
            cells.append(am._stat(errs) + f", {len(s)}")
        s = [c for _, _, c in absent if not c.bev and c.curb_pub
             and c.name != "paceman_2016_6at"]
        cells.append(am._stat([pred[c.name] / c.curb_pub - 1 for c in s]) + f", {len(s)}")
        print(f"{name} | " + " | ".join(cells))

    print("\n## MLIT's passenger kei lists (mlit_kei's sample, specs alone; coefficients on "
          "all 97)\n")
    mlit_of = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        recs = mlit_records(tmp)
        ship = tri["shipped law (d, k, b)"][1]
        rng = mcal.volume_range(data)    # the 97 cars' volumes hold every law fitted on them
        fit_car = {r["car"].name: mcal.held_in(r["car"], rng) for r in recs}
        gap = max(abs(ship(fit_car[r["car"].name], coef_of["shipped law (d, k, b)"])
                      - r["curb"]) for r in recs)
        w0 = recs[0]
        print(f"check: the shipped law in closed form against the model's curb mass: max "
              f"|diff| {gap:.2e} kg; WLTC through curb_measured at the model's curb "
              f"{wltc_at(w0, w0['curb'], tmp):.6f} vs specs alone {w0['wltc']:.6f} km/L")
        print("trial | curb MAE (bias), all | WLTC from specs, all | unseen | in data "
              "| curb, envelope under 5.5 m^3 | 5.5 m^3 and over | curb of the "
              "configurations: mean change kg")
        for name, (_, predictor) in tri.items():
            curb_of = {r["car"].name: (r["curb"] if name.startswith("shipped")
                                       else predictor(fit_car[r["car"].name],
                                                      coef_of[name]))
                       for r in recs}
            mlit_of[name] = m = mlit_check(recs, curb_of, tmp)
            dm = np.mean([curb_of[r["car"].name] - r["curb"] for r in recs])
            print(f"{name} | " + " | ".join(f"{m[k][0]:.2f} % ({m[k][1]:+.2f} %)" for k in (
                "curb", "wltc", "wltc unseen", "wltc in data", "curb V < V_ref",
                "curb V >= V_ref"))
                + f" | {dm:+.1f} (n {m['n'][0]}, unseen {m['n'][1]}, under 5.5 m^3 "
                  f"{m['n'][2]})")

    print("\n## The rule (docs/validation.md)\n")
    base = "shipped law (d, k, b)"

    def us(name):
        return 100 * float(np.mean([abs(held_of[name][d.name]) for d in data
                                    if sel["US"](d)]))

    for name in tri:
        if name == base or "reference" in name:
            continue
        m, m0 = mlit_of[name], mlit_of[base]
        checks = [
            (m["curb"][0] - m0["curb"][0] <= 0.1,
             f"MLIT kei curb {m0['curb'][0]:.2f} -> {m['curb'][0]:.2f} % (<= +0.1)"),
            (m["wltc unseen"][0] - m0["wltc unseen"][0] <= 0.05,
             f"unseen kei WLTC {m0['wltc unseen'][0]:.2f} -> {m['wltc unseen'][0]:.2f} % "
             "(<= +0.05)"),
            (us(base) - us(name) >= 0.15 and etw_of[base] - etw_of[name] >= 0.15,
             f"US curb held out {us(base):.2f} -> {us(name):.2f} %, absent test mass vs "
             f"ETW {etw_of[base]:.2f} -> {etw_of[name]:.2f} % (each >= 0.15 better)")]
        ok = all(c for c, _ in checks)
        print(f"{name}: {'SHIP' if ok else 'not shipped'}; " + "; ".join(
            ("pass: " if c else "FAIL: ") + t for c, t in checks))

    print("\n## After the verdict (a sensitivity, not a candidate): the size law held whole\n")
    print("With d and k both held at the constant-chassis law's values on the same cars (b "
          "refitted), variant 2's part leaves every kei at or under 47 kW as shipped (the "
          "MLIT figures unchanged by construction); on the fit cars held out by family:")
    fitter, predictor = held_law(twin_beta(KEI_POWER_KW), KEI_POWER_KW)
    held = am.lofo(data, fitter, predictor)
    print("  " + " | ".join(f"{k} {am._stat([held[d.name] for d in data if f(d)])}"
                            for k, f in sel.items()))
