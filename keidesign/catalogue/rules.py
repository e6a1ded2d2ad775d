"""Regulatory targets computed from rule-pack coefficients."""

from keidesign.registry import register

register("cafe:target_mpg", "mi/galUS",
         "CAFE footprint target: passenger car 49 CFR 531.5(c), light truck (a truck-style "
         "design) 49 CFR 533.5(a)")
register("ghg:target_co2", "g/mi",
         "EPA GHG CO2 footprint target, 40 CFR 86.1818-12 (passenger-car or, for a "
         "truck-style design, light-truck table)")
