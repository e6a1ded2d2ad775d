"""Energy discipline outputs: drive-cycle consumption, EPA label and CAFE values."""

from keidesign.variables import register

register("energy:ftp_mpg", "mi/galUS",
         "Unadjusted FTP-75 (city) fuel economy; MPGe (33.7 kWh/gal) for a BEV")
register("energy:hwfet_mpg", "mi/galUS",
         "Unadjusted HWFET (highway) fuel economy; MPGe for a BEV")
register("energy:ftp_kwh_per_mi", "kW*h/mi",
         "Unadjusted FTP-75 electricity use from the wall (BEV; 0 for ICE)")
register("energy:hwfet_kwh_per_mi", "kW*h/mi",
         "Unadjusted HWFET electricity use from the wall (BEV; 0 for ICE)")
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
         "Speed-linear road-load term F1 (0 for the design road load; an EPA target "
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
