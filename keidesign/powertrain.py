"""Powertrain quantities shared by several disciplines (first version).

``powertrain:rated_power`` is the rated propulsion power the kei 64 PS (47 kW) cap
applies to: the engine's rated power for an ICE, the motor's for a BEV.

Batched (option ``n_cases = n > 1``, :mod:`keidesign.batch`): ``(n,)`` arrays, no
partials; the hook passes the model's ``n_cases`` on.
"""

from __future__ import annotations

from openmdao.core.explicitcomponent import ExplicitComponent
from openmdao.core.group import Group

from keidesign import batch
from keidesign.variables import add_input, add_output


class RatedPowerComp(ExplicitComponent):
    """Rated propulsion power: engine (ICE) or motor (BEV), kW."""

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("powertrain_type", default="ice", values=("ice", "bev"))

    def setup(self) -> None:
        self._src = ("powertrain:ice:power" if self.options["powertrain_type"] == "ice"
                     else "powertrain:bev:motor_power")
        shape = batch.shape(self)
        add_input(self, self._src, shape=shape)
        add_output(self, "powertrain:rated_power", shape=shape)
        if batch.batched(self):
            return
        self.declare_partials("powertrain:rated_power", self._src, val=1.0)

    def compute(self, inputs, outputs) -> None:
        outputs["powertrain:rated_power"] = inputs[self._src]


def add_subsystems(group: Group, design, packs=()) -> None:
    """Model hook: shared powertrain quantities."""
    group.add_subsystem("powertrain",
                        RatedPowerComp(powertrain_type=design.powertrain_type,
                                       n_cases=batch.n_cases(group)),
                        promotes=["*"])


def declare_powertrain_options(options) -> None:
    """Declare the structural powertrain options shared by components that size or cost
    the powertrain (type, transmission, turbo, hybrid); choices come from the registry."""
    from keidesign import variables as reg

    options.declare("powertrain_type", default="ice",
                    values=reg.get("powertrain:type").choices)
    options.declare("transmission", default="cvt",
                    values=reg.get("powertrain:transmission").choices)
    options.declare("turbo", default=False, types=bool)
    options.declare("hybrid", default="none",
                    values=reg.get("powertrain:ice:hybrid").choices)
