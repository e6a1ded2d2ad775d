"""Road-load parameters: aerodynamic drag and rolling resistance."""

from keidesign.variables import register

register("road:cd", "unitless",
         "Aerodynamic drag coefficient. Kei makers publish none: an uncertain input "
         "(tall-boys ~0.32-0.40, hatches lower; FASTSim models the N-Box at 0.38)",
         lower=0.15, upper=0.8, design=True)
register("road:crr", "unitless",
         "Tyre rolling-resistance coefficient (Wong, Theory of Ground Vehicles: "
         "0.007-0.015 for passenger-car radials on pavement)",
         default=0.009, lower=0.003, upper=0.03, design=True)
