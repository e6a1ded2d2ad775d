"""``keidesign`` end to end: every reference design, JSON schema, exit codes, user packs."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest
from conftest import DESIGNS, REFERENCE_DESIGNS, ROOT

from keidesign.cli import main
from keidesign.design import load_design

RECORD_KEYS = ["id", "value", "bound", "units", "margin", "passed", "source"]
TOP_KEYS = {"schema", "keidesign_version", "design", "rules", "inputs", "outputs",
            "constraints", "summary", "classification"}


def _json(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main(["evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("path", REFERENCE_DESIGNS, ids=lambda p: p.stem)
def test_evaluate_every_reference_design(path, capsys):
    assert main(["evaluate", str(path)]) == 0
    out = capsys.readouterr().out
    for pack in ("kei-japan:kei.length", "fmvss:fmvss208.crush_space", "cafe-2024:cafe.target"):
        assert pack in out
    assert "constraints:" in out
    # the mass and cost breakdown by part group is part of the report
    assert "mass by group (kg): body_structure" in out
    assert "cost by group (USD 2024): body_structure" in out

    doc = _json(capsys, str(path))
    assert set(doc) == TOP_KEYS
    assert doc["schema"] == "keidesign.evaluation/1"
    for rec in doc["constraints"]:
        assert list(rec)[: len(RECORD_KEYS)] == RECORD_KEYS
        assert rec["source"], rec["id"]
        if rec["status"] == "evaluated":
            assert isinstance(rec["passed"], bool)
            sign = 1 if rec["kind"] == "upper" else -1
            assert rec["margin"] == pytest.approx(sign * (rec["bound"] - rec["value"]))
        else:
            assert rec["passed"] is None and rec["margin"] is None
    for name, vu in doc["outputs"].items():
        assert set(vu) == {"value", "units"}, name
        assert vu["value"] is not None, name
    # the kei and CAFE math is complete: these are always evaluated (but CAFE for a
    # light truck of a year past its table: cafe-2024 carries 533.5(a) Table 7 to MY2031,
    # MY2027-2031 derived)
    ids = {r["id"]: r for r in doc["constraints"]}
    truck_na = (doc["design"]["model_year"] > 2031
                and load_design(path)["body:style"] == "truck")
    for cid in ("kei-japan:kei.length", "kei-japan:kei.width", "kei-japan:kei.height",
                "kei-japan:kei.power", "cafe-2024:cafe.target",
                "fmvss:fmvss208.crush_space"):
        if truck_na and cid == "cafe-2024:cafe.target":
            assert ids[cid]["status"] == "not-applicable", cid
            assert "params.cafe.light_truck: MY2021-2031" in ids[cid]["reason"]
        else:
            assert ids[cid]["status"] == "evaluated", cid


def test_reference_curb_masses_match_published():
    """The calibrated build-up (keidesign.mass, docs/mass_cost.md) against the published
    curb masses; nothing is derived from these numbers per design. Since the size law is
    fitted on the 97 cars the importer builds (3 Dec 2026; 89 before, not these ten), the
    N-Box and Sakura classes are within 1.5 % (tolerance 5 %) and the light hatches are
    heavy: Alto class +8.3 % (+7.3 % with the 89-car fit, +1.8 % with the ten-car one;
    tolerance 9 %), Mirage class +11.7 % (tolerance 12 %), as their imports in the
    calibration (Alto +10.0 %, Mirage hatchback +12.2 % held out; docs/mass_cost.md)."""
    published = {"nbox_class": 910.0, "alto_class": 700.0, "sakura_class": 1070.0,
                 "mirage_class": 2018 * 0.45359237}
    tolerance = {"nbox_class": 0.05, "alto_class": 0.09, "sakura_class": 0.05,
                 "mirage_class": 0.12}
    from keidesign.design import load_design
    from keidesign.evaluation import evaluate_design, resolve_packs

    for stem, curb in published.items():
        d = load_design(DESIGNS / f"{stem}.toml")
        ev = evaluate_design(d, resolve_packs(d.rules))
        assert ev.outputs["mass:curb"][0] == pytest.approx(curb, rel=tolerance[stem]), stem


def test_kei_verdicts(capsys):
    """The kei classes pass the kei size limits, the Mirage fails length and seats."""
    ok = _json(capsys, str(DESIGNS / "nbox_class.toml"))
    rec = {r["id"]: r for r in ok["constraints"]}
    assert rec["kei-japan:kei.length"]["passed"] and rec["kei-japan:kei.length"]["margin"] == 5
    mirage = _json(capsys, str(DESIGNS / "mirage_class.toml"))
    rec = {r["id"]: r for r in mirage["constraints"]}
    assert rec["kei-japan:kei.length"]["passed"] is False
    assert rec["kei-japan:kei.length"]["value"] == pytest.approx(151.4 * 25.4)
    assert rec["kei-japan:kei.seats"]["passed"] is False


def test_bev_displacement_is_not_applicable(capsys):
    doc = _json(capsys, str(DESIGNS / "sakura_class.toml"))
    rec = {r["id"]: r for r in doc["constraints"]}
    assert rec["kei-japan:kei.displacement"]["status"] == "not-applicable"
    # and the truck's cab-back clearance (packaging pack) and cargo load (kei) on a car,
    # and FMVSS 301's fuel spillage (a BEV: FMVSS 305)
    na = {r["id"] for r in doc["constraints"] if r["status"] == "not-applicable"}
    assert na == {"kei-japan:kei.displacement", "packaging:pack.cab_back_clearance",
                  "kei-japan:kei.cargo", "fmvss:fmvss301.spill_impact",
                  "fmvss:fmvss301.spill_5min", "fmvss:fmvss301.spill_rate"}
    assert doc["summary"]["n_not_applicable"] == 6


def test_several_designs_give_a_json_list(capsys):
    capsys.readouterr()
    assert main(["evaluate", *map(str, REFERENCE_DESIGNS[:2]), "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert isinstance(docs, list) and len(docs) == 2


def test_rules_option_and_user_pack(tmp_path, capsys):
    pack = tmp_path / "rollback-2027.toml"
    pack.write_text('''
[pack]
id = "rollback-2027"
version = "0.1"
title = "Hypothetical relaxed CAFE target"
source = "user study"

[[constraint]]
id = "cafe.flat"
quantity = "energy:cafe_mpg"
lower = 45.0
units = "mi/galUS"
source = "hypothetical: a flat 45 mpg car standard"
''')
    doc = _json(capsys, str(DESIGNS / "nbox_class.toml"), "--rules", "kei-japan", str(pack))
    assert [p["id"] for p in doc["rules"]] == ["kei-japan", "rollback-2027"]
    rec = {r["id"]: r for r in doc["constraints"]}
    assert rec["rollback-2027:cafe.flat"]["passed"] is True
    # the same pack found by folder
    doc = _json(capsys, str(DESIGNS / "nbox_class.toml"), "--rules", "rollback-2027",
                "--rules-dir", str(tmp_path))
    assert doc["rules"][0]["id"] == "rollback-2027"
    # a repeated --rules adds packs (it used to keep only the last one, silently)
    doc = _json(capsys, str(DESIGNS / "nbox_class.toml"), "--rules", "kei-japan",
                "--rules", str(pack))
    assert [p["id"] for p in doc["rules"]] == ["kei-japan", "rollback-2027"]


def test_strict_exit_code(capsys):
    assert main(["evaluate", str(DESIGNS / "mirage_class.toml"), "--strict"]) == 1


@pytest.mark.parametrize("args,needle", [
    (["evaluate", "missing.toml"], "design file not found"),
    (["evaluate", str(DESIGNS / "nbox_class.toml"), "--rules", "cafe-2099"], "cafe-2099"),
])
def test_bad_input_exits_2_with_one_line(args, needle, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("keidesign: error: ") and needle in err[0]


def test_bad_design_file_via_console_script(tmp_path):
    """The installed entry point: exit 2, one line on stderr, no traceback."""
    bad = tmp_path / "bad.toml"
    bad.write_text((DESIGNS / "nbox_class.toml").read_text().replace("cd = 0.38", "cd = -1"))
    proc = subprocess.run([sys.executable, "-m", "keidesign", "evaluate", str(bad)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"keidesign: error: {bad}: road.cd = -1: out of range; "
                                   "allowed: number in [0.15, 0.8]")


def test_check_rules_variables_commands(capsys):
    assert main(["check", *map(str, REFERENCE_DESIGNS)]) == 0
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for pid in ("kei-japan", "fmvss", "epa-label", "cafe-2022", "cafe-2024"):
        assert pid in out
    assert main(["variables", "--design-only"]) == 0
    assert "`body:length`" in capsys.readouterr().out


def test_no_parser_takes_an_abbreviated_option(capsys):
    """``check --rules X`` was taken as ``--rules-dir X`` (argparse's prefix matching),
    silently: every parser of the CLI, subcommands and their own subcommands included,
    has allow_abbrev off, and the command is refused naming the option."""
    from conftest import cli_parsers

    from keidesign.energy.calibration import main as energy_calibration
    from keidesign.mass.calibration import main as mass_calibration

    parsers = cli_parsers()
    assert len(parsers) > 15
    assert all(not p.allow_abbrev for p in parsers), [p.prog for p in parsers
                                                      if p.allow_abbrev]
    with pytest.raises(SystemExit) as exc:
        main(["check", "--rules-d", "X", str(DESIGNS / "nbox_class.toml")])
    assert exc.value.code == 2
    assert "unrecognized arguments: --rules-d" in capsys.readouterr().err
    for calibrate, option in ((energy_calibration, "--no-hold"), (mass_calibration, "--wri")):
        with pytest.raises(SystemExit) as exc:
            calibrate([option])
        assert exc.value.code == 2 and option in capsys.readouterr().err


def test_check_takes_rules_as_evaluate_does(tmp_path, capsys):
    """``check my_car.toml --rules kei-japan ./rollback.toml`` (the README's evaluate
    call with check) was refused with the top parser's usage (new-user pass s45g): check
    reads the packs of ``--rules`` instead of the design's list, as evaluate does, and a
    bad one is one line naming ``--rules``, once for every file."""
    pack = tmp_path / "rollback.toml"
    pack.write_text('[pack]\nid = "rollback"\nversion = "1"\ntitle = "t"\nsource = "s"\n'
                    '[[constraint]]\nid = "rb.mpg"\nquantity = "energy:label_comb_mpg"\n'
                    'lower = 30\nunits = "mi/galUS"\nsource = "s"\n')
    design = DESIGNS / "alto_class.toml"
    capsys.readouterr()
    assert main(["check", str(design), "--rules", "kei-japan", str(pack)]) == 0
    assert capsys.readouterr().out.strip().endswith("rule packs kei-japan, rollback)")
    assert main(["check", str(design), str(design), "--rules", "fmvs"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines() == [
        "keidesign: error: --rules: rule pack 'fmvs': unknown id (did you mean 'fmvss'?); "
        "available packs: cafe-2022, cafe-2024, epa-ghg, epa-label, fmvss, kei-japan, lsv, "
        "packaging, safe-iii, us-highway, us-ncap (or give a path to a .toml file)"]


def test_check_reports_every_bad_file(tmp_path, capsys):
    """``check`` goes on after a bad file: one error line per bad file (naming it), an ok
    line per good one, exit 2 if any failed."""
    alto = (DESIGNS / "alto_class.toml").read_text()
    bad_year = tmp_path / "bad_year.toml"
    bad_year.write_text(alto.replace("\nmodel_year = 2027\n", "\nmodel_year = 2040\n"))
    bad_toml = tmp_path / "broken.toml"
    bad_toml.write_text("x = \n")
    good = DESIGNS / "sakura_class.toml"
    capsys.readouterr()
    files = [bad_year, good, bad_toml, tmp_path / "missing.toml"]
    assert main(["check", *map(str, files)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [ln for ln in out.splitlines() if ln.startswith(f"{good}: ok")]
    assert len(out.splitlines()) == 1
    lines = err.splitlines()
    assert len(lines) == 3 and all(ln.startswith("keidesign: error: ") for ln in lines)
    assert lines[0].startswith(f"keidesign: error: {bad_year}: design.model_year = 2040")
    assert lines[1].startswith(f"keidesign: error: {bad_toml}: not valid TOML")
    assert lines[2] == f"keidesign: error: {tmp_path / 'missing.toml'}: design file not found"
    assert main(["check", str(good), str(good)]) == 0  # all good: exit 0


def test_design_sources_cite_data_rows():
    for path in REFERENCE_DESIGNS:
        doc = tomllib.loads(path.read_text())
        assert ".csv" in doc["design"]["source"], path.name


@pytest.mark.parametrize("args,needle", [
    (["compare", str(DESIGNS / "nbox_class.toml"), "missing.toml"],
     "missing.toml: design file not found"),
    (["export", "missing.toml", "--step", "x.step"], "missing.toml: design file not found"),
    (["optimize", "missing.toml"], "missing.toml: study file not found"),
    (["sweep", str(DESIGNS / "nbox_class.toml")], "unknown key 'design'"),
    (["report", "no_such_results_dir"], "no_such_results_dir does not exist"),
    (["report", str(DESIGNS / "nbox_class.toml")], "nbox_class.toml is not a folder"),
])
def test_plugin_commands_bad_input_one_line(args, needle, capsys):
    """Every subcommand: a bad path or file gives exit 2 and one clear line."""
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("keidesign: error: ") and needle in err[0], err


def test_evaluate_json_writes_no_negative_zero(capsys):
    """A clipped quantity's zero (the Sakura class's dash intrusion: the stack never
    reaches the dash) was written as -0.0 by ``evaluate --json`` (review s29d)."""
    import math

    capsys.readouterr()
    assert main(["evaluate", str(ROOT / "studies" / "designs" / "sakura_class_us.toml"),
                 "--json"]) == 0
    negative_zeros = []

    def parse(text: str) -> float:
        v = float(text)
        if v == 0.0 and math.copysign(1.0, v) < 0.0:
            negative_zeros.append(text)
        return v

    doc = json.loads(capsys.readouterr().out, parse_float=parse)
    assert doc["outputs"]["crash:front:dash_intrusion"]["value"] == 0.0
    assert negative_zeros == []


def test_json_writers_turn_negative_zero_into_zero(tmp_path):
    import math

    from keidesign.evaluation import _finite
    from keidesign.studies.outputs import write_json

    assert math.copysign(1.0, _finite(-0.0)) == 1.0 and _finite(float("nan")) is None
    text = write_json(tmp_path / "x.json", {"a": [-0.0, 1.5], "b": {"c": -0.0}}).read_text()
    assert "-0.0" not in text and json.loads(text) == {"a": [0.0, 1.5], "b": {"c": 0.0}}


def test_policy_rows_print_as_policy_and_the_class_line_names_them(capsys):
    """The fmvss pack's fleet-compatibility rows (``policy = true``: "a stated policy
    threshold, not a regulation") printed ``FAIL`` while the class line under them said
    "the model finds no failed FMVSS criterion" (review s33e). Now every fmvss row printed
    as failed is named in the class line, the policy rows as policy thresholds; their
    verdict reads ``FAIL (policy)`` and the summary line counts them; the JSON keeps its
    keys and adds ``policy`` (records), ``n_policy_failed`` / ``policy_failed``
    (summary) and ``fmvss_policy_failed`` (classification)."""
    mirage = str(DESIGNS / "mirage_class.toml")
    capsys.readouterr()
    assert main(["evaluate", mirage]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    rows = {ln.split()[0]: ln for ln in lines if ln.startswith("fmvss:")}
    klass, tail = lines[-2], lines[-1]
    assert klass.startswith("class: passenger car") and tail.startswith("constraints:")
    compat = ("fmvss:compat.us.share_above", "fmvss:compat.jp.share_above")
    # the Mirage class is out-massed by most of both fleets (docs/crash.md): both fail
    for cid in compat:
        assert "  FAIL (policy)  " in rows[cid], rows[cid]
    assert "no failed FMVSS criterion" in klass, klass
    assert ("2 policy thresholds (not regulations) not met: compat.us.share_above, "
            "compat.jp.share_above") in klass, klass
    for cid, row in rows.items():
        if " FAIL" in row:
            assert cid.split(":", 1)[1] in klass, (cid, klass)
    assert "FAIL (2 of them policy thresholds, not regulations)" in tail, tail

    doc = _json(capsys, mirage)
    assert set(doc) == TOP_KEYS
    recs = {r["id"]: r for r in doc["constraints"]}
    assert all(recs[c]["policy"] is True and recs[c]["passed"] is False for c in compat)
    assert not any(r["policy"] for cid, r in recs.items() if cid not in compat)
    s = doc["summary"]
    assert s["policy_failed"] == list(compat) and s["n_policy_failed"] == 2
    assert set(compat) <= set(s["failed"]) and s["n_failed"] == len(s["failed"])
    assert doc["classification"]["fmvss_policy_failed"] == list(compat)
    assert doc["classification"]["fmvss_failed"] == []



def test_ctrl_c_of_any_command_is_one_line_and_exit_130(monkeypatch, capsys, tmp_path):
    """A Ctrl-C while a command imports its model (the first seconds of ``keidesign
    sweep``, before its own handler runs) or while ``evaluate`` runs printed Python's
    KeyboardInterrupt traceback, 30-70 lines (``timeout -s INT 2 keidesign sweep ...``,
    ``timeout -s INT 6 keidesign evaluate ...``; task s35f). Now one line and exit 130,
    as the study commands give once they run."""
    import importlib

    import keidesign.cli as cli

    real = importlib.import_module

    def slow_import(name, *args, **kwargs):
        if name == "keidesign.studies.sweep":    # the sweep command's preload
            raise KeyboardInterrupt
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", slow_import)
    study = ROOT / "studies" / "feasibility_crush_height.toml"
    assert main(["sweep", str(study), "--out", str(tmp_path / "s"), "--serial"]) == 130
    err = capsys.readouterr().err
    assert err.splitlines() == ["keidesign: interrupted"], err
    monkeypatch.setattr(importlib, "import_module", real)

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_evaluate", interrupted)
    assert main(["evaluate", str(DESIGNS / "nbox_class.toml")]) == 130
    err = capsys.readouterr().err
    assert err.splitlines() == ["keidesign: interrupted"], err


def test_a_ctrl_c_landing_in_a_gc_callback_still_stops_the_command(monkeypatch, capsys):
    """Python runs a SIGINT's handler at the next bytecode of the main thread; inside a
    garbage-collector callback (Dask's GC diagnosis, which a LocalCluster's scheduler
    installs in the command's process) the KeyboardInterrupt is printed as "Exception
    ignored in ... _gc_callback" and dropped: the sweep ran on to its end, exit 0 (1 of 4
    Ctrl-Cs in the first seconds of ``keidesign sweep --workers 2``, task s35f). The
    command's handler now defers a Ctrl-C that lands in a gc callback until it returns."""
    import gc
    import signal
    import time

    import keidesign.cli as cli

    fired: list = []

    def callback(phase, info):
        if phase == "start" and not fired:
            fired.append(True)
            signal.raise_signal(signal.SIGINT)
            sum(range(10_000))               # the handler runs here, in the callback

    def work(args):
        gc.callbacks.append(callback)
        try:
            gc.collect()
            t0 = time.monotonic()
            while time.monotonic() - t0 < 3:   # the deferred Ctrl-C arrives here
                time.sleep(0.01)
        finally:
            gc.callbacks.remove(callback)
        return 0

    monkeypatch.setattr(cli, "_evaluate", work)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        status = main(["evaluate", str(DESIGNS / "nbox_class.toml")])
        after = signal.getsignal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, before)
    assert fired
    err = capsys.readouterr().err
    assert status == 130, err
    assert err.splitlines() == ["keidesign: interrupted"], err
    assert after is signal.default_int_handler    # main restores the handler it found


@pytest.mark.parametrize("where", ["ctypes_callback", "compiler"])
def test_a_ctrl_c_landing_in_numba_waits_until_the_kernel_is_loaded(where, monkeypatch,
                                                                     capsys):
    """A Ctrl-C whose handler runs while a numba kernel is loaded from the cache or
    compiled (its first call in the process) is deferred until numba returns, then stops
    the command as usual (exit 130, one line). Raised inside numba or llvmlite it was
    dropped in LLVM's object-cache ctypes callback ("Exception ignored on calling ctypes
    callback function", the command ran on) or stopped llvmlite between freeing an LLVM
    object and marking it freed: the interrupted sweep's subprocess died with SIGSEGV,
    exit -11 (task s43i). Here the SIGINT is raised at both places, on a function
    compiled fresh (the timing of a real Ctrl-C is not needed)."""
    import signal
    import time

    import numba
    import numpy as np
    from numba.core import event, registry

    import keidesign.cli as cli

    fired: list = []
    results: list = []

    def ctrl_c_once():
        if not fired:
            fired.append(True)
            signal.raise_signal(signal.SIGINT)
            sum(range(10_000))               # the handler runs here, inside numba

    if where == "ctypes_callback":
        # the Python callback llvmlite's ctypes hook calls when LLVM asks the object
        # cache for a module's machine code (numba's CPU codegen set it at its start)
        engine = registry.cpu_target.target_context.codegen()._engine._ee
        hook = engine._object_cache_getbuffer

        def getbuffer(ll_module):
            ctrl_c_once()
            return hook(ll_module)

        monkeypatch.setattr(engine, "_object_cache_getbuffer", getbuffer)

    class Listener(event.Listener):
        def on_start(self, ev):
            if where == "compiler":
                ctrl_c_once()

        def on_end(self, ev):
            pass

    @numba.njit
    def kernel(x):
        return np.sum(np.sqrt(x)) + 1.0

    def work(args):
        with event.install_listener("numba:compile", Listener()):
            results.append(kernel(np.arange(4.0)))
        t0 = time.monotonic()
        while time.monotonic() - t0 < 10:      # the deferred Ctrl-C arrives here
            time.sleep(0.01)
        return 0

    monkeypatch.setattr(cli, "_evaluate", work)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        status = main(["evaluate", str(DESIGNS / "nbox_class.toml")])
    finally:
        signal.signal(signal.SIGINT, before)
    err = capsys.readouterr().err
    assert fired
    assert results == [pytest.approx(1.0 + 1.0 + 2**0.5 + 3**0.5)], err
    assert status == 130, err
    assert err.splitlines() == ["keidesign: interrupted"], err
