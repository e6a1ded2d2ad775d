"""OpenMDAO components of the energy discipline and the :class:`EnergyGroup`.

Every component wraps a kernel of :mod:`.powertrains`, :mod:`.vehicle` or
:mod:`.performance`. ``compute`` runs the kernel on plain (possibly complex) arrays;
``compute_partials`` runs it once more on :class:`~geometry.ad.D` arrays
seeded on the component's inputs, which gives the exact partial derivatives of every
output with respect to every input (forward-mode chain rule, see :mod:`.dual`).

Data flow (names as registered in ``keidesign/catalogue``)::

    mass:test, road:cd, body:frontal_area, road:crr --RoadLoadComp--> energy:road:*
      (or energy:coastdown:a/b/c --CoastdownComp--> energy:road:*)
    powertrain:final_drive, ratio_low/high, body:tyre_diameter
      --DrivelineComp--> powertrain:overall_ratio_low/high
    --PerformanceComp--> perf:accel_0_60, accel_50_70, top_speed, grade_speed, us06_*,
      perf:<cycle>_shortfall, perf:<segment>_distance_share (:data:`DISTANCE_SHARES`),
      perf:<cycle>_behind (0/1 per step at full power below the trace, :data:`BEHIND`)
    energy:road:*, powertrain data, perf:<segment>_distance_share, perf:<cycle>_behind
      --CycleComp--> energy:ftp_mpg, hwfet_mpg, us06_mpg, *_kwh_per_mi, ev_range*,
      wltc_*, fuel per bag, cold-start fuel (per distance driven)
    energy:ftp_mpg, hwfet_mpg --LabelSetsComp--> energy:label2008_*, label2017_*,
      energy:co2_unadj
    --PowertrainPackageComp--> powertrain:mass, powertrain:volume

Batched (option ``n_cases = n > 1``, :mod:`keidesign.batch`): every input and scalar
output has shape ``(n,)``, a vector output of ``k`` values shape ``(n, k)``; the
kernels then run once on ``(m, 1)`` arrays of ``m <= chunk`` cases at a time (option
``chunk``: blocks keep the ``(cases x time)`` arrays in cache and bound the memory of
the gearbox choice, ``(cases x time x gears)``), values only, no partials. The
arithmetic per case is that of the scalar component (element ``i`` equals a scalar run
of case ``i``, ``tests/test_batch_energy.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openmdao.core.explicitcomponent import ExplicitComponent
from openmdao.core.group import Group

from geometry import ad as D
from keidesign import batch
from keidesign.closed_form import DualClosedForm
from keidesign.energy import constants as kc
from keidesign.energy import performance as perf
from keidesign.energy import powertrains as pt
from keidesign.energy import vehicle as veh
from keidesign.energy.roadload import RoadLoadComp, TractiveEnergyComp, load_constants
from keidesign.label import (
    COEFFICIENTS,
    co2_g_per_mi,
    combined_55_45,
    label_from_unadjusted,
)
from keidesign.variables import add_input, add_output

__all__ = [
    "CoastdownComp", "CycleComp", "DrivelineComp", "EnergyGroup", "LabelSetsComp",
    "PerformanceComp", "PowertrainPackageComp",
]

KINDS = ("ice", "bev", "hev")
TRANSMISSIONS = tuple(pt.GEARS)
HEV_LAYOUTS = pt.HEV_LAYOUTS
DRIVES = tuple(veh.DRIVELINE_EFFICIENCY)
LAYOUTS = ("front", "rear", "mid", "underfloor")


#: Cases per kernel call of a batched component (see the module docstring).
CHUNK = 16

#: The distance shares of the full-power pass (:class:`PerformanceComp` outputs,
#: :class:`CycleComp` inputs with ``distance_share=True``), each with its trace of
#: :data:`~keidesign.energy.performance.SHORTFALL_TRACES` and segment of
#: :data:`~keidesign.energy.performance.SHARE_SPLITS` (:func:`keidesign.energy.
#: performance.trace_passes`), in the order of :func:`keidesign.energy.vehicle.
#: cycle_results`' ``distance_share`` keys.
SHARE_SEGMENTS = {"perf:ftp_bag1_distance_share": ("ftp", 0),
                  "perf:ftp_bag2_distance_share": ("ftp", 1),
                  "perf:hwfet_distance_share": ("hwfet", 0),
                  "perf:us06_distance_share": ("us06", 0),
                  "perf:wltc_distance_share": ("wltc", 0),
                  "perf:jc08_distance_share": ("jc08", 0)}
DISTANCE_SHARES = tuple(SHARE_SEGMENTS)

#: The speed shortfall of each full-power pass (a :class:`PerformanceComp` output, mph).
SHORTFALLS = {k: f"perf:{k}_shortfall" for k in perf.SHORTFALL_TRACES}

#: The steps each full-power pass drives at full power below the trace (1, else 0; a
#: :class:`PerformanceComp` output, a :class:`CycleComp` input with
#: ``distance_share=True``, without partials; :func:`keidesign.energy.performance.
#: trace_passes`): the variable of each trace of
#: :data:`~keidesign.energy.performance.SHORTFALL_TRACES`.
BEHIND = {k: f"perf:{k}_behind" for k in perf.SHORTFALL_TRACES}


class _DualComp(ExplicitComponent):
    """Base: inputs seeded as dual numbers (:class:`geometry.ad.D`) in ``compute_partials``.

    Subclasses set ``self._ins`` (input names, scalars) and ``self._outs`` (output name
    -> size) in ``setup`` and implement ``_evaluate(v) -> {output: array}`` where ``v``
    maps input names to ``(1, 1)`` arrays (plain or dual); outputs are ``(1, 1)`` arrays
    or lists of them (vector outputs). Outputs listed in ``self._const`` do not depend
    on the inputs (no partials declared).

    Batched (``n_cases > 1``): ``v`` holds ``(m, 1)`` arrays of a block of ``m`` cases
    (plain values only), outputs are ``(m, 1)`` arrays (or lists of them) and no partial
    is declared; subclasses call ``super().initialize()`` and declare their variables
    with :meth:`_add_input` / :meth:`_add_output`.

    Masks (:meth:`_add_mask_input` / :meth:`_add_mask_output`, ``self._dins`` /
    ``self._douts``: name -> values per case) are per-case rows of 0/1, a decision on
    real values with no derivative: ``v`` holds them as bool ``(m, size)`` arrays (never
    seeded; an input is true where its real part is above 0.5), ``_evaluate`` returns
    them as bool ``(m, size)`` arrays; one case's variable has the shape ``(size,)``, a
    batch's ``(n, size)``. Their partials are zero (structural zeros, one per output
    value and mask input; OpenMDAO's discrete variables would carry them too, but it refuses a
    total derivative that depends on a discrete output); check_partials checks an input
    mask in one random direction. The mask records are per setup: emptied where OpenMDAO
    clears the component's variables before calling ``setup`` (:meth:`_setup_procs`),
    with the partials and partial-check options this class declared in the last setup
    (OpenMDAO 3.45 keeps those of every setup; options a user set with
    ``set_check_partial_options`` stay), so a problem set up again (other options,
    another size) declares and reads only the variables of its last setup.
    """

    _const: tuple[str, ...] = ()
    _dins: dict[str, int] = {}
    _douts: dict[str, int] = {}

    def _setup_procs(self, *args: Any, **kwargs: Any) -> None:
        # OpenMDAO empties the variable lists here, then calls setup(): what this class
        # recorded beside them in the last setup goes too (the masks; the partials and
        # partial-check options it declared), not what a user set
        self._dins, self._douts = {}, {}
        for key in getattr(self, "_own_keys", ()):
            self._declared_partials_patterns.pop(key, None)
        own = {id(c) for c in getattr(self, "_own_checks", ())}
        self._declared_partial_checks = [c for c in self._declared_partial_checks
                                         if id(c) not in own]
        self._own_keys: set[Any] = set()
        self._own_checks: list[Any] = []
        super()._setup_procs(*args, **kwargs)

    def _declare_own(self, of: list[str], wrt: list[str], **kw: Any) -> None:
        """``declare_partials``, recorded as this class's (dropped on the next setup)."""
        before = set(self._declared_partials_patterns)
        self.declare_partials(of, wrt, **kw)
        self._own_keys |= set(self._declared_partials_patterns) - before

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("chunk", default=CHUNK, types=int, lower=1,
                             desc="batched: cases per kernel call")

    def _add_input(self, name: str) -> None:
        add_input(self, name, shape=batch.shape(self))

    def _add_output(self, name: str, size: int | None = None, **kw: Any) -> None:
        """A registered output of ``size`` values per case (None: scalar)."""
        n = batch.n_cases(self)
        if n > 1:
            shape: Any = n if size is None or size == 1 else (n, size)
        else:
            shape = size
        add_output(self, name, shape=shape, **kw)

    def _mask_shape(self, size: int) -> int | tuple[int, int]:
        n = batch.n_cases(self)
        return (n, size) if n > 1 else size

    def _add_mask_input(self, name: str, size: int) -> None:
        """A registered mask input of ``size`` values per case (default 0: no step);
        check_partials perturbs it in one random direction (no partials: a decision)."""
        self._dins = {**self._dins, name: size}
        add_input(self, name, shape=self._mask_shape(size), val=0.0)
        n0 = len(self._declared_partial_checks)
        self.set_check_partial_options(wrt=name, directional=True)
        self._own_checks.extend(self._declared_partial_checks[n0:])

    def _add_mask_output(self, name: str, size: int) -> None:
        """A registered mask output of ``size`` values per case (no partials)."""
        self._douts = {**self._douts, name: size}
        add_output(self, name, shape=self._mask_shape(size), val=0.0)

    def _dvals(self, inputs: Any, n: int = 1) -> dict[str, np.ndarray]:
        return {name: np.real(np.asarray(inputs[name])).reshape(n, size) > 0.5
                for name, size in self._dins.items()}

    def _declare(self, deps: dict[str, list[str]] | None = None) -> None:
        """Declare partials of every output w.r.t. every input, or ``deps[output]``."""
        self._deps = deps or {}
        self._nb = batch.n_cases(self)
        if self._nb > 1:
            return
        # one declare_partials per set of outputs sharing their inputs (OpenMDAO matches
        # every name as a pattern against every variable: per output, that was a third
        # of a design's setup)
        dense: dict[tuple[str, ...], list[str]] = {}
        by_size: dict[int, list[str]] = {}
        for out in self._outs:
            if out not in self._const:
                dense.setdefault(tuple(self._deps.get(out, self._ins)), []).append(out)
            by_size.setdefault(self._outs[out], []).append(out)
        for wrt, outs in dense.items():
            self._declare_own(outs, list(wrt))
        if self._dins:
            for size, outs in by_size.items():
                # structural zeros (one per output value), never set: OpenMDAO's
                # directional check of an undeclared partial fails (3.45)
                self._declare_own(outs, list(self._dins), rows=np.arange(size),
                                  cols=np.zeros(size, dtype=int))

    def _vals(self, inputs: Any) -> dict[str, np.ndarray]:
        return {n: np.reshape(inputs[n], (1, 1)) for n in self._ins}

    def compute(self, inputs: Any, outputs: Any) -> None:
        if self._nb > 1:
            self._compute_batched(inputs, outputs)
            return
        res = self._evaluate({**self._vals(inputs), **self._dvals(inputs)})
        for out in self._outs:
            val = res[out]
            if isinstance(val, list):
                outputs[out] = np.array([np.asarray(D.value(v)).ravel()[0] for v in val])
            else:
                outputs[out] = np.asarray(D.value(val)).ravel()[0]
        for out, size in self._douts.items():
            outputs[out] = np.asarray(res[out], dtype=bool).reshape(size)

    def _compute_batched(self, inputs: Any, outputs: Any) -> None:
        """All cases, in blocks of ``chunk`` (values only)."""
        n = self._nb
        step = self.options["chunk"]
        cols = {name: np.asarray(inputs[name]).reshape(n, 1) for name in self._ins}
        cols.update(self._dvals(inputs, n))
        res: dict[str, np.ndarray] = {out: np.empty((n, size), dtype=outputs[out].dtype)
                                      for out, size in self._outs.items()}
        dres = {out: np.zeros((n, size), dtype=bool) for out, size in self._douts.items()}
        for a in range(0, n, step):
            b = min(a + step, n)
            block = self._evaluate({k: v[a:b] for k, v in cols.items()})
            for out in self._outs:
                val = block[out]
                parts = val if isinstance(val, list) else [val]
                for j, part in enumerate(parts):
                    res[out][a:b, j] = np.broadcast_to(
                        np.asarray(part).reshape(-1), (b - a,))
            for out in self._douts:
                dres[out][a:b] = block[out]
        for out, size in self._outs.items():
            outputs[out] = res[out] if size > 1 else res[out][:, 0]
        for out in self._douts:
            outputs[out] = dres[out]

    def compute_partials(self, inputs: Any, J: Any) -> None:
        if self._nb > 1:
            return
        vals = self._vals(inputs)
        p = len(self._ins)
        dtype = np.result_type(*[v.dtype for v in vals.values()])
        seeded = {}
        for j, n in enumerate(self._ins):
            d = np.zeros((1, 1, p), dtype=dtype)
            d[0, 0, j] = 1.0
            seeded[n] = D.D(vals[n].astype(dtype), d)
        res = self._evaluate({**seeded, **self._dvals(inputs)})
        for out in self._outs:
            if out in self._const:
                continue
            val = res[out]
            vals_ = val if isinstance(val, list) else [val]
            rows = []
            for v in vals_:
                rows.append(np.asarray(v.g).reshape(-1, p)[0] if type(v) is D.D
                            else np.zeros(p))
            jac = np.array(rows)
            wrt = self._deps.get(out, self._ins)
            for j, n in enumerate(self._ins):
                if n in wrt:
                    J[out, n] = jac[:, j:j + 1] if isinstance(val, list) else jac[0, j]


class CoastdownComp(ExplicitComponent):
    """Road load from measured coast-down coefficients (EPA target A, B, C).

    ``F0 = A``, ``F1 = B``, ``F2 = C``, ``m_eff = m_test (1 + f_rot)``; the mass still
    enters the inertia (and, for the Japanese test mass, the rolling term is scaled with
    mass in :func:`keidesign.energy.vehicle.cycle_results`). Batched: elementwise.
    """

    def initialize(self) -> None:
        batch.declare_option(self.options)

    def setup(self) -> None:
        self._frot = float(load_constants()["roadload"]["rotating_mass_fraction"])
        shape = batch.shape(self)
        for n in ("mass:test", "energy:coastdown:a", "energy:coastdown:b",
                  "energy:coastdown:c"):
            add_input(self, n, shape=shape)
        for n in ("energy:road:m_eff", "energy:road:f0", "energy:road:f1", "energy:road:f2"):
            add_output(self, n, shape=shape)
        if batch.batched(self):
            return
        self.declare_partials("energy:road:m_eff", "mass:test", val=1.0 + self._frot)
        self.declare_partials("energy:road:f0", "energy:coastdown:a", val=1.0)
        self.declare_partials("energy:road:f1", "energy:coastdown:b", val=1.0)
        self.declare_partials("energy:road:f2", "energy:coastdown:c", val=1.0)

    def compute(self, inputs: Any, outputs: Any) -> None:
        outputs["energy:road:m_eff"] = inputs["mass:test"] * (1.0 + self._frot)
        outputs["energy:road:f0"] = inputs["energy:coastdown:a"]
        outputs["energy:road:f1"] = inputs["energy:coastdown:b"]
        outputs["energy:road:f2"] = inputs["energy:coastdown:c"]


class DrivelineComp(_DualComp):
    """Overall ratios: ``k = ratio x final drive / (0.97 x tyre radius)`` (rad/s per m/s)
    in first and top gear (BEV: the single reduction); a 0 ratio is the transmission's
    default (docs/energy.md), a BEV's bounded by its launch force (inputs ``mass:test``
    and ``powertrain:bev:motor_torque``, :func:`keidesign.energy.vehicle.bev_default_ratio`)."""

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("kind", default="ice", values=KINDS)
        self.options.declare("transmission", default="cvt", values=TRANSMISSIONS)

    def setup(self) -> None:
        self._ins = ["powertrain:final_drive", "powertrain:ratio_low",
                     "powertrain:ratio_high", "body:tyre_diameter"]
        if self.options["kind"] == "bev":
            self._ins += ["mass:test", "powertrain:bev:motor_torque"]
        self._outs = {"powertrain:overall_ratio_low": 1, "powertrain:overall_ratio_high": 1}
        for n in self._ins:
            self._add_input(n)
        for n in self._outs:
            self._add_output(n, val=50.0)
        self._declare()

    def _evaluate(self, v: dict) -> dict:
        bev = self.options["kind"] == "bev"
        bound = ({"mass": v["mass:test"], "torque": v["powertrain:bev:motor_torque"]}
                 if bev else {})
        lo, hi = veh.overall_ratios(self.options["kind"], self.options["transmission"],
                                    v["powertrain:final_drive"], v["powertrain:ratio_low"],
                                    v["powertrain:ratio_high"],
                                    v["body:tyre_diameter"] * 1e-3, **bound)
        return {"powertrain:overall_ratio_low": lo, "powertrain:overall_ratio_high": hi}


_ROAD = ("energy:road:m_eff", "energy:road:f0", "energy:road:f1", "energy:road:f2")
_RATIOS = ("powertrain:overall_ratio_low", "powertrain:overall_ratio_high")
_ICE_IN = ("powertrain:ice:displacement", "powertrain:ice:power", "powertrain:ice:torque",
           "powertrain:ice:rated_speed")
_HEV_IN = ("powertrain:ice:hev_motor_power", "powertrain:ice:hev_battery_energy")
#: the HEV motor's own reduction (cycles only; the tyre turns it into rad/m)
_HEV_GEAR_IN = ("powertrain:ice:hev_motor_reduction", "powertrain:ice:hev_motor_max_speed",
                "body:tyre_diameter")
#: the HEV traction pack (cycles only; 0 and 0: the assumed [hev] pack)
_HEV_PACK_IN = ("powertrain:ice:hev_battery_voltage", "powertrain:ice:hev_battery_resistance")
_BEV_IN = ("powertrain:bev:motor_power", "powertrain:bev:motor_torque",
           "powertrain:bev:max_motor_speed", "powertrain:bev:pack_voltage",
           "powertrain:bev:battery_resistance", "powertrain:bev:charger_efficiency",
           "powertrain:bev:charger_power", "powertrain:bev:battery_energy")


def _quantities(kind: str, v: dict, motor_type: str = "pmsm",
                pack_chemistry: str = "li-ion") -> dict:
    """Kernel quantities from component input values (registered units); ``motor_type``
    a BEV's traction machine (:data:`~keidesign.energy.powertrains.MOTOR_TYPES`),
    ``pack_chemistry`` its battery's (:data:`~keidesign.energy.powertrains.PACK_HEATER_KW`)."""
    q = {"m_eff": v["energy:road:m_eff"], "f0": v["energy:road:f0"],
         "f1": v["energy:road:f1"], "f2": v["energy:road:f2"],
         "k_lo": v["powertrain:overall_ratio_low"], "k_hi": v["powertrain:overall_ratio_high"]}
    if kind == "bev":
        q.update(power=v["powertrain:bev:motor_power"], torque=v["powertrain:bev:motor_torque"],
                 max_rpm=v["powertrain:bev:max_motor_speed"],
                 v_oc=v["powertrain:bev:pack_voltage"],
                 # 0 (the default): R = tau V^2 / E from the pack's energy
                 r_b=pt.pack_resistance(v["powertrain:bev:pack_voltage"],
                                        v["powertrain:bev:battery_energy"],
                                        v["powertrain:bev:battery_resistance"],
                                        kc.bev_constants()["pack_tau_s"]),
                 eta_chg=v["powertrain:bev:charger_efficiency"],
                 charger_power=v["powertrain:bev:charger_power"],
                 induction=1.0 if motor_type == "induction" else 0.0,
                 pack_heater=pt.PACK_HEATER_KW[pack_chemistry])
    else:
        q.update(vd=v["powertrain:ice:displacement"] * 1e-3, power=v["powertrain:ice:power"],
                 torque=v["powertrain:ice:torque"], rated_rpm=v["powertrain:ice:rated_speed"])
        if kind == "hev":
            q["hev_power"] = v["powertrain:ice:hev_motor_power"]
            if "powertrain:ice:hev_motor_reduction" in v:
                q.update(hev_motor_reduction=v["powertrain:ice:hev_motor_reduction"],
                         hev_motor_max_rpm=v["powertrain:ice:hev_motor_max_speed"],
                         tyre_d=v["body:tyre_diameter"] * 1e-3)
            if "powertrain:ice:hev_battery_voltage" in v:
                q.update(hev_battery_voltage=v["powertrain:ice:hev_battery_voltage"],
                         hev_battery_resistance=v["powertrain:ice:hev_battery_resistance"])
    return q


class CycleComp(_DualComp):
    """Drive-cycle results of one design (see :func:`keidesign.energy.vehicle.cycle_results`).

    Options: ``kind`` (``ice``/``bev``/``hev``), ``transmission``, ``turbo``,
    ``idle_stop``, ``idle_stop_speed`` (km/h), ``converter_lockup`` (a torque-converter
    automatic's lock-up rule, :data:`~keidesign.energy.powertrains.CONVERTER_LOCKUP`),
    ``manual_upshift_mph`` (a driver-shifted manual's own upshift speeds, mph; ``()``:
    the class schedule, :func:`~keidesign.energy.powertrains.manual_schedule`),
    ``hev_layout`` (``mild``/``full``),
    ``hev_motor_on_gearbox`` (a P2 motor, :func:`~keidesign.energy.powertrains.motor_speed_ratio`),
    ``compression_ratio`` (0: the class default of ``turbo``), ``wltc_class``
    (``3a``/``3b``), ``motor_type`` (a BEV's ``pmsm``/``induction``),
    ``distance_share`` (the results over the distance the full-power pass drives: inputs
    :data:`DISTANCE_SHARES` from :class:`PerformanceComp`, and an ICE at full load on
    the steps the pass drives below the trace: the mask inputs :data:`BEHIND`).
    """

    _SCALARS = ("energy:ftp_mpg", "energy:hwfet_mpg", "energy:us06_mpg",
                "energy:ftp_kwh_per_mi", "energy:hwfet_kwh_per_mi", "energy:ftp_dc_kwh_per_mi",
                "energy:hwfet_dc_kwh_per_mi", "energy:ev_range_city", "energy:ev_range_hwy",
                "energy:ev_range", "energy:wltc_km_per_l", "energy:wltc_wh_per_km",
                "energy:jc08_km_per_l", "energy:jc08_wh_per_km",
                "energy:cold_start_fuel", "energy:hev_soc_swing", "energy:wltc_test_mass")
    _KEY = {"energy:ftp_mpg": "ftp_mpg", "energy:hwfet_mpg": "hwfet_mpg",
            "energy:us06_mpg": "us06_mpg", "energy:ftp_kwh_per_mi": "ftp_kwh_per_mi",
            "energy:hwfet_kwh_per_mi": "hwfet_kwh_per_mi",
            "energy:ftp_dc_kwh_per_mi": "ftp_dc_kwh_per_mi",
            "energy:hwfet_dc_kwh_per_mi": "hwfet_dc_kwh_per_mi",
            "energy:ev_range_city": "ev_range_city", "energy:ev_range_hwy": "ev_range_hwy",
            "energy:ev_range": "ev_range", "energy:wltc_km_per_l": "wltc_km_per_l",
            "energy:wltc_wh_per_km": "wltc_wh_per_km", "energy:jc08_km_per_l": "jc08_km_per_l",
            "energy:jc08_wh_per_km": "jc08_wh_per_km", "energy:cold_start_fuel": "cold_start",
            "energy:hev_soc_swing": "hev_soc_swing", "energy:ftp:fuel_phase": "ftp_fuel_phase",
            "energy:hwfet:fuel_phase": "hwfet_fuel"}

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("kind", default="ice", values=KINDS)
        self.options.declare("transmission", default="cvt", values=TRANSMISSIONS)
        self.options.declare("turbo", default=False, types=bool)
        self.options.declare("idle_stop", default=False, types=bool)
        self.options.declare("idle_stop_speed", default=0.0, types=float,
                             desc="km/h: with idle stop, engine off below it while braking "
                                  "(powertrains.stop_before_standstill)")
        self.options.declare("converter_lockup", default="all", values=pt.CONVERTER_LOCKUP,
                             desc="torque-converter automatic's lock-up: every gear, top "
                                  "gear only, none (powertrains.lockup_gear)")
        self.options.declare("manual_upshift_mph", default=(), types=tuple,
                             desc="a driver-shifted manual's upshift speeds, mph, on the "
                                  "EPA cycles (): the class schedule "
                                  "(powertrains.manual_schedule)")
        self.options.declare("hev_layout", default="mild", values=HEV_LAYOUTS)
        self.options.declare("hev_motor_on_gearbox", default=False, types=bool,
                             desc="HEV motor on the stepped gearbox's input (P2): turns "
                                  "at the selected gear (powertrains.motor_speed_ratio)")
        self.options.declare("compression_ratio", default=0.0, types=float,
                             desc="engine compression ratio (0: class default of turbo)")
        self.options.declare("wltc_class", default="3b", values=("3a", "3b"))
        self.options.declare("motor_type", default="pmsm", values=pt.MOTOR_TYPES,
                             desc="BEV traction machine (powertrains.motor_loss)")
        self.options.declare("pack_chemistry", default="li-ion",
                             values=tuple(pt.PACK_HEATER_KW),
                             desc="BEV battery chemistry (powertrains.PACK_HEATER_KW)")
        self.options.declare("eta_driveline", default=1.0, types=float,
                             desc="extra driveline efficiency (AWD/4WD; "
                                  "keidesign.energy.vehicle.DRIVELINE_EFFICIENCY)")
        self.options.declare("goods_vehicle", default=False, types=bool,
                             desc="WLTC test mass of a goods vehicle (kei truck) from "
                                  "mass:payload (keidesign.energy.vehicle.wltc_test_mass)")
        self.options.declare("distance_share", default=False, types=bool,
                             desc="results over the distance the full-power pass drives "
                                  "(inputs DISTANCE_SHARES; vehicle.cycle_results)")

    def setup(self) -> None:
        kind = self.options["kind"]
        ins = list(_ROAD) + ["mass:test"] + list(_RATIOS)
        if self.options["distance_share"]:
            ins += list(DISTANCE_SHARES)
        if self.options["goods_vehicle"]:
            ins.append("mass:payload")
        ins += list(_BEV_IN) if kind == "bev" else list(_ICE_IN)
        if kind == "hev":
            ins += list(_HEV_IN) + list(_HEV_GEAR_IN) + list(_HEV_PACK_IN)
        self._ins = ins
        for n in ins:
            self._add_input(n)
        if self.options["distance_share"]:
            for k, n in BEHIND.items():
                self._add_mask_input(
                    n, len(perf.pass_trace(k, self.options["wltc_class"])[0]) - 1)
        self._outs = {n: 1 for n in self._SCALARS}
        self._outs["energy:ftp:fuel_phase"] = 3
        self._outs["energy:hwfet:fuel_phase"] = 1
        zero = {"ice": ("energy:ftp_kwh_per_mi", "energy:hwfet_kwh_per_mi",
                        "energy:ftp_dc_kwh_per_mi", "energy:hwfet_dc_kwh_per_mi",
                        "energy:ev_range_city", "energy:ev_range_hwy", "energy:ev_range",
                        "energy:wltc_wh_per_km", "energy:jc08_wh_per_km",
                        "energy:hev_soc_swing"),
                "bev": ("energy:wltc_km_per_l", "energy:jc08_km_per_l",
                        "energy:cold_start_fuel", "energy:hev_soc_swing"),
                "hev": ("energy:ftp_kwh_per_mi", "energy:hwfet_kwh_per_mi",
                        "energy:ftp_dc_kwh_per_mi", "energy:hwfet_dc_kwh_per_mi",
                        "energy:ev_range_city", "energy:ev_range_hwy", "energy:ev_range",
                        "energy:wltc_wh_per_km", "energy:jc08_wh_per_km",
                        "energy:hev_soc_swing")}[kind]
        self._const = zero
        for n, size in self._outs.items():
            self._add_output(n, size if n.endswith("fuel_phase") else None)
        self._declare()

    def _evaluate(self, v: dict) -> dict:
        o = self.options
        kind, trans = o["kind"], o["transmission"]
        trans = "single_speed" if kind == "bev" else trans
        x = veh.kernel_params(kind, trans, _quantities(kind, v, o["motor_type"],
                                                            o["pack_chemistry"]))
        if kind == "hev" and o["hev_motor_on_gearbox"]:  # a P2 motor (motor_speed_ratio)
            x["motor_on_gearbox"] = np.ones_like(np.real(D.value(x["k_hi"])))
        e_b = (v["powertrain:bev:battery_energy"] if kind == "bev" else
               v["powertrain:ice:hev_battery_energy"] if kind == "hev" else None)
        m_jp = veh.wltc_test_mass(v["mass:test"], v.get("mass:payload"))
        r = veh.cycle_results(kind, trans, x, mass_test=v["mass:test"], e_batt_kwh=e_b,
                              idle_stop=o["idle_stop"], turbo=o["turbo"],
                              hev_layout=o["hev_layout"],
                              wltc_class=o["wltc_class"], eta_driveline=o["eta_driveline"],
                              wltc_mass=m_jp, compression_ratio=o["compression_ratio"],
                              idle_stop_speed=o["idle_stop_speed"],
                              converter_lockup=o["converter_lockup"],
                              manual_upshift_mph=o["manual_upshift_mph"],
                              distance_share=self._shares(v),
                              behind={k: v[n] for k, n in BEHIND.items()}
                              if o["distance_share"] else None)
        out = {name: r[key] for name, key in self._KEY.items()}
        out["energy:hwfet:fuel_phase"] = [r["hwfet_fuel"]]
        out["energy:wltc_test_mass"] = m_jp
        return out


    def _shares(self, v: dict) -> dict | None:
        """The ``distance_share`` of :func:`~keidesign.energy.vehicle.cycle_results`."""
        if not self.options["distance_share"]:
            return None
        s: dict[str, list] = {}
        for n, (k, _) in SHARE_SEGMENTS.items():
            s.setdefault(k, []).append(v[n])
        return {k: segs if perf.SHARE_SPLITS[k] else segs[0] for k, segs in s.items()}


class LabelSetsComp(DualClosedForm):
    """EPA label values with both derived 5-cycle coefficient sets, and unadjusted CO2.

    The formulas of :mod:`keidesign.label` (40 CFR 600.210-08 and -12), called, not
    repeated: ``city = 1/(Ci + Cs/FTP)``, ``hwy = 1/(Hi + Hs/HFET)``, EVs ``max(derived,
    0.7 x unadjusted)``, combined 55/45 harmonic. ``energy:co2_unadj`` = 8887 g/gal over
    the unadjusted 55/45 combined mpg (0 for a BEV). Partials by dual numbers through the
    same functions; batched (``n_cases > 1``): the same on ``(n,)`` arrays.
    """

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("ev", default=False, types=bool)

    def setup(self) -> None:
        outs = [f"energy:label{s}_{part}_mpg" for s in COEFFICIENTS
                for part in ("city", "hwy", "comb")]
        self._add_variables(["energy:ftp_mpg", "energy:hwfet_mpg"], outs + ["energy:co2_unadj"],
                            defaults={"energy:ftp_mpg": 45.0, "energy:hwfet_mpg": 60.0},
                            out_defaults={**dict.fromkeys(outs, 40.0),
                                          "energy:co2_unadj": 200.0})

    def _values(self, g: dict) -> dict:
        f, h = g["energy:ftp_mpg"], g["energy:hwfet_mpg"]
        ev = self.options["ev"]
        out = {}
        for s, k in COEFFICIENTS.items():
            c, w = label_from_unadjusted(f, h, k, ev=ev)
            out[f"energy:label{s}_city_mpg"] = c
            out[f"energy:label{s}_hwy_mpg"] = w
            out[f"energy:label{s}_comb_mpg"] = combined_55_45(c, w)
        un = combined_55_45(f, h)
        out["energy:co2_unadj"] = 0.0 * D.real(f) if ev else co2_g_per_mi(un)
        return out


class PerformanceComp(_DualComp):
    """Full-power performance (see :mod:`keidesign.energy.performance`), with the
    distance share of every cycle segment the full-power pass drives
    (:data:`DISTANCE_SHARES`, :func:`~keidesign.energy.performance.trace_passes`) and
    the steps it drives at full power below each trace (mask outputs :data:`BEHIND`)."""

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("kind", default="ice", values=KINDS)
        self.options.declare("transmission", default="cvt", values=TRANSMISSIONS)
        self.options.declare("turbo", default=False, types=bool)
        self.options.declare("grade", default=None, allow_none=True,
                             desc="grade of the gradeability check (None: calibration.toml)")
        self.options.declare("drive", default="fwd", values=DRIVES, desc="driven wheels")
        self.options.declare("layout", default="front", values=LAYOUTS,
                             desc="engine position (driven-axle weight share)")
        self.options.declare("wltc_class", default="3b", values=("3a", "3b"),
                             desc="WLTC class of perf:wltc_shortfall")

    def setup(self) -> None:
        kind = self.options["kind"]
        ins = ["mass:test", "energy:road:f0", "energy:road:f1", "energy:road:f2",
               "powertrain:speed_limiter", "body:tyre_diameter"] + list(_RATIOS)
        ins += (["powertrain:bev:motor_power", "powertrain:bev:motor_torque",
                 "powertrain:bev:max_motor_speed"] if kind == "bev" else list(_ICE_IN))
        if kind == "hev":
            ins.append("powertrain:ice:hev_motor_power")
        self._ins = ins
        for n in ins:
            self._add_input(n)
        defaults = {"perf:accel_0_60": 12.0, "perf:accel_50_70": 8.0,
                    "perf:top_speed": 90.0, "perf:grade_speed": 60.0,
                    "perf:us06_shortfall": 0.0, "perf:us06_power_deficit": 0.0,
                    "perf:power_to_mass": 40.0,
                    **dict.fromkeys(SHORTFALLS.values(), 0.0),
                    **dict.fromkeys(DISTANCE_SHARES, 1.0)}
        self._outs = dict.fromkeys(defaults, 1)
        for n in self._outs:
            self._add_output(n, val=defaults[n])
        for k, n in BEHIND.items():
            self._add_mask_output(
                n, len(perf.pass_trace(k, self.options["wltc_class"])[0]) - 1)
        p_in = "powertrain:bev:motor_power" if kind == "bev" else "powertrain:ice:power"
        self._declare({"perf:power_to_mass": ["mass:test", p_in]})
        c = {**kc.perf_constants(), "eta_tr": kc.ice_constants()["eta_tr"],
             "eta_gear": kc.bev_constants()["eta_gear"]}
        if self.options["grade"] is not None:
            c["grade"] = float(self.options["grade"])
        drive = self.options["drive"]
        c["driven_axle_share"] = perf.driven_axle_share(drive, self.options["layout"],
                                                        float(c["driven_axle_share"]))
        eta_d = veh.DRIVELINE_EFFICIENCY[drive]
        if eta_d != 1.0:
            c["eta_tr"] = {k: v * eta_d for k, v in c["eta_tr"].items()}
            c["eta_gear"] = c["eta_gear"] * eta_d
        self._c = c

    def kernel_x(self, v: dict) -> tuple[dict, str, str, Any]:
        """The full-power model's parameters of the input values ``v`` (``(n, 1)``
        arrays): ``(x, kind, trans, rated power kW)``, ``kind`` ``"bev"`` or ``"ice"``
        (a hybrid's engine and motor together, :func:`~keidesign.energy.powertrains.
        hybrid_rating`)."""
        kind = self.options["kind"]
        trans = "single_speed" if kind == "bev" else self.options["transmission"]
        q = {"m_eff": v["mass:test"], "f0": v["energy:road:f0"], "f1": v["energy:road:f1"],
             "f2": v["energy:road:f2"], "k_lo": v["powertrain:overall_ratio_low"],
             "k_hi": v["powertrain:overall_ratio_high"]}
        if kind == "bev":
            q.update(power=v["powertrain:bev:motor_power"],
                     torque=v["powertrain:bev:motor_torque"],
                     max_rpm=v["powertrain:bev:max_motor_speed"], v_oc=1.0, r_b=0.0,
                     eta_chg=1.0, charger_power=pt.CHARGER_KW_DEFAULT, induction=0.0)
            p_rated = v["powertrain:bev:motor_power"]
        else:
            q.update(vd=v["powertrain:ice:displacement"] * 1e-3,
                     power=v["powertrain:ice:power"], torque=v["powertrain:ice:torque"],
                     rated_rpm=v["powertrain:ice:rated_speed"])
            p_rated = v["powertrain:ice:power"]
            if kind == "hev":
                # the motor adds its power at full load (parallel hybrid; the curve of
                # the hybrid's cap in the cycles, powertrains.hybrid_rating)
                q["power"], q["torque"] = pt.hybrid_rating(
                    q["power"], q["torque"], v["powertrain:ice:hev_motor_power"])
        x = veh.kernel_params("bev" if kind == "bev" else "ice", trans, q)
        x["m"] = v["mass:test"]
        x["v_lim"] = v["powertrain:speed_limiter"] / 3.6
        x["r_roll"] = 0.5e-3 * v["body:tyre_diameter"] * veh.ROLLING_RADIUS_FACTOR
        return x, "bev" if kind == "bev" else "ice", trans, p_rated

    def launch_time(self, **target: float) -> float:
        """Time (s) from rest to ``distance`` (m) or ``speed`` (m/s) of the last run's
        full-power launch (:func:`keidesign.energy.performance.launch_time`, the
        integration of ``perf:accel_0_60``): for a comparison with a magazine's time
        from a rollout, not a model output (scalar model only)."""
        x, kind, trans, _ = self.kernel_x(self._vals(self._inputs))
        return float(perf.launch_time(x, kind, trans, self._c, self.options["turbo"],
                                      **target)[0, 0])

    def _evaluate(self, v: dict) -> dict:
        x, kind, trans, p_rated = self.kernel_x(v)
        r = perf.performance(x, kind, trans, self._c, turbo=self.options["turbo"],
                             wltc_class=self.options["wltc_class"])
        return {"perf:accel_0_60": r["accel_0_60"], "perf:accel_50_70": r["accel_50_70"],
                "perf:top_speed": r["top_speed"] / pt.MPH,
                "perf:grade_speed": r["grade_speed"] / pt.MPH,
                "perf:us06_power_deficit": r["us06_deficit"] * 1e-3,
                **{n: r[f"{k}_shortfall"] / pt.MPH for k, n in SHORTFALLS.items()},
                **{n: r[f"{k}_distance_share"][i] for n, (k, i) in SHARE_SEGMENTS.items()},
                **{n: r[f"{k}_behind"] for k, n in BEHIND.items()},
                "perf:power_to_mass": p_rated * 1e3 / v["mass:test"]}


class PowertrainPackageComp(_DualComp):
    """Powertrain mass and package volume (:func:`~keidesign.energy.powertrains.
    powertrain_mass_volume`) for the mass model."""

    def initialize(self) -> None:
        super().initialize()
        self.options.declare("kind", default="ice", values=KINDS)

    def setup(self) -> None:
        kind = self.options["kind"]
        self._ins = (["powertrain:bev:motor_power", "powertrain:bev:battery_energy"]
                     if kind == "bev" else ["powertrain:ice:power",
                                            "powertrain:ice:displacement"])
        if kind == "hev":
            self._ins += list(_HEV_IN)
        for n in self._ins:
            self._add_input(n)
        self._outs = {"powertrain:mass": 1, "powertrain:volume": 1}
        self._add_output("powertrain:mass", val=200.0)
        self._add_output("powertrain:volume", val=0.2)
        if kind == "bev":
            self._declare()
        else:  # engine mass from power, volume from displacement (+ the hybrid parts)
            extra = list(_HEV_IN) if kind == "hev" else []
            self._declare({"powertrain:mass": ["powertrain:ice:power"] + extra,
                           "powertrain:volume": ["powertrain:ice:displacement"] + extra})

    def _evaluate(self, v: dict) -> dict:
        kind = self.options["kind"]
        c = {"mass": load_constants()["mass"]}
        if kind == "bev":
            x = {"p_r": v["powertrain:bev:motor_power"] * 1e3,
                 "e_batt_kwh": v["powertrain:bev:battery_energy"]}
        else:
            x = {"p_r": v["powertrain:ice:power"] * 1e3,
                 "vd": v["powertrain:ice:displacement"] * 1e-3}
            if kind == "hev":
                x["pm_r"] = v["powertrain:ice:hev_motor_power"] * 1e3
                x["e_batt_kwh"] = v["powertrain:ice:hev_battery_energy"]
        m, vol = pt.powertrain_mass_volume(kind, x, c)
        return {"powertrain:mass": m, "powertrain:volume": vol}


class EnergyGroup(Group):
    """Energy discipline of one design: road load, drivetrain, cycles, label, performance.

    Options:
        powertrain_type: ``"ice"`` or ``"bev"``; ``hybrid="hev"`` makes an ICE an HEV.
        transmission, turbo, idle_stop, idle_stop_speed (km/h), converter_lockup,
            manual_upshift_mph, hybrid, hev_layout, hev_motor_on_gearbox,
            compression_ratio: the design's structure choices (``converter_lockup``:
            :data:`keidesign.energy.powertrains.CONVERTER_LOCKUP`; ``manual_upshift_mph``:
            a driver-shifted manual's own upshift speeds, mph, ``()`` the class schedule)
            (``hev_layout``: ``"mild"`` or ``"full"``, see
            :func:`keidesign.energy.powertrains.hev_cycle`; ``hev_motor_on_gearbox``: a P2
            motor at the selected gear's input speed,
            :func:`keidesign.energy.powertrains.motor_speed_ratio`).
        drive, layout: driven wheels (AWD/4WD driveline losses, traction share) and
            engine position (traction share).
        coastdown: use measured coast-down coefficients (``energy:coastdown:*``).
        goods_vehicle: a goods vehicle's (truck style's) WLTC test mass, from
            ``mass:payload`` (:func:`keidesign.energy.vehicle.wltc_test_mass`).
        wltc_class: ``"3a"`` or ``"3b"`` for Japan's WLTC mode.
        motor_type: a BEV's traction machine, ``"pmsm"`` or ``"induction"``
            (:func:`keidesign.energy.powertrains.motor_loss`).
        pack_chemistry: a BEV's battery chemistry, ``"li-ion"`` or ``"lmp"`` (a heated
            pack: :data:`keidesign.energy.powertrains.PACK_HEATER_KW`).
        grade: grade of the gradeability check (None: 6 %).
        performance: add the performance component (default True).
        tractive: add the per-test tractive-energy diagnostics (``energy:<t>:trac_*``).
        n_cases: designs evaluated together (:mod:`keidesign.batch`), passed to every
            component (> 1: values only, no partials).
    """

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("powertrain_type", default="ice", values=("ice", "bev"))
        self.options.declare("transmission", default="cvt", values=TRANSMISSIONS)
        self.options.declare("turbo", default=False, types=bool)
        self.options.declare("idle_stop", default=False, types=bool)
        self.options.declare("idle_stop_speed", default=0.0, types=float)
        self.options.declare("converter_lockup", default="all", values=pt.CONVERTER_LOCKUP)
        self.options.declare("manual_upshift_mph", default=(), types=tuple)
        self.options.declare("hybrid", default="none", values=("none", "hev"))
        self.options.declare("hev_layout", default="mild", values=HEV_LAYOUTS)
        self.options.declare("hev_motor_on_gearbox", default=False, types=bool)
        self.options.declare("compression_ratio", default=0.0, types=float)
        self.options.declare("coastdown", default=False, types=bool)
        self.options.declare("wltc_class", default="3b", values=("3a", "3b"))
        self.options.declare("goods_vehicle", default=False, types=bool)
        self.options.declare("grade", default=None, allow_none=True)
        self.options.declare("performance", default=True, types=bool)
        self.options.declare("tractive", default=True, types=bool)
        self.options.declare("drive", default="fwd", values=DRIVES)
        self.options.declare("layout", default="front", values=LAYOUTS)
        self.options.declare("motor_type", default="pmsm", values=pt.MOTOR_TYPES)
        self.options.declare("pack_chemistry", default="li-ion",
                             values=tuple(pt.PACK_HEATER_KW))

    def setup(self) -> None:
        o = self.options
        kind = "bev" if o["powertrain_type"] == "bev" else (
            "hev" if o["hybrid"] == "hev" else "ice")
        trans = "single_speed" if kind == "bev" else o["transmission"]
        n = batch.n_cases(self)
        # the overall ratio first: a BEV's road load from specs carries its motor's drag
        self.add_subsystem("driveline", DrivelineComp(kind=kind, transmission=trans,
                                                      n_cases=n), promotes=["*"])
        if o["coastdown"]:
            self.add_subsystem("road_load", CoastdownComp(n_cases=n), promotes=["*"])
        else:
            self.add_subsystem("road_load", RoadLoadComp(
                n_cases=n, motor_drag=kind == "bev",
                induction=1.0 if o["motor_type"] == "induction" else 0.0), promotes=["*"])
        if o["tractive"]:
            for t in ("ftp", "hwfet"):
                self.add_subsystem(f"trac_{t}", TractiveEnergyComp(test=t, n_cases=n),
                                   promotes=["*"])
        if o["performance"]:
            # before the cycles: its distance shares divide the cycles' fuel (a feed-
            # forward link, performance.trace_passes; no loop)
            self.add_subsystem("performance", PerformanceComp(
                kind=kind, transmission=trans, turbo=o["turbo"], grade=o["grade"],
                drive=o["drive"], layout=o["layout"], wltc_class=o["wltc_class"],
                n_cases=n), promotes=["*"])
        self.add_subsystem("cycles", CycleComp(kind=kind, transmission=trans, turbo=o["turbo"],
                                               idle_stop=o["idle_stop"] and kind == "ice",
                                               idle_stop_speed=o["idle_stop_speed"],
                                               converter_lockup=o["converter_lockup"]
                                               if kind == "ice" else "all",
                                               manual_upshift_mph=o["manual_upshift_mph"]
                                               if kind == "ice" else (),
                                               hev_layout=o["hev_layout"],
                                               hev_motor_on_gearbox=o["hev_motor_on_gearbox"],
                                               compression_ratio=o["compression_ratio"],
                                               wltc_class=o["wltc_class"],
                                               motor_type=o["motor_type"],
                                               pack_chemistry=o["pack_chemistry"],
                                               eta_driveline=veh.DRIVELINE_EFFICIENCY[
                                                   o["drive"]],
                                               goods_vehicle=o["goods_vehicle"],
                                               # the distance driven, as every kind's
                                               # power is capped at full load (an ICE's
                                               # engine, a BEV's motor, a hybrid's both)
                                               distance_share=o["performance"],
                                               n_cases=n),
                           promotes=["*"])
        self.add_subsystem("label_sets", LabelSetsComp(ev=kind == "bev", n_cases=n),
                           promotes=["*"])
        self.add_subsystem("package", PowertrainPackageComp(kind=kind, n_cases=n),
                           promotes=["*"])
