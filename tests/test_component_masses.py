"""The published component masses behind the build-up's assumed terms
(``keidesign/data/mass/component_masses.csv``, docs/mass_cost.md "Why the light kei
hatches come out heavy") and the engine law fitted on them (the ``kei_mass`` probe)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from keidesign.mass import data

COMPONENTS = {"engine", "engine_other", "transmission", "body_delta", "closure"}


def test_rows_read_with_source_status_and_physical_values():
    rows = data.component_masses()
    assert len(rows) >= 10
    for r in rows:
        assert r.component in COMPONENTS, r.item
        assert r.status in ("V", "R", "A"), r.item
        assert r.source.strip() and r.definition.strip(), r.item
        assert r.mass_kg != 0.0, r.item
        if r.component in ("engine", "engine_other"):
            assert 0.5 <= r.displacement_l <= 2.5 and 30.0 <= r.mass_kg <= 200.0, r.item
        if r.component in ("engine", "transmission", "closure"):
            assert r.mass_kg > 0.0, r.item


def test_engine_law_on_the_published_engines():
    """Least squares on the five NA aluminium-block engines (+9 kg accessories [A]):
    15.1 kg + 65.3 kg/L; the R06A's turbo step 3.8 kg."""
    base, per_l, turbo = data.published_engine_law()
    assert base == pytest.approx(15.08, abs=0.05)
    assert per_l == pytest.approx(65.35, abs=0.05)
    assert turbo == pytest.approx(3.8, abs=1e-9)
    # without the accessories the law moves down by exactly their mass
    b0, p0, _ = data.published_engine_law(accessories=0.0)
    assert b0 == pytest.approx(base - data.ENGINE_ACCESSORIES_KG)
    assert p0 == pytest.approx(per_l)


def test_data_readme_lists_the_file():
    text = (ROOT / "keidesign" / "data" / "mass" / "README.md").read_text(encoding="utf-8")
    assert "`component_masses.csv`" in text
