"""Scan of the spec file's keys against the design their import builds (issue 13, task s27a,
6 Dec 2026; docs/security.md, "Spec files").

    python benchmarks/spec_derivations.py              # every key, six base specs (~1 min)
    python benchmarks/spec_derivations.py dimensions.width mass.curb   # some keys

Every numeric key of the spec schema (``keidesign.specs.sources.USER_SCHEMA``: the
registry variable's range, or the key's own) is set to its bounds and interior points
(0, 2, 10, 25, 50, 75, 90, 100 % of its range, and 10-75 % on a log scale for a range
over a factor 20), the other keys at a base spec's values: the ICE, BEV, full-hybrid
and goods examples of the tests, the Model 3 crash-check spec
(``keidesign/data/crash``) and a kei spec (``tests/data/newuser``). Each variant goes
through the spec reader, the import's build and the design check the import makes (the
values, then the body layout, as ``keidesign check``). The build's model runs (restraint
rule, predicted roof, GVWR fixed point) are left out: they do not move the keys the
design check reads. Printed: every variant that fails after the spec reader accepted
it (``design``: the import's design check; ``layout``: the body layout; ``TRACE``: any
other exception), which the spec reader should have refused on its own keys
(``keidesign.specs.build.check_spec_derivations``), and the count of variants the spec
reader refused. Of the 1,626 variants, 1,360 import; before s27a 55 were refused by the
spec reader, 156 by the import's design check (``design``: length, wheelbase, front
overhang, width, tracks, curb, hybrid pack) and 55 more passed it but not the body
layout ``keidesign check`` adds (``layout``: overhangs against the tyre's wheel arch,
height under the belt line, a short car's rear seat cell, ground clearance), so the
import wrote a file ``check`` refused. After it: 259 refused by the spec reader on their
own keys, 0 ``design`` and 7 ``layout`` (a short kei or BEV's rear seat cell behind a
long crush zone, a BEV's 368-400 mm ground clearance under the belt line), which the
import's design check now refuses, naming the spec keys behind the design field.
"""

from __future__ import annotations

import copy
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path
from unittest import mock

import tomlkit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_import import USER_SPEC, USER_SPEC_ICE  # noqa: E402

from geometry.params import layout_from_design  # noqa: E402
from keidesign import variables as reg  # noqa: E402
from keidesign.design import parse_design  # noqa: E402
from keidesign.errors import InputError  # noqa: E402
from keidesign.specs import build, sources  # noqa: E402
from keidesign.specs.text import design_text  # noqa: E402

BASES = {
    "ice": USER_SPEC_ICE,
    "bev": USER_SPEC,
    "hev": USER_SPEC_ICE.replace("cylinders = 3", 'cylinders = 3\nhybrid = true\n'
                                 'hybrid_layout = "full"\nhybrid_motor_power = 60\n'),
    "goods": USER_SPEC_ICE.replace("model_year = 2019", 'model_year = 2019\nuse = "goods"\n'
                                   "[mass]\nmax_load = 350"),
    "model3": (ROOT / "keidesign/data/crash/tesla_model3_2018_rwd_spec.toml").read_text(),
    "kei": (ROOT / "tests/data/newuser/nissan_roox_2020_x_2wd.toml").read_text(),
}
#: keys a scanned key needs beside it (else the reader refuses the pair, not the value)
COMPANIONS = {"engine.idle_stop_speed": {"engine.idle_stop": True},
              "transmission.transfer_ratio": {"transmission.final_drive": 4.0},
              "mass.max_load": {"vehicle.use": "goods"},
              "engine.hybrid_battery_voltage": {"engine.hybrid_battery_resistance": 0.3},
              "engine.hybrid_battery_resistance": {"engine.hybrid_battery_voltage": 200}}


def numeric_keys() -> dict[str, tuple[float, float, bool]]:
    """``table.key`` -> (lower, upper, integer) of every numeric key of the spec schema."""
    out = {}
    for t, keys in sources.USER_SCHEMA.items():
        for k, kind in keys.items():
            if isinstance(kind, str):
                v = reg.get(kind)
                if v.dtype in (int, float) and v.lower is not None:
                    out[f"{t}.{k}"] = (float(v.lower), float(v.upper), v.dtype is int)
            elif kind[0] in ("mass", "ratio", "int"):
                out[f"{t}.{k}"] = (float(kind[1][0]), float(kind[1][1]), kind[0] == "int")
    return out


def points(lo: float, hi: float, integer: bool) -> list[float]:
    vals = [lo + f * (hi - lo) for f in (0.0, 0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)]
    if lo > 0 and hi / lo > 20:
        vals += [lo * (hi / lo) ** f for f in (0.1, 0.25, 0.5, 0.75)]
    return sorted({float(round(v)) if integer else v for v in vals})


def outcome(doc: dict, path: Path) -> tuple[str, str]:
    """(``spec`` | ``design`` | ``layout`` | ``TRACE`` | ``ok``, message) of one variant."""
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    try:
        spec = sources.user_spec(path)
    except InputError as exc:
        return "spec", str(exc)
    stubs = [mock.patch.object(build, name, lambda *a, **k: None)
             for name in ("_restraint_table", "_predicted_roof_table")]
    stubs.append(mock.patch.object(build, "_model_masses", lambda *a, **k: []))
    try:
        for s in stubs:
            s.start()
        design = parse_design(design_text(*build.build_design(spec)), "<import>")
    except InputError as exc:
        return "design", str(exc)
    except Exception as exc:  # noqa: BLE001 - the scan reports any other failure
        return "TRACE", f"{type(exc).__name__}: {exc}"
    finally:
        for s in stubs:
            s.stop()
    try:
        layout_from_design(design)
    except InputError as exc:
        return "layout", str(exc)
    return "ok", ""


def main(only: list[str]) -> None:
    keys = numeric_keys()
    count: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "spec.toml"
        for name, text in BASES.items():
            base = tomllib.loads(text)
            for key, (lo, hi, integer) in keys.items():
                table = key.split(".")[0]
                if only and key not in only:
                    continue
                if ("engine" in base) == (table in ("motor", "battery")) and table in (
                        "engine", "motor", "battery"):
                    continue  # an engine key on a BEV or a motor key on an ICE car
                for v in points(lo, hi, integer):
                    doc = copy.deepcopy(base)
                    for k, val in {key: v, **COMPANIONS.get(key, {})}.items():
                        t, kk = k.split(".")
                        doc.setdefault(t, {})[kk] = val
                    if key.startswith("engine.hybrid_"):
                        doc["engine"]["hybrid"] = True
                    got, msg = outcome(doc, path)
                    count[got] += 1
                    if got not in ("ok", "spec"):
                        print(f"{name:7s} {key} = {v:g}: {got}: {msg.split(': ', 1)[-1]}")
    print("variants:", ", ".join(f"{k} {n}" for k, n in sorted(count.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
