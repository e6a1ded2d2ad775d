"""Fleet-compatibility outputs: delta-V against the US and Japanese fleets (crash issue).

Segment ids follow ``keidesign/data/fleet/fleet_mass.csv`` (column ``segment_id``); the
component checks the file against this list when the model is built.
"""

from keidesign.registry import register

SEGMENTS = {
    "us": ("sedan_wagon", "car_suv", "truck_suv", "minivan_van", "pickup"),
    "jp": ("kei", "registered"),
}
_NAMES = {"us": "US", "jp": "Japanese"}

register("crash:compat:mass", "kg",
         "Collision mass of the car in the compatibility analysis: curb + 75 kg driver")
for market, segs in SEGMENTS.items():
    for seg in segs:
        register(f"crash:compat:{market}:{seg}:delta_v", "km/h",
                 f"Delta-V of the car in a head-on collision (closing speed 112 km/h) with "
                 f"the mean {_NAMES[market]} {seg.replace('_', '/')} vehicle")
    register(f"crash:compat:{market}:mean_delta_v", "km/h",
             f"New-vehicle-share-weighted mean delta-V against the {_NAMES[market]} fleet")
    register(f"crash:compat:{market}:share_above", "unitless",
             f"Share of the {_NAMES[market]} new-vehicle fleet for which the car's delta-V "
             "exceeds the NCAP-equivalent delta-V (with the within-segment mass spread)")
