"""Road-load parameters: aerodynamic drag and rolling resistance."""

from keidesign.registry import register

register("road:cd", "unitless",
         "Aerodynamic drag coefficient. Kei makers publish none: an uncertain input "
         "(tall-boys ~0.32-0.40, hatches lower; FASTSim models the N-Box at 0.38)",
         lower=0.15, upper=0.8, design=True)
register("road:crr", "unitless",
         "Rolling-resistance coefficient at standstill, c0 of F0 = c0 m g: tyres plus "
         "non-driven driveline drag as EPA coast-downs see them. Default 0.0079 fitted "
         "with road:crr_speed on 529 EPA small-car configurations with published Cd "
         "(docs/validation.md, leave-one-family-out 7.5 % MAE at 50 mph; Wong, Theory "
         "of Ground Vehicles: 0.007-0.015 for radials)",
         default=0.0079, lower=0.003, upper=0.03, design=True)
register("road:crr_speed", "s/m",
         "Growth of the rolling-resistance coefficient with speed, c1 of F1 = c1 m g "
         "(tyre hysteresis, bearing and brake drag; SAE J2452 form). Default 9.0e-5 s/m "
         "fitted with road:crr on EPA target coast-downs (docs/validation.md)",
         default=9.0e-5, lower=0.0, upper=0.002, design=True)
