"""Residual analysis of the gasoline FTP / HWFET hold-out errors of table (a) (issue 13,
task s33c, 6 Dec 2026): which spec-sheet variable does the error follow?

    python benchmarks/validation_probes.py gasoline_residuals   # seconds, no model run

Reads the leave-one-family-out (``lofo``) errors of every gasoline configuration from
docs/validation.json (``benchmarks/validation.py``'s output; matched by position as in
``manual_residuals._lofo_errors``) and prints, per variable, Pearson r of the error
(model / measured - 1) with it three ways: over all configurations, *within* families
(variable and error with each family's mean removed: what a per-configuration physical
term can explain) and *between* family means (what the hold-out by family mostly
carries, ``validation_probes.py floor``). Then the errors per transmission class, per
make, per model-year band, the FTP-vs-HWFET error correlation of one configuration, and
the FTP bag-1 minus bag-3 measured fuel (the cold-start excess) per litre against
displacement, the shape the model's ``E_cold = k_cs V_d`` assumes (docs/energy.md
section 3).

Variables: class, displacement (L), displacement per test mass (L/t), rated power per
test mass (kW/t), specific power (kW/L), published compression ratio (else blank),
turbo, cylinders (EPA file), model year, direct injection (label record), start-stop
(label record), ETW (kg), N/V top gear (rpm/mph), target A / B / C (SI), and the road
load power at 50 mph per test mass (W/kg).

Ship rule of any model term this analysis leads to (written 6 Dec 2026, 16:05 UTC,
before any trial run; task s33c): ship only if, on the same footing against the shipped
model, (1) the LOFO gasoline FTP MAE falls by at least 0.3 point with |bias| <= 1 %,
(2) the HWFET MAE is not worse by more than 0.1 point, (3) no class row of table (a)
(CVT, automatic, DCT, manual; FTP or HWFET) is worse by more than 0.3 point, (4) the
kei WLTC ICE MAE is not above 6 %, (5) the gasoline label combined from specs alone
(held out by family) is not worse. Otherwise the trial and its numbers are committed
as "tried, not shipped" (docs/validation.md) and the model is unchanged.
"""

from __future__ import annotations

from collections import defaultdict

import ice_fit_trials as ift  # benchmarks/ice_fit_trials.py
import manual_residuals as mr  # benchmarks/manual_residuals.py
import numpy as np

from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.validation import fueleconomy as fe

MPH = 0.44704


def _label_flags(cars: list) -> tuple[np.ndarray, np.ndarray]:
    """Start-stop flag (1/0/NaN without a label row) and direct injection (1/0/NaN)."""
    ss, di = [], []
    for c in cars:
        lab = tc.label_for(c)
        ss.append(float(lab.start_stop) if lab is not None else np.nan)
        di.append(np.nan if c.direct_injection is None else float(c.direct_injection))
    return np.array(ss), np.array(di)


def features(cars: list) -> dict[str, np.ndarray]:
    """The candidate variables ``{name: (n,)}`` of the module docstring."""
    kw = np.array([0.7457 * c.hp for c in cars])
    vd = np.array([c.vd for c in cars])
    etw = np.array([c.etw for c in cars])
    cr = []
    for c in cars:
        r = tc.engine_ratio(c, c.turbo)
        cr.append(r.ratio if r is not None else np.nan)
    ss, di = _label_flags(cars)
    v50 = 50.0 * MPH
    f50 = np.array([c.f0 + c.f1 * v50 + c.f2 * v50 ** 2 for c in cars])
    return {
        "displacement L": vd,
        "displacement/ETW L/t": vd / etw * 1e3,
        "power/ETW kW/t": kw / etw * 1e3,
        "specific power kW/L": kw / vd,
        "compression ratio (publ.)": np.array(cr, float),
        "turbo": np.array([float(bool(c.turbo)) for c in cars]),
        "cylinders": ift.epa_cylinders(cars),
        "model year": np.array([c.year for c in cars], float),
        "direct injection": di,
        "start-stop": ss,
        "ETW kg": etw,
        "N/V top rpm/mph": np.array([c.nv for c in cars]),
        "target A N": np.array([c.f0 for c in cars]),
        "target B N/(m/s)": np.array([c.f1 for c in cars]),
        "target C N/(m/s)^2": np.array([c.f2 for c in cars]),
        "road load 50 mph W/kg": f50 * v50 / etw,
        "manual": np.array([float(pt.FAMILY[c.trans] == "manual") for c in cars]),
        "cvt": np.array([float(c.cls == "cvt") for c in cars]),
    }


def _r(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 4 or np.std(x[ok]) == 0.0 or np.std(y[ok]) == 0.0:
        return float("nan"), int(ok.sum())
    return float(np.corrcoef(x[ok], y[ok])[0, 1]), int(ok.sum())


def _demean(x: np.ndarray, fam: np.ndarray) -> np.ndarray:
    out = np.full_like(x, np.nan)
    for f in set(fam):
        m = (fam == f) & np.isfinite(x)
        out[m] = x[m] - x[m].mean()
    return out


def _fam_means(x: np.ndarray, fam: np.ndarray, fams: list) -> np.ndarray:
    return np.array([np.nanmean(x[fam == f]) if np.isfinite(x[fam == f]).any() else np.nan
                     for f in fams])


def correlations(cars: list, err: dict, feat: dict) -> dict[str, dict[str, float]]:
    """Print and return ``{variable: {"ftp all", "ftp within", "ftp between", "hwfet
    all", "hwfet within", "hwfet between"}: r}``."""
    fam = np.array([c.family for c in cars])
    fams = sorted(set(fam))
    out: dict[str, dict[str, float]] = {}
    print(f"{len(cars)} gasoline configurations, {len(fams)} families; Pearson r (n) of the "
          "lofo error (docs/validation.json):")
    print(f"  {'variable':28s} {'FTP all':>11s} {'FTP within':>11s} {'FTP between':>12s} "
          f"{'HW all':>11s} {'HW within':>11s} {'HW between':>11s}")
    for k, x in feat.items():
        row, cells = {}, []
        for t in fe.TESTS:
            for way in ("all", "within", "between"):
                if way == "all":
                    r, n = _r(x, err[t])
                elif way == "within":
                    r, n = _r(_demean(x, fam), _demean(err[t], fam))
                else:
                    r, n = _r(_fam_means(x, fam, fams), _fam_means(err[t], fam, fams))
                row[f"{t} {way}"] = r
                cells.append(f"{r:+.2f} ({n:3d})")
        out[k] = row
        print(f"  {k:28s} " + " ".join(f"{c:>11s}" for c in cells))
    return out


def _ms(e: np.ndarray) -> str:
    return f"{100 * np.mean(np.abs(e)):4.1f} ({100 * np.mean(e):+5.1f})"


def groups(cars: list, err: dict) -> None:
    """MAE (bias) per class, model-year band and make; FTP-HWFET error correlation."""
    def table(title: str, key) -> None:
        by: dict = defaultdict(list)
        for i, c in enumerate(cars):
            by[key(c)].append(i)
        print(f"\n{title}: n, FTP MAE (bias) %, HWFET MAE (bias) %")
        for k in sorted(by):
            i = by[k]
            print(f"  {k!s:22s} {len(i):4d}  {_ms(err['ftp'][i])}  {_ms(err['hwfet'][i])}")
    table("by class", lambda c: c.cls)
    table("by model year band", lambda c: "2011-13" if c.year <= 2013 else
          "2014-16" if c.year <= 2016 else "2017-19" if c.year <= 2019 else "2020-23")
    table("by make", lambda c: c.make.split()[0])
    fam = np.array([c.family for c in cars])
    r_all, _ = _r(err["ftp"], err["hwfet"])
    r_in, _ = _r(_demean(err["ftp"], fam), _demean(err["hwfet"], fam))
    d = err["ftp"] - err["hwfet"]
    print(f"\nFTP vs HWFET error of one configuration: r {r_all:+.2f} (within families "
          f"{r_in:+.2f}); FTP - HWFET error mean {100 * d.mean():+.2f} points, sd "
          f"{100 * d.std():.2f}; MAE of the FTP with the HWFET error removed "
          f"{100 * np.mean(np.abs(d)):.2f} %")


def cold_start(cars: list, feat: dict) -> None:
    """Measured bag-1 minus bag-3 fuel (kWh; 3.59 mi each, 33.7 kWh/gal) against
    displacement: ``k V_d^b`` fitted in log space where positive."""
    vd, ex, ok_cars = [], [], []
    for c in cars:
        if not c.bags:
            continue
        b1, _, b3 = c.bags
        kwh = 3.59 * 33.705 * (1.0 / b1 - 1.0 / b3)
        vd.append(c.vd)
        ex.append(kwh)
        ok_cars.append(c)
    vd, ex = np.array(vd), np.array(ex)
    pos = ex > 0
    b, lk = np.polyfit(np.log(vd[pos]), np.log(ex[pos]), 1)
    print(f"\nCold-start excess (bag 1 - bag 3 measured fuel, kWh) on {len(vd)} "
          f"configurations with bags ({pos.sum()} positive): per litre mean "
          f"{np.mean(ex / vd):.3f} kWh/L (model k_cs 0.244); log-log fit "
          f"excess = {np.exp(lk):.3f} V_d^{b:.2f}; r(excess/L, displacement) "
          f"{_r(ex / vd, vd)[0]:+.2f}, r(excess/L, model year) "
          f"{_r(ex / vd, np.array([c.year for c in ok_cars], float))[0]:+.2f}")


def run() -> None:
    cars = [c for c in tc.test_cars() if c.cls in fe.ICE_CLASSES]
    err = mr._lofo_errors(cars)
    feat = features(cars)
    correlations(cars, err, feat)
    groups(cars, err)
    cold_start(cars, feat)


if __name__ == "__main__":
    run()
