"""Design-file metadata: name, provenance, rule packs, model year."""

from keidesign.registry import register

register("design:name", None, "Short name of the candidate design", dtype=str, design=True)
register("design:description", None, "Free-text description", default="", dtype=str,
         design=True)
register("design:source", None,
         "Where the numbers come from (published specs, data file rows, URLs)",
         default="", dtype=str, design=True)
register("design:rules", None,
         "Rule packs to judge the design by: built-in ids (see `keidesign rules`) or paths",
         default=("kei-japan", "fmvss", "epa-label", "cafe-2024", "us-highway", "packaging"),
         dtype=list,
         design=True)
register("design:model_year", "unitless",
         "Model year the design is certified for (selects CAFE/GHG target coefficients)",
         default=2027, lower=2011, upper=2031, dtype=int, design=True,
         range_why="the years the CAFE tables are set for: 49 CFR 531.5(c) Table 3 "
                   "MY2012-2031 (cafe-2024), MY2011 reported not-applicable (Table 2's "
                   "curve); no CAFE standard is set after MY2031, so a later design is "
                   "refused rather than judged on epa-ghg's 'MY2032 and later' row alone")
