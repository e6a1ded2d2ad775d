"""Trial (issue 13, task s42c, second step): the compression ratio in the ICE fit on top of
the grip-tyre rolling term (``benchmarks/grip_tyre_trial.py``).

    python benchmarks/grip_ratio_trial.py    # after grip_tyre_trial.py; ~20-40 min

The ratio in the ICE fit (``ratio_ship``'s joint arm: the EPA gasoline rows at their
published compression ratio, ``us_specs.csv``, else the US class default of the turbo
flag, plus the kei WLTC ICE rows at theirs, each kei model line weighted as the mean EPA
family; ``ice_fit_trials``) improved the (a) hold-out but broke the label from specs
because the road load from specs' optimism was no longer cancelled ("The joint ratio fit
re-judged again"). Here the joint arm runs with the grip-tyre term's road load (each
family's ``(c0, c1, k)`` refit of ``grip_tyre_trial``'s (e) hold-out) through the same
footing as ``label_split`` (``_specs_holdout(lofo, volumes=False)``) and is judged by the
ship rule of docs/validation.md, "The road load of the overshooting families from specs"
(clauses 1-6, 3 applying), against the shipped ICE fit with the shipped road load.

Result (7 Dec 2026, the first run): tried, not shipped: (a) FTP 5.46 -> 5.13 %, HWFET
4.11 -> 3.86 %, but the manual HWFET row 4.04 -> 4.61 % (clause 3) and the label from
specs 5.58 % (+1.13 %) against 5.46 % (-0.57 %) with the grip term alone (clause 1).

Measured: the (a) gasoline FTP / HWFET held out by family (probe footing: one
Gauss-Newton step per family from the grid fits) by class; the label combined from specs
of the labelled gasoline configurations; the kei WLTC ICE rows (the joint all-data fit,
the candidate's all-data ``c0``, ``c1``); the absent stand-in's gasoline rows (the joint
all-data ICE constants held, the candidate's road load written into the design).
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import grip_tyre_trial as gt
import numpy as np

RESULT = Path(__file__).resolve().parent / "results" / "grip_ratio_trial.json"
CLASSES = ("cvt", "automatic", "dct", "manual")


def _a_by_class(cars: list, lofo) -> dict:
    """(a) FTP / HWFET held out: (MAE, bias, n) over all and by class."""
    from keidesign.validation import fueleconomy as fe

    out = {}
    for t in fe.TESTS:
        e = lofo.error(t)
        out[t] = {"all": gt._mb(e)}
        for k in CLASSES:
            m = np.array([c.cls == k for c in cars])
            out[t][k] = gt._mb(e[m])
    return out


def _chain(cars: list, ho, p_all, fits) -> dict:
    """Label combined from specs with hold-out ``ho`` and the grip-tyre road load."""
    import validation_probes as vp

    from keidesign.validation import specsonly as so

    rows = []
    for car, lab, _, h, _ in gt.labelled_with_grip(cars, ho, p_all, fits):
        o = so.predict(car, h).outputs
        rows.append({"family": car.family, "cls": car.cls, "err": vp._label_comb(
            o["energy:ftp_mpg"], o["energy:hwfet_mpg"], car.year, "fueleconomy.gov")
            / lab.comb - 1.0})
    return {"label": gt._mb(r["err"] for r in rows),
            "by_class": {k: gt._mb(r["err"] for r in rows if r["cls"] == k)
                         for k in CLASSES}, "rows": rows}


def main() -> dict:
    import ice_fit_trials as ift
    import validation_probes as vp

    from keidesign.energy import calibration as cal
    from keidesign.energy import constants as kc
    from keidesign.validation import fueleconomy as fe

    grip = json.loads(gt.RESULT.read_text(encoding="utf-8"))["e"]["candidate"]
    p_all = np.array(grip["p"])
    fits = {f: np.array(q) for f, q in grip["fits"].items()}
    res: dict = {}
    with ift.active():
        cars, kei = vp._ratio_data()
        # the shipped arm on label_split's footing (the (a) baseline of the rule)
        _, lofo_s, _ = vp._gasoline_holdout()
        res["shipped_a"] = _a_by_class(lofo_s.cars, lofo_s)
        print("shipped (a)", json.dumps(res["shipped_a"]), flush=True)
        c = ift.joint_constants()
        ks = fe.KeiSet(kei, ift.joint_weights(cars, kei, "epa_family"))
        g = fe.ice_grid(cars, c, vp.RATIO_GRID, kei=ks, names=cal.FIT_NAMES)
        lofo = fe.ice_lofo(cars, c, g, exact=False, kei=ks)
        fit = fe.best_fit(g)
        res["joint_a"] = _a_by_class(lofo.cars, lofo)
        print("joint (a)", json.dumps(res["joint_a"]), flush=True)
        ice = vp._candidate_ice(c, fit)
        stored = {**cal._stored_fit(), "ice": ice}
        with kc.held(ice=ice), mock.patch.object(cal, "_stored_fit", lambda s=stored: s):
            e = vp._kei_wltc_with(float(p_all[0]), float(p_all[1]), False)
            res["kei"] = gt._mb(e)
            print("joint + grip kei WLTC", res["kei"], flush=True)
            res["absent"] = {k: v for k, v in gt.absent_part(p_all).items()
                             if k != "rows"}
        ho = vp._specs_holdout(lofo, volumes=False)
        res["chain"] = _chain(cars, ho, p_all, fits)
        print("joint + grip label", res["chain"]["label"], res["chain"]["by_class"],
              flush=True)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(res), encoding="utf-8")
    return res


if __name__ == "__main__":
    main()
