"""Optimize and Pareto runs decide the federal class once per run (the class is a step
in top speed and GVWR a gradient optimizer cannot see) and check the solution's own class
at the end (task s30d): a speed-limiter variable that drives the optimum into the
low-speed-vehicle band (49 CFR 571.3: 20-25 mph, GVWR below 3,000 lb) is reported as
"the optimum is of class 'lsv', the run judged every design as 'passenger_car'". Before,
nothing was said: the optimum of a passenger-car run could be an LSV, judged on Part
581 (bumpers), which 49 CFR 581.3 does not apply to an LSV."""

from __future__ import annotations

import json
import re

import pytest
from conftest import DESIGNS, ROOT

from keidesign.cli import main
from keidesign.federal_class import LSV_MAX_MPH, LSV_MIN_MPH, classify
from keidesign.studies.runclass import class_check, class_record

KMH_PER_MPH = 1.609344
PART581 = "fmvss:part581.front.barrier"


def _study(tmp_path, lower_kmh: float, pareto: bool = False):
    """The US-variant N-Box class with its speed limiter a design variable from
    ``lower_kmh`` to 60 km/h, top speed minimized, Part 581's front barrier held; the
    Pareto variant also minimizes curb mass over the engine power."""
    body = f'''[study]
name = "limiter into the LSV band"
design = "{(DESIGNS / 'nbox_class_us.toml').as_posix()}"
record = ["mass:curb", "perf:top_speed"]

[[variable]]
name = "powertrain.speed_limiter"
lower = {lower_kmh}
upper = 60
start = 60

[[constraint]]
id = "{PART581}"
'''
    if pareto:
        body += '''
[[variable]]
name = "powertrain.ice.power"
lower = 40
upper = 47

[pareto]
points = 2

[[pareto.objective]]
name = "perf:top_speed"
sense = "min"

[[pareto.objective]]
name = "mass:curb"
sense = "min"
'''
    else:
        body += '''
[objective]
name = "perf:top_speed"
sense = "min"
'''
    path = tmp_path / ("pareto.toml" if pareto else "limiter.toml")
    path.write_text(body, encoding="utf-8")
    return path


def _run(path, out, capsys):
    """``keidesign optimize`` of the study at ``path`` into ``out``: (results.json, the
    printed text)."""
    capsys.readouterr()
    assert main(["optimize", str(path), "--out", str(out), "--serial", "--no-reports",
                 "--no-step", "--no-resolve", "--no-progress"]) == 0
    text = capsys.readouterr().out
    return json.loads((out / "results.json").read_text(encoding="utf-8")), text


def _optimize(tmp_path, lower_kmh, capsys):
    out = tmp_path / f"out{lower_kmh:g}"
    doc, text = _run(_study(tmp_path, lower_kmh), out, capsys)
    return doc, text, out


def _variant(tmp_path, name, *edits, extra=""):
    """The 36-60 km/h study with Part 581 chosen by a glob, ``edits`` (old, new) applied
    and ``extra`` appended."""
    text = _study(tmp_path, 36.0).read_text(encoding="utf-8").replace(
        'id = "fmvss:part581.front.barrier"', 'id = "fmvss:part581.*"')
    for old, new in edits:
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text + extra, encoding="utf-8")
    return path


def test_an_optimum_that_crosses_into_the_lsv_band_is_reported(tmp_path, capsys):
    """Limiter 36-60 km/h, top speed minimized: the optimum sits at 36 km/h (22.4 mph,
    GVWR about 1,230 kg): a low-speed vehicle; the run judged it as a passenger car."""
    doc, text, out = _optimize(tmp_path, 36.0, capsys)
    top = doc["outputs"]["perf:top_speed"]["value"]
    assert LSV_MIN_MPH < top <= LSV_MAX_MPH, top
    fc = doc["federal_class"]
    assert (fc["judged"], fc["solution"], fc["agrees"]) == ("passenger_car", "lsv", False)
    assert fc["warning"].startswith("federal class: the optimum is of class 'lsv' "
                                    "(low-speed vehicle: top speed 22.4 mph within (20, 25] "
                                    "mph"), fc["warning"]
    assert "the run judged every design as 'passenger_car'" in fc["warning"]
    assert f"  WARNING: {fc['warning']}" in text
    assert "**Warning**: federal class: the optimum is of class 'lsv'" in (
        out / "trade_factors.md").read_text(encoding="utf-8")
    # docs/studies.md quotes this run
    gvwr = float(re.search(r"GVWR (\d+) kg", fc["warning"]).group(1))
    doc_text = " ".join((ROOT / "docs" / "studies.md").read_text(encoding="utf-8").split())
    assert (f"ends at 36 km/h, {top:.1f} mph and GVWR {gvwr:,.0f} kg: an LSV judged as a "
            "passenger car") in doc_text


def test_an_optimum_of_the_judged_class_says_nothing(tmp_path, capsys):
    """Limiter 45-60 km/h: the optimum at 45 km/h (28.0 mph) stays a passenger car."""
    doc, text, _ = _optimize(tmp_path, 45.0, capsys)
    assert doc["outputs"]["perf:top_speed"]["value"] > LSV_MAX_MPH
    assert doc["federal_class"] == {"judged": "passenger_car", "solution": "passenger_car",
                                    "agrees": True, "warning": ""}
    # no federal-class warning (the unconstrained-criteria block of s44i may follow)
    assert not [ln for ln in text.splitlines()
                if ln.startswith("  WARNING:") and " FAILS " not in ln]


def test_pareto_points_of_another_class_are_named(tmp_path, capsys):
    """Top speed and curb mass minimized over the limiter (36-60 km/h) and the power:
    both anchors and the front points at the low-speed end are LSVs. The mass anchor is
    lexicographic (s31k, Mavrotas 2009): curb mass minimized, then top speed with the mass
    held, and the limiter moves no mass, so that anchor too ends at 36 km/h."""
    out = tmp_path / "pareto"
    capsys.readouterr()
    assert main(["pareto", str(_study(tmp_path, 36.0, pareto=True)), "--out", str(out),
                 "--serial", "--no-progress"]) == 0
    text = capsys.readouterr().out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    fc = summary["federal_class"]
    assert fc["judged"] == "passenger_car"
    assert fc["anchors_of_other_class"] == {"perf:top_speed": "lsv", "mass:curb": "lsv"}
    assert set(fc["front_points_of_other_class"].values()) <= {"lsv"}
    assert fc["warning"] and f"  WARNING: {fc['warning']}" in text
    assert "are of class 'lsv' (low-speed vehicle), but the run judged every point as " \
           "'passenger_car'" in fc["warning"]


@pytest.mark.parametrize("top, judged_bed, want", [
    (22.0, False, "lsv"), (18.0, False, "off_road"), (40.0, False, ""), (40.0, True, ""),
])
def test_class_check(top, judged_bed, want):
    judged = classify(35.0, 700.0, open_bed=judged_bed)
    got = classify(top, 1100.0, open_bed=judged_bed)
    msg = class_check(judged, got)
    assert (msg.split("'")[1] if msg else "") == want, msg
    assert class_record(judged, None) == {"judged": judged.key, "solution": None,
                                          "agrees": None, "warning": ""}


def test_a_run_from_an_lsv_base_is_judged_as_an_lsv(tmp_path, capsys):
    """The base design governed at 36 km/h (22.4 mph) is a low-speed vehicle: the run is
    judged as one (Part 581, passenger cars only, chosen by a glob, is left out), and
    its optimum at 60 km/h (37.3 mph), a passenger car, is reported. Before, the run was
    judged by the class the body gives (a passenger car) whatever the base's speed."""
    path = _variant(tmp_path, "from_lsv.toml", ("start = 60", "start = 36"),
                    ('sense = "min"', 'sense = "max"'),
                    extra='\n[set.powertrain]\nspeed_limiter = 36\n')
    doc, _ = _run(path, tmp_path / "o", capsys)
    assert doc["outputs"]["perf:top_speed"]["value"] == pytest.approx(60 / KMH_PER_MPH,
                                                                      rel=1e-4)
    assert not any(m["id"].startswith("fmvss:part581") for m in doc["margins"])
    assert any(s.startswith("fmvss:part581.front.barrier: constraint does not apply")
               for s in doc["skipped"]), doc["skipped"]
    fc = doc["federal_class"]
    assert (fc["judged"], fc["solution"], fc["agrees"]) == ("lsv", "passenger_car", False)
    assert fc["warning"].startswith("federal class: the optimum is of class "
                                    "'passenger_car'"), fc["warning"]


def test_a_study_that_requires_the_lsv_class_is_judged_as_one(tmp_path, capsys):
    """``[class] require = "lsv"`` from the highway-speed US N-Box: the run is judged as an
    LSV from its first iterate (Part 581, chosen by a glob, left out: 49 CFR 581.3), and
    its optimum at 36 km/h is one: no warning. Judged by the base design's class (a
    passenger car), the run would have held Part 581 and warned."""
    path = _variant(tmp_path, "lsv.toml", extra='\n[class]\nrequire = "lsv"\n')
    doc, text = _run(path, tmp_path / "o", capsys)
    assert doc["federal_class"] == {"judged": "lsv", "solution": "lsv", "agrees": True,
                                    "warning": ""}
    assert not any(m["id"].startswith("fmvss:part581") for m in doc["margins"])
    # no federal-class warning (the unconstrained-criteria block of s44i may follow)
    assert not [ln for ln in text.splitlines()
                if ln.startswith("  WARNING:") and " FAILS " not in ln]
