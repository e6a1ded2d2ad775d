"""Body geometry: design parameters (mm) and derived quantities.

Ranges are the physically possible ones for a small passenger car body, not the kei
limits (those are rule-pack constraints, reported as margins).
"""

from keidesign.registry import register

_D = {"design": True}

register("body:style", None,
         "Body style of the parametric CAD body: 'tallboy' (one-box, N-Box class), 'hatch' "
         "(Alto/Mirage class) or 'truck' (cab-over kei mini truck with a drop-side bed on a "
         "ladder frame, Carry/Hijet Truck class)",
         default="hatch", dtype=str, choices=("tallboy", "hatch", "truck"), **_D)
register("body:use", None,
         "What the vehicle is registered for: 'passenger' or 'goods' (a goods vehicle: a "
         "kei van or truck, Japan's 4-number class, rated for a maximum load). A goods "
         "vehicle's WLTC test mass carries 28 % of its maximum load, mass.payload - 100 kg "
         "(UN GTR No. 15 category 2, as Japan adopted it; "
         "keidesign.energy.vehicle.wltc_test_mass), and its mass:cargo is held to the kei "
         "limit (rule kei.cargo). Default 'passenger'; 'goods' for the truck style",
         default="passenger", dtype=str, choices=("passenger", "goods"),
         default_when=(("body:style", "truck"), "goods"), **_D)
register("body:seats", "unitless",
         "Number of seating positions; 1 or 2 = front row only (no rear seat: no rear-seat "
         "mass, body.couple_distance defaults to 0)",
         default=4, lower=1, upper=9, dtype=int, **_D)
register("body:frame", None,
         "Body structure: 'unibody' (the body-in-white carries the loads) or 'ladder' "
         "(body on a separate ladder frame: adds mass:frame, per metre of wheelbase)",
         default="unibody", dtype=str, choices=("unibody", "ladder"), **_D)
register("body:roof", None,
         "Roof: 'fixed' (a closed steel roof, part of the body-in-white) or 'open' "
         "(roadster, convertible or targa: soft top or removable roof; adds "
         "mass:open_body, the sill/tunnel/A-pillar reinforcement and the top, per metre "
         "of wheelbase)",
         default="fixed", dtype=str, choices=("fixed", "open"), **_D)
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
# a staggered car's other (undriven) axle: body.tyre_* above is the driven axle's (its
# rolling radius sets the gearing); these three give the other two corners' size for the
# wheel mass (keidesign.mass.components.BodyMassComp); 0 = not given (all four corners at
# the driven size). All three or none (keidesign.mass.components.other_axle_tyre). The
# geometry does not read them: both wheelhouses and arches are at the driven size
# (keidesign.specs.build.staggered_geometry_note).
for _key, _units, _what, _upper in (
        ("tyre_other_width", "mm", "Tyre section width", 350.0),
        ("tyre_other_aspect", "percent", "Tyre aspect ratio", 90.0),
        ("rim_other_diameter", "inch", "Rim diameter", 22.0)):
    register(f"body:{_key}", _units, f"{_what} of the other (undriven) axle of a staggered "
             "car, for the wheel mass only (the geometry's wheelhouses and arches take both "
             "axles at the driven size); 0 = not given (all four corners at the driven "
             "axle's size)",
             default=0.0, lower=0.0, upper=_upper, **_D)

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
register("body:door_to_seat_centreline", "mm",
         "Door outer skin to the front outboard seat centreline (lateral, width/2 - "
         "body.seat_lateral), at H-point height: the distance the side impact's residual "
         "intrusion must stop short of (fmvss214.*.crush_space; the IIHS side test's "
         "B-pillar-to-seat-centreline measure)")

# ---------------------------------------------------------------------------------------
# geometry issue: packaging and shape parameters of the parametric CAD body (geometry/)
# Defaults give the reference designs a plausible layout; [assumed] unless a source is named.
register("body:cowl_setback", "mm",
         "Windshield base (cowl point) behind the dash panel, along x; the dash panel is "
         "crash.front.crush_length behind the bumper face",
         default=100.0, lower=-300.0, upper=1000.0, **_D)
register("body:hpoint_to_heel", "mm",
         "Front seating reference point (H-point) behind the accelerator heel point, along "
         "x (SAE J1100 L53); the heel point is 200 mm behind the dash panel",
         default=850.0, lower=500.0, upper=1300.0, **_D)
register("body:seat_lateral", "mm",
         "Front outboard seating reference point from the vehicle centreline (SAE J1100 W20)",
         default=340.0, lower=150.0, upper=800.0, **_D)
register("body:couple_distance", "mm",
         "Rear H-point behind the front H-point, along x (SAE J1100 L50); 0 = no rear row "
         "(the default when body.seats <= 2; at least 400 mm with a rear row)",
         default=850.0, lower=0.0, upper=1600.0, **_D)
register("body:floor_thickness", "mm",
         "Cabin floor (heel surface) above the body underside, excluding a battery pack",
         default=60.0, lower=10.0, upper=400.0, **_D)
register("body:roof_thickness", "mm", "Roof outer skin to headliner, vertical",
         default=70.0, lower=10.0, upper=300.0, **_D)
register("body:powertrain_width", "mm",
         "Width (y) of the non-crushing powertrain envelope in the front compartment",
         default=950.0, lower=200.0, upper=2000.0, **_D)
register("body:powertrain_height", "mm",
         "Height (z) of the non-crushing powertrain envelope in the front compartment",
         default=550.0, lower=100.0, upper=1200.0, **_D)
_BEV = {"design": True, "when": ("powertrain:type", "bev")}
register("body:battery_height", "mm",
         "Battery pack height (placements underfloor, under_rear_seat and rear: the cabin "
         "floor, the rear seat or the luggage floor sits on top of it; not used by tunnel)",
         default=120.0, lower=40.0, upper=400.0, **_BEV)
register("body:battery_placement", None,
         "Where the traction battery sits (docs/geometry.md): 'underfloor' (a slab under "
         "the cabin floor between the axles: raises the floor, both seat rows), "
         "'under_rear_seat' (under the rear seat cushion: raises the rear H-point only; "
         "needs a rear row, body.seats >= 3), "
         "'tunnel' (a centre tunnel between the front occupants up to the H-point: no "
         "rise) or 'rear' (behind the rear seat back under the luggage floor: raises "
         "the luggage floor, shortens the rear crush to the pack)",
         default="underfloor", dtype=str, choices=("underfloor", "under_rear_seat", "tunnel",
                                                   "rear"), **_BEV)
register("body:battery_energy_density", "W*h/L",
         "Pack-level volumetric energy density, sizes the battery envelope "
         "(2020s EV packs ~200-300 W*h/L) [assumed]",
         default=250.0, lower=50.0, upper=1000.0, **_BEV)

# style-specific shape parameters: [body.tallboy] or [body.hatch] tables
_STYLE_DEFAULTS = {
    # key: (units, description, tallboy default, hatch default, truck default, lower, upper)
    # truck defaults: Suzuki Carry DA16T class [assumed, from the published 1765 mm height
    # and photographs; no published belt/seat figures found]
    "belt_height": ("mm", "Belt line (bottom of the side glass) above ground",
                    1000.0, 930.0, 1050.0, 400.0, 1800.0),
    "tumblehome": ("deg", "Inward lean of the greenhouse sides from the vertical",
                   7.0, 14.0, 5.0, 0.0, 35.0),
    "roof_radius": ("mm", "Radius of the roof-to-side corners in the cross-section",
                    110.0, 160.0, 80.0, 10.0, 500.0),
    "plan_radius": ("mm", "Radius of the front corners in plan view (rear: 0.6 x this)",
                    160.0, 260.0, 100.0, 10.0, 700.0),
    "seat_height": ("mm", "Front H-point above the heel point (SAE J1100 H30)",
                    370.0, 270.0, 320.0, 100.0, 800.0),
}
for _i, _style in enumerate(("tallboy", "hatch", "truck")):
    _S = {"design": True, "when": ("body:style", _style)}
    for _key, (_u, _desc, *_defaults, _lo, _hi) in _STYLE_DEFAULTS.items():
        register(f"body:{_style}:{_key}", _u, f"{_desc} ({_style} style)",
                 default=_defaults[_i], lower=_lo, upper=_hi, **_S)
register("body:tallboy:rear_rake", "deg",
         "Lean of the near-vertical tailgate from the vertical (tallboy style)",
         default=6.0, lower=0.0, upper=30.0, design=True, when=("body:style", "tallboy"))
register("body:hatch:backlight_rake", "deg",
         "Rear window (backlight) angle from the vertical (hatch style)",
         default=35.0, lower=5.0, upper=75.0, design=True, when=("body:style", "hatch"))
register("body:hatch:roof_drop", "mm",
         "Roof height lost from its peak (= overall height) to its rear end (hatch style)",
         default=60.0, lower=0.0, upper=400.0, design=True, when=("body:style", "hatch"))

_TRUCK = {"design": True, "when": ("body:style", "truck")}
register("body:truck:bed_length", "mm",
         "Bed floor (load platform) inner length, headboard to tail gate (truck style); the "
         "cab back is 80 mm (headboard + tail gate) + this ahead of the rear face "
         "(Suzuki Carry DA16T: 1940 mm, Daihatsu Hijet Truck S500P: ~2030 mm, published)",
         default=1940.0, lower=500.0, upper=4000.0, **_TRUCK)
register("body:truck:deck_height", "mm",
         "Bed floor (deck) above the ground, unladen (truck style; kei trucks ~650-700 mm) "
         "[assumed]",
         default=650.0, lower=300.0, upper=1500.0, **_TRUCK)
register("body:truck:gate_height", "mm",
         "Drop-side and tail-gate height above the deck (truck style; the gate top must stay "
         "at or below the belt line) [assumed, kei trucks ~290 mm]",
         default=290.0, lower=100.0, upper=1000.0, **_TRUCK)
register("body:truck:engine_setback", "mm",
         "Front face of the powertrain envelope behind the front axle centreline (truck "
         "style: mid-engine under the seats/bed) [assumed]",
         default=250.0, lower=-500.0, upper=2500.0, **_TRUCK)
register("body:truck:frame_width", "mm",
         "Outer width of the ladder frame's two rails (truck style; between the wheelhouse "
         "walls) [assumed]",
         default=900.0, lower=300.0, upper=1800.0, **_TRUCK)
register("body:volume:bed", "m**3",
         "Load space of the truck bed: floor length x inner width x gate height (truck style)")
register("body:bed_floor_area", "m**2",
         "Bed floor (load platform) area: floor length x inner width, width minus two "
         "32.5 mm drop sides (truck style)")
register("body:bed_side_area", "m**2",
         "Bed walls: both drop sides, the tail gate and the headboard, each the gate height "
         "above the deck: 2 (floor length + inner width) x gate height (truck style)")
register("body:volume:cab", "m**3",
         "Envelope volume of the cab: the envelope ahead of the cab back (x <= L - bed "
         "length - 80 mm), from the ground clearance up (truck style)")
register("body:cab_surface_area", "m**2",
         "Exterior surface area of the cab (glazing included): the envelope skin ahead of the "
         "cab back plus the cab-back plane from the ground clearance up (truck style)")
register("body:cab_back_clearance", "mm",
         "Cab back panel (x = L - bed length - 80 mm) minus the seat back (dash + 200 mm "
         "heel + hpoint_to_heel + couple_distance + 250 mm): the room a longer crush zone, "
         "bed or seat travel may still take; negative = the seat does not fit in the cab "
         "(truck style)", when=("body:style", "truck"))

# derived by the closed-form body layer (geometry.closed_form), held to the CAD solid in tests
for _group, _what in (("roof", "roof, header and A-pillar bands (normal mostly up, behind "
                                "the cowl)"),
                      ("hood", "hood and nose top (normal mostly up, ahead of the cowl)"),
                      ("front", "front fascia and bumper (normal mostly forward)"),
                      ("rear", "tailgate, rear panel and bumper (normal mostly rearward)"),
                      ("side", "doors, quarters, sills and pillars (normal mostly lateral)"),
                      ("floor", "underbody (normal mostly down)"),
                      ("wheelhouse", "wheel-arch liners (four wheelhouses)"),
                      ("glazing", "windshield, side windows and backlight")):
    register(f"body:panel_area:{_group}", "m**2",
             f"Exterior surface area of the {_what}")
register("body:surface_area", "m**2", "Exterior surface area of the body envelope")
register("body:volume:envelope", "m**3",
         "Volume enclosed by the exterior envelope (wheel arches removed)")
register("body:volume:size", "m**3",
         "Envelope volume with the dash at the reference position (front overhang + 230 mm), "
         "the volume the fitted mass size law reads (car styles; not moved by the crush "
         "length)")
register("body:volume:greenhouse", "m**3", "Envelope volume above the belt line")
register("body:volume:crush_zone", "m**3", "Envelope volume ahead of the dash panel")
register("body:volume:occupant_cell", "m**3",
         "Envelope volume from the dash panel to the rear seat back, above the cabin floor")
register("body:volume:powertrain", "m**3", "Volume of the powertrain envelope")
register("body:volume:energy_storage", "m**3",
         "Volume of the fuel-tank (ICE) or battery-pack (BEV) envelope")
register("body:crush_to_dash", "mm",
         "Available crush length from the bumper face to the dash panel")
register("body:crush_to_powertrain", "mm",
         "Available crush length from the bumper face to the front of the powertrain")
register("body:headroom", "mm",
         "Front effective head room (SAE J1100 H61 type): H-point to headliner along a "
         "line 8 deg rear of vertical, + 102 mm")
register("body:headroom_margin", "mm",
         "Front head room minus the published class's benchmark floor (965 mm, the 5th "
         "percentile of published US small cars' front head rooms; task s39d)")
register("body:headroom_rear", "mm",
         "Rear effective head room (SAE J1100 H63 type, the H61 construction from the rear "
         "H-point: couple distance behind the front one, at its height + a pack under the "
         "rear seat)")
register("body:headroom_rear_margin", "mm",
         "Rear head room minus the published class's benchmark floor (941.3 mm, the 5th "
         "percentile of published US small cars' rear head rooms; task s39d); "
         "none without a rear row (body.couple_distance = 0: its rear H-point would be the "
         "front one, repeating body:headroom_margin)",
         when_above=("body:couple_distance", 0.0, "a rear row"))
register("body:legroom", "mm",
         "Front effective leg room (SAE J1100 L34 type): ankle pivot to H-point + 254 mm")
register("body:legroom_margin", "mm",
         "Front leg room minus that of the SAE J826 95th-percentile leg at a 110 deg knee "
         "(the lowest usable knee angle: a floor)")
register("body:cargo_length", "mm",
         "Length behind the occupant cell: rear seat back to the rear face of the body "
         "(luggage floor and rear crush zone share it)")
register("body:rear_crush_to_storage", "mm",
         "Rear face of the body to the rear face of the fuel tank (ICE) or battery pack "
         "(BEV): the rear crush length before the energy store is reached (FMVSS 301)")
register("body:storage_volume_margin", "m**3",
         "Volume the energy store's bay offers minus the store's volume (fuel-tank "
         "envelope or battery pack energy / volumetric density); the bay depends on "
         "body.battery_placement (docs/geometry.md); < 0: the store does not fit")
register("body:side_crush_to_storage", "mm",
         "Side skin (|y| = width/2) to the side face of the fuel tank or battery pack: the "
         "lateral crush before the energy store is reached (FMVSS 301 S6.3 / 305 side impact)")
register("body:storage_front_from_front_axle", "mm",
         "Front end of the fuel tank or battery pack behind the front axle centreline "
         "(longitudinal): where the side MDB crush profile reaches the store "
         "(fmvss301.side_crush_space, keidesign.crash.side_profile)")
register("body:storage_rear_from_front_axle", "mm",
         "Rear end of the fuel tank or battery pack behind the front axle centreline "
         "(longitudinal)")
register("body:cargo_floor_height", "mm",
         "Luggage floor behind the rear seat back above the ground: the cabin floor, or "
         "the top of a battery pack placed under it (body.battery_placement = 'rear')")
register("body:cg_x", "mm",
         "Centroid of the envelope volume behind the front bumper face")
register("body:cg_z", "mm", "Centroid of the envelope volume above the ground")
