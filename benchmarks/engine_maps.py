"""Published engine maps against the model's Willans line (issue 13, 4 Dec 2026):
``python benchmarks/validation_probes.py engine_maps`` (a few seconds).

The maps: ``keidesign/data/energy/engine_maps/`` (README there: three small gasoline
engines from NREL's ADVISOR data files, status V). Each map is turned into the fuel mean
effective pressure ``p_f`` (fuel energy per cycle per swept volume, bar) against the brake
mean effective pressure ``p_b`` (bar) at each speed,

    p_b = 4 pi T / V_d,   p_f = 4 pi mdot LHV / (V_d w),   eta_b = p_b / p_f,

(four-stroke: one cycle per two revolutions; ``LHV`` = 42.6 MJ/kg, the ADVISOR files'
``fc_fuel_lhv``), and set against the shipped model's Willans line for the same swept
volume (``keidesign.energy.powertrains`` module docstring; calibration.toml ``[ice]``):

    p_f = (p_b + p_0(N) V_eff / V_d) / e,   p_0 = p_me0 + p_me2 (N / 1000 rpm)^2,
    V_eff = 1 L x (V_d / 1 L)^alpha,

with ``e`` at the reference compression ratio (the EPA rows of the fit run there) and,
second, at the engine's published ratio through ``compression_efficiency`` (ratios
:data:`COMPRESSION_RATIOS`, status R). No accessory load: a map is brake power at the
crank.

Reported per map: (1) efficiency against BMEP at 1500 / 2000 / 2500 rpm, map and model;
(2) per speed the least-squares Willans line of the map (``p_f = a + b p_b``: ``e = 1/b``,
``p_0 = a/b``) and the same with a quadratic term (``p_f = a + b p_b + c p_b^2``), with
their RMS residuals, over the cells below 90 % of full load and, for the quadratic, all
cells below full load; (3) the fuel of the map against the model's at road-load points
2-15 kW at 1500-2500 rpm (fuel power map / model - 1). Interpolation: bilinear in (speed,
BMEP) on ``p_f``, which is close to linear in both (a Willans surface), never outside the
map's measured BMEP range or above full load. Nothing here changes the model.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from keidesign.energy import calibration as cal  # noqa: E402
from keidesign.energy import powertrains as pt  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "keidesign" / "data" / "energy" / "engine_maps"
LHV = 42.6e6  # J/kg, the ADVISOR files' fc_fuel_lhv
LBFT = 1.35671  # N m per lb ft, as FC_SI63_emis.m
RPM = 2.0 * np.pi / 60.0
SPEEDS = (1500.0, 2000.0, 2500.0)
POWERS_KW = (2.0, 4.0, 6.0, 8.0, 10.0, 15.0)
#: Published compression ratios (status R, recalled: Saturn LL0 DOHC 9.5, L24 SOHC 9.3,
#: Suzuki G10 (Geo Metro) 9.5; not in the ADVISOR files).
COMPRESSION_RATIOS = {"saturn_1l9_dohc_si95": 9.5, "geo_metro_1l0_si41": 9.5,
                      "saturn_1l9_sohc_si63": 9.3}
TITLES = {"saturn_1l9_dohc_si95": "Saturn 1.9 L DOHC (SAE 910676, steady state)",
          "geo_metro_1l0_si41": "Geo Metro 1.0 L (JDM, FTP transient data)",
          "saturn_1l9_sohc_si63": "Saturn 1.9 L SOHC (ANL, transient, non-enriched)"}
VD = {"saturn_1l9_dohc_si95": 1.9, "geo_metro_1l0_si41": 1.0, "saturn_1l9_sohc_si63": 1.9}


def _rows(name: str) -> list[dict]:
    with open(DATA / f"{name}.csv", newline="") as f:
        return list(csv.DictReader(f))


def _full_load(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(speed rpm, full-load torque N m) of ``full_load.csv``."""
    rows = [r for r in _rows("full_load") if r["engine"] == name]
    s = np.array([float(r["speed"]) for r in rows])
    v = np.array([float(r["full_load"]) for r in rows])
    unit = rows[0]["full_load_unit"]
    if rows[0]["speed_unit"] == "rad/s":
        s = s / RPM
    if unit == "bar_bmep":
        v = v * 1e5 * VD[name] * 1e-3 / (4.0 * np.pi)
    elif unit == "lb ft":
        v = v * LBFT
    return s, v


def load_map(name: str) -> dict:
    """One map on its grid: ``rpm`` (S,), ``bmep`` (S, L) bar, ``pf`` (S, L) fuel MEP bar,
    ``ok`` (S, L) inside the measured envelope (torque > 0, at or below full load)."""
    vd = VD[name] * 1e-3
    rows = _rows(name)
    if name == "saturn_1l9_dohc_si95":
        rpm = np.unique([float(r["speed_rpm"]) for r in rows])
        bm = np.unique([float(r["bmep_bar"]) for r in rows])
        b = np.array([float(r["bsfc_ug_per_J"]) for r in rows]).reshape(len(rpm), len(bm))
        bmep = np.broadcast_to(bm, b.shape).copy()
        pf = bmep * b * 1e-9 * LHV
    elif name == "geo_metro_1l0_si41":
        w = np.unique([float(r["speed_rad_s"]) for r in rows])
        t = np.unique([float(r["torque_nm"]) for r in rows])
        b = np.array([float(r["bsfc_g_per_kwh"]) for r in rows]).reshape(len(w), len(t))
        rpm = w / RPM
        bmep = np.broadcast_to(4.0 * np.pi * t / vd / 1e5, b.shape).copy()
        pf = bmep * b * 1e-3 / 3.6e6 * LHV
    else:
        rpm = np.unique([float(r["speed_rpm"]) for r in rows])
        t = np.unique([float(r["torque_lbft"]) for r in rows]) * LBFT
        fuel = np.array([float(r["fuel_enriched_g_per_s"]) - float(r["enrichment_g_per_s"])
                         for r in rows]).reshape(len(rpm), len(t))
        bmep = np.broadcast_to(4.0 * np.pi * t / vd / 1e5, fuel.shape).copy()
        pf = 4.0 * np.pi * fuel * 1e-3 * LHV / (vd * rpm[:, None] * RPM) / 1e5
        pf[:, t == 0.0] = np.nan  # the 0-torque column: one fill value at every speed
    fs, ft = _full_load(name)
    bmax = np.interp(rpm, fs, ft) * 4.0 * np.pi / vd / 1e5
    ok = (bmep > 0.0) & (bmep <= bmax[:, None] * (1 + 1e-9))
    pf = np.where(ok, pf, np.nan)  # fill values above full load are not data
    return {"rpm": rpm, "bmep": bmep, "pf": pf, "ok": ok, "bmax": bmax}


def model_pf(bmep: np.ndarray, rpm: float, vd_l: float, c: dict, cr: float = 0.0) -> np.ndarray:
    """The shipped Willans line's fuel MEP (bar) at ``bmep`` (bar), ``rpm``, for a
    ``vd_l`` litre engine (``cr`` 0: the reference ratio, the EPA rows' footing)."""
    e = c["e"] * (pt.compression_efficiency(cr, False) if cr else 1.0)
    p0 = c["pme0_bar"] + c["pme2_bar"] * (rpm / 1000.0) ** 2
    return (bmep + p0 * vd_l ** (c["alpha"] - 1.0)) / e


def _lerp(axis: np.ndarray, x: float) -> tuple[int, int, float]:
    """Indices ``(i, j)`` and weight ``t`` of ``x`` on ``axis`` (``j == i`` on a grid
    point, so a neighbour outside the envelope is never touched)."""
    if x < axis[0] - 1e-9 or x > axis[-1] + 1e-9:
        return -1, -1, 0.0
    i = int(np.clip(np.searchsorted(axis, x, side="right") - 1, 0, len(axis) - 1))
    if abs(axis[i] - x) <= 1e-9 or i == len(axis) - 1:
        return i, i, 0.0
    return i, i + 1, float((x - axis[i]) / (axis[i + 1] - axis[i]))


def _interp(m: dict):
    """Bilinear ``p_f(rpm, bmep)`` (bar) on the map's grid (every map here has one BMEP
    axis shared by its speeds); NaN outside the grid or where a cell it needs is outside
    the measured envelope."""
    rpm_axis, bm_axis, pf = m["rpm"], m["bmep"][0], m["pf"]

    def f(points: Any) -> np.ndarray:
        out = []
        for rpm, b in np.atleast_2d(points):
            i, j, t = _lerp(rpm_axis, rpm)
            k, n, u = _lerp(bm_axis, b)
            if i < 0 or k < 0:
                out.append(np.nan)
                continue
            row = [pf[i, k] if u == 0.0 else (1 - u) * pf[i, k] + u * pf[i, n]]
            if j != i:
                row.append(pf[j, k] if u == 0.0 else (1 - u) * pf[j, k] + u * pf[j, n])
                out.append((1 - t) * row[0] + t * row[1])
            else:
                out.append(row[0])
        return np.array(out, dtype=float)
    return f


def _fits(m: dict, rpm: float, interp: Any) -> dict:
    """Least-squares fits of the map's ``p_f(p_b)`` at ``rpm`` over the cells at or below
    90 % of full load: ``lin`` (Willans line) and ``quad`` (with a ``p_b^2`` term), each
    ``(coefficients highest power first, RMS bar, n)``; ``fl``: the map's fuel at full
    load over the Willans line's extrapolation there (the full-load departure)."""
    bm = m["bmep"][0]
    bmax = float(np.interp(rpm, m["rpm"], m["bmax"]))
    pf = interp(np.column_stack([np.full_like(bm, rpm), bm]))
    k = np.isfinite(pf) & (bm > 0.0) & (bm <= 0.9 * bmax + 1e-9)
    out: dict = {}
    for key, deg in (("lin", 1), ("quad", 2)):
        if k.sum() <= deg + 1:
            return {}
        coef = np.polyfit(bm[k], pf[k], deg)
        res = pf[k] - np.polyval(coef, bm[k])
        out[key] = (coef, float(np.sqrt(np.mean(res ** 2))), int(k.sum()))
    top = np.isfinite(pf) & (bm > 0.9 * bmax + 1e-9) & (bm <= bmax + 1e-9)
    if top.any():
        b = float(bm[top][-1])
        out["fl"] = (b, float(pf[top][-1] / np.polyval(out["lin"][0], b)))
    return out


def report(name: str, c: dict) -> dict:
    m = load_map(name)
    vd = VD[name]
    cr = COMPRESSION_RATIOS[name]
    interp = _interp(m)
    print(f"  {TITLES[name]}, {vd:g} L; map BMEP {m['bmep'][0][0]:.2f}-"
          f"{m['bmep'][0][-1]:.2f} bar, speeds {m['rpm'][0]:.0f}-{m['rpm'][-1]:.0f} rpm")
    peak = np.where(m["ok"], m["bmep"] / m["pf"], np.nan)
    i, j = np.unravel_index(np.nanargmax(peak), peak.shape)
    b9 = 0.9 * m["bmax"][i]
    print(f"    map peak efficiency {np.nanmax(peak):.1%} at {m['rpm'][i]:.0f} rpm, "
          f"{m['bmep'][i, j]:.1f} bar; model peak (at 90 % of that speed's full load) "
          f"{b9 / model_pf(b9, m['rpm'][i], vd, c):.1%} (ref. ratio), "
          f"{b9 / model_pf(b9, m['rpm'][i], vd, c, cr):.1%} (CR {cr:g})")
    where = []
    for k, rpm in enumerate(m["rpm"]):
        e_k = m["bmep"][k] / m["pf"][k]
        if 900.0 < rpm < 3100.0 and np.isfinite(e_k).sum() >= 3:
            jj = int(np.nanargmax(e_k))
            top = int(np.flatnonzero(np.isfinite(e_k))[-1])
            where.append(f"{rpm:.0f} rpm {e_k[jj]:.1%} at {m['bmep'][k, jj] / m['bmax'][k]:.0%}"
                         f" (top cell {e_k[top]:.1%})")
    print("    map efficiency peak by speed (share of full load): " + "; ".join(where))
    out = {"fits": {}, "ops": []}
    for rpm in SPEEDS:
        bmax = float(np.interp(rpm, m["rpm"], m["bmax"]))
        top = m["bmep"][0][m["bmep"][0] <= bmax + 1e-9][-1]
        grid = [b for b in (1.0, 2.0, 3.0, 4.0, 6.0, 8.0) if b < top - 0.05] + [round(top, 2)]
        cells = []
        for b in grid:
            pf = float(interp([[rpm, b]])[0])
            mo = float(model_pf(np.array(b), rpm, vd, c))
            mc = float(model_pf(np.array(b), rpm, vd, c, cr))
            cells.append(f"{b:g} bar {b / pf:.1%}/{b / mo:.1%}/{b / mc:.1%}"
                         if np.isfinite(pf) else f"{b:g} bar -/{b / mo:.1%}/{b / mc:.1%}")
        print(f"    {rpm:.0f} rpm (full load {bmax:.1f} bar), efficiency map/model/model at "
              f"CR: " + "; ".join(cells))
        f = _fits(m, rpm, interp)
        out["fits"][rpm] = f
        p0_model = (c["pme0_bar"] + c["pme2_bar"] * (rpm / 1000.0) ** 2) * vd ** (c["alpha"] - 1)
        if f:
            (b1, a1), r1, n1 = f["lin"]
            (c2, b2, a2), r2, _ = f["quad"]
            fl = (f"; at {f['fl'][0]:.1f} bar (full load) the map burns {f['fl'][1] - 1:+.0%} "
                  "over that line" if "fl" in f else "")
            print(f"      fits of the map (<= 90 % full load, {n1} points): Willans e "
                  f"{1 / b1:.3f}, p_0 {a1 / b1:.2f} bar (model: e {c['e']:.3f}, p_0 V_eff/V_d "
                  f"{p0_model:.2f} bar), RMS {r1:.3f} bar; quadratic p_f = {a2:.2f} + "
                  f"{b2:.3f} p_b {c2:+.4f} p_b^2, RMS {r2:.3f} bar{fl}")
    for rpm in SPEEDS:
        for kw in POWERS_KW:
            b = kw * 1e3 * 4.0 * np.pi / (vd * 1e-3 * rpm * RPM) / 1e5
            pf = float(interp([[rpm, b]])[0])
            if not np.isfinite(pf) or b > float(np.interp(rpm, m["rpm"], m["bmax"])):
                continue
            mo = float(model_pf(np.array(b), rpm, vd, c))
            mc = float(model_pf(np.array(b), rpm, vd, c, cr))
            out["ops"].append((rpm, kw, b, pf / mo - 1.0, pf / mc - 1.0))
    if out["ops"]:
        print("    road-load points, fuel map / model - 1 (ref. ratio; at CR "
              f"{cr:g}): " + "; ".join(f"{r:.0f} rpm {k:g} kW ({b:.1f} bar) {d:+.0%} "
                                      f"({d2:+.0%})" for r, k, b, d, d2 in out["ops"]))
        d = np.array([o[3] for o in out["ops"]])
        d2 = np.array([o[4] for o in out["ops"]])
        lo = np.array([o[2] < 3.0 for o in out["ops"]])
        print(f"    mean over {len(d)} points: {d.mean():+.1%} (at CR {d2.mean():+.1%}); "
              f"below 3 bar {d[lo].mean():+.1%} (at CR {d2[lo].mean():+.1%}, n={lo.sum()}), "
              f"3 bar and up {d[~lo].mean():+.1%} (at CR {d2[~lo].mean():+.1%}, "
              f"n={(~lo).sum()})")
    out["global"] = _global_fit(m, interp)
    return out


def _global_fit(m: dict, interp: Any) -> dict:
    """The map's cells at 1000-3000 rpm (every 250 rpm, bilinear), 0 < p_b <= 90 % of
    full load, fitted by least squares with the model's form ``p_f = (p_b + a + b
    (N/1000)^2) / e`` and with a quadratic term ``+ c p_b^2``; printed with the RMS and
    the RMS of the shipped line on the same cells."""
    pts = []
    for rpm in np.arange(1000.0, 3001.0, 250.0):
        bmax = float(np.interp(rpm, m["rpm"], m["bmax"]))
        for b in m["bmep"][0]:
            pf = float(interp([[rpm, b]])[0])
            if np.isfinite(pf) and 0.0 < b <= 0.9 * bmax + 1e-9:
                pts.append((rpm / 1000.0, b, pf))
    n, b, pf = (np.array(v) for v in zip(*pts, strict=True))
    out = {}
    for key, cols in (("willans", [b, np.ones_like(b), n * n]),
                      ("quadratic", [b, np.ones_like(b), n * n, b * b])):
        a = np.column_stack(cols)
        coef, *_ = np.linalg.lstsq(a, pf, rcond=None)
        rms = float(np.sqrt(np.mean((a @ coef - pf) ** 2)))
        out[key] = (coef, rms)
        e = 1.0 / coef[0]
        extra = f", c {coef[3]:+.4f} /bar" if key == "quadratic" else ""
        print(f"    {key} fit, 1000-3000 rpm, {len(pf)} cells: e {e:.3f}, p_me0 "
              f"{coef[1] * e:.2f} bar, p_me2 {coef[2] * e:+.3f} bar/krpm^2{extra}, RMS "
              f"{rms:.3f} bar ({rms / pf.mean():.1%} of the mean fuel MEP)")
    return out


def main() -> None:
    base, fit, _ = cal.stored_fits()
    c = cal.ice_section(base["ice"], fit)
    print(f"  model (calibration.toml [ice]): e {c['e']:g}, p_me0 {c['pme0_bar']:g} bar, "
          f"p_me2 {c['pme2_bar']:g} bar/krpm^2, alpha {c['alpha']:g}; efficiency cells "
          "'map/model/model at CR' (map bilinear on the fuel MEP)")
    for name in TITLES:
        r = report(name, c)
        m = load_map(name)
        interp = _interp(m)
        pts = [(rpm, b) for rpm in np.arange(1000.0, 3001.0, 250.0) for b in m["bmep"][0]
               if 0.0 < b <= 0.9 * float(np.interp(rpm, m["rpm"], m["bmax"])) + 1e-9]
        pf = np.array([float(interp([[p, q]])[0]) for p, q in pts])
        mo = np.array([model_pf(np.array(q), p, VD[name], c) for p, q in pts])
        k = np.isfinite(pf)
        rms = float(np.sqrt(np.mean((mo[k] - pf[k]) ** 2)))
        print(f"    shipped line on the same cells: RMS {rms:.3f} bar "
              f"({rms / pf[k].mean():.1%} of the mean fuel MEP), mean map/model "
              f"{np.mean(pf[k] / mo[k]) - 1:+.1%}; Willans fit vs "
              f"quadratic RMS {r['global']['willans'][1]:.3f} -> {r['global']['quadratic'][1]:.3f}"
              " bar")


if __name__ == "__main__":
    main()
