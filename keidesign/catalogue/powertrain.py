"""Powertrain design parameters (ICE or BEV)."""

from keidesign.variables import register

_ICE = {"design": True, "when": ("powertrain:type", "ice")}
_BEV = {"design": True, "when": ("powertrain:type", "bev")}

register("powertrain:type", None, "Powertrain type", dtype=str, choices=("ice", "bev"),
         design=True)
register("powertrain:transmission", None, "Transmission type",
         default="cvt", dtype=str, choices=("cvt", "mt5", "at4", "at6", "single_speed"),
         design=True)
register("powertrain:block_length", "mm",
         "Length along x of the non-crushing powertrain stack (engine + transmission "
         "or motor + inverter) in the front compartment",
         default=450.0, lower=0.0, upper=1200.0, design=True)

register("powertrain:ice:displacement", "cm**3", "Engine displacement",
         lower=50.0, upper=8000.0, **_ICE)
register("powertrain:ice:cylinders", "unitless", "Number of cylinders",
         lower=1, upper=16, dtype=int, **_ICE)
register("powertrain:ice:turbo", None, "Turbocharged", default=False, dtype=bool, **_ICE)
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
