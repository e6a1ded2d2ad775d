"""Property-based: a mutated design file evaluates or fails with one clear error.

Mutations: drop a key, rename a key, put a wrong type, NaN/inf, a negative or huge
value, or a quantity string with wrong/unknown units. The run goes through the real
command line (``keidesign evaluate``): the outcome must be exit 0 with a compliance
table, or exit 2 with one ``keidesign: error: <file>: ...`` line, never a traceback.
"""

from __future__ import annotations

import copy
import math
import tomllib

import tomlkit
from conftest import DESIGNS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keidesign.cli import main

BASES = {name: tomllib.loads((DESIGNS / f"{name}.toml").read_text())
         for name in ("nbox_class", "sakura_class")}

BAD_VALUES = ["abc", True, False, [1, 2], {"x": 1}, math.nan, math.inf, -math.inf,
              -1.0, 0, -1e9, 1e12, 1e308, "12 kg", "3 parsec", "1.2 m", "", "7 mi/galUS",
              3, 2.5, "dp_590", ["kei-japan"]]


def _leaves(doc, prefix=()):
    for k, v in doc.items():
        if isinstance(v, dict):
            yield from _leaves(v, prefix + (k,))
        else:
            yield prefix + (k,)


def _mutate(doc, path, how, value):
    node = doc
    for k in path[:-1]:
        node = node[k]
    key = path[-1]
    if how == "drop":
        del node[key]
    elif how == "rename":
        node[key + "_x" if len(key) % 2 else key[:-1]] = node.pop(key)
    else:
        node[key] = value


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_design_evaluates_or_fails_cleanly(data, tmp_path, capsys):
    base = data.draw(st.sampled_from(sorted(BASES)))
    doc = tomllib.loads(tomlkit.dumps(BASES[base]))  # deep copy through a TOML writer
    n = data.draw(st.integers(1, 3))
    for _ in range(n):
        leaves = list(_leaves(doc))
        if not leaves:
            break
        path = data.draw(st.sampled_from(leaves))
        how = data.draw(st.sampled_from(["drop", "rename", "value", "value", "value"]))
        _mutate(doc, path, how, copy.deepcopy(data.draw(st.sampled_from(BAD_VALUES))))
    f = tmp_path / "mutant.toml"
    f.write_text(tomlkit.dumps(doc))
    capsys.readouterr()
    code = main(["evaluate", str(f)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if code == 0:
        assert "constraints:" in out and err.strip() == "" or "Warning" in err
    else:
        assert code == 2, (code, err)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"keidesign: error: {f}: "), err
