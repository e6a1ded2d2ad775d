"""The kei ISG catalogue pairs and the mild-layout engine rules tried against them
(issue 13; ``keidesign.validation.isgpairs``,
``python benchmarks/validation_probes.py isg_pairs``; the rules are the trial of
``benchmarks/mild_engine_trial.py``, engine laws the shipped kernel runs in place of
its own)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import benchmark_module

from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.cycles import segments
from keidesign.validation import isgpairs as ip


@pytest.fixture(scope="module")
def shipped():
    return ip.pair_results()


def test_every_pair_has_a_source_a_status_and_an_isg_row():
    pairs = ip.load_pairs()
    assert len(pairs) >= 5
    assert {p.status for p in pairs} <= set(ip.STATUS)
    assert len({p.pair for p in pairs}) == len(pairs)
    for p in pairs:
        assert -0.2 < p.catalogue_gain < 0.3, p.pair


@pytest.mark.parametrize("field,value,match", [
    ("drive", "AWD", "drive = 'AWD', allowed FF or 4WD"),
    ("status", "X", "status = 'X', allowed one of"),
    ("source", " ", "source is blank"),
    ("twin_wltc_km_per_L", "abc", "twin_wltc_km_per_L = 'abc', allowed 5-60"),
    ("twin_mass_kg", "90", "twin_mass_kg = '90', allowed 400-1500 or blank"),
])
def test_bad_pair_rows_name_field_value_and_range(field, value, match):
    import csv
    from importlib import resources

    ref = resources.files("keidesign").joinpath("data", "vehicles", "isg_pairs.csv")
    with ref.open("r", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    with pytest.raises(ValueError, match=match):
        ip.load_pairs([{**row, field: value}])


def test_gain_parts_are_physical(shipped):
    """Idle stop saves fuel, the HEV's engine-off rule saves more than the idle stop, the
    ISG's regeneration saves fuel; the three parts make up the model's gain."""
    for x in shipped:
        pr = x.parts
        assert pr["idle_stop"] > 0.0 and pr["engine_off"] > 0.0 and pr["regen"] > 0.0
        total = np.prod([1.0 + v for v in pr.values()]) - 1.0
        assert total == pytest.approx(x.gain, rel=1e-12)


def test_the_twin_takes_its_published_mass_and_compression_ratio():
    pairs = {p.pair: p for p in ip.load_pairs()}
    hyb, twin, twin_is = ip._specs(pairs["dayz_ff"])
    assert hyb.kind == "hev" and twin.kind == "ice" and twin_is.idle_stop
    assert hyb.mass_test - twin.mass_test == pytest.approx(10.0)  # 840 vs 830 kg
    _, alto, _ = ip._specs(pairs["alto_ff"])
    assert alto.compression_ratio == pytest.approx(11.0)
    _, wr4, _ = ip._specs(pairs["wagonr_4wd"])
    assert wr4.drive == "awd"


def _rule(rule: str):
    return benchmark_module("mild_engine_trial").rule(rule)


def test_the_rules_tried_against_the_shipped_one(shipped):
    """The conventional car's idle-stop fuel in the mild hybrid can only lower the ISG's
    gain; coupling the engine on decelerations (its friction before regeneration, fuel
    where braking does not cover it, accessories driven by the braking) moves it by
    less than a point: the ISG's regeneration is torque-limited well below the braking
    power, so the braking power the engine takes was mostly going to the friction
    brakes."""
    with _rule("idle_stop"):
        trial = ip.pair_results()
    for a, b in zip(shipped, trial, strict=True):
        assert b.hybrid < a.hybrid_no_regen, a.pair.pair
        assert b.twin == a.twin  # the conventional twin is untouched
    with _rule("coupled"):
        trial = ip.pair_results()
    for a, b in zip(shipped, trial, strict=True):
        assert b.gain == pytest.approx(a.gain, abs=0.01), a.pair.pair


def _hev_x(n: int = 1) -> dict:
    return {"m_eff": np.full((n, 1), 950.0), "f0": np.full((n, 1), 90.0),
            "f1": np.zeros((n, 1)), "f2": np.full((n, 1), 0.42),
            "vd": np.full((n, 1), 0.66), "k_lo": np.full((n, 1), 45.0),
            "k_hi": np.full((n, 1), 8.0), "t_r": np.full((n, 1), 60.0),
            "p_r": np.full((n, 1), 38e3), "w_r": np.full((n, 1), 670.0),
            "pm_r": np.full((n, 1), 2.0e3)}


def _fuel(x: dict, rule: str, layout: str = "mild") -> np.ndarray:
    seg = segments(("wltc3b_low", "wltc3b_medium"))
    trial = benchmark_module("mild_engine_trial")
    return trial.hev_cycle(seg, x, "cvt", kc.ice_constants(), kc.bev_constants(),
                           kc.hev_constants(), {}, layout=layout, mild_engine=rule)["fuel"]


@pytest.mark.parametrize("layout", ["mild", "full"])
def test_trial_off_rule_is_the_shipped_kernel(layout):
    """The trial with the ``off`` rule gives the shipped kernel's every output bit for
    bit (US and WLTC segments, two tests' state-of-charge swings), and its rules move
    the mild layout only."""
    trial = benchmark_module("mild_engine_trial")
    seg = segments(("udds_bag1", "udds_bag2", "hwfet", "wltc3b_low"))
    x = {**_hev_x(2), "pm_r": np.array([[2.0e3], [20.0e3]])}
    args = (seg, x, "cvt", kc.ice_constants(), kc.bev_constants(), kc.hev_constants(),
            {"ftp": [0, 1], "hwfet": [2]}, False, layout)
    a = pt.hev_cycle(*args)
    b = trial.hev_cycle(*args, mild_engine="off")
    assert a.keys() == b.keys()
    for k in a:
        if k == "soc_swing":
            for t in a[k]:
                np.testing.assert_array_equal(a[k][t], b[k][t])
        else:
            np.testing.assert_array_equal(a[k], b[k])
    for rule in ("coupled", "idle_stop"):
        moved = trial.hev_cycle(*args, mild_engine=rule)["fuel"]
        assert np.array_equal(moved, a["fuel"]) == (layout == "full")


def test_mild_engine_rule_checked_and_ignored_by_a_full_layout():
    with pytest.raises(ValueError, match="mild_engine 'on': one of"):
        _fuel(_hev_x(), "on")
    np.testing.assert_array_equal(_fuel(_hev_x(), "coupled", "full"),
                                  _fuel(_hev_x(), "off", "full"))


@pytest.mark.parametrize("rule", ["coupled", "idle_stop"])
def test_mild_engine_rules_are_complex_safe(rule):
    """Complex step through the trial rules matches central differences (mass)."""
    h = 1e-30
    x = _hev_x()
    xc = {**x, "m_eff": x["m_eff"] + 1j * h}
    d_cs = np.imag(_fuel(xc, rule)) / h
    dm = 1e-3
    d_fd = (_fuel({**x, "m_eff": x["m_eff"] + dm}, rule)
            - _fuel({**x, "m_eff": x["m_eff"] - dm}, rule)) / (2 * dm)
    np.testing.assert_allclose(d_cs, d_fd, rtol=1e-4)
