"""Trial (issue 13, task s43b): a throttling (pumping) term at light load for the ICE.

    python benchmarks/throttle_trial.py             # ~20-40 min on the shared machine
    python benchmarks/throttle_trial.py --no-chain  # (a), kei and map shape only (~10 min)
    python benchmarks/throttle_trial.py --fixed 0.65  # variant B: k_p fixed, not fitted

Why: the kei WLTC check's ICE rows are optimistic (MAE 5.2 %, bias +3.3 %), most in the
low phase (published phases low +23 / medium +15 / high +5 %, probe ``kei_wltc_phases``);
at those operating points NREL ADVISOR's Geo Metro 1.0 L map burns +20 / +10 / +3 % more
than the shipped Willans line, and the stored maps' own straight lines have a zero-load
intercept of 1.4-2.4 bar and a marginal efficiency of 0.40-0.44 where the model has
1.1-1.4 bar and 0.40 (``engine_maps``).

Candidate (its ship rule in docs/validation.md, "A throttling (pumping) term at light
load", committed before the first run): the pumping work of a throttled spark-ignition
engine, ``PMEP = p_amb - p_man`` (Heywood, *Internal Combustion Engine Fundamentals*,
1988, ch. 13; Guzzella & Sciarretta, *Vehicle Propulsion Systems*, 2013, ch. 3), with the
manifold pressure about proportional to the charge per cycle, which reaches ambient at the
naturally-aspirated full load; to first order in the load::

    P_pump = k_p p_amb V_d w / (4 pi) q,   q = clip(1 - (P_b + P_0) / (P_NA + P_0), 0, 1)
    P_fuel = s(P_b + P_0 + P_pump) / e                                           [W]

``p_amb`` = :data:`P_AMB` (Pa), ``V_d`` the swept volume (m^3: pumping work scales with
it, not with the friction term's ``V_eff``), ``w`` engine speed (rad/s), ``P_b`` the brake
power and ``P_0`` the Willans friction power of :func:`keidesign.energy.powertrains.
willans_loads` (W), ``P_NA`` the naturally-aspirated full-load power at ``w`` (W: the
full-load curve, :func:`keidesign.energy.powertrains.available_power`, capped for a turbo
engine at its NA torque capacity :func:`keidesign.energy.powertrains.na_torque` times
``w``; above it a turbo engine is boosted, unthrottled, ``q`` = 0), ``k_p`` (``k_pump``,
fitted, 0-1.5, :data:`K_PUMP_TRIAL`) the share of the ambient pressure the throttle takes
at zero load (a warm idle's manifold at 0.3-0.4 bar: about 0.6-0.7, status R). The clip is
smooth (:func:`geometry.ad.spos`, width :data:`Q_EPS`). At a given speed it rotates the
Willans line: ``k_p p_amb`` more at zero load, a higher marginal efficiency (``e / (1 - k_p
p_amb / (p_NA + p_0))``), the shape of the maps' own lines (:func:`map_shape`).
Assumptions (A): a stoichiometric charge, the volumetric efficiency independent of load,
the standing (idle) fuel the shipped fitted term (its pumping inside it). Validity: SI
gasoline engines on the stepped, CVT and manual gearboxes of :func:`ice_cycle`; the hybrid
engines (:func:`keidesign.energy.powertrains.hev_cycle`) are outside the trial.

What is measured (the rule's clauses): (a) gasoline FTP / HWFET held out by family on the
probes' footing (``RATIO_GRID``, one Gauss-Newton step per family), by transmission class;
the kei WLTC check's ICE rows with the all-data fit (model path); the labelled gasoline
configurations from specs with each family's hold-out constants (``label_split``'s chain);
the absent stand-in's gasoline rows from specs (all-data constants). Results in
``benchmarks/results/throttle_trial.json`` and docs/validation.md.

Result (7 Dec 2026; tried, not shipped): fitted, ``k_p`` = 0.092 (the EPA rows do not want
the term), (a) FTP held out 5.46 -> 5.70 %, label from specs 5.73 -> 6.20 %; fixed at 0.65
(``--fixed 0.65``, variant B, 0 fitted constants), (a) FTP 5.46 -> 5.46 %, HWFET 4.11 ->
4.07 %, manual FTP 5.82 -> 5.92 % (clause 2 missed by 0.001 point), label from specs 5.73
-> 5.70 % (clause 1 wants 5.53), kei WLTC 5.24 (+3.32) -> 5.32 (+2.89) %, absent gasoline
8.23 -> 7.88 %; the Hijet trucks' low-phase optimism -5.5 to -6.2 points
(docs/validation.md, "A throttling (pumping) term at light load").

On MLIT's unseen kei lists (task s43g, ``--mlit RESULTS.json [--hev]``, s43b's stored fits,
no refit; its rule committed before the runs): unseen families from specs alone 10.90
(+8.45) -> A 10.80, B 10.10 (+7.41), B with the term in the mild hybrids' engines
(``--hev``: :func:`hev_throttle_law` in ``hev_cycle``'s mild layout) 9.92 % (+6.71 %),
short of the 1.0-point clause by 0.02; not shipped.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from geometry import ad as D  # noqa: E402
from keidesign.energy import calibration as cal  # noqa: E402
from keidesign.energy import powertrains as pt  # noqa: E402

#: Ambient pressure, Pa (standard atmosphere; the test cell's, 40 CFR 86.130: 68-86 F,
#: about sea level).
P_AMB = 101325.0
#: Smoothing width of the throttled share ``q`` (dimensionless).
Q_EPS = 0.02
#: Start and bounds of the fitted ``k_pump``.
K_PUMP_TRIAL = {"x0": 0.5, "lb": 0.0, "ub": 1.5}
#: The trial's ICE fit names: the shipped ones and ``k_pump``.
FIT_NAMES = (*cal.FIT_NAMES, "k_pump")
#: The shipped functions the wrappers call (taken at import, before any swap).
SHIPPED = SimpleNamespace(ice_cycle=pt.ice_cycle, fit_vectors=cal.fit_vectors,
                          hev_cycle=pt.hev_cycle)
#: Intervals sets on which :func:`hev_throttle_law` added the term (a reach count).
HEV_REACH = {"calls": 0}
RESULTS = Path(__file__).resolve().parent / "results" / "throttle_trial.json"


def throttled_share(pe: Any, p0: Any, p_na: Any) -> Any:
    """``q = clip(1 - (P_b + P_0) / (P_NA + P_0), 0, 1)``, smooth (module docstring)."""
    q = 1.0 - (pe + p0) / (p_na + p0)
    return D.smin(D.spos(q, Q_EPS), 1.0, Q_EPS)


def pumping_power(s: pt.IceIntervals, pe: Any, p0: Any) -> Any:
    """``P_pump`` (W, ``(n, T)``) of the module docstring on the kernel's intervals ``s``
    with brake power ``pe`` and friction power ``p0`` (W); 0 without ``c["k_pump"]``."""
    k = s.c.get("k_pump", 0.0)
    p_full = pt.available_power(s.w, s.x, s.turbo)
    p_na = D.smin(p_full, pt.na_torque(s.x, s.turbo) * s.w, s.c["eps_w"]) if s.turbo else p_full
    return k * P_AMB * s.x["vd"] * 1e-3 * s.w / (4.0 * np.pi) * throttled_share(pe, p0, p_na)


def throttle_loads(s: pt.IceIntervals, base: Callable = pt.willans_loads) -> tuple:
    """The load law of the trial: ``base``'s ``(P_b, P_0, P_stand)`` with the pumping
    power added to the friction power, ``P_0' = P_0 + P_pump`` (:func:`pumping_power`);
    the shipped law where ``c`` has no ``k_pump``."""
    pe, p0, stand = base(s)
    if not s.c.get("k_pump", 0.0):
        return pe, p0, stand
    return pe, p0 + pumping_power(s, pe, p0), stand


def ice_cycle(*args: Any, load_law: Callable[[pt.IceIntervals], tuple] = pt.willans_loads,
              **kw: Any) -> dict:
    """The shipped ICE cycle (its arguments as given) with :func:`throttle_loads` on top of
    ``load_law`` (through its ``load_law`` argument: no copy of the kernel); bit for bit
    the shipped cycle without ``c["k_pump"]``."""
    return SHIPPED.ice_cycle(*args, load_law=functools.partial(throttle_loads, base=load_law),
                             **kw)


def hev_throttle_law(s: pt.HevIntervals, base: Callable = pt.engine_off_law) -> tuple:
    """The engine law of :func:`keidesign.energy.powertrains.hev_cycle` with the pumping
    power of :func:`pumping_power` in a ``mild`` layout's running engine (task s43g: the
    kei mild hybrids' crankshaft-ISG engines are throttled spark-ignition engines like
    their non-hybrid twins'), then ``base``'s split::

        P_b     = e P_run - P_0                                                  (W)
        P_run'  = P_run + P_pump(P_b, P_0, w) / e                                (W)

    ``P_run = s(P_b + P_0) / e`` the kernel's running fuel power and ``P_0`` its friction
    power (:class:`keidesign.energy.powertrains.HevIntervals`), ``e`` the Willans
    efficiency; ``P_b`` read back from ``P_run`` is exact where ``P_b + P_0`` is well
    above the smooth positive part's width, which holds wherever the engine runs (its
    brake power includes the accessories, ``P_0 > 0``) (A). ``P_NA`` is the engine's
    own full-load curve (``x``'s ``p_r``, ``t_r``), not the combined rating. The
    ``full`` layout and a ``c_ice`` without ``k_pump`` keep ``base`` bit for bit (the
    full hybrids' Atkinson engines run less throttled, s43b). Validity: as
    :func:`pumping_power`; a trial law, not the product's."""
    k = s.c_ice.get("k_pump", 0.0)
    if not k or s.layout != "mild":
        return base(s)
    e = s.c_ice["e"]
    pe = s.p_run * e - s.p_0
    ice = SimpleNamespace(c=s.c_ice, w=s.w, x=s.x, turbo=s.turbo)
    HEV_REACH["calls"] += 1
    return base(dataclasses.replace(s, p_run=s.p_run + pumping_power(ice, pe, s.p_0) / e))


def hev_cycle(*args: Any, engine_law: Callable = pt.engine_off_law, **kw: Any) -> dict:
    """The shipped HEV cycle with :func:`hev_throttle_law` on top of ``engine_law``
    (through its ``engine_law`` argument: no copy of the kernel)."""
    return SHIPPED.hev_cycle(*args, engine_law=functools.partial(hev_throttle_law,
                                                                 base=engine_law), **kw)


def fit_vectors(names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Calibration's ``fit_vectors`` that also knows ``k_pump`` (:data:`K_PUMP_TRIAL`)."""
    rows = [tuple(K_PUMP_TRIAL[k] for k in ("x0", "lb", "ub")) if n == "k_pump"
            else tuple(float(v[0]) for v in SHIPPED.fit_vectors((n,))) for n in names]
    return tuple(np.array([r[i] for r in rows]) for i in range(3))


def check_effect() -> None:
    """Raise unless ``k_pump`` moves calibration's predicted FTP of the first EPA row (the
    swap reaches :func:`keidesign.energy.calibration.predict_ice`)."""
    from keidesign.energy import testcars as tc

    c, fit, _ = cal.stored_fits()
    car = next(car for car in tc.test_cars() if car.cls in cal.ICE_CLASSES)
    a = cal.predict_ice([car], c, fit)["ftp"][0]
    b = cal.predict_ice([car], c, {**fit, "k_pump": 1.0})["ftp"][0]
    if not b < a * (1.0 - 1e-3):
        raise RuntimeError(f"throttle trial does not reach predict_ice ({car.key}: "
                           f"{a:.4f} -> {b:.4f} mpg)")


@contextmanager
def active(hev: bool = False) -> Iterator[None]:
    """Kernel and calibration with the trial available (``c["k_pump"]``), for the
    ``with`` block, in the mild hybrids' engines too with ``hev`` (:func:`hev_cycle`);
    all undone on exit."""
    from transmission_trials import swapped_in

    pairs = ((SHIPPED.ice_cycle, ice_cycle), (SHIPPED.fit_vectors, fit_vectors),
             *(((SHIPPED.hev_cycle, hev_cycle),) if hev else ()))
    with swapped_in(pairs, check_effect):
        yield


def _mb(x: Any) -> tuple[float, float, int]:
    """(MAE %, bias %, n) of relative errors."""
    x = np.asarray(list(x), dtype=float)
    return (float(100 * np.mean(np.abs(x))), float(100 * np.mean(x)), int(x.size))


# ------------------------------------------------------------------------ map shape
def map_shape(fits: dict) -> dict:
    """The candidate's line against the stored maps (``engine_maps``): at 1500 / 2000 /
    2500 rpm for each map's swept volume, the fuel MEP of the candidate (``k_pump`` =
    ``k``) and of the shipped line (the all-data ``fits`` of :func:`a_part`) at the
    road-load points of ``engine_maps`` (2-15 kW), each as map / model - 1 (mean below
    and above 3 bar)."""
    import engine_maps as em

    c_ship, c_new = candidate_ice(fits["shipped"]), candidate_ice(fits["candidate"])
    k = float(fits["candidate"]["k_pump"])
    out = {}
    for name in em.VD:
        m = em.load_map(name)
        vd = em.VD[name]
        rows = []
        for rpm in em.SPEEDS:
            i = int(np.argmin(np.abs(m["rpm"] - rpm)))
            bmax = float(np.interp(rpm, m["rpm"], m["bmax"]))
            for kw in em.POWERS_KW:
                pb = kw * 1e3 * 4.0 * np.pi / (vd * 1e-3 * rpm * pt.RPM) / 1e5  # bar
                if pb >= 0.9 * bmax:
                    continue
                row = m["bmep"][i]
                ok = np.isfinite(m["pf"][i])
                if ok.sum() < 2 or not row[ok].min() <= pb <= row[ok].max():
                    continue
                pf_map = float(np.interp(pb, row[ok], m["pf"][i][ok]))
                f = {}
                for tag, cc in (("shipped", c_ship), ("candidate", c_new)):
                    p0 = ((cc["pme0_bar"] + cc["pme2_bar"] * (rpm / 1000.0) ** 2)
                          * vd ** cc["alpha"] / vd)
                    q = 0.0
                    if tag == "candidate":
                        q = float(np.clip(1.0 - (pb + p0) / (bmax + p0), 0.0, 1.0))
                    f[tag] = (pb + p0 + k * P_AMB / 1e5 * q * (tag == "candidate")) / cc["e"]
                rows.append({"rpm": rpm, "bmep": pb, **{t: pf_map / v - 1.0
                                                        for t, v in f.items()}})
        out[name] = {t: {"below3": _mb(r[t] for r in rows if r["bmep"] < 3.0),
                         "above3": _mb(r[t] for r in rows if r["bmep"] >= 3.0)}
                     for t in ("shipped", "candidate")}
        print(f"map {name}: map/model-1 below 3 bar / 3 bar and up: shipped "
              f"{out[name]['shipped']['below3'][1]:+.1f} / {out[name]['shipped']['above3'][1]:+.1f}"
              f" %, candidate {out[name]['candidate']['below3'][1]:+.1f} / "
              f"{out[name]['candidate']['above3'][1]:+.1f} %", flush=True)
    return out


# -------------------------------------------------------------------------- (a) lofo
def a_part(fixed: float | None = None) -> dict:
    """(a) gasoline FTP / HWFET held out by family on the probes' footing, shipped fit
    names and with ``k_pump`` (fitted, or ``fixed`` with the shipped names refitted:
    variant B); by transmission class. Returns the all-data fits and hold-outs too
    (``_lofo``)."""
    import validation_probes as vp

    from keidesign.energy import testcars as tc
    from keidesign.validation import fueleconomy as fe

    cars = [car for car in tc.test_cars() if car.cls in fe.ICE_CLASSES]
    cf = cal.fixed_constants()
    out: dict = {"_lofo": {}, "fits": {}}
    cand = ((cal.FIT_NAMES, {**cf, "ice": {**cf["ice"], "k_pump": fixed}}) if fixed
            else (FIT_NAMES, cf))
    for tag, (names, c) in (("shipped", (cal.FIT_NAMES, cf)), ("candidate", cand)):
        g = fe.ice_grid(cars, c, vp.RATIO_GRID, names=names)
        lofo = fe.ice_lofo(cars, c, g, exact=False)
        if tag == "candidate" and fixed:
            lofo.extra["fits"] = {f: {**x, "k_pump": fixed}
                                  for f, x in lofo.extra["fits"].items()}
        out["_lofo"][tag] = lofo
        out["fits"][tag] = {**fe.best_fit(g), **({"k_pump": fixed}
                                                  if tag == "candidate" and fixed else {})}
        cls = np.array([car.cls for car in cars])
        res = {}
        for t in ("ftp", "hwfet"):
            e = lofo.error(t)
            res[t] = _mb(e)
            for k in ("manual", "cvt", "automatic", "dct"):
                if (cls == k).any():
                    res[f"{t}_{k}"] = _mb(e[cls == k])
        out[tag] = res
        print(f"(a) {tag}: fit {vp._fit_text(out['fits'][tag])}", flush=True)
        print("  " + "; ".join(f"{k} {v[0]:.2f} ({v[1]:+.2f}) n={v[2]}"
                               for k, v in res.items()), flush=True)
    return out


def candidate_ice(fit: dict) -> dict:
    """The stored ``[ice]`` constants with the ICE fit ``fit`` in place."""
    ice = cal.ice_section(cal.load_constants()["ice"], fit)
    ice.pop("fit", None)
    return ice


@contextmanager
def held(fit: dict) -> Iterator[None]:
    """The model path and calibration's checks with the ``[ice]`` constants of ``fit``
    (:func:`keidesign.energy.constants.held`, and calibration's stored fit, which
    :func:`keidesign.energy.calibration.kei_wltc_check` reads), as the probes'
    ``_kei_model_checks``."""
    from unittest import mock

    from keidesign.energy import constants as kc

    ice = candidate_ice(fit)
    stored = {**cal._stored_fit(), "ice": ice}
    with kc.held(ice=ice), mock.patch.object(cal, "_stored_fit", lambda: stored):
        yield


def kei_part(fits: dict) -> dict:
    """The kei WLTC check's ICE rows (model path) with each all-data fit's ``[ice]``."""
    out = {}
    for tag, fit in fits.items():
        with held(fit):
            rows = [r for r in cal.kei_wltc_check() if r["unit"] == "km/L"]
        out[tag] = _mb(r["error"] for r in rows)
        out[tag + "_rows"] = [(r["model"], r["variant"], 100 * r["error"]) for r in rows]
        print(f"kei WLTC ICE {tag}: {np.round(out[tag], 2)}", flush=True)
        for m, v, e in out[tag + "_rows"]:
            print(f"  {m} {v}: {e:+.2f} %", flush=True)
    return out


def truck_phases(fits: dict) -> dict:
    """The kei trucks' WLTC cases with published phases (``kei_truck_wltc.py
    --phases``: model vs published low / medium / high) with each all-data fit's
    ``[ice]``: the lines of :func:`kei_truck_wltc.phases` by fit."""
    import kei_truck_wltc

    out = {}
    for tag, fit in fits.items():
        with held(fit):
            out[tag] = kei_truck_wltc.phases()
        print(f"kei truck WLTC phases, {tag}:\n{out[tag]}", flush=True)
    return out


def kei_phases(fits: dict) -> dict:
    """Every kei configuration the model runs with published WLTC phases
    (``kei_wltc_phases.py --published``: model vs published low / medium / high, the
    kei.csv rows and the truck cases) with each all-data fit's ``[ice]`` (a diagnostic,
    task s43f: the summary of :func:`kei_wltc_phases.phase_summary` by fit)."""
    import kei_wltc_phases

    out = {}
    for tag, fit in fits.items():
        print(f"kei WLTC phases, {tag}:", flush=True)
        with held(fit):
            out[tag] = kei_wltc_phases.report_published(kei_wltc_phases.published_rows())
    return out


#: The groups of :func:`mlit_summary` (name, test on a ``mlit_kei.run_all`` result).
MLIT_GROUPS = {
    "all": lambda x: True,
    "unseen": lambda x: x["case"]["family"]["in_kei_csv"] != "yes",
    "in kei.csv": lambda x: x["case"]["family"]["in_kei_csv"] == "yes",
    "NA": lambda x: not x["case"]["turbo"],
    "turbo": lambda x: x["case"]["turbo"],
    "CVT": lambda x: x["case"]["trans_class"] == "CVT",
    "other transmission": lambda x: x["case"]["trans_class"] != "CVT",
    "mild hybrid": lambda x: x["case"]["hybrid"],
    "no hybrid": lambda x: not x["case"]["hybrid"],
}


def mlit_summary(results: list[dict]) -> dict:
    """(MAE %, bias %, n) of ``mlit_kei.run_all``'s errors by :data:`MLIT_GROUPS`, on
    all rows and on the unseen families' (``"unseen, NA"`` ...), specs alone (``pred``)
    and at the published curb mass (``pub``), and the rows' errors (``rows``: index,
    family, err_pred, err_pub, %)."""
    out: dict = {"rows": [(x["case"]["index"], x["case"]["family"]["family"],
                           x["err_pred"], x["err_pub"]) for x in results]}
    unseen = MLIT_GROUPS["unseen"]
    for name, test in MLIT_GROUPS.items():
        for label, keep in ((name, test), (f"unseen, {name}", None)):
            if keep is None:
                if name in ("all", "unseen", "in kei.csv"):
                    continue
                keep = functools.partial(lambda t, x: t(x) and unseen(x), test)
            xs = [x for x in results if keep(x)]
            if xs:
                out[label] = {p: _mb(0.01 * x[f"err_{p}"] for x in xs) for p in ("pred", "pub")}
    return out


def bias_parts(results: list[dict]) -> dict:
    """``unseen_parts``' split of the specs-alone bias (points, mean over the set of each
    part: curb mass, the 4AT / 4WD / turbo twin steps, the base; they add up to the
    bias), for the unseen families, by body class (each class's points of the unseen
    bias), and for the in-data families (:func:`unseen_parts.budget`)."""
    import unseen_parts as up

    _, pp = up.budget(results)
    keys = ("mass", *up.ATTRS, "base")
    seen = {"unseen": [x for x in results if MLIT_GROUPS["unseen"](x)],
            "in kei.csv": [x for x in results if MLIT_GROUPS["in kei.csv"](x)]}
    out = {}
    for name, sub in seen.items():
        out[name] = {k: float(np.mean([pp[id(x)][k] for x in sub])) for k in keys}
    for body in up.BODIES:
        xs = [x for x in seen["unseen"] if up.body_class(x["case"]) == body]
        if xs:
            out[f"unseen, {body}"] = {k: sum(pp[id(x)][k] for x in xs) / len(seen["unseen"])
                                      for k in keys}
    return out


def mlit_part(fits: dict, tags: tuple[str, ...]) -> dict:
    """``mlit_kei``'s sampled MLIT configurations (specs alone and at the published curb
    mass, :func:`mlit_kei.run_all`) with each all-data fit's ``[ice]`` (task s43g; no
    constant fitted on them): :func:`mlit_summary` by fit tag."""
    import contextlib

    import mlit_kei

    out = {}
    for tag in tags:  # "stored": calibration.toml's constants as shipped (no ``held``)
        with held(fits[tag]) if tag != "stored" else contextlib.nullcontext():
            res = mlit_kei.run_all(quiet=True)
        out[tag] = {**mlit_summary(res), "parts": bias_parts(res)}
        for g in ("all", "unseen", "in kei.csv"):
            p, q = out[tag][g]["pred"], out[tag][g]["pub"]
            print(f"mlit_kei {tag} {g}: specs alone {p[0]:.2f} ({p[1]:+.2f}) n={p[2]}; "
                  f"published curb {q[0]:.2f} ({q[1]:+.2f})", flush=True)
    return out


def epa_hybrids(fits: dict) -> dict:
    """The EPA hybrid rows' FTP / HWFET (``predict_hev`` on their dynamometer settings,
    s43b's clause 5) with each all-data fit's ICE constants and the stored BEV fit: (MAE
    %, bias %, n) by test, all rows and the ``mild`` layout's (Honda IMA)."""
    from keidesign.energy import testcars as tc

    c, _, bev = cal.stored_fits()
    hyb = [car for car in tc.test_cars() if car.cls == "hybrid" and tc.hybrid_system(car)]
    systems = [tc.hybrid_system(car) for car in hyb]
    mild = np.array([h.layout == "mild" for h in systems])
    out = {}
    for tag, fit in fits.items():
        p = cal.predict_hev(hyb, c, fit, bev, systems)
        out[tag] = {}
        for t in ("ftp", "hwfet"):
            e = p[t] / np.array([car.tests[t] for car in hyb]) - 1.0
            out[tag][t] = _mb(e)
            out[tag][f"{t}_mild"] = _mb(e[mild])
        print(f"EPA hybrids {tag}: " + "; ".join(f"{k} {v[0]:.2f} ({v[1]:+.2f}) n={v[2]}"
                                                  for k, v in out[tag].items()), flush=True)
    return out


def chain_part(lofos: dict) -> dict:
    """The labelled gasoline configurations from specs with ``label_split``'s hold-out
    constants (each family's ICE fit of the hold-out ``lofos[tag]``, road load, mass):
    label combined error (fueleconomy.gov set), shipped and candidate."""
    import validation_probes as vp

    from keidesign.energy import testcars as tc
    from keidesign.validation import specsonly as so

    hos = {tag: vp._specs_holdout(lofo, volumes=False) for tag, lofo in lofos.items()}
    cars = lofos["shipped"].cars
    rows = []
    for car in so.cases(cars, hybrids=False):
        lab = tc.label_for(car)
        if lab is None:
            continue
        row = {"family": car.family, "cls": car.cls, "key": car.key}
        for tag, ho in hos.items():
            o = so.predict(car, ho).outputs
            row[tag] = vp._label_comb(o["energy:ftp_mpg"], o["energy:hwfet_mpg"], car.year,
                                      "fueleconomy.gov") / lab.comb - 1.0
        rows.append(row)
    out = {"rows": rows}
    for tag in hos:
        out[tag] = _mb(r[tag] for r in rows)
        out[tag + "_by_class"] = {k: _mb(r[tag] for r in rows if r["cls"] == k)
                                  for k in ("cvt", "automatic", "dct", "manual")}
        print(f"label from specs {tag}: {np.round(out[tag], 2)}; by class "
              f"{ {k: np.round(v, 2).tolist() for k, v in out[tag + '_by_class'].items()} }",
              flush=True)
    return out


def absent_part(fits: dict) -> dict:
    """The absent stand-in's gasoline rows from specs with each all-data fit's
    ``[ice]`` (label combined error, %)."""
    import absent_families as af
    import newuser
    from grip_tyre_trial import _label_err, absent_gasoline_specs

    out: dict = {"rows": []}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for r, spec in absent_gasoline_specs(base):
            pub = af.published(r, "combined")
            row = {"config": r["config"], "family": r["family"]}
            for tag, fit in fits.items():
                with held(fit):
                    res = newuser.run_spec(spec, base)
                if res.outputs:
                    row[tag] = _label_err(res.outputs, pub)
            if all(t in row for t in fits):
                out["rows"].append(row)
    for tag in fits:
        out[tag] = _mb(0.01 * r[tag] for r in out["rows"])
        print(f"absent gasoline {tag}: {np.round(out[tag], 2)}", flush=True)
    return out


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv[1:] if argv is None else argv
    if "--kei-phases" in argv:   # the fits of a stored run (its results JSON), no refit
        stored = json.loads(Path(argv[argv.index("--kei-phases") + 1]).read_text())
        with active(hev="--hev" in argv):   # --hev: the term in the mild hybrids too
            return kei_phases(stored["a"]["fits"])
    if "--mlit" in argv:   # task s43g: the fits of a stored run on MLIT's kei lists
        return mlit_main(argv)
    fixed = float(argv[argv.index("--fixed") + 1]) if "--fixed" in argv else None
    out: dict = {"fixed": fixed}
    with active():
        a = a_part(fixed)
        fits = a["fits"]
        out["a"] = {k: v for k, v in a.items() if k != "_lofo"}
        out["map_shape"] = map_shape(fits)
        out["kei"] = kei_part(fits)
        out["truck_phases"] = truck_phases(fits)
        _save(out)
        if "--no-chain" not in argv:
            out["chain"] = chain_part(a["_lofo"])
            _save(out)
            out["absent"] = absent_part(fits)
            _save(out)
    return out


def mlit_main(argv: list[str]) -> dict:
    """``--mlit FILE [--hev] [--tags shipped,candidate] [--out NAME]``: the stored fits of
    ``FILE`` (a results JSON of this trial, no refit; tag ``stored``: calibration.toml's
    constants, ``mlit_kei`` only) on ``mlit_kei`` (:func:`mlit_part`)
    and the kei WLTC check (:func:`kei_part`) and the EPA hybrids (:func:`epa_hybrids`),
    with the term in the mild hybrids' engines
    too with ``--hev``; written to ``benchmarks/results/throttle_mlit_<NAME>.json``."""
    stored = json.loads(Path(argv[argv.index("--mlit") + 1]).read_text())
    fits = stored["a"]["fits"]
    tags = (tuple(argv[argv.index("--tags") + 1].split(",")) if "--tags" in argv
            else tuple(fits))
    hev = "--hev" in argv
    name = argv[argv.index("--out") + 1] if "--out" in argv else "run"
    HEV_REACH["calls"] = 0
    with active(hev=hev):
        out = {"source": argv[argv.index("--mlit") + 1], "hev": hev,
               "fits": {t: fits[t] for t in tags if t != "stored"},
               "kei": kei_part({t: fits[t] for t in tags if t != "stored"}),
               "epa_hybrids": epa_hybrids({t: fits[t] for t in tags if t != "stored"}),
               "mlit": mlit_part(fits, tags)}
    out["hev_reach"] = HEV_REACH["calls"]
    if hev and "candidate" in tags and not HEV_REACH["calls"]:
        raise RuntimeError("--hev: the term never reached a mild hybrid's engine")
    path = RESULTS.with_name(f"throttle_mlit_{name}.json")
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(out, indent=1, default=lambda v: np.asarray(v).tolist()),
                    encoding="utf-8")
    return out


def _save(out: dict) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    path = RESULTS if out.get("fixed") is None else RESULTS.with_name(
        f"throttle_trial_fixed_{out['fixed']:g}.json")
    path.write_text(json.dumps(out, indent=1, default=lambda v: np.asarray(v).tolist()),
                       encoding="utf-8")


if __name__ == "__main__":
    main()
