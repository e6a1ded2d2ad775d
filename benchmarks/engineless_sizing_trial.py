"""Energy sizing for engine-less imported fronts only (issue 14, task s25a; 5 Dec 2026): a
layout rule judged with a ship rule written before the first run.

    python benchmarks/engineless_sizing_trial.py        # the whole judgment

Background (docs/crash.md, "The smart W453 ED against the 451 ED's own test", "Engine-less
fronts' barrier tests", "Energy-based sizing of an imported front"): the import sizes a
non-kei front to a force per kg of FMVSS 208 test mass, phi = 0.73 x the reference rail
set's, fitted on 30 barrier tests of front-engined fronts (``build._structure_scale``).
On a front with nothing ahead of the dash that level holds about half the test energy in
the zones, and the compaction past them (20 MN/m, assumed) makes peaks of 97-155 g
against tests of 43-58 g; the W453 ED (no published curb, the reference rail set) fails
three FMVSS 208 criteria, the one certified generation of 131 that does. The energy
trial (task s23h_d) sized every front so that its zones absorb E = m V^2 / 2 within the
stroke it has: on the two engine-less fronts with a test the peaks fell to -10 / -11 %
with both crushes within 6 %, with no parameter; on the front-engined fronts it failed
(over-crush), so it was not shipped.

Hypothesis (written 5 Dec 2026, 18:38 UTC, before any judging run; committed alone):
an imported front with no engine or motor ahead of the dash is designed so that its crush
zones absorb the full-width test's kinetic energy within their own stroke; every
front-engined front keeps the shipped force-per-kg rule unchanged. A layout rule with
zero fitted parameters:

* scope: a non-kei import, not ``--predict``, whose powertrain layout as the import
  writes it (the spec's ``layout``, us_specs.csv ``layout``; else rear for a rear-drive
  BEV) is one of ``validation.crash.ENGINELESS_LAYOUTS`` (rear, mid, underfloor). In the
  data: the smart fortwo W451, W453 and W453 ED (no published curb), the Mitsubishi
  i-MiEV HA3W and the three rear-motored BMW i3 generations (published curbs). The
  i3s REx row names no drive, so the import places its motor at the front and the rule
  leaves it alone, as every other front-engined or front-motored import.
* sizing: the trial's engine-less branch at eta = 1 (``energy_sizing_trial``): the one
  force scale s of every zone force (walls x s^(3/5), the superfolding force going as
  t^(5/3)) whose 56 km/h pulse crush (``crash:front:crush_required``, the model's
  three-mass pulse at the FMVSS 208 test mass m) equals S, the zones' own stroke up to
  the gap (``structure.campbell_span``): the zones absorb E = m V^2 / 2 before the
  compaction past them is reached.
* mass: m is the FMVSS 208 test mass of the model run of the design as written (curb +
  the import's cargo + two 50th-male dummies). Where the curb is published (or from
  the EPA test weight) it is that curb. Where none is published (the W453 ED; the
  mass model gives 1,091 kg against the one published EU curb, 1,085 kg) it is the mass
  model's curb, which moves with the walls the rule sizes (the rails' own mass): a fixed
  point, up to three passes, each one model run on the current walls, one s, the walls
  rescaled and rounded to 0.01 mm, stopping when the rounded walls no longer change.
  The passes start from the shipped rule's walls (phi-sized where the curb is known,
  the reference set where it is not), and the same passes run on a published-curb
  front, whose mass does not move (the second pass only corrects the zone forces'
  approximate following of s).
* a flag (``build.ENGINELESS_ENERGY_SIZING``) switches the rule; the judgment imports
  with it off (shipped) and on.

Ship rule (written with the hypothesis, before any judging run; ALL must hold):

(a) every front-engined import is untouched: the design text of every certified
    generation the rule does not size is identical with the flag on and off, and so are
    its verdicts and pulse figures; the 30 barrier tests' model crush figures (the phi
    fit's tests, ``front_shape.stored_tests``) and the 15 NCAP rows' crush and peak
    errors are bit-identical;
(b) the engine-less tests with an importable design: the smart 451 ED (the W451 imported
    at the 451 ED's NCAP curb, 963 kg, test 8314) and the i-MiEV (test 7863): each
    maximum dynamic crush within +/-15 % and each 3 ms model peak within +/-25 % of the
    test's CFC 60 peak;
(c) held out (their crush and peak are in docs/crash.md, which was read for the task;
    the rule has no parameter they could set): the Tesla Model 3 MY2018 RWD, test 10383,
    counts, with the bounds of (b), if a design is built for it from sourced specs
    (kept as data for the crash check only, not a us_specs row, so the mass calibration
    does not move); if none can be built, (c) is reported "not built" and does not count.
    The Model S MY2013 RWD (test 8308, 1,960 kg, outside the small-car scope) is
    reported apart if a design is built and does not count either way;
(d) the smart fortwo electric drive W453 ED passes every federal criterion (the Known
    outcomes verdict: ``fmvss`` pack, the stored dummy constants);
(e) the certified generations (131): none newly failing (a generation that fails no
    federal criterion under the shipped import fails one under the rule); the US NCAP
    stars within one (``benchmarks/ncap.py``: 48 of 51 frontal, 15 of 17 side, dummy
    constants held out by family) not fewer; the pulse band counts (ESW, time average,
    3 ms peak within the published band, ``crash_probes.py pulse_band``) none lower.

If any item fails, the rule is not shipped: the flag stays off, the trial and its
judgment table stay (docs/crash.md).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """The judgment (written after the rule above was committed)."""
    raise SystemExit("judgment code not yet written")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
