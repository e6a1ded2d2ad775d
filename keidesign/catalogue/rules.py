"""Regulatory targets computed from rule-pack coefficients."""

from keidesign.registry import register

register("cafe:target_mpg", "mi/galUS",
         "CAFE passenger-car footprint target, 49 CFR 531.5(c)")
register("ghg:target_co2", "g/mi",
         "EPA GHG passenger-car CO2 footprint target, 40 CFR 86.1818-12")
