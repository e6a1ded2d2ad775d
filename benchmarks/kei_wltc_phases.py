"""Where the kei WLTC optimism sits, by phase and by driving mode (issue 13, 7 Dec 2026):
``python benchmarks/validation_probes.py kei_wltc_phases`` (~1 min). Analysis only:
nothing shipped, no constant changed.

The kei WLTC check's ICE rows (:func:`keidesign.energy.calibration.kei_wltc_check`, the
13 km/L rows; the mild hybrids run through ``hev_cycle``, the rest through
``ice_cycle``) are run with the shipped constants at the shipped rolling coefficient
``c0`` = 0.0079 and at 0.00765 (what the grip-free cars alone want, s42c / s42f). For
each row the probe reports:

* **(a) per WLTC phase** (low, medium, high; Japan's class 3b test, no extra-high): the
  model's phase figure ``km/L_k = D_k / (E_k / LHV)`` (cold-start fuel ``E_cs`` put in
  the low phase, where it is burnt) and its share of the cycle fuel; where the catalogue
  publishes phase figures (WLTC-L/M/H; in kei.csv only the Dayz Highway Star hybrid) the
  per-phase error.
* **(b) where the fuel goes** (``ice_cycle`` rows only, the load law
  :func:`keidesign.energy.powertrains.willans_loads` wrapped to read ``P_b``, ``P_0``,
  ``P_stand``): each interval's fuel power rebuilt as the kernel burns it,
  ``P_f = s(P_b + P_0) / e`` while moving (``P_idle`` below the fuel-cut speed without
  traction), ``P_stand`` while standing, split into standing (idle; 0 with idle stop
  beyond the accessory and non-Willans part), accelerating (``dv/dt > 0.1 m/s^2``),
  cruising (``|dv/dt| <= 0.1``) and decelerating, per phase; the rebuilt total against
  the kernel's (a check of the rebuild: the full-load cap is not applied).
* **(c) the operating points**: time-weighted engine speed and brake mean effective
  pressure ``BMEP = 4 pi P_b / (V_d w)`` (bar) over the traction intervals per phase, and
  the fuel of NREL ADVISOR's Geo Metro 1.0 L three-cylinder map
  (``benchmarks/engine_maps.py``, status V; the nearest engine to a kei 0.66 L
  three-cylinder in the repo) at those points against the model's Willans fuel MEP for
  the row's swept volume at the reference compression ratio (``engine_maps.model_pf``):
  ``pf_map / pf_model - 1``, fuel-weighted over the traction intervals inside the map's
  envelope (coverage printed).

Reading: a phase whose model figure is high against the published one, or whose
operating points sit where the map burns more than the Willans line, carries the
optimism. docs/validation.md, "The kei WLTC optimism by phase".
"""

from __future__ import annotations

import dataclasses
import os
import sys
from unittest import mock

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import engine_maps  # noqa: E402  (benchmarks/engine_maps.py)

from geometry import ad as D  # noqa: E402
from keidesign.energy import calibration as cal  # noqa: E402
from keidesign.energy import powertrains as pt  # noqa: E402
from keidesign.energy import vehicle as ev  # noqa: E402

__all__ = ["main", "C0S", "PHASES", "run", "published_rows", "phase_summary"]

#: The rolling coefficients compared: shipped, and what the grip-free cars alone want.
C0S = (0.0079, 0.00765)
PHASES = ("low", "medium", "high")
#: acceleration threshold of the cruise band, m/s^2
A_CRUISE = 0.1
MAP = "geo_metro_1l0_si41"
WLTC_S = 1477.0  # duration of the class 3b low + medium + high, s


def _real(a) -> np.ndarray:
    return np.real(np.asarray(D.value(a)))


def _phase(name: str) -> str:
    for p in PHASES:
        if name.endswith(p):
            return p
    return name


def _spy_runs(spec: ev.VehicleSpec, c: dict) -> dict:
    """The row's WLTC run: per-phase fuel (J), cold fuel (J) and the ice kernel's
    intervals (None for a hybrid)."""
    real_ice, real_hev = pt.ice_cycle, pt.hev_cycle
    got: dict = {}

    def ice_spy(seg, x, trans, cc, *a, **k):
        cap: dict = {}
        law = k.get("load_law", pt.willans_loads)

        def wrapped(s):
            out = law(s)
            cap.update(s=s, pe=_real(out[0])[0], p0=_real(out[1])[0],
                       stand=float(_real(out[2]).ravel()[0]))
            return out
        k["load_law"] = wrapped
        out = real_ice(seg, x, trans, cc, *a, **k)
        if abs(float(np.sum(seg.dt)) - WLTC_S) < 5.0:
            got.update(seg=seg, fuel=_real(out["fuel"])[0], cold=float(_real(out["cold"])
                                                                        .ravel()[0]),
                       w=_real(out["w"])[0], pw=_real(out["pw"])[0], c=cc, x=x, **cap)
        return out

    def hev_spy(seg, x, trans, c_ice, *a, **k):
        out = real_hev(seg, x, trans, c_ice, *a, **k)
        if abs(float(np.sum(seg.dt)) - WLTC_S) < 5.0:
            cold = out.get("cold", 0.0)
            got.update(seg=seg, fuel=_real(out["fuel"])[0],
                       cold=float(_real(cold).ravel()[0]) if np.size(cold) else 0.0,
                       s=None)
        return out

    with mock.patch.object(pt, "ice_cycle", ice_spy), mock.patch.object(pt, "hev_cycle",
                                                                        hev_spy):
        res = ev.simulate([spec], constants=c)
    got["km_l"] = float(res["wltc_km_per_l"][0])
    return got


def _modes(g: dict) -> dict:
    """(b) and (c) of the module docstring for one ``ice_cycle`` run."""
    seg, s, c = g["seg"], g["s"], g["c"]
    tr = s.tr
    dt, vb = tr.dt, tr.vb
    a = tr.dv / np.maximum(dt, 1e-9)
    pe, p0, pw, w = g["pe"], g["p0"], g["pw"], g["w"]
    p_idle = float(_real(s.p_idle).ravel()[0])
    p_run = np.maximum(pe + p0, 0.0) / c["e"]
    moving = vb > 0.0
    low = vb < c["fuel_cut_mph"] * pt.MPH
    p_low = np.where(pw > 0.0, p_run, p_idle)
    pf = np.where(moving, np.where(low, p_low, p_run), g["stand"])
    vd = float(_real(g["x"]["vd"]).ravel()[0]) * 1e-3
    bounds = list(seg.starts) + [dt.size]
    interp = engine_maps._interp(engine_maps.load_map(MAP))
    out = {}
    for k, name in enumerate(seg.names):
        sl = slice(bounds[k], bounds[k + 1])
        f = pf[sl] * dt[sl]
        mv, ak = moving[sl], a[sl]
        parts = {"stand": float(np.sum(f[~mv])),
                 "accel": float(np.sum(f[mv & (ak > A_CRUISE)])),
                 "cruise": float(np.sum(f[mv & (np.abs(ak) <= A_CRUISE)])),
                 "decel": float(np.sum(f[mv & (ak < -A_CRUISE)]))}
        drive = mv & (pw[sl] > 0.0)
        ww, dd = w[sl][drive], dt[sl][drive]
        bmep = 4.0 * np.pi * pe[sl][drive] / (vd * np.maximum(ww, 1.0)) / 1e5
        rpm = ww / pt.RPM
        pf_model = np.array([engine_maps.model_pf(np.array([b]), r, vd * 1e3, c)[0]
                             for b, r in zip(bmep, rpm, strict=True)])
        pf_map = interp(np.column_stack([rpm, bmep]))
        ok = np.isfinite(pf_map)
        wt = (pf_model * dd)[ok]
        out[_phase(name)] = {
            "parts": parts, "rebuilt": float(np.sum(f)), "kernel": float(g["fuel"][k]),
            "traction": float(np.sum(f[drive])),
            "rpm": float(np.sum(rpm * dd) / np.sum(dd)),
            "bmep": float(np.sum(bmep * dd) / np.sum(dd)),
            "map_vs_model": float(np.sum(wt * (pf_map[ok] / pf_model[ok] - 1.0))
                                  / np.sum(wt)) if ok.any() else float("nan"),
            "coverage": float(np.sum(dd[ok]) / np.sum(dd))}
    return out


def run(c0: float) -> list[dict]:
    """Every kei ICE row of the kei WLTC check at rolling coefficient ``c0``."""
    c = {**cal.fixed_constants(), **cal._stored_fit()}
    out = []
    for r, style, idle, hyb, trans, drive, tyre_d, which, _b in cal._kei_todo():
        if r["powertrain"] == "BEV":
            continue
        spec = dataclasses.replace(cal.kei_spec(r, style, idle, hyb, trans, drive, tyre_d),
                                   crr=c0)
        g = _spy_runs(spec, c)
        seg = g["seg"]
        km = seg.distance / 1e3
        fuel = g["fuel"].copy()
        fuel[0] += g["cold"]  # the cold-start fuel is burnt in the low phase
        # fuel energy per litre from the model's own cycle figure (km/L = D / (E / LHV_L))
        lhv_l = g["km_l"] * float(np.sum(fuel)) / float(np.sum(km))  # J per L
        ph = {_phase(n): {"km_l": float(km[i] / (fuel[i] / lhv_l)),
                          "share": float(fuel[i] / np.sum(fuel))}
              for i, n in enumerate(seg.names)}
        meas = {p: float(r[f"wltc_{p[0].upper()}_km_per_L"])
                for p in PHASES if r.get(f"wltc_{p[0].upper()}_km_per_L")}
        out.append({"model": r["model"], "variant": r["variant"], "set": which,
                    "transmission": trans,
                    "hev": hyb is not None, "idle_stop": idle, "turbo": r["turbo"] == "yes",
                    "measured": float(r["wltc_km_per_L"]), "predicted": g["km_l"],
                    "error": g["km_l"] / float(r["wltc_km_per_L"]) - 1.0,
                    "phases": ph, "phase_measured": meas,
                    "cold_share": g["cold"] / float(np.sum(fuel)),
                    "modes": _modes(g) if g.get("s") is not None else None})
    return out


def report(runs: dict[float, list[dict]]) -> dict:
    summary = {}
    for c0, rows in runs.items():
        err = np.array([r["error"] for r in rows])
        print(f"\n## c0 = {c0}: {len(rows)} kei ICE rows, MAE {np.mean(np.abs(err)):.2%}, "
              f"bias {np.mean(err):+.2%}")
        print("row | err | L / M / H km/L (share of fuel) | published L/M/H | cold share")
        for r in rows:
            ph = r["phases"]
            pub = " / ".join(f"{r['phase_measured'][p]:.1f}" for p in PHASES
                             if p in r["phase_measured"]) or "-"
            print(f"{r['model']} {r['variant'][:24]} | {r['error']:+.2%} | "
                  + " / ".join(f"{ph[p]['km_l']:.1f} ({ph[p]['share']:.0%})" for p in PHASES)
                  + f" | {pub} | {r['cold_share']:.1%}")
        # phase elasticity: which phase's figure moves the cycle error, by the rows' own
        # phase fuel shares; the phase bias where published
        for r in rows:
            for p, m in r["phase_measured"].items():
                print(f"  published phase {r['model']} {p}: model {r['phases'][p]['km_l']:.2f}"
                      f" vs {m:.1f} km/L ({r['phases'][p]['km_l'] / m - 1:+.1%})")
        ice = [r for r in rows if r["modes"]]
        print(f"\n(b)/(c) the {len(ice)} ice_cycle rows, per phase (mean over rows): fuel "
              "shares stand / accel / cruise / decel, rpm, BMEP bar, map/model - 1 "
              "(coverage), rebuilt/kernel - 1")
        agg = {}
        for p in PHASES:
            m = [r["modes"][p] for r in ice]
            tot = [x["rebuilt"] for x in m]
            sh = {k: float(np.mean([x["parts"][k] / t for x, t in zip(m, tot, strict=True)]))
                  for k in ("stand", "accel", "cruise", "decel")}
            agg[p] = {**sh, "rpm": float(np.mean([x["rpm"] for x in m])),
                      "bmep": float(np.mean([x["bmep"] for x in m])),
                      "map_vs_model": float(np.nanmean([x["map_vs_model"] for x in m])),
                      "coverage": float(np.mean([x["coverage"] for x in m])),
                      "rebuild": float(np.mean([x["rebuilt"] / x["kernel"] - 1 for x in m]))}
            a = agg[p]
            print(f"  {p}: {a['stand']:.1%} / {a['accel']:.1%} / {a['cruise']:.1%} / "
                  f"{a['decel']:.1%}, {a['rpm']:.0f} rpm, {a['bmep']:.2f} bar, "
                  f"{a['map_vs_model']:+.1%} ({a['coverage']:.0%}), {a['rebuild']:+.2%}")
        for r in ice:
            print(f"  {r['model']} {r['variant'][:20]} ({r['error']:+.1%}): "
                  + "; ".join(f"{p} {r['modes'][p]['rpm']:.0f} rpm "
                              f"{r['modes'][p]['bmep']:.2f} bar "
                              f"map {r['modes'][p]['map_vs_model']:+.1%}" for p in PHASES))
        # the map's shape what-if: each phase's traction fuel carries the map's excess over
        # the row's own high phase (the level difference, the engines' age, removed)
        shape = []
        for r in ice:
            m = r["modes"]
            tot = sum(m[p]["rebuilt"] for p in PHASES) / (1.0 - r["cold_share"])
            d = sum(m[p]["traction"] * (m[p]["map_vs_model"] - m["high"]["map_vs_model"])
                    for p in PHASES) / tot
            shape.append({"model": r["model"], "fuel": d,
                          "error": (1.0 + r["error"]) / (1.0 + d) - 1.0})
        print("  shape what-if (traction fuel x (1 + map excess over the high phase)): "
              "cycle fuel " + ", ".join(f"{x['model']} {x['fuel']:+.1%} -> err "
                                        f"{x['error']:+.1%}" for x in shape))
        print(f"  mean over the {len(shape)} rows: fuel {np.mean([x['fuel'] for x in shape]):+.2%},"
              f" bias {np.mean([r['error'] for r in ice]):+.2%} -> "
              f"{np.mean([x['error'] for x in shape]):+.2%}, MAE "
              f"{np.mean([abs(r['error']) for r in ice]):.2%} -> "
              f"{np.mean([abs(x['error']) for x in shape]):.2%}")
        summary[c0] = {"mae": float(np.mean(np.abs(err))), "bias": float(np.mean(err)),
                       "phases": agg}
    return summary


def published_rows(c0: float = C0S[0]) -> list[dict]:
    """Every kei ICE configuration the model runs that has published WLTC phase figures:
    the kei.csv rows of the kei WLTC check with ``wltc_L/M/H_km_per_L`` (at rolling
    coefficient ``c0``) and the kei truck cases with kei_trucks.csv phases
    (``benchmarks/kei_truck_wltc.py``, at the truck design's ``road:crr``). One dict
    per configuration: ``family`` (the model name), ``config``, ``turbo``, ``cvt``,
    ``model`` and ``published`` ({phase: km/L})."""
    import kei_truck_wltc  # benchmarks/kei_truck_wltc.py

    out = []
    for r in run(c0):
        if len(r["phase_measured"]) == len(PHASES):
            out.append({"family": r["model"], "config": r["variant"], "turbo": r["turbo"],
                        "cvt": r["transmission"] == "cvt",
                        "model": {p: r["phases"][p]["km_l"] for p in PHASES},
                        "published": dict(r["phase_measured"])})
    for r in kei_truck_wltc.phase_records():
        if all(m is not None for m in r["published"]):
            out.append({"family": r["model"], "config": r["variant"], "turbo": False,
                        "cvt": r["transmission"].upper() == "CVT",
                        "model": dict(zip(PHASES, r["model_kmpl"], strict=True)),
                        "published": dict(zip(PHASES, r["published"], strict=True))})
    return out


def phase_summary(rows: list[dict]) -> dict:
    """Model over published - 1 per phase: MAE and bias over ``rows``, and the bias by
    family, NA / turbo and CVT / other; ``low_lead``: the low phase's bias minus the
    high phase's, per family (the light-load lead holds in a family where it is > 0)."""
    def stats(sel: list[dict]) -> dict:
        e = {p: np.array([r["model"][p] / r["published"][p] - 1.0 for r in sel])
             for p in PHASES}
        return {p: {"n": int(e[p].size), "mae": float(np.mean(np.abs(e[p]))),
                    "bias": float(np.mean(e[p]))} for p in PHASES}

    groups = {"all": rows}
    for f in dict.fromkeys(r["family"] for r in rows):
        groups[f"family {f}"] = [r for r in rows if r["family"] == f]
    for name, key, val in (("NA", "turbo", False), ("turbo", "turbo", True),
                           ("CVT", "cvt", True), ("other transmission", "cvt", False)):
        sel = [r for r in rows if r[key] == val]
        if sel:
            groups[name] = sel
    out = {k: stats(v) for k, v in groups.items()}
    fams = [k for k in out if k.startswith("family ")]
    out["low_lead"] = {k[7:]: out[k]["low"]["bias"] - out[k]["high"]["bias"] for k in fams}
    out["families"] = len(fams)
    out["families_with_low_lead"] = sum(v > 0 for v in out["low_lead"].values())
    return out


def report_published(rows: list[dict]) -> dict:
    s = phase_summary(rows)
    print(f"\n## published WLTC phases: {len(rows)} configurations of {s['families']} "
          "families (model / published - 1, low / medium / high)")
    for r in rows:
        print(f"  {r['family']} {r['config'][:40]}: " + " / ".join(
            f"{r['model'][p]:.2f} vs {r['published'][p]:.1f} "
            f"({r['model'][p] / r['published'][p] - 1:+.1%})" for p in PHASES))
    for k, v in s.items():
        if isinstance(v, dict) and "low" in v:
            print(f"  {k} (n {v['low']['n']}): MAE " + " / ".join(
                f"{v[p]['mae']:.1%}" for p in PHASES) + ", bias " + " / ".join(
                f"{v[p]['bias']:+.1%}" for p in PHASES))
    print("  low-phase bias minus high-phase bias by family: " + ", ".join(
        f"{f} {d:+.1%}" for f, d in s["low_lead"].items())
          + f"; the lead holds in {s['families_with_low_lead']} of {s['families']}")
    return s


def main() -> dict:
    runs = {c0: run(c0) for c0 in C0S}
    return report(runs)


if __name__ == "__main__":
    if "--published" in sys.argv:   # the published-phase rows only (~1 min)
        report_published(published_rows())
    else:
        main()
