"""The achieved-speed probe (``benchmarks/achieved_speed_probe.py``): its pass is the
shipped kernel's (the same distance shares) and its ``shipped`` column the model's
result, so its ``achieved`` reference differs from the model only by the catch-up
assumption it measures."""
from __future__ import annotations

import pytest
from conftest import ROOT, benchmark_module

pytestmark = pytest.mark.filterwarnings(
    "ignore::openmdao.utils.om_warnings.DerivativesWarning")


#: Bound on the model's accounting against the achieved-profile reference (-): see
#: :func:`test_probe_pass_and_shipped_column_are_the_models`.
ACCOUNTING_BOUND = 0.10


def test_probe_pass_and_shipped_column_are_the_models(monkeypatch):
    """The probe's pass and shipped column are the model's, and the model's accounting
    of the Sakura class at 10 kW is within :data:`ACCOUNTING_BOUND` (10 %) of the
    reference run on the speeds the pass achieves. Why 10 %: on the steps behind the
    model's one assumption is the trace's speed (docs/energy.md section 3); above the
    motor's base speed (``P_r / T_r`` = 250 rad/s, 8.4 m/s) the available power is ``P_r``
    at either speed, below it ``T_r k v``, so the accounting draws more by the speed the
    car lags there. That first-order term, the available power at the trace's speed less
    that at the achieved speed over the steps behind, is 7.0 / 0.3 / 4.8 % of the
    battery energy of the FTP / HWFET / US06 at 10 kW (measured +5.5 / -0.3 / +4.7 %,
    5 Dec 2026); a change to the loss map, the road load or the pass's force moves the
    model and the reference alike, not this term, so 10 % leaves room for the term and
    a few points. It is not a tolerance on the reference's own error. The accounting
    before the BEV's steps behind (low by 12.0 / 6.3 / 27.1 %: the acceleration still
    owed was never drawn) fails it on the FTP and the US06."""
    probe = benchmark_module("achieved_speed_probe")
    monkeypatch.chdir(ROOT)
    from keidesign.design import load_design
    from keidesign.evaluation import evaluate_design, resolve_packs

    change = {"powertrain:bev:motor_power": 10.0, "powertrain:bev:motor_torque": 40.0}
    rows = probe.consumption("bev", "sakura_class", change)
    d = load_design(ROOT / "studies" / "designs" / "sakura_class.toml").replace(**change)
    out = evaluate_design(d, resolve_packs(d.rules)).outputs
    shares = {"ftp": ["perf:ftp_bag1_distance_share", "perf:ftp_bag2_distance_share"],
              "hwfet": ["perf:hwfet_distance_share"], "us06": ["perf:us06_distance_share"],
              "jc08": ["perf:jc08_distance_share"]}
    for name, keys in shares.items():
        assert rows[name]["share"] == pytest.approx([float(out[k][0]) for k in keys],
                                                    rel=1e-12), name
    assert rows["hwfet"]["shipped"] == pytest.approx(
        float(out["energy:hwfet_dc_kwh_per_mi"][0]), rel=1e-12)
    assert rows["ftp"]["shipped"] == pytest.approx(
        float(out["energy:ftp_dc_kwh_per_mi"][0]), rel=1e-12)
    # the reference: the model's accounting (the cap, full power on the steps behind)
    # within the bound on every cycle, the whole demand far above it
    for name in ("ftp", "hwfet", "us06"):
        row = rows[name]
        assert abs(row["shipped"] / row["achieved"] - 1.0) < ACCOUNTING_BOUND, name
        assert row["uncapped"] > 1.09 * row["achieved"], name
