"""The absent families' label gap taken apart (``benchmarks/absent_gap.py``, task s30h;
docs/validation.md, "The absent families' gap: where it sits").

Asserted: the model-year bands, the validation.json name parser, the twin split (exact in
ratios) and the coast-down twins' pairing and arithmetic, on made-up rows and on the
absent rows' own test-car columns. The figures are reported, not asserted.
"""

from __future__ import annotations

import math
import tomllib
from types import SimpleNamespace

import pytest
from conftest import benchmark_module

AG = benchmark_module("absent_gap")


def test_model_year_bands():
    assert [AG.era(y) for y in (2011, 2014, 2015, 2018, 2019, 2023)] == [
        "2011-14", "2011-14", "2015-18", "2015-18", "2019-23", "2019-23"]
    with pytest.raises(ValueError, match="2010"):
        AG.era(2010)


def test_validation_json_car_names_parse():
    assert AG._parse_car("2011 CHEVROLET AVEO 16X5HV553A at4 1304kg") == (2011, "at", 4)
    assert AG._parse_car("2019 NISSAN VERSA KNXAAL cvt 1247kg") == (2019, "cvt", 0)
    assert AG._parse_car("2016 MAZDA 3 GMZD mt6 1420kg") == (2016, "mt", 6)
    with pytest.raises(ValueError):
        AG._parse_car("CHEVROLET AVEO")


def test_kernel_rows_are_the_gasoline_lofo_rows():
    rows = AG.kernel_rows()
    assert len(rows) == 591  # the gasoline configurations of table (a)
    r = rows[0]
    assert {"cls", "gears", "year", "family", "err", "ftp", "hwfet"} <= set(r)
    assert all(x["cls"] not in ("ev", "hybrid") for x in rows)


def _item(config, family, trany, comb_pub, comb_pred, year="2014", disp="1598", turbo="0"):
    row = {"config": config, "family": family, "model_year": year,
           "displacement_cm3": disp, "turbo": turbo, "transmission": trany,
           "motor_kw": "", "comb08U": str(comb_pub), "comb08": str(round(comb_pub))}
    err = 100.0 * (comb_pred / comb_pub - 1.0)
    return {"row": row, "pred": {"combined": comb_pred}, "err": {"combined": err}}


def test_twin_split_is_exact_in_ratios():
    res = [_item("a_6mt", "F", "manual", 30.0, 31.5),
           _item("a_6at", "F", "automatic", 29.0, 33.0),
           _item("b_6at", "G", "automatic", 25.0, 26.0),          # no manual twin
           _item("c_6at", "F", "automatic", 28.0, 30.0, year="2015")]  # other year
    out = AG.twin_split(res)
    assert [s["config"] for s in out] == ["a_6at"]
    s = out[0]
    assert s["manual"] == pytest.approx(5.0)
    assert (1 + s["err"] / 100) == pytest.approx((1 + s["manual"] / 100)
                                                 * (1 + s["ratio"] / 100))
    assert s["published_ratio"] == pytest.approx(29.0 / 30.0)
    assert s["model_ratio"] == pytest.approx(33.0 / 31.5)
    # the ratio error is the model's twin ratio against the published one
    assert s["ratio"] == pytest.approx(100 * (s["model_ratio"] / s["published_ratio"] - 1))


def test_shares_add_up_to_the_bias():
    res = [_item("a_6mt", "F", "manual", 30.0, 31.5),
           _item("a_6at", "F", "automatic", 29.0, 33.0),
           _item("b_cvt", "G", "cvt", 25.0, 24.0)]
    out = {name: rest for name, *rest in AG.shares(res)}
    n, mae, bias, pts = out["all"]
    assert n == 3 and pts == pytest.approx(bias)
    assert sum(v[3] for k, v in out.items() if k != "all") == pytest.approx(bias)


def _car(cls, a, b, c, etw, year=2014, model="X", gears=6):
    return SimpleNamespace(cls=cls, year=year, make="M", model=model, vd=1.6, hp=120,
                           drive="fwd", family="M X", n_gears=gears, a_lbf=a, b_lbf_mph=b,
                           c_lbf_mph2=c, etw=etw)


def test_coastdown_pairs_match_twins_only():
    cars = [_car("manual", 30.0, 0.2, 0.02, 1300.0), _car("automatic", 33.0, 0.2, 0.02, 1350.0),
            _car("cvt", 36.0, 0.1, 0.02, 1350.0, model="Y"),        # no manual twin
            _car("automatic", 33.0, 0.2, 0.02, 1350.0, year=2015)]  # other year
    out = AG.coastdown_pairs(cars)
    assert len(out) == 1 and out[0]["cls"] == "automatic"
    p = out[0]
    f20 = (33.0 + 4.0 + 8.0) / (30.0 + 4.0 + 8.0) - 1.0
    assert p["force"][0] == pytest.approx(100 * f20)
    n = AG.LBF_N
    assert p["a_mg"] == pytest.approx(33.0 * n / (1350 * AG.G) - 30.0 * n / (1300 * AG.G))
    assert p["etw"] == pytest.approx(100 * (1350 / 1300 - 1))


def test_absent_coastdown_pairs_from_the_test_car_columns():
    out = {p["config"]: p for p in AG.absent_coastdown_pairs()}
    # the JCW 8AT and 6MT share their ETW class, so A / (m g) differs by A alone
    rows = {r["config"]: r for r in AG.af.rows()}
    at, mt = rows["jcw_2023_8at"], rows["jcw_2023_6mt"]
    assert at["testcar_etw_lb"] == mt["testcar_etw_lb"]
    m_g = float(at["testcar_etw_lb"]) * AG.LB_KG * AG.G
    expect = (float(at["testcar_a_lbf"]) - float(mt["testcar_a_lbf"])) * AG.LBF_N / m_g
    assert out["jcw_2023_8at"]["a_mg"] == pytest.approx(expect)
    assert out["jcw_2023_8at"]["etw"] == 0.0
    assert all(p["cls"] != "manual" and math.isfinite(p["force"][1]) for p in out.values())


def test_in_data_twin_ratio_errors_pair_by_engine_and_year():
    m = _car("manual", 30.0, 0.2, 0.02, 1300.0)
    a = _car("automatic", 33.0, 0.2, 0.02, 1350.0)
    other_year = _car("automatic", 33.0, 0.2, 0.02, 1350.0, year=2015)
    out = AG.twin_ratio_errors([(m, -5.0), (a, 2.0), (other_year, 9.0)])
    assert len(out) == 1
    r = out[0]
    assert (r["cls"], r["gears"], r["year"]) == ("automatic", 6, 2014)
    assert r["err"] == pytest.approx(100 * (1.02 / 0.95 - 1))
    # grouped as by_class_era groups the kernel rows
    (name, band, n, nf, mae, bias), = AG.by_class_era(out, min_n=1)
    assert (name, band, n, nf) == ("automatic 6", "2011-14", 1, 1)
    assert bias == pytest.approx(r["err"])


def test_with_lockup_sets_the_design_key_only():
    text = '[body]\nlength = "3395 mm"\n\n[powertrain]\ntransmission = "automatic"\n'
    out = AG.with_lockup(text, "top")
    doc = tomllib.loads(out)
    assert doc["powertrain"] == {"transmission": "automatic", "converter_lockup": "top"}
    assert doc["body"] == {"length": "3395 mm"}
    assert tomllib.loads(AG.with_lockup("[body]\n", "none"))["powertrain"] == {
        "converter_lockup": "none"}
