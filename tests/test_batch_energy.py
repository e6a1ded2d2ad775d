"""Batched (case-vectorized) energy, powertrain, label and CAFE components.

The subsystems the ``powertrain``, ``energy`` and ``compliance`` hooks add, built with
``n_cases = n`` (:mod:`keidesign.batch`), against ``n`` runs of the scalar
(``n_cases = 1``) subsystems on the same inputs, element by element: reference designs
with their design-variable inputs perturbed within the registry ranges (seeded), both
powertrains and the structure options (gearbox, turbo, idle stop, hybrid, coast-down,
WLTC class, a truck's goods-vehicle WLTC test mass), a weak car (0-60 unreachable, US06
shortfall) and footprints on both sides of a 0.1 ft^2 rounding step.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS, design_with

from keidesign import batch, compliance, energy, powertrain
from keidesign import variables as reg
from keidesign.cafe import CafeTargetComp, round_footprint
from keidesign.design import Design, load_design
from keidesign.energy import (
    CoastdownComp,
    CycleComp,
    DrivelineComp,
    LabelSetsComp,
    PerformanceComp,
    PowertrainPackageComp,
    RoadLoadComp,
    TractiveEnergyComp,
)
from keidesign.evaluation import resolve_packs
from keidesign.label import LabelComp
from keidesign.powertrain import RatedPowerComp

N = 10

#: (design stem, changes): both powertrains and every structure option of the energy hook
VARIANTS = {
    "ice_cvt": ("nbox_class_us", {}),
    "bev": ("sakura_class_us", {}),
    "ice_mt5_turbo_idle_stop_3a": ("alto_class", {
        "powertrain.transmission": "mt5", "powertrain.ice.turbo": True,
        "powertrain.ice.idle_stop": True, "powertrain.speed_limiter": "110 km/h"}),
    "hev_at4": ("nbox_class", {"powertrain.transmission": "at4",
                               "powertrain.ice.hybrid": "hev"}),
    # MY2024: a light truck's CAFE rows end at MY2026 (the footprint input stays in)
    "truck_mt5_goods_wltc": ("carry_class", {"design.model_year": 2024}),
    # a converter without lock-up (powertrains.converter_speed_ratio, 4 Dec 2026)
    "truck_at3_no_lockup": ("carry_class", {"design.model_year": 2024,
                                            "powertrain.transmission": "at3",
                                            "powertrain.converter_lockup": "none"}),
    "ice_coastdown": ("mirage_class", {
        "energy.coastdown.measured": True, "energy.coastdown.a": "20.0 lbf",
        "energy.coastdown.b": "0.1 lbf*h/mi", "energy.coastdown.c": "0.02 lbf*h**2/mi**2"}),
}

#: inputs made by other disciplines (body, mass): plausible kei ranges, units
UPSTREAM = {"mass:test": ((850.0, 1350.0), "kg"), "body:frontal_area": ((1.8, 2.4), "m**2"),
            "body:tyre_diameter": ((530.0, 610.0), "mm"), "body:footprint": ((32.0, 37.0),
                                                                             "ft**2")}

#: ratios whose 0 means "transmission default": half the cases keep 0
RATIOS = {"powertrain:final_drive": (3.5, 9.0), "powertrain:ratio_low": (2.0, 4.0),
          "powertrain:ratio_high": (0.4, 0.95)}


def _design(stem: str, changes: dict[str, Any]) -> Design:
    if not changes:
        return load_design(DESIGNS / f"{stem}.toml")
    return design_with(stem, changes)


class _Hooks(om.Group):
    """What the model's powertrain, energy and compliance hooks add (round footprint)."""

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("design", types=Design)
        self.options.declare("packs", default=(), types=(list, tuple))

    def setup(self) -> None:
        d, packs = self.options["design"], self.options["packs"]
        powertrain.add_subsystems(self, d, packs)
        energy.add_subsystems(self, d, packs)
        compliance.add_subsystems(self, d, packs, round_footprint=True)


def _problem(d: Design, n: int) -> om.Problem:
    prob = om.Problem(_Hooks(design=d, packs=resolve_packs(d.rules), n_cases=n),
                      reports=False)
    prob.setup()
    return prob


def _free_inputs(prob: om.Problem) -> dict[str, str]:
    """Promoted inputs fed by the auto-IVC: name -> units."""
    meta = prob.model.get_io_metadata(iotypes="input", metadata_keys=["units"])
    conns = prob.model._conn_global_abs_in2out
    return {m["prom_name"]: m["units"] for a, m in meta.items()
            if conns.get(a, "").startswith("_auto_ivc.")}


def _cases(d: Design, names: dict[str, str], n: int, seed: int) -> dict[str, tuple]:
    """``{input: (values (n,), units)}``: design values perturbed by up to +-15 % inside
    the registry range; upstream inputs uniform in :data:`UPSTREAM`; case 0 is weak."""
    rng = np.random.default_rng(seed)
    vals = d.numeric()
    out: dict[str, tuple] = {}
    for name in names:
        if name in UPSTREAM:
            (lo, hi), units = UPSTREAM[name]
            x = rng.uniform(lo, hi, n)
            if name == "body:footprint":  # straddle a rounding step: 34.05 ft^2
                x[1:3] = (34.05 - 1e-9, 34.05 + 1e-9)
            out[name] = (x, units)
            continue
        var = reg.get(name)
        if name not in vals:  # model-side input with a registered default (F1)
            out[name] = (np.full(n, float(var.default)), var.units)
            continue
        v0, units = vals[name]
        if name in RATIOS:
            x = np.where(rng.random(n) < 0.5, 0.0, rng.uniform(*RATIOS[name], n))
        else:
            x = v0 * rng.uniform(0.85, 1.15, n)
        lo = -np.inf if var.lower is None else var.lower
        hi = np.inf if var.upper is None else var.upper
        out[name] = (np.clip(x, lo, hi), units)
    for p, weak in (("powertrain:ice:power", 6.0), ("powertrain:bev:motor_power", 6.0),
                    ("powertrain:ice:hev_motor_power", 1.0)):
        if p in out:  # a car that cannot reach 60 mph nor follow the US06
            out[p][0][0] = weak
    return out


def _set(prob: om.Problem, cases: dict[str, tuple], i: int | None) -> None:
    for name, (x, units) in cases.items():
        u = None if units in (None, "unitless") else units
        prob.set_val(name, x if i is None else x[i], units=u)


def _outputs(prob: om.Problem) -> dict[str, np.ndarray]:
    return {m["prom_name"]: m["val"] for _, m in prob.model.list_outputs(
        prom_name=True, out_stream=None, return_format="list")
        if not m["prom_name"].startswith("_auto_ivc")}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_batched_equals_scalar_runs(variant):
    d = _design(*VARIANTS[variant])
    big = _problem(d, N)
    one = _problem(d, 1)
    names = _free_inputs(big)
    assert set(names) == set(_free_inputs(one))
    cases = _cases(d, names, N, seed=sorted(VARIANTS).index(variant))
    _set(big, cases, None)
    big.run_model()
    got = _outputs(big)
    ref: dict[str, list] = {k: [] for k in got}
    for i in range(N):
        _set(one, cases, i)
        one.run_model()
        for k, v in _outputs(one).items():
            ref[k].append(np.array(v, copy=True))
    assert len(got) > 50
    for name, val in got.items():
        want = np.array(ref[name])  # (N, size)
        assert val.shape == ((N,) if want.shape[1] == 1 else want.shape), name
        np.testing.assert_allclose(val.reshape(want.shape), want, rtol=1e-12, atol=1e-300,
                                   err_msg=name)
    # the cases exercise the branches (not all the same regime)
    assert got["perf:accel_0_60"][0] == pytest.approx(999.0)
    assert np.ptp(got["energy:ftp_mpg"]) > 0.05 * np.mean(got["energy:ftp_mpg"])
    fp = round_footprint(cases["body:footprint"][0])
    assert fp[1] == pytest.approx(34.0) and fp[2] == pytest.approx(34.1)


def _comps(n: int) -> list[om.ExplicitComponent]:
    return [
        RatedPowerComp(n_cases=n), RoadLoadComp(n_cases=n), CoastdownComp(n_cases=n),
        TractiveEnergyComp(test="ftp", n_cases=n),
        DrivelineComp(n_cases=n), CycleComp(kind="hev", transmission="at6", n_cases=n),
        CycleComp(kind="bev", n_cases=n), LabelSetsComp(ev=True, n_cases=n),
        PerformanceComp(kind="ice", transmission="mt5", n_cases=n),
        PowertrainPackageComp(kind="hev", n_cases=n), LabelComp(ev=True, n_cases=n),
        CafeTargetComp(a=50.0, b=40.0, c=0.0004, d=0.002, round_footprint=True, n_cases=n)]


def _declared(comp: om.ExplicitComponent) -> list[tuple[str, str]]:
    """Declared partials of ``comp`` (output, input), without OpenMDAO's own diagonal
    of the outputs."""
    return [(of, wrt) for of, wrt in comp._subjacs_info if of != wrt]


def test_batched_components_declare_no_partials():
    for n, expect_partials in ((4, False), (1, True)):
        for comp in _comps(n):
            prob = om.Problem(reports=False)
            prob.model.add_subsystem("c", comp)
            prob.setup()
            prob.final_setup()
            assert bool(_declared(comp)) == expect_partials, (type(comp).__name__, n)
            if n > 1:
                for _, m in comp.list_inputs(out_stream=None, shape=True,
                                             return_format="list"):
                    assert m["shape"][0] == n


def test_batched_group_declares_no_partials_in_the_model():
    d = _design(*VARIANTS["ice_cvt"])
    prob = _problem(d, 3)
    prob.final_setup()
    comps = [c for c in prob.model.system_iter(recurse=True, typ=om.ExplicitComponent)
             if not c.pathname.startswith("_auto_ivc")]
    assert len(comps) >= 9
    for comp in comps:
        assert batch.n_cases(comp) == 3, comp.pathname
        assert not _declared(comp), comp.pathname


def test_cafe_rounding_on_arrays_on_the_sloped_part():
    """Batched CAFE target with footprint rounding, on the sloped part of a pack's curve
    (where the rounding changes the target), against scalar runs."""
    from keidesign.cafe import cafe_coefficients
    from keidesign.rulepacks import load_pack

    coeffs = cafe_coefficients(load_pack("cafe-2024"), 2027)
    a, b, c, d = (coeffs[k] for k in "abcd")
    lo, hi = (1.0 / a - d) / c, (1.0 / b - d) / c  # ends of the sloped part, ft^2
    mid = round(0.5 * (lo + hi), 1) + 0.05  # a rounding step
    fp = np.array([mid - 1e-9, mid + 1e-9, lo - 1.0, hi + 1.0, mid - 0.3, mid + 0.27])
    n = len(fp)
    probs = {}
    for m in (n, 1):
        prob = om.Problem(reports=False)
        prob.model.add_subsystem("c", CafeTargetComp(**coeffs, round_footprint=True,
                                                     n_cases=m), promotes=["*"])
        prob.setup()
        probs[m] = prob
    probs[n].set_val("body:footprint", fp)
    probs[n].run_model()
    got = probs[n].get_val("cafe:target_mpg")
    for i in range(n):
        probs[1].set_val("body:footprint", fp[i])
        probs[1].run_model()
        assert got[i] == probs[1].get_val("cafe:target_mpg")[0]
    assert got[0] > got[1]  # the step: 0.1 ft^2 more footprint, a lower target
    assert got[2] == pytest.approx(a) and got[3] == pytest.approx(b)


@pytest.mark.parametrize("stem", ["nbox_class_us", "sakura_class_us"])
def test_whole_batched_model_energy_outputs(stem):
    """The batched model of :func:`keidesign.model.build_problem`: this discipline's
    outputs (energy, performance, powertrain, label, CAFE) against scalar models, with
    the design inputs of this discipline perturbed (rtol 1e-9: the curb-mass loop of the
    mass discipline converges to its solver tolerance)."""
    from keidesign.model import build_problem

    d = load_design(DESIGNS / f"{stem}.toml")
    packs = resolve_packs(d.rules)
    n = 6
    big = build_problem(d, packs, n_cases=n)
    one = build_problem(d, packs)
    mine = _free_inputs(_problem(d, 1))
    cases = {k: v for k, v in _cases(d, mine, n, seed=11).items() if k not in UPSTREAM
             and k in _free_inputs(big)}
    assert "road:cd" in cases and len(cases) >= 8
    _set(big, cases, None)
    big.run_model()
    prefixes = ("energy:", "perf:", "powertrain:", "cafe:")
    got = {k: v for k, v in _outputs(big).items() if k.startswith(prefixes)}
    assert len(got) > 50
    for i in range(n):
        _set(one, cases, i)
        one.run_model()
        for name, val in got.items():
            np.testing.assert_allclose(val[i], one.get_val(name).reshape(val[i].shape),
                                       rtol=1e-9, err_msg=name)
