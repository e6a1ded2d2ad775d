"""MLIT's passenger kei WLTC lists as a check set (issue 13, ``python
benchmarks/validation_probes.py mlit_kei``): the chassis and engine tables
(``keidesign/data/vehicles/mlit_kei_families.csv``, ``mlit_kei_engines.csv``) cover the
lists, and the probe's spec builder turns a list row into a spec file whose values reach
the imported design as written. The probe's errors are reported (docs/validation.md,
"MLIT's kei lists"), not asserted.
"""

from __future__ import annotations

import importlib
import sys
import tomllib

from conftest import ROOT

from keidesign.cli import main


def _probe():
    if str(ROOT / "benchmarks") not in sys.path:  # the scripts import their helpers
        sys.path.insert(0, str(ROOT / "benchmarks"))
    return importlib.import_module("mlit_kei")


M = _probe()


def test_tables_cover_every_chassis_and_engine():
    rows, fams, engines = M.load()
    assert len(rows) == 736
    chassis = {r["type"].split("-", 1)[1] for r in rows}
    assert chassis <= set(fams), chassis - set(fams)
    for f in fams.values():
        assert f["turbo_rule"] in ("na", "turbo", "flag", "prefix"), f
        for key in ("engine_na", "engine_turbo"):
            assert not f[key] or f[key] in engines, (f["chassis"], f[key])
        assert f["dims_status"] in ("V", "R", "A") and f["dims_source"], f["chassis"]
        assert 1100 <= int(f["height_mm"]) <= 2000, f["chassis"]
    for e in engines.values():
        assert e["status"] in ("V", "R", "A") and e["source"], e["engine_id"]
        assert 600 <= int(e["displacement_cc"]) <= 660, e["engine_id"]  # kei limit 660 cc
        if e["compression_ratio"]:  # published 圧縮比 with its source (blank: class default)
            assert 8.0 <= float(e["compression_ratio"]) <= 15.0, e["engine_id"]
            assert e["compression_ratio_status"] in ("V", "R"), e["engine_id"]
            assert e["compression_ratio_source"], e["engine_id"]
        else:
            assert not e["compression_ratio_source"], e["engine_id"]


def test_turbo_rules_on_known_rows():
    """The list's own evidence: a Suzuki turbo flag, an NMKV turbo type code, and the
    Honda / Daihatsu type-prefix rule on the 2020 Tanto (6BA NA, 5BA turbo)."""
    cases, skipped = M.cases()
    by = {(c["row"]["list"], c["row"]["type"], c["row"]["transmission"],
           c["row"]["drive"], c["row"]["mass_min_kg"]): c for c in cases}
    assert by[("2020-03", "4AA-MR52S", "CVT(E･LTC)", "F", "820.0")]["turbo"]  # Hustler
    assert not by[("2020-03", "5AA-MR92S", "CVT(E･LTC)", "F", "810.0")]["turbo"]
    assert by[("2020-03", "4AA-B45W", "CVT(E･LTC)", "F", "860.0")]["turbo"]  # Dayz HWS
    tanto_na = by[("2020-03", "6BA-LA650S", "CVT(E･LTC)", "F", "880.0")]
    tanto_t = by[("2020-03", "5BA-LA650S", "CVT(E･LTC)", "F", "910.0")]
    assert (tanto_na["turbo"], tanto_t["turbo"]) == (False, True)
    assert tanto_t["engine"]["engine_id"] == "KF_T_DNGA"
    assert len(cases) + sum(skipped.values()) == 736
    for c in cases:  # every resolved row has an engine of its aspiration
        assert (c["engine"]["turbo"] == "yes") == c["turbo"], c["row"]


def test_spec_builder_rows_reach_the_design(tmp_path):
    """Two rows (a Suzuki mild hybrid with idle stop, the Jimny's 5MT on a ladder frame
    with part-time 4WD) through the spec builder and ``import spec --predict``: the
    list's and the tables' values are in the design as written."""
    cases, _ = M.cases()
    pick = {("2020-03", "5AA-MH95S", "F"), ("2022-03", "3BA-JB64W", "A")}
    chosen = [c for c in cases if (c["row"]["list"], c["row"]["type"], c["row"]["drive"])
              in pick and c["trans"] in ("cvt", "manual")]
    seen = set()
    for c in chosen:
        k = (c["row"]["type"], c["trans"])
        if k in seen:
            continue
        seen.add(k)
        spec = tmp_path / f"{c['chassis']}_{c['trans']}.toml"
        spec.write_text(M.spec_text(c), encoding="utf-8")
        out = tmp_path / f"{c['chassis']}_{c['trans']}_design.toml"
        assert main(["import", "spec", str(spec), "--predict", "-o", str(out)]) == 0
        d = tomllib.loads(out.read_text(encoding="utf-8"))
        ice = d["powertrain"]["ice"]
        fam, eng = c["family"], c["engine"]
        assert d["body"]["height"] == float(fam["height_mm"]) / 1000 or \
            d["body"]["height"] == int(fam["height_mm"]), d["body"]["height"]
        assert float(ice["power"]) == float(eng["power_kW"])
        assert bool(ice["turbo"]) == c["turbo"]
        assert bool(ice["idle_stop"]) == c["idle_stop"]
        assert d["powertrain"]["drive"] == c["drive"]
        assert "curb_measured" not in d.get("mass", {})  # --predict leaves it out
    assert seen == {("5AA-MH95S", "cvt"), ("3BA-JB64W", "manual")}
    mh95 = next(c for c in chosen if c["row"]["type"] == "5AA-MH95S")
    assert mh95["hybrid"] and mh95["idle_stop"] and not mh95["turbo"]
    assert 'hybrid_motor_power = 1.9' in M.spec_text(mh95)
    jimny = next(c for c in chosen if c["row"]["type"] == "3BA-JB64W")
    assert jimny["drive"] == "4wd" and jimny["turbo"] and 'frame = "ladder"' in \
        M.spec_text(jimny)


def test_published_compression_ratio_reaches_the_design(tmp_path):
    """An engine with a sourced ratio other than the class default (the 2014 Alto's
    R06A NA, 11.5) is written as ``engine.compression_ratio`` and imported as given; an
    engine without one (the DNGA KF NA) leaves the key out and takes the class default,
    marked assumed."""
    cases, _ = M.cases()
    alto = next(c for c in cases if c["engine"]["engine_id"] == "R06A_NA_2014")
    kf = next(c for c in cases if c["engine"]["engine_id"] == "KF_NA_DNGA")
    assert "compression_ratio = 11.5" in M.spec_text(alto)
    assert "compression_ratio" not in M.spec_text(kf)
    lines = {}
    for name, c in (("alto", alto), ("kf", kf)):
        spec = tmp_path / f"{name}.toml"
        spec.write_text(M.spec_text(c), encoding="utf-8")
        out = tmp_path / f"{name}_design.toml"
        assert main(["import", "spec", str(spec), "--predict", "-o", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        d = tomllib.loads(text)
        lines[name] = (d["powertrain"]["ice"]["compression_ratio"],
                       next(x for x in text.splitlines()
                            if x.startswith("compression_ratio")))
    assert lines["alto"][0] == 11.5 and "engine.compression_ratio" in lines["alto"][1]
    assert lines["kf"][0] == 12.0 and "[assumed] class default" in lines["kf"][1]


def test_doc_table_rows_are_the_groups_statistics():
    """The headline table ``--write-docs`` writes into docs/validation.md (the targets
    table quotes it): each row's n, families and MAE (bias) are those of its group, on
    made-up errors over the real sample (no model run)."""
    chosen = M.sample(M.cases()[0])
    results = [{"case": c, "err_pred": (-1) ** i * (i % 7) + 2.0, "err_pub": i % 5 - 1.0,
                "err_curb": -(i % 3) * 1.0} for i, c in enumerate(chosen)]
    rows = {}
    for line in M.doc_table(results).splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    unseen = [x for x in results if x["case"]["family"]["in_kei_csv"] != "yes"]
    e = [x["err_pred"] for x in unseen]
    mae, bias = sum(abs(v) for v in e) / len(e), sum(e) / len(e)
    fams = len({x["case"]["family"]["family_id"] for x in unseen})
    assert rows["families not in kei.csv"][:3] == [
        str(len(unseen)), str(fams), f"{mae:.1f} % ({bias:+.1f} %)"]
    assert rows["all"][0] == str(len(chosen))
    closed = [int(n) for n in rows["closed front-engine CVT: turbo / NA"][0].split(" / ")]
    assert sum(closed) == int(rows["closed front-engine CVT cars, in kei.csv"][0]) + int(
        rows["closed front-engine CVT cars, not in kei.csv"][0])
