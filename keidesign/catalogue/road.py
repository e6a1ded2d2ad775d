"""Road-load parameters: aerodynamic drag and rolling resistance."""

from keidesign.registry import register

#: Drag coefficient of the truck style (cab-over kei truck, open drop-side bed), used
#: when a truck design gives no ``road.cd``. No kei-truck Cd is published (kei_trucks.csv).
#: The kei truck has the blunt flat front of a Japanese one-box (cab-over) van, "Cd about
#: 0.5" (webcartop 2024-07, https://webcartop.jp/2024/07/1353656/2/amp: passenger cars
#: 0.24-0.3, one-box vans about 0.5, trucks 0.5-0.9), and behind a short cab the wake of
#: an open pickup bed: full-size pickups with the tailgate up measure Cd 0.43 (Dodge Ram
#: model without mirrors, WNEC water tunnel 1997) to 0.48 (NRC Canada full scale, K. R.
#: Cooper, SAE paper as reported by Motor magazine), 0.46-0.53 with the tailgate
#: replaced by a net, up to 0.50 for older pickups (ecomodder/aerohead); light vans
#: 0.35-0.5 (Heisler, Advanced Vehicle Technology, table "typical drag coefficients").
#: 0.50 = the one-box value: the cab front is a one-box front; the bed's separation
#: bubble behind a cab 0.8 m taller than the 0.94 m gate top does not lower it below
#: the pickups' 0.43-0.48 (whose long hood rounds the front flow). Not fitted to any truck.
TRUCK_CD = 0.50

register("road:cd", "unitless",
         "Aerodynamic drag coefficient. Kei makers publish none: an uncertain input "
         "(tall-boys ~0.32-0.40, hatches lower; FASTSim models the N-Box at 0.38). "
         "Required, except for the truck style: default 0.50 (cab-over one-box front about "
         "0.5, webcartop 2024; open-bed pickups 0.43-0.48, NRC Canada / WNEC; "
         "keidesign/catalogue/road.py TRUCK_CD)",
         lower=0.15, upper=0.8, design=True,
         default_when=(("body:style", "truck"), TRUCK_CD))
register("road:crr", "unitless",
         "Rolling-resistance coefficient at standstill, c0 of F0 = c0 m g: tyres plus "
         "non-driven driveline drag as EPA coast-downs see them. Default 0.0079 fitted "
         "with road:crr_speed on 522 EPA small-car configurations with published Cd "
         "(docs/validation.md, leave-one-family-out 7.5 % MAE at 50 mph; Wong, Theory "
         "of Ground Vehicles: 0.007-0.015 for radials)",
         default=0.0079, lower=0.003, upper=0.03, design=True)
register("road:crr_speed", "s/m",
         "Growth of the rolling-resistance coefficient with speed, c1 of F1 = c1 m g "
         "(tyre hysteresis, bearing and brake drag; SAE J2452 form). Default 9.1e-5 s/m "
         "fitted with road:crr on EPA target coast-downs, the EV rows' with their motor's "
         "coast-down drag (docs/validation.md)",
         default=9.1e-5, lower=0.0, upper=0.002, design=True)
