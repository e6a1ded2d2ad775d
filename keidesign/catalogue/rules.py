"""Regulatory targets computed from rule-pack coefficients."""

from keidesign.registry import register

register("cafe:target_mpg", "mi/galUS",
         "CAFE passenger-car footprint target, 49 CFR 531.5(c)")
