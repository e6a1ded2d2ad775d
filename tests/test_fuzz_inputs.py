"""Property-based fuzzing of everything a user's file can hold (issue 12).

Four properties, each over generated hostile and careless inputs:

* the units grammar (:mod:`keidesign.units`) returns a unit or a ``UnitsError``, and a
  unit it returns re-parses from its canonical text to the same unit;
* a design file with generated values, keys and raw text, through ``keidesign check``;
* a rule pack with generated constraint fields, through ``keidesign rules``;
* a study file with generated fields, through the study parser ``keidesign`` uses.

Each input must end in success or one ``InputError`` line naming the file (and for a
value, the field), within a bounded time (a ``SIGALRM`` guard per input), and OpenMDAO's
``eval``-based unit parser is replaced by a trap for the whole run: no user text may
reach it. The normal suite runs a few hundred inputs per property;
``python benchmarks/fuzz_inputs.py`` runs 10,000 or more (``KEIDESIGN_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import copy
import math
import os
import tomllib

import pytest
from conftest import DESIGNS, ROOT, bounded_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz_design import _leaves
from test_import import USER_SPEC, USER_SPEC_ICE

from keidesign import units as ku
from keidesign.cli import main
from keidesign.errors import InputError
from keidesign.studies.spec import load_study

EXAMPLES = int(os.environ.get("KEIDESIGN_FUZZ_EXAMPLES", "150"))
PER_INPUT_LIMIT_S = 20  # hang guard per input, not a performance bound
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 500,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

UNIT_ALPHABET = "mkgsNWhLlbfitnuc0123456789*/()-+._ '\"[]{},;:=\\!\n\té\u00a0"
UNIT_WORDS = ["mm", "m", "kg", "N", "kN", "s", "h", "mi", "galUS", "degC", "degF", "inch",
              "unitless", "percent", "**", "*", "/", "1", "-", "9", "(", ")", "__class__",
              "__import__", "eval", ".", "'", "lambda", " "]


def _bounded(seconds: int = PER_INPUT_LIMIT_S):
    return bounded_time(seconds)


@pytest.fixture(autouse=True)
def _no_openmdao_unit_parser(monkeypatch):
    """Fail if anything hands a unit string that is not one of the registry's own units
    to OpenMDAO's eval-based parser (the import builds and runs the model, whose
    variables carry the registry units; a user's text must never get there)."""
    from openmdao.utils import units as om_units

    from keidesign import variables as reg

    trusted = {v.units for v in reg.variables() if v.units}
    real = om_units._find_unit

    def trap(unit, error=False):
        if isinstance(unit, str) and unit in trusted:
            return real(unit, error)
        raise AssertionError(f"OpenMDAO's unit parser was called with {unit!r}")

    monkeypatch.setattr(om_units, "_find_unit", trap)


def unit_texts() -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(UNIT_WORDS), max_size=12).map("".join)
    chars = st.text(UNIT_ALPHABET, max_size=80)
    big = st.integers(0, 12).map(lambda k: "m" + "*m" * (3 * k) + "**" + "9" * k)
    return st.one_of(words, chars, big, st.text(max_size=40))


def leaf_values() -> st.SearchStrategy:
    number_text = st.builds(lambda x, u: f"{x} {u}", st.floats(allow_nan=False), unit_texts())
    scalars = st.one_of(
        st.integers(-(10**30), 10**30), st.integers(10**300, 10**420), st.floats(),
        st.booleans(), st.text(max_size=60), unit_texts(), number_text,
        st.sampled_from(["1790 9**9**9", "3_395 mm", "3395 mm mm", "1e99999 mm", "",
                         "-" * 5000 + "1", "1790 " + "(" * 500 + "mm" + ")" * 500]))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text("abcxyz_", min_size=1,
                                                             max_size=6), inner, max_size=3)),
        max_leaves=6)


def _toml(value) -> str:
    """TOML for any generated value (strings escaped, big ints and nan/inf as TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}"
                             for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + "}"


def _set(doc: dict, path: tuple, value) -> None:
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value


def _check_one_line(code: int, err: str, fname: str, field: str | None = None) -> None:
    assert "Traceback" not in err
    if code == 0:
        return
    assert code == 2, (code, err)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("keidesign: error: "), err
    assert fname in lines[0], lines[0]
    assert len(lines[0]) < 2000, "the message must stay one readable line"


# --------------------------------------------------------------------------- properties


@FUZZ
@given(text=unit_texts())
def test_units_grammar(text):
    with _bounded():
        try:
            u = ku.parse_units(text)
        except ku.UnitsError as exc:
            assert "\n" not in str(exc)
            return
    again = ku.parse_units(u.text)
    assert again.text == u.text
    assert again.unit.is_compatible(u.unit)
    assert set(u.text) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "0123456789_*/-")


BASE_DESIGN = tomllib.loads((DESIGNS / "nbox_class.toml").read_text())
#: Every shipped design (ICE and BEV, hatch, tall-boy and truck, goods use, a
#: rear-engined front): each mutation starts from one of them (s26f: the fields added
#: since the fuzz was written, e.g. powertrain.layout, converter_lockup, the hybrid and
#: EV motor fields, are in other designs or absent from the N-Box).
BASE_DESIGNS = [tomllib.loads(p.read_text()) for p in sorted(DESIGNS.glob("*.toml"))]


def _design_keys() -> list[tuple[str, ...]]:
    from keidesign import variables as reg

    return [tuple(v.name.split(":")) for v in reg.variables(design=True)]


def _spec_keys() -> list[tuple[str, ...]]:
    from keidesign.specs.sources import USER_SCHEMA

    return [(t, k) for t, keys in USER_SCHEMA.items() for k in keys]


def _mutated(data, base: dict, keys: list[tuple[str, ...]] = ()) -> tuple[str, str | None]:
    """File text of ``base`` with one generated change: a leaf value (returns its field),
    a key of the schema (``keys``) added or replaced with a generated value, a key
    renamed, or raw text instead of the file."""
    doc = copy.deepcopy(base)
    how = data.draw(st.sampled_from(["value", "value", "value", "key", "raw"]
                                    + ["add", "add"] * bool(keys)))
    if how == "raw":
        return data.draw(st.one_of(st.text(max_size=300), st.binary(max_size=300).map(
            lambda b: b.decode("latin-1")))), None
    if how == "add":
        path = data.draw(st.sampled_from(keys))
        node = doc
        for k in path[:-1]:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                return _dump_any(doc), None
        node[path[-1]] = data.draw(leaf_values())
        return _dump_any(doc), ".".join(path)
    path = data.draw(st.sampled_from(list(_leaves(doc))))
    field = None
    if how == "value":
        _set(doc, path, data.draw(leaf_values()))
        field = ".".join(path)
    else:
        node = doc
        for k in path[:-1]:
            node = node[k]
        node[data.draw(st.text(min_size=1, max_size=30))] = node.pop(path[-1])
    return _dump_any(doc), field


def _run_on_file(f, text: str, argv: list[str], capsys) -> tuple:
    """Write ``text`` to ``f``, run ``keidesign ARGV f`` under the hang guard; returns
    ``(f, exit code, stdout, stderr)``."""
    f.write_text(text, encoding="utf-8")
    capsys.readouterr()
    with _bounded():
        code = main([*argv, str(f)])
    out, err = capsys.readouterr()
    return f, code, out, err


@FUZZ
@given(data=st.data())
def test_design_files(data, tmp_path, capsys):
    text, field = _mutated(data, data.draw(st.sampled_from(BASE_DESIGNS)), _design_keys())
    f, code, _, err = _run_on_file(tmp_path / "fuzz.toml", text, ["check"], capsys)
    _check_one_line(code, err, str(f), field)


def _dump_any(doc: dict, prefix: tuple = ()) -> str:
    """Like the design writer, for any generated values (quoted keys)."""
    lines, tables = [], []
    for k, v in doc.items():
        (tables if isinstance(v, dict) and prefix == () else lines).append((k, v))
    out = [f"{_toml(k)} = {_toml(v)}" for k, v in lines]
    for k, v in tables:
        out.append(f"\n[{_toml(k)}]")
        out.append(_dump_sub(v, (k,)))
    return "\n".join(out)


def _dump_sub(doc: dict, prefix: tuple) -> str:
    return "\n".join(f"{_toml(k)} = {_toml(v)}" for k, v in doc.items())


PACK = """[pack]
id = "fz"
version = "1"
title = "t"
source = "s"
"""
CONSTRAINT = {"id": "x.len", "quantity": "body:length", "upper": 3400.0, "units": "mm",
              "source": "somewhere", "status": "to-check"}


@FUZZ
@given(data=st.data())
def test_rule_packs(data, tmp_path, capsys):
    con = dict(CONSTRAINT)
    key = data.draw(st.sampled_from([*CONSTRAINT, "lower", "extra"]))
    value = data.draw(st.one_of(leaf_values(), st.sampled_from(
        ["body:lenght", "crash:front:hic15", "mass:curb", "cafe:target_mpg", "x"])))
    con[key] = value
    body = "\n".join(f"{k} = {_toml(v)}" for k, v in con.items())
    folder = tmp_path / "packs"
    folder.mkdir(exist_ok=True)
    f = folder / "fz.toml"
    f.write_text(PACK + "\n[[constraint]]\n" + body + "\n", encoding="utf-8")
    capsys.readouterr()
    with _bounded():
        code = main(["rules", "--rules-dir", str(folder)])
    _, err = capsys.readouterr()
    _check_one_line(code, err, str(f))


STUDY = {
    "study": {"name": "fz", "design": str(DESIGNS / "nbox_class.toml")},
    "variable": [{"name": "crash.front.crush_length", "lower": 500, "upper": 900,
                  "units": "mm"}],
    "objective": {"name": "mass:curb", "sense": "min"},
    "constraint": [{"quantity": "energy:label_comb_mpg", "lower": 38, "units": "mi/galUS"}],
    "derived": {"q": {"expr": "a * 2", "units": "kg", "vars": {"a": "mass:curb"}}},
    "driver": {"maxiter": 50, "tol": 1e-6},
    "sweep": {"levels": 3, "chunk": 8},
}


def _study_leaves(doc, prefix=()):
    for k, v in (doc.items() if isinstance(doc, dict) else enumerate(doc)):
        if isinstance(v, (dict, list)) and v and k != "vars":
            yield from _study_leaves(v, prefix + (k,))
        else:
            yield prefix + (k,)


def _study_text(doc: dict) -> str:
    out = []
    for k, v in doc.items():
        if isinstance(v, list):
            for item in v:
                out.append(f"[[{k}]]")
                out += [f"{_toml(a)} = {_toml(b)}" for a, b in item.items()]
        elif k == "derived":
            for name, t in v.items():
                out.append(f"[derived.{_toml(name)}]")
                out += [f"{_toml(a)} = {_toml(b)}" for a, b in t.items()]
        else:
            out.append(f"[{k}]")
            out += [f"{_toml(a)} = {_toml(b)}" for a, b in v.items()]
    return "\n".join(out) + "\n"


STUDY_LEAVES = list(_study_leaves(STUDY))
EXPRESSIONS = st.one_of(st.text("a+-*/()e 0123456789.expqrtlogsin_[]'\"", max_size=60),
                        st.lists(st.sampled_from(["a", "+", "-", "*", "/", "**", "(", ")",
                                                  "9", "exp", "e", ".", "__class__"]),
                                 max_size=30).map(" ".join))


@FUZZ
@given(data=st.data())
def test_study_files(data, tmp_path):
    import copy

    doc = copy.deepcopy(STUDY)
    path = data.draw(st.sampled_from(STUDY_LEAVES))
    value = data.draw(EXPRESSIONS if path[-1] == "expr" else leaf_values())
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    f = tmp_path / "fuzz_study.toml"
    f.write_text(_study_text(doc), encoding="utf-8")
    with _bounded():
        try:
            load_study(f)
        except InputError as exc:
            msg = str(exc)
            assert "\n" not in msg and str(f) in msg and len(msg) < 2000, msg


#: Keys a study or --set may hold: short, unprintable, or far longer than a message
#: shows (a 500,000-character key made a line as long before s29a).
STUDY_KEYS = st.one_of(st.text(max_size=30), st.text("ab\x1b\u202e\n.=", max_size=12),
                       st.integers(100, 5000).map(lambda n: "k" * n))
#: Where a generated key goes: a table of the study (its dotted path in a --set key).
KEY_PLACES = [(), ("study",), ("objective",), ("sweep",), ("driver",), ("variable", 0),
              ("derived",), ("derived", "q"), ("derived", "q", "vars")]


@FUZZ
@given(data=st.data())
def test_study_keys(data, tmp_path):
    """A generated key in any table of a study, or in a --set KEY=VALUE: a result or one
    bounded line (s29a)."""
    doc = copy.deepcopy(STUDY)
    place = data.draw(st.sampled_from(KEY_PLACES))
    key = data.draw(STUDY_KEYS)
    overrides = []
    if data.draw(st.booleans()):
        dotted = ".".join(str(p + 1) if isinstance(p, int) else p for p in place)
        overrides.append(f"{dotted}.{key}=1" if dotted else f"{key}=1")
    else:
        node = doc
        for k in place:
            node = node[k]
        # a table where the file's text holds tables (the top, [derived.<name>])
        node[key] = ({"x": 1} if place in ((), ("derived",))
                     else data.draw(st.one_of(st.integers(0, 9), st.just({"x": 1}))))
    f = tmp_path / "fuzz_study.toml"
    f.write_text(_study_text(doc), encoding="utf-8")
    with _bounded():
        try:
            load_study(f, overrides=overrides)
        except InputError as exc:
            msg = str(exc)
            assert "\n" not in msg and str(f) in msg and len(msg) < 2000, msg[:3000]


BASE_SPEC = tomllib.loads(USER_SPEC_ICE)
#: The spec files mutated: the ICE example, a kei BEV, a full hybrid, a goods van and
#: the shipped crash-check spec files (rear-motored BEVs, keidesign/data/crash).
BASE_SPECS = [BASE_SPEC, tomllib.loads(USER_SPEC), tomllib.loads(
    USER_SPEC_ICE.replace("cylinders = 3", 'cylinders = 3\nhybrid = true\n'
                          'hybrid_layout = "full"\nhybrid_motor_power = 60\n'
                          'idle_stop = true\nidle_stop_speed = 10')),
    tomllib.loads(USER_SPEC_ICE.replace("model_year = 2019", 'model_year = 2019\n'
                                        'use = "goods"\n[mass]\nmax_load = 350')),
    *(tomllib.loads(p.read_text(encoding="utf-8"))
      for p in sorted((ROOT / "keidesign" / "data" / "crash").glob("*_spec.toml")))]


@FUZZ
@given(data=st.data())
def test_import_spec_files(data, tmp_path, capsys):
    """``keidesign import spec``: a user's spec file is data too (one line or a design)."""
    text, _ = _mutated(data, data.draw(st.sampled_from(BASE_SPECS)), _spec_keys())
    f, code, out, err = _run_on_file(tmp_path / "spec.toml", text, ["import", "spec"], capsys)
    _check_one_line(code, err, str(f), None)
    if code == 0:
        assert "[design]" in out


def test_the_trap_is_armed():
    """The fixture really replaces OpenMDAO's unit parser (else the fuzz proves less)."""
    from openmdao.utils.units import valid_units

    with pytest.raises(AssertionError, match="unit parser was called"):
        valid_units("furlong*1")  # not a registry unit: trapped
    assert valid_units("mm")  # a registry unit (the model's own variables) passes


def test_fuzz_inputs_documented():
    assert "fuzz_inputs.py" in (ROOT / "README.md").read_text()
