"""The one TOML writer: what it writes reads back the same with tomllib."""

from __future__ import annotations

import math
import tomllib

import pytest

from keidesign.tomlwrite import toml_string, toml_value


@pytest.mark.parametrize("s", ['plain', 'quote " and \\ backslash', "tab\tnew\nline\r",
                               "bell \x07 del \x7f", "unicode µm 軽"])
def test_strings_round_trip(s):
    assert tomllib.loads(f"x = {toml_string(s)}")["x"] == s


def test_numbers_and_lists():
    v = 0.1 + 0.2
    assert tomllib.loads(f"x = {toml_value(v, digits=None)}")["x"] == v  # exact
    assert toml_value(v) == "0.3"  # 6 significant digits for human-edited files
    assert toml_value(3.0) == "3" and toml_value(True) == "true" and toml_value(7) == "7"
    items = ["a", 'b"']
    assert tomllib.loads("x = " + toml_value(items))["x"] == items
    with pytest.raises(ValueError):
        toml_value(math.nan)
    with pytest.raises(TypeError):
        toml_value({1: 2})
