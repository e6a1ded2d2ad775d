"""Stop before standstill (``powertrain.ice.idle_stop_speed``) and a spec file's published
gearing (``transmission.ratio_low/ratio_high/final_drive/transfer_ratio``), issue 13
second new-user pass (4 Dec 2026)."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest
from conftest import ROOT
from test_energy import NBOX, ROAD, _check
from test_import import _keys_and_comments

from keidesign.cli import main
from keidesign.design import load_design
from keidesign.energy import constants as kc
from keidesign.energy import powertrains as pt
from keidesign.energy.components import CycleComp
from keidesign.energy.cycles import segments
from keidesign.energy.vehicle import JC08_SEGMENTS, VehicleSpec, kernel_params, simulate
from keidesign.errors import InputError
from keidesign.evaluation import design_packs, evaluate_design

NEWUSER = ROOT / "tests" / "data" / "newuser"


def _x(spec: VehicleSpec) -> dict:
    q = {k: np.array([[v]]) for k, v in spec.quantities().items()}
    return kernel_params("ice", spec.trans, q)


def test_stop_speed_saves_the_idle_fuel_of_slow_braking():
    """The saving is the Willans idle fuel on the intervals the rule stops the engine
    (moving, decelerating, below the speed), weighted by the braking share ``1 - c``; by
    hand on the JC08 kernel."""
    seg = segments(JC08_SEGMENTS)
    tr = pt.Trace.of(seg)
    c = pt.with_compression(kc.ice_constants(), 0.0, False)
    x = _x(VehicleSpec(idle_stop=True))
    v = 9.0 / 3.6
    a = pt.ice_cycle(seg, x, "cvt", c, idle_stop=True)
    b = pt.ice_cycle(seg, x, "cvt", c, idle_stop=True, stop_speed=v)
    mask = pt.stop_before_standstill(tr, v)
    assert mask.sum() > 5  # JC08 brakes to standstill a dozen times
    cw = pt.D.spos_step(a["pw"], c["eps_w"])
    want = np.sum(mask * (1.0 - cw) * pt.willans_idle(x, c) * tr.dt)
    assert np.sum(a["fuel"] - b["fuel"]) == pytest.approx(want, rel=1e-9)
    assert want > 0.0
    # without idle stop the speed does nothing
    off = pt.ice_cycle(seg, x, "cvt", c, idle_stop=False, stop_speed=v)
    np.testing.assert_array_equal(off["fuel"], pt.ice_cycle(seg, x, "cvt", c)["fuel"])


def test_mask_is_slow_deceleration_only():
    tr = pt.Trace(dt=np.ones(5), vb=np.array([0.0, 1.0, 2.0, 3.0, 1.0]),
                  dv=np.array([0.0, -1.0, -1.0, -1.0, 1.0]))
    np.testing.assert_array_equal(pt.stop_before_standstill(tr, 2.5),
                                  [False, True, True, False, False])


def test_simulate_groups_by_stop_speed():
    r = simulate([VehicleSpec(idle_stop=True), VehicleSpec(idle_stop=True, idle_stop_speed=9.0),
                  VehicleSpec(idle_stop=True, idle_stop_speed=13.0)])
    assert r["jc08_km_per_l"][0] < r["jc08_km_per_l"][1] < r["jc08_km_per_l"][2]
    assert r["wltc_km_per_l"][0] < r["wltc_km_per_l"][1] < r["wltc_km_per_l"][2]


def test_partials_with_stop_speed():
    """Exact partials hold with the stop (a trace mask: the derivative passes through)."""
    vals = {**ROAD, "powertrain:overall_ratio_low": 46.0, "powertrain:overall_ratio_high": 8.3,
            **{k: NBOX[k] for k in ("powertrain:ice:displacement", "powertrain:ice:power",
                                    "powertrain:ice:torque")}}
    _check(CycleComp(kind="ice", transmission="cvt", idle_stop=True, idle_stop_speed=9.0),
           vals, atol=1e-6, rtol=2e-6)


def _variant(tmp_path, stem: str, old: str, new: str):
    text = (NEWUSER / f"{stem}.toml").read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / f"{stem}.toml"
    p.write_text(text.replace(old, new), encoding="utf-8")
    return p


def test_published_gearing_is_written_with_the_transfer(tmp_path):
    """The Jimny's 5MT ratios reach the design as facts; the transfer's high range
    multiplies the final drive (3.818 x 1.320); the tyre is the spec's."""
    out = tmp_path / "d.toml"
    assert main(["import", "spec", str(NEWUSER / "suzuki_jimny_jb64_5mt.toml"), "-o",
                 str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    p = doc["powertrain"]
    assert (p["ratio_low"], p["ratio_high"]) == (5.809, 1.0)
    assert p["final_drive"] == pytest.approx(3.818 * 1.320, abs=1e-4)
    rows = {(t, k): c for t, k, c in _keys_and_comments(text)}
    for k in ("ratio_low", "ratio_high", "final_drive"):
        assert rows[("powertrain", k)].startswith("source:"), rows[("powertrain", k)]
    assert "transfer" in rows[("powertrain", "final_drive")]
    assert doc["body"]["rim_diameter"] == 16


def test_stop_speed_is_written_and_moves_the_figure(tmp_path):
    stem = "daihatsu_move_canbus_2022_turbo"
    out = tmp_path / "d.toml"
    assert main(["import", "spec", str(NEWUSER / f"{stem}.toml"), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert tomllib.loads(text)["powertrain"]["ice"]["idle_stop_speed"] == 9
    rows = {(t, k): c for t, k, c in _keys_and_comments(text)}
    assert rows[("powertrain.ice", "idle_stop_speed")].startswith("source:")
    # through the design model (energy_options -> CycleComp): the stop raises the figures
    d = load_design(out)
    o = {v: evaluate_design(x, design_packs(x)).outputs for v, x in
         (("stop", d), ("standstill", d.replace(**{"powertrain:ice:idle_stop_speed": 0.0})))}
    for k in ("energy:wltc_km_per_l", "energy:jc08_km_per_l"):
        assert o["stop"][k][0] > o["standstill"][k][0]


@pytest.mark.parametrize("stem, old, new, says", [
    ("daihatsu_move_canbus_2022_turbo", "idle_stop_speed = 9 ", "idle_stop_speed = 30 ",
     ("engine.idle_stop_speed = 30", "allowed:", "20")),
    ("daihatsu_move_canbus_2022_turbo", "idle_stop = true ", "idle_stop = false ",
     ("engine.idle_stop_speed = 9", "without engine.idle_stop = true", "allowed:")),
    ("suzuki_jimny_jb64_5mt", "transfer_ratio = 1.320", "transfer_ratio = 2.643",
     ("transmission.transfer_ratio = 2.643", "allowed: number in [1, 2]")),
    ("suzuki_jimny_jb64_5mt", "final_drive = 3.818\n", "",
     ("transmission.transfer_ratio = 1.32", "without transmission.final_drive",
      "allowed:")),
    ("suzuki_jimny_jb64_5mt", "ratio_low = 5.809", "ratio_low = 12",
     ("transmission.ratio_low = 12", "allowed: number in [0.3, 10]")),
])
def test_bad_values_are_one_line(tmp_path, capsys, stem, old, new, says):
    path = _variant(tmp_path, stem, old, new)
    assert main(["import", "spec", str(path), "-o", str(tmp_path / "d.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    for part in says:
        assert part in err, err


def test_design_stop_speed_needs_idle_stop():
    """A design file's stop speed without idle stop would be ignored: refused, naming
    both keys and what is allowed; with idle stop it loads, above 20 km/h it is out of
    the registry range."""
    from conftest import design_with

    with pytest.raises(InputError) as e:
        design_with("alto_class", {"powertrain.ice.idle_stop": False,
                                   "powertrain.ice.idle_stop_speed": "9 km/h"})
    msg = str(e.value)
    assert "powertrain.ice.idle_stop_speed = 9 km/h" in msg and "allowed:" in msg
    d = design_with("alto_class", {"powertrain.ice.idle_stop": True,
                                   "powertrain.ice.idle_stop_speed": "9 km/h"})
    assert d["powertrain:ice:idle_stop_speed"] == 9.0
    with pytest.raises(InputError, match=r"idle_stop_speed.*\[0, 20\] km/h"):
        design_with("alto_class", {"powertrain.ice.idle_stop": True,
                                   "powertrain.ice.idle_stop_speed": "25 km/h"})
