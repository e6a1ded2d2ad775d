"""A sweep decides each case's federal class from its own outputs: Part 581 (bumpers)
applies to passenger cars only (49 CFR 581.3: not to low-speed vehicles), so a case that
a speed limiter makes a low-speed vehicle (49 CFR 571.3: top speed 20-25 mph, GVWR below
3,000 lb) is not judged on it, while the cases above 25 mph are (task s29c).

Before: the class was decided once from the base design's body (a passenger car), so
every case of a limiter sweep was judged on Part 581, the LSV cases too."""

from __future__ import annotations

import csv
import json

from conftest import DESIGNS

from keidesign.cli import main
from keidesign.federal_class import LSV_MAX_MPH, LSV_MIN_MPH
from keidesign.studies.problem import MarginSpec, applies
from keidesign.studies.sweep import classify

KMH_PER_MPH = 1.609344
PART581 = "fmvss:part581.front.barrier"


def _study(tmp_path, lower: float, upper: float) -> str:
    """A 3-case limiter sweep of the US-variant N-Box class whose only constraint is
    Part 581's front barrier with a margin no bumper has (1000 km/h): every case it
    applies to is infeasible, bound by it."""
    path = tmp_path / "limiter.toml"
    path.write_text(f'''[study]
name = "limiter across the LSV band"
design = "{(DESIGNS / 'nbox_class_us.toml').as_posix()}"
record = ["mass:curb"]

[[variable]]
name = "powertrain.speed_limiter"
lower = {lower}
upper = {upper}
start = {upper}

[[constraint]]
id = "{PART581}"
min_margin = 1000

[sweep]
method = "fullfact"
levels = 3
chunk = 3
''', encoding="utf-8")
    return str(path)


def test_a_limiter_sweep_judges_part_581_only_on_the_passenger_cars(tmp_path, capsys):
    """Limiter 35 / 47.5 / 60 km/h (21.7 / 29.5 / 37.3 mph): the 35 km/h case is a
    low-speed vehicle (GVWR below 3,000 lb) and feasible, Part 581 not judged; the two
    above the LSV band are passenger cars, infeasible on Part 581. The old code judged
    Part 581 on all three (none feasible)."""
    out = tmp_path / "out"
    assert main(["sweep", _study(tmp_path, 35.0, 60.0), "--out", str(out), "--serial"]) == 0
    capsys.readouterr()
    with (out / "cases.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_limiter = {float(r["powertrain:speed_limiter [km/h]"]): r for r in rows}
    assert sorted(by_limiter) == [35.0, 47.5, 60.0]
    for limiter, r in by_limiter.items():
        assert r["status"] == "ok", r
        top = float(r["perf:top_speed [mi/h]"])   # recorded: it decides the class
        assert top <= limiter / KMH_PER_MPH + 1e-6
        lsv = LSV_MIN_MPH < top <= LSV_MAX_MPH and float(r["mass:curb [kg]"]) + 300 < 1361
        assert lsv == (limiter == 35.0), (limiter, top)
        if lsv:
            assert r["feasible"] == "True" and r["binding"] == "", r
        else:
            assert r["feasible"] == "False" and r["binding"] == PART581, r
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["feasible"] == 1 and summary["binding"] == {PART581: 2}


def test_a_margin_applies_by_the_case_class():
    """``applies``: a class-restricted margin is judged on its classes only; an
    unrestricted one, or a case of unknown class (a store without the class outputs),
    always. ``classify`` leaves the others out of feasibility and binding."""
    m = MarginSpec(id=PART581, output="margin:x", quantity="q", kind="lower", bound=4.0,
                   units="km/h", applies_to=("passenger_car",))
    free = MarginSpec(id="other", output="margin:y", quantity="q", kind="lower",
                      bound=0.0, units=None)
    assert applies(m, "passenger_car") and applies(m, None)
    assert not applies(m, "lsv") and not applies(m, "off_road") and not applies(m, "truck")
    assert all(applies(free, k) for k in ("passenger_car", "lsv", "off_road", None))
    outs = {"margin:x": -1.0, "margin:y": 2.0}
    assert classify(outs, [m, free], "passenger_car")[:2] == (False, PART581)
    assert classify(outs, [m, free], "lsv")[:2] == (True, "other")
