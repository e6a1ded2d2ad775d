"""The EVs the model misses, taken apart (issue 13, task s43c, 7 Dec 2026; run by
``python benchmarks/validation_probes.py ev_misses``, ~1 min). Nothing is fitted into the
package and nothing shipped; docs/validation.md, "The EVs the model misses".

**Part 1, the road load from specs (e), by speed and term.** On the 529 configurations
of :func:`keidesign.validation.roadload.cases` (published Cd, width, height; the EV rows
with their motor's coast-down drag ``(dF1, dF2)``), the target force of a row is split
with the model's own terms (SI; ``F`` N, ``v`` m/s, ``m`` the ETW kg, ``A = 0.89 W H`` m^2,
``rho`` 1.2 kg/m^3, ``g`` 9.80665 m/s^2)::

    F(v) = m g (c0 + c1 v) + rho Cd A v^2 / 2 + dF1 v + dF2 v^2        (the model)

    Cr(20 mph) = [F_t(v20) - rho Cd A v20^2 / 2 - dF1 v20 - dF2 v20^2] / (m g)    [-]
    CdA_slope  = 2 / rho x {[F_t(v70) - F_t(v50) - (m g c1 + dF1)(v70 - v50)]
                            / (v70^2 - v50^2) - dF2}                            [m^2]

``Cr(20 mph)`` is the rolling coefficient the target leaves at 20 mph once the aero term
with the *published* Cd and the modelled motor drag are taken off (the model's is
``c0 + c1 v20``); ``CdA_slope`` is the drag area the target's growth from 50 to 70 mph
gives once the model's linear terms are taken off (the model's is the published ``Cd A``).
A row whose target comes from the model's own terms returns ``c0 + c1 v20`` and ``Cd A``
exactly (``tests/test_ev_misses.py``). So a miss that sits in ``Cr`` is a rolling (tyre,
bearing, brake) or low-speed coast-down difference; one in ``CdA_slope`` is the body's
drag. Assumptions: the target coefficients are the coast-down's (40 CFR 1066.305) and
split like the model's terms; the published Cd is the car's [A]. Validity: the 529
configurations; the 20 mph and 50-70 mph points of :data:`~keidesign.validation.roadload.
SPEEDS_MPH`.

Beside it: the held-out error at 50 mph against model-side features of every row (height,
width, H / W, Cd, ETW, ETW / A, published tyre width and rim, model year, the motor drag's
share of the modelled force at 50 mph; Pearson r), EV rows and gasoline rows apart; and
three diagnostic levers, held out by family exactly as the shipped pair
(:func:`keidesign.validation.roadload.lofo`): ``ev_rolling``, one factor on the EV rows'
rolling term ``m g (c0 + c1 v)`` fitted with the pair (a class-wide "EV low-rolling
tyre"); ``no_drag``, the EV rows without their motor drag (the pair refitted); and
``kona_nv``, the 2019 Kona Electric's motor drag at its twin Niro EV's N/V (105.1 rpm/mph,
same 150 kW / 395 N m drive and 215/55 R17 tyres) instead of the EPA row's 155.1, which
gives a 36.3 rad/s per m/s overall ratio against 24.6 for the twin and a top speed of
104 mph (167 km/h, R) at 16,100 motor rpm. These were measured as diagnostics of the
question "is there a class-wide term", with no ship rule: none of them is a candidate.

**Part 2, the four FTP families' gap by kind.** From the leave-one-family-out (a) record
(``docs/validation.json``, every fitted constant refitted without the family), per EV
configuration the measured minus modelled wall energy per cycle, ``dE = k (1/MPGe_meas -
1/MPGe_model)`` (Wh/mi, ``k`` = 33,705 Wh per gallon equivalent), read three ways
(UDDS = the charge-depleting FTP's trace; HWFET): as a constant power over the cycle's
time ``dP = dE D / T`` (kW; UDDS 1369 s, 7.45 mi; HWFET 765 s, 10.26 mi, 40 CFR 86 App. I,
600 App. I), as a constant force ``dF = dE / 1609.344 m x 3600 s/h`` (N) and as a share
``dE / E_model`` (which is the (a) error itself, ``MPGe_model / MPGe_meas - 1``). A
missing standing (drive-time) load gives one ``dP`` on both cycles, a missing whole-chain
or charging loss one share, a missing road force one ``dF``; a miss on the UDDS alone
(its share several times the HWFET's) is braking and regeneration.

Prints; writes nothing. Sources: the EPA Test Car List rows (``keidesign/data/epa``, V);
the Kona Electric's tyres (Nexen N'Fera SU1 low-rolling-resistance 215/55 R17 as
standard, vaielettrico.it "Mille km con una ricarica per la Kona", R) and top speed
(167 km/h, drivesouth.co.nz, R).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import numpy as np  # noqa: E402
from scipy.optimize import least_squares  # noqa: E402

from keidesign.energy import calibration as ecal  # noqa: E402
from keidesign.energy import constants as kc  # noqa: E402
from keidesign.energy import powertrains as pt  # noqa: E402
from keidesign.energy.cycles import METRES_PER_MILE, load_trace  # noqa: E402
from keidesign.energy.roadload import load_constants  # noqa: E402
from keidesign.specs.sources import us_specs_for  # noqa: E402
from keidesign.validation import roadload as rl  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "validation.json"
#: the design's air density (kg/m^3) and gravity (m/s^2), ``calibration.toml [roadload]``
RHO = float(load_constants()["roadload"]["rho_air"])
G = float(load_constants()["roadload"]["g"])
V = np.array(rl.SPEEDS_MPH) * rl.MPH
#: the Wh of one gallon equivalent (40 CFR 600.002: 33.705 kWh)
WH_PER_GALLON = 33705.0
#: the FTP outliers of docs/validation.md's targets table, as ``TestCar.family`` has them
FTP_FAMILIES = ("CODA", "BLUECAR", "KANDI K23", "MAZDA MX-30")
#: the Kona Electric's twin drive: the 2019 Niro EV's N/V (rpm/mph, the EPA row)
TWIN_NV = {"HYUNDAI KONA": 105.1}


def is_ev(c: rl.RoadLoadCase) -> bool:
    return c.car.cls == "ev"


def is_gasoline(c: rl.RoadLoadCase) -> bool:
    return c.car.cls not in ("ev", "hybrid")


def implied_terms(cs: list[rl.RoadLoadCase], c1: float) -> tuple[np.ndarray, np.ndarray]:
    """``Cr(20 mph)`` (-) and ``CdA_slope`` (m^2) of each case (module docstring), with
    the model's speed term ``c1`` (s/m)."""
    y = np.array([c.target for c in cs])
    m = np.array([c.car.etw for c in cs])
    cd = np.array([c.cd for c in cs])
    area = np.array([c.area for c in cs])
    d1, d2 = np.array([c.drag for c in cs], dtype=float).reshape(-1, 2).T
    v20, v50, v70 = V
    cr = (y[:, 0] - 0.5 * RHO * cd * area * v20**2 - d1 * v20 - d2 * v20**2) / (m * G)
    slope = ((y[:, 2] - y[:, 1] - (m * G * c1 + d1) * (v70 - v50)) / (v70**2 - v50**2)
             - d2)
    return cr, 2.0 * slope / RHO


def _tyre(text: str) -> tuple[float, float]:
    """Width (mm) and rim (in) of a published tyre size such as ``P205/55 R16``."""
    m = re.search(r"(\d{3})/(\d{2})Z?R?(\d{2})", (text or "").replace(" ", "").upper())
    return (float(m.group(1)), float(m.group(3))) if m else (np.nan, np.nan)


def features(cs: list[rl.RoadLoadCase], c0: float, c1: float) -> dict[str, np.ndarray]:
    """Model-side features of each case (none from the target)."""
    rows = [us_specs_for(c.car).row for c in cs]
    h = np.array([float(r["height_mm"]) for r in rows])
    w = np.array([float(r["width_mm"]) for r in rows])
    tyre = np.array([_tyre(r.get("tyre") or "") for r in rows])
    model = rl.predict(cs, c0, c1)[:, 1]
    drag = np.array([c.drag[0] * V[1] + c.drag[1] * V[1] ** 2 for c in cs])
    return {"height mm": h, "width mm": w, "H / W": h / w,
            "Cd": np.array([c.cd for c in cs]), "ETW kg": np.array([c.car.etw for c in cs]),
            "ETW / A kg/m2": np.array([c.car.etw / c.area for c in cs]),
            "tyre width mm": tyre[:, 0], "rim in": tyre[:, 1],
            "model year": np.array([c.car.year for c in cs], dtype=float),
            "motor drag share 50 mph": drag / model}


def pearson(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    """Pearson r over the finite pairs, and their count (NaN when x is constant)."""
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.ptp(x[ok]) == 0.0:
        return float("nan"), int(ok.sum())
    return float(np.corrcoef(x[ok], y[ok])[0, 1]), int(ok.sum())


def shipped_lofo(cs: list[rl.RoadLoadCase]) -> np.ndarray:
    """The shipped pair held out by family: relative errors ``(n, 3)``."""
    return rl.lofo(cs, rl.fit, lambda sub, f: rl.predict(sub, f["c0"], f["c1"]))[0]


def _predict_ev_rolling(sub: list[rl.RoadLoadCase], p: np.ndarray) -> np.ndarray:
    out = rl.predict(sub, p[0], p[1])
    ev = np.array([is_ev(c) for c in sub])
    m = np.array([c.car.etw for c in sub])
    out[ev] += (p[2] - 1.0) * m[ev, None] * G * (p[0] + p[1] * V)
    return out


def _fit_ev_rolling(sub: list[rl.RoadLoadCase]) -> np.ndarray:
    y = np.array([c.target for c in sub])
    r = least_squares(lambda p: (_predict_ev_rolling(sub, p) / y - 1.0).ravel(),
                      [0.008, 1e-4, 1.0], x_scale=[0.008, 1e-4, 0.1])
    return r.x


def lever_ev_rolling(cs: list[rl.RoadLoadCase]) -> tuple[np.ndarray, np.ndarray]:
    """``ev_rolling``: held-out errors ``(n, 3)`` and the all-case fit ``(c0, c1, f_ev)``."""
    return rl.lofo(cs, _fit_ev_rolling, _predict_ev_rolling)[0], _fit_ev_rolling(cs)


def without_drag(cs: list[rl.RoadLoadCase]) -> list[rl.RoadLoadCase]:
    """``no_drag``: the cases with no motor drag on any row."""
    return [replace(c, drag=(0.0, 0.0)) for c in cs]


def at_twin_nv(cs: list[rl.RoadLoadCase], twin: dict[str, float] = TWIN_NV
               ) -> list[rl.RoadLoadCase]:
    """``kona_nv``: the EV rows of the families in ``twin`` with their motor drag at the
    twin's N/V (the shipped :func:`~keidesign.energy.powertrains.coastdown_drag` with the
    overall ratio scaled by ``N/V_twin / N/V_row``); every other case unchanged."""
    out = list(cs)
    idx = [i for i, c in enumerate(cs) if is_ev(c) and c.car.family in twin]
    if not idx:
        return out
    cars = [cs[i].car for i in idx]
    x = ecal.epa_bev_params(cars, load_constants())
    scale = np.array([[twin[c.family] / c.nv] for c in cars])
    d1, d2 = pt.coastdown_drag(x["p_r"], x["t_r"], x["k"] * scale, kc.bev_constants(),
                               x["induction"])
    for j, i in enumerate(idx):
        out[i] = replace(cs[i], drag=(float(d1[j, 0]), float(d2[j, 0])))
    return out


def summary(err: np.ndarray, mask: np.ndarray) -> str:
    """MAE (bias) at 20 / 50 / 70 mph of the masked rows, %."""
    e = 100.0 * err[mask]
    return " | ".join(f"{np.abs(e[:, j]).mean():.2f} ({e[:, j].mean():+.2f})"
                      for j in range(3)) + f"  n {int(mask.sum())}"


def cycle_time_distance() -> dict[str, tuple[float, float]]:
    """Duration (s) and distance (mi) of the UDDS and HWFET traces."""
    out = {}
    for name in ("udds", "hwfet"):
        t, v = load_trace(name)
        out[name] = (float(t[-1] - t[0]), float(np.trapezoid(v, t)) / METRES_PER_MILE)
    return out


def gaps(record: Path = RECORD, how: str = "lofo") -> list[dict]:
    """Per EV configuration of the (a) record: the measured minus modelled wall energy of
    the FTP (UDDS) and HWFET as Wh/mi, kW and N, and the (a) error (module docstring)."""
    data = json.loads(record.read_text(encoding="utf-8"))
    td = cycle_time_distance()
    out = []
    for r in data["cars"]:
        if r["constants"] != how or " single_speed " not in r["id"]:
            continue
        row = {"id": r["id"]}
        for test, cyc in (("ftp", "udds"), ("hwfet", "hwfet")):
            e_meas = WH_PER_GALLON / r[f"{test}_measured"]
            e_mod = WH_PER_GALLON / r[f"{test}_model"]
            de = e_meas - e_mod
            t, d = td[cyc]
            row[test] = {"wh_mi": de, "kw": de * d / t * 3.6, "n": de * 3600.0 / METRES_PER_MILE,
                         "error": r[f"{test}_model"] / r[f"{test}_measured"] - 1}
        out.append(row)
    return out


def part1() -> None:
    cs = rl.cases()
    fit = rl.fit(cs)
    err = shipped_lofo(cs)
    ev = np.array([is_ev(c) for c in cs])
    gas = np.array([is_gasoline(c) for c in cs])
    hyb = ~ev & ~gas
    cr, cda = implied_terms(cs, fit["c1"])
    ratio = cda / np.array([c.cd * c.area for c in cs])
    print(f"1. road load from specs: {len(cs)} cases, all-case pair c0 {fit['c0']:.5f}, "
          f"c1 {fit['c1']:.3e} s/m; model Cr(20 mph) {fit['c0'] + fit['c1'] * V[0]:.4f}")
    print("   class      n   Cr(20 mph) median (IQR)      CdA_slope / published CdA median (IQR)")
    for name, m in (("ev", ev), ("gasoline", gas), ("hybrid", hyb)):
        print(f"   {name:9s} {int(m.sum()):3d}  {np.median(cr[m]):.4f} "
              f"({np.percentile(cr[m], 25):.4f}-{np.percentile(cr[m], 75):.4f})"
              f"          {np.median(ratio[m]):.2f} ({np.percentile(ratio[m], 25):.2f}-"
              f"{np.percentile(ratio[m], 75):.2f})")
    print("   EV rows (held out, 20 / 50 / 70 mph %), and the ICE / hybrid rows of the same "
          "family:")
    fams = sorted({c.car.family for c in cs if is_ev(c)})
    for fam in fams:
        for label, sel in (("ev", ev), ("twin", ~ev)):
            m = sel & np.array([c.car.family == fam for c in cs])
            if not m.any():
                continue
            e = 100.0 * err[m].mean(axis=0)
            cd = np.mean([c.cd for c, k in zip(cs, m, strict=True) if k])
            print(f"   {fam:18s} {label:4s} n {int(m.sum()):2d}  {e[0]:+6.1f} {e[1]:+6.1f} "
                  f"{e[2]:+6.1f}   Cr(20) {cr[m].mean():.4f}   CdA_slope / CdA "
                  f"{ratio[m].mean():.2f}   Cd {cd:.3f}")
    feats = features(cs, fit["c0"], fit["c1"])
    print("   Pearson r of the held-out 50 mph error with model-side features, EV (n) / "
          "gasoline (n):")
    for k, x in feats.items():
        (r_ev, n_ev), (r_g, n_g) = pearson(x[ev], err[ev, 1]), pearson(x[gas], err[gas, 1])
        print(f"   {k:24s} {r_ev:+.2f} ({n_ev}) / {r_g:+.2f} ({n_g})")
    print("   diagnostic levers, held out by family, MAE (bias) % at 20 | 50 | 70 mph:")
    e_roll, f_roll = lever_ev_rolling(cs)
    levers = {"shipped": err, f"ev_rolling (all-case factor {f_roll[2]:.3f})": e_roll,
              "no_drag": shipped_lofo(without_drag(cs)), "kona_nv": shipped_lofo(at_twin_nv(cs))}
    kona = np.array([is_ev(c) and c.car.family == "HYUNDAI KONA" for c in cs])
    for name, e in levers.items():
        print(f"   {name:34s} EV {summary(e, ev)}")
        print(f"   {'':34s} gasoline {summary(e, gas)}")
        if kona.any():
            print(f"   {'':34s} Kona Electric {summary(e, kona)}")


def part2() -> None:
    rows = gaps()
    print("\n2. the EV (a) gap held out by family (measured - model), UDDS / HWFET:")
    print("   configuration                                  error = share %   Wh/mi"
          "         kW            N")
    for r in rows:
        if not any(f in r["id"].upper() for f in FTP_FAMILIES + ("E-GOLF", "FOCUS")):
            continue
        f, h = r["ftp"], r["hwfet"]
        print(f"   {r['id'][:46]:46s} {100 * f['error']:+5.1f}/{100 * h['error']:+5.1f}  "
              f"{f['wh_mi']:+6.1f}/{h['wh_mi']:+6.1f}  {f['kw']:+5.2f}/{h['kw']:+5.2f}  "
              f"{f['n']:+5.0f}/{h['n']:+5.0f}")
    rest = [r for r in rows if not any(f in r["id"].upper() for f in FTP_FAMILIES)]
    e = np.array([[r["ftp"]["error"], r["hwfet"]["error"]] for r in rows])
    e_rest = np.array([[r["ftp"]["error"], r["hwfet"]["error"]] for r in rest])
    print(f"   all {len(rows)}: FTP / HWFET MAE {100 * np.abs(e[:, 0]).mean():.2f} / "
          f"{100 * np.abs(e[:, 1]).mean():.2f} %; without the four families ({len(rest)}): "
          f"{100 * np.abs(e_rest[:, 0]).mean():.2f} / {100 * np.abs(e_rest[:, 1]).mean():.2f} %"
          f" (bias {100 * e_rest[:, 0].mean():+.2f} / {100 * e_rest[:, 1].mean():+.2f} %)")


def main() -> None:
    part1()
    part2()


if __name__ == "__main__":
    main()
