"""The crash discipline batched (``n_cases > 1``) against ``n`` scalar runs.

The crash subsystems of a reference design (ICE and BEV) are built by the discipline's
own hook in a group of their own, once with ``n_cases = n`` and once scalar. Their
inputs start from the full scalar model's values for the design and are perturbed
(seeded): design variables within +-15 % inside their registry ranges, the upstream
quantities (masses, body, powertrain) within +-10 %. Every output element ``i`` of the
batched run must equal the scalar run of case ``i``; batched components declare no
partials. The pulse kernel's batched loop is also checked on its own over the branches
of its metrics (car not stopped within the window, no OLC ride-down, no dash contact).
"""

from __future__ import annotations

import numpy as np
import openmdao.api as om
import pytest
from conftest import DESIGNS

from keidesign import batch, crash
from keidesign import variables as reg
from keidesign.crash import _pulse_kernel
from keidesign.crash.pulse import _METRICS, simulate, simulate_cases
from keidesign.crash.structure import _energy_within, crush_for_energy
from keidesign.design import load_design
from keidesign.model import build_problem

N = 12
RTOL = 1e-12  # observed: bit-identical; the margin only allows other numpy builds' SIMD


class _Crash(om.Group):
    """The crash hook alone (inputs on auto-IVCs)."""

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("design")

    def setup(self) -> None:
        crash.add_subsystems(self, self.options["design"])


def _problem(design, n: int) -> om.Problem:
    prob = om.Problem(_Crash(design=design, n_cases=n), reports=False)
    prob.setup()
    prob.final_setup()  # declares the partials (setup_partials)
    return prob


def _io(prob: om.Problem, iotype: str) -> list[str]:
    meta = prob.model.get_io_metadata(iotypes=iotype, metadata_keys=[])
    return sorted({m["prom_name"] for m in meta.values()})


def _units(name: str) -> str | None:
    u = reg.get(name).units
    return None if u == "unitless" else u


def _cases(design, names: list[str], n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` valid input sets: the full scalar model's values, perturbed (seeded)."""
    full = build_problem(design)
    full.run_model()
    rng = np.random.default_rng(seed)
    out = {}
    for name in names:
        var = reg.get(name)
        base = float(full.get_val(name, units=_units(name)).item())
        spread = 0.15 if var.design else 0.10
        vals = base * (1.0 + rng.uniform(-spread, spread, n))
        lo = -np.inf if var.lower is None else var.lower
        hi = np.inf if var.upper is None else var.upper
        out[name] = np.clip(vals, lo, hi)
    return out


DESIGN_FILES = {"ice": "nbox_class_us.toml", "bev": "sakura_class_us.toml"}


@pytest.mark.parametrize("powertrain", list(DESIGN_FILES))
def test_batched_crash_equals_scalar_runs(powertrain):
    design = load_design(DESIGNS / DESIGN_FILES[powertrain])
    assert design.powertrain_type == powertrain
    big, one = _problem(design, N), _problem(design, 1)
    inputs = _io(one, "input")
    assert _io(big, "input") == inputs
    outputs = _io(one, "output")
    cases = _cases(design, inputs, N, seed=7 if powertrain == "ice" else 11)

    for name, vals in cases.items():
        big.set_val(name, vals, units=_units(name))
    big.run_model()
    got = {k: big.get_val(k, units=_units(k)) for k in outputs}

    want = {k: np.empty(N) for k in outputs}
    for i in range(N):
        for name, vals in cases.items():
            one.set_val(name, vals[i], units=_units(name))
        one.run_model()
        for k in outputs:
            want[k][i] = one.get_val(k, units=_units(k)).item()

    for k in outputs:
        assert got[k].shape == (N,), k
        np.testing.assert_allclose(got[k], want[k], rtol=RTOL, atol=0.0, err_msg=k)
    # the perturbation moved the results (a constant output would hide a broadcast bug)
    for k in ("crash:front:crush_required", "crash:front:olc", "crash:side:force",
              "crash:roof:strength", "crash:compat:us:share_above"):
        assert np.ptp(got[k]) > 0.0, k


def _components(prob: om.Problem) -> list:
    return [c for c in prob.model.system_iter(recurse=True, typ=om.ExplicitComponent)
            if not c.pathname.startswith("_auto_ivc")]


def test_batched_components_declare_no_partials():
    design = load_design(DESIGNS / DESIGN_FILES["ice"])
    big, one = _problem(design, N), _problem(design, 1)
    comps = _components(big)
    assert len(comps) >= 9
    for comp in comps:
        assert comp.options["n_cases"] == N, comp.pathname
        assert not comp._declared_partials_patterns, comp.pathname
    # the scalar components still declare theirs
    scalar = _components(one)
    assert all(c.options["n_cases"] == 1 for c in scalar)
    assert all(c._declared_partials_patterns for c in scalar)


def test_piecewise_zone_sums_per_case():
    """Energy within a crush and crush for an energy, per case by masks, against the
    staircase by hand (zones 80 kN x 70 mm, 160 kN x 90 mm, 250 kN x 420 mm) on crushes
    and energies in every zone (none, each zone, past the rails), and each the inverse
    of the other."""
    forces = (np.float64(80e3), np.float64(160e3), np.float64(250e3))
    strokes = (np.float64(0.07), np.float64(0.09), np.float64(0.42))
    c = np.array([-0.01, 0.0, 0.03, 0.07, 0.1, 0.16, 0.3, 0.65, 0.7])
    by_hand = [0.0, 0.0, 2400.0, 5600.0, 10400.0, 20000.0, 55000.0, 125000.0, 125000.0]
    np.testing.assert_allclose(_energy_within(forces, strokes, c), by_hand, rtol=1e-12)
    energy = np.array([1e3, 5.6e3, 8e3, 20e3, 60e3, 124e3, 140e3, 200e3])
    crush = crush_for_energy(forces, strokes, energy)
    np.testing.assert_allclose(crush[[2, 6]], [0.07 + 2400.0 / 160e3, 0.58 + 15e3 / 250e3],
                               rtol=1e-12)  # zone 2; past the rails at the rail force
    inside = energy <= 125e3
    np.testing.assert_allclose(_energy_within(forces, strokes, crush[inside]),
                               energy[inside], rtol=1e-12)


def _pulse_params(n: int, seed: int) -> dict[str, np.ndarray]:
    base = dict(m_test=1094.0, m_stack=227.7, f1=82e3, f2=165e3, f3=250e3, s1=0.07,
                s2=0.0876, s3=0.4234, gap=0.2, clearance=0.08, slack=0.025, k_r=250e3,
                f_ll=35e3, space=0.3)
    rng = np.random.default_rng(seed)
    p = {k: v * rng.uniform(0.6, 1.4, n) for k, v in base.items()}
    # branch cases: a soft front that does not stop the car in 160 ms (no zero
    # crossing, no OLC ride-down end), a long engine clearance (no dash contact)
    p["f1"][0], p["f2"][0], p["f3"][0], p["s3"][0], p["gap"][0] = 5e3, 8e3, 12e3, 3.0, 3.0
    p["clearance"][1] = 0.6
    p["k_r"][2], p["slack"][2] = 600e3, 0.001
    return p


@pytest.mark.parametrize("kw", [{}, {"v0_kmh": 40.0, "n_occupants": 1},
                                {"v0_kmh": 64.0, "t_end": 0.12}])
def test_pulse_cases_equal_single_runs(kw):
    n = 10
    p = _pulse_params(n, seed=3)
    got = simulate_cases(p, **kw)
    assert tuple(got) == _METRICS == _pulse_kernel.METRICS
    for i in range(n):
        r = simulate({k: v[i:i + 1] for k, v in p.items()}, **kw)
        for k in _METRICS:
            np.testing.assert_allclose(got[k][i], np.asarray(r[k]).item(), rtol=RTOL,
                                       atol=0.0, err_msg=f"case {i} {k}")
    # the branch cases did take their branches
    assert got["v_end"][0] > 0.0 and got["dash_intrusion"][1] == 0.0
    assert np.all(got["dash_intrusion"][3:] >= 0.0)


def _standalone(make, inputs: dict[str, np.ndarray]) -> None:
    """Component ``make(n_cases=...)`` batched on ``inputs`` vs one scalar run per case."""
    n = len(next(iter(inputs.values())))
    probs = {}
    for size in (n, 1):
        prob = om.Problem(reports=False)
        prob.model.add_subsystem("c", make(n_cases=size), promotes=["*"])
        prob.setup()
        probs[size] = prob
    for k, v in inputs.items():
        probs[n].set_val(k, v)
    probs[n].run_model()
    outs = _io(probs[1], "output")
    for i in range(n):
        for k, v in inputs.items():
            probs[1].set_val(k, v[i])
        probs[1].run_model()
        for k in outs:
            np.testing.assert_allclose(probs[n].get_val(k)[i], probs[1].get_val(k).item(),
                                       rtol=RTOL, atol=0.0, err_msg=f"case {i} {k}")


def test_unwired_and_branching_components_per_case():
    """The branches the reference designs do not reach: no cargo mass (payload < 68 kg
    per seat), the fleet threshold below zero mass and above the closing speed."""
    rng = np.random.default_rng(5)
    n = 9
    payload = np.linspace(200.0, 340.0, n)  # 4 seats: cargo from 272 kg on
    _standalone(lambda n_cases: crash.CrashTestMassComp(seats=4, n_cases=n_cases),
                {"mass:curb": rng.uniform(700.0, 1300.0, n), "mass:payload": payload})
    for threshold in (8.6, 130.0):  # m_crit crosses 0 over the masses; r >= 1
        _standalone(lambda n_cases, th=threshold: crash.FleetCompatibilityComp(
            fleet=crash.load_fleet(), threshold_kmh=th, n_cases=n_cases),
            {"mass:curb": np.linspace(450.0, 1400.0, n)})
