"""The two worst EPA EV rows' missing standing load, from published figures (issue 13,
s27g, 6 Dec 2026): the trial the probe ``python benchmarks/validation_probes.py
ev_standing`` runs (~8 min of its ~15; docs/validation.md, "the Bluecar's and the CODA's
missing standing load, from sources"; its ship rule was written there before the first
run). Trial (A) without its soak term ships (``powertrains.PACK_HEATER_KW``, since 6 Dec
2026); (B) and the soak term are not kept.

Both rows are optimistic on both cycles by a similar share (held out by family, FTP /
HWFET: 2013 CODA +38.2 / +29.5 %, 2016 Bluecar +28.1 / +24.2 %). SAE J1634's multi-cycle
test (40 CFR 600.116-12(a)) gives each cycle the AC energy of the one recharge after the
test in proportion to the cycle's DC energy, ``E_ac,cycle = E_dc,cycle x E_ac / UBE``
(UBE, usable battery energy, the DC energy of the driven phases only, 600.116-12(a)(8)),
so a load that runs while the car stands or charges multiplies both cycles alike.

**(A) Bluecar, the lithium-metal-polymer pack's standing draw, measured.** The shipped
model draws Bollore's 0.1-0.3 kW (the middle, 0.2 kW; "with the battery full", as
techno-car.fr reports it) while the car drives and charges. Three published measurements
of the parked, unplugged car (the heater is the only large load of a parked car) give
more: Auto Moto's test as reported by leblogauto.com ("Les batteries d'Autolib' se
dechargent sans rouler": parked full, empty 67 h later, about 1.5 % of the 30 kWh an
hour at 15 C outside: 30 / 67 = 0.45 kW), a driver's night (voituredufutur.blogspot.com,
Aug 2013: 65 % at 18 h, 45 % at 8 h: 0.2 x 30 / 14 = 0.43 kW) and voiturelectrique.eu's
long-term test ("elle perd 2 % par heure": 0.60 kW); Bollore itself says the car is empty
after two days unplugged (>= 0.56 kW on 27-30 kWh) [R, all secondary]. The trial takes
the median measurement, 0.45 kW at 15 C, and scales it to the J1634 test cell (20-30 C,
25 C) by Newton's cooling law, the loss of a pack held at 70 C (60-80 C, Bollore) being
``P = UA (T_pack - T_amb)``: 0.45 x (70 - 25) / (70 - 15) = **0.37 kW** [A: the parked
draw is all heater; its 12 V standby, tens of W, is not subtracted]. It runs while the
car drives and charges (as shipped) and, new, over the test's key-off soaks, when it
draws on the battery outside UBE: two 10-minute soaks are required (600.116-12(a)(2)(ii),
V; the optional soaks of up to 30 min and the wait before the recharge are not known, so
the lower bound is taken), so ``wall x (1 + P_heat t_soak / UBE)`` with UBE = 30 kWh
(the pack's published energy, ev_pack_chemistry.csv; usable share not published, A).
Sensitivities: 0.45 kW unscaled; 0.60 kW (the highest measurement).

**(B) CODA, the recharge energy after its EPA test, from the label.** With the multi-
cycle test, each cycle's range times its AC consumption is the recharge energy:
``R_c AC_c = (UBE / DC_c) (DC_c E_ac / UBE) = E_ac``, and the label range is 0.7 x (0.55
R_city + 0.45 R_hwy) (600.210-12), so ``E_ac = (range / 0.7) / (0.55 / AC_city + 0.45 /
AC_hwy)``: from the MY2012-13 label (88 mi; UCity / UHighway 110.3 / 97.0 MPGe =
305.6 / 347.5 Wh/mi; keidesign/data/epa, V) **E_ac = 40.6 kWh** (40.4-40.9 kWh over the
range's rounding); torquenews.com's "certified UDDS rating 133.6 miles" gives 133.6 x
305.6 = 40.8 kWh, the same (R). The pack holds 31.5 kWh usable (CODA's stated figure,
torquenews.com; 33.8 kWh total, 728 LiFePO4 cells at 333 V, pluginamerica.org; R), so the
car's whole recharge ratio ``E_ac / UBE`` = 40.6 / 31.5 = **1.289** (1.201 on the whole
33.8 kWh) against the model's ``(1 + (P_par + P_heat) / P_chg) / eta_c`` = 1.17 at its
6.6 kW charger (the 2021 Model Y's EPA certification ratio is 1.13, ev_charger_trial):
CODA's active battery thermal management ("smart active temperature management",
torquenews.com; "active temperature system", Coda's Phil Gow via autoblog.com, R) is the
likely consumer, but no figure of its power was found. The trial gives the CODA row that
measured ratio in place of the modelled one (a published datum of the car as an input,
not fitted); sensitivity at 1.201.

Equations (SI): ``E_wall = E_dc / eta_c x (1 + (P_par + P_heat) / P_chg) x (1 + P_heat
t_soak / UBE)`` (J), or ``E_wall = E_dc x r_rech`` where the car's recharge ratio
``r_rech`` is published. Validity: the SAE J1634 multi-cycle test (MY2012 on); the two
rows only (every other row unchanged).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import numpy as np

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt
from keidesign.energy import testcars as tc

#: Measured parked draws of the Bluecar (kW) and the temperatures of their scaling to the
#: J1634 cell (shipped since this trial: keidesign.energy.powertrains).
BLUECAR_PARKED_KW = pt.LMP_PARKED_KW
T_MEASURED_C, T_CELL_C = pt.LMP_PARKED_AMBIENT_C, pt.J1634_CELL_C
#: The MCT's required key-off soaks, two of 10 min (s), 40 CFR 600.116-12(a)(2)(ii).
T_SOAK_S = 2 * 600.0
#: Bluecar pack energy (J), taken as UBE [A: usable share not published].
BLUECAR_UBE_J = 30.0 * 3.6e6
#: CODA label (MY2012-13): range (mi), unadjusted city / highway MPGe; usable energy (kWh).
CODA_LABEL = (88.0, 110.3, 97.0)
CODA_USABLE_KWH = (31.5, 33.8)
KWH_PER_GAL = 33.705

SHIPPED_PARAMS = cal.epa_bev_params
#: The LMP heater before this trial (kW): the middle of Bollore's 0.1-0.3 kW.
BEFORE_LMP_KW = 0.2


def lmp_standing_kw(p_measured: float | None = None) -> float:
    """The LMP pack's standing draw at the J1634 cell (kW), :func:`keidesign.energy.
    powertrains.lmp_heater_kw`."""
    return pt.lmp_heater_kw(p_measured)


def coda_recharge_kwh() -> float:
    """AC recharge energy of the CODA's EPA test (kWh) from its label range and MPGe."""
    rng, city, hwy = CODA_LABEL
    ac_city, ac_hwy = KWH_PER_GAL / city, KWH_PER_GAL / hwy
    return rng / 0.7 / (0.55 / ac_city + 0.45 / ac_hwy)


def trial_params(heater_kw: float | None, coda_ratio: float | None, soak: bool = True):
    """:func:`keidesign.energy.calibration.epa_bev_params` with (A) the LMP rows' heater
    at ``heater_kw`` and its key-off soak term, (B) the CODA row's recharge ratio."""

    def params(cars: list, c: dict) -> dict:
        cc = c
        if heater_kw is not None:
            b = dict(c["bev"])
            b["pack_heater_kw"] = {**pt.PACK_HEATER_KW, "lmp": heater_kw}
            cc = {**c, "bev": b}
        x = SHIPPED_PARAMS(cars, cc)
        eta = np.array(x["eta_chg"], dtype=float)
        p_chg = np.array(x["p_chg"], dtype=float)
        for i, car in enumerate(cars):
            if heater_kw is not None and soak and getattr(car, "pack_chemistry", "") == "lmp":
                eta[i] /= 1.0 + heater_kw * 1e3 * T_SOAK_S / BLUECAR_UBE_J
            if coda_ratio is not None and car.family == "CODA":
                eta[i], p_chg[i] = 1.0 / coda_ratio, 1e15  # wall = dc x ratio
        x["eta_chg"], x["p_chg"] = eta, p_chg
        return x

    return params


@contextmanager
def swapped(heater_kw: float | None, coda_ratio: float | None,
            soak: bool = True) -> Iterator[None]:
    """The trial's inputs for the EPA rows (fit and prediction)."""
    with mock.patch.object(cal, "epa_bev_params", trial_params(heater_kw, coda_ratio, soak)):
        yield


def lofo(ev: list, c: dict) -> dict:
    """Held-out errors ``{ftp, hwfet}``, the five ``[bev]`` constants refitted without
    the family."""
    err = {t: np.zeros(len(ev)) for t in ("ftp", "hwfet")}
    for fam in sorted({car.family for car in ev}):
        idx = [i for i, car in enumerate(ev) if car.family == fam]
        fit = cal.fit_bev([car for car in ev if car.family != fam], c)
        p = cal.predict_bev([ev[i] for i in idx], c, fit)
        for t in err:
            err[t][idx] = p[t] / np.array([ev[i].tests[t] for i in idx]) - 1.0
    return err


def _mae(e: np.ndarray) -> float:
    return float(np.mean(np.abs(e)))


def verdict(base: dict, trial: dict) -> tuple[bool, str]:
    """The rule's first criteria: FTP MAE -0.1 point or better, HWFET not higher, no
    row's |error| worse by more than 0.5 point on either cycle."""
    d_ftp = _mae(trial["ftp"]) - _mae(base["ftp"])
    d_hw = _mae(trial["hwfet"]) - _mae(base["hwfet"])
    worst = max(float(np.max(np.abs(trial[t]) - np.abs(base[t]))) for t in base)
    ok = d_ftp <= -0.001 and d_hw <= 0.0 and worst <= 0.005
    return ok, (f"FTP {100 * d_ftp:+.2f}, HWFET {100 * d_hw:+.2f} point, worst row "
                f"{100 * worst:+.2f} point: " + ("passes" if ok else "fails"))


def main() -> None:
    """Print the inputs, the shipped and trial hold-outs, the two rows and the verdicts."""
    c = cal.load_constants()
    ev = [car for car in tc.test_cars() if car.cls == "ev"]
    e_ac = coda_recharge_kwh()
    ratios = [e_ac / u for u in CODA_USABLE_KWH]
    p_chg_coda = 6.6
    model_ratio = ((1.0 + c["bev"]["charge_parasitic_kw"] / p_chg_coda)
                   / c["bev"]["eta_charge"])
    p_lmp = lmp_standing_kw()
    print(f"(A) Bluecar parked draws {BLUECAR_PARKED_KW} kW, median at {T_MEASURED_C:g} C "
          f"-> {p_lmp:.3f} kW at {T_CELL_C:g} C (before {BEFORE_LMP_KW} kW, shipped "
          f"{pt.PACK_HEATER_KW['lmp']} kW); "
          f"soak term x{1 + p_lmp * 1e3 * T_SOAK_S / BLUECAR_UBE_J:.4f}")
    print(f"(B) CODA recharge energy from the label {e_ac:.2f} kWh (torquenews 133.6 mi x "
          f"{1e3 * KWH_PER_GAL / CODA_LABEL[1]:.1f} Wh/mi = "
          f"{133.6 * KWH_PER_GAL / CODA_LABEL[1]:.2f} kWh); ratio on 31.5 / 33.8 kWh "
          f"{ratios[0]:.3f} / {ratios[1]:.3f}; model {model_ratio:.3f} at 6.6 kW")
    rows = [i for i, car in enumerate(ev) if car.family in ("CODA", "BLUECAR")]
    with swapped(BEFORE_LMP_KW, None, soak=False):
        base = lofo(ev, c)
    print(f"   before (LMP {BEFORE_LMP_KW} kW, Bollore's middle): hold-out FTP "
          f"{100 * _mae(base['ftp']):.2f} % "
          f"({100 * np.mean(base['ftp']):+.2f} %), HWFET {100 * _mae(base['hwfet']):.2f} % "
          f"({100 * np.mean(base['hwfet']):+.2f} %)")
    trials = (("A: LMP standing draw + soaks", p_lmp, None, True),
              ("A: LMP standing draw, no soak term (shipped)", p_lmp, None, False),
              ("A: LMP 0.45 kW unscaled", 0.45, None, True),
              ("A: LMP 0.60 kW", 0.60, None, True),
              ("B: CODA recharge ratio", BEFORE_LMP_KW, ratios[0], False),
              ("B: CODA ratio on 33.8 kWh", BEFORE_LMP_KW, ratios[1], False),
              ("A (shipped) + B", p_lmp, ratios[0], False))
    for name, heat, ratio, soak in trials:
        with swapped(heat, ratio, soak):
            tr = lofo(ev, c)
            f_all = cal.fit_bev(ev, c)
        ok, text = verdict(base, tr)
        print(f"   {name}: hold-out FTP {100 * _mae(tr['ftp']):.2f} % "
              f"({100 * np.mean(tr['ftp']):+.2f} %), HWFET {100 * _mae(tr['hwfet']):.2f} % "
              f"({100 * np.mean(tr['hwfet']):+.2f} %); all-EV fit "
              + ", ".join(f"{k} {v:.4g}" for k, v in f_all.items()))
        for i in rows:
            car = ev[i]
            print(f"      {car.year} {car.family}: FTP {base['ftp'][i]:+.1%} -> "
                  f"{tr['ftp'][i]:+.1%}, HWFET {base['hwfet'][i]:+.1%} -> "
                  f"{tr['hwfet'][i]:+.1%}")
        moved = [(float(np.max(np.abs(tr[t][j]) - np.abs(base[t][j]))), ev[j].year,
                  ev[j].family, t) for j in range(len(ev)) for t in ("ftp", "hwfet")]
        d, y, fam, t = max(moved)
        print(f"      row worsened most: {y} {fam} {t} {100 * d:+.2f} point; rule: {text}")


if __name__ == "__main__":
    main()
