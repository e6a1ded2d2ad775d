"""An induction machine's loss from measured motor + inverter maps, by machine type, in
place of the fitted ``c_mag`` (issue 13, 5 Dec 2026, tried, not kept): the trial the
probe ``python benchmarks/validation_probes.py ev_cmag_drop`` swaps into
:func:`keidesign.energy.powertrains.motor_loss`; docs/validation.md, ``ev_cmag_drop``.

**The question.** The shipped map's induction term ``c_mag i`` is fitted at its bound
(0.05) on the only two single-motor induction families of the EPA rows (RAV4 EV 2012,
B-class 2014-2017): a correction that two families inform. A term applied by machine
type must come from measured machines, not from those two cars.

**The data.** Thirteen measured motor + inverter efficiency maps of NREL's ADVISOR 2003
data files (``keidesign/data/energy/motor_maps/``, README there): six induction drives
(Westinghouse 75 kW, Lester et al. 1993; GE 83 kW tested by Virginia Tech 1997; two
drives of 59 and 62 kW tested at RWTH Aachen, Menne et al., EVS-15 1998; Siemens 30 kW;
Solectria 25 kW) and seven permanent-magnet drives (UQM SR218N, Honda 49 kW, Aachen 58
kW, Mannesmann Sachs 25 kW, Siemens 33 kW, Leroy-Somer/SAGEM 16 kW, Auxilec Thomson
32 kW); status V for the numbers (read in the files), R for the measurements behind
them (ADVISOR's transcriptions of the cited papers and sheets).

**The comparison, per unit** (as :func:`~keidesign.energy.powertrains.motor_loss` is):
each map's loss ``L = P (1/eta - 1)`` (W, at shaft power ``P = T w > 0``) over its rated
power ``P_r`` (the largest ``T_max(w) w`` x the file's over-torque factor: its peak),
at the per-unit speed ``s = w / w_b`` (``w_b = P_r / T_r``, ``T_r`` the peak torque) and
torque ``tau = T / T_r`` of the grid :data:`GRID_S` x :data:`GRID_TAU` (the cycles'
light-load region; interpolated inside each map's measured cells and envelope, no
extrapolation). At each point the median ``L / P_r`` of the induction maps over that of
the permanent-magnet maps; :func:`induction_ratio` is the geometric mean of those
ratios over the points both types cover (written before the EPA run): **1.16**. The
induction drives' extra loss is not a constant: their zero-torque intercept (the lowest
three torque cells at each speed of ``s`` 0.4-1.3, extrapolated linearly to ``tau`` 0)
is 0.43 % of ``P_r`` (median of the four that reach low torque) against 0.80 % for the
five permanent-magnet maps that do (:func:`zero_torque_losses`): the maps resolve no
magnetising (zero-torque) excess, so the source gives ``c_mag`` = 0 (trial (a)); what
they give is a loss larger by about a sixth at light load, a multiplier of the map.

**The trial.** ``P_loss = [1 + (f_im - 1) i] x`` the shipped map with ``c_mag`` = 0,
``f_im`` = :func:`induction_ratio` for every induction machine (``i`` = 1: the
``motor_type`` of ev_motors.csv and of the design file, ``powertrain:bev:motor_type``),
the BEV constants refitted. Assumptions (A): the 1990s drives' type-to-type ratio holds
for 2012-2023 traction drives (both types have improved since); one ratio for the
whole light-load region (the medians' ratio runs 0.7-1.4 over the grid); the maps'
two-digit efficiencies (a 0.5 point rounding is 5-25 % of the loss at light load).
Validity: what the maps cover, 16-134 kW drives, down to their lowest measured torque
cell (4-14 % of the peak torque; at 5 % one induction map, Siemens 30 kW, and two
permanent-magnet maps): on the cycles the two induction cars run at a median 5-7 % of
their peak torque, 38-45 % of the moving time below 5 %, so the maps cannot settle the
loss where ``c_mag`` acts.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any
from unittest import mock

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt

#: Per-unit speeds and torques of the comparison (written before the EPA run).
GRID_S = (0.25, 0.5, 0.75, 1.0, 1.25)
GRID_TAU = (0.05, 0.1, 0.15, 0.2, 0.3)


def _rows(name: str) -> list[dict]:
    ref = resources.files("keidesign").joinpath("data", "energy", "motor_maps", name)
    with ref.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def maps() -> dict[str, dict[str, Any]]:
    """``{map: {"machine", "description", "speed" (rad/s), "torque" (N m), "eta" (speed x
    torque), "t_max" (N m at "speed"), "overtorque"}}`` of motor_maps/maps.csv."""
    out = {}
    for r in _rows("maps.csv"):
        cells = _rows(f"{r['map']}.csv")
        spd = np.array(sorted({float(c["speed_rad_s"]) for c in cells}))
        trq = np.array(sorted({float(c["torque_nm"]) for c in cells}))
        eta = np.full((len(spd), len(trq)), np.nan)
        for c in cells:
            eta[np.searchsorted(spd, float(c["speed_rad_s"])),
                np.searchsorted(trq, float(c["torque_nm"]))] = float(c["efficiency"])
        env = {float(c["speed_rad_s"]): float(c["max_torque_nm"])
               for c in _rows(f"{r['map']}_max_torque.csv")}
        env_w = np.array(sorted(env))
        out[r["map"]] = {"machine": r["machine"], "description": r["description"],
                         "speed": spd, "torque": trq, "eta": eta,
                         "env_w": env_w, "env_t": np.array([env[w] for w in env_w]),
                         "overtorque": float(r["overtorque_factor"])}
    return out


def rated(m: dict) -> tuple[float, float]:
    """``(P_r W, T_r N m)``: the map's peak power and torque (envelope x over-torque)."""
    k = m["overtorque"]
    return float(np.max(m["env_w"] * m["env_t"])) * k, float(np.max(m["env_t"])) * k


def per_unit_loss(m: dict, s: float, tau: float) -> float:
    """``L / P_r`` at per-unit speed ``s`` and torque ``tau``, interpolated in the map's
    measured cells (nan outside them or above the envelope)."""
    p_r, t_r = rated(m)
    w, t = s * p_r / t_r, tau * t_r
    spd, trq = m["speed"], m["torque"]
    if not (spd[0] <= w <= spd[-1] and trq[0] <= t <= trq[-1]):
        return float("nan")
    if t > np.interp(w, m["env_w"], m["env_t"]) * 1.001:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = np.where((m["eta"] > 0.3) & (m["eta"] < 1.0),
                        np.outer(spd, trq) * (1.0 / m["eta"] - 1.0), np.nan)
    return float(RegularGridInterpolator((spd, trq), loss)([[w, t]])[0]) / p_r


def loss_grids() -> dict[str, np.ndarray]:
    """Per machine type, ``(n_maps, len(GRID_S), len(GRID_TAU))`` of ``L / P_r``."""
    out: dict[str, list] = {"induction": [], "pmsm": []}
    for m in maps().values():
        out[m["machine"]].append([[per_unit_loss(m, s, t) for t in GRID_TAU]
                                  for s in GRID_S])
    return {k: np.array(v) for k, v in out.items()}


def induction_ratio() -> float:
    """Geometric mean over the grid of the induction maps' median ``L / P_r`` over the
    permanent-magnet maps' (points both types cover)."""
    g = loss_grids()
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            r = np.nanmedian(g["induction"], 0) / np.nanmedian(g["pmsm"], 0)
    return float(np.exp(np.nanmean(np.log(r))))


def zero_torque_losses(s_lo: float = 0.4, s_hi: float = 1.3, tau_hi: float = 0.35
                       ) -> dict[str, dict[str, float]]:
    """Per map reaching low torque: its zero-torque loss ``L / P_r`` (mean over speeds
    ``s_lo``-``s_hi`` of the linear extrapolation of its lowest three torque cells up to
    ``tau_hi``) by machine type."""
    out: dict[str, dict[str, float]] = {"induction": {}, "pmsm": {}}
    for name, m in maps().items():
        p_r, t_r = rated(m)
        vals = []
        for i, w in enumerate(m["speed"]):
            if not s_lo <= w * t_r / p_r <= s_hi:
                continue
            lim = min(np.interp(w, m["env_w"], m["env_t"]), tau_hi * t_r) * 1.001
            ok = (m["torque"] <= lim) & (m["eta"][i] > 0.3) & (m["eta"][i] < 1.0)
            if ok.sum() < 3:
                continue
            t = m["torque"][ok][:3]
            loss = t * w * (1.0 / m["eta"][i][ok][:3] - 1.0) / p_r
            vals.append(np.polyfit(t / t_r, loss, 1)[1])
        if vals:
            out[m["machine"]][name] = float(np.mean(vals))
    return out


def loss_with_ratio(f_im: float) -> Any:
    """:func:`keidesign.energy.powertrains.motor_loss` x ``1 + (f_im - 1) i``."""
    shipped = pt.motor_loss

    def loss(p_shaft, w, p_r, t_r, c, induction=0.0):
        return shipped(p_shaft, w, p_r, t_r, c, induction) * (1.0 + (f_im - 1.0) * induction)
    return loss


def patches(f_im: float | None = None) -> list:
    """Patches for a block: the loss of induction machines x ``f_im`` (default
    :func:`induction_ratio`) and ``c_mag`` held at 0 in every BEV fit."""
    f = induction_ratio() if f_im is None else f_im
    fit = cal.fit_bev

    def fit_held(cars, c=None, hold=None):
        return fit(cars, c, {"c_mag": 0.0, **(hold or {})})
    return [mock.patch.object(pt, "motor_loss", loss_with_ratio(f)),
            mock.patch.object(cal, "fit_bev", fit_held)]
