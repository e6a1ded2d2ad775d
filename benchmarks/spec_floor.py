"""What the 3 % FTP target asks, by configuration (issue 13): the error floor of spec-sheet
inputs, from the stored hold-out predictions.

    python benchmarks/validation_probes.py spec_floor      # a few seconds, no model run

The ``floor`` probe removes each *family's* mean hold-out error in sample and finds the
gasoline FTP still above 3 % MAE; but within a family the configurations differ in their spec
sheets (engine, transmission kind and gears, drive, model year), so a family-mean floor
is not the floor of a model whose inputs are each configuration's own spec sheet. This
probe reads ``docs/validation.json`` (the ``lofo`` rows: every fitted constant refitted
without the car's family) and the EPA Test Car List
(``keidesign/data/epa/epa_testcar_small_2011_2023.csv``), runs no model, and reports for
the gasoline classes (cvt, automatic, dct, manual; hybrids and EVs apart), FTP and HWFET:

(a) **Test repeatability.** Configurations with two or more tests of one procedure: each
    test's relative deviation from its configuration's harmonic mean (the configuration's
    measured value, ``testcars.test_cars`` item 3; EPA averages repeated values of a
    configuration harmonically, 40 CFR 600.206(a)(2)(ii), read at law.cornell.edu [R]),
    MAE, median, the pooled standard deviation of one test ``sqrt(sum d^2 / sum (k -
    1))`` and the one its MAE implies, ``s`` (:func:`repeatability`: the deviations are
    heavy-tailed, the pooled SD is set by a few repeats); the implied noise of a
    configuration's measured value, ``s / sqrt(k)`` with ``k`` its own test count, as a
    mean absolute error ``sqrt(2 / pi) s / sqrt(k)`` (normal errors assumed [A]) averaged
    over the configurations. Rows with ``Analytically Derived FE? == Yes`` are values
    derived by equation from other tests, not measurements of the vehicle (the column's
    meaning as the Test Car List names it [R]): reported with and without them. They left
    the records (``testcars.measured_rows``), so the hold-out rows carry none: the set
    *with* them is built explicitly from ``testcars.analytically_derived_cars``
    (:func:`with_derived`): each configuration's measured results plus the derived results
    of the same configuration (the 4 that keep measured tests), and the configurations
    made of derived results only as their own.
(b) **Group floors.** The hold-out error ``e = model / measured - 1`` with the mean error
    of a group of configurations removed, for nested groupings: family; + engine
    (displacement and the label's turbo flag, the rated hp where no label row gives the
    flag); + transmission class; + gear count; + drive; + model year. Three ways:
    ``LOO``, the mean of the *other* configurations of the group removed (a configuration
    alone in its group keeps its error): an honest hold-out of a per-group correction;
    ``in sample``, the group's own mean removed (``floor``'s way; a lone configuration
    goes to 0): optimistic; ``known``: the configurations of groups of two or more with
    the in-sample residual scaled by ``sqrt(n / (n - 1))`` (equivalently the LOO residual
    by ``sqrt((n - 1) / n)``), whose mean square is unbiased for the within-group
    variance: the error left if each group's true mean error were known, the floor of
    a model that takes exactly that grouping's spec inputs.
(c) The same with the configurations that held an analytically derived row (the 4 that
    keep measured tests; :func:`derived_by_configuration`) left out.
(d) The floor of configuration-level spec inputs: the finest grouping's ``known``
    figure, with the share of it the test noise of (a) explains.

Caveats: the finest groups are small (mostly pairs) and leave a third of the
configurations alone; the ``known`` figure assumes the singletons' within-group spread is that
of the groups that have a partner. Configurations of one finest group still differ in
test vehicle, ETW and target coast-down (inputs of the model), so part of their spread is
model error a better physics model could remove, and part is vehicle-to-vehicle
variation no spec sheet carries.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from keidesign.energy import testcars as tc
from keidesign.validation.fueleconomy import ICE_CLASSES as GASOLINE

ROOT = Path(__file__).resolve().parents[1]
TESTS = ("ftp", "hwfet")
#: Column of the Test Car List that marks an equation value (not a measurement).
ADFE = "Analytically Derived FE?"


def lofo_rows(classes: Sequence[str]) -> list[dict]:
    """The ``lofo`` rows of ``docs/validation.json`` (hold-out predictions per
    configuration) of the validation ``classes``."""
    doc = json.loads((ROOT / "docs" / "validation.json").read_text(encoding="utf-8"))
    return [r for r in doc["cars"] if r["constants"] == "lofo" and r["class"] in classes]


def group_residuals(err: Sequence[float], keys: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Errors less their group's mean error: ``(loo, within)``.

    ``loo[i] = e_i - mean(e_j: j in the group of i, j != i)``; a configuration alone in
    its group keeps ``e_i``. ``within[i] = e_i - mean(e_j: j in the group of i)`` (0 for
    a lone one). ``keys[i]`` is configuration i's group (any hashable)."""
    e = np.asarray(err, dtype=float)
    if len(keys) != len(e):
        raise ValueError(f"keys: {len(keys)} entries for {len(e)} errors (must match)")
    members: dict = defaultdict(list)
    for i, k in enumerate(keys):
        members[k].append(i)
    loo, within = e.copy(), np.zeros_like(e)
    for idx in members.values():
        n, total = len(idx), e[idx].sum()
        within[idx] = e[idx] - total / n
        if n > 1:
            loo[idx] = e[idx] - (total - e[idx]) / (n - 1)
    return loo, within


def known_mean_residuals(err: Sequence[float], keys: Sequence) -> np.ndarray:
    """The in-sample residuals of the configurations of groups of two or more, scaled by
    ``sqrt(n / (n - 1))`` (their mean square is unbiased for the within-group variance;
    module docstring (b)); lone configurations are left out."""
    _, within = group_residuals(err, keys)
    size = _group_sizes(keys)
    multi = size > 1
    return within[multi] * np.sqrt(size[multi] / (size[multi] - 1.0))


def _group_sizes(keys: Sequence) -> np.ndarray:
    count: dict = defaultdict(int)
    for k in keys:
        count[k] += 1
    return np.array([count[k] for k in keys], dtype=float)


def test_deviations(values: Sequence[float]) -> np.ndarray:
    """Relative deviation of each repeated test result (mpg) from their harmonic mean
    (fuel per distance averaged, as ``testcars`` averages a configuration's tests)."""
    v = np.asarray(values, dtype=float)
    if v.size < 2 or np.any(v <= 0.0):
        raise ValueError(f"values: {values!r}; need two or more results above 0 mpg")
    return v / (v.size / np.sum(1.0 / v)) - 1.0


def repeatability(tests: Sequence[Sequence[float]]) -> dict[str, float]:
    """Per-test deviations of the configurations with 2+ results (``tests``: one list of
    results per configuration, any length): counts, MAE, median absolute deviation, the
    pooled SD of one test ``sd`` (k - 1 degrees of freedom per configuration) and the
    same from the mean absolute deviation, ``sd_mae = sum |d| / sum_configs k sqrt(2 /
    pi) sqrt((k - 1) / k)`` (E|d| of a normal test error, less sensitive to the few
    large repeats); the implied noise of every configuration's mean from ``sd_mae``:
    ``noise_mae`` (``sqrt(2 / pi) sd_mae / sqrt(k)`` averaged) and ``noise_var``
    (``sd_mae^2 / k`` averaged), configurations without a result left out."""
    dev = [test_deviations(v) for v in tests if len(v) > 1]
    if not dev:
        raise ValueError("tests: no configuration with two or more results")
    d = np.concatenate(dev)
    dof = sum(len(x) - 1 for x in dev)
    norm = sum(len(x) * np.sqrt(2.0 / np.pi * (len(x) - 1) / len(x)) for x in dev)
    s_mae = float(np.abs(d).sum() / norm)
    k = np.array([len(v) for v in tests if len(v) > 0], dtype=float)
    return {"configurations": len(dev), "tests": int(d.size), "mae": float(np.abs(d).mean()),
            "median": float(np.median(np.abs(d))), "sd": float(np.sqrt(np.sum(d * d) / dof)),
            "sd_mae": s_mae, "noise_mae": float(np.mean(np.sqrt(2.0 / np.pi) * s_mae / np.sqrt(k))),
            "noise_var": float(np.mean(s_mae * s_mae / k))}


def _csv_rows() -> dict[str, dict[str, str]]:
    """Test Car List rows by test number, the first of a repeated number (as
    ``testcars.test_cars`` reads them)."""
    out: dict[str, dict[str, str]] = {}
    for r in tc._csv("epa_testcar_small_2011_2023.csv"):
        out.setdefault(r["Test Number"], r)
    return out


def _results(row: dict, csv_rows: dict, t: str, with_adfe: bool) -> list[float]:
    """A configuration's results of test ``t`` (mpg), the analytically derived ones
    left out unless ``with_adfe``."""
    out = []
    for num in row["test_numbers"]:
        r = csv_rows[num]
        if tc.TEST_OF.get(r["Test Procedure Description"]) != t:
            continue
        if not with_adfe and tc.analytically_derived(r):
            continue
        v = tc._float(r["RND_ADJ_FE"])
        if v and v > 0:
            out.append(v)
    return out


def _configuration(car: tc.TestCar) -> tuple:
    """A configuration's identity (``testcars`` item 2: year, make, model, test vehicle,
    transmission, ETW, target coast-down)."""
    return (car.year, car.make, car.model, car.vehicle_id, car.trans, car.etw, car.a_lbf,
            car.b_lbf_mph, car.c_lbf_mph2)


def derived_by_configuration() -> dict[tuple, tc.TestCar]:
    """The gasoline configurations of ``testcars.analytically_derived_cars`` (their
    ``test_numbers``: the derived rows only) by :func:`_configuration`."""
    return {_configuration(c): c for c in tc.analytically_derived_cars() if c.cls in GASOLINE}


def _derived_results(car: tc.TestCar, csv_rows: dict, t: str) -> list[float]:
    """The derived results of test ``t`` (mpg) of a configuration of
    :func:`derived_by_configuration`."""
    out = []
    for num in car.test_numbers:
        r = csv_rows[num]
        v = tc._float(r["RND_ADJ_FE"])
        if tc.TEST_OF.get(r["Test Procedure Description"]) == t and v and v > 0:
            out.append(v)
    return out


def with_derived(rows: list[dict], cars: list[tc.TestCar], csv_rows: dict, t: str,
                 derived: dict[tuple, tc.TestCar]) -> list[list[float]]:
    """Results of test ``t`` per configuration with the analytically derived rows put
    back (module docstring (a)): each of ``rows`` (its test car in ``cars``) with the
    derived results of its configuration in ``derived`` added, then every configuration
    of ``derived`` that none of ``rows`` is."""
    seen = set()
    out = []
    for r, car in zip(rows, cars, strict=True):
        key = _configuration(car)
        extra = _derived_results(derived[key], csv_rows, t) if key in derived else []
        seen.add(key)
        out.append(_results(r, csv_rows, t, False) + extra)
    return out + [_derived_results(c, csv_rows, t) for k, c in derived.items() if k not in seen]


def _engine(car: tc.TestCar) -> str:
    flag = {True: " turbo", False: " NA", None: f" {car.hp:g} hp"}[car.turbo]
    return f"{car.vd:.1f} L{flag}"


#: The nested groupings of (b): name and key of a configuration (a ``TestCar``).
GROUPINGS: tuple[tuple[str, Callable[[tc.TestCar], tuple]], ...] = (
    ("family", lambda c: (c.family,)),
    ("+ engine (displacement, turbo flag; rated hp without a label row)",
     lambda c: (c.family, _engine(c))),
    ("+ transmission class", lambda c: (c.family, _engine(c), c.cls)),
    ("+ gears", lambda c: (c.family, _engine(c), c.cls, c.n_gears)),
    ("+ drive", lambda c: (c.family, _engine(c), c.cls, c.n_gears, c.drive)),
    ("+ model year", lambda c: (c.family, _engine(c), c.cls, c.n_gears, c.drive, c.year)),
)


def _cell(x: np.ndarray) -> str:
    if x.size == 0:
        return f"{'-':>17s}"
    return f"{100 * np.abs(x).mean():4.1f} ({100 * x.mean():+4.1f}) {x.size:3d}".rjust(17)


def _line(name: str, x: np.ndarray, cls: np.ndarray, sel: np.ndarray | None = None) -> str:
    """One table row: ``x`` over all configurations (of ``sel``) and per class."""
    sel = np.ones(len(cls), bool) if sel is None else sel
    return f"    {name:26s}" + "".join(
        [_cell(x[sel])] + [_cell(x[(cls == c) & sel]) for c in GASOLINE])


def _errors(rows: list[dict], t: str) -> np.ndarray:
    return np.array([r[f"{t}_model"] / r[f"{t}_measured"] - 1.0 for r in rows])


def grouped(err: np.ndarray, keys: Sequence) -> dict[str, np.ndarray]:
    """``loo`` and ``within`` (:func:`group_residuals`), ``known`` (0 for a lone
    configuration) and ``multi`` (in a group of two or more) of one grouping."""
    loo, within = group_residuals(err, keys)
    multi = _group_sizes(keys) > 1
    known = np.zeros_like(err)
    known[multi] = known_mean_residuals(err, keys)
    return {"loo": loo, "within": within, "known": known, "multi": multi}


def _floors(rows: list[dict], cars: list[tc.TestCar], t: str) -> tuple[float, float]:
    """Print (b) for test ``t``; returns the finest grouping's ``known`` MAE and mean
    square (the within-group variance)."""
    err = _errors(rows, t)
    cls = np.array([r["class"] for r in rows])
    print(f"  {t.upper()}: MAE (bias) n, %{'':11s}{'all':>17s}"
          + "".join(f"{c:>17s}" for c in GASOLINE))
    print(_line("no correction", err, cls))
    for name, key in GROUPINGS:
        keys = [key(c) for c in cars]
        g = grouped(err, keys)
        multi = g["multi"]
        print(f"  {name.split(' (')[0]}: {len(set(keys))} groups, {int((~multi).sum())} "
              "configurations alone")
        print(_line("LOO (alone keep error)", g["loo"], cls))
        print(_line("in sample", g["within"], cls))
        print(_line("no correction, groups of 2+", err, cls, multi))
        print(_line("LOO, groups of 2+", g["loo"], cls, multi))
        print(_line("known, groups of 2+", g["known"], cls, multi))
    known = g["known"][multi]
    return float(np.abs(known).mean()), float(np.mean(known**2))


def doc_table(rows: list[dict], cars: list[tc.TestCar]) -> list[str]:
    """The rows of docs/validation.md's table ("What the 3 % FTP target asks, by
    configuration"): per grouping, groups (alone), then per test the LOO MAE (bias),
    the in-sample MAE and the ``known`` MAE (with n for the FTP), all classes, %."""
    err = {t: _errors(rows, t) for t in TESTS}
    out = [f"| none | - | {_mb(err['ftp'])} | | | {_mb(err['hwfet'])} | | |"]
    for name, key in GROUPINGS:
        keys = [key(c) for c in cars]
        cells = []
        for t in TESTS:
            g = grouped(err[t], keys)
            n = f" ({int(g['multi'].sum())})" if t == "ftp" else ""
            cells += [_mb(g["loo"]), f"{100 * np.abs(g['within']).mean():.1f}",
                      f"{100 * np.abs(g['known'][g['multi']]).mean():.1f}{n}"]
        alone = int((~g["multi"]).sum())
        out.append(f"| {name} | {len(set(keys))} ({alone}) | " + " | ".join(cells) + " |")
    return out


def _mb(x: np.ndarray) -> str:
    return f"{100 * np.abs(x).mean():.1f} ({100 * x.mean():+.1f})"


def _report(rows: list[dict], cars: list[tc.TestCar], csv_rows: dict, label: str,
            derived: dict[tuple, tc.TestCar] | None = None) -> None:
    """Print (a), (b) and (d) for ``rows``; (a) also with the analytically derived rows put
    back (:func:`with_derived`) when ``derived`` is given."""
    print(f"{len(rows)} gasoline configurations ({label}); "
          + ", ".join(f"{c} {sum(r['class'] == c for r in rows)}" for c in GASOLINE))
    noise: dict[tuple[str, bool], dict] = {}
    print(" (a) test repeatability: each test against its configuration's harmonic mean; "
          "SD of one test pooled and from the MAE; noise of a configuration's measured "
          "value at its own test count (from the MAE's SD)")
    for t in TESTS:
        for with_adfe in (True, False) if derived is not None else (False,):
            rep = repeatability(
                with_derived(rows, cars, csv_rows, t, derived) if with_adfe
                else [_results(r, csv_rows, t, False) for r in rows])
            noise[t, with_adfe] = rep
            print(f"  {t.upper()} {'with' if with_adfe else 'without'} analytically "
                  f"derived rows: {rep['configurations']} configurations with 2+ tests "
                  f"({rep['tests']} tests): MAE {100 * rep['mae']:.2f} %, median "
                  f"{100 * rep['median']:.2f} %, SD {100 * rep['sd']:.2f} % pooled, "
                  f"{100 * rep['sd_mae']:.2f} % from the MAE; noise of a configuration "
                  f"MAE {100 * rep['noise_mae']:.2f} % (SD "
                  f"{100 * np.sqrt(rep['noise_var']):.2f} %)")
    print(" (b) group floors of the hold-out error (module docstring): MAE, bias, "
          "configurations")
    for t in TESTS:
        finest, var = _floors(rows, cars, t)
        rep = noise[t, False]
        print(f"  (d) {t.upper()}: the floor of configuration-level spec inputs (finest "
              f"grouping, group mean known) {100 * finest:.1f} % MAE (SD "
              f"{100 * np.sqrt(var):.1f} %); of its variance the test noise (measured "
              f"rows) {100 * rep['noise_var'] / var:.0f} %; 3 % is "
              + ("above" if finest < 0.03 else "below")
              + " the floor")


def inputs() -> tuple[list[dict], list[tc.TestCar], dict[str, dict[str, str]]]:
    """The gasoline ``lofo`` rows of docs/validation.json, their test cars and the Test
    Car List rows by test number; checks each row's measured FTP and HWFET against the
    harmonic mean of its tests in the list."""
    rows = lofo_rows(GASOLINE)
    by_tests = {tuple(c.test_numbers): c for c in tc.test_cars()}
    cars = [by_tests[tuple(r["test_numbers"])] for r in rows]
    csv_rows = _csv_rows()
    for r in rows:
        for t in TESTS:
            v = _results(r, csv_rows, t, True)
            hm = len(v) / sum(1.0 / x for x in v)
            if abs(hm / r[f"{t}_measured"] - 1.0) > 1e-9:
                raise ValueError(f"{r['id']}: {t} harmonic mean {hm} of the Test Car "
                                 f"List against {r[f'{t}_measured']} in validation.json")
    return rows, cars, csv_rows


def main() -> None:
    rows, cars, csv_rows = inputs()
    derived = derived_by_configuration()
    _report(rows, cars, csv_rows, "hold-out errors of docs/validation.json, every row",
            derived)
    adfe = [_configuration(c) in derived for c in cars]
    print(f"\n(c) the {sum(adfe)} configurations that held an analytically derived row "
          "left out")
    keep = [i for i, a in enumerate(adfe) if not a]
    _report([rows[i] for i in keep], [cars[i] for i in keep], csv_rows,
            "analytically derived left out")
    print("\ndocs/validation.md table (every row):")
    print("\n".join(doc_table(rows, cars)))


if __name__ == "__main__":
    main()
