"""Every row through ``keidesign import`` and ``keidesign evaluate`` (task s39b, issue 13).

The owners check each release on vehicle families kept out of the shipped data: they run
``keidesign import`` (EPA rows of the same files' format, vehicle rows, a spec TOML a user
writes) and ``keidesign evaluate`` on cars never seen. This sweep runs, in this process
(one set-up model per structure, :mod:`keidesign.reuse`), every

* EPA test-car configuration (the Test Car List de-duplicated on ``Test Number`` and
  grouped as :func:`keidesign.energy.testcars.test_cars` groups it; a group the import
  does not carry, e.g. a plug-in hybrid, is asked for by year, make and model as a user
  would, and what the user gets is classified);
* EPA label row (``epa_label_small_2011_2023.csv``: every make, year and fuel; asked for
  by year, make, model and transmission class, as a user reading the label would);
* row of ``keidesign/data/vehicles`` the importer reads (kei.csv, us_small.csv,
  us_specs.csv; kei_ev.csv is merged into kei.csv, kei_trucks.csv is refused by design);
* spec TOML a user might write: three complete base specs (a US hatch with an engine, a
  kei EV, a hybrid), each optional key left out one at a time, each numeric key at the
  edges of its documented range, and the named edges (0.66 L and 4.0 L, 1 and 10 gears,
  2 and 9 seats),

with and without ``--predict``, and classifies each outcome:

``ok``
    imported, checked (values and body layout, as ``keidesign check``), evaluated; every
    output finite and plausible.
``extreme-input``
    a spec key at an end of its documented range (e.g. ``engine.power = "5.0 kW"``)
    evaluated to a figure outside the bounds: that value's consequence, finite (not a
    failure; the named edges of the task, 0.66 L and 4.0 L, 1 and 10 gears, 2 and 9
    seats, are judged as any car).
``refused``
    a one-line :class:`keidesign.errors.InputError` that says what is allowed (the
    project's ``allowed:`` convention) or why the car is not modelled (a plug-in hybrid).
``ambiguous``
    a selection with several matches, listed for ``--index`` (exit 2, acceptable).
``refused-unclear``
    an InputError without ``allowed:`` or a reason: a bad message.
``traceback``
    any other exception in the import.
``import-check-fails``
    the import wrote a design that ``keidesign check`` refuses (the import's own bug).
``evaluate-fails``
    check passes, evaluate raises.
``nan``
    a NaN or inf in any output of the evaluation.
``implausible``
    outside the bounds of :data:`BOUNDS`: label combined mpg 10-150 (a gasoline or hybrid
    car), curb mass 400-2500 kg, 0-60 mph at most 30 s, a BEV's label range 10-1000 mi,
    any body margin (``body:*_margin``) of magnitude at most 5 m (a unit slip).

Run::

    python benchmarks/import_sweep.py            # every row: 2,012 imports (and checks,
                                                 # evaluations), 5,103 selections (an hour
                                                 # on a shared core, 7 Dec 2026)
    python benchmarks/import_sweep.py --quick    # a stratified sample
    python benchmarks/import_sweep.py --only spec --examples 5

Results and the fixes they led to: docs/import.md, "Every row through the import";
``tests/test_import_sweep.py`` runs a fixed stratified sample.

Prints the counts per class and source, and the first examples of each failure class;
exits 1 if any outcome is a failure (traceback, import-check-fails, evaluate-fails, nan,
implausible, refused-unclear).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Plausibility bounds of an evaluated import (the task's, issue 13): output -> (low,
#: high, which cars); a value outside is ``implausible``.
BOUNDS: dict[str, tuple[float, float, str]] = {
    "energy:label_comb_mpg": (10.0, 150.0, "ice"),
    "mass:curb": (400.0, 2500.0, "all"),
    "perf:accel_0_60": (0.0, 30.0, "all"),
    "energy:ev_range": (10.0, 1000.0, "bev"),
}
#: Largest magnitude of a body margin (mm, m**2, m**3 as the output's units): beyond it a
#: unit slip, not a design.
MARGIN_LIMIT = {"mm": 5000.0, "m**3": 10.0, "m**2": 10.0, "m": 5.0}

FAILURES = ("traceback", "import-check-fails", "evaluate-fails", "nan", "implausible",
            "refused-unclear")
CLASSES = ("ok", "extreme-input", "refused", "ambiguous") + FAILURES


@dataclass
class Outcome:
    source: str
    label: str
    cls: str
    detail: str = ""


@dataclass
class Case:
    """One import as a user runs it: ``spec`` builds the :class:`Spec` (or raises)."""

    source: str
    label: str
    spec: Callable[[], object]
    predict: tuple[bool, ...] = (False, True)
    tags: dict[str, str] = field(default_factory=dict)
    #: the selection only: a label row that selects one test car is ``ok`` (that car's
    #: import is one of the ``epa-testcar`` cases)
    select_only: bool = False
    #: a spec file (its import-check failures are one line, as the command gives them)
    path: Path | None = None
    #: a spec key at the end of its documented range: a figure outside :data:`BOUNDS` is
    #: that value's (``extreme-input``), not a failure, unless NaN or a crash
    extreme: bool = False


def clean_refusal(msg: str) -> bool:
    """A refusal the owners accept: one line saying what is allowed, or that the car is
    not modelled (and what to do instead)."""
    return "\n" not in msg.strip() and bool(re.search(r"allowed|not modelled", msg))


def _values(v) -> list[float]:
    import numpy as np

    arr = np.asarray(v[0] if isinstance(v, tuple) else v, dtype=float).ravel()
    return [float(x) for x in arr]


def judge(design, ev) -> tuple[str, str]:
    """The class of one evaluation (``ok``, ``nan`` or ``implausible``) and its detail."""
    bad = [k for k, v in ev.outputs.items()
           if _numeric(v) and not all(math.isfinite(x) for x in _values(v))]
    if bad:
        return "nan", f"non-finite outputs: {', '.join(bad[:6])}"
    kind = "bev" if design.powertrain_type == "bev" else "ice"
    out = []
    for name, (lo, hi, which) in BOUNDS.items():
        if which not in ("all", kind) or name not in ev.outputs:
            continue
        x = _values(ev.outputs[name])[0]
        if not lo <= x <= hi:
            out.append(f"{name} = {x:.4g} outside [{lo:g}, {hi:g}]")
    for name, v in ev.outputs.items():
        if name.startswith("body:") and name.endswith("_margin") and _numeric(v):
            lim = MARGIN_LIMIT.get(v[1] if isinstance(v, tuple) else "mm")
            x = _values(v)[0]
            if lim is not None and abs(x) > lim:
                out.append(f"{name} = {x:.4g} {v[1]} beyond +-{lim:g}")
    return ("implausible", "; ".join(out)) if out else ("ok", "")


def _numeric(v) -> bool:
    try:
        _values(v)
    except (TypeError, ValueError):
        return False
    return True


def run_case(case: Case, predict: bool) -> Outcome:
    """Import, check and evaluate one case in-process (as ``keidesign import`` then
    ``keidesign check`` and ``keidesign evaluate`` do)."""
    from geometry.params import layout_from_design
    from keidesign.design import parse_design
    from keidesign.errors import InputError
    from keidesign.evaluation import design_packs, evaluate_design
    from keidesign.specs.build import build_design
    from keidesign.specs.sources import AmbiguousSelection
    from keidesign.specs.write import design_text

    label = case.label + (" --predict" if predict else "")
    try:
        spec = case.spec()
        if case.select_only:
            return Outcome(case.source, label, "ok", f"selects {spec.name}")
        header, tables = build_design(spec, predict=predict)
        text = design_text(header, tables)
    except AmbiguousSelection as exc:
        return Outcome(case.source, label, "ambiguous", f"{len(exc.choices)} matches")
    except InputError as exc:
        msg = str(exc)
        return Outcome(case.source, label, "refused" if clean_refusal(msg)
                       else "refused-unclear", msg)
    except Exception:  # noqa: BLE001 - the sweep's point: any other exception is a bug
        return Outcome(case.source, label, "traceback", traceback.format_exc(limit=-3))
    try:
        design = parse_design(text, "<import>")
        layout_from_design(design)
        packs = design_packs(design)
    except InputError as exc:
        if case.path is None:
            return Outcome(case.source, label, "import-check-fails", str(exc))
        # a spec file's values the import derives a failing design from: the command
        # says so in one line naming the file and its keys (commands.spec_design_error)
        from keidesign.specs.commands import spec_design_error

        msg = spec_design_error(case.path, str(exc).removeprefix("<import>: "))
        return Outcome(case.source, label, "refused" if clean_refusal(msg)
                       else "refused-unclear", msg)
    except Exception:  # noqa: BLE001
        return Outcome(case.source, label, "import-check-fails",
                       traceback.format_exc(limit=-3))
    try:
        ev = evaluate_design(design, packs, reuse=True)
    except Exception:  # noqa: BLE001
        return Outcome(case.source, label, "evaluate-fails", traceback.format_exc(limit=-3))
    cls, detail = judge(design, ev)
    if cls == "implausible" and case.extreme:
        cls = "extreme-input"  # the figure follows a value the user wrote at its range end
    return Outcome(case.source, label, cls, detail)


# ----------------------------------------------------------------------- the cases
def epa_group_cases() -> tuple[list[Case], list[Case]]:
    """(the configurations the import carries, one case each; the groups of the Test
    Car List it does not carry, asked for by year, make, model and class)."""
    from keidesign.energy import testcars as tc
    from keidesign.specs import sources

    cars = tc.test_cars()
    by_test = {n: c for c in cars for n in c.test_numbers}
    rows = tc._csv(tc.TESTCAR_FILE)
    seen: set[str] = set()
    groups: dict[tuple, list[str]] = defaultdict(list)
    for r in rows:
        if r["Test Number"] in seen:
            continue
        seen.add(r["Test Number"])
        key = (int(r["Model Year"]), r["Represented Test Veh Make"].strip().upper(),
               r["Represented Test Veh Model"].strip(), r["Test Vehicle ID"],
               r["Tested Transmission Type"], r["# of Gears"],
               r["Test Fuel Type Description"], r["Equivalent Test Weight (lbs.)"])
        groups[key].append(r["Test Number"])
    carried: list[Case] = []
    dropped: list[Case] = []
    done: set[int] = set()
    for key, nums in groups.items():
        # every configuration holding one of the group's tests (a group of one test
        # weight may hold several target coast-downs: several configurations)
        held = list({id(by_test[n]): by_test[n] for n in nums if n in by_test}.values())
        year, make, model = key[:3]
        for car in held:
            if id(car) in done:
                continue
            done.add(id(car))

            def spec(car=car):
                idx = sources.epa_matches(car.year, car.make, car.model).index(car)
                return sources.epa_spec(car.year, car.make, car.model, None, None, idx)

            tags = {"fuel": car.cls if car.cls in ("ev", "hybrid") else "gasoline",
                    "trans": car.cls, "drive": car.drive, "make": car.make}
            carried.append(Case("epa-testcar", f"epa {car.year} {car.make} {car.model} "
                                f"{car.trans} {car.drive} ({car.vehicle_id})", spec,
                                tags=tags))
        if not held:
            def spec(year=year, make=make, model=model):
                return sources.epa_spec(year, make, model, None, None, None)

            dropped.append(Case("epa-testcar-not-carried",
                                f"epa {year} {make} {model} [{key[4]} {key[5]}, {key[6]}]",
                                spec, predict=(True,)))
    return carried, dropped


_LABEL_CLASS = (("Automatic (AV", "cvt"), ("Automatic (variable", "cvt"),
                ("(AM", "dct"), ("Manual", "manual"), ("Automatic", "automatic"))


def label_cases() -> list[Case]:
    """Every label row, asked for by year, make, model and transmission class (a hybrid
    or EV by its class), as a user reading the label would ask."""
    from keidesign.specs import sources

    path = ROOT / "keidesign" / "data" / "epa" / "epa_label_small_2011_2023.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        atv = r["atvType"].strip().lower()
        trans = ("ev" if atv == "ev" else "hybrid" if atv == "hybrid" else next(
            (c for p, c in _LABEL_CLASS if r["trany"].startswith(p)), None))

        def spec(r=r, trans=trans):
            return sources.epa_spec(int(r["year"]), r["make"], r["model"], trans, None, None)

        out.append(Case("epa-label", f"label {r['id']} {r['year']} {r['make']} {r['model']} "
                        f"{r['trany']} {r['atvType'] or r['fuelType1']}", spec,
                        predict=(True,), select_only=True))
    return out


def vehicle_cases() -> list[Case]:
    from keidesign.specs import sources

    out = []
    for file in ("kei", "us_small", "us_specs"):
        for vr in sources.vehicle_rows(file):
            out.append(Case(f"vehicle-{file}", f"{file}.csv line {vr.line}: {vr.label}",
                            lambda vr=vr: sources.row_spec(vr), tags={"make": file}))
    return out


#: Base spec files (every key of the schema a car of the kind takes; values of published
#: cars: the Mirage-class hatch, the Sakura-class kei EV, a Prius-class hybrid).
BASE_SPECS: dict[str, dict[str, dict[str, object]]] = {
    "ice": {
        "vehicle": {"name": "Sweep hatch", "model_year": 2024, "market": "us", "seats": 5,
                    "style": "hatch", "drive": "fwd", "layout": "front",
                    "frame": "unibody", "roof": "fixed", "use": "passenger",
                    "source": "sweep"},
        "dimensions": {"length": 3795, "width": 1665, "height": 1510, "wheelbase": 2450,
                       "track_front": 1430, "track_rear": 1415, "front_overhang": 740,
                       "ground_clearance": 150, "tyre": "175/55R15"},
        "mass": {"curb": "905 kg"},
        "aero": {"cd": 0.29, "crr": 0.008},
        "engine": {"displacement": 1193, "power": "58 kW", "torque": 102, "cylinders": 3,
                   "turbo": False, "compression_ratio": 10.5, "idle_stop": False,
                   "fuel_tank": 35},
        "transmission": {"type": "manual", "gears": 5, "ratio_low": 3.545,
                         "ratio_high": 0.838, "final_drive": 4.105},
        "performance": {"top_speed": 175},
    },
    "bev": {
        "vehicle": {"name": "Sweep kei EV", "model_year": 2024, "market": "jdm",
                    "seats": 4, "style": "tallboy", "drive": "fwd", "source": "sweep"},
        "dimensions": {"length": 3395, "width": 1475, "height": 1655, "wheelbase": 2495,
                       "tyre": "155/65R14"},
        "mass": {"curb": "1070 kg"},
        "motor": {"power": 47, "torque": 195, "type": "pmsm"},
        "battery": {"energy": 20, "charger_power": 3.0, "chemistry": "li-ion"},
        "transmission": {"type": "single_speed"},
        "performance": {"top_speed": 130},
    },
    "hybrid": {
        "vehicle": {"name": "Sweep hybrid", "model_year": 2020, "seats": 5,
                    "drive": "fwd", "source": "sweep"},
        "dimensions": {"length": 4540, "width": 1760, "height": 1470, "wheelbase": 2700,
                       "tyre": "195/65R15"},
        "mass": {"curb": "1380 kg"},
        "engine": {"displacement": 1798, "power": "72 kW", "torque": 142, "cylinders": 4,
                   "hybrid": True, "hybrid_motor_power": 53, "hybrid_layout": "full",
                   "hybrid_motor_reduction": 8.41, "hybrid_motor_max_speed": 17000,
                   "hybrid_battery_voltage": 201.6, "hybrid_battery_resistance": 0.31,
                   "hybrid_battery_energy": 0.75, "idle_stop": True},
        "transmission": {"type": "cvt"},
    },
}
_REQUIRED = {"vehicle": ("name",), "dimensions": ("length", "width", "height", "wheelbase"),
             "engine": ("displacement", "power"), "motor": ("power",),
             "battery": ("energy",)}
#: The named edges of the task (issue 13): value -> (base, table, key).
NAMED_EDGES = [("ice", "engine", "displacement", "0.66 L"),
               ("ice", "engine", "displacement", "4.0 L"),
               ("ice", "transmission", "gears", 1), ("ice", "transmission", "gears", 10),
               ("ice", "vehicle", "seats", 2), ("ice", "vehicle", "seats", 9),
               ("bev", "vehicle", "seats", 2), ("bev", "vehicle", "seats", 9)]


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(v)


def spec_toml(tables: dict[str, dict[str, object]]) -> str:
    return "".join(f"[{t}]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in keys.items())
                   + "\n" for t, keys in tables.items())


def _edges(var_name: str) -> list[object]:
    """The documented range's ends of a spec key's registry variable, in its units."""
    from keidesign import variables as reg

    var = reg.get(var_name)
    if var.dtype not in (int, float) or var.lower is None or var.upper is None:
        return []
    unit = "" if var.units in (None, "unitless") else f" {var.units}"
    if var.dtype is int:
        return [int(var.lower), int(var.upper)]
    return [f"{var.lower!r}{unit}" if unit else var.lower,
            f"{var.upper!r}{unit}" if unit else var.upper]


def spec_mutations() -> list[tuple[str, dict[str, dict[str, object]]]]:
    """(label, spec tables) of every mutation of the base specs."""
    import copy

    from keidesign.specs.sources import USER_SCHEMA

    out = []
    for base, tables in BASE_SPECS.items():
        out.append((f"{base} base", tables))
        for t, keys in tables.items():
            for k in keys:
                if k in _REQUIRED.get(t, ()):
                    continue
                m = copy.deepcopy(tables)
                del m[t][k]
                if not m[t]:
                    del m[t]
                out.append((f"{base} without {t}.{k}", m))
        for t, keys in tables.items():
            for k in keys:
                kind = USER_SCHEMA[t][k]
                ends: list[object] = []
                if isinstance(kind, str):
                    ends = _edges(kind)
                elif kind[0] in ("mass", "ratio") and kind[1] is not None:
                    lo, hi = kind[1]
                    ends = [f"{lo} kg", f"{hi} kg"] if kind[0] == "mass" else [lo, hi]
                elif kind[0] == "int" and kind[1] is not None:
                    ends = list(kind[1])
                for v in ends:
                    m = copy.deepcopy(tables)
                    m[t][k] = v
                    out.append((f"{base} {t}.{k} = {v}", m))
    for base, t, k, v in NAMED_EDGES:
        m = copy.deepcopy(BASE_SPECS[base])
        m[t][k] = v
        if (t, k) == ("transmission", "gears"):  # a gear count needs a stepped type
            m[t].pop("ratio_low", None)
            m[t].pop("ratio_high", None)
            m[t]["type"] = "automatic"
        out.append((f"{base} {t}.{k} = {v} (named edge)", m))
    return out


def spec_cases(folder: Path) -> list[Case]:
    from keidesign.specs import sources

    out = []
    for i, (label, tables) in enumerate(spec_mutations()):
        path = folder / f"spec{i:03d}.toml"
        path.write_text(spec_toml(tables), encoding="utf-8")
        out.append(Case("spec", label, lambda p=path: sources.user_spec(p),
                        tags={"make": label.split()[0]}, path=path,
                        extreme=" = " in label and "named edge" not in label))
    return out


def stratified(cases: list[Case], keys: Iterable[str] = ("fuel", "trans", "drive", "make")
               ) -> list[Case]:
    """The first case of every value of each tag (every fuel type, transmission class,
    drive and make), in the cases' order: the fixed sample of ``--quick`` and the test."""
    chosen: dict[int, Case] = {}
    for key in keys:
        seen: set[str] = set()
        for i, c in enumerate(cases):
            v = c.tags.get(key)
            if v is not None and v not in seen:
                seen.add(v)
                chosen[i] = c
    return [chosen[i] for i in sorted(chosen)]


def collect(only: str | None, quick: bool, folder: Path) -> list[Case]:
    sources_: dict[str, Callable[[], list[Case]]] = {
        "epa": lambda: epa_group_cases()[0],
        "epa-not-carried": lambda: epa_group_cases()[1],
        "label": label_cases, "vehicle": vehicle_cases,
        "spec": lambda: spec_cases(folder)}
    cases: list[Case] = []
    for name, make in sources_.items():
        if only and name != only:
            continue
        got = make()
        if quick:
            got = (stratified(got) if name == "epa" else
                   got[::max(1, len(got) // 25)] if name in ("label", "epa-not-carried")
                   else
                   stratified(got) if name == "vehicle" else
                   [c for c in got if "base" in c.label or "named edge" in c.label])
        cases += got
    return cases


def sweep(cases: list[Case], progress: bool = False) -> list[Outcome]:
    outs = []
    t0 = time.perf_counter()
    for i, c in enumerate(cases):
        for p in c.predict:
            outs.append(run_case(c, p))
        if progress and (i + 1) % 50 == 0:
            print(f"  {i + 1}/{len(cases)} cases, {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr, flush=True)
    return outs


def report(outs: list[Outcome], examples: int = 3) -> str:
    by_src: dict[str, Counter] = defaultdict(Counter)
    for o in outs:
        by_src[o.source][o.cls] += 1
    lines = [f"{'source':<26}" + "".join(f"{c:>20}" for c in CLASSES)]
    total: Counter = Counter()
    for src, cnt in by_src.items():
        total.update(cnt)
        lines.append(f"{src:<26}" + "".join(f"{cnt[c]:>20}" for c in CLASSES))
    lines.append(f"{'all':<26}" + "".join(f"{total[c]:>20}" for c in CLASSES))
    for cls in ("extreme-input", "refused", "ambiguous") + FAILURES:
        hits = [o for o in outs if o.cls == cls]
        if not hits:
            continue
        lines.append(f"\n{cls}: {len(hits)}")
        for o in hits[:examples]:
            lines.append(f"  [{o.source}] {o.label}\n    {o.detail.strip()[-600:]}")
    return "\n".join(lines)


def refusal_reasons(outs: list[Outcome]) -> Counter:
    """Refusal messages with their numbers and names stripped: what was refused, why."""
    cnt: Counter = Counter()
    for o in outs:
        if o.cls == "refused":
            text = re.sub(r"'[^']*'|\"[^\"]*\"|\d[\d.,]*", "#", o.detail)
            cnt[f"[{o.source}] {text[:150]}"] += 1
    return cnt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="a stratified sample (every fuel, transmission class, drive, make)")
    ap.add_argument("--only", choices=("epa", "epa-not-carried", "label", "vehicle",
                                       "spec"))
    ap.add_argument("--examples", type=int, default=3, help="examples per class")
    ap.add_argument("--reasons", action="store_true", help="list the refusal reasons")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cases = collect(args.only, args.quick, Path(tmp))
        t0 = time.perf_counter()
        outs = sweep(cases, progress=True)
        wall = time.perf_counter() - t0
    print(f"{len(cases)} cases, {len(outs)} imports, {wall:.0f} s")
    print(report(outs, args.examples))
    if args.reasons:
        print("\nrefusal reasons:")
        for text, n in refusal_reasons(outs).most_common():
            print(f"  {n:5d}  {text}")
    return 1 if any(o.cls in FAILURES for o in outs) else 0


if __name__ == "__main__":
    sys.exit(main())
