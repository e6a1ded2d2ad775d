"""Trial (task s40e, tried, not shipped): the absent families' BEVs under the s32f pack
resistance from pack energy with the BEV constants refitted on every EPA EV row.

    python benchmarks/absent_bevs_pack_refit.py      # ~3 min

``ev_pack_trial.swapped(1.0)`` puts ``R = tau V^2 / E`` on the EPA rows (the published
pack energy where one joins, else the shipped 0.1 ohm) and on every BEV design (its
``powertrain:bev:battery_energy``); the five BEV constants are refitted on the 55 EPA EV
configurations under it (``calibration.fit_bev``) and put in place of the shipped ones
for the run; the seven rows of ``absent_bevs.rows()`` then run as
``absent_families.parts`` runs them (in-process, so the patches hold). Printed: the fit,
and per row and overall the label combined error (%) from specs, with the measured ETW,
coast-down and both; then the side checks under the same trial and refit: the kei EV
WLTC (:func:`keidesign.energy.calibration.kei_wltc_check`, whose ``VehicleSpec`` gets
its ``r_b`` from its pack energy here by hand: the check does not run through the
patched design path) and the EV range (f) (:func:`keidesign.validation.evrange.rows`).
The in-data side of the same trial is ``ev_bias_parts`` run inside
``ev_pack_trial.swapped(1.0)``. Numbers: docs/validation.md, "The absent families' BEVs
taken apart".
"""

from __future__ import annotations

import dataclasses
from unittest import mock

import absent_bevs
import absent_families
import ev_pack_trial

from keidesign.energy import calibration as cal
from keidesign.energy import constants as kc
from keidesign.energy import testcars as tc
from keidesign.validation import evrange


def main() -> list[dict]:
    c = cal.load_constants()
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    shipped = kc.bev_constants()
    with ev_pack_trial.swapped(1.0):
        f_all = cal.fit_bev(ev, c)
        print("trial all-EV fit " + ", ".join(f"{k} {v:.4g}" for k, v in f_all.items())
              + "; shipped " + ", ".join(f"{k} {shipped[k]:.4g}" for k in f_all))
        with mock.patch.object(kc, "bev_constants", lambda: {**shipped, **f_all}):
            res = absent_families.parts(absent_bevs.rows())
    for it in res:
        print(it["row"]["config"] + " | " + ", ".join(f"{k} {v:+.1f}"
                                                     for k, v in it["err"].items()))
    for k in ("specs", "both"):
        for name, sel in (("all", res), ("absent_families.csv three", res[:3])):
            x = [it["err"][k] for it in sel]
            print(f"{k}, {name}: MAE {sum(map(abs, x)) / len(x):.1f} "
                  f"(bias {sum(x) / len(x):+.1f})")
    side_checks(f_all)
    return res


def _kei(c: dict, trial: bool) -> list[tuple[str, float]]:
    orig = cal.kei_spec

    def spec(*a, **k):
        s = orig(*a, **k)
        if trial and s.kind == "bev":
            s = dataclasses.replace(s, r_b=ev_pack_trial.pack_resistance(
                s.v_oc, s.battery * 3.6e6))
        return s
    with mock.patch.object(cal, "kei_spec", spec):
        return [(r["model"], r["error"]) for r in cal.kei_wltc_check(c)
                if r["unit"] == "Wh/km"]


def side_checks(f_all: dict) -> None:
    """The kei EV WLTC and the EV range (f), shipped against the trial (refit ``f_all``)."""
    c0 = {**cal.fixed_constants(), **cal._stored_fit()}
    ck = {**c0, "bev": {**c0["bev"], **f_all}}
    for name, got in (("shipped", _kei(c0, False)), ("trial", _kei(ck, True))):
        print(f"kei EV WLTC, {name}: " + ", ".join(f"{m} {100 * e:+.1f} %" for m, e in got))
    base = evrange.rows()
    shipped = kc.bev_constants()
    with ev_pack_trial.swapped(1.0), \
            mock.patch.object(kc, "bev_constants", lambda: {**shipped, **f_all}):
        trial = evrange.rows()
    for name, rows in (("shipped", base), ("trial", trial)):
        print(f"EV range (f), {name}: " + evrange.markdown(rows).strip().splitlines()[-1])


if __name__ == "__main__":
    main()
