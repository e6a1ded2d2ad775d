"""Every row through the import (task s39b, issue 13): ``benchmarks/import_sweep.py``
on a fixed stratified sample, its classifier, and the selection messages the full sweep
found wanting (docs/import.md, "Every row through the import")."""

from __future__ import annotations

import math
import time
from types import SimpleNamespace

import pytest
from conftest import benchmark_module

from keidesign.errors import InputError
from keidesign.specs import sources


def _sweep():
    return benchmark_module("import_sweep")


def _refusal(*args) -> str:
    with pytest.raises(InputError) as exc:
        sources._epa_select(*args, None)
    return str(exc.value)


def test_carried_over_tests_name_their_year_whatever_the_names():
    """The 2016 Honda "Fit" rows (FIT EX, FIT LX) repeat the 2015 tests; "FIT" is exactly
    the 2018 configurations' name, which hid the 2015 ones: the message said no 2016
    Honda matched 'Fit' (the sweep's label rows). The 2013 Nissan Juke likewise."""
    assert _refusal(2016, "HONDA", "Fit", None, None).endswith("allowed: --year 2015")
    assert _refusal(2013, "NISSAN", "Juke", None, None).endswith("allowed: --year 2012")
    assert _refusal(2019, "HONDA", "FIT", None, None).endswith("allowed: --year 2018")


def test_plug_in_hybrid_is_refused_as_not_modelled():
    msg = _refusal(2017, "TOYOTA", "PRIUS PRIME", None, None)
    assert "PRIUS PRIME: a plug-in hybrid, not modelled" in msg, msg
    assert "allowed: " in msg and "\n" not in msg
    assert "plug-in hybrid, not modelled" in _refusal(2013, "CHEVROLET", "VOLT", None, None)


def test_label_only_car_says_the_test_car_list_has_no_test():
    msg = _refusal(2011, "FORD", "Mustang", None, None)
    assert "the EPA label file lists MUSTANG" in msg and "has no test of it" in msg, msg
    assert "near names: " in msg and "; allowed: " in msg
    msg = _refusal(2011, "Jaguar", "XK", None, None)
    assert msg.startswith("no EPA make matches 'Jaguar' (the EPA label file lists XK"), msg


def test_a_name_in_no_file_still_says_what_is_allowed():
    msg = _refusal(2019, "NISSANX", "LEAF", None, None)
    assert msg.startswith("no EPA make matches 'NISSANX'; near names: NISSAN; allowed: ")
    assert sources.NO_MATCH_ALLOWED in msg


def test_a_class_the_model_was_not_tested_with_lists_its_configurations():
    """A label row's transmission class the Test Car List does not have for the model
    (the 2011 Jetta's tests are a 5MT and a 6AT) named no match and listed the model
    itself as a near name."""
    msg = _refusal(2011, "VOLKSWAGEN", "JETTA", "cvt", None)
    assert msg == ("--trans cvt: no configuration of VOLKSWAGEN Jetta in 2011 has it; "
                   "allowed: --trans at6 --drive fwd, --trans mt5 --drive fwd"), msg


def test_the_classifier_flags_nan_and_implausible_figures():
    sw = _sweep()
    ice = SimpleNamespace(powertrain_type="ice")

    def ev(**outs):
        base = {"mass:curb": (1000.0, "kg"), "perf:accel_0_60": (10.0, "s"),
                "energy:label_comb_mpg": (35.0, "mi/galUS"),
                "body:legroom_margin": (50.0, "mm")}
        return SimpleNamespace(outputs={**base, **outs})

    assert sw.judge(ice, ev()) == ("ok", "")
    assert sw.judge(ice, ev(**{"energy:ftp_mpg": ([1.0, math.nan], "mi/galUS")}))[0] == "nan"
    for name, value in (("mass:curb", 2600.0), ("perf:accel_0_60", 31.0),
                        ("energy:label_comb_mpg", 9.0), ("body:legroom_margin", -6000.0)):
        cls, detail = sw.judge(ice, ev(**{name: (value, ev().outputs[name][1])}))
        assert cls == "implausible" and name in detail, (name, cls, detail)
    assert sw.clean_refusal("x.toml: a = 1; allowed: 2 to 3")
    assert not sw.clean_refusal("no EPA make matches 'X'; near names: Y")


def test_stratified_sample_imports_and_evaluates(tmp_path):
    """Every fuel type, transmission class, drive and make of the EPA configurations,
    every file of the vehicle rows, and the named edges of a spec file (0.66 L and 4.0 L,
    1 and 10 gears, 2 and 9 seats), through import, check and evaluate (without
    ``--predict``, the longer path with the restraint and GVWR runs; the makes beyond
    the other strata's cars and the named edges with ``--predict``, to stay within 30 s
    on a shared core): no traceback, NaN,
    implausible figure or unclear refusal."""
    sw = _sweep()
    t0 = time.perf_counter()
    epa, _ = sw.epa_group_cases()
    full = sw.stratified(epa, ("fuel", "trans", "drive"))   # with the measured values
    makes = [c for c in sw.stratified(epa, ("make",)) if c not in full]  # --predict
    strata = {k: {c.tags[k] for c in epa} for k in ("fuel", "trans", "drive", "make")}
    for k, values in strata.items():
        assert {c.tags[k] for c in full + makes} == values, k
    cases = full + sw.stratified(sw.vehicle_cases())
    edges = [c for c in sw.spec_cases(tmp_path) if "named edge" in c.label]
    outs = [sw.run_case(c, False) for c in cases] + [
        sw.run_case(c, True) for c in makes + edges]
    bad = [o for o in outs if o.cls in sw.FAILURES]
    assert not bad, sw.report(bad)
    assert sum(o.cls == "ok" for o in outs) >= len(outs) - 4, sw.report(outs)
    print(f"{len(outs)} imports in {time.perf_counter() - t0:.1f} s")


@pytest.mark.parametrize("line", [80, 81, 127])
def test_a_vehicle_row_without_engine_figures_says_what_is_allowed(line):
    """us_specs.csv's C-Max Hybrid (no engine power in its row), C-Max Energi and i3 REx
    (plug-in and range-extender rows): one line with ``allowed:`` (the sweep found the
    three said "write a spec file" without the keys)."""
    from keidesign.specs.build import build_design

    vr = next(v for v in sources.vehicle_rows("us_specs") if v.line == line)
    with pytest.raises(InputError) as exc:
        build_design(sources.row_spec(vr), predict=True)
    msg = str(exc.value)
    assert "in the source (a plug-in or range-extender row?); allowed: a spec file" in msg
    assert "[engine] displacement and power" in msg and "\n" not in msg
