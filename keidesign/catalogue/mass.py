"""Mass discipline: design keys (market content, payload, battery) and the build-up outputs.

Every output of the build-up (``keidesign.mass``) is registered here: the curb, test and
gross masses, the mass of each part group (``mass:group:<group>``, the breakdown table of
``docs/mass_cost.md``) and the intermediate quantities other disciplines use.
"""

from keidesign.registry import register

_D = {"design": True}

#: Test mass = curb mass + 300 lb (kg): the EPA loaded vehicle weight, the test weight
#: basis of 40 CFR 1066.805 (b) ("the test weight basis for establishing equivalent test
#: weight is 'loaded vehicle weight'. These load terms are defined in 40 CFR 86.1803", V,
#: eCFR text of MichalOpoka/ecfr@4be71cd, 5 Dec 2026), whose definition in 86.1803 is
#: "curb weight plus 300 pounds" (R: 86.1803 not read; before 5 Dec 2026 this quote was
#: put on 1066.805); 300 lb = 136.0777 kg (0.45359237 kg/lb, to 0.1 g),
#: the value every model result is computed with. The one source of ``mass:test`` of the
#: build-up, the energy model's curb mass from a test mass, the kei WLTC check and the
#: imports' curb mass from an EPA test weight.
TEST_MASS_ADDER_KG = 136.0777
#: Occupant mass of the Japanese type approval (kg): gross vehicle mass = curb mass +
#: riding capacity x 55 kg + maximum load (道路運送車両の保安基準の細目を定める告示; e.g.
#: https://motors.toho-co.com/cms/?p=5382, status R).
OCCUPANT_MASS_JP_KG = 55.0
#: Occupant weight per designated seating position of the US rules (kg): 150 lb, 49 CFR
#: 571.3 and 567.4(g)(3) (GVWR >= unloaded vehicle weight + rated cargo load + 150 lb x the
#: designated seating capacity) and 571.110 S3 (vehicle capacity weight = rated cargo and
#: luggage load + 150 lb x the designated seating capacity), status R. The FMVSS 208 test
#: mass's seat term (``keidesign.crash.structure.CrashTestMassComp``) and the floor of a
#: rated payload (``keidesign.design.check_consistency``).
SEAT_MASS_KG = 68.0
#: The registry's default payload (kg): 4 x 55 kg occupants + 80 kg luggage, assumed.
DEFAULT_PAYLOAD_KG = 300.0
#: Seats of a kei car whose source does not give them: every kei passenger car seats four
#: (the import's default, :mod:`keidesign.specs.build`; the kei checks' too).
KEI_SEATS = 4
#: Most occupants counted in a goods vehicle's maximum-load rating: the driver and one
#: passenger, the front row (a kei van is rated "2(4) persons, 350(250) kg": 350 kg with
#: the rear seat folded, 250 kg with four aboard; Every DA17V, Hijet Cargo S321V, status
#: R; a kei truck has two seats). See :func:`goods_crew`.
GOODS_CREW = 2


def goods_crew(seats: int) -> int:
    """Occupants counted in a goods vehicle's rated payload: ``min(seats, GOODS_CREW)``.

    A goods vehicle's maximum load (最大積載量) is rated with its front row occupied and
    the rear seats folded: gross vehicle mass = curb + n_crew x 55 kg + maximum load
    (the Japanese type approval's occupant mass, :data:`OCCUPANT_MASS_JP_KG`), so the
    rated payload (``mass.payload``, occupants + cargo, kg) = 55 n_crew + the maximum
    load, and the maximum load (``mass:cargo``, judged by the kei 350 kg rule
    ``kei.cargo``) = payload - 55 n_crew. n_crew = 2 for a kei van ("2(4) persons,
    350(250) kg", status R) and a kei truck (two seats); 1 for a one-seater (the rule
    above with one occupant, A: the one-seat N-VAN e:G's gross mass not read). The one
    definition of the goods crew: the design check, the
    build-up's ``mass:cargo``, the kei WLTC check's goods payload and the import's.

    Validity: ``seats`` >= 1; a front row of at most two seats (every kei goods vehicle;
    a three-abreast bench, "3(6) persons" of a larger van, is outside: it counts 2), A.
    The WLTC goods test mass then carries 28 % of (payload - 100 kg)
    (:func:`keidesign.energy.vehicle.wltc_test_mass`; docs/validation.md, "Kei vans are
    goods vehicles").
    """
    return min(int(seats), GOODS_CREW)


def goods_crew_mass(seats: int) -> float:
    """Mass of a goods vehicle's rated crew (kg): 55 kg x :func:`goods_crew` (``seats``)."""
    return OCCUPANT_MASS_JP_KG * goods_crew(seats)


def min_payload(seats: int) -> float:
    """The smallest rated payload of a vehicle with ``seats`` designated seating positions
    (kg): ``68 kg x seats`` (:data:`SEAT_MASS_KG`; a vehicle capacity weight below it
    cannot be certified, 49 CFR 571.110 S3 / S4.3 and 567.4(g)(3) with a rated cargo >= 0,
    R)."""
    return SEAT_MASS_KG * int(seats)


def default_payload(seats: int) -> float:
    """The import's payload of a passenger car without a published GVWR (kg)::

        m_payload = max(300, 68 seats)       (1 to 4 seats: 300; 5 seats: 340)

    the registry's 300 kg (4 x 55 kg + 80 kg luggage, assumed) where it holds 68 kg a
    seat, else 68 kg a seat (:func:`min_payload`, 49 CFR 571.110 S3 / 567.4(g)(3), R) and
    no luggage: NHTSA's measured FMVSS 208 / NCAP test weights of 17 rigid-barrier tests
    of 5-seat imports are curb + dummies (the model's test mass at 0 kg of luggage: median
    +6 kg; at 80 kg: +86 kg; ``benchmarks/crash_probes.py nhtsa_barrier``), V. Never below
    :func:`min_payload`, so the FMVSS 208 test mass (S8.1.1: unloaded weight + rated cargo
    + dummies) holds its seats by the rule, not by a clamp (docs/crash.md, "The default
    payload of an import without a GVWR"). Validity: ``seats`` >= 1."""
    return max(DEFAULT_PAYLOAD_KG, min_payload(seats))


# ---------------------------------------------------------------- design keys
register("mass:payload", "kg", "Rated payload (occupants + cargo) for GVWR; at least "
         "68 kg x body.seats (49 CFR 571.110 S3, 567.4(g)(3))",
         default=DEFAULT_PAYLOAD_KG, lower=0.0, upper=2000.0, **_D)
register("mass:options", "kg", "Optional equipment mass", default=0.0, lower=0.0,
         upper=500.0, **_D)
register("mass:market", None,
         "Market the vehicle is built for: 'jdm' (Japanese kei content, only the content "
         "flags below that are true) or 'us' (every US-required item of "
         "keidesign/data/mass/us_content.csv fitted)",
         default="jdm", dtype=str, choices=("jdm", "us"), **_D)
_CONTENT = {
    "advanced_airbags": "FMVSS 208 advanced frontal air bags (occupant classification, "
                        "dual-stage inflators)",
    "side_airbags": "front-seat torso side air bags",
    "curtain_airbags": "roof-rail curtain air bags",
    "knee_airbag": "driver knee air bag",
    "tpms": "direct tyre-pressure monitoring (FMVSS 138)",
    "rear_camera": "rear-view camera and display (FMVSS 111)",
    "part581_bumpers": "Part 581 (2.5 mph) bumper systems front and rear",
    "us_lighting": "FMVSS 108 lamps/side markers, US labels and mirrors",
    "evap_orvr": "EPA evaporative/ORVR fuel-vapour system (ICE)",
}
CONTENT_ITEMS = tuple(_CONTENT)
for _item, _what in _CONTENT.items():
    register(f"mass:content:{_item}", None,
             f"Fitted in the baseline: {_what} (a 'us' market design fits it regardless)",
             default=False, dtype=bool, **_D)
register("mass:battery_specific_energy", "W*h/kg",
         "Specific energy of the energy-proportional part of the traction pack (cells + "
         "modules); the pack adds a fixed 30 kg [assumed, docs/mass_cost.md]",
         default=150.0, lower=50.0, upper=400.0, design=True,
         when=("powertrain:type", "bev"))

# measured values (optional overrides that carry their provenance)
register("mass:curb_measured", "kg",
         "Measured / published curb mass; 0 = not given (the build-up gives mass:curb). "
         "When given, mass:curb equals it and the build-up is reported as "
         "mass:curb_buildup", default=0.0, lower=0.0, upper=10000.0, **_D)
register("mass:curb_source", None,
         "Where mass.curb_measured comes from (catalogue, test report, URL)",
         default="", dtype=str, **_D)

# ---------------------------------------------------------------- first version (kept)
register("mass:glider", "kg",
         "Glider mass: curb mass without the propulsion hardware, traction battery and "
         "fuel (FASTSim sense; an output of the build-up)")

# ---------------------------------------------------------------- build-up outputs
GROUPS = ("body_structure", "closures", "glazing", "interior", "chassis", "wheels",
          "electrical", "powertrain", "battery", "fuel", "us_content", "options",
          "calibration", "measured")
_GROUP_DESC = {
    "body_structure": "body-in-white from the opaque envelope area + crash members sized by "
                      "the crash discipline + secondary front load path",
    "closures": "doors, hood, tailgate, fenders",
    "glazing": "windshield, side windows, backlight",
    "interior": "seats, trim, instrument panel, HVAC module, belts and frontal air bags",
    "chassis": "suspension, brakes, steering, subframes (scaled with gross mass)",
    "wheels": "tyres and wheels",
    "electrical": "12 V system, harness, lamps, ECUs",
    "powertrain": "propulsion hardware: engine, transmission, fuel system, exhaust, cooling, "
                  "fluids, or motor, inverter, charger, fluids (no traction battery)",
    "battery": "traction battery pack (BEV) or hybrid battery (HEV)",
    "fuel": "fuel in the curb condition (full tank)",
    "us_content": "items of the US content table (keidesign/data/mass/us_content.csv) "
                  "fitted: all for a 'us' market design, the flagged ones for 'jdm'",
    "options": "optional equipment",
    "calibration": "fitted size-law correction: d + k (clip(V_envelope, V_min, V_max) - "
                   "V_ref) (+ b for a BEV), held at the nearest end of the fitted cars' "
                   "volumes outside them; the mass the a-priori items miss (about zero for "
                   "the smallest kei); docs/mass_cost.md",
    "measured": "mass.curb_measured less every group above (the chassis scaled by the "
                "measured gross mass): what the build-up misses on this car; 0 when no "
                "measured curb mass is given",
}
for _g in GROUPS:
    register(f"mass:group:{_g}", "kg", f"Mass of the part group '{_g}': {_GROUP_DESC[_g]}")

register("mass:biw", "kg",
         "Body-in-white without the crash members: areal mass x opaque envelope area")
register("mass:crash_secondary", "kg",
         "Mass of the secondary front load path (subframe/upper rails) carrying "
         "crash:front:secondary_force, at the specific mass (kg per kN) of the main rails")
register("mass:powertrain", "kg",
         "Propulsion unit in the front stack: engine + transmission (ICE) or motor with "
         "reduction + inverter (BEV)")
register("mass:fuel", "kg", "Mass of the fuel in the curb condition (full tank)")
register("mass:curb", "kg",
         "Curb mass (unloaded vehicle, full fuel): sum of the part groups, solved with the "
         "chassis scaled by the gross mass; mass.curb_measured when that is given")
register("mass:curb_buildup", "kg",
         "Curb mass of the build-up alone (= mass:curb unless mass.curb_measured is given; "
         "then the chassis group of the build-up is scaled by its own gross mass)")
register("mass:test", "kg",
         f"Test mass of the energy model: curb + {TEST_MASS_ADDER_KG:.0f} kg (300 lb, "
         "40 CFR 1066.805), or "
         "energy.test_weight (the EPA equivalent test weight) when that is given")
register("mass:driveline", "kg",
         "AWD/4WD driveline beyond a 2WD one (power take-off or transfer case, propeller "
         "shaft, rear differential and half shafts), in the powertrain group; 0 for fwd/rwd")
register("mass:frame", "kg",
         "Ladder frame (body.frame = 'ladder'), per metre of wheelbase, in the body-structure "
         "group; 0 for a unibody")
register("mass:open_body", "kg",
         "Open body (body.roof = 'open'): underbody, sill and A-pillar reinforcement that "
         "restores the stiffness the roof gave, plus the top and its stowage less the roof "
         "panel, per metre of wheelbase, in the body-structure group; 0 for a fixed roof")
register("mass:bed", "kg",
         "Truck bed (body.style = 'truck'): steel deck and walls (drop sides, tail gate, "
         "headboard) by their areas + the headboard guard, in the body-structure group")
register("mass:gvw", "kg", "Gross vehicle mass: curb + payload")
register("mass:cargo", "kg",
         "Maximum cargo load (最大積載量) of a goods vehicle: mass.payload - 55 kg x "
         "min(body.seats, 2) (the Japanese type approval's occupant mass; the load is "
         "rated with the front row occupied: keidesign.catalogue.mass.goods_crew); kei "
         "limit 350 kg",
         when=("body:use", "goods"))
