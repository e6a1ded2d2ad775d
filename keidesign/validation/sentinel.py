"""The model sentinel: a few fast, deterministic evaluations per discipline (issue 13).

The slow generated blocks of the docs (``benchmarks/validation.py`` 35-60 min, the kei
lists, the studies, the certified-car crash outcomes, ...) cannot be rerun by the tests.
Each records, when its script writes it or finds it current, the values below for the
disciplines it depends on (:mod:`keidesign.validation.block_stamps`);
``tests/test_docs_stamps.py`` recomputes them and fails for every block whose recorded
values differ, naming the command to rerun. A refit, a changed equation or a changed data
row that moves any of these numbers so makes the tests fail until the blocks are rerun.

What is evaluated (the shipped constants and data, no refit), per discipline:

``energy``
    FTP and HWFET (mpg, or kWh/100 mi for the EV) of the first EPA test row of each
    class (:func:`keidesign.energy.testcars.test_cars` order): a CVT, a torque-converter
    automatic, a manual, a DCT (:func:`keidesign.energy.calibration.predict_ice`), an EV
    (``predict_bev``) and a full hybrid (``predict_hev``), the paths of the validation's
    section (a); the WLTC of the kei catalogue rows (``kei_wltc_check``: CVT, turbo, mild
    hybrid, BEV); and the energy outputs (FTP, HWFET, WLTC, road load F0 F1 F2, label)
    and 0-60 mph time of three ``import --predict`` chains, a kei (kei.csv's Honda N-Box,
    ``import vehicle``), a US car and an EV (the first EPA CVT and EV rows, ``import
    epa``), the path of the specs-only and 0-60 sections and of
    ``benchmarks/mlit_kei.py``.
``mass``
    The predicted curb mass (kg) of the same two imports and of the first EPA EV row's
    (the battery mass path).
``crash``
    The full-width frontal pulse (crush needed, peak, mean and ESW deceleration, OLC,
    duration, dash intrusion), the occupant responses and NCAP stars, and the side and
    pole forces and crush of two US-certified cars under the ``fmvss`` pack (the first
    us_specs generation and the Mitsubishi i-MiEV, a kei body), the path of
    ``benchmarks/crash_outcomes.py`` and the crash probes.
``roof``
    The roof strength (kN), strength-to-weight ratio and roof structure mass of the same
    two cars (the roof checks of the crash outcomes).
``design``
    The base designs of the ready studies (studies/designs/ nbox_class, sakura_class,
    carry_class) evaluated with their own rule packs: price, curb, label, WLTC, crush and
    body outputs; every model a study couples (body, cost, energy, mass, crash).

Each value is a float (SI or the output's registered unit, as the model gives it); a
value that is not finite is kept as its text (``"nan"``). Time: 11-14 s in a fresh
process at a load of 6-10 on the 2-core machine of 8 Dec 2026 (imports ~3-4 s, energy
~4 s, the two certified cars ~4 s, the three designs ~2.5 s). Validity: says whether
the models give the numbers they gave when a block was stamped, not whether a block is
right; a change that moves none of these evaluations (a refit procedure alone, a data
row none of them reads) is not seen, which is why the evaluations span every class and
path the blocks use.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

#: the disciplines, in the order of the docstring
DISCIPLINES = ("energy", "mass", "crash", "roof", "design")

#: EPA test classes evaluated on their first row (every class of the validation's (a))
EPA_CLASSES = ("cvt", "automatic", "manual", "dct", "ev", "hybrid")
#: kei.csv's row of the kei ``import vehicle --predict`` chain (name, --index)
KEI_IMPORT = ("Honda N-Box", 0)
#: us_specs generations of the crash and roof evaluations (make model generation)
CRASH_CARS = (None, "MITSUBISHI I-MIEV")   # None: the first generation of us_specs.csv
#: the whole-design evaluations: the base designs of the ready studies (studies/*.toml),
#: each with its own packs
DESIGN_DIR = Path(__file__).resolve().parents[2] / "studies" / "designs"
DESIGN_FILES = ("nbox_class.toml", "sakura_class.toml", "carry_class.toml")
#: energy outputs kept of an ``import --predict`` chain
ENERGY_OUTPUTS = ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:wltc_km_per_l",
                  "energy:wltc_wh_per_km", "energy:road:f0", "energy:road:f1",
                  "energy:road:f2", "energy:label_comb_mpg", "energy:ftp_kwh_per_mi",
                  "perf:accel_0_60")
#: crash outputs kept of a certified car
CRASH_OUTPUTS = ("crash:front:crush_required", "crash:front:peak_decel",
                 "crash:front:mean_decel", "crash:front:esw_decel", "crash:front:olc",
                 "crash:front:pulse_duration", "crash:front:dash_intrusion",
                 "crash:front:chest_accel_3ms", "crash:front:occupant_hic15",
                 "crash:front:nij", "crash:ncap:frontal:relative_risk",
                 "crash:ncap:frontal:stars", "crash:ncap:side:relative_risk",
                 "crash:ncap:side:stars", "crash:side:force", "crash:side:pole:force",
                 "crash:side:mdb:crush_required", "crash:side:pole:crush_required",
                 "crash:rear:crush_required", "crash:rollover:ssf")
#: roof outputs kept of a certified car
ROOF_OUTPUTS = ("crash:roof:strength", "crash:roof:strength_to_weight",
                "crash:roof:structure_mass")
#: outputs kept of the whole design
DESIGN_OUTPUTS = ("cost:price", "mass:curb", "energy:label_comb_mpg",
                  "energy:wltc_km_per_l", "energy:ftp_mpg", "crash:front:crush_required",
                  "crash:front:peak_decel", "crash:roof:strength_to_weight",
                  "crash:side:force", "body:frontal_area")


def _value(x: Any) -> float | str:
    v = float(x)
    return v if math.isfinite(v) else str(v)


def _first(outputs: dict, key: str) -> float | str:
    import numpy as np

    return _value(np.ravel(outputs[key])[0])


@cache
def _epa_cars() -> dict[str, Any]:
    from keidesign.energy import testcars as tc

    out: dict[str, Any] = {}
    for car in tc.test_cars():
        if car.cls in EPA_CLASSES and car.cls not in out and (
                car.cls != "hybrid" or tc.hybrid_system(car) is not None):
            out[car.cls] = car
    return out


def _epa_energy() -> dict[str, float | str]:
    from keidesign.energy import calibration as cal
    from keidesign.energy import testcars as tc

    cars = _epa_cars()
    c, fit, bev = cal.stored_fits()
    out: dict[str, float | str] = {}
    ice = [cars[k] for k in EPA_CLASSES if k not in ("ev", "hybrid")]
    pred = cal.predict_ice(ice, c, fit)
    for i, car in enumerate(ice):
        for t in ("ftp", "hwfet"):
            out[f"epa {car.cls} {car.key} {t}"] = _value(pred[t][i])
    p = cal.predict_bev([cars["ev"]], c, bev)
    for t in ("ftp", "hwfet"):
        out[f"epa ev {cars['ev'].key} {t}"] = _value(p[t][0])
    h = cars["hybrid"]
    p = cal.predict_hev([h], c, fit, bev, [tc.hybrid_system(h)])
    for t in ("ftp", "hwfet"):
        out[f"epa hybrid {h.key} {t}"] = _value(p[t][0])
    for r in cal.kei_wltc_check():
        out[f"kei wltc {r['model']} {r['variant']} {r['unit']}"] = _value(r["predicted"])
    return out


@cache
def _imports() -> dict[str, dict]:
    """Outputs of the ``import --predict`` chains: the kei, the US car, the EV."""
    from keidesign.evaluation import evaluate_design, resolve_packs
    from keidesign.specs import sources
    from keidesign.specs.write import imported_design

    cars = _epa_cars()
    packs = resolve_packs(["epa-label", "cafe-2024"])
    out = {}
    name, index = KEI_IMPORT
    # energy and mass only: without the restraint rule's table (build_design)
    kei = imported_design(sources.vehicle_spec(name, file="kei", index=index),
                          f"<import vehicle {name}>", predict=True, restraint_rule=False)
    out[f"kei {name}"] = evaluate_design(kei, packs).outputs
    for cls in ("cvt", "ev"):
        car = cars[cls]
        design = imported_design(sources.epa_spec(car=car), f"<import epa {car.key}>",
                                 predict=True, restraint_rule=False)
        out[f"{cls} {car.key}"] = evaluate_design(design, packs).outputs
    return out


def _import_energy() -> dict[str, float | str]:
    return {f"import {name} {k}": _first(o, k) for name, o in _imports().items()
            for k in ENERGY_OUTPUTS if k in o}


def _import_mass() -> dict[str, float | str]:
    return {f"import {name} mass:curb": _first(o, "mass:curb")
            for name, o in _imports().items()}


@cache
def _certified() -> dict[str, dict]:
    """Outputs of the certified cars under the ``fmvss`` pack, as the crash outcomes
    evaluate them (:func:`keidesign.validation.crash._evaluate`)."""
    from keidesign.specs import sources
    from keidesign.validation import crash as cv

    rows = list(sources.vehicle_rows("us_specs"))
    out = {}
    for want in CRASH_CARS:
        vr = rows[0] if want is None else next(
            v for v in rows if cv.car_name(v.row).upper().startswith(want))
        name, _, ev = cv._evaluate(vr)
        out[name] = ev.outputs
    return out


def _crash(keys: Iterable[str]) -> dict[str, float | str]:
    return {f"{name} {k}": _first(o, k) for name, o in _certified().items() for k in keys}


def _design() -> dict[str, float | str]:
    from keidesign.design import load_design
    from keidesign.evaluation import design_packs, evaluate_design

    out: dict[str, float | str] = {}
    for name in DESIGN_FILES:
        design = load_design(DESIGN_DIR / name)
        o = evaluate_design(design, design_packs(design, [DESIGN_DIR])).outputs
        out.update({f"{name} {k}": _first(o, k) for k in DESIGN_OUTPUTS if k in o})
    return out


_MAKERS: dict[str, Callable[[], dict[str, float | str]]] = {
    "energy": lambda: {**_epa_energy(), **_import_energy()},
    "mass": _import_mass,
    "crash": lambda: _crash(CRASH_OUTPUTS),
    "roof": lambda: _crash(ROOF_OUTPUTS),
    "design": _design,
}


def clear() -> None:
    """Forget the evaluations of this process (after a change of a model constant)."""
    for f in (_epa_cars, _imports, _certified):
        f.cache_clear()


def sentinel(disciplines: Iterable[str] = DISCIPLINES) -> dict[str, dict[str, float | str]]:
    """``{discipline: {evaluation: value}}`` for ``disciplines`` (each of
    :data:`DISCIPLINES`), computed now with the code and data in use (evaluations shared
    by two disciplines run once per process until :func:`clear`)."""
    wanted = list(disciplines)
    bad = [d for d in wanted if d not in _MAKERS]
    if bad:
        raise ValueError(f"discipline {bad[0]!r}: allowed: {', '.join(DISCIPLINES)}")
    return {d: _MAKERS[d]() for d in wanted}
