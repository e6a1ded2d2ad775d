"""``validation_probes.py roadload_label`` (issue 13, task s26e): the specs-only chain's
road load taken apart input by input (``benchmarks/roadload_probe.py``,
:class:`ChainArrays`). Its first step must be the chain itself, and putting back the
measured inputs must use the road-load fit's own form, or the parts it prints are not
parts of the chain's error (the whole probe: ``python benchmarks/validation_probes.py
roadload_label``)."""

from __future__ import annotations

import numpy as np
from conftest import benchmark_module

from keidesign.validation import roadload as rl
from keidesign.validation import specsonly as so


def _few() -> list[int]:
    """Three gasoline specs-only cases with a published Cd, width and height."""
    fit_cars = {id(c.car) for c in rl.cases()}  # keys repeat: the car objects
    cars = so.cases(hybrids=False)
    out = [i for i, c in enumerate(cars) if c.cls in ("cvt", "manual", "automatic")
           and id(c) in fit_cars][:3]
    assert len(out) == 3
    return out


def test_first_step_is_the_chain_and_measured_inputs_give_the_fit():
    rp = benchmark_module("roadload_probe")
    cc = rp.chain(only=_few())
    ca = rp.ChainArrays.of(cc)
    chain = so.errors([c.case for c in cc])["road"]
    np.testing.assert_allclose(ca.err(ca.m_pred, ca.a_cad, ca.cd_used), chain, rtol=0,
                               atol=1e-12)
    # ETW, 0.89 W H and the published Cd with the family's held-out pair: the road-load
    # fit's own hold-out error on the same configurations
    lofo = rl.validate()
    pos = {id(c.car): i for i, c in enumerate(lofo["cases"])}
    want = np.array([lofo["lofo"][pos[id(c.case.car)]] for c in cc])
    np.testing.assert_allclose(ca.err(ca.etw, ca.a_wh, ca.cd_used), want, rtol=0, atol=1e-9)
    assert ca.has.all()
    # the all-data pair gives the fit's in-sample error
    f = lofo["fit"]
    ins = np.array([lofo["insample"][pos[id(c.case.car)]] for c in cc])
    np.testing.assert_allclose(ca.err(ca.etw, ca.a_wh, ca.cd_used, (f["c0"], f["c1"])), ins,
                               rtol=0, atol=1e-9)


def test_groups_split_the_set():
    rp = benchmark_module("roadload_probe")
    ca = rp.ChainArrays.of(rp.chain(only=_few()))
    g = dict(rp.label_groups(ca))
    n = len(ca.cars)
    assert g["all"].sum() == n
    assert (g["published Cd"] ^ g["default Cd"]).all()
    assert (g["fwd"] ^ g["rwd/awd"]).all()
    assert sum(g[k].sum() for k in ("automatic", "cvt", "dct", "manual") if k in g) == n
