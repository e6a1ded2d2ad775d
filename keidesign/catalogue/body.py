"""Body geometry: design parameters (mm) and derived quantities.

Ranges are the physically possible ones for a small passenger car body, not the kei
limits (those are rule-pack constraints, reported as margins).
"""

from keidesign.variables import register

_D = {"design": True}

register("body:style", None, "Body style of the parametric CAD body",
         default="hatch", dtype=str, choices=("tallboy", "hatch"), **_D)
register("body:seats", "unitless", "Number of seating positions",
         default=4, lower=1, upper=9, dtype=int, **_D)
register("body:length", "mm", "Overall length, bumper face to bumper face",
         lower=2000.0, upper=6000.0, **_D)
register("body:width", "mm", "Overall width without mirrors", lower=1000.0, upper=2500.0, **_D)
register("body:height", "mm", "Overall height, unladen", lower=1000.0, upper=2600.0, **_D)
register("body:wheelbase", "mm", "Wheelbase", lower=1500.0, upper=4000.0, **_D)
register("body:track_front", "mm", "Front track width", lower=900.0, upper=2000.0, **_D)
register("body:track_rear", "mm", "Rear track width", lower=900.0, upper=2000.0, **_D)
register("body:front_overhang", "mm",
         "Front overhang, front bumper face to front axle centreline",
         lower=200.0, upper=1500.0, **_D)
register("body:ground_clearance", "mm", "Minimum ground clearance, unladen",
         default=150.0, lower=80.0, upper=400.0, **_D)
register("body:hood_height", "mm", "Height of the hood/cowl point at the windshield base",
         default=1000.0, lower=500.0, upper=1800.0, **_D)
register("body:windshield_rake", "deg", "Windshield angle from the vertical",
         default=55.0, lower=10.0, upper=75.0, **_D)
register("body:tyre_width", "mm", "Tyre section width (e.g. 155 of 155/65R14)",
         default=155.0, lower=100.0, upper=350.0, **_D)
register("body:tyre_aspect", "percent", "Tyre aspect ratio (e.g. 65 of 155/65R14)",
         default=65.0, lower=25.0, upper=90.0, **_D)
register("body:rim_diameter", "inch", "Rim diameter (e.g. 14 of 155/65R14)",
         default=14.0, lower=10.0, upper=22.0, **_D)

# derived
register("body:rear_overhang", "mm", "Rear overhang = length - wheelbase - front overhang")
register("body:track_mean", "mm", "Mean of front and rear track")
register("body:footprint", "ft**2",
         "Footprint = wheelbase x mean track (49 CFR 523.2), unrounded")
register("body:frontal_area", "m**2", "Frontal projected area")
register("body:tyre_diameter", "mm", "Tyre outer diameter from the tyre size")

# interface to the crash discipline (computed by the geometry layer)
register("body:side_crush_space", "mm",
         "Side crush space: door outer skin to the outboard side of the front occupant "
         "(lateral), at H-point height")
