"""``keidesign import``: complete design files from published specs (docs/import.md).

Every generated file passes ``check`` and ``evaluate``; every key says where it comes
from (``# source:`` or ``# [assumed]``); the source's dimensions and power come back
exactly from ``load_design``; bad input is one line naming field, value and range.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from keidesign.cli import main
from keidesign.design import load_design
from keidesign.energy import testcars as tc
from keidesign.specs import sources
from keidesign.specs.build import Table
from keidesign.specs.write import design_text

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*) = (?P<rest>.*)$")


def _epa_args(car: tc.TestCar) -> list[str]:
    idx = sources.epa_matches(car.year, car.make, car.model).index(car)
    return ["import", "epa", "--year", str(car.year), "--make", car.make, "--model",
            car.model, "--index", str(idx)]


def _first(pred) -> tc.TestCar:
    return next(c for c in tc.test_cars() if pred(c))


def _epa_cases() -> dict[str, tc.TestCar]:
    """Ten EPA configurations of different classes."""
    cars = {
        "ev": _first(lambda c: c.cls == "ev" and "BOLT" in c.model.upper()),
        "ev_rwd_no_specs": _first(lambda c: c.cls == "ev" and c.drive == "rwd"
                                  and sources.us_specs_for(c) is None),
        "manual5": _first(lambda c: c.trans == "mt5"),
        "manual6": _first(lambda c: c.trans == "mt6" and c.year >= 2016),
        "automatic4": _first(lambda c: c.trans == "at4"),
        "automatic6": _first(lambda c: c.trans == "at6" and c.year >= 2018),
        "dct": _first(lambda c: c.cls == "dct" and c.trans == "dct7"),
        "cvt": _first(lambda c: c.trans == "cvt" and c.cls == "cvt" and c.year == 2017),
        "hybrid": _first(lambda c: c.cls == "hybrid"),
        "awd": _first(lambda c: c.drive == "awd"),
        "rwd_two_seater": _first(lambda c: c.drive == "rwd" and c.cls == "manual"),
    }
    return cars


USER_SPEC = """
[vehicle]
name = "My tall-boy kei EV"
model_year = 2028
seats = 4
drive = "fwd"
source = "made-up numbers for a test"

[dimensions]
length = "3395 mm"
width = 1475
height = "1.7 m"
wheelbase = 2495
tyre = "155/65R14"

[mass]
curb = "1090 kg"

[motor]
power = "47 kW"
torque = 195

[battery]
energy = "20 kW*h"
"""

USER_SPEC_ICE = """
[vehicle]
name = "US subcompact"
model_year = 2019

[dimensions]
length = "151.4 inch"
width = "65.6 inch"
height = "59.4 inch"
wheelbase = "96.5 inch"

[engine]
displacement = "1.2 L"
power = "78 hp"
torque = "74 lbf*ft"
cylinders = 3

[transmission]
type = "manual"
gears = 5
"""


def _keys_and_comments(text: str) -> list[tuple[str, str, str]]:
    """(table, key, comment) of every key line of a generated file."""
    table, out = "", []
    for line in text.splitlines():
        if line.startswith("["):
            table = line.strip("[]")
            continue
        m = _KEY_LINE.match(line)
        if m:
            rest = m.group("rest")
            # the comment is after the value: strip a quoted string value first
            value_end = 0
            if rest.startswith(('"', "[")):
                value_end = _value_end(rest)
            hash_at = rest.find("#", value_end)
            out.append((table, m.group("key"), rest[hash_at + 1:].strip()
                        if hash_at >= 0 else ""))
    return out


def _value_end(rest: str) -> int:
    in_str, esc = False, False
    for i, ch in enumerate(rest):
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "#":
            return i
    return len(rest)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    """Every case imported through the CLI into a file."""
    d = tmp_path_factory.mktemp("import")
    out: dict[str, Path] = {}
    for name, car in _epa_cases().items():
        out[f"epa_{name}"] = d / f"epa_{name}.toml"
        assert main([*_epa_args(car), "-o", str(out[f"epa_{name}"])]) == 0
    out["epa_predict"] = d / "epa_predict.toml"
    assert main([*_epa_args(_epa_cases()["cvt"]), "--predict", "-o",
                 str(out["epa_predict"])]) == 0
    for name, args in {
        "kei_alto": ["Suzuki Alto"],
        "kei_nbox_turbo": ["Honda N-Box", "--variant", "turbo"],
        "kei_sakura": ["Nissan Sakura"],
        "kei_nvan": ["N-VAN e:"],
        "us_specs_fit": ["FIT", "--file", "us_specs", "--year", "2016"],
        "us_specs_leaf": ["LEAF", "--file", "us_specs"],
        "us_specs_mx5": ["MX-5", "--file", "us_specs", "--index", "0"],
        "us_small_mirage": ["Mitsubishi Mirage hatchback"],
    }.items():
        out[name] = d / f"{name}.toml"
        assert main(["import", "vehicle", *args, "-o", str(out[name])]) == 0, name
    for name, text in (("spec_bev", USER_SPEC), ("spec_ice", USER_SPEC_ICE)):
        src = d / f"{name}_in.toml"
        src.write_text(text, encoding="utf-8")
        out[name] = d / f"{name}.toml"
        assert main(["import", "spec", str(src), "-o", str(out[name])]) == 0
    return out


def test_generated_files_check_and_evaluate(generated, capsys):
    paths = [str(p) for p in generated.values()]
    assert main(["check", *paths]) == 0
    assert main(["evaluate", "--json", *paths]) == 0
    capsys.readouterr()


def test_every_key_is_sourced_or_assumed(generated):
    for name, path in generated.items():
        text = path.read_text(encoding="utf-8")
        tomllib.loads(text)
        assert text.startswith("# Imported from"), name
        for table, key, comment in _keys_and_comments(text):
            assert comment.startswith(("source:", "[assumed]")), (name, table, key, comment)
            assert len(comment.split(None, 1)) == 2, (name, table, key)  # a basis given


def test_epa_round_trip_and_provenance(generated):
    car = _epa_cases()["manual5"]
    d = load_design(generated["epa_manual5"])
    assert d["powertrain:ice:power"] == pytest.approx(car.hp * 0.7457, rel=1e-12)
    assert d["powertrain:ice:displacement"] == pytest.approx(car.vd * 1000.0, rel=1e-12)
    assert d["powertrain:transmission"] == car.trans
    assert d["energy:test_weight"] == pytest.approx(car.etw, rel=1e-9)
    assert d["energy:coastdown:measured"] is True
    assert d["energy:coastdown:a"] == pytest.approx(car.f0, rel=1e-8)
    assert d["energy:coastdown:b"] == pytest.approx(car.f1, rel=1e-8)
    assert d["energy:coastdown:c"] == pytest.approx(car.f2, rel=1e-8)
    assert d.model_year == car.year
    ev = load_design(generated["epa_ev"])
    assert ev.powertrain_type == "bev"
    # us_specs body for the Bolt, said so in the comments
    text = generated["epa_ev"].read_text(encoding="utf-8")
    assert "us_specs.csv line" in text
    sr = sources.us_specs_for(_epa_cases()["ev"])
    assert ev["body:length"] == float(sr.row["length_mm"])
    assert ev["mass:curb_measured"] == float(sr.row["curb_kg"])
    # the published motor of ev_motors.csv, as the calibration takes it
    bolt = _epa_cases()["ev"]
    assert bolt.motor_kw and bolt.motor_nm
    assert ev["powertrain:bev:motor_power"] == pytest.approx(bolt.motor_kw, rel=1e-9)
    assert ev["powertrain:bev:motor_torque"] == pytest.approx(bolt.motor_nm, rel=1e-9)
    assert "ev_motors.csv: published peak torque" in text
    assert load_design(generated["epa_awd"])["powertrain:drive"] == "awd"
    assert load_design(generated["epa_hybrid"])["powertrain:ice:hybrid"] == "hev"


def test_predict_leaves_measured_values_out(generated):
    d = load_design(generated["epa_predict"])
    assert d["energy:coastdown:measured"] is False
    assert d["energy:test_weight"] == 0.0
    assert d["mass:curb_measured"] == 0.0
    assert "--predict" in generated["epa_predict"].read_text(encoding="utf-8")


def test_vehicle_round_trip(generated):
    alto = load_design(generated["kei_alto"])
    assert (alto["body:length"], alto["body:width"], alto["body:height"],
            alto["body:wheelbase"]) == (3395, 1475, 1525, 2460)
    assert alto["powertrain:ice:power"] == 36 and alto["powertrain:ice:torque"] == 58
    assert alto["mass:curb_measured"] == 700 and alto["mass:market"] == "jdm"
    nbox = load_design(generated["kei_nbox_turbo"])
    assert nbox["powertrain:ice:turbo"] is True and nbox["body:style"] == "tallboy"
    mirage = load_design(generated["us_small_mirage"])
    assert mirage["body:length"] == pytest.approx(151.4 * 25.4, rel=1e-12)
    assert mirage["powertrain:ice:power"] == 58
    assert mirage["powertrain:ice:torque"] == pytest.approx(74 * 1.3558179497760001)
    fit = load_design(generated["us_specs_fit"])
    assert (fit["body:length"], fit["body:wheelbase"]) == (4064, 2530)
    assert fit["body:tyre_width"] == 185 and fit.model_year == 2016
    assert fit["powertrain:ice:power"] == pytest.approx(130 * 0.7457)


def test_user_spec_round_trip(generated):
    d = load_design(generated["spec_bev"])
    assert d["body:height"] == 1700 and d["powertrain:bev:motor_power"] == 47
    assert d["powertrain:bev:battery_energy"] == 20 and d.model_year == 2028
    assert d["mass:curb_measured"] == 1090 and d["mass:market"] == "jdm"
    ice = load_design(generated["spec_ice"])
    assert ice["powertrain:transmission"] == "mt5"
    assert ice["body:wheelbase"] == pytest.approx(96.5 * 25.4, rel=1e-12)
    assert ice["mass:market"] == "us"


@pytest.mark.parametrize("body, field, value, allowed", [
    ('[dimensions]\nlength = "3395 kg"', "dimensions.length", "'3395 kg'", "[2000, 6000] mm"),
    ("[dimensions]\nheight = 90000", "dimensions.height", "90000", "[1000, 2600] mm"),
    ('[dimensions]\ntyre = "155R14"', "dimensions.tyre", "'155R14'", "155/65R14"),
    # a staggered car's two sizes (smart fortwo, absent_families): not the first silently
    ('[dimensions]\ntyre = "165/65R15 / 185/60R15"', "dimensions.tyre",
     "'165/65R15 / 185/60R15'", "driven axle's"),
    ('[dimensions]\ntyre_other = "155R14"', "dimensions.tyre_other", "'155R14'",
     "155/65R14"),
    ('[engine]\npower = -3', "engine.power", "-3", "[5, 600] kW"),
    # a US sheet's pound-foot (absent_families pass): say what to write
    ('[engine]\ntorque = "150 lb-ft"', "engine.torque", "'150 lb-ft'",
     "a torque in pound-feet is written 'lbf*ft'; allowed: number in [10, 1200] N*m"),
    ('[engine]\ntorque = "150 lb*ft"', "engine.torque", "'150 lb*ft'",
     "a torque in pound-feet is written 'lbf*ft'; allowed: number in [10, 1200] N*m"),
    ('[transmission]\ntype = "automatik"', "transmission.type", "'automatik'", "one of"),
    ('[vehicle]\nmodel_year = 2040', "vehicle.model_year", "2040", "[2011, 2031]"),
    ('[engine]\ncompression_ratio = 30', "engine.compression_ratio", "30", "[8, 15]"),
    ('[engine]\ncompression_ratio = 5', "engine.compression_ratio", "5", "[8, 15]"),
    ('[battery]\ncharger_power = 40', "battery.charger_power", "40", "[1, 22] kW"),
    ('[motor]\ntype = "dc"', "motor.type", "'dc'", "one of"),
    # a US spec sheet's 'kph' is kilo-phot to OpenMDAO: say what to write ('mph' is read
    # as mi/h since 5 Dec 2026: tests/test_units_mph.py)
    ('[performance]\ntop_speed = "150 kph"', "performance.top_speed", "'150 kph'",
     "'kph' is not km/h here: write 'km/h'"),
    # a full hybrid's motor without hybrid = true (new-user pass, 4 Dec 2026)
    ('[engine]\nhybrid_motor_power = 59', "engine.hybrid_motor_power", "59",
     "only with engine.hybrid = true"),
    ('[engine]\nhybrid_layout = "full"', "engine.hybrid_layout", "'full'",
     "only with engine.hybrid = true"),
    ('[engine]\nhybrid_motor_reduction = 8.4', "engine.hybrid_motor_reduction", "8.4",
     "only with engine.hybrid = true"),
    ('[engine]\nhybrid = true\nhybrid_motor_reduction = 30',
     "engine.hybrid_motor_reduction", "30", "or a number in [1, 20]"),
    ('[engine]\nhybrid = true\nhybrid_layout = "strong"', "engine.hybrid_layout",
     "'strong'", "one of"),
    # a goods vehicle (kei van): the use, and a maximum load only with it
    ('[vehicle]\nuse = "cargo"', "vehicle.use", "'cargo'", "one of"),
    # a cab-over one-box is written by its engine position (one_box_cd, s17h7)
    ('[vehicle]\nlayout = "cab-over"', "vehicle.layout", "'cab-over'",
     "one of 'front', 'rear', 'mid', 'underfloor'"),
    ('[mass]\nmax_load = 350', "mass.max_load", "350", "only for a goods vehicle"),
    ('[vehicle]\nuse = "goods"\n[mass]\nmax_load = -5', "mass.max_load", "-5",
     "[0, 5000] kg"),
    # a spec file's restraint (task s45a): the registry variable's range
    ('[restraint]\nload_limit = 500', "restraint.load_limit", "500", "[2, 100] kN"),
    ('[restraint]\nslack = "5 kN"', "restraint.slack", "'5 kN'", "[0, 200] mm"),
    # a name the import wrote but its own design check refused (a bug of the import)
    ('[vehicle]\nname = "a\\u0007b"', "vehicle.name", "'a\\x07b'",
     "one line of printable text"),
])
def test_bad_spec_field_is_one_line(tmp_path, capsys, body, field, value, allowed):
    base = {"vehicle": 'name = "x"', "dimensions": (
        'length = 3395\nwidth = 1475\nheight = 1700\nwheelbase = 2495'),
        "engine": "displacement = 658\npower = 43"}
    table = body.split("]")[0].strip("[")
    base[table] = base.get(table, "") + "\n" + body.split("\n", 1)[1]
    # a duplicated key would be a TOML error: replace the line instead
    lines = {}
    for line in base[table].strip().splitlines():
        lines[line.split("=")[0].strip()] = line
    base[table] = "\n".join(lines.values())
    spec = tmp_path / "s.toml"
    spec.write_text("\n".join(f"[{t}]\n{b}\n" for t, b in base.items()), encoding="utf-8")
    assert main(["import", "spec", str(spec)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert field in err and value in err and allowed in err, err


def test_unknown_spec_key_names_nearest(tmp_path, capsys):
    spec = tmp_path / "s.toml"
    spec.write_text('[dimensions]\nlenght = 3395\n', encoding="utf-8")
    assert main(["import", "spec", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "dimensions.lenght" in err and "dimensions.length" in err


def test_unknown_model_lists_near_names(capsys):
    assert main(["import", "epa", "--year", "2017", "--make", "HONDA", "--model",
                 "CIVIK"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "CIVIC" in err
    assert main(["import", "vehicle", "Suzuki Altoo"]) == 2
    assert "Suzuki Alto" in capsys.readouterr().err


def test_ambiguous_selection_lists_matches(capsys):
    assert main(["import", "vehicle", "FIT", "--file", "us_specs"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("keidesign: error: 3 vehicle rows match")
    assert all(line.strip().startswith("[") for line in err[:-1]) and len(err) == 4


def test_output_refuses_overwrite(tmp_path, capsys):
    out = tmp_path / "alto.toml"
    out.write_text("keep", encoding="utf-8")
    assert main(["import", "vehicle", "Suzuki Alto", "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "keep"
    assert "--force" in capsys.readouterr().err
    assert main(["import", "vehicle", "Suzuki Alto", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Imported from")


def test_stdout_and_string_escaping(capsys):
    assert main(["import", "vehicle", "Suzuki Alto"]) == 0
    assert tomllib.loads(capsys.readouterr().out)["body"]["length"] == 3395
    s = 'a "quoted" \\ back\nslash\x01'
    t = Table("design")
    t.add("name", None, f"note {s}", assumed=False, text=s)
    assert tomllib.loads(design_text([f"header {s}"], [t]))["design"]["name"] == s


def test_trim_kw_that_contradicts_hp_is_the_pack(tmp_path, capsys):
    """autoevolution names the first Leaf's trim '24 kW (109 HP)': the '24 kW' is the
    24 kWh pack (109 hp = 81 kW is the motor), not a 24 kW motor."""
    from keidesign.cli import main

    out = tmp_path / "leaf.toml"
    assert main(["import", "vehicle", "NISSAN LEAF S", "--file", "us_specs",
                 "--year", "2013", "-o", str(out)]) == 0
    leaf = load_design(out)
    assert leaf["powertrain:bev:motor_power"] == pytest.approx(109 * 0.7457, rel=1e-3)
    assert leaf["powertrain:bev:battery_energy"] == 24


def test_two_seater_from_its_label_class(tmp_path):
    """A us_specs generation whose every fueleconomy.gov row is VClass 'Two Seaters'
    imports with two seats and no rear row (the MX-5 ND)."""
    from keidesign.cli import main

    out = tmp_path / "mx5.toml"
    assert main(["import", "vehicle", "MAZDA MX-5", "--file", "us_specs", "--variant", "ND",
                 "-o", str(out)]) == 0
    mx5 = load_design(out)
    assert mx5["body:seats"] == 2 and mx5["body:couple_distance"] == 0.0
    assert "Two Seaters" in out.read_text()
    fit = tmp_path / "fit.toml"
    assert main(["import", "vehicle", "HONDA FIT", "--file", "us_specs", "--year", "2016",
                 "-o", str(fit)]) == 0
    assert load_design(fit)["body:seats"] == 5


def test_kei_row_carries_its_published_transmission(tmp_path):
    """A kei.csv row's `transmission` column reaches the design (the N-One RS 6MT is a
    six-speed manual, not the class default CVT); a row without one keeps the default."""
    from keidesign.cli import main

    out = tmp_path / "none.toml"
    assert main(["import", "vehicle", "Honda N-One", "--file", "kei", "--variant", "6MT",
                 "-o", str(out)]) == 0
    text = out.read_text()
    assert re.search(r'^transmission = "mt6" +# source: kei.csv line \d+', text, re.M)
    assert load_design(out)["powertrain:transmission"] == "mt6"
    nbox = tmp_path / "nbox.toml"
    assert main(["import", "vehicle", "Honda N-Box", "--file", "kei", "--variant", "NA FF",
                 "-o", str(nbox)]) == 0
    assert load_design(nbox)["powertrain:transmission"] == "cvt"


def test_short_car_rear_row_fits_its_body(tmp_path, capsys):
    """A short four-seater imports with its rear row moved forward so the occupant cell
    ends inside the body: a smart fortwo-sized body (2,690 mm) given ``seats = 4`` gets a
    couple distance between a 2+2's rear row and the registry's 850 mm, exactly the room
    left (a millimetre more fails the layout check); a body shorter than a 2+2's rear row
    allows keeps the registry's, and its import gives the layout check's message (set
    ``seats`` in a spec file). The Scion iQ (2,985 mm, 3+1 seats), shortened while the
    import's H-point sat 850 mm behind the heel, keeps the registry's 850 mm since the
    import's seat follows the published leg rooms (L53 785 mm, task s38b)."""
    from keidesign.cli import main
    from keidesign.specs.build import SHORTEST_IMPORT_COUPLE_MM

    out = tmp_path / "iq.toml"
    assert main(["import", "vehicle", "SCION iQ", "--file", "us_specs", "-o", str(out)]) == 0
    assert load_design(out)["body:couple_distance"] == 850.0
    assert "shortened" not in out.read_text()
    spec = tmp_path / "ft4_spec.toml"
    spec.write_text(TWO_SEAT_SPEC.replace("seats = 2", "seats = 4"), encoding="utf-8")
    ft4 = tmp_path / "ft4.toml"
    assert main(["import", "spec", str(spec), "-o", str(ft4)]) == 0
    couple = load_design(ft4)["body:couple_distance"]
    assert SHORTEST_IMPORT_COUPLE_MM <= couple < 850.0
    assert "[assumed] shortened" in ft4.read_text()
    # the cell ends exactly at the margin: a millimetre more would not fit
    text = ft4.read_text().replace(f"couple_distance = {couple:g} ",
                                   f"couple_distance = {couple + 1:g} ")
    (tmp_path / "ft4_1.toml").write_text(text)
    capsys.readouterr()
    assert main(["evaluate", str(tmp_path / "ft4_1.toml")]) != 0
    assert "rear seat back" in capsys.readouterr().err
    short = tmp_path / "short_spec.toml"
    short.write_text(TWO_SEAT_SPEC.replace("seats = 2", "seats = 4")
                     .replace("length = 2690", "length = 2620")
                     .replace("wheelbase = 1872", "wheelbase = 1800"), encoding="utf-8")
    ft = tmp_path / "ft.toml"
    # the import checks the body layout as `check` does (since s27a; the file was written
    # with the registry's 850 mm and `evaluate` refused it): nothing is written
    capsys.readouterr()
    assert main(["import", "spec", str(short), "-o", str(ft)]) == 2
    err = capsys.readouterr().err
    assert "rear seat back" in err and "body.couple_distance = 850" in err
    assert "(in the spec file: body.length is dimensions.length)" in err
    assert not ft.exists()


# a smart fortwo W453-sized rear-engined two-seater (2,690 mm; us_specs.csv line 122)
TWO_SEAT_SPEC = """
[vehicle]
name = "short two-seater"
seats = 2
layout = "rear"
[dimensions]
length = 2690
width = 1661
height = 1549
wheelbase = 1872
[engine]
displacement = 999
power = 52
"""


@pytest.mark.parametrize("variant", ["W451", "W453 ED", "W453"])
def test_smart_fortwo_imports_as_a_rear_engined_two_seater(tmp_path, capsys, variant):
    """The smart fortwo rows (2,690-2,700 mm: a rear row would end outside the body) read
    ``seats`` and ``layout`` from us_specs.csv with their source and status: two seats,
    no rear row, the rear layout and rear drive (assumed by the import's rule for an engine
    behind the cabin); the written design file passes ``keidesign check``. Before the
    columns, the import gave 5 seats and a rear seat back 100 mm outside the body."""
    model = "fortwo electric drive" if variant == "W453 ED" else "fortwo"
    out = tmp_path / "smart.toml"
    args = ["import", "vehicle", model, "--file", "us_specs", "-o", str(out)]
    if variant != "W453 ED":
        args += ["--variant", variant]
    assert main(args) == 0
    d = load_design(out)
    assert (d["body:seats"], d["body:couple_distance"]) == (2, 0.0)
    assert (d["powertrain:layout"], d["powertrain:drive"]) == ("rear", "rwd")
    assert variant.split()[0] in d["design:name"]
    text = out.read_text(encoding="utf-8")
    for key in ("seats", "layout"):
        line = next(ln for ln in text.splitlines() if ln.startswith(f"{key} = "))
        assert "us_specs.csv line 12" in line and "status R" in line, line
        assert "[assumed]" not in line
    drive = next(ln for ln in text.splitlines() if ln.startswith("drive = "))
    assert "[assumed]" in drive and "rear engine" in drive
    capsys.readouterr()
    assert main(["check", str(out)]) == 0
    assert ": ok (" in capsys.readouterr().out


def test_two_seat_spec_gets_no_rear_row(tmp_path, capsys):
    """A spec file's ``vehicle.seats = 2`` on a 2,690 mm body imports with the front row
    only (couple distance 0) and passes ``check``; ``layout = "rear"`` without a drive
    gives rear drive, marked assumed, and no engine block ahead of the dash; the same body
    with four seats does not fit its rear row (test_short_car_rear_row_fits_its_body)."""
    spec = tmp_path / "two.toml"
    spec.write_text(TWO_SEAT_SPEC, encoding="utf-8")
    out = tmp_path / "two_design.toml"
    assert main(["import", "spec", str(spec), "-o", str(out)]) == 0
    d = load_design(out)
    assert (d["body:seats"], d["body:couple_distance"]) == (2, 0.0)
    assert (d["powertrain:layout"], d["powertrain:drive"]) == ("rear", "rwd")
    assert "rear drive: none in the source" in _comment(out.read_text(), "drive")
    capsys.readouterr()
    assert main(["check", str(out)]) == 0
    front = tmp_path / "front.toml"
    front.write_text(TWO_SEAT_SPEC.replace('layout = "rear"\n', ""), encoding="utf-8")
    assert main(["import", "spec", str(front), "-o", str(tmp_path / "f.toml")]) == 0
    f = load_design(tmp_path / "f.toml")
    assert (f["powertrain:layout"], f["powertrain:drive"]) == ("front", "fwd")
    assert f["body:couple_distance"] == 0.0


def test_front_structure_force_follows_test_mass(tmp_path):
    """A non-kei import's rail and crash-box walls go as (phi m_test / m_ref)^(3/5), so the
    superfolding force (t^(5/3)) of its front is proportional to its test mass; a kei
    import and a --predict import (no mass known) keep the reference rail set."""
    from keidesign.cli import main
    from keidesign.crash.members import crush_force
    from keidesign.specs.build import (
        CRASH_BOX_T_MM,
        REFERENCE_TEST_MASS_KG,
        front_force_factor,
    )

    def imported(name: str, *extra: str) -> dict:
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.toml"
        assert main(["import", "vehicle", name, "-o", str(out), *extra]) == 0
        return load_design(out)

    forces = []
    for name, year in (("HONDA FIT", "2016"), ("CHEVROLET VOLT", "2013")):
        d = imported(name, "--file", "us_specs", "--year", year)
        m_test = d["mass:curb_measured"] + 2 * 78.0
        f = (front_force_factor() * m_test / REFERENCE_TEST_MASS_KG) ** 0.6
        assert d["crash:front:wall_thickness"] == pytest.approx(2.0 * f, abs=0.006)
        assert d["crash:front:crash_box_thickness"] == pytest.approx(CRASH_BOX_T_MM * f,
                                                                      abs=0.006)
        p = crush_force(400e6, 6844.0, 3.91, 0.08, 0.11,
                        d["crash:front:wall_thickness"] * 1e-3, 7.8)
        forces.append((p, m_test))
    (p1, m1), (p2, m2) = forces
    assert m2 > 1.3 * m1  # the Volt is much heavier than the Fit
    assert p2 / p1 == pytest.approx(m2 / m1, rel=0.02)  # force per kg kept
    kei = imported("Honda N-Box", "--file", "kei", "--index", "0")
    assert kei["crash:front:wall_thickness"] == 2.0
    pred = imported("CHEVROLET VOLT", "--file", "us_specs", "--year", "2013", "--predict")
    assert pred["crash:front:wall_thickness"] == 2.0


def test_roof_strength_follows_curb_mass(tmp_path):
    """A non-kei import of known curb carries an A-pillar wall that gives its roof (the
    model's closed form, RoofStrengthComp) build.ROOF_STRENGTH_TO_WEIGHT x its curb
    weight, so a heavier car gets a thicker pillar and the same ratio (before 5 Dec 2026
    every import had the registry's 1.4 mm and a ratio falling as 1 / mass: 5.98 on the
    Fit GK, 4.01 on the Bolt EV); the B-pillar (shared with the side model) is not
    written; a kei import and a --predict import keep the registry's pillars."""
    from keidesign.crash.roof import G0, RoofStrengthComp
    from keidesign.specs.build import ROOF_STRENGTH_TO_WEIGHT

    def imported(name: str, *extra: str):
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.toml"
        assert main(["import", "vehicle", name, "-o", str(out), *extra]) == 0
        return load_design(out), out.read_text()

    def ratio(d) -> float:
        g = {k: float(d[k]) for k in RoofStrengthComp.INPUTS if k != "mass:curb"}
        g["mass:curb"] = float(d["mass:curb_measured"])
        comp = RoofStrengthComp(a_material=d["crash:roof:material"],
                                b_material=d["crash:side:material"])
        return float(comp.values(g)["crash:roof:strength"]) * 1e3 / (g["mass:curb"] * G0)

    walls = []
    for name, year in (("HONDA FIT", "2016"), ("CHEVROLET VOLT", "2013")):
        d, text = imported(name, "--file", "us_specs", "--year", year)
        walls.append((d["crash:roof:a_pillar_thickness"], d["mass:curb_measured"], ratio(d)))
        assert "b_pillar" not in text and "[crash.roof]" in text
    (t1, m1, r1), (t2, m2, r2) = walls
    assert m2 > 1.3 * m1 and t2 > t1
    assert r2 == pytest.approx(r1, rel=0.005)  # the same ratio on a much heavier car
    assert r1 == pytest.approx(ROOF_STRENGTH_TO_WEIGHT, rel=0.005)
    for args in (("Honda N-Box", "--file", "kei", "--index", "0"),
                 ("CHEVROLET VOLT", "--file", "us_specs", "--year", "2013", "--predict")):
        d, text = imported(*args)
        assert "[crash.roof]" not in text and d["crash:roof:a_pillar_thickness"] == 1.4


def test_pre_era_import_is_sized_to_the_pre_era_ratio_on_its_outcome_curb(tmp_path):
    """Task s33h: the MINI R56 (first US model year 2007, no curb in us_specs) is sized
    to the pre-era ratio build.ROOF_STRENGTH_TO_WEIGHT_PRE (3.747) x its IIHS outcome
    row's published US curb, 1,150 kg (build.roof_curb; before: no curb, the registry's
    1.4 mm pillars, +86 % against IIHS); the Fit GE (2009) to 3.747 x its own curb and
    the Fit GK (2015) to the modern 5.436, each ratio the model's closed form gives."""
    from keidesign.crash.roof import G0, RoofStrengthComp
    from keidesign.specs import build

    def imported(name: str, *extra: str):
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.toml"
        assert main(["import", "vehicle", name, "-o", str(out), *extra]) == 0
        return load_design(out), out.read_text()

    def force(d) -> float:
        g = {k: float(d[k]) for k in RoofStrengthComp.INPUTS if k != "mass:curb"}
        g["mass:curb"] = 1000.0  # the force does not depend on it
        comp = RoofStrengthComp(a_material=d["crash:roof:material"],
                                b_material=d["crash:side:material"])
        return float(comp.values(g)["crash:roof:strength"]) * 1e3

    mini, text = imported("MINI Cooper Hardtop", "--file", "us_specs", "--year", "2012")
    assert "[crash.roof]" in text and "pre-era design (first US model year 2007" in text
    assert force(mini) / (1150.0 * G0) == pytest.approx(build.ROOF_STRENGTH_TO_WEIGHT_PRE,
                                                        rel=0.005)
    for year, swr in (("2012", build.ROOF_STRENGTH_TO_WEIGHT_PRE),
                      ("2016", build.ROOF_STRENGTH_TO_WEIGHT)):
        d, _ = imported("HONDA FIT", "--file", "us_specs", "--year", year)
        m = float(d["mass:curb_measured"])
        assert force(d) / (m * G0) == pytest.approx(swr, rel=0.005), year
    assert build.ROOF_STRENGTH_TO_WEIGHT_PRE < 4.0 < build.ROOF_STRENGTH_TO_WEIGHT


def test_pre_216a_generations_carry_the_era_pillar_grades(tmp_path, monkeypatch):
    """The era key of the trial of task s24f (benchmarks/roof_floor_trial.py; its rule
    passed, not shipped: build.ROOF_ERA_LAST_MODEL_YEAR None, the IIHS side tests of the
    Fit GE and MINI R56 contradict a DP590 side structure). Off, no import writes a grade;
    on at 2009, a us_specs generation first sold in the US in or before 2009 carries the
    era's DP590 A- and B-pillars (build.ERA_PILLAR_GRADES, marked assumed) in
    [crash.roof] / [crash.side], and a known curb sizes its A-pillar at that grade: the
    Fit GE (2009-2014) to its era's 3.747 x its curb with a thicker wall than at the registry's
    hot-stamped grade; the Fit GK (2015-) and a kei import keep the registry's grades."""
    from keidesign.crash.roof import G0, RoofStrengthComp
    from keidesign.specs import build

    assert build.ROOF_ERA_LAST_MODEL_YEAR is None  # not shipped

    def imported(name: str, *extra: str):
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.toml"
        assert main(["import", "vehicle", name, "-o", str(out), *extra]) == 0
        return load_design(out), out.read_text()

    off, text = imported("HONDA FIT", "--file", "us_specs", "--year", "2012")
    assert "[crash.side]" not in text and off["crash:roof:material"] == "hot_stamped_1500"
    monkeypatch.setattr(build, "ROOF_ERA_LAST_MODEL_YEAR", 2009)
    ge, text = imported("HONDA FIT", "--file", "us_specs", "--year", "2012")
    assert (ge["crash:roof:material"], ge["crash:side:material"]) == ("dp_590", "dp_590")
    assert "[crash.side]" in text and "pre-FMVSS 216a design (first US model year 2009" in text
    g = {k: float(ge[k]) for k in RoofStrengthComp.INPUTS if k != "mass:curb"}
    g["mass:curb"] = float(ge["mass:curb_measured"])
    comp = RoofStrengthComp(a_material="dp_590", b_material="dp_590")
    f = float(comp.values(g)["crash:roof:strength"]) * 1e3 / (g["mass:curb"] * G0)
    # the Fit GE is a pre-era design: its ratio the era's (task s33h)
    assert f == pytest.approx(build.ROOF_STRENGTH_TO_WEIGHT_PRE, rel=0.005)
    t_reg = build.roof_pillar_thickness(g["body:height"], g["body:hood_height"],
                                        g["body:windshield_rake"], g["mass:curb"],
                                        build.ROOF_STRENGTH_TO_WEIGHT_PRE)[0]
    assert ge["crash:roof:a_pillar_thickness"] > t_reg + 1.0
    assert off["crash:roof:a_pillar_thickness"] == pytest.approx(t_reg, abs=0.006)
    for args in (("HONDA FIT", "--file", "us_specs", "--year", "2016"),
                 ("Honda N-Box", "--file", "kei", "--index", "0")):
        d, text = imported(*args)
        assert (d["crash:roof:material"], d["crash:side:material"]) == (
            "hot_stamped_1500", "dp_980") and "[crash.side]" not in text


def test_era_pillar_grades_key_and_its_range(monkeypatch):
    """The era key (trial of task s24f, not shipped) reads the generation's first US
    model year: off (None) none; at 2009, at or before it the era's grades, after it none
    (the registry's), none for kei, --predict or a spec without the year; a year outside
    1970-2040 is refused naming the car, value and range."""
    from keidesign.errors import InputError
    from keidesign.specs import build
    from keidesign.specs.sources import Spec

    def spec(year):
        s = Spec(name="Test car", kind="us_specs", source="", header=[])
        s.set("first_model_year", year, "test")
        return s

    assert build.era_pillar_grades(spec(2007), False, False) is None
    monkeypatch.setattr(build, "ROOF_ERA_LAST_MODEL_YEAR", 2009)
    assert build.era_pillar_grades(spec(2009), False, False) == build.ERA_PILLAR_GRADES
    assert build.era_pillar_grades(spec(2010), False, False) is None
    assert build.era_pillar_grades(spec(2007), True, False) is None
    assert build.era_pillar_grades(spec(2007), False, True) is None
    assert build.era_pillar_grades(spec(None), False, False) is None
    with pytest.raises(InputError, match="Test car: first model year 1900; allowed: 1970-2040"):
        build.era_pillar_grades(spec(1900), False, False)


def test_predicted_curb_pillar_is_the_fixed_point():
    """The A-pillar wall sized to the mass model's curb, which carries the pillars' own
    mass (build.predicted_curb_pillar, the not-kept trial of task s24b): without pillar
    mass it is the plain sizing at m_0; with it, the wall sized to the returned curb
    and that curb the run's plus the pillars' change (the fixed point); a light car's
    target below the roof at the thinnest wall is flagged at the registry's bound."""
    from keidesign.specs.build import predicted_curb_pillar, roof_pillar_thickness

    geo = (1500.0, 930.0, 60.0)
    t, m, target, bounded = predicted_curb_pillar(*geo, 1200.0, 0.0, 5.34)
    assert (t, target, bounded) == roof_pillar_thickness(*geo, 1200.0, 5.34) and m == 1200.0
    t, m, target, bounded = predicted_curb_pillar(*geo, 1200.0, 5.6, 5.34)
    assert not bounded and 0.4 < t < 6.0
    assert m == pytest.approx(1200.0 + 5.6 * (t / 1.4 - 1.0), abs=1e-6)
    assert t == pytest.approx(roof_pillar_thickness(*geo, m, 5.34)[0], abs=1e-5)
    # 500 kg since task s33h (the B-pillar's joint share lowered the roof at the
    # thinnest wall: 700 kg now sizes inside the range, 0.45 mm)
    t, _, _, bounded = predicted_curb_pillar(*geo, 500.0, 5.6, 5.34)
    assert t == 0.4 and bounded


def test_predicted_curb_roof_table_when_switched_on(tmp_path, monkeypatch):
    """build.ROOF_SIZE_PREDICTED_CURB (not shipped: False) switched on, as
    benchmarks/roof_curb_trial.py does: the import of a car with neither a published curb
    nor an EPA test weight nor an IIHS outcome curb, the Spark M300 (the MINI R56 until
    task s33h gave it its outcome row's curb), carries a [crash.roof] table whose A-pillar wall
    is sized to the mass model's curb (build._predicted_roof_table, its note naming the
    fixed point), within the registry's bounds of the wall (the trial: at its lower
    bound, 0.4 mm); switched off (shipped) the same import keeps the registry's 1.4 mm."""
    from keidesign import variables
    from keidesign.specs import build

    def imported(tag: str):
        out = tmp_path / f"{tag}.toml"
        assert main(["import", "vehicle", "CHEVROLET Spark", "--file", "us_specs",
                     "--year", "2014", "-o", str(out)]) == 0
        return load_design(out), out.read_text()

    var = variables.get(build.A_PILLAR_T)
    monkeypatch.setattr(build, "ROOF_SIZE_PREDICTED_CURB", True)
    d, text = imported("on")
    assert "[crash.roof]" in text and "the curb the mass model's (none published" in text
    t = float(d[build.A_PILLAR_T])
    assert var.lower <= t <= var.upper and t != float(var.default)
    monkeypatch.setattr(build, "ROOF_SIZE_PREDICTED_CURB", False)
    d, text = imported("off")
    assert "[crash.roof]" not in text and float(d[build.A_PILLAR_T]) == float(var.default)


def test_roof_pillar_thickness_bounds_and_refuses():
    """The A-pillar wall is bounded to the registry's range (a heavy car's target beyond
    it is flagged) and a ratio <= 0 is refused with one message."""
    from keidesign.errors import InputError
    from keidesign.specs.build import roof_pillar_thickness

    t, target, bounded = roof_pillar_thickness(1500.0, 930.0, 60.0, 1100.0, 5.0)
    assert 0.4 < t < 6.0 and not bounded and target == pytest.approx(5.0 * 1100 * 9.80665e-3)
    t, _, bounded = roof_pillar_thickness(1500.0, 930.0, 60.0, 9000.0, 5.0)
    assert t == 6.0 and bounded
    with pytest.raises(InputError, match="roof strength-to-weight ratio: -1.0; allowed: > 0"):
        roof_pillar_thickness(1500.0, 930.0, 60.0, 1100.0, -1.0)
    # the era's weaker grades (task s24f): a thicker wall for the same target, exact
    from keidesign.crash.roof import RoofStrengthComp
    from keidesign.specs import build

    grades = dict(build.ERA_PILLAR_GRADES)
    t0, target, _ = roof_pillar_thickness(1500.0, 930.0, 60.0, 1100.0, 5.0)
    t1, target1, bounded = roof_pillar_thickness(1500.0, 930.0, 60.0, 1100.0, 5.0, grades)
    assert t1 > t0 and target1 == target and not bounded
    g = {k: float(build.variables.get(k).default) for k in RoofStrengthComp.INPUTS
         if k.startswith("crash:")}
    g |= {"body:height": 1500.0, "body:hood_height": 930.0, "body:windshield_rake": 60.0,
          "mass:curb": 1100.0, build.A_PILLAR_T: t1}
    comp = RoofStrengthComp(a_material="dp_590", b_material="dp_590")
    assert float(comp.values(g)["crash:roof:strength"]) == pytest.approx(target, rel=1e-9)


def test_restraint_fits_the_ride_down_space_of_the_cars_pulse(tmp_path):
    """The import changes the registry restraint (25 mm slack, 250 kN/m, 35 kN) as little
    as lets the occupant ride down within the 300 mm space in the car's own pulse
    (keidesign.specs.build.restraint_design): first the slack (1 mm steps, down to 0),
    then the force level (0.01 steps). Checked by hand on the evaluated designs (under
    Campbell's force-crush law, the default since 4 Dec 2026, whose back-loaded pulse
    needs more of the restraint than the staircase did): the Fit GK couples earlier and
    fits (19 mm; it kept the registry restraint under the staircase), 1 mm more slack does
    not; the Tanto (a 38 g kei pulse) and the Fiat 500 (the Fiat fitted by slack alone
    under the staircase) need the slack removed and a stronger restraint, 0.01 less does
    not fit; the Versa N17 (a soft pulse) keeps the registry restraint; --predict writes the
    rule's table too, at the predicted mass (since task s45a; before, none: the registry
    restraint)."""
    from keidesign.cli import main
    from keidesign.evaluation import evaluate_design, resolve_packs

    packs = resolve_packs(["fmvss"])

    def imported(name: str, *extra: str):
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.toml"
        assert main(["import", "vehicle", name, "-o", str(out), *extra]) == 0
        return load_design(out), out.read_text()

    def excursion(d, slack: float | None = None, lam: float | None = None) -> float:
        over = {}
        if slack is not None:
            over["crash:restraint:slack"] = slack
        if lam is not None:
            over.update({"crash:restraint:stiffness": 250.0 * lam,
                         "crash:restraint:load_limit": 35.0 * lam})
        d = d.replace(**over) if over else d
        return float(evaluate_design(d, packs).outputs["crash:front:occupant_excursion"][0])

    fit, text = imported("HONDA FIT", "--file", "us_specs", "--year", "2016")
    slack = fit["crash:restraint:slack"]
    assert fit["crash:restraint:load_limit"] == 35.0  # the slack alone suffices
    assert fit["crash:restraint:stiffness"] == 250.0
    assert 0.0 < slack < 25.0
    assert "[crash.restraint]" in text and "# [assumed] registry default 25 mm ->" in text
    assert excursion(fit) <= 300.0 < excursion(fit, slack=25.0)
    assert excursion(fit, slack=slack + 1.0) > 300.0  # the least change on the grid
    for name, extra in (("Daihatsu Tanto", ("--file", "kei")),
                        ("Fiat 500", ("--file", "us_specs", "--variant", "312"))):
        d, _ = imported(name, *extra)
        lam = d["crash:restraint:load_limit"] / 35.0
        assert d["crash:restraint:slack"] == 0.0, name
        assert d["crash:restraint:stiffness"] == pytest.approx(250.0 * lam, abs=0.006), name
        assert 1.01 < lam < 1.5, name
        assert excursion(d) <= 300.0 < excursion(d, lam=lam - 0.01), name
    versa, _ = imported("NISSAN VERSA S", "--file", "us_specs", "--year", "2014")
    assert versa["crash:restraint:load_limit"] == 35.0
    assert versa["crash:restraint:stiffness"] == 250.0
    assert versa["crash:restraint:slack"] == 25.0
    assert excursion(versa) <= 300.0
    pred, text = imported("Fiat 500", "--file", "us_specs", "--variant", "312", "--predict")
    assert "[crash.restraint]" in text and "restraint_design" in text
    assert pred["crash:restraint:slack"] == 0.0 and pred["crash:restraint:load_limit"] > 35.0
    assert excursion(pred) <= 300.0 < excursion(pred, slack=25.0, lam=1.0)


def test_restraint_rule_applies_to_a_design_file():
    """The rule applied to a design file (benchmarks/crash_probes.py jdm_restraint,
    docs/crash.md): from the Alto class's pulse with the registry restraint (the file
    itself carries the result since 4 Dec 2026),
    ``with_restraint`` writes the rule's slack and force factor (and nothing else), the
    occupant then rides down within the space, and 0.01 less force does not."""
    from keidesign.evaluation import evaluate_design, resolve_packs
    from keidesign.specs.build import design_pulse_inputs, restraint_design, with_restraint

    from_file = load_design(Path(__file__).parents[1] / "studies/designs/alto_class.toml")
    design = with_restraint(from_file, 25.0, 1.0)  # the registry restraint: the rule's start
    slack, lam, exc, exc0 = restraint_design(design_pulse_inputs(design))
    assert exc0 > 300.0 >= exc and slack == 0.0 and lam > 1.0
    ruled = with_restraint(design, slack, lam)
    changed = {k for k in design.values if ruled[k] != design[k]}
    assert changed == {"crash:restraint:slack", "crash:restraint:stiffness",
                       "crash:restraint:load_limit"}
    assert ruled["crash:restraint:load_limit"] == pytest.approx(35.0 * lam)
    for k in changed:  # the design file carries the rule's restraint since 4 Dec 2026
        assert from_file[k] == pytest.approx(ruled[k]), k
    packs = resolve_packs(["fmvss"])

    def excursion(d) -> float:
        return float(evaluate_design(d, packs).outputs["crash:front:occupant_excursion"][0])

    assert excursion(ruled) == pytest.approx(exc, abs=0.5)
    assert excursion(with_restraint(design, slack, lam - 0.01)) > 300.0


def test_published_front_overhang_sets_the_crush_length(tmp_path):
    """A vehicle-file row with a published front overhang (``front_overhang_mm``, status V
    or R) imports with it, marked as the source, and the crush length follows it
    (overhang + 230 mm); a row without one keeps the class share of L - WB, marked
    assumed (the smart fortwo W451, 425 mm published, beside the Scion iQ, none found)."""
    from keidesign.cli import main
    from keidesign.specs.build import CRUSH_BEHIND_AXLE_MM, FRONT_OVERHANG_SHARE

    ft = tmp_path / "ft.toml"
    assert main(["import", "vehicle", "smart fortwo", "--file", "us_specs", "--year", "2013",
                 "-o", str(ft)]) == 0
    smart = load_design(ft)
    assert smart["body:front_overhang"] == 425.0
    line = next(x for x in ft.read_text().splitlines() if x.startswith("front_overhang ="))
    assert "front_overhang_mm" in line and "[assumed]" not in line
    assert smart["crash:front:crush_length"] == 425.0 + CRUSH_BEHIND_AXLE_MM
    iq = tmp_path / "iq.toml"
    assert main(["import", "vehicle", "SCION iQ", "--file", "us_specs", "-o", str(iq)]) == 0
    d = load_design(iq)
    share = FRONT_OVERHANG_SHARE["us"]
    assert d["body:front_overhang"] == round(share * (2985.0 - 1999.0))
    line = next(x for x in iq.read_text().splitlines() if x.startswith("front_overhang ="))
    assert "[assumed]" in line


def test_bad_published_overhang_is_one_clear_message():
    """A front overhang that does not fit its row's length and wheelbase names the field,
    the value and the allowed range; an assumed (status A) value is not used."""
    from keidesign.errors import InputError
    from keidesign.specs.sources import Spec, _overhang_fact

    row = {"length_mm": "3000", "wheelbase_mm": "2000", "front_overhang_mm": "1000",
           "overhang_source": "x", "overhang_status": "V"}
    with pytest.raises(InputError, match=r"front_overhang_mm = 1000 mm; allowed: more than "
                                         r"0 and less than length_mm - wheelbase_mm = 1000"):
        _overhang_fact(Spec("x", "us_specs", "x", []), row, "row")
    spec = Spec("x", "us_specs", "x", [])
    _overhang_fact(spec, {**row, "front_overhang_mm": "600", "overhang_status": "A"}, "row")
    assert "front_overhang" not in spec.facts
    _overhang_fact(spec, {**row, "front_overhang_mm": "600"}, "row")
    assert spec.get("front_overhang") == 600.0


@pytest.mark.parametrize("name", ["us_specs.csv", "kei.csv"])
def test_published_overhangs_add_up_to_length_less_wheelbase(name):
    """Every published front/rear overhang pair of the vehicle files sums to the row's
    L - WB within 10 mm (a larger gap is a different body or a typo), and carries its
    source and a status V/R/A."""
    import csv
    from importlib import resources

    path = resources.files("keidesign") / "data" / "vehicles" / name
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["front_overhang_mm"]]
    for r in rows:
        assert r["overhang_source"].strip() and r["overhang_status"] in {"V", "R", "A"}, r
        if r["rear_overhang_mm"]:
            total = float(r["length_mm"]) - float(r["wheelbase_mm"])
            pair = float(r["front_overhang_mm"]) + float(r["rear_overhang_mm"])
            assert abs(pair - total) <= 10.0, (r.get("model"), pair, total)


def test_us_specs_open_roof_is_read_with_its_source(tmp_path):
    """An open us_specs.csv generation (``roof = open``, the MX-5 ND) imports with
    ``body.roof = "open"`` and its source and status on the line, from the vehicle row and
    through the EPA join (an EPA configuration whose us_specs row is open); a fixed-roof
    row (the Fit GE) sets nothing, so its design file keeps the registry's fixed roof."""
    mx5 = tmp_path / "mx5.toml"
    assert main(["import", "vehicle", "MX-5", "--file", "us_specs", "--variant", "ND",
                 "-o", str(mx5)]) == 0
    assert load_design(mx5)["body:roof"] == "open"
    line = next(x for x in mx5.read_text().splitlines() if x.startswith("roof ="))
    assert "us_specs.csv line 87" in line and "status R" in line and "kramermazda" in line
    assert "[assumed]" not in line
    car = _first(lambda c: c.model == "MX-5" and c.year == 2017)
    assert sources.us_specs_for(car).line == 87
    spec = sources.epa_spec(car=car)
    assert spec.get("roof") == "open" and "published body type" in spec.facts["roof"].note
    fit = tmp_path / "fit.toml"
    assert main(["import", "vehicle", "FIT", "--file", "us_specs", "--index", "0",
                 "-o", str(fit)]) == 0
    assert load_design(fit)["body:roof"] == "fixed"
    assert not any(x.startswith("roof =") for x in fit.read_text().splitlines())
    fit_car = _first(lambda c: (sr := sources.us_specs_for(c)) is not None and sr.line == 2)
    assert sources.epa_spec(car=fit_car).get("roof") is None


def test_us_specs_roof_column():
    """Every us_specs.csv row says fixed or open; an open row names its source and a
    status V or R; a bad value is one clear message naming the field, value and choices."""
    import csv
    from importlib import resources

    from keidesign.errors import InputError
    from keidesign.specs.sources import Spec, _roof_fact

    path = resources.files("keidesign") / "data" / "vehicles" / "us_specs.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["roof"] for r in rows} <= {"fixed", "open"}
    opened = [r for r in rows if r["roof"] == "open"]
    assert {(r["model"], r["generation"]) for r in opened} >= {
        ("MX-5", "NC (3rd gen)"), ("MX-5", "ND (4th gen) 2.0")}
    for r in opened:
        assert r["roof_source"].startswith("http") and r["roof_status"] in {"V", "R"}, r
    with pytest.raises(InputError, match=r"row: roof = 'targa'; allowed: fixed, open or "
                                         r"blank \(fixed\)"):
        _roof_fact(Spec("x", "us_specs", "x", []), {"roof": "targa"}, "row")


def test_us_specs_seats_layout_columns():
    """us_specs.csv's ``seats`` / ``layout`` columns: blank or a seat count 1-9 and a
    registered layout; a filled row names its source and a status V or R (the smart
    fortwo rows: 2, rear); a bad value is one clear message naming the field, value and
    what is allowed."""
    import csv
    from importlib import resources

    from keidesign.errors import InputError
    from keidesign.specs.sources import LAYOUT_VALUES, Spec, _seats_layout_facts

    path = resources.files("keidesign") / "data" / "vehicles" / "us_specs.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["seats"] for r in rows} <= {""} | {str(n) for n in range(1, 10)}
    assert {r["layout"] for r in rows} <= {"", *LAYOUT_VALUES}
    for r in rows:
        filled = bool(r["seats"] or r["layout"])
        assert filled == bool(r["seats_layout_source"].strip()), r["model"]
        assert filled == (r["seats_layout_status"] in {"V", "R"}), r["model"]
    smart = [r for r in rows if r["make"] == "smart"]
    assert len(smart) == 3 and all((r["seats"], r["layout"]) == ("2", "rear") for r in smart)
    for row, msg in (({"seats": "two"}, r"row: seats = 'two'; allowed: an integer 1-9 or "
                                        r"blank"),
                     ({"layout": "boot"}, r"row: layout = 'boot'; allowed: front, rear, mid, "
                                          r"underfloor or blank")):
        with pytest.raises(InputError, match=msg):
            _seats_layout_facts(Spec("x", "us_specs", "x", []), row, "row")


def _words_twice(name: str) -> bool:
    w = name.lower().replace("(", " ").split()
    return any(a == b or (b.startswith(a) and b[len(a):].isdigit())
               for a, b in zip(w, w[1:], strict=False))


@pytest.mark.parametrize("args", [
    ["epa", "--year", "2013", "--make", "NISSAN", "--model", "NISSAN LEAF S"],
    ["epa", "--year", "2013", "--make", "CODA"],
    ["epa", "--year", "2014", "--make", "MAZDA", "--model", "MAZDA3", "--index", "0"],
    ["vehicle", "VERSA NOTE", "--file", "us_specs"],
    ["vehicle", "Honda N-Box", "--index", "0"],
    ["epa", "--year", "2017", "--make", "HONDA", "--model", "FIT", "--index", "0"]],
    ids=["epa-nissan", "epa-coda", "epa-mazda3", "us_specs-nissan", "kei", "epa-honda"])
def test_design_name_says_the_make_once(args, capsys):
    """EPA and us_specs.csv rows whose model repeats the make (NISSAN / 'NISSAN LEAF S',
    CODA / 'CODA', MAZDA / 'MAZDA3') used to be named 'Nissan NISSAN LEAF S'."""
    assert main(["import", *args]) == 0
    name = tomllib.loads(capsys.readouterr().out)["design"]["name"]
    assert not _words_twice(name), name
    assert name.split()[0 if args[0] == "vehicle" else 1] in (
        "Nissan", "Coda", "Mazda3", "Honda")


def test_every_epa_and_us_specs_name_says_the_make_once():
    names = [sources.vehicle_name(c.make, c.model) for c in tc.test_cars()]
    names += [sources.vehicle_name(vr.row["make"], vr.row["model"])
              for vr in sources.vehicle_rows("us_specs")]
    assert [n for n in names if _words_twice(n)] == []
    assert sources.vehicle_name("HONDA", "FIT") == "Honda FIT"
    assert sources.vehicle_name("TESLA MODEL 3", "Long Range") == "Tesla Model 3 Long Range"
    assert sources.vehicle_name("KIA", "KIAXX") == "KIA KIAXX"  # not the make plus a digit
    assert sources.vehicle_name("BMW", "I3s") == "BMW I3s"  # initials stay (not "Bmw")
    assert sources.vehicle_name("MERCEDES-BENZ", "B") == "Mercedes-Benz B"


def test_ambiguous_epa_list_tells_every_configuration_apart(capsys):
    """Configurations of one vehicle id (2013 LEAF SL, KMB102) differ by their tests:
    each listed line is distinct."""
    assert main(["import", "epa", "--year", "2013", "--make", "NISSAN", "--model",
                 "LEAF"]) == 2
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip().startswith("[")]
    assert len(lines) >= 3
    rest = [ln.split("]", 1)[1] for ln in lines]
    assert len(set(rest)) == len(rest) and all("test " in r for r in rest)
    assert not any("NISSAN NISSAN" in r for r in rest)


def test_a_year_whose_epa_rows_carry_over_earlier_tests_names_that_year(capsys):
    """The EPA file lists the 2019 Honda Fit again with the 2018 tests (the same test
    numbers), kept once in the 2018 configuration: ``--year 2019 --model FIT`` said no
    2019 Honda matched 'FIT' and offered the 2019 Civics (new-user pass s36d). It now
    names the year that holds the tests; a name that is not in the file still gets the
    near names."""
    assert main(["import", "epa", "--year", "2019", "--make", "HONDA", "--model",
                 "FIT"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("keidesign: error: --year 2019: the EPA file's 2019 HONDA FIT rows carry "
                   "over the tests of model year 2018 (a carried-over test is one "
                   "measurement, kept once, in that year's configuration); allowed: "
                   "--year 2018"), err
    assert main(["import", "epa", "--year", "2018", "--make", "HONDA", "--model",
                 "FIT"]) == 2            # two 2018 configurations: the choice list
    assert "EPA test-car configurations (2018 HONDA FIT)" in capsys.readouterr().err
    assert main(["import", "epa", "--year", "2019", "--make", "HONDA", "--model",
                 "FOO"]) == 2
    assert "no EPA test car of 2019 by HONDA matches 'FOO'; near names:" in (
        capsys.readouterr().err)


def test_goods_vehicle_spec(tmp_path, capsys):
    """``vehicle.use = "goods"`` (a kei van): the design says ``body.use = "goods"`` and its
    payload is the rated crew (2 x 55 kg; 1 x 55 kg for a one-seater,
    keidesign.catalogue.mass.goods_crew) + the maximum load (the kei limit 350 kg unless
    mass.max_load gives it); a non-kei goods vehicle must give its load."""
    base = ('[vehicle]\nname = "van"\nuse = "goods"\n{extra}\n[dimensions]\nlength = {L}\n'
            'width = 1475\nheight = 1890\nwheelbase = 2430\n{mass}\n[engine]\n'
            'displacement = 658\npower = 37\n')
    for extra, mass, length, payload in (("", "", 3395, 460.0),
                                         ("", "[mass]\nmax_load = 250", 3395, 360.0),
                                         ("seats = 1", "", 3395, 405.0)):
        spec = tmp_path / "van.toml"
        spec.write_text(base.format(extra=extra, mass=mass, L=length), encoding="utf-8")
        out = tmp_path / "van_design.toml"
        assert main(["import", "spec", str(spec), "-o", str(out), "--force"]) == 0
        d = load_design(out)
        assert d["body:use"] == "goods" and d["mass:payload"] == payload
    spec.write_text(base.format(extra="", mass="", L=4400), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "spec", str(spec)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "mass.max_load" in err and "goods" in err


def _hybrid_design(pred) -> tuple[tc.TestCar, dict, str]:
    """The --predict import of the first EPA hybrid matching ``pred``: the car, the
    parsed design file and its text."""
    from keidesign.specs.build import build_design

    car = _first(lambda c: c.cls == "hybrid" and pred(c))
    header, tables = build_design(sources.epa_spec(car=car), predict=True)
    text = design_text(header, tables)
    return car, tomllib.loads(text), text


def _comment(text: str, key: str) -> str:
    """The comment of ``key = ...`` in the [powertrain.ice] or [powertrain] table."""
    line = next(ln for ln in text.splitlines() if ln.startswith(f"{key} = "))
    return line.split("#", 1)[1]


def test_epa_hybrid_import_carries_its_published_system():
    """An EPA hybrid row imported with --predict gets its hybrid_systems.csv row (the
    join of the (a) validation): published motor power, the architecture's layout, the
    motor's own reduction, the traction pack and the engine's published ratio, each
    naming the row; the pack resistance (cells x an assumed per-cell value, status A)
    marked assumed; the tested gearbox; no measured mass or coast-down."""
    car, d, text = _hybrid_design(lambda c: c.model == "PRIUS c" and c.year == 2017)
    h = tc.hybrid_system(car)
    ice, pt = d["powertrain"]["ice"], d["powertrain"]
    assert ice["hybrid"] == "hev" and pt["transmission"] == "cvt"
    assert ice["hev_motor_power"] == h.motor_kw == 45.0
    assert ice["hev_layout"] == "full" and "hev_motor_on_gearbox" not in ice
    assert ice["hev_motor_reduction"] == pytest.approx(h.motor_reduction)
    assert ice["hev_battery_voltage"] == h.battery_v
    assert ice["hev_battery_resistance"] == pytest.approx(
        h.battery_cells * h.battery_cell_mohm * 1e-3, rel=1e-3)
    assert ice["compression_ratio"] == h.compression_ratio == 13.4
    row = f"hybrid_systems.csv line {h.line}"
    for key in ("hev_motor_power", "hev_layout", "hev_motor_reduction",
                "hev_battery_voltage", "compression_ratio"):
        assert "source:" in _comment(text, key) and row in _comment(text, key), key
    assert "[assumed]" in _comment(text, "hev_battery_resistance")
    assert "[assumed]" in _comment(text, "hev_battery_energy")
    assert "curb_measured" not in d.get("mass", {}) and "coastdown" not in d.get("road", {})
    # a P2 hybrid: its dual-clutch box, the motor on the gearbox input
    car, d, text = _hybrid_design(lambda c: c.model == "IONIQ")
    assert d["powertrain"]["transmission"] == "dct6"
    assert d["powertrain"]["ice"]["hev_motor_on_gearbox"] is True
    assert "p2_parallel" in _comment(text, "hev_motor_on_gearbox")
    # a crankshaft (IMA) hybrid without a published ratio: mild, the import's default ratio
    car, d, text = _hybrid_design(lambda c: c.model.startswith("CR-Z")
                                  and c.trans_text == "Manual")
    ice = d["powertrain"]["ice"]
    assert d["powertrain"]["transmission"] == "mt6" and ice["hev_layout"] == "mild"
    assert ice["hev_motor_power"] == tc.hybrid_system(car).motor_kw
    assert "[assumed]" in _comment(text, "compression_ratio")


def test_open_body_cd_is_the_open_two_seaters_median(tmp_path):
    """``vehicle.roof = "open"`` without a published Cd: the median top-closed Cd of the
    open two-seaters of ``open_body_cd.csv`` (recomputed here from the file: 37
    generations of 18 families, 0.35) for two seats, kei and non-kei alike, marked
    assumed with its count; a fixed roof or four seats keep the kei hatch's 0.32 and a
    published Cd wins."""
    import csv
    import statistics
    from importlib import resources

    from keidesign.specs.build import open_body_cd

    ref = resources.files("keidesign").joinpath("data", "vehicles", "open_body_cd.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cds = [float(r["cd_open"]) for r in rows]
    assert all(r["source"] and r["status"] in ("V", "R") for r in rows)
    med = round(statistics.median(cds), 3)
    assert open_body_cd() == (med, len(rows), len({r["family"] for r in rows}))
    assert (med, len(rows)) == (0.35, 37)
    base = ('[vehicle]\nname = "roadster"\nseats = 2\n{roof}\n[dimensions]\nlength = {L}\n'
            'width = {W}\nheight = 1250\nwheelbase = 2300\n[engine]\ndisplacement = {cc}\n'
            'power = 47\n{cd}')
    cases = (('roof = "open"', 3395, 1475, 658, "", med),            # kei roadster
             ('roof = "fixed"', 3395, 1475, 658, "", 0.32),          # kei hatch
             ('roof = "open"', 3990, 1730, 1998, "", med),           # non-kei roadster
             ('roof = "open"', 3395, 1475, 658, "[aero]\ncd = 0.40", 0.40),
             ('roof = "open"', 3395, 1475, 658, "seats4", 0.32))    # four-seat open kei
    for roof, length, width, cc, cd, want in cases:
        spec = tmp_path / "roadster.toml"
        text = base.format(roof=roof, L=length, W=width, cc=cc,
                           cd="" if cd == "seats4" else cd)
        if cd == "seats4":
            text = text.replace("seats = 2", "seats = 4")
        spec.write_text(text, encoding="utf-8")
        out = tmp_path / "roadster_design.toml"
        assert main(["import", "spec", str(spec), "-o", str(out), "--force"]) == 0
        assert load_design(out)["road:cd"] == pytest.approx(want)
        line = next(ln for ln in out.read_text(encoding="utf-8").splitlines()
                    if ln.startswith("cd = "))
        if want == med:
            assert "[assumed]" in line and f"the {len(rows)} open two-seater" in line



def test_one_box_cd_data_and_the_rule_not_shipped(tmp_path):
    """``one_box_cd.csv`` (probe ``one_box_cd``): one row per van generation, each with a
    source and a status, a Cd in the published range, a front and an engine class; 23
    generations of 18 families (the Astro and the 600 Multipla since 5 Dec 2026, s22h5;
    the Suzuki APV and the V-Klasse W638 since s25d), median 0.35. The cab-over fronts
    are three families since the APV (the 3 the one-box rule asks), two of them
    rear-engined; by engine position (``vehicle.layout = "underfloor"``) two families.
    The VW T1 row is the median of the generation's two quoted figures since task s26a
    (the 1949 development figure 0.48 and Classic Car Weekly's 0.44: 0.46; the rule's
    one row per generation, cd the median of its quoted figures), the Previa XR10 row
    likewise (Car and Driver's 0.34 and the Estima's 0.35: 0.345). Until a default ships
    a cab-over kei wagon without a published Cd keeps the tall-boy 0.38 (assumed)."""
    import csv
    import statistics
    from importlib import resources

    ref = resources.files("keidesign").joinpath("data", "vehicles", "one_box_cd.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["source"] and r["status"] in ("V", "R") for r in rows)
    assert all(0.25 <= float(r["cd"]) <= 0.6 and int(r["n_records"]) >= 1 for r in rows)
    assert {r["front"] for r in rows} <= {"cab-over", "short-nose", "car-derived"}
    assert {r["engine"] for r in rows} <= {"front", "rear", "underfloor"}
    keys = [(r["family"], r["generation"]) for r in rows]
    assert len(keys) == len(set(keys))
    cds = [float(r["cd"]) for r in rows]
    assert (len(rows), len({r["family"] for r in rows})) == (23, 18)
    assert round(statistics.median(cds), 3) == 0.35
    under = {r["family"]: r["front"] for r in rows if r["engine"] == "underfloor"}
    assert under == {"Toyota Previa / Estima": "short-nose", "Suzuki APV": "cab-over"}
    # the cab-over fronts with a published Cd (docs/validation.md, "A one-box body's
    # Cd": the rule asks 3 families; "The unseen-family error taken apart": 5 cars)
    cab = {r["family"]: (r["engine"], float(r["cd"])) for r in rows
           if r["front"] == "cab-over"}
    assert cab == {"Volkswagen Type 2": ("rear", 0.46), "Fiat 600 Multipla": ("rear", 0.5),
                   "Suzuki APV": ("underfloor", 0.45)}
    # the T1's two quoted figures, each named in its source (s26a)
    t1 = next(r for r in rows if r["family"] == "Volkswagen Type 2")
    assert int(t1["n_records"]) == 2
    assert float(t1["cd"]) == pytest.approx(statistics.median([0.48, 0.44]))
    assert "VW Heritage" in t1["source"] and "Classic Car Weekly" in t1["source"]
    # the Previa XR10 (short-nose, under the floor): Car and Driver's 0.34 and the
    # Japanese Estima's 0.35 (bestcarweb), one generation, their median (s26a)
    xr10 = next(r for r in rows if r["family"] == "Toyota Previa / Estima")
    assert (int(xr10["n_records"]), float(xr10["cd"])) == (2, 0.345)
    assert "Car and Driver" in xr10["source"] and "bestcarweb" in xr10["source"]
    spec = tmp_path / "wagon.toml"
    spec.write_text('[vehicle]\nname = "cab-over wagon"\nlayout = "underfloor"\n'
                    'drive = "rwd"\n[dimensions]\nlength = 3395\nwidth = 1475\n'
                    'height = 1815\nwheelbase = 2430\n[engine]\ndisplacement = 658\n'
                    'power = 47\nturbo = true\n', encoding="utf-8")
    out = tmp_path / "wagon_design.toml"
    assert main(["import", "spec", str(spec), "-o", str(out), "--force"]) == 0
    assert load_design(out)["road:cd"] == pytest.approx(0.38)
    line = next(ln for ln in out.read_text(encoding="utf-8").splitlines()
                if ln.startswith("cd = "))
    assert "[assumed]" in line and "tall-boy" in line


def test_one_box_cd_probe_holds_out_by_family(capsys):
    """``python benchmarks/validation_probes.py one_box_cd`` (~1 s): the van median held
    out by family (0.35-0.36) beats the tall-boy 0.38 on the 23 rows; the one-box rule
    on the cab-over front (3 families, the class median held out by family against the
    current 0.38) is met, the unseen_parts 5-car clause not (3 bodies; re-evaluated with
    the T1 at the median of its two quoted figures, 0.46, task s26a: class median 0.46,
    held-out MAE 0.030 against 0.090)."""
    import sys

    root = Path(__file__).resolve().parents[1]
    if str(root / "benchmarks") not in sys.path:
        sys.path.insert(0, str(root / "benchmarks"))
    import validation_probes as vp

    rows = vp.one_box_rows()
    held = vp.one_box_lofo(rows)
    assert {round(med, 3) for _, med in held} <= {0.35, 0.355, 0.36}
    mae = sum(abs(med - r["cd"]) for r, med in held) / len(held)
    assert mae < sum(abs(0.38 - r["cd"]) for r in rows) / len(rows)
    rule = vp.one_box_class_rule(rows)
    assert (rule["n"], rule["families"], rule["median"]) == (3, 3, 0.46)
    assert {r["family"]: round(m, 3) for r, m in rule["held"]} == {
        "Volkswagen Type 2": 0.475, "Fiat 600 Multipla": 0.455, "Suzuki APV": 0.48}
    assert rule["mae_held"] == pytest.approx(0.09 / 3)
    assert rule["mae_current"] == pytest.approx(0.27 / 3)
    assert rule["passes"]
    # two families (the rows before the APV) are fewer than the rule asks
    assert not vp.one_box_class_rule([r for r in rows if r["family"] != "Suzuki APV"])[
        "passes"]
    assert vp.main(["one_box_cd"]) == 0
    out = capsys.readouterr().out
    assert "23 generations of 18 families" in out
    assert "rule met: a class default of the cab-over median may ship" in out
    assert "the unseen_parts ship rule asks >= 5: not met" in out


def test_offroad_cd_is_the_ladder_frame_median(tmp_path):
    """``vehicle.frame = "ladder"`` on a passenger body with the engine ahead of the cabin
    and no published Cd: the median Cd of the ladder-frame SUV generations of
    ``offroad_cd.csv`` (recomputed here: 40 generations of 25 families, 0.40), kei and
    non-kei alike, assumed, its body and count in the comment; a ladder-frame kei truck
    or cab-over (goods, or the engine under the floor) keeps the tall-boy 0.38, a
    unibody keeps its class's value and a published Cd wins."""
    import csv
    import statistics
    from importlib import resources

    from keidesign.specs.build import OFFROAD_BODY, offroad_cd

    ref = resources.files("keidesign").joinpath("data", "vehicles", "offroad_cd.csv")
    with ref.open("r", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["source"] and r["status"] in ("V", "R") for r in rows)
    keys = [(r["family"], r["generation"]) for r in rows]
    assert len(keys) == len(set(keys))
    med = round(statistics.median(float(r["cd"]) for r in rows), 3)
    assert offroad_cd() == (med, len(rows), len({r["family"] for r in rows}))
    assert (med, len(rows), len({r["family"] for r in rows})) == (0.4, 40, 25)
    base = ('[vehicle]\nname = "box"\n{veh}\n[dimensions]\nlength = {L}\nwidth = {W}\n'
            'height = {H}\nwheelbase = 2250\n[engine]\ndisplacement = {cc}\npower = 47\n'
            '{cd}')
    cases = (('frame = "ladder"\ndrive = "4wd"', 3395, 1475, 1725, 658, "", med),  # Jimny
             ('frame = "ladder"', 4300, 1800, 1800, 2000, "", med),       # non-kei
             ('frame = "ladder"\nuse = "goods"\nlayout = "underfloor"\ndrive = "rwd"',
              3395, 1475, 1765, 658, "", 0.38),                           # kei truck
             ('frame = "ladder"\nlayout = "underfloor"\ndrive = "rwd"',
              3395, 1475, 1815, 658, "", 0.38),                           # cab-over wagon
             ('frame = "ladder"\nuse = "goods"', 3395, 1475, 1725, 658, "", 0.38),
             ('frame = "unibody"', 3395, 1475, 1725, 658, "", 0.38),      # kei tall-boy
             ('frame = "ladder"', 3395, 1475, 1725, 658, "[aero]\ncd = 0.52", 0.52))
    for veh, length, width, height, cc, cd, want in cases:
        spec = tmp_path / "box.toml"
        spec.write_text(base.format(veh=veh, L=length, W=width, H=height, cc=cc, cd=cd),
                        encoding="utf-8")
        out = tmp_path / "box_design.toml"
        assert main(["import", "spec", str(spec), "-o", str(out), "--force"]) == 0, veh
        assert load_design(out)["road:cd"] == pytest.approx(want), veh
        line = next(ln for ln in out.read_text(encoding="utf-8").splitlines()
                    if ln.startswith("cd = "))
        if want == med:
            assert "[assumed]" in line and OFFROAD_BODY in line
            assert f"the {len(rows)} ladder-frame SUV generations (25 families)" in line
        else:
            assert "ladder-frame SUV" not in line


@pytest.mark.parametrize("field, value, allowed", [
    ("cd", "1", "from 0.2 to 0.99"), ("cd", "", "from 0.2 to 0.99"),
    ("cd", "0.4x", "from 0.2 to 0.99"), ("n_records", "0", "a whole number >= 1"),
    ("family", "", "a non-empty name")])
def test_offroad_rows_refuse_a_bad_row(tmp_path, field, value, allowed):
    """A bad row of an ``offroad_cd.csv`` is one InputError line naming the file, the line,
    the field, the value and what is allowed."""
    import csv

    from keidesign.errors import InputError
    from keidesign.specs.build import offroad_rows

    rows = [{"family": "A", "generation": "I", "cd": "0.45", "n_records": "2"},
            {"family": "B", "generation": "II", "cd": "0.40", "n_records": "3"}]
    rows[1][field] = value
    path = tmp_path / "offroad_cd.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(InputError) as exc:
        offroad_rows(path)
    msg = str(exc.value)
    assert "\n" not in msg and "offroad_cd.csv line 3" in msg
    assert f"{field} = {value!r}" in msg and allowed in msg


def test_offroad_cd_probe_holds_out_by_family(capsys):
    """``python benchmarks/validation_probes.py offroad_cd`` (~10 s): the ladder-frame
    median held out by family beats the tall-boy 0.38 it replaces on the 40 rows, and the
    rule (>= 3 families) is reported met."""
    import sys

    root = Path(__file__).resolve().parents[1]
    if str(root / "benchmarks") not in sys.path:
        sys.path.insert(0, str(root / "benchmarks"))
    import validation_probes as vp

    from keidesign.specs.build import offroad_rows

    rows = offroad_rows()
    held = vp._offroad_lofo(rows, rows)
    mae = sum(abs(m - r["cd"]) for r, m in held) / len(held)
    assert mae < sum(abs(0.38 - r["cd"]) for r in rows) / len(rows)
    assert vp.main(["offroad_cd"]) == 0
    out = capsys.readouterr().out
    assert "40 generations of 25 families" in out and "25 families: met" in out


def test_spec_name_with_an_ideographic_space_imports(tmp_path):
    """MLIT's lists write Japanese names with U+3000 between words ("アルト　ラパン"):
    the spec reader refused it as "a control character" (s17h6)."""
    spec = tmp_path / "s.toml"
    spec.write_text('[vehicle]\nname = "アルト\u3000ラパン"\n[dimensions]\nlength = 3395\n'
                    'width = 1475\nheight = 1525\nwheelbase = 2460\n[engine]\n'
                    'displacement = 658\npower = 38\n', encoding="utf-8")
    out = tmp_path / "d.toml"
    assert main(["import", "spec", str(spec), "--output", str(out)]) == 0
    assert load_design(out).name == "アルト\u3000ラパン"
    assert main(["check", str(out)]) == 0


def test_restraint_cache_gives_the_same_file(tmp_path, monkeypatch):
    """The console command's on-disk restraint rule (keidesign.specs.resultcache): a
    cached import writes the same file as a computed one, reads without running the
    model, and is used only with ``cache=True`` (never by a caller in-process)."""
    from keidesign.specs import build

    monkeypatch.setenv("KEIDESIGN_CACHE_DIR", str(tmp_path))

    def text(cache: bool) -> str:
        spec = sources.vehicle_spec("Suzuki Alto", None, None, None, None, None, 0)
        return design_text(*build.build_design(spec, cache=cache))

    computed = text(False)
    assert not (tmp_path / "restraint").exists()  # no cache unless asked
    assert text(True) == computed  # cold: computed and kept
    assert len(list((tmp_path / "restraint").glob("*.json"))) == 1

    def no_model(design):
        raise AssertionError("the model ran on a cached design")

    monkeypatch.setattr(build, "design_pulse_inputs", no_model)
    assert text(True) == computed  # warm: read back, the same file
    for f in (tmp_path / "restraint").glob("*.json"):
        f.write_text("{not json", encoding="utf-8")  # a damaged entry is recomputed
    monkeypatch.undo()
    monkeypatch.setenv("KEIDESIGN_CACHE_DIR", str(tmp_path))
    assert text(True) == computed
    monkeypatch.setenv("KEIDESIGN_CACHE_DIR", "")  # switched off
    assert text(True) == computed


def test_spec_file_gives_a_staggered_cars_other_axle(tmp_path):
    """``dimensions.tyre_other`` of a spec file: the other axle's size, two of the wheel
    corners (body.tyre_other_*); the driven axle's stays ``dimensions.tyre``."""
    from keidesign.mass.components import other_axle_tyre

    text = USER_SPEC_ICE.replace('[dimensions]\n', '[dimensions]\ntyre = "175/55R15"\n'
                                 'tyre_other = "155/60R15"\n')
    assert "tyre_other" in text
    spec = tmp_path / "s.toml"
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "d.toml"
    assert main(["import", "spec", str(spec), "--output", str(out)]) == 0
    design = load_design(out)
    assert other_axle_tyre(design.values) == (155.0, 60.0, 15.0)
    assert design["body:tyre_width"] == 175.0
    plain = tmp_path / "p.toml"
    spec.write_text(USER_SPEC_ICE, encoding="utf-8")
    assert main(["import", "spec", str(spec), "--output", str(plain)]) == 0
    assert other_axle_tyre(load_design(plain).values) is None


def test_restraint_comment_says_an_unchanged_restraint_once(monkeypatch):
    """When the registry restraint already fits (slack and factor unchanged) the comment
    says so once: it read '267 mm at slack 25 mm x1, 267 mm at slack 25 mm x1.00'."""
    from keidesign.specs import build, resultcache

    kept = [25.0, 1.0, 267.0, 267.0, 300.0, 25.0]   # slack, lam, exc, exc0, space, s0
    monkeypatch.setattr(resultcache, "read", lambda text, valid=None: kept)
    t = build._restraint_table([], [], cache=True)
    note = next(e.note for e in t.entries if e.key == "slack")
    assert "registry default 25 mm, kept" in note and note.count("267 mm") == 1, note
    assert "x1.00" not in note and "->" not in note, note
    changed = [12.0, 1.0, 298.0, 331.0, 300.0, 25.0]
    monkeypatch.setattr(resultcache, "read", lambda text, valid=None: changed)
    note = next(e.note for e in build._restraint_table([], [], cache=True).entries
                if e.key == "slack")
    assert "25 mm -> 12 mm" in note and "331 mm at slack 25 mm x1, 298 mm at slack 12 mm" \
        in note, note
