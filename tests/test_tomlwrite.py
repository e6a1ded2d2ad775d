"""TOML files the tool writes (tomlkit + keidesign.tomlwrite) read back the same with
tomllib: strings escaped, floats exact or to 6 significant digits, comments kept."""

from __future__ import annotations

import math
import tomllib

import pytest
import tomlkit

from keidesign import tomlwrite
from keidesign.specs.build import Table
from keidesign.specs.write import design_text
from keidesign.studies.outputs import design_toml

HOSTILE = ['plain', 'quote " and \\ backslash', "tab\tnew\nline\r", "bell \x07 del \x7f",
           "esc \x1b[31m nul \x00", '"""triple""" \'\'\'', "unicode µm 軽", "# not a comment",
           "x\n[evil]\ny = 1"]


def _dump(**values) -> str:
    doc = tomlkit.document()
    for k, v in values.items():
        doc.add(k, v)
    return tomlkit.dumps(doc)


@pytest.mark.parametrize("s", HOSTILE)
def test_strings_round_trip(s):
    assert tomllib.loads(_dump(x=tomlwrite.value(s)))["x"] == s


def test_numbers_and_lists():
    v = 0.1 + 0.2
    assert tomllib.loads(_dump(x=tomlwrite.value(v)))["x"] == v  # exact by default
    assert tomlwrite.value(v, 6) == 0.3  # 6 significant digits for human-edited files
    assert tomlwrite.value(1234567.4, 6) == 1234570.0
    assert tomlwrite.value(3.0, 6, integral=True) == 3
    assert isinstance(tomlwrite.value(3.0, 6, integral=True), int)
    assert isinstance(tomlwrite.value(3.0, 6), float)
    assert tomlwrite.value(True) is True and tomlwrite.value(7) == 7
    items = ["a", 'b"', 2.5]
    assert tomllib.loads(_dump(x=tomlwrite.value(items)))["x"] == items
    for bad in (math.nan, math.inf, -math.inf, [1.0, math.nan]):
        with pytest.raises(ValueError):
            tomlwrite.value(bad)
    with pytest.raises(TypeError):
        tomlwrite.value({1: 2})


def test_comments_one_line_and_aligned():
    doc = tomlkit.document()
    doc.add(tomlwrite.comment("header\nwith a break and a \x1b[31m colour"))
    table = tomlwrite.table(doc, "crash.front")
    table.add("k", tomlwrite.commented("k", 1.5, "source: x\x00y", column=12))
    table.add("long_key_name", tomlwrite.commented("long_key_name", "v", "[assumed] z", 12))
    text = tomlkit.dumps(doc)
    assert tomllib.loads(text) == {"crash": {"front": {"k": 1.5, "long_key_name": "v"}}}
    lines = text.splitlines()
    assert lines[0] == "# header with a break and a  [31m colour"
    assert "[crash.front]" in lines and "[crash]" not in lines
    assert "k = 1.5     # source: x y" in lines  # '#' at column 12
    assert 'long_key_name = "v" # [assumed] z' in lines


def test_design_text_keeps_comments_and_escapes():
    t = Table("powertrain.ice", comments=["a table\ncomment"])
    t.add("displacement", 657.0, "kei.csv line 4", assumed=False)
    t.add("power", 36.123456789, "0.8 x\tsomething", assumed=True)
    t.add("note", None, "user", assumed=False, text='7 "kW"\n[x]')
    text = design_text(["Imported\x07 from a test"], [t])
    assert tomllib.loads(text) == {"powertrain": {"ice": {
        "displacement": 657, "power": 36.1235, "note": '7 "kW"\n[x]'}}}
    assert text.splitlines() == [
        "# Imported  from a test",
        "",
        "[powertrain.ice]",
        "# a table comment",
        "displacement = 657          # source: kei.csv line 4",
        "power = 36.1235             # [assumed] 0.8 x something",
        'note = "7 \\"kW\\"\\n[x]"      # source: user',
    ]


def test_design_toml_exact(tmp_path):
    from conftest import DESIGNS

    from keidesign.design import load_design

    d = load_design(DESIGNS / "nbox_class.toml")
    d = d.replace(**{"design:name": 'a "b" \\ c', "design:description": 'a "b"\n\tc',
                     "body:length": 3395.123456789012})
    text = design_toml(d, ["first", "", "third"])
    assert text.startswith("# first\n#\n# third\n\n[")
    doc = tomllib.loads(text)
    assert doc["design"]["name"] == 'a "b" \\ c'
    assert doc["design"]["description"] == 'a "b"\n\tc'
    assert doc["body"]["length"] == 3395.123456789012
    (tmp_path / "d.toml").write_text(text, encoding="utf-8")
    assert load_design(tmp_path / "d.toml").values == d.values
    # any control character is escaped by the writer (the loader refuses it in a name)
    odd = design_toml(d.replace(**{"design:name": 'a "b"\n\x01'}), [])
    assert tomllib.loads(odd)["design"]["name"] == 'a "b"\n\x01'
