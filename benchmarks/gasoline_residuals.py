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
load power at 50 mph per test mass (W/kg) and its three terms per test weight (A / m g,
B v / m g, C v^2 / m g at 50 mph).

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

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc
from keidesign.energy.cycles import FTP_WEIGHTS
from keidesign.validation import fueleconomy as fe

MPH = 0.44704
G = 9.81  # m/s^2


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
        "A/(m g)": np.array([c.f0 for c in cars]) / (etw * G),
        "B v50/(m g)": np.array([c.f1 for c in cars]) * v50 / (etw * G),
        "C v50^2/(m g)": np.array([c.f2 for c in cars]) * v50 ** 2 / (etw * G),
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
    return f"{100 * np.mean(np.abs(e)):5.2f} ({100 * np.mean(e):+5.2f})"


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
    table("by drive", lambda c: c.drive)
    fam = np.array([c.family for c in cars])
    r_all, _ = _r(err["ftp"], err["hwfet"])
    r_in, _ = _r(_demean(err["ftp"], fam), _demean(err["hwfet"], fam))
    d = err["ftp"] - err["hwfet"]
    print(f"\nFTP vs HWFET error of one configuration: r {r_all:+.2f} (within families "
          f"{r_in:+.2f}); FTP - HWFET error mean {100 * d.mean():+.2f} points, sd "
          f"{100 * d.std():.2f}; MAE of the FTP with the HWFET error removed "
          f"{100 * np.mean(np.abs(d)):.2f} %")


def cold_start(cars: list, feat: dict) -> None:
    """Measured bag-1 minus bag-3 fuel (kWh; bag 1's distance, the model's LHV) against
    displacement: ``k V_d^b`` fitted in log space where positive."""
    d1 = cal.segments(cal.SEG_EPA).distance[0] / cal.METRES_PER_MILE
    lhv = cal.lhv_kwh_per_gal()
    vd, ex, ok_cars = [], [], []
    for c in cars:
        if not c.bags:
            continue
        b1, _, b3 = c.bags
        kwh = d1 * lhv * (1.0 / b1 - 1.0 / b3)
        vd.append(c.vd)
        ex.append(kwh)
        ok_cars.append(c)
    vd, ex = np.array(vd), np.array(ex)
    pos = ex > 0
    b, lk = np.polyfit(np.log(vd[pos]), np.log(ex[pos]), 1)
    print(f"\nCold-start excess (bag 1 - bag 3 measured fuel, kWh) on {len(vd)} "
          f"configurations with bags ({pos.sum()} positive): per litre mean "
          f"{np.mean(ex / vd):.3f} kWh/L (model k_cs "
          f"{mr._stored_ice()['cold_kwh_per_l']:.3f}); log-log fit "
          f"excess = {np.exp(lk):.3f} V_d^{b:.2f}; r(excess/L, displacement) "
          f"{_r(ex / vd, vd)[0]:+.2f}, r(excess/L, model year) "
          f"{_r(ex / vd, np.array([c.year for c in ok_cars], float))[0]:+.2f}")


def bags(cars: list, feat: dict) -> dict[str, float]:
    """Where the FTP error sits, in sample with the shipped constants, on the
    configurations with bag results: mean error and MAE per bag, and the FTP MAE if the
    model's cold-start excess (bag 1 - bag 3 fuel) were the measured one: the most any
    cold-start term (of displacement, thermal mass, model year, ...) could remove.
    Returns those MAEs (%)."""
    rows = [i for i, c in enumerate(cars) if c.bags]
    sub = [cars[i] for i in rows]
    pred = cal.predict_ice(sub, cal.fixed_constants(), mr._shipped_fit())
    meas = np.array([c.bags for c in sub])
    ftp_meas = np.array([c.tests["ftp"] for c in sub])
    e = {b: pred[b] / meas[:, k] - 1.0 for k, b in enumerate(("bag1", "bag2", "bag3"))}
    e["ftp"] = pred["ftp"] / ftp_meas - 1.0
    e["hwfet"] = pred["hwfet"] / np.array([c.tests["hwfet"] for c in sub]) - 1.0
    print(f"\nShipped constants, in sample, {len(sub)} configurations with bag results: "
          "MAE (bias) %")
    for b in ("bag1", "bag2", "bag3", "ftp", "hwfet"):
        print(f"  {b:6s} {_ms(e[b])}")
    d1, d2, _ = cal.segments(cal.SEG_EPA).distance / cal.METRES_PER_MILE
    w1, w2, w3 = FTP_WEIGHTS
    y = {b: (d1 if b != "bag2" else d2) / pred[b] for b in ("bag1", "bag2", "bag3")}
    ym = {b: (d1 if b != "bag2" else d2) / meas[:, k]
          for k, b in enumerate(("bag1", "bag2", "bag3"))}
    def ftp(y1: np.ndarray) -> np.ndarray:
        return (d1 + d2) / (w1 * y1 + w2 * y["bag2"] + w3 * y["bag3"])
    if not np.allclose(ftp(y["bag1"]), pred["ftp"], rtol=1e-9):
        raise AssertionError("the bag composite does not give the model's FTP")
    # the model's FTP with the measured cold excess in place of its own (gal)
    ftp_cold = ftp(y["bag3"] + (ym["bag1"] - ym["bag3"]))
    out = {"ftp": 100 * np.mean(np.abs(e["ftp"])),
           "ftp measured cold": 100 * np.mean(np.abs(ftp_cold / ftp_meas - 1.0))}
    print(f"  FTP with the measured cold-start excess instead of the model's: "
          f"{_ms(ftp_cold / ftp_meas - 1.0)} (the bound of any cold-start term)")
    # the displacement power law fitted on the same bags (least squares in log space)
    vd = np.array([c.vd for c in sub])
    ex_m = ym["bag1"] - ym["bag3"]
    pos = ex_m > 0
    b, lk = np.polyfit(np.log(vd[pos]), np.log(ex_m[pos]), 1)
    y_mod = y["bag1"] - y["bag3"]
    k_lin = float(vd @ ex_m / (vd @ vd))  # the shipped shape refitted on these rows
    for lab, ex in ((f"k V_d refit (k {k_lin:.4f} gal/L)", k_lin * vd),
                    (f"k V_d^b (b {b:.2f})", np.exp(lk) * vd ** b)):
        e_s = ftp(y["bag3"] + y_mod * 0.0 + ex) / ftp_meas - 1.0
        out[f"ftp {lab}"] = 100 * np.mean(np.abs(e_s))
        print(f"  FTP with the cold excess {lab}: {_ms(e_s)}")
    cold_err = (y["bag1"] - y["bag3"]) / (ym["bag1"] - ym["bag3"]) - 1.0
    print(f"  model cold excess / measured - 1: median {100 * np.median(cold_err):+.0f} %, "
          f"r with FTP error {_r(cold_err, e['ftp'])[0]:+.2f}")
    for k in ("displacement L", "model year", "turbo", "direct injection",
              "compression ratio (publ.)", "cylinders"):
        x = feat[k][rows]
        print(f"  r({k}): bag1-bag3 error {_r(e['bag1'] - e['bag3'], x)[0]:+.2f}, "
              f"bag 2 {_r(e['bag2'], x)[0]:+.2f}, bag 3 {_r(e['bag3'], x)[0]:+.2f}")
    return out


def bounds(err: dict, feat: dict) -> dict[str, tuple[float, float]]:
    """Screen: the FTP / HWFET MAE (%) left once each variable's least-squares line is
    removed from the hold-out error, in sample (two constants; for a flag, the mean of
    the rows with and without it): an optimistic bound of what one term in that
    variable could do (rows without the variable keep their error)."""
    out = {}
    print("\nMAE (%) left with each variable's line removed, in sample (FTP / HWFET; "
          f"base {100 * np.mean(np.abs(err['ftp'])):.2f} / "
          f"{100 * np.mean(np.abs(err['hwfet'])):.2f}), slope in points per unit:")
    for k, x in feat.items():
        ok = np.isfinite(x)
        cells = []
        for t in fe.TESTS:
            a = np.c_[np.ones(ok.sum()), x[ok]]
            coef = np.linalg.lstsq(a, err[t][ok], rcond=None)[0]
            e = err[t].copy()
            e[ok] = err[t][ok] - a @ coef
            cells.append((100 * np.mean(np.abs(e)), 100 * coef[1]))
        out[k] = (cells[0][0], cells[1][0])
        print(f"  {k:28s} {cells[0][0]:5.2f} ({cells[0][1]:+.3f}) / "
              f"{cells[1][0]:5.2f} ({cells[1][1]:+.3f})")
    return out


def ratio_and_year(err: dict, feat: dict) -> None:
    """Does the model year carry anything once the published compression ratio is in?
    Least squares of the error on (1, ratio, year - 2016) over the rows with a ratio;
    and the fuel-air cycle's own gain per unit ratio at 11 (the shipped import's
    :func:`~keidesign.energy.powertrains.compression_efficiency`)."""
    cr, yr = feat["compression ratio (publ.)"], feat["model year"]
    ok = np.isfinite(cr)
    for t in fe.TESTS:
        a = np.c_[np.ones(ok.sum()), cr[ok], yr[ok] - 2016.0]
        c3 = np.linalg.lstsq(a, err[t][ok], rcond=None)[0]
        c2 = np.linalg.lstsq(a[:, :2], err[t][ok], rcond=None)[0]
        print(f"  {t}: ratio alone {100 * c2[1]:+.2f} points per unit; with the year "
              f"{100 * c3[1]:+.2f} per unit and {100 * c3[2]:+.2f} per year (n {ok.sum()})")
    g = pt.compression_efficiency(11.5, False) / pt.compression_efficiency(10.5, False) - 1.0
    print(f"  the fuel-air cycle's gain 10.5 -> 11.5: {100 * g:+.2f} % efficiency "
          "(a model at the reference ratio errs by about minus that per unit)")
    for y0, y1 in ((2011, 2013), (2014, 2016), (2017, 2019), (2020, 2023)):
        m = ok & (yr >= y0) & (yr <= y1)
        print(f"  MY{y0}-{y1}: mean published ratio {np.mean(cr[m]):.2f} (n {m.sum()})")


def partials(err: dict, feat: dict) -> dict[str, tuple[float, float]]:
    """Pearson r of the error with each variable once the published compression ratio's
    line is removed from both (rows with a ratio): what is left for a term besides the
    ratio. Returns ``{variable: (FTP r, HWFET r)}``."""
    cr = feat["compression ratio (publ.)"]
    out = {}
    print("\nPartial r given the published compression ratio (FTP / HWFET; r with the "
          "ratio):")
    for k, x in feat.items():
        if k == "compression ratio (publ.)":
            continue
        m = np.isfinite(cr) & np.isfinite(x)
        a = np.c_[np.ones(m.sum()), cr[m]]

        def res(y: np.ndarray, a: np.ndarray = a) -> np.ndarray:
            return y - a @ np.linalg.lstsq(a, y, rcond=None)[0]
        r = tuple(_r(res(x[m]), res(err[t][m]))[0] for t in fe.TESTS)
        out[k] = r
        print(f"  {k:28s} {r[0]:+.2f} / {r[1]:+.2f} (n {m.sum()}; "
              f"{_r(x[m], cr[m])[0]:+.2f})")
    return out


def run() -> None:
    cars = [c for c in tc.test_cars() if c.cls in fe.ICE_CLASSES]
    err = mr._lofo_errors(cars)
    feat = features(cars)
    correlations(cars, err, feat)
    groups(cars, err)
    cold_start(cars, feat)
    bounds(err, feat)
    print("\nCompression ratio and model year:")
    ratio_and_year(err, feat)
    partials(err, feat)
    bags(cars, feat)


if __name__ == "__main__":
    run()
