"""Crash structure: front crush zone design parameters and crash-model outputs."""

from keidesign.variables import register

_D = {"design": True}

register("crash:front:crush_length", "mm",
         "Front crush length, bumper face to dash panel", lower=100.0, upper=1500.0, **_D)
register("crash:front:rail_width", "mm", "Front rail / crash-box section width",
         lower=20.0, upper=300.0, **_D)
register("crash:front:rail_height", "mm", "Front rail / crash-box section height",
         lower=20.0, upper=300.0, **_D)
register("crash:front:wall_thickness", "mm", "Front rail wall thickness",
         lower=0.4, upper=6.0, **_D)
register("crash:front:material", None,
         "Front rail material grade (flow stress table in keidesign.materials)",
         default="hsla_340", dtype=str,
         choices=("mild_steel", "hsla_340", "dp_590", "dp_780", "al_6061_t6"), **_D)
register("crash:front:n_rails", "unitless", "Number of parallel front rails",
         default=2, lower=1, upper=4, dtype=int, **_D)

# material properties fed to the models
register("crash:front:flow_stress", "MPa", "Rail material flow stress (yield+UTS)/2")
register("crash:front:density", "kg/m**3", "Rail material density")
register("crash:front:dynamic_factor", "unitless",
         "Cowper-Symonds strain-rate factor on the mean crush force")

# outputs
register("crash:front:mean_force", "kN", "Mean crush force of all front rails together")
register("crash:front:crush_available", "mm",
         "Effective crush available = crush length - non-crushing powertrain stack-up")
register("crash:front:crush_required", "mm",
         "Crush needed to absorb the test kinetic energy at the mean crush force")
register("crash:front:energy_required", "kJ",
         "Kinetic energy of the test mass at the FMVSS 208 test speed")
register("crash:front:energy_capacity", "kJ",
         "Energy the rails absorb within the available crush")
register("crash:front:mean_decel", "m/s**2",
         "Mean vehicle deceleration (equivalent square wave) in the frontal test")
register("crash:front:esw_decel", "m/s**2",
         "Equivalent-square-wave deceleration if all available crush is used, v^2/(2C)")
register("crash:front:test_mass", "kg",
         "FMVSS 208 test mass: curb + rated cargo/luggage + two 50th-male dummies")
register("crash:roof:required_force", "kN",
         "FMVSS 216a roof strength requirement: 3.0 x unloaded vehicle weight")
