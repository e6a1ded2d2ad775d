"""Energy discipline outputs: drive-cycle consumption, EPA label and CAFE values."""

from keidesign.registry import register

# Outputs of one powertrain only (the model gives 0 for the other): ``when`` makes a
# rule-pack or study criterion on them not-applicable to a design of the other one
# (keidesign.registry.Variable.inapplicable; docs/models.md "Constraint status").
_BEV = {"when": ("powertrain:type", "bev")}
_ICE = {"when": ("powertrain:type", "ice")}
_HEV = {"when": ("powertrain:ice:hybrid", "hev")}

register("energy:ftp_mpg", "mi/galUS",
         "Unadjusted FTP-75 (city) fuel economy; MPGe (33.7 kWh/gal) for a BEV")
register("energy:hwfet_mpg", "mi/galUS",
         "Unadjusted HWFET (highway) fuel economy; MPGe for a BEV")
register("energy:ftp_kwh_per_mi", "kW*h/mi",
         "Unadjusted FTP-75 electricity use from the wall (BEV; 0 for ICE)", **_BEV)
register("energy:hwfet_kwh_per_mi", "kW*h/mi",
         "Unadjusted HWFET electricity use from the wall (BEV; 0 for ICE)", **_BEV)
register("energy:label_city_mpg", "mi/galUS", "EPA label city (derived 5-cycle)")
register("energy:label_hwy_mpg", "mi/galUS", "EPA label highway (derived 5-cycle)")
register("energy:label_comb_mpg", "mi/galUS", "EPA label combined, 55/45 harmonic")
register("energy:label_co2", "g/mi", "EPA label tailpipe CO2 (0 for a BEV)")
register("energy:unadj_comb_mpg", "mi/galUS",
         "Unadjusted 2-cycle combined, 55/45 harmonic (CAFE/GHG compliance basis)")
register("energy:cafe_mpg", "mi/galUS",
         "CAFE compliance value: unadjusted combined (ICE) or petroleum-equivalent (BEV)")

# --- energy model internals (keidesign.energy): road load and tractive energy ---
register("energy:road:m_eff", "kg",
         "Effective inertial mass m_test x (1 + rotating-mass allowance, UN GTR 15 A4 2.5.1)")
register("energy:road:f0", "N", "Constant road-load term F0 = Crr m g (SAE J2264 form)")
register("energy:road:f1", "N*s/m",
         "Speed-linear road-load term F1 = road:crr_speed m g (an EPA target "
         "coefficient B to reproduce a dynamometer test)", default=0.0)
register("energy:road:f2", "N*s**2/m**2", "Quadratic road-load term F2 = rho Cd A / 2")
for _t, _name in (("ftp", "FTP-75"), ("hwfet", "HWFET")):
    register(f"energy:{_t}:trac_pos_phase", "kW*h",
             f"Propulsive (positive) tractive energy at the wheels per {_name} phase")
    register(f"energy:{_t}:trac_brake_phase", "kW*h",
             f"Braking (negative) tractive energy at the wheels per {_name} phase, "
             "as a positive magnitude")
    register(f"energy:{_t}:trac_pos_per_mi", "kW*h/mi",
             f"Propulsive tractive energy per mile, {_name} phase-weighted composite")
    register(f"energy:{_t}:trac_brake_per_mi", "kW*h/mi",
             f"Braking tractive energy per mile (magnitude), {_name} composite")

# --- energy issue: measured coast-down coefficients (optional design input) ---
register("energy:coastdown:measured", None,
         "Use the measured coast-down coefficients below (EPA target A, B, C) instead of "
         "the road load computed from mass, Crr and Cd x A",
         default=False, dtype=bool, design=True)
register("energy:coastdown:a", "N",
         "Measured coast-down coefficient A (F0), e.g. \"30.5 lbf\" from the EPA test car list",
         default=0.0, lower=0.0, upper=2000.0, design=True)
register("energy:coastdown:b", "N*s/m",
         "Measured coast-down coefficient B (F1), e.g. \"0.0152 lbf*h/mi\"",
         default=0.0, lower=-100.0, upper=100.0, design=True)
register("energy:coastdown:c", "N*s**2/m**2",
         "Measured coast-down coefficient C (F2), e.g. \"0.0215 lbf*h**2/mi**2\"",
         default=0.0, lower=0.0, upper=10.0, design=True)
register("energy:coastdown:source", None,
         "Where the coast-down coefficients come from (e.g. 'EPA test car list MY2019, "
         "test number ...')", default="", dtype=str, design=True)
register("energy:test_weight", "kg",
         "Measured / certified test mass, e.g. the EPA equivalent test weight "
         "(\"2750 lb\"); 0 = not given (test mass = curb + 136 kg). When given, the EPA "
         "cycles, the performance figures and (less 136 + 110 kg) the Japanese modes use it",
         default=0.0, lower=0.0, upper=10000.0, design=True)
register("energy:test_weight_source", None, "Where energy.test_weight comes from",
         default="", dtype=str, design=True)

# --- energy issue: cycle results ---
register("energy:us06_mpg", "mi/galUS",
         "US06 fuel economy (MPGe for a BEV); where the car cannot follow the trace, an ICE "
         "at full load (a BEV at its motor's available power) over the distance it drives "
         "(perf:us06_distance_share); not a label input here (derived 5-cycle label)")
register("energy:ftp:fuel_phase", "kW*h",
         "Fuel (ICE/HEV) or wall electricity (BEV) energy per FTP-75 bag (1, 2, 3)")
register("energy:hwfet:fuel_phase", "kW*h", "Fuel or wall electricity energy of the HWFET")
register("energy:cold_start_fuel", "kW*h",
         "Extra fuel of the FTP bag-1 (and WLTC) cold start over a hot start", **_ICE)
register("energy:co2_unadj", "g/mi",
         "Tailpipe CO2 of the unadjusted 55/45 combined (CAFE/GHG basis), 8887 g/gal")
register("energy:ftp_dc_kwh_per_mi", "kW*h/mi",
         "BEV battery (DC) energy per mile on the UDDS/FTP, regeneration credited (0 for ICE)",
         **_BEV)
register("energy:hwfet_dc_kwh_per_mi", "kW*h/mi",
         "BEV battery (DC) energy per mile on the HWFET (0 for ICE)", **_BEV)
register("energy:ev_range_city", "mi",
         "BEV unadjusted city range: usable battery energy / DC energy per mile on the UDDS",
         **_BEV)
register("energy:ev_range_hwy", "mi",
         "BEV unadjusted highway range: usable battery energy / DC energy per mile, HWFET", **_BEV)
register("energy:ev_range", "mi",
         "BEV EPA label range: 0.7 x the 55/45 combination of the unadjusted ranges "
         "(0 for an ICE)", **_BEV)
register("energy:wltc_km_per_l", "km/L",
         "Japan WLTC-mode fuel economy (low + medium + high phases, cold start, "
         "Japanese test mass); 0 for a BEV", **_ICE)
register("energy:wltc_wh_per_km", "W*h/km",
         "Japan WLTC-mode AC electricity consumption (low + medium + high); 0 for an ICE", **_BEV)
register("energy:jc08_km_per_l", "km/L",
         "Japan JC08 fuel economy (kei catalogues before 2018): 0.25 cold-start + 0.75 "
         "hot-start run of the 1204 s trace, test mass curb + 110 kg; 0 for a BEV", **_ICE)
register("energy:jc08_wh_per_km", "W*h/km",
         "Japan JC08 AC electricity consumption (1204 s trace, curb + 110 kg); 0 for an ICE",
         **_BEV)
register("energy:wltc_test_mass", "kg",
         "Japanese WLTC test mass, the WLTP rule: a passenger car curb + 100 kg + 15 % of "
         "(4 x 55 - 100) kg = curb + 118 kg; a goods vehicle (body.use = 'goods') curb + "
         "100 kg + 28 % of (mass:payload - 100 kg) (keidesign.energy.vehicle.wltc_test_mass)")
register("energy:hev_soc_swing", "unitless",
         "HEV: largest state-of-charge excursion over the FTP / battery window (must be < 1)",
         **_HEV)
for _set in ("2008", "2017"):
    register(f"energy:label{_set}_city_mpg", "mi/galUS",
             f"EPA label city, derived 5-cycle with the {_set} coefficients (MPGe for a BEV)")
    register(f"energy:label{_set}_hwy_mpg", "mi/galUS",
             f"EPA label highway, derived 5-cycle with the {_set} coefficients")
    register(f"energy:label{_set}_comb_mpg", "mi/galUS",
             f"EPA label combined (55/45 harmonic), {_set} coefficients")
