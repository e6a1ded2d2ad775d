"""Money variables carry OpenMDAO's ``USD`` (s30d): the registry, design files, the
evaluation's outputs and their partials. ``cost:price`` was registered ``unitless`` and
printed as USD by hand, so ``variables``, reports and results.json gave it no unit."""

from __future__ import annotations

import json

import pytest
from conftest import DESIGNS
from openmdao.utils.units import convert_units

import keidesign.variables  # noqa: F401  (registers the catalogue)
from keidesign.cli import main
from keidesign.registry import REGISTRY

MONEY = ("cost:vehicle", "cost:price", "cost:price_position", "cost:destination",
         "cost:reference_price", "cost:group:body_structure", "cost:group:assembly")


@pytest.mark.parametrize("name", MONEY)
def test_money_variables_are_registered_in_usd(name):
    assert REGISTRY[name].units == "USD"


def test_no_unitless_variable_is_money():
    """Every variable whose description gives dollars has a money unit (``cost:rpe``, a
    ratio of two prices, is the one unitless ``cost:`` variable)."""
    for name, var in REGISTRY.items():
        if "USD" in var.desc and name != "cost:rpe":
            assert var.units and var.units.startswith("USD"), (name, var.units)
    assert REGISTRY["cost:rpe"].units in (None, "unitless")
    # a pack price per kWh converts as one: 97 USD/kWh = 0.097 USD/Wh
    assert REGISTRY["cost:battery_price"].units == "USD/kW/h"
    assert convert_units(97.0, "USD/kW/h", "USD/W/h") == pytest.approx(0.097)


def test_design_file_money_with_units(tmp_path, capsys):
    text = (DESIGNS / "nbox_class.toml").read_text(encoding="utf-8")
    ok = tmp_path / "ok.toml"
    ok.write_text(text + '\n[cost]\nreference_price = "17.82 kUSD"\ndestination = '
                  '"1100 USD"\n', encoding="utf-8")
    from keidesign.design import load_design

    d = load_design(ok)
    assert (d.values["cost:reference_price"], d.values["cost:destination"]) == (17820.0,
                                                                                 1100.0)
    bad = tmp_path / "bad.toml"
    bad.write_text(text + '\n[cost]\ndestination = "1100 kg"\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"keidesign: error: {bad}: cost.destination = '1100 kg': units 'kg' "
                   "cannot be converted to 'USD'; allowed: number in [0, 5000] USD"), err


def test_evaluation_json_carries_usd(capsys):
    capsys.readouterr()
    assert main(["evaluate", str(DESIGNS / "nbox_class.toml"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    outs = doc["outputs"]
    for name in ("cost:price", "cost:vehicle", "cost:price_position",
                 "cost:group:body_structure"):
        assert outs[name]["units"] == "USD", (name, outs[name])
