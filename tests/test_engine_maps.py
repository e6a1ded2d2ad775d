"""Published engine maps of ``keidesign/data/energy/engine_maps/`` (issue 13, 4 Dec 2026;
``benchmarks/engine_maps.py``, docs/validation.md "Published engine maps against the
Willans line"): the transcribed grids are whole, their units convert to the values the
sources state, and the probe's Willans line is the shipped one."""

from __future__ import annotations

import importlib
import sys

import numpy as np
import pytest
from conftest import ROOT

from keidesign.energy import calibration as cal
from keidesign.energy import powertrains as pt


def _probe():
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("engine_maps")


@pytest.mark.parametrize("name,shape", [("saturn_1l9_dohc_si95", (12, 11)),
                                        ("geo_metro_1l0_si41", (9, 12)),
                                        ("saturn_1l9_sohc_si63", (11, 8))])
def test_grids_are_whole(name, shape):
    m = _probe().load_map(name)
    assert m["pf"].shape == shape
    assert m["ok"].sum() > shape[0] * shape[1] // 2
    eff = m["bmep"][m["ok"]] / m["pf"][m["ok"]]
    assert 0.05 < eff.min() and eff.max() < 0.40  # brake efficiency of an SI engine


def test_units_convert_as_the_sources_state():
    """SAE 910676 Fig. 4 (FC_SI95): 68 ug/J at 8 bar, 2000 rpm is 1 / (68e-9 x 42.6e6)
    = 34.5 %; FC_SI41's full load 81 N m at 3477 rpm is 10.2 bar on 1.0 L."""
    em = _probe()
    m = em.load_map("saturn_1l9_dohc_si95")
    i = int(np.flatnonzero(m["rpm"] == 2000.0)[0])
    j = int(np.flatnonzero(m["bmep"][0] == 8.0)[0])
    assert m["bmep"][i, j] / m["pf"][i, j] == pytest.approx(1 / (68e-9 * 42.6e6), rel=1e-9)
    g = em.load_map("geo_metro_1l0_si41")
    assert g["bmax"].max() == pytest.approx(4 * np.pi * 80.9 / 1e-3 / 1e5, rel=1e-9)


def test_model_line_is_the_shipped_willans_line():
    """``model_pf`` at the reference ratio is ``willans_idle``'s line: at zero load and
    idle speed, fuel MEP x V_d x w / (4 pi) is the idle fuel less the accessory part."""
    em = _probe()
    base, fit, _ = cal.stored_fits()
    c = cal.ice_section(base["ice"], fit)
    vd, w = 1.5, c["idle_rpm"] * pt.RPM
    p_fuel = em.model_pf(np.array(0.0), c["idle_rpm"], vd, c) * 1e5 * vd * 1e-3 * w / (4 * np.pi)
    idle = pt.willans_idle({"vd": vd}, c) - c["acc_kw"] * 1e3 / c["e"]
    assert float(p_fuel) == pytest.approx(float(idle), rel=1e-12)
