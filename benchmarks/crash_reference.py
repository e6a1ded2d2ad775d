"""The reference designs' crash figures quoted in docs/crash.md ("Reference designs").

    python benchmarks/crash_reference.py               # print the tables
    python benchmarks/crash_reference.py --write-docs  # rewrite the generated blocks
    python benchmarks/crash_reference.py --check       # exit 1 if the docs differ

Every number comes from ``keidesign evaluate`` of ``studies/designs/*.toml`` with the
``fmvss`` pack, and (block part ``cabover``) from the truck designs in Japan's 50 km/h
full-width test (``keidesign.validation.cabover``); tests/test_docs_figures_crash.py fails
when the docs drift from the code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)
from scipy.constants import g as G  # noqa: E402  (standard gravity, m/s^2)

from keidesign.crash import rollover as ro  # noqa: E402
from keidesign.design import load_design  # noqa: E402
from keidesign.evaluation import evaluate_design, resolve_packs  # noqa: E402
from keidesign.validation import cabover  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "crash.md"

#: (row label, function of (outputs, margins by criterion id) -> text)
ROWS = (
    ("FMVSS 208 test mass, kg", lambda o, m: f"{o('crash:front:test_mass'):.0f}"),
    ("max dynamic crush; less the stack's compression / available, mm",
     lambda o, m: f"{o('crash:front:crush_required'):.0f}; "
                  f"{o('crash:front:crush_past_stack'):.0f} / "
                  f"{o('crash:front:crush_available'):.0f}"),
    ("crush-space margin, mm", lambda o, m: _bold(m["fmvss208.crush_space"])),
    ("dash intrusion / tolerated, mm",
     lambda o, m: f"{o('crash:front:dash_intrusion') + 0.0:.1f} / "
                  f"{o('crash:front:dash_intrusion_limit'):.0f}"),
    ("mean (V/t0) / ESW / 3 ms peak, g",
     lambda o, m: f"{o('crash:front:mean_decel') / G:.1f} / {o('crash:front:esw_decel') / G:.1f}"
                  f" / {o('crash:front:peak_decel') / G:.1f}"),
    ("time to zero velocity, ms", lambda o, m: f"{o('crash:front:pulse_duration'):.1f}"),
    ("OLC / restraint OLC, g",
     lambda o, m: f"{o('crash:front:olc') / G:.1f} / {o('crash:front:olc_restraint') / G:.1f}"),
    ("occupant 3 ms clip (limit 60 g), g",
     lambda o, m: f"{o('crash:front:chest_accel_3ms') / G:.1f}"),
    ("occupant excursion / ride-down space, mm",
     lambda o, m: f"{o('crash:front:occupant_excursion'):.0f} / "
                  f"{o('crash:restraint:ride_down_space'):.0f}"
                  + ("" if m["fmvss208.ride_down_space"] >= 0 else " **(over)**")),
    ("50th male HIC15 / chest deflection mm / Nij / femur kN",
     lambda o, m: f"{o('crash:front:hic15'):.0f} / {o('crash:front:chest_deflection'):.1f} / "
                  f"{o('crash:front:nij'):.2f} / {o('crash:front:femur_force'):.1f}"),
    ("5th female HIC15 / chest deflection mm / Nij / femur kN",
     lambda o, m: f"{o('crash:front:f05:hic15'):.0f} / "
                  f"{o('crash:front:f05:chest_deflection'):.1f} / "
                  f"{o('crash:front:f05:nij'):.2f} / {o('crash:front:f05:femur_force'):.1f}"),
    ("NCAP frontal relative risk (stars)",
     lambda o, m: f"{o('crash:ncap:frontal:relative_risk'):.2f} "
                  f"({o('crash:ncap:frontal:stars'):.0f})"),
    ("side MDB ES-2re rib mm / HIC36; SID-IIs pelvis kN",
     lambda o, m: f"{o('crash:side:mdb:es2re:rib_deflection'):.1f} / "
                  f"{o('crash:side:mdb:es2re:hic36'):.0f}; "
                  f"{o('crash:side:mdb:sid2s:pelvis_force'):.2f}"),
    ("NCAP side relative risk (stars)",
     lambda o, m: f"{o('crash:ncap:side:relative_risk'):.2f} ({o('crash:ncap:side:stars'):.0f})"),
    ("NCAP rollover SSF / risk (stars); * SSF outside the published 1.07-1.83",
     lambda o, m: _rollover(o)),
    ("rear impact: crush needed / to the tank or battery, mm",
     lambda o, m: _over(o("crash:rear:crush_required"), o("body:rear_crush_to_storage"))),
    ("structure energy within C_av / KE, kJ",
     lambda o, m: f"{o('crash:front:energy_capacity'):.0f} / "
                  f"{o('crash:front:energy_required'):.0f}"),
    ("side MDB dv, km/h; crush needed / door skin to seat centreline, mm",
     lambda o, m: f"{o('crash:side:mdb:delta_v'):.1f}; "
                  + _over(o("crash:side:mdb:crush_required"),
                          o("body:door_to_seat_centreline"))),
    ("pole crush needed / door skin to seat centreline, mm",
     lambda o, m: _over(o("crash:side:pole:crush_required"),
                        o("body:door_to_seat_centreline"))),
    ("roof strength / required, kN (SWR)",
     lambda o, m: f"{o('crash:roof:strength'):.1f} / {o('crash:roof:required_force'):.1f} "
                  f"({o('crash:roof:strength_to_weight'):.1f})"),
    ("Part 581 no-damage speed (upper bound), km/h",
     lambda o, m: f"{o('crash:bumper:front:no_damage_speed'):.1f}"),
    ("US / JP fleet share above the NCAP-equivalent dv",
     lambda o, m: f"{o('crash:compat:us:share_above'):.2f} / "
                  f"{o('crash:compat:jp:share_above'):.2f}"),
)


_bold = docblock.bold_margin
_over = docblock.need_over_space


def _rollover(o) -> str:
    """SSF (starred outside the published pairs' range), risk and stars."""
    ssf = o("crash:rollover:ssf")
    star = "*" if ro.extrapolated(ssf) else ""
    return f"{ssf:.2f}{star} / {o('crash:rollover:risk'):.2f} ({o('crash:rollover:stars'):.0f})"


def table() -> str:
    """Markdown table: one column per reference design, one row per quantity."""
    cols = []
    for path in sorted((ROOT / "studies" / "designs").glob("*.toml")):
        d = load_design(path)
        ev = evaluate_design(d, resolve_packs(["fmvss"]))
        outs = {**ev.inputs, **{k: v[0] for k, v in ev.outputs.items()}}

        def o(name: str, outs=outs) -> float:
            v = outs[name]
            return float(v[0] if isinstance(v, tuple) else v)

        margins = {c["id"].split(":", 1)[-1]: c["margin"] for c in ev.constraints}
        cols.append((path.stem, [fn(o, margins) for _, fn in ROWS]))
    lines = ["| | " + " | ".join(f"`{s}`" for s, _ in cols) + " |",
             "| --- |" + " --- |" * len(cols)]
    for i, (label, _) in enumerate(ROWS):
        lines.append(f"| {label} | " + " | ".join(c[i] for _, c in cols) + " |")
    return "\n".join(lines)


def main() -> int:
    """Print both tables; write (``--write-docs``) or compare (``--check``) their blocks."""
    args = docblock.arguments(__doc__)
    rc = 0
    for part, make in ((None, table), ("cabover", cabover.markdown)):
        text = make()
        print(text)
        if args.write_docs:
            docblock.replace(DOC, "crash_reference", text, part)
        if args.check and docblock.block(DOC.read_text(encoding="utf-8"), "crash_reference",
                                         part) != text.strip():
            print(f"docs/crash.md: the block of benchmarks/crash_reference.py ({part}) "
                  "differs from this run", file=sys.stderr)
            rc = 1
    if args.write_docs:
        print(f"wrote {DOC.relative_to(ROOT)}")
    return rc


if __name__ == "__main__":
    sys.exit(main())
