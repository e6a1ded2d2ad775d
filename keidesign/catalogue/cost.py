"""Cost discipline: bill-of-materials cost outputs and the price-position inputs.

Money is in 2024 US dollars, registered in OpenMDAO's unit ``USD`` (its base unit of
the ``money`` dimension, ``openmdao/utils/unit_library.ini``; no currency conversion
exists there, so a value in ``USD`` converts to nothing but ``USD`` and its prefixed
forms such as ``kUSD``); the year of the dollars is in each description ("USD (2024)";
``keidesign.costing.cpi.BASE_YEAR``). ``cost:rpe`` is a ratio (``unitless``). Rates and
their sources: ``keidesign/data/cost/rates.csv`` and ``docs/mass_cost.md``.
"""

from keidesign.registry import register

_D = {"design": True}

# ---------------------------------------------------------------- design keys
register("cost:rpe", "unitless",
         "Retail price equivalent multiplier: retail price / direct manufacturing cost "
         "(NRC 2011 Finding 3.1: 1.5 for purchased components; RTI/EPA 2009 industry "
         "average 1.46)", default=1.5, lower=1.0, upper=3.0, **_D)
register("cost:battery_price", "USD/kW/h",
         "Traction battery pack price, USD (2024) per kWh (BloombergNEF 2024 survey: BEV "
         "packs USD 97/kWh volume-weighted average)",
         default=97.0, lower=30.0, upper=1000.0, design=True,
         when=("powertrain:type", "bev"))
register("cost:destination", "USD",
         "Destination charge added to the retail price, USD (2024) [assumed; the reference "
         "prices include it]", default=1100.0, lower=0.0, upper=5000.0, **_D)
register("cost:reference_price", "USD",
         "Price the design is positioned against, USD (2024), including destination: "
         "default the cheapest new US car, 2024 Nissan Versa S USD 17,820 (The Drive, "
         "July 2024; Mirage ES USD 17,840)",
         default=17820.0, lower=0.0, upper=500000.0, **_D)

# ---------------------------------------------------------------- outputs
COST_GROUPS = ("body_structure", "closures", "glazing", "interior", "chassis", "wheels",
               "electrical", "powertrain", "battery", "us_content", "calibration", "assembly")
for _g in COST_GROUPS:
    register(f"cost:group:{_g}", "USD",
             f"Direct manufacturing cost of the part group '{_g}', USD (2024)")
register("cost:vehicle", "USD",
         "Direct manufacturing cost (bill of materials + assembly) of the vehicle, USD (2024)")
register("cost:price", "USD",
         "Estimated retail price: cost:rpe x cost:vehicle + cost:destination, USD (2024)")
register("cost:price_position", "USD",
         "Estimated retail price minus cost:reference_price (the cheapest US car), USD "
         "(2024); negative = cheaper")
