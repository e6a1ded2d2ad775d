"""Frontal rigid-barrier crash, first version: superfolding rails + equivalent square wave.

Equations (SI inside; outputs in registered units):

* Mean crush force of one thin-walled rail, rectangular section b x h, wall t, flow
  stress sigma_0, using the equivalent side c = (b + h)/2 of a square tube and the
  effective-crushing-distance form of Abramowicz & Jones (Int. J. Impact Eng. 2(2),
  1984, 179-208; symmetric mode; = 52.22 M_0 (c/t)^(1/3), M_0 = sigma_0 t^2 / 4)::

      P_s = 13.05 * sigma_0 * t^(5/3) * c^(1/3)

* Cowper-Symonds dynamic factor at the mean crushing strain rate of a square tube,
  eps_dot = 0.33 V_m / c (Abramowicz & Jones 1984), with V_m = V/2 the mean crushing
  speed of a constant-deceleration stop::

      P_d = P_s * (1 + (eps_dot / D)^(1/q))

* All rails together F = n P_d (N). The rails run beside the powertrain from the
  bumper to the dash, so the effective crush available is the smaller of what the
  folding rails allow and the free space ahead of and behind the powertrain stack::

      C = min(eta_s L_crush, L_crush - L_block)

  eta_s = 0.73 the stroke efficiency of a folding tube (A&J's effective crushing
  distance; the rest is compacted folds), L_block the powertrain stack that does not
  crush. Past C the powertrain is pushed into the dash (intrusion), which this first
  version does not credit.
* Test mass per 49 CFR 571.208 S8.1.1: unloaded vehicle (curb) + rated cargo and
  luggage (payload - 68 kg per seat, >= 0) + two Hybrid III 50th-male dummies, 78 kg
  each (49 CFR 572 subpart E) [R].
* Energy at the S5.1 test speed V = 56 km/h: E = m V^2 / 2; crush needed
  x = E / F; energy capacity F C; mean deceleration F / m; equivalent-square-wave
  deceleration if all crush is used, V^2 / (2 C) (M. Huang, *Vehicle Crash Mechanics*,
  CRC 2002, ch. 2).

Assumptions and validity: the rails carry the whole barrier load at their mean force
(no bumper-beam, subframe or upper load path contributions, no engine-to-barrier
contact phase): a pessimistic first version, reasonable when the design's rail set is
read as the equivalent set of all front load paths. Thin walls (c/t > ~10), progressive
folding (no global bending), 20 <= c/t <= 200. The crash issue replaces this with the
force-crush characteristic and occupant criteria. Batched (``n_cases > 1``): the same
array expressions over cases (branches by ``np.where``), no partials.
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om

from keidesign import batch
from keidesign.materials import MATERIALS, material
from keidesign.variables import add_input, add_output

K_SUPERFOLD = 13.05  # Abramowicz & Jones 1984, effective crushing distance form
STRAIN_RATE_COEF = 0.33  # eps_dot = 0.33 V / c
STROKE_EFFICIENCY = 0.73
DUMMY_MASS_KG = 78.0  # Hybrid III 50th male
SEAT_MASS_KG = 68.0  # 49 CFR 571.3: occupant weight per designated seating position


class FrontalCrashComp(om.ExplicitComponent):
    """Front-rail energy absorption against the FMVSS 208 full-frontal test."""

    def initialize(self) -> None:
        self.options.declare("material", default="hsla_340", values=tuple(MATERIALS),
                             desc="rail material grade")
        self.options.declare("n_rails", default=2, types=int, desc="parallel rails")
        self.options.declare("seats", default=4, types=int, desc="seating positions")
        self.options.declare("test_speed_kmh", default=56.0, types=float,
                             desc="rigid-barrier test speed (49 CFR 571.208 S5.1), km/h")
        self.options.declare("n_dummies", default=2, types=int, desc="front dummies")
        batch.declare_option(self.options)

    def setup(self) -> None:
        shape = batch.shape(self)
        for name in ("crash:front:rail_width", "crash:front:rail_height",
                     "crash:front:wall_thickness", "crash:front:crush_length",
                     "powertrain:block_length", "mass:curb", "mass:payload"):
            add_input(self, name, shape=shape)
        for name in ("crash:front:test_mass", "crash:front:mean_force",
                     "crash:front:crush_available", "crash:front:energy_required",
                     "crash:front:crush_required", "crash:front:energy_capacity",
                     "crash:front:mean_decel", "crash:front:esw_decel"):
            add_output(self, name, shape=shape)

    def setup_partials(self) -> None:
        if batch.batched(self):
            return
        sec = ["crash:front:rail_width", "crash:front:rail_height",
               "crash:front:wall_thickness"]
        crush = ["crash:front:crush_length", "powertrain:block_length"]
        mass = ["mass:curb", "mass:payload"]
        self.declare_partials("crash:front:test_mass", mass)
        self.declare_partials("crash:front:mean_force", sec)
        self.declare_partials("crash:front:crush_available", crush)
        self.declare_partials("crash:front:energy_required", mass)
        self.declare_partials("crash:front:crush_required", sec + mass)
        self.declare_partials("crash:front:energy_capacity", sec + crush)
        self.declare_partials("crash:front:mean_decel", sec + mass)
        self.declare_partials("crash:front:esw_decel", crush)

    # -- model -----------------------------------------------------------------------
    def _terms(self, inputs):
        mat = material(self.options["material"])
        v = self.options["test_speed_kmh"] / 3.6
        b = inputs["crash:front:rail_width"] * 1e-3
        h = inputs["crash:front:rail_height"] * 1e-3
        t = inputs["crash:front:wall_thickness"] * 1e-3
        c = 0.5 * (b + h)
        ps = K_SUPERFOLD * mat.flow_stress_mpa * 1e6 * t ** (5.0 / 3.0) * c ** (1.0 / 3.0)
        r = STRAIN_RATE_COEF * (0.5 * v) / c / mat.cs_d
        rq = r ** (1.0 / mat.cs_q)
        n = self.options["n_rails"]
        force = n * ps * (1.0 + rq)  # N
        cargo_raw = inputs["mass:payload"] - SEAT_MASS_KG * self.options["seats"]
        cargo_on = np.real(cargo_raw) > 0.0
        m = (inputs["mass:curb"] + np.where(cargo_on, cargo_raw, 0.0)
             + DUMMY_MASS_KG * self.options["n_dummies"])
        length = inputs["crash:front:crush_length"]
        free = length - inputs["powertrain:block_length"]
        folds = STROKE_EFFICIENCY * length
        fold_limited = np.real(folds) < np.real(free)
        c_av = np.where(fold_limited, folds, free) * 1e-3  # m
        return dict(v=v, t=t, c=c, ps=ps, rq=rq, q=mat.cs_q, n=n, force=force, m=m,
                    cargo_on=cargo_on, c_av=c_av, fold_limited=fold_limited)

    def compute(self, inputs, outputs) -> None:
        s = self._terms(inputs)
        energy = 0.5 * s["m"] * s["v"] ** 2  # J
        outputs["crash:front:test_mass"] = s["m"]
        outputs["crash:front:mean_force"] = s["force"] * 1e-3
        outputs["crash:front:crush_available"] = s["c_av"] * 1e3
        outputs["crash:front:energy_required"] = energy * 1e-3
        outputs["crash:front:crush_required"] = energy / s["force"] * 1e3
        outputs["crash:front:energy_capacity"] = s["force"] * s["c_av"] * 1e-3
        outputs["crash:front:mean_decel"] = s["force"] / s["m"]
        outputs["crash:front:esw_decel"] = s["v"] ** 2 / (2.0 * s["c_av"])

    def compute_partials(self, inputs, J) -> None:
        s = self._terms(inputs)
        v, t, c, ps, rq, q, n = (s[k] for k in ("v", "t", "c", "ps", "rq", "q", "n"))
        force, m, c_av = s["force"], s["m"], s["c_av"]
        energy = 0.5 * m * v**2
        # dF/d(input in mm)
        df_dt = force * (5.0 / 3.0) / t * 1e-3
        df_dc = n * ps * ((1.0 + rq) / (3.0 * c) - rq / (q * c))
        df_db = df_dc * 0.5e-3
        dm_dpay = np.where(s["cargo_on"], 1.0, 0.0)
        fl = s["fold_limited"]
        dcav_dlen = np.where(fl, STROKE_EFFICIENCY, 1.0) * 1e-3  # m per mm
        dcav_dblock = np.where(fl, 0.0, -1.0) * 1e-3
        sec = {"crash:front:rail_width": df_db, "crash:front:rail_height": df_db,
               "crash:front:wall_thickness": df_dt}
        mass = {"mass:curb": 1.0, "mass:payload": dm_dpay}
        crush = {"crash:front:crush_length": dcav_dlen, "powertrain:block_length": dcav_dblock}
        for name, dm in mass.items():
            J["crash:front:test_mass", name] = dm
            J["crash:front:energy_required", name] = 0.5 * v**2 * dm * 1e-3
            J["crash:front:crush_required", name] = 0.5 * v**2 * dm / force * 1e3
            J["crash:front:mean_decel", name] = -force / m**2 * dm
        for name, df in sec.items():
            J["crash:front:mean_force", name] = df * 1e-3
            J["crash:front:crush_required", name] = -energy / force**2 * df * 1e3
            J["crash:front:energy_capacity", name] = df * c_av * 1e-3
            J["crash:front:mean_decel", name] = df / m
        for name, dc in crush.items():
            J["crash:front:crush_available", name] = dc * 1e3
            J["crash:front:energy_capacity", name] = force * dc * 1e-3
            J["crash:front:esw_decel", name] = -(v**2) / (2.0 * c_av**2) * dc
