"""Powertrain design parameters (ICE or BEV)."""

from keidesign.registry import register

_ICE = {"design": True, "when": ("powertrain:type", "ice")}
_BEV = {"design": True, "when": ("powertrain:type", "bev")}

register("powertrain:type", None, "Powertrain type", dtype=str, choices=("ice", "bev"),
         design=True)
#: Transmission types (keidesign.energy.powertrains.GEARS; FAMILY gives their family:
#: manual = mt and single-clutch automated manual amt, dct = dual clutch, automatic =
#: torque-converter at, cvt, single_speed). The number is the number of gears.
TRANSMISSIONS = ("cvt", "mt5", "at4", "at6", "single_speed", "mt6", "amt5", "amt6",
                 "dct6", "dct7", "dct8", "at5", "at7", "at8", "at9", "at10", "at3")
register("powertrain:transmission", None,
         "Transmission type: 'mt5'/'mt6' manual, 'amt5'/'amt6' automated (single-clutch) "
         "manual, 'dct6'..'dct8' dual clutch, 'at3'..'at10' torque-converter automatic, "
         "'cvt', 'single_speed'. A BEV ('powertrain.type = \"bev\"') drives through its "
         "single reduction: 'single_speed' (its default); any other value is an input error",
         default="cvt", default_when=(("powertrain:type", "bev"), "single_speed"),
         dtype=str, choices=TRANSMISSIONS, design=True)
#: Lock-up rules of a torque-converter automatic's converter (the same tuple as
#: keidesign.energy.powertrains.CONVERTER_LOCKUP; tests hold them equal).
CONVERTER_LOCKUP = ("all", "top", "none")
register("powertrain:converter_lockup", None,
         "Lock-up clutch of a torque-converter automatic ('at3'..'at10', ICE without "
         "hybrid): 'all' (locked in every gear while driving: the model before 4 Dec 2026), "
         "'top' (locked in the top gear only), 'none' (no lock-up clutch: MLIT's '4AT(E)' / "
         "'3AT' without 'LTC', the kei vans' and trucks' automatics). Where open, the "
         "converter slips by its capacity law at an assumed 2500 rpm stall speed "
         "(keidesign.energy.powertrains.converter_speed_ratio); another value than 'all' "
         "for any other transmission is an input error",
         default="all", dtype=str, choices=CONVERTER_LOCKUP, design=True)
register("powertrain:layout", None,
         "Engine (propulsion unit) position: 'front' (ahead of the dash, in the front crush "
         "zone), 'rear', 'mid' (behind the occupants) or 'underfloor' (under the seats, "
         "cab-over vans and kei trucks). Only 'front' puts powertrain.block_length into the "
         "frontal crash stack-up (docs/mass_cost.md, keidesign.crash.structure) and is held to "
         "the body's front block check; it also places the powertrain block in the CAD "
         "(docs/geometry.md, 'Powertrain position')",
         default="front", dtype=str, choices=("front", "rear", "mid", "underfloor"),
         design=True)
register("powertrain:drive", None,
         "Driven wheels: 'fwd', 'rwd', 'awd' (an FWD base's PTU, coupling, propeller "
         "shaft and rear axle) or '4wd' (a rear-drive base's front axle drive: part-time "
         "transfer case, or a coupling as on the Honda Acty truck's full-time 4WD). "
         "awd/4wd add driveline mass (mass:driveline) and losses "
         "(keidesign.energy.vehicle.DRIVELINE_EFFICIENCY) and drive all four wheels "
         "in the performance traction limit",
         default="fwd", dtype=str, choices=("fwd", "rwd", "awd", "4wd"), design=True)
register("powertrain:block_length", "mm",
         "Length along x of the non-crushing powertrain stack (engine + transmission "
         "or motor + inverter) in the front compartment",
         default=450.0, lower=0.0, upper=1200.0, design=True)

register("powertrain:ice:displacement", "cm**3", "Engine displacement",
         lower=50.0, upper=8000.0, **_ICE)
register("powertrain:ice:cylinders", "unitless", "Number of cylinders",
         lower=1, upper=16, dtype=int, **_ICE)
register("powertrain:ice:turbo", None, "Turbocharged", default=False, dtype=bool, **_ICE)
register("powertrain:ice:compression_ratio", "unitless",
         "Geometric compression ratio (catalogue 圧縮比); scales the Willans efficiency by "
         "the fuel-air-cycle ratio (keidesign.energy.powertrains.compression_efficiency). "
         "0 = class default of the turbo flag (12.0 NA, 9.1 turbocharged: averages of "
         "current kei engines, docs/energy.md; keidesign import writes 11.0 / 9.9, the "
         "published US small-car engines, for a non-kei car); else 8 to 15",
         default=0.0, lower=0.0, upper=15.0, **_ICE)
register("powertrain:ice:power", "kW", "Rated engine power", lower=5.0, upper=600.0, **_ICE)
register("powertrain:ice:torque", "N*m", "Rated engine torque", lower=10.0, upper=1200.0,
         **_ICE)
register("powertrain:ice:fuel_tank", "L", "Fuel tank capacity", default=27.0,
         lower=5.0, upper=200.0, **_ICE)

register("powertrain:bev:battery_energy", "kW*h", "Usable battery energy",
         lower=1.0, upper=250.0, **_BEV)
register("powertrain:bev:motor_power", "kW", "Rated motor power", lower=5.0, upper=600.0,
         **_BEV)
register("powertrain:bev:motor_torque", "N*m", "Rated motor torque", lower=10.0,
         upper=1500.0, **_BEV)

# derived
register("powertrain:rated_power", "kW", "Rated propulsion power (engine or motor)")

# --- energy issue: drivetrain ratios, engine and battery data, hybrid (all with defaults) ---
# A ratio of 0 means "the typical value of the chosen transmission" (table in
# docs/energy.md, keidesign.energy.powertrains.TRANSMISSION_DEFAULTS).
register("powertrain:final_drive", "unitless",
         "Final-drive (axle) ratio; for a BEV the whole single-speed reduction. "
         "0 = typical value of the transmission type (docs/energy.md)",
         default=0.0, lower=0.0, upper=20.0, design=True)
register("powertrain:ratio_low", "unitless",
         "First-gear ratio (MT/AT) or lowest CVT ratio (underdrive), without the final "
         "drive; 0 = typical value of the transmission type",
         default=0.0, lower=0.0, upper=10.0, design=True)
register("powertrain:ratio_high", "unitless",
         "Top-gear ratio (MT/AT) or highest CVT ratio (overdrive), without the final "
         "drive; 0 = typical value of the transmission type",
         default=0.0, lower=0.0, upper=5.0, design=True)
register("powertrain:speed_limiter", "km/h",
         "Governed top speed (electronic limiter); 140 km/h is the Japanese industry's "
         "voluntary kei-car limit [to-check]",
         default=140.0, lower=20.0, upper=400.0, design=True)
register("powertrain:ice:rated_speed", "rpm",
         "Engine speed at rated power; the engine is limited to 1.1 x this speed",
         default=6500.0, lower=2000.0, upper=12000.0, **_ICE)
register("powertrain:ice:idle_stop", None,
         "Idle stop-start: engine off while the vehicle stands (after the cold start)",
         default=False, dtype=bool, **_ICE)
register("powertrain:ice:idle_stop_speed", "km/h",
         "With idle stop: the speed below which the engine also stops while the car "
         "brakes, before standstill (Daihatsu eco IDLE: about 7 km/h NA, 9 km/h turbo, "
         "owner's manual); 0 = only while standing "
         "(keidesign.energy.powertrains.stop_before_standstill)",
         default=0.0, lower=0.0, upper=20.0, **_ICE)
#: Range of one upshift speed of ``powertrain.ice.manual_upshift_mph`` (mph): the makers'
#: printed tables read lie within it (Polaris Slingshot 17-50 mph, 2006 Dodge Viper
#: 17-42 mph, owner's manuals, R); 5 mph is below any first-gear launch (a kei first gear
#: turns the engine at idle near 3 mph, A), 80 mph the US06's top speed (80.3 mph, 40 CFR
#: 86 App. I, R): a shift above it never happens on an EPA cycle.
MANUAL_UPSHIFT_MPH_RANGE = (5.0, 80.0)
register("powertrain:ice:manual_upshift_mph", "mi/h",
         "A driver-shifted manual's (mt5/mt6) recommended upshift speeds on accelerations, "
         "first to last (1-2, 2-3, ...: gears - 1 strictly increasing speeds), as its "
         "owner's manual prints them; the model's EPA driver shifts by them on the FTP, "
         "HWFET and US06 accelerations (40 CFR 86.128-79 (a), 86.159-08 (f)(2)(viii); "
         "keidesign.energy.powertrains.scheduled_gear_index). "
         "Each a number in mi/h (mph) or a quantity string ('27 km/h'). [] (the default) = "
         "the class schedule of calibration.toml ([ice] manual_schedule_mph: 0.85 x the "
         "Polaris Slingshot's 17/24/35/41/50 mph). Giving it for another transmission or a "
         "hybrid is an input error",
         default=(), lower=MANUAL_UPSHIFT_MPH_RANGE[0], upper=MANUAL_UPSHIFT_MPH_RANGE[1],
         dtype=tuple, **_ICE)
register("powertrain:ice:hybrid", None,
         "Hybrid system on the engine: 'none', or 'hev' (parallel charge-sustaining hybrid "
         "with the motor and battery below; a rule-based energy management)",
         default="none", dtype=str, choices=("none", "hev"), **_ICE)
register("powertrain:ice:hev_layout", None,
         "HEV layout: 'mild' (motor on the crankshaft or belt, P0/P1: it assists and "
         "regenerates but cannot drive with the engine stopped; e.g. belt ISG, Honda IMA) "
         "or 'full' (a clutch, planetary or second motor lets the engine stop while the "
         "motor drives: P2, power split, two-motor series-parallel). Used only when "
         "hybrid = 'hev'",
         default="mild", dtype=str, choices=("mild", "full"), **_ICE)
register("powertrain:ice:hev_motor_power", "kW",
         "HEV motor rated power (used only when hybrid = 'hev')",
         default=10.0, lower=0.5, upper=200.0, **_ICE)
register("powertrain:ice:hev_motor_reduction", "unitless",
         "HEV traction motor's own overall speed reduction to the wheels, motor rpm per "
         "wheel rpm (a power split's MG2 reduction x final drive, e.g. Toyota P610 10.84; "
         "a two-motor drive's fixed reduction). 0: none, the motor turns at the engine's "
         "top-gear ratio (a crankshaft or gearbox-input motor). Used only when hybrid = "
         "'hev' (keidesign.energy.powertrains.motor_speed_ratio)",
         default=0.0, lower=0.0, upper=20.0, **_ICE)
register("powertrain:ice:hev_motor_max_speed", "rpm",
         "HEV traction motor's maximum speed with its own reduction (above it the motor "
         "neither drives nor regenerates); 0: not limited. Used only when hybrid = 'hev' "
         "and hev_motor_reduction > 0",
         default=0.0, lower=0.0, upper=25000.0, **_ICE)
register("powertrain:ice:hev_motor_on_gearbox", None,
         "HEV traction motor on a stepped gearbox's input shaft, between the engine clutch "
         "and the gearbox (P2 parallel, e.g. Hyundai Ioniq/Elantra Hybrid with a 6-speed "
         "dual-clutch box): the motor turns at the gearbox input speed of the selected "
         "gear. False: at the engine's top-gear ratio (a crankshaft motor) or at its own "
         "hev_motor_reduction. Used only when hybrid = 'hev' "
         "(keidesign.energy.powertrains.motor_speed_ratio)",
         default=False, dtype=bool, **_ICE)
register("powertrain:ice:hev_battery_voltage", "V",
         "HEV traction pack nominal (open-circuit) voltage, cells x per-cell voltage (NiMH "
         "1.2 V, Li-ion 3.6-3.7 V). 0 (with hev_battery_resistance 0): the assumed pack of "
         "calibration.toml [hev] without a power limit. Used only when hybrid = 'hev' "
         "(keidesign.energy.powertrains.hev_pack)",
         default=0.0, lower=0.0, upper=800.0, **_ICE)
register("powertrain:ice:hev_battery_resistance", "ohm",
         "HEV traction pack internal resistance, cells x per-cell pulse resistance (about "
         "2.6 mOhm per prismatic NiMH cell of the 2010 Prius, INL); with "
         "hev_battery_voltage it sets the pack's power limit V^2/(4R), which caps electric "
         "drive and regeneration. 0 (with hev_battery_voltage 0): the assumed pack. Used "
         "only when hybrid = 'hev'",
         default=0.0, lower=0.0, upper=5.0, **_ICE)
register("powertrain:ice:hev_battery_energy", "kW*h",
         "HEV battery usable energy window (used only when hybrid = 'hev')",
         default=0.5, lower=0.02, upper=10.0, **_ICE)
register("powertrain:bev:max_motor_speed", "rpm", "Maximum motor speed",
         default=10000.0, lower=2000.0, upper=25000.0, **_BEV)
register("powertrain:bev:pack_voltage", "V", "Battery pack nominal (open-circuit) voltage",
         default=350.0, lower=24.0, upper=1000.0, **_BEV)
register("powertrain:bev:battery_resistance", "ohm",
         "Battery pack internal (DC) resistance at the nominal voltage. 0 (the default): "
         "from the pack's usable energy, R = tau V^2 / E with V pack_voltage, E "
         "battery_energy and the cell time constant tau of calibration.toml [bev] "
         "pack_tau_s (81 s: 0.1 ohm at 350 V for the median published pack, 27.6 kWh; "
         "keidesign.energy.powertrains.pack_resistance); a value above 0 is the stated "
         "pack's own",
         default=0.0, lower=0.0, upper=2.0, **_BEV)
register("powertrain:bev:charger_efficiency", "unitless",
         "Wall-to-battery charging efficiency (on-board charger + battery charge losses) "
         "on a level-2 charger, as in the EPA (SAE J1634) test",
         default=0.90, lower=0.5, upper=1.0, **_BEV)
register("powertrain:bev:charger_power", "kW",
         "On-board charger AC rating: the level-2 charging power of the EPA (SAE J1634) "
         "recharge; the car's own load while it charges is drawn for the charging time, so "
         "a smaller charger costs wall energy (keidesign.energy.powertrains.charge_factor). "
         "Default 7.2 kW: the median of the published ratings of the EPA EVs "
         "(data/vehicles/ev_chargers.csv)",
         default=7.2, lower=1.0, upper=22.0, **_BEV)
register("powertrain:bev:motor_type", None,
         "Traction machine: 'pmsm' (permanent-magnet synchronous, incl. PM-assisted "
         "reluctance) or 'induction' (its magnetising current is a loss whenever it turns: "
         "keidesign.energy.powertrains.motor_loss)",
         default="pmsm", dtype=str, choices=("pmsm", "induction"), **_BEV)
register("powertrain:bev:pack_chemistry", None,
         "Traction-battery chemistry: 'li-ion' or 'lmp' (lithium metal polymer, held at "
         "60-80 C by a heater drawn while driving and charging: "
         "keidesign.energy.powertrains.PACK_HEATER_KW)",
         default="li-ion", dtype=str, choices=("li-ion", "lmp"), **_BEV)

# derived: for the mass model (the mass issue consumes them)
register("powertrain:mass", "kg",
         "Powertrain mass: engine + transmission (+ HEV motor and battery) or motor + "
         "inverter + reduction + battery (keidesign.energy.powertrains)")
register("powertrain:volume", "m**3",
         "Powertrain package volume (engine + transmission, or motor + inverter + battery)")
register("powertrain:overall_ratio_high", "1/m",
         "Engine (motor) speed per vehicle speed in top gear, rad/s per m/s")
register("powertrain:overall_ratio_low", "1/m",
         "Engine (motor) speed per vehicle speed in first gear, rad/s per m/s")
