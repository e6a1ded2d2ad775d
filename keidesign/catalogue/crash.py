"""Crash discipline: structure design parameters and crash-model outputs.

Design keys (``design=True``) all carry defaults so existing design files stay valid;
the defaults are an *assumed* small-car structure (stated in ``docs/crash.md``), not
data of any one car.
"""

from keidesign.registry import register

_D = {"design": True}
#: cab-front intrusion tolerated in a cab-over (truck style), mm: the steering control's
#: rearward displacement limit of FMVSS 204 S4.1 (5 in in the 48 km/h rigid-barrier
#: test; trucks of GVWR <= 4,536 kg, not walk-in vans); the column of a cab-over is
#: mounted on the cab front panel (keidesign.crash.structure, "Cab-over front")
CAB_FRONT_INTRUSION_MM = 127.0
#: dash / toe-pan intrusion tolerated in the 56 km/h full-width test, mm: Euro NCAP's
#: higher performance limit of the pedal's rearward displacement (full score up to
#: 100 mm, none beyond 200 mm: Euro NCAP Assessment Protocol - Adult Occupant
#: Protection, section 3.1.5.2, as encoded in the public pyisomme library,
#: report/euro_ncap/frontal_mpdb.py, R); the pedals hang on the dash panel the
#: powertrain stack pushes back. FMVSS 208 itself sets no intrusion limit.
#: keidesign.crash.structure, "What a passing car may use"
DASH_INTRUSION_MM = 100.0
_GRADES = ("mild_steel", "hsla_340", "dp_590", "dp_780", "dp_980", "hot_stamped_1500",
           "al_6061_t6")

# ---------------------------------------------------------------- front structure (design)
register("crash:front:crush_length", "mm",
         "Front crush length, bumper face to dash panel", lower=100.0, upper=1500.0, **_D)
register("crash:front:rail_width", "mm", "Front rail section width",
         lower=20.0, upper=300.0, **_D)
register("crash:front:rail_height", "mm", "Front rail section height",
         lower=20.0, upper=300.0, **_D)
register("crash:front:wall_thickness", "mm", "Front rail wall thickness",
         lower=0.4, upper=6.0, **_D)
register("crash:front:material", None,
         "Front structure material grade (rails, crash boxes, bumper beam; flow stress "
         "table in keidesign.materials)",
         default="hsla_340", dtype=str, choices=_GRADES, **_D)
register("crash:front:n_rails", "unitless", "Number of parallel front rails (and crash boxes)",
         default=2, lower=1, upper=4, dtype=int, **_D)
register("crash:front:bumper_depth", "mm",
         "Bumper system depth along x: bumper face to crash-box front (fascia, absorber, beam)",
         default=100.0, lower=20.0, upper=400.0, **_D)
register("crash:front:bumper_beam_thickness", "mm", "Bumper beam wall thickness (for its mass)",
         default=1.4, lower=0.5, upper=6.0, **_D)
register("crash:front:crash_box_length", "mm",
         "Crash box length along x. Default 120 mm; for the truck style 0 (the bumper "
         "beam sits on the ladder frame's front horns, which crush as the rails: "
         "keidesign.crash.structure, 'Cab-over front') [assumed]",
         default=120.0, lower=0.0, upper=500.0,
         default_when=(("body:style", "truck"), 0.0), **_D)
register("crash:front:crash_box_width", "mm", "Crash box section width",
         default=70.0, lower=20.0, upper=300.0, **_D)
register("crash:front:crash_box_height", "mm", "Crash box section height",
         default=90.0, lower=20.0, upper=300.0, **_D)
register("crash:front:crash_box_thickness", "mm", "Crash box wall thickness",
         default=1.6, lower=0.4, upper=6.0, **_D)
register("crash:front:secondary_force", "kN",
         "Mean crush force of secondary front load paths (subframe, upper rails) acting in "
         "parallel with the rails; 0 = single load path (typical kei)",
         default=0.0, lower=0.0, upper=1000.0, **_D)
register("crash:front:engine_clearance", "mm",
         "Clearance between the powertrain's rear face and the dash panel along x",
         default=80.0, lower=0.0, upper=600.0, **_D)
register("crash:front:dash_intrusion_limit", "mm",
         "Dash/toe-pan intrusion tolerated before it counts as compartment intrusion "
         "(added to the crush available). Default 100 mm, Euro NCAP's full-score limit "
         "of the pedal's rearward displacement (DASH_INTRUSION_MM; 50 mm, assumed, "
         "until 4 Dec 2026); for the truck style (cab-over: "
         "the cab front panel carrying the pedals and steering column) 127 mm, the "
         "steering-control rearward displacement FMVSS 204 S4.1 allows "
         "(CAB_FRONT_INTRUSION_MM)",
         default=DASH_INTRUSION_MM, lower=0.0, upper=300.0,
         default_when=(("body:style", "truck"), CAB_FRONT_INTRUSION_MM), **_D)

# ---------------------------------------------------------------- restraint (design)
register("crash:restraint:slack", "mm",
         "Occupant forward travel before the belt/airbag load (slack after pretensioning)",
         default=25.0, lower=0.0, upper=200.0, **_D)
register("crash:restraint:stiffness", "kN/m",
         "Restraint stiffness per front occupant (belt + airbag, lumped)",
         default=250.0, lower=10.0, upper=2000.0, **_D)
register("crash:restraint:load_limit", "kN",
         "Restraint force plateau per front occupant (load limiter + airbag venting)",
         default=35.0, lower=2.0, upper=100.0, **_D)
register("crash:restraint:ride_down_space", "mm",
         "Occupant forward travel relative to the body the restraint may use before the "
         "chest reaches the steering wheel or instrument panel (65 + 235 mm: the path of "
         "the OLC, Kubler et al. 2009)",
         default=300.0, lower=100.0, upper=800.0, **_D)

# ---------------------------------------------------------------- side structure (design)
register("crash:side:material", None, "Side-structure grade (B-pillar, door beams, cross-members)",
         default="dp_980", dtype=str, choices=_GRADES, **_D)
register("crash:side:door_beam_diameter", "mm", "Door intrusion beam tube diameter",
         default=32.0, lower=10.0, upper=80.0, **_D)
register("crash:side:door_beam_thickness", "mm", "Door intrusion beam tube wall thickness",
         default=1.8, lower=0.5, upper=5.0, **_D)
register("crash:side:door_beam_span", "mm", "Door beam span between its hinge/latch supports",
         default=900.0, lower=300.0, upper=1500.0, **_D)
register("crash:side:n_door_beams", "unitless", "Door beams per side (front + rear doors)",
         default=2, lower=0, upper=4, dtype=int, **_D)
register("crash:side:b_pillar_width", "mm", "B-pillar section width (along x)",
         default=80.0, lower=20.0, upper=300.0, **_D)
register("crash:side:b_pillar_depth", "mm", "B-pillar section depth (along y, bending depth)",
         default=100.0, lower=20.0, upper=300.0, **_D)
register("crash:side:b_pillar_thickness", "mm", "B-pillar wall thickness",
         default=1.6, lower=0.4, upper=6.0, **_D)
register("crash:side:cross_member_width", "mm", "Floor/seat cross-member section width",
         default=60.0, lower=20.0, upper=300.0, **_D)
register("crash:side:cross_member_height", "mm", "Floor/seat cross-member section height",
         default=80.0, lower=20.0, upper=300.0, **_D)
register("crash:side:cross_member_thickness", "mm", "Floor/seat cross-member wall thickness",
         default=1.4, lower=0.4, upper=6.0, **_D)
register("crash:side:n_cross_members", "unitless",
         "Floor/seat cross-members loaded axially by a side impact",
         default=2, lower=0, upper=6, dtype=int, **_D)
# sill (rocker) and roof rail: beams bent by the FMVSS 214 pole between the A- and
# B-pillars (keidesign.crash.side; docs/crash.md, "The pole mechanism"). Sections as
# thin boxes: height along z (the walls facing the pole: the compressed flange), depth
# along y (the bending depth), one wall thickness.
register("crash:side:sill_height", "mm",
         "Sill (rocker) box height along z, the walls facing the pole. Default 120 mm "
         "[assumed: no published rocker section found; a small car's sill from the "
         "door-opening step to the underbody]",
         default=120.0, lower=30.0, upper=300.0, **_D)
register("crash:side:sill_depth", "mm",
         "Sill (rocker) box depth along y (bending depth under the pole). Default 100 mm "
         "[assumed, as the height]",
         default=100.0, lower=20.0, upper=300.0, **_D)
register("crash:side:sill_thickness", "mm",
         "Sill (rocker) wall thickness. Default 1.0 mm: the floor-side-inner (sill inner) "
         "gauge of the baseline mid-size car of the side-impact design problem of Gu et "
         "al. 2001 / Youn et al. 2004 (Struct. Multidisc. Optim. 26, 272-283) [R: as "
         "restated in public implementations of that problem]; one panel's gauge for the "
         "whole box (the outer panel and any reinforcement not counted: low)",
         default=1.0, lower=0.4, upper=6.0, **_D)
register("crash:side:sill_material", None,
         "Sill (rocker) grade. Default mild steel: the same model's floor-side-inner "
         "material (yield 192 MPa, the problem's mean) [R]",
         default="mild_steel", dtype=str, choices=_GRADES, **_D)
register("crash:side:sill_top_height", "mm",
         "Sill (rocker) top above the ground, the door opening's step: a side barrier "
         "whose face reaches below it loads the sill and the floor cross-members, one "
         "whose face passes above it loads the doors and the B-pillar only "
         "(keidesign.crash.side, 'Which face loads what'). Default 330 mm [assumed: no "
         "published sill height of a small car found; between the lower edges of the "
         "FMVSS 214 face (279 mm) and the IIHS face (379 mm), the two tests' verdicts "
         "being the same anywhere in that band]",
         default=330.0, lower=100.0, upper=900.0, **_D)
register("crash:side:roof_rail_height", "mm",
         "Side roof rail box height along z, the walls facing the pole. Default 75 mm: a "
         "square of the mid-wall perimeter of the ULSAB hydroformed side roof rail's tube "
         "(96 mm outside diameter, 1.00 mm: ULSAB Final Report, AISI 1998, p. 20 [V]; "
         "the square shape assumed)",
         default=75.0, lower=20.0, upper=250.0, **_D)
register("crash:side:roof_rail_depth", "mm",
         "Side roof rail box depth along y (bending depth under the pole). Default 75 mm "
         "(as the height)",
         default=75.0, lower=20.0, upper=250.0, **_D)
register("crash:side:roof_rail_thickness", "mm",
         "Side roof rail wall thickness. Default 1.00 mm: the ULSAB side roof rail tube "
         "(ULSAB Final Report, AISI 1998, p. 20) [V]",
         default=1.0, lower=0.4, upper=6.0, **_D)
register("crash:side:roof_rail_material", None,
         "Side roof rail grade. Default mild steel: the ULSAB roof rail's steel has a 280 "
         "MPa yield [V], between the table's mild steel (210 MPa) and HSLA 340; the lower "
         "grade is taken (no 280 MPa grade with a tensile strength in the table) [assumed]",
         default="mild_steel", dtype=str, choices=_GRADES, **_D)

# ---------------------------------------------------------------- roof structure (design)
register("crash:roof:material", None, "A-pillar grade", default="hot_stamped_1500",
         dtype=str, choices=_GRADES, **_D)
register("crash:roof:a_pillar_width", "mm", "A-pillar section width", default=50.0,
         lower=20.0, upper=200.0, **_D)
register("crash:roof:a_pillar_depth", "mm", "A-pillar section bending depth", default=70.0,
         lower=20.0, upper=250.0, **_D)
register("crash:roof:a_pillar_thickness", "mm", "A-pillar wall thickness", default=1.4,
         lower=0.4, upper=6.0, **_D)

# ---------------------------------------------------------------- material properties (legacy)
register("crash:front:flow_stress", "MPa", "Rail material flow stress (yield+UTS)/2")
register("crash:front:density", "kg/m**3", "Rail material density")
register("crash:front:dynamic_factor", "unitless",
         "Cowper-Symonds strain-rate factor on the mean crush force")

# ---------------------------------------------------------------- frontal outputs
register("crash:front:test_mass", "kg",
         "FMVSS 208 test mass: curb + rated cargo/luggage + two 50th-male dummies")
register("crash:front:stack_mass", "kg",
         "Mass of the non-crushing front powertrain stack (ICE: whole powertrain; BEV: "
         "motor and power electronics)")
register("crash:front:bumper_force", "kN",
         "Mean force of the bumper zone (fascia, absorber, beam flattening)")
register("crash:front:crash_box_force", "kN", "Mean crush force of all crash boxes together")
register("crash:front:rail_force", "kN",
         "Mean crush force of the rail zone: all rails (superfolding, dynamic) + secondary paths")
register("crash:front:bumper_stroke", "mm", "Effective crush stroke of the bumper zone")
register("crash:front:crash_box_stroke", "mm", "Effective crush stroke of the crash boxes")
register("crash:front:rail_stroke", "mm", "Effective crush stroke of the rails ahead of the dash")
register("crash:front:engine_gap", "mm",
         "Body crush at which the powertrain meets the barrier through the compacted stack")
register("crash:front:crush_available", "mm",
         "Crush available before the powertrain stack-up intrudes the dash beyond its "
         "tolerated intrusion: L - L_block - compacted stack + tolerated intrusion")
register("crash:front:crush_needed_static", "mm",
         "Crush at which the structure's force-crush curve absorbs the test kinetic energy "
         "(quasi-static energy balance, powertrain not counted)")
register("crash:front:crush_required", "mm",
         "Maximum dynamic crush in the FMVSS 208 / US NCAP 56 km/h rigid-barrier simulation")
register("crash:front:energy_required", "kJ",
         "Kinetic energy of the test mass at the FMVSS 208 test speed")
register("crash:front:energy_capacity", "kJ",
         "Energy the front structure's force-crush curve absorbs within the crush available")
register("crash:front:energy_absorbed", "kJ",
         "Work done on all deformable elements in the frontal simulation (structure, "
         "powertrain contacts, mounts, restraints)")
register("crash:front:rebound_energy", "kJ",
         "Kinetic energy left at the end of the frontal simulation (rebound)")
register("crash:front:rebound_velocity", "m/s", "Body rebound velocity at the end of the pulse")
register("crash:front:mean_decel", "m/s**2",
         "Average body deceleration in the frontal test: impact speed / time to zero velocity")
register("crash:front:esw_decel", "m/s**2",
         "Equivalent-square-wave deceleration v^2 / (2 C) of the crush C")
register("crash:front:peak_decel", "m/s**2",
         "Peak body deceleration, 3 ms moving average (comparable to a CFC 60 channel)")
register("crash:front:pulse_duration", "ms", "Time from contact to zero body velocity")
register("crash:front:olc", "m/s**2",
         "Occupant load criterion (Kubler et al. 2009): 65 mm free flight, 235 mm ride-down")
register("crash:front:chest_accel_3ms", "m/s**2",
         "Occupant deceleration, 3 ms clip, of the lumped restraint model (proxy for the "
         "Hybrid III chest resultant)")
register("crash:front:occupant_excursion", "mm",
         "Maximum forward travel of the occupant relative to the body")
register("crash:front:olc_restraint", "m/s**2",
         "Restraint OLC: the OLC construction with the restraint's slack as free flight and "
         "the rest of its ride-down space as ride-down (a floor for the occupant "
         "deceleration of any restraint with that slack and space)")
register("crash:front:occupant_hic15", "unitless",
         "HIC15 of the lumped occupant's deceleration history (the head moving with the "
         "torso; keidesign.crash.occupant scales it to the dummy's head)")
register("crash:front:dash_intrusion", "mm",
         "Dash intrusion by the powertrain stack-up in the frontal simulation")
register("crash:front:crush_past_stack", "mm",
         "Maximum dynamic crush less the powertrain stack's own compression against the "
         "barrier (the crush the front length around a stack of nominal length must "
         "provide; compared with crash:front:crush_available)")

# ---------------------------------------------------------------- frontal dummies, NCAP
_DUMMY = ("Hybrid III 50th male (driver)", "Hybrid III 5th female (passenger)")
for _pre, _who in (("crash:front:", _DUMMY[0]), ("crash:front:f05:", _DUMMY[1])):
    register(_pre + "hic15", "unitless",
             f"HIC15, {_who}: the occupant's HIC15 x (head/torso deceleration ratio)^2.5 "
             "(keidesign.crash.occupant, fitted on NHTSA NCAP tests)")
    register(_pre + "chest_deflection", "mm",
             f"Chest deflection, {_who}: proportional to the occupant's 3 ms deceleration "
             "(keidesign.crash.occupant)")
    register(_pre + "nij", "unitless",
             f"Neck injury criterion Nij, {_who}: proportional to the occupant's 3 ms "
             "deceleration (keidesign.crash.occupant)")
    register(_pre + "femur_force", "kN",
             f"Axial femur force (the larger leg), {_who}: proportional to the occupant's "
             "3 ms deceleration (keidesign.crash.occupant)")
register("crash:front:f05:chest_accel_3ms", "m/s**2",
         "Chest 3 ms deceleration, Hybrid III 5th female: the 50th male's (restraint adapted "
         "to the occupant, assumed)")
register("crash:ncap:frontal:driver_risk", "unitless",
         "US NCAP frontal: joint AIS3+ injury probability of the driver (NHTSA risk curves)")
register("crash:ncap:frontal:passenger_risk", "unitless",
         "US NCAP frontal: joint AIS3+ injury probability of the 5th-female passenger")
register("crash:ncap:frontal:relative_risk", "unitless",
         "US NCAP frontal relative risk: mean of driver and passenger risk / 0.15 "
         "(5 stars below 0.67, 4 below 1.0, 3 below 1.33, 2 below 2.67)")
_SIDE = "(keidesign.crash.side_occupant: fitted on NHTSA NCAP tests)"
register("crash:side:mdb:es2re:hic36", "unitless",
         f"FMVSS 214 MDB test, ES-2re 50th male driver: HIC36, ~ delta-V^2.5 {_SIDE}")
register("crash:side:mdb:es2re:rib_deflection", "mm",
         f"FMVSS 214 MDB test, ES-2re: largest rib deflection, ~ delta-V {_SIDE}")
register("crash:side:mdb:es2re:abdominal_force", "kN",
         f"FMVSS 214 MDB test, ES-2re: sum of abdominal forces, ~ delta-V {_SIDE}")
register("crash:side:mdb:es2re:pubic_force", "kN",
         f"FMVSS 214 MDB test, ES-2re: pubic symphysis force, ~ delta-V {_SIDE}")
register("crash:side:mdb:sid2s:hic36", "unitless",
         f"FMVSS 214 MDB test, SID-IIs 5th female rear: HIC36, ~ delta-V^2.5 {_SIDE}")
register("crash:side:mdb:sid2s:pelvis_force", "kN",
         f"FMVSS 214 MDB test, SID-IIs rear: acetabular + iliac force, ~ delta-V {_SIDE}")
register("crash:side:pole:sid2s:hic36", "unitless",
         f"Oblique pole test, SID-IIs 5th female driver: HIC36, the class average {_SIDE}")
register("crash:side:pole:sid2s:pelvis_force", "kN",
         f"Oblique pole test, SID-IIs driver: pelvis force, the class average {_SIDE}")
register("crash:ncap:side:relative_risk", "unitless",
         "US NCAP side relative risk at 62 km/h: (0.8 MDB driver + 0.2 pole) and the rear "
         "seat averaged, / 0.15 (5 stars below 0.67, 4 below 1.0)")
register("crash:ncap:side:stars", "unitless", "US NCAP side star rating predicted (1-5)")
register("crash:ncap:frontal:stars", "unitless",
         "US NCAP frontal star rating predicted from the relative risk (1-5)")
register("crash:front:structure_mass", "kg", "Mass of bumper beam, crash boxes and rails")
_ROLL = "(keidesign.crash.rollover)"
register("crash:rollover:cg_height", "mm",
         f"Centre-of-gravity height, 0.373 x body height (fitted on 21 measured vehicles) {_ROLL}")
register("crash:rollover:ssf", "unitless",
         f"Static stability factor: average track / (2 x CG height) {_ROLL}",
         lower=0.4, upper=3.0)  # the allowed heights and tracks give 0.46-2.68
register("crash:rollover:risk", "unitless",
         "US NCAP chance of rollover in a single-vehicle crash (No Tip): NHTSA's published "
         f"function of SSF, valid SSF 1.07-1.83, capped at 1 {_ROLL}", lower=0.0, upper=1.0)
register("crash:rollover:stars", "unitless",
         "US NCAP rollover star rating predicted (1-5): 5 from SSF 1.4535 (10 % risk), 4 from "
         "1.1763 (20 %), 3 from 1.0742 (30 %), 2 from 1.0200 (40 %); a limit in the higher band",
         lower=1.0, upper=5.0)
register("crash:rollover:extrapolated", "unitless",
         "1 when the rollover risk is extrapolated: SSF outside NHTSA's published 1.07-1.83 "
         f"or body height outside the CG fit's 1328-1826 mm; else 0 {_ROLL}",
         lower=0.0, upper=1.0)

# ---------------------------------------------------------------- side outputs
register("crash:side:test_mass", "kg",
         "FMVSS 214 struck-vehicle mass: curb + 2 side dummies (ES-2re 72 kg, SID-IIs 45 kg)")
register("crash:side:force", "kN",
         "Mean lateral crush force of the side structure under the FMVSS 214 MDB face (door "
         "beams + B-pillar, its ends turning against the sill's and roof rail's torque, + "
         "cross-members while the face reaches the sill; without the cross-members above it)")
register("crash:side:mdb:delta_v", "km/h", "Lateral delta-V of the struck car, FMVSS 214 MDB")
register("crash:side:mdb:energy", "kJ",
         "Energy the struck side absorbs in the FMVSS 214 MDB test (plastic momentum exchange)")
register("crash:side:mdb:crush_required", "mm",
         "Side crush needed to absorb the MDB energy at the side structure's mean force")
register("crash:side:mdb:crush_at_storage", "mm",
         "MDB side crush where the fuel tank or battery pack sits: the crush needed, flat "
         "over the barrier face (FMVSS 214 impact reference line) and falling linearly to "
         "zero at the axles beyond it, largest over the store's length "
         "(keidesign.crash.side_profile)")
register("crash:side:pole:energy", "kJ",
         "Lateral kinetic energy absorbed in the FMVSS 214 oblique pole test")
register("crash:side:pole:crush_required", "mm",
         "Side crush needed in the pole test (locally engaged structure)")
register("crash:side:pole:force", "kN",
         "Mean lateral force of the members the FMVSS 214 pole bends or crushes: the front "
         "door beam, the sill and the roof rail (4 M / L over the A- to B-pillar span) and "
         "one cross-member (keidesign.crash.side)")
register("crash:side:structure_mass", "kg",
         "Mass of door beams, B-pillars, cross-members, and the sills and roof rails over "
         "the A- to B-pillar span (both sides)")

# ---------------------------------------------------------------- rear outputs
register("crash:rear:delta_v", "km/h",
         "Delta-V of the struck car in the FMVSS 301 rear moving-barrier impact (1,368 kg "
         "at 80 km/h, plastic momentum exchange)")
register("crash:rear:energy", "kJ",
         "Energy the struck rear absorbs in the FMVSS 301 rear impact (all credited to the car)")
register("crash:rear:force", "kN",
         "Rear side members' crush force (the front rails' force without the secondary "
         "load path, assumed)")
register("crash:rear:crush_required", "mm",
         "Rear crush needed to absorb the FMVSS 301 rear-impact energy (bumper, crash "
         "boxes, rear side members; keidesign.crash.rear)")

# ---------------------------------------------------------------- roof outputs
register("crash:roof:required_force", "kN",
         "FMVSS 216a roof strength requirement: 3.0 x unloaded vehicle weight")
register("crash:roof:strength", "kN",
         "Roof strength of one side (A- and B-pillar collapse mechanism) within 127 mm")
register("crash:roof:strength_to_weight", "unitless",
         "Roof strength / unloaded vehicle weight (FMVSS 216a: >= 3.0; IIHS good: >= 4.0)")
register("crash:roof:structure_mass", "kg", "Mass of the A-pillars (both sides)")

# ---------------------------------------------------------------- structure mass (to mass)
register("mass:crash_structure", "kg",
         "Mass of the crash members the crash discipline sizes: bumper beam, crash boxes, "
         "rails, door beams, B-pillars, cross-members, sills and roof rails (over the A- to "
         "B-pillar span), A-pillars")
