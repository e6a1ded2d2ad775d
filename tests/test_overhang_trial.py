"""The trial of rule W for the import's front overhang (``benchmarks/overhang_trial.py``,
task s35g; docs/crash.md, "The sedans' long imported fronts": tried, not shipped).

Asserted: the published rows' own arithmetic (front + rear = length - wheelbase, as
``us_specs.csv`` rows are held to 10 mm), the through-origin slope and the leave-one-family
-out fit on made-up rows, the twins named by the diagnosis exist among the us_specs
generations. The trial's figures are reported in docs, not asserted.
"""

from __future__ import annotations

import pytest
from conftest import benchmark_module

from keidesign.specs import build, sources
from keidesign.validation.crash import car_name

OT = benchmark_module("overhang_trial")


def test_published_rows_close_on_length_less_wheelbase():
    rows = list(OT.PUBLISHED_ROWS) + OT.us_specs_published()
    assert len(rows) >= 9
    for _fam, car, _body, length, wb, front, rear, src in rows:
        assert abs(front + rear - (length - wb)) <= 10.0, car
        assert 300.0 < front < 1200.0 and src, car
    for _fam, car, _body, length, wb, front, rear, _src in OT.REJECTED_ROWS:
        assert abs(front + rear - (length - wb)) > 10.0, car


def test_slope_and_lofo_on_made_up_rows():
    rows = [("a", "a1", "hatch", 4000, 2000, 600, 1400, "s"),
            ("b", "b1", "hatch", 4000, 3000, 900, 100, "s"),
            ("b", "b2", "hatch", 4000, 2500, 800, 700, "s")]
    k = OT.slope_through_origin(rows)
    assert k == pytest.approx((600 * 2000 + 900 * 3000 + 800 * 2500)
                              / (2000 ** 2 + 3000 ** 2 + 2500 ** 2))
    errs = OT.lofo_errors(rows)
    # family a's row is predicted from family b's two rows only
    kb = (900 * 3000 + 800 * 2500) / (3000 ** 2 + 2500 ** 2)
    assert errs[0]["k"] == pytest.approx(kb)
    assert errs[0]["err_w"] == pytest.approx(kb * 2000 - 600)
    assert errs[1]["k"] == pytest.approx(0.3) == errs[2]["k"]
    assert errs[0]["current"] == build.import_front_overhang(4000, 2000, "us")


def test_twins_are_us_specs_generations():
    names = {car_name(vr.row) for vr in sources.vehicle_rows("us_specs")}
    for sedan, hatch in OT.TWINS:
        assert sedan in names and hatch in names
        assert "sedan" in sedan and "sedan" not in hatch



def test_named_sedans_are_the_sections_reading():
    assert OT.named_sedan("VOLKSWAGEN Jetta A6 (6th gen) 2.0")
    assert OT.named_sedan("CHEVROLET SONIC T300 sedan")
    assert OT.named_sedan("TOYOTA COROLLA E170 (US)")
    assert not OT.named_sedan("CHEVROLET SONIC 5 T300 hatchback")
    assert not OT.named_sedan("VOLKSWAGEN Golf Mk7 (facelift) 5-door")
    assert not OT.named_sedan("CHEVROLET VOLT 1st gen")


def test_summary_splits_the_rows():
    rows = [{"car": "A sedan", "crush_error": 0.2, "held_out": True, "sedan": True},
            {"car": "B hatchback", "crush_error": -0.1, "held_out": False, "sedan": True},
            {"car": "C hatchback", "crush_error": 0.0, "held_out": True, "sedan": False}]
    s = OT.own_test_summary(rows)
    assert s["all"]["n"] == 3 and s["all"]["mae"] == pytest.approx(0.1)
    assert s["held"]["n"] == 2 and s["held"]["mean"] == pytest.approx(0.1)
    assert s["sedan"]["n"] == 1 and s["sedan"]["mean"] == pytest.approx(0.2)
    assert s["other"]["mean"] == pytest.approx(-0.05)
    assert s["4dr"]["n"] == 2 and s["not4dr"]["mean"] == pytest.approx(0.0)


def test_sedan_rule_reads_the_rows_words():
    assert OT.is_sedan({"make": "HONDA", "model": "CIVIC 4DR SEDAN 1.5L", "generation": "x"})
    assert OT.is_sedan({"make": "SUBARU", "model": "IMPREZA 4-Door", "generation": "GK"})
    assert OT.is_sedan({"make": "X", "model": "Y", "generation": "Z", "trim": "4 DR"})
    assert not OT.is_sedan({"make": "HONDA", "model": "CIVIC 5DR", "generation": "hatchback"})
    assert not OT.is_sedan({"make": "VOLKSWAGEN", "model": "Jetta", "generation": "A6 2.0"})


def test_twin_pairs_follow_the_twin_rule():
    pairs = OT.twin_pairs()
    assert len(pairs) == len({p[0] for p in pairs}) >= 5
    for _fam, ls, wbs, lh, wbh in pairs:
        assert abs(wbs - wbh) <= OT.TWIN_WB_TOL_MM and ls > lh


def test_sedan_share_on_made_up_pairs_and_lofo():
    pairs = [("a", 4500, 2500, 4100, 2500), ("b", 4600, 2600, 4400, 2600)]
    sa, sb = 0.55 * 1600 / 2000, 0.55 * 1800 / 2000
    assert OT.sedan_share(pairs) == pytest.approx((sa + sb) / 2)
    assert OT.sedan_share(pairs, "a") == pytest.approx(sb)
    sedan = {"make": "HONDA", "model": "CIVIC", "generation": "9th gen sedan"}
    assert OT.rule_s_share(sedan, {("HONDA", "CIVIC"): 0.4}, 0.47) == 0.4
    assert OT.rule_s_share({"make": "KIA", "model": "Rio", "generation": "UB sedan"},
                           {("HONDA", "CIVIC"): 0.4}, 0.47) == 0.47
    assert OT.rule_s_share({"make": "KIA", "model": "Rio", "generation": "YB"}, {}, 0.47) is None


def test_rule_s_import_patches_sedans_only_and_restores():
    rows = {car_name(vr.row): vr for vr in sources.vehicle_rows("us_specs")}
    sedan, hatch = rows["NISSAN VERSA S N17 sedan"], rows["NISSAN VERSA NOTE S E12 Versa Note"]
    shares = {"all": 0.47, "lofo": {("NISSAN", "VERSA"): 0.45}}
    original = build.import_front_overhang
    with OT.rule_s_import(shares):
        sources.row_spec(sedan)
        assert build.import_front_overhang(4455, 2601, "us") == round(0.45 * 1854)
        sources.row_spec(hatch)
        assert build.import_front_overhang(4140, 2601, "us") == original(4140, 2601, "us")
    assert build.import_front_overhang is original
    assert build.import_front_overhang(4455, 2601, "us") == round(0.55 * 1854)


def test_outside_one_marks_only_seats_more_than_a_star_off():
    pub = {"driver": 4, "passenger": 4, "vehicle": 4}
    assert OT.outside_one(pub, {"driver": 3, "passenger": 5, "vehicle": 4}) == []
    assert OT.outside_one(pub, {"driver": 2, "passenger": 4, "vehicle": 4}) == ["driver"]
    assert OT.outside_one(pub, {"driver": 4, "passenger": 2, "vehicle": 2}) == [
        "passenger", "vehicle"]
    assert OT.outside_one({"driver": 3, "passenger": 3, "vehicle": 3},
                          {"driver": 5, "passenger": 5, "vehicle": 4}) == ["driver", "passenger"]
