"""Closed-form body quantities the optimizer needs every iteration.

First version (the geometry issue replaces the frontal area with one held against the
CadQuery solid):

* rear overhang  ``r = L - WB - f``  (mm);
* mean track     ``T = (T_f + T_r) / 2``  (mm);
* footprint      ``FP = WB * T``, converted to ft^2 (49 CFR 523.2: wheelbase times
  average track width; CAFE rounds it to 0.1 ft^2, done in the CAFE component);
* frontal area   ``A = k_A * W * H``  (m^2), fill factor k_A ~ 0.80-0.85 for passenger
  cars (W.-H. Hucho, *Aerodynamics of Road Vehicles*, 4th ed., SAE 1998). Check: the
  N-Box (W 1475, H 1790 mm) with FASTSim's A = 2.19 m^2 gives k_A = 0.83;
* tyre diameter  ``D = 25.4 * rim + 2 * w * aspect/100`` (mm; ISO 4000-1 size code).

Valid for any body whose dimensions pass the design-file checks.
"""

from __future__ import annotations

import openmdao.api as om

from keidesign.variables import add_input, add_output

PROMOTE_ALL = ["*"]

MM2_TO_FT2 = 1.0 / (304.8**2)


class BodyComp(om.ExplicitComponent):
    """Derived body quantities: overhang, mean track, footprint, frontal area, tyre size."""

    def setup(self) -> None:
        for name in ("body:length", "body:wheelbase", "body:front_overhang",
                     "body:track_front", "body:track_rear", "body:width", "body:height",
                     "road:frontal_area_factor", "body:tyre_width", "body:tyre_aspect",
                     "body:rim_diameter"):
            add_input(self, name)
        for name in ("body:rear_overhang", "body:track_mean", "body:footprint",
                     "body:frontal_area", "body:tyre_diameter"):
            add_output(self, name)

    def setup_partials(self) -> None:
        self.declare_partials("body:rear_overhang", "body:length", val=1.0)
        self.declare_partials("body:rear_overhang", ["body:wheelbase", "body:front_overhang"],
                              val=-1.0)
        self.declare_partials("body:track_mean", ["body:track_front", "body:track_rear"],
                              val=0.5)
        self.declare_partials("body:footprint",
                              ["body:wheelbase", "body:track_front", "body:track_rear"])
        self.declare_partials("body:frontal_area",
                              ["body:width", "body:height", "road:frontal_area_factor"])
        self.declare_partials("body:tyre_diameter",
                              ["body:tyre_width", "body:tyre_aspect", "body:rim_diameter"])

    def compute(self, inputs, outputs) -> None:
        wb = inputs["body:wheelbase"]
        track = 0.5 * (inputs["body:track_front"] + inputs["body:track_rear"])
        outputs["body:rear_overhang"] = (inputs["body:length"] - wb
                                         - inputs["body:front_overhang"])
        outputs["body:track_mean"] = track
        outputs["body:footprint"] = wb * track * MM2_TO_FT2
        outputs["body:frontal_area"] = (inputs["road:frontal_area_factor"]
                                        * inputs["body:width"] * inputs["body:height"] * 1e-6)
        outputs["body:tyre_diameter"] = (25.4 * inputs["body:rim_diameter"]
                                         + 0.02 * inputs["body:tyre_width"]
                                         * inputs["body:tyre_aspect"])

    def compute_partials(self, inputs, J) -> None:
        wb = inputs["body:wheelbase"]
        track = 0.5 * (inputs["body:track_front"] + inputs["body:track_rear"])
        J["body:footprint", "body:wheelbase"] = track * MM2_TO_FT2
        J["body:footprint", "body:track_front"] = 0.5 * wb * MM2_TO_FT2
        J["body:footprint", "body:track_rear"] = 0.5 * wb * MM2_TO_FT2
        k, w, h = (inputs["road:frontal_area_factor"], inputs["body:width"],
                   inputs["body:height"])
        J["body:frontal_area", "body:width"] = k * h * 1e-6
        J["body:frontal_area", "body:height"] = k * w * 1e-6
        J["body:frontal_area", "road:frontal_area_factor"] = w * h * 1e-6
        J["body:tyre_diameter", "body:rim_diameter"] = 25.4
        J["body:tyre_diameter", "body:tyre_width"] = 0.02 * inputs["body:tyre_aspect"]
        J["body:tyre_diameter", "body:tyre_aspect"] = 0.02 * inputs["body:tyre_width"]


def add_subsystems(group: om.Group, design: object, packs: object = ()) -> None:
    """Model hook: the body-geometry subsystems of one design."""
    group.add_subsystem("body", BodyComp(), promotes=PROMOTE_ALL)
