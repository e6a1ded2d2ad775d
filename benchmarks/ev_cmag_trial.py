"""The induction machine's magnetising loss ``c_mag`` bounded from a measured motor
(issue 13, 5 Dec 2026, tried, not kept): the trial bounds the probe ``python
benchmarks/validation_probes.py ev_cmag`` swaps into the calibration
(:data:`keidesign.energy.calibration.BEV_BOUNDS`, ``c_mag`` <= 0.05 with no stated
basis); docs/validation.md, ``ev_cmag``. The probe also judges the brake-blending law
shipped with it (:func:`keidesign.energy.powertrains.regen_blend`, ``regen_decel_g``),
against the constant share before (``regen_decel_g`` above the cycles' decelerations).

**1. The bound of ``c_mag``.** The shipped map's induction term ``c_mag i`` (x the loss
magnitude ``k_m P_ref (P_r / P_ref)^gamma``, per unit like ``c_cu``, the copper term at
the rated (peak) torque) is the zero-torque loss an induction machine has beyond the
permanent-magnet map: its iron loss and windage are the map's ``c_fe s^2 + c_w s^3``
for both machine types, so what the induction machine adds is the loss of its
magnetising current ``I_0``, drawn whenever it turns at rated flux. In the stator winding
and the inverter that current costs what a torque current of the same size costs, at
most, so per unit of the map::

    c_mag <= (I_0 / I_N)^2 c_cu                                               [-]

(``I_N`` the current at the map's rated torque; a copper loss ~ I^2, Hughes & Drury,
*Electric Motors and Drives*, 4th ed., 2013, ch. 5-6, R). The ratio ``I_0 / I_N`` of a
measured machine: the standard 18.5 kW, 400 V, 50 Hz, 4-pole motor of the Modelica
Standard Library's ``Modelica.Electrical.Machines.Examples.InductionMachines.
IMC_withLosses`` (Haumer, Kral, Kapeller, Baeuml, Gragger, *The AdvancedMachines
Library: Loss Models for Electric Machines*, 7th Modelica Conference, 2009; parameters
compared there with the motor's measurements): nominal current 32.85 A, stator copper
loss 770.13 W, core loss 410 W, rotor copper loss 481.6 W, stray-load loss 102.22 W,
friction 180 W at 18.5 kW, stator resistance 0.56 ohm at 20 C (copper, run at 90 C),
stator leakage reactance 1.52 ohm and main-field reactance 66.40 ohm at 50 Hz (status V:
read in the library's documentation page, reference.wolfram.com, Modelica Standard
Library). The stator loss fixes the connection: delta, ``3 (32.85/sqrt 3)^2 x 0.56 x
(1 + 0.00393 x 70) = 770 W`` (star would give 2310 W); at 400 V per phase the no-load
current is ``400 / |0.714 + j (1.52 + 66.40)| = 5.89 A`` per phase, ``I_0 / I_N`` =
**0.31** (derived here, A on the equivalent circuit; its no-load stator copper loss is 74
W, 3.8 % of the 1944 W rated loss). So ``c_mag <= 0.31^2 x 0.05 = 0.0048`` (the measured
motor; :data:`C_MAG_MEASURED`), and with the magnetising current of a small or
large-air-gap machine, half the rated current (the upper end quoted for small motors,
Hughes & Drury ch. 6, R recalled), ``c_mag <= 0.0125`` (:data:`C_MAG_GENEROUS`). The
shipped bound 0.05 is the whole rated-point loss of the map (``c_fe + c_w + c_cu`` =
0.0533): a zero-torque loss as large as the loss at rated torque, which no no-load
test shows (the measured motor's whole no-load loss, core + friction + stator I_0^2 R,
is 34 % of its rated loss). Traction machines are rated at a peak current 2-3 x the
continuous one, so ``I_0 / I_N`` of the map is smaller still; both bounds err high.
"""

from __future__ import annotations

from unittest import mock

import numpy as np

from keidesign.energy import calibration as cal

#: The measured 18.5 kW motor of the Modelica library's ``IMC_withLosses`` (module
#: docstring; V): nominal current (A, line), phase voltage (V, delta), stator
#: resistance at 20 C (ohm), copper's temperature coefficient (1/K), the run's
#: temperature rise (K), stator leakage and main-field reactances at 50 Hz (ohm), and
#: the rated losses (W).
MEASURED_IM = {"i_n": 32.85, "v_ph": 400.0, "r_s20": 0.56, "alpha_cu": 0.00393,
               "dt_k": 70.0, "x_s": 1.52, "x_m": 66.40,
               "loss_w": {"stator_cu": 770.13, "core": 410.0, "rotor_cu": 481.6,
                          "stray": 102.22, "friction": 180.0}}
#: Magnetising current of a small motor at most half the rated (Hughes & Drury, R).
I0_GENEROUS = 0.5


def measured_i0_ratio(m: dict = MEASURED_IM) -> float:
    """``I_0 / I_N`` of the measured motor: the phase no-load current ``V / |R_s + j (X_s
    + X_m)|`` (the run's stator resistance) over the phase current ``I_N / sqrt 3``
    (delta)."""
    r_s = m["r_s20"] * (1.0 + m["alpha_cu"] * m["dt_k"])
    i0 = m["v_ph"] / abs(complex(r_s, m["x_s"] + m["x_m"]))
    return i0 / (m["i_n"] / np.sqrt(3.0))


def stator_loss_check(m: dict = MEASURED_IM) -> float:
    """The measured motor's stator copper loss (W) from its resistance at the run's
    temperature and the delta phase current, against ``loss_w["stator_cu"]``."""
    r_s = m["r_s20"] * (1.0 + m["alpha_cu"] * m["dt_k"])
    return 3.0 * (m["i_n"] / np.sqrt(3.0)) ** 2 * r_s


def c_mag_bound(i0_ratio: float, c: dict | None = None) -> float:
    """``(I_0 / I_N)^2 c_cu``: the magnetising current's loss per unit of the map at the
    most a torque current of its size costs."""
    c = c or cal.fixed_constants()
    return float(i0_ratio**2 * c["bev"]["c_cu"])


C_MAG_MEASURED = c_mag_bound(measured_i0_ratio())
C_MAG_GENEROUS = c_mag_bound(I0_GENEROUS)


def bounds_with(c_mag_max: float) -> tuple[tuple, tuple]:
    """:data:`~keidesign.energy.calibration.BEV_BOUNDS` with ``c_mag`` <= ``c_mag_max``."""
    hi = list(cal.BEV_BOUNDS[1])
    hi[cal.BEV_FIT.index("c_mag")] = c_mag_max
    return cal.BEV_BOUNDS[0], tuple(hi)


def start_with(c_mag_max: float) -> tuple:
    """:data:`~keidesign.energy.calibration.BEV_START` with ``c_mag`` inside the bound."""
    s = list(cal.BEV_START)
    i = cal.BEV_FIT.index("c_mag")
    s[i] = min(s[i], 0.5 * c_mag_max)
    return tuple(s)


def patches(c_mag_max: float) -> list:
    """Patches for a block: ``c_mag`` <= ``c_mag_max`` (its start inside the bound)."""
    return [mock.patch.object(cal, "BEV_BOUNDS", bounds_with(c_mag_max)),
            mock.patch.object(cal, "BEV_START", start_with(c_mag_max))]


def held(c_mag: float) -> list:
    """Patches for a block: ``c_mag`` held at ``c_mag`` (not fitted) in every BEV fit
    (:func:`keidesign.energy.calibration.fit_bev`, the four other constants refitted);
    ``c_mag`` 0 drops the induction term (issue 13, ``ev_cmag_drop``)."""
    fit = cal.fit_bev

    def fit_held(cars, c=None, hold=None):
        return fit(cars, c, {"c_mag": float(c_mag), **(hold or {})})
    return [mock.patch.object(cal, "fit_bev", fit_held)]
