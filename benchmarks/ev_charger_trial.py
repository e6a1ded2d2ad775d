"""A published charging efficiency per EPA EV (issue 13, s26d, 5 Dec 2026): the trial
the probe ``python benchmarks/validation_probes.py ev_charger`` runs (~2 min), kept out
of the shipped calibration (docs/validation.md, "the worst rows audited, and a published
charging efficiency per car"; its ship rule was written there before the first run).

The shipped model gives every EPA EV row the assumed wall-to-battery (on-board charger)
efficiency ``eta_charge`` = 0.90 (``calibration.toml`` ``[bev]``; the largest assumed
term of the wall energy, 10-13 % of it: ``benchmarks/ev_losses.py`` part 2) and adds the
car's own load while it charges, ``1 + P_par / P_chg`` (:func:`keidesign.energy.
powertrains.charge_factor`, ``P_par`` fitted). The trial gives the configurations of the
families with a published measured on-board charging efficiency that figure instead
(:data:`PUBLISHED`), every other row 0.90, and refits the five ``[bev]`` constants
without each family (nothing fitted per car; a published figure is an input).

Equations (SI): wall energy ``E_wall = E_dc / eta_c x (1 + (P_par + P_heat) / P_chg)``
(J), ``eta_c`` per row from :data:`PUBLISHED` or 0.90 (-). Assumptions: the published
figure is the on-board charger's AC-to-battery efficiency at the car's level-2 rating
[A: the secondary source gives no current, voltage or phase count, and the cars are the
European versions]; the car's own charging load stays the fitted ``P_par``. Validity:
the figure's car and battery only (:data:`PUBLISHED` scopes each by model year and
model name).

Sources of :data:`PUBLISHED`: Marius Valle, Teknisk Ukeblad (tu.no), 27 Nov 2020, as
reported by autoevolution.com, "EVs Don't Rely Solely on Their Own Efficiency: Onboard
Chargers Also Count" (Aug 2021): VW e-Golf 90.13 %, Kia Soul 64 (kWh) 90.12 %, Hyundai
Kona 89.9 %, BMW i3 120 Ah 80.39 %, Tesla Model 3 Long Range 80.62 % (also Audi e-tron
55 89.8 % and Nissan Leaf e+ 80.7 %, not in the EPA rows) [R, secondary; the measuring
conditions not given]. Side check, no fit: Car and Driver, "EVs Explained: Charging
Losses" (via news.yahoo.com), from Tesla's EPA certification documents of the 2021 Model
Y: 87.868 kWh AC to add 77.702 kWh (Long Range, 0.884) and 92.213 kWh to add 81.052 kWh
(Performance, 0.879), level 2 at 240 V, 0-100 % [R]: the whole car's ratio, which the
model gives as ``eta_c / (1 + P_par / P_chg)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import testcars as tc

#: Published on-board charging efficiencies (-): ``(family, first MY, last MY, substring
#: of the EPA model name or "" for any, efficiency)``; scope [A] per row: the e-Golf's
#: 7.2 kW charger on every US year; the Soul's 64 kWh car is the 2020 row; the Kona's
#: 64 kWh car the 2019 row; the i3's 120 Ah battery the 2019 row; the Model 3 rows
#: whose EPA name says Long Range (with the 2020 "Long Range AWD Performance" rows, the
#: same battery and 11.5 kW charger; the 2021 "Performance AWD" row is not named).
PUBLISHED = (
    ("VOLKSWAGEN E-GOLF", 2015, 2019, "", 0.9013),
    ("KIA SOUL", 2020, 2021, "", 0.9012),
    ("HYUNDAI KONA", 2019, 2021, "", 0.899),
    ("BMW I3", 2019, 2021, "", 0.8039),
    ("TESLA MODEL 3", 2017, 2023, "long range", 0.8062),
)

#: The whole-car recharge ratios of the side check: (name, AC kWh, DC kWh, charger kW).
MODEL_Y_CERT = (("2021 Model Y Long Range", 87.868, 77.702, 11.5),
                ("2021 Model Y Performance", 92.213, 81.052, 11.5))

SHIPPED_PARAMS = cal.epa_bev_params


def published_eta(car: Any) -> float | None:
    """The :data:`PUBLISHED` efficiency of an EPA EV configuration, or None."""
    model = str(getattr(car, "model", "")).lower()
    for fam, y0, y1, sub, eta in PUBLISHED:
        if car.family == fam and y0 <= car.year <= y1 and sub in model:
            return eta
    return None


def params(cars: list, c: dict) -> dict:
    """:func:`keidesign.energy.calibration.epa_bev_params` with ``eta_chg`` per row."""
    x = SHIPPED_PARAMS(cars, c)
    eta = [published_eta(car) for car in cars]
    x["eta_chg"] = np.array([[e if e is not None else c["bev"]["eta_charge"]]
                             for e in eta])
    return x


@contextmanager
def swapped() -> Iterator[None]:
    """The trial's per-row efficiencies for the EPA rows (fit and prediction)."""
    with mock.patch.object(cal, "epa_bev_params", params):
        yield


def lofo(ev: list, c: dict) -> tuple[dict, dict]:
    """Held-out errors ``{ftp, hwfet}`` (five ``[bev]`` constants refitted without the
    family) and the fits by family."""
    err = {t: np.zeros(len(ev)) for t in ("ftp", "hwfet")}
    fits = {}
    for fam in sorted({car.family for car in ev}):
        idx = [i for i, car in enumerate(ev) if car.family == fam]
        fits[fam] = cal.fit_bev([car for car in ev if car.family != fam], c)
        p = cal.predict_bev([ev[i] for i in idx], c, fits[fam])
        for t in err:
            err[t][idx] = p[t] / np.array([ev[i].tests[t] for i in idx]) - 1.0
    return err, fits


def _mae(e: np.ndarray) -> str:
    return f"{np.mean(np.abs(e)):.2%} ({np.mean(e):+.2%})"


def main() -> None:
    """Print the shipped and trial hold-outs, the rows the trial moves, the rule's verdict
    on the first two criteria and the side check."""
    c = cal.load_constants()
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    rows = [i for i, car in enumerate(ev) if published_eta(car) is not None]
    fams = sorted({ev[i].family for i in rows})
    print(f"published charging efficiency: {len(rows)} of {len(ev)} configurations, "
          f"{len(fams)} families ({', '.join(fams)})")
    base, _ = lofo(ev, c)
    with swapped():
        trial, _ = lofo(ev, c)
        f_all = cal.fit_bev(ev, c)
    print("   all-EV fit (trial): " + ", ".join(f"{k} {v:.4g}" for k, v in f_all.items()))
    for name, e in (("shipped", base), ("trial", trial)):
        print(f"   {name}: hold-out FTP {_mae(e['ftp'])}, HWFET {_mae(e['hwfet'])}")
    for i in rows:
        car = ev[i]
        print(f"   {car.year} {car.family} {car.model} eta {published_eta(car):.4f}: FTP "
              f"{base['ftp'][i]:+.1%} -> {trial['ftp'][i]:+.1%}, HWFET "
              f"{base['hwfet'][i]:+.1%} -> {trial['hwfet'][i]:+.1%}")
    d_ftp = np.mean(np.abs(trial["ftp"])) - np.mean(np.abs(base["ftp"]))
    d_hw = np.mean(np.abs(trial["hwfet"])) - np.mean(np.abs(base["hwfet"]))
    ok = d_ftp <= -0.002 and d_hw <= 0.001 and len(fams) >= 5
    print(f"   rule (FTP -0.2 point or better, HWFET +0.1 point at most, >= 5 families): "
          f"FTP {100 * d_ftp:+.2f}, HWFET {100 * d_hw:+.2f} point: "
          + ("the later criteria to run" if ok else "fails; the later criteria not run"))
    p_par = c["bev"]["charge_parasitic_kw"]
    eta = c["bev"]["eta_charge"]
    for name, ac, dc, p_chg in MODEL_Y_CERT:
        model = eta / (1.0 + p_par / p_chg)
        print(f"   side check, {name}: published whole-car {dc / ac:.3f}, model "
              f"eta_charge / (1 + P_par / P_chg) = {eta:.2f} / (1 + {p_par:.3f} / "
              f"{p_chg}) = {model:.3f}")


if __name__ == "__main__":
    main()
