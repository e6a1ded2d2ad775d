"""Vehicle performance outputs: acceleration, top speed, gradeability, US06 trace.

Computed by :mod:`keidesign.energy.performance` from the same road load and powertrain
data as the drive cycles; bounded by the ``us-highway`` rule pack.
"""

from keidesign.registry import register

register("perf:accel_0_60", "s", "0-60 mph time at full power, test mass (curb + 136 kg)")
register("perf:accel_50_70", "s", "50-70 mph passing time at full power (best gear)")
register("perf:top_speed", "mi/h",
         "Top speed on a level road: power-, engine-speed- or limiter-bound")
register("perf:grade_speed", "mi/h",
         "Highest speed sustainable at full power on the rule pack's grade (6 %)")
register("perf:us06_shortfall", "mi/h",
         "US06: largest amount by which the achieved speed falls below the lowest trace "
         "point within 1 s (the speed tolerance of 40 CFR 86.115-78 (b)(2) is 2 mph)")
register("perf:ftp_shortfall", "mi/h",
         "FTP (UDDS trace): largest amount by which the full-power achieved speed falls "
         "below the lowest trace point within 1 s (40 CFR 86.115-78(b)(1)-(2): 2 mph; "
         "lower speeds at maximum available power accepted, (b)(4))")
register("perf:hwfet_shortfall", "mi/h",
         "HWFET: largest amount by which the full-power achieved speed falls below the "
         "lowest trace point within 1 s (40 CFR 600.109-08(b)(2): 2 mph)")
register("perf:wltc_shortfall", "mi/h",
         "Japan's WLTC mode (low + medium + high, the design's class): largest amount by "
         "which the full-power achieved speed falls below the lowest trace point within "
         "1 s (the same pass as the US06's; GTR No. 15's own tolerance is 2 km/h)")
register("perf:jc08_shortfall", "mi/h",
         "Japan's JC08 (1204 s): largest amount by which the full-power achieved speed "
         "falls below the lowest trace point within 1 s (the same pass as the US06's)")
#: a Japanese trace's note: the US rule's reading, assumed (the Japanese procedure's text
#: not read)
_JP = "; the US rule's reading for a Japanese trace, assumed"
for _name, _what in (("ftp_bag1", "FTP bag 1 (UDDS 0-505 s)"),
                     ("ftp_bag2", "FTP bag 2 (UDDS 505-1369 s)"), ("hwfet", "HWFET"),
                     ("us06", "US06"),
                     ("wltc", "Japan's WLTC mode (low + medium + high, the design's class)"),
                     ("jc08", "Japan's JC08 (its cold and hot runs: the same trace)")):
    register(f"perf:{_name}_distance_share", "unitless",
             f"{_what}: distance the full-power pass drives over the trace's distance "
             "(1: the trace is followed; below the trace at maximum available power, "
             f"40 CFR 86.115-78(b)(4){_JP if _name in ('wltc', 'jc08') else ''}); the "
             "cycle's fuel economy is over this distance",
             default=1.0, lower=0.0, upper=1.0)
for _name, _what in (("ftp", "FTP (UDDS trace, bags 1 and 2: 1369 steps)"),
                     ("hwfet", "HWFET (765 steps)"), ("us06", "US06 (600 steps)"),
                     ("wltc", "Japan's WLTC mode (the design's class, 1477 steps)"),
                     ("jc08", "Japan's JC08 (1204 steps)")):
    register(f"perf:{_name}_behind", "unitless",
             f"{_what}: 1 on the 1 s steps the full-power pass drives at full power "
             "below the trace, else 0 (a decision: no derivative); the engine or motor "
             "gives its full-load power on them (40 CFR 86.115-78(b)(4)"
             f"{_JP if _name in ('wltc', 'jc08') else ''})", default=0.0, lower=0.0,
             upper=1.0)
register("perf:us06_power_deficit", "kW",
         "US06: largest wheel-power demand of the exact trace above the full-power "
         "capability at that speed (<= 0: the trace can be followed)")
register("perf:power_to_mass", "W/kg", "Rated propulsion power per test mass")
