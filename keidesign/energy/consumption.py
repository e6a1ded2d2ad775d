"""Fuel and electricity use on the EPA tests, and the :class:`EnergyGroup`.

ICE, a Willans-line-style first model (per phase k of test t, energies in kWh):

    Fuel_k = f_tr * ( E+_k / eta_t + p_idle * V_d * T_k )
    FC_t   = sum_k w_k Fuel_k / sum_k w_k D_k                       [kWh/mi]
    mpg_t  = LHV / FC_t                                             [mi/galUS]

``E+_k`` is the propulsive tractive energy at the wheels (:mod:`.roadload`), ``eta_t``
a cycle-mean wheel-to-fuel efficiency of the test (engine + transmission; separate
values for the FTP and the HWFET), ``p_idle`` an idle/friction fuel power per litre of
displacement ``V_d`` burned over the whole phase duration ``T_k``, ``f_tr`` a
transmission factor (manual gearbox vs CVT/automatic), ``LHV`` the lower heating value
of the certification gasoline per US gallon. Braking energy is lost (friction brakes;
decel fuel cut-off is inside ``eta_t``). The FTP cold start is inside the FTP constants
(``eta_ftp``); bag 1 and bag 3 are therefore equal here.

BEV (per phase; the EPA BEV tests, SAE J1634, measure AC energy from the wall):

    Wall_k = ( E+_k / eta_drive - eta_regen * Ebrake_k + P_aux * T_k ) / eta_charge
    kWh/mi = sum_k w_k Wall_k / sum_k w_k D_k,     MPGe = 33.705 / (kWh/mi)

``eta_drive`` battery-to-wheel, ``eta_regen`` the share of the braking energy at the
wheels returned to the battery, ``eta_charge`` wall-to-battery, ``P_aux`` the accessory
(12 V) load. Only ``eta_drive`` and ``eta_regen`` are fitted; ``eta_charge`` and
``P_aux`` are fixed assumptions (the split between them and ``eta_drive`` is not
identifiable from wall energy).

All constants come from ``calibration.toml``, written by
``python -m keidesign.energy.calibration --write`` (fit, data and errors in
``docs/energy.md``). Results are *unadjusted* (dynamometer) values, the CAFE/GHG
basis; label values are the later label component's job.

Validity: light-duty passenger cars of 0.66-2.0 L (ICE) and small BEVs, flat road,
20-30 degC test-cell conditions, warm engine except the FTP bag-1 cold start lumped in
``eta_ftp``. Calibrated on 12 ICE cars of 1.2-2.0 L (MY2022 EPA test car list): a
660 cc kei engine is an extrapolation in displacement, not in physics.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om

from keidesign.energy.cycles import METRES_PER_MILE, get_test
from keidesign.energy.roadload import RoadLoadComp, TractiveEnergyComp, load_constants
from keidesign.variables import add_input, add_output

__all__ = ["BevElectricityComp", "EnergyGroup", "IceFuelComp", "OUTPUT_NAMES"]

#: registered output names per drive test: (fuel economy, electricity per mile).
OUTPUT_NAMES = {
    "ftp": ("energy:ftp_mpg", "energy:ftp_kwh_per_mi"),
    "hwfet": ("energy:hwfet_mpg", "energy:hwfet_kwh_per_mi"),
}

TRANSMISSIONS = ("cvt", "mt5", "at4", "at6", "single_speed")


def _test_consts(test: str) -> tuple[np.ndarray, np.ndarray, float]:
    """Phase weights, phase durations (s) and weighted distance (mi) of a test."""
    t = get_test(test)
    return t.weights, t.phase_durations, t.distance / METRES_PER_MILE


class IceFuelComp(om.ExplicitComponent):
    """ICE fuel economy on each test (Willans-style model, see the module docstring).

    Inputs ``energy:<t>:trac_pos_phase`` (kWh) and ``powertrain:ice:displacement``
    (cm^3; the idle constant is per litre); outputs ``energy:<t>_mpg`` and
    ``energy:<t>_kwh_per_mi`` (= 0).
    """

    def initialize(self):
        self.options.declare("tests", default=("ftp", "hwfet"), types=tuple)
        self.options.declare("transmission", default="cvt", values=TRANSMISSIONS)

    def setup(self):
        c = load_constants()
        ice = c["ice"]
        self._lhv = float(c["fuel"]["lhv_kwh_per_galUS"])
        self._p_idle = float(ice["idle_kw_per_l"])  # kW fuel per L displacement
        self._ftr = float(ice["transmission_factor"][self.options["transmission"]])
        self._eta = {}
        self._cst = {}
        add_input(self, "powertrain:ice:displacement")  # cm**3, as registered
        for t in self.options["tests"]:
            self._eta[t] = float(ice["eta"][t])
            self._cst[t] = _test_consts(t)
            n = len(self._cst[t][0])
            add_input(self, f"energy:{t}:trac_pos_phase", shape=n)
            mpg, kwh = OUTPUT_NAMES[t]
            add_output(self, mpg)
            add_output(self, kwh, val=0.0)  # ICE: no electricity; constant, no partials
            self.declare_partials(mpg, [f"energy:{t}:trac_pos_phase",
                                        "powertrain:ice:displacement"])

    def _fc(self, t, inputs):
        """Fuel energy per mile (kWh/mi) and its gradients wrt E+_k and V_d (cm^3)."""
        w, T, dmi = self._cst[t]
        e = inputs[f"energy:{t}:trac_pos_phase"]
        vd = inputs["powertrain:ice:displacement"][0] * 1e-3  # cm^3 -> L
        fuel = self._ftr * (e / self._eta[t] + self._p_idle * vd * T / 3600.0)
        fc = w @ fuel / dmi
        d_e = self._ftr * w / (self._eta[t] * dmi)
        d_v = self._ftr * self._p_idle * (w @ T) / 3600.0 / dmi * 1e-3  # per cm^3
        return fc, d_e, d_v

    def compute(self, inputs, outputs):
        for t in self.options["tests"]:
            fc, _, _ = self._fc(t, inputs)
            outputs[OUTPUT_NAMES[t][0]] = self._lhv / fc
            outputs[OUTPUT_NAMES[t][1]] = 0.0

    def compute_partials(self, inputs, J):
        for t in self.options["tests"]:
            fc, d_e, d_v = self._fc(t, inputs)
            k = -self._lhv / fc**2
            mpg = OUTPUT_NAMES[t][0]
            J[mpg, f"energy:{t}:trac_pos_phase"] = k * d_e[np.newaxis, :]
            J[mpg, "powertrain:ice:displacement"] = k * d_v


class BevElectricityComp(om.ExplicitComponent):
    """BEV wall electricity per mile and MPGe on each test (see the module docstring).

    Inputs ``energy:<t>:trac_pos_phase`` and ``energy:<t>:trac_brake_phase`` (kWh);
    outputs ``energy:<t>_kwh_per_mi`` (kWh/mi from the wall) and ``energy:<t>_mpg``
    (MPGe = 33.705 kWh/gal / kWh/mi).
    """

    def initialize(self):
        self.options.declare("tests", default=("ftp", "hwfet"), types=tuple)

    def setup(self):
        c = load_constants()
        bev = c["bev"]
        self._kwh_gal = float(c["fuel"]["mpge_kwh_per_gal"])
        self._eta_d = float(bev["eta_drive"])
        self._eta_r = float(bev["eta_regen"])
        self._eta_c = float(bev["eta_charge"])
        self._aux = float(bev["aux_kw"])
        self._cst = {}
        for t in self.options["tests"]:
            self._cst[t] = _test_consts(t)
            n = len(self._cst[t][0])
            ins = [f"energy:{t}:trac_pos_phase", f"energy:{t}:trac_brake_phase"]
            for name in ins:
                add_input(self, name, shape=n)
            for name in OUTPUT_NAMES[t]:
                add_output(self, name)
                self.declare_partials(name, ins)

    def _wall(self, t, inputs):
        w, T, dmi = self._cst[t]
        ep = inputs[f"energy:{t}:trac_pos_phase"]
        eb = inputs[f"energy:{t}:trac_brake_phase"]
        wall = (ep / self._eta_d - self._eta_r * eb + self._aux * T / 3600.0) / self._eta_c
        kwh = w @ wall / dmi
        d_ep = w / (self._eta_d * self._eta_c * dmi)
        d_eb = -self._eta_r * w / (self._eta_c * dmi)
        return kwh, d_ep, d_eb

    def compute(self, inputs, outputs):
        for t in self.options["tests"]:
            kwh, _, _ = self._wall(t, inputs)
            mpg, kname = OUTPUT_NAMES[t]
            outputs[kname] = kwh
            outputs[mpg] = self._kwh_gal / kwh

    def compute_partials(self, inputs, J):
        for t in self.options["tests"]:
            kwh, d_ep, d_eb = self._wall(t, inputs)
            mpg, kname = OUTPUT_NAMES[t]
            ep, eb = f"energy:{t}:trac_pos_phase", f"energy:{t}:trac_brake_phase"
            J[kname, ep] = d_ep[np.newaxis, :]
            J[kname, eb] = d_eb[np.newaxis, :]
            k = -self._kwh_gal / kwh**2
            J[mpg, ep] = k * d_ep[np.newaxis, :]
            J[mpg, eb] = k * d_eb[np.newaxis, :]


class EnergyGroup(om.Group):
    """Energy discipline: road load -> tractive energy per test -> fuel or electricity.

    Options:
        powertrain_type: ``"ice"`` or ``"bev"``.
        transmission: ICE transmission (selects the calibrated factor).
        tests: drive tests to run; the registered outputs exist for ``ftp``, ``hwfet``.
        smoothing_w: smoothing power of the positive part (W); None: calibration value.

    Inputs (promoted): ``mass:test``, ``road:cd``, ``body:frontal_area``, ``road:crr``,
    ``energy:road:f1`` (default 0), and ``powertrain:ice:displacement`` for an ICE.
    Outputs: ``energy:ftp_mpg``, ``energy:hwfet_mpg`` (MPGe for a BEV),
    ``energy:ftp_kwh_per_mi``, ``energy:hwfet_kwh_per_mi`` (0 for an ICE), and the
    tractive energies ``energy:<t>:trac_*``.
    """

    def initialize(self):
        self.options.declare("powertrain_type", default="ice", values=("ice", "bev"))
        self.options.declare("transmission", default="cvt", values=TRANSMISSIONS)
        self.options.declare("tests", default=("ftp", "hwfet"), types=tuple)
        self.options.declare("smoothing_w", default=None, allow_none=True)

    def setup(self):
        tests = self.options["tests"]
        unknown = [t for t in tests if t not in OUTPUT_NAMES]
        if unknown:
            raise ValueError(f"EnergyGroup: no registered outputs for tests {unknown}")
        self.add_subsystem("road_load", RoadLoadComp(), promotes=["*"])
        for t in tests:
            self.add_subsystem(f"trac_{t}", TractiveEnergyComp(
                test=t, smoothing_w=self.options["smoothing_w"]), promotes=["*"])
        if self.options["powertrain_type"] == "ice":
            self.add_subsystem("fuel", IceFuelComp(
                tests=tests, transmission=self.options["transmission"]), promotes=["*"])
        else:
            self.add_subsystem("electricity", BevElectricityComp(tests=tests),
                               promotes=["*"])
