"""The variable registry: every model variable is registered; the docs table is current."""

from __future__ import annotations

from conftest import REFERENCE_DESIGNS, ROOT

from keidesign import variables as reg
from keidesign.design import load_design
from keidesign.evaluation import resolve_packs
from keidesign.model import build_problem


def test_every_model_variable_is_registered():
    for path in REFERENCE_DESIGNS:
        d = load_design(path)
        prob = build_problem(d, resolve_packs(d.rules))
        for io in ("input", "output"):
            meta = prob.model.get_io_metadata(iotypes=io, metadata_keys=["units"])
            for m in meta.values():
                name = m["prom_name"]
                if name.startswith("_auto_ivc"):
                    continue
                var = reg.get(name)  # raises if unregistered
                expected = None if var.units == "unitless" else var.units
                assert m["units"] == expected, (name, m["units"], var.units)


def test_rule_pack_quantities_registered_or_pending():
    """A pack quantity is a registered variable, or a crash criterion not modelled yet."""
    for pack in resolve_packs(["kei-japan", "fmvss", "epa-label", "cafe-2022", "cafe-2024"]):
        for con in pack.constraints:
            try:
                reg.get(con.quantity)
            except KeyError:
                assert con.quantity.startswith(("crash:", "part581:", "fmvss")), con.quantity


def test_docs_variable_table_is_current():
    text = (ROOT / "docs" / "variables.md").read_text()
    table = reg.markdown_table()
    assert table in text, "regenerate: keidesign variables --output docs/variables.md"
