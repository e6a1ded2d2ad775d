"""Mass items (design) and the curb-mass build-up (outputs)."""

from keidesign.variables import register

register("mass:glider", "kg",
         "Glider mass: body, chassis, interior, electrics, without the powertrain, its "
         "energy store and the front crash rails", lower=150.0, upper=3000.0, design=True)
register("mass:payload", "kg", "Rated payload (occupants + cargo) for GVWR",
         default=300.0, lower=0.0, upper=2000.0, design=True)
register("mass:options", "kg", "Optional equipment mass", default=0.0, lower=0.0,
         upper=500.0, design=True)

register("mass:powertrain", "kg", "Powertrain mass (engine+transmission or motor+battery)")
register("mass:fuel", "kg", "Mass of the fuel in the curb condition (full tank)")
register("mass:crash_rails", "kg", "Mass of the front crash rails")
register("mass:curb", "kg", "Curb mass (unloaded vehicle, full fuel)")
register("mass:test", "kg", "Test mass: curb + 136 kg (300 lb, 40 CFR 1066.805)")
register("mass:gvw", "kg", "Gross vehicle mass: curb + payload")
