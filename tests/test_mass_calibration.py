"""Mass calibration (keidesign.mass.calibration): the shipped coefficients are the fit of
the recorded fit data, the recorded data are what the model gives today (a quick subset
re-run), the fit recovers known coefficients, leave-one-family-out never sees the held-out
family, and docs/mass_cost.md quotes what the code gives."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import ROOT

from keidesign.mass import calibration as cal


@pytest.fixture(scope="module")
def recorded() -> list[cal.Car]:
    return cal.read_cars()


@pytest.fixture(scope="module")
def quick() -> list[cal.Car]:
    """The quick subset run through the import and the model now (~6 s)."""
    data, out = cal.cars(cal.QUICK)
    assert not out
    return data


def test_shipped_coefficients_are_the_fit_of_the_recorded_data(recorded):
    assert cal.fit(recorded) == pytest.approx(cal.shipped(), abs=6e-4)  # written to 3 dp


def test_recorded_fit_data_are_current(recorded, quick):
    """The recorded terms (P, V, payload, published mass, class) equal a fresh run of the
    import and the model: when the build-up or the import changes, this fails until
    ``python -m keidesign.mass.calibration --write`` records the new terms."""
    rec = {d.name: d for d in recorded}
    assert len(quick) == len(cal.QUICK)
    for d in quick:
        r = rec[d.name]
        for f in ("prior", "volume", "payload", "curb_pub", "power", "displacement"):
            assert getattr(d, f) == pytest.approx(getattr(r, f), rel=1e-9), (d.name, f)
        for f in ("family", "cls", "powertrain", "transmission", "drive", "seats", "turbo",
                  "source"):
            assert getattr(d, f) == getattr(r, f), (d.name, f)


def test_fit_recovers_known_coefficients(quick):
    """Published masses made from known (d, k, b) give back exactly those."""
    true = (-25.0, 110.0, 90.0)
    synthetic = [dataclasses.replace(d, curb_pub=cal.predict(d, true)) for d in quick]
    assert cal.fit(synthetic) == pytest.approx(true, abs=1e-6)
    ice = [d for d in synthetic if not d.bev]
    coef = cal.fit(ice)  # no BEV: b is not determined and reported as 0
    assert coef[:2] == pytest.approx(true[:2], abs=1e-6) and coef[2] == 0.0
    extra = (cal.CANDIDATE_TERMS["rated power, kW (engine or motor)"],)
    synthetic = [dataclasses.replace(d, curb_pub=cal.predict(d, (*true, 0.7), extra))
                 for d in quick]
    assert cal.fit(synthetic, extra) == pytest.approx((*true, 0.7), abs=1e-6)


def test_quick_subset_fit_is_near_the_full_fit(quick):
    """Twelve cars of ten families already give a size law close to the 89-car one: the
    curb masses it predicts are within 5 % of the shipped model's (measured: Alto -4.3 %,
    the rest within 3 %; a third of the subset is kei, 8 % of the full set)."""
    coef = cal.fit(quick)
    for d in quick:
        assert cal.predict(d, coef) == pytest.approx(cal.predict(d, cal.shipped()), rel=0.05)


def test_lofo_never_sees_the_held_out_family(recorded):
    """Moving one family's published masses moves its in-sample fit but not its own
    leave-one-family-out predictions (and does move the other families'): a leak of the
    held-out family into its fit would fail this."""
    fam = "HONDA CIVIC"
    members = [d.name for d in recorded if d.family == fam]
    assert len(members) >= 5
    moved = [dataclasses.replace(d, curb_pub=1.3 * d.curb_pub) if d.family == fam else d
             for d in recorded]
    before, after = cal.lofo(recorded), cal.lofo(moved)
    for name in members:
        assert after[name][0] == pytest.approx(before[name][0], rel=1e-12)
        assert after[name][1] == pytest.approx(before[name][1], rel=1e-12)
    others = [d.name for d in recorded if d.family != fam]
    assert max(abs(after[n][0] - before[n][0]) for n in others) > 1.0  # kg
    assert cal.fit(moved) != pytest.approx(cal.fit(recorded))

    seen = []

    def spy(train, extra=()):
        seen.append({d.family for d in train})
        return cal.fit(train, extra)

    cal.lofo(recorded, fitter=spy)
    families = {d.family for d in recorded}
    assert len(seen) == len(families)
    assert all(families - s and len(families - s) == 1 for s in seen)


def test_fit_set(recorded):
    """One row per generation/variant: no twins, no plug-ins, no carbon-fibre bodies,
    no us_small.csv repeats; every class present; kei and US both in."""
    names = {d.name for d in recorded}
    assert len(names) == len(recorded) >= 80
    assert not any("eK X EV" in n or "CIVIC HF" in n or "I3" in n or "VOLT" in n
                   or "Plug-in" in n for n in names)
    assert {d.source.split()[0] for d in recorded} == {"kei.csv", "us_specs.csv"}
    assert {d.cls for d in recorded} == set(cal.CLASS_ORDER)
    keys = [(d.powertrain, round(d.curb_pub), round(d.volume, 3)) for d in recorded]
    assert len(set(keys)) == len(keys)


def test_errors_and_docs_block(recorded):
    """The recalibration's targets hold and docs/mass_cost.md quotes this fit."""
    s = cal.summary(recorded, cal.shipped())
    rows = s["rows"]
    # issue 13's mass target (5 % MAE, held out); 4.53 % on the 97 cars of 3 Dec 2026
    # (4.4 % on the 89 cars the importer built before)
    assert rows["all"]["lofo"].mae < 0.05 and abs(rows["all"]["lofo"].bias) < 0.01
    assert rows["all US"]["lofo"].mae < 0.05
    assert rows["all kei"]["fit"].mae < 0.06  # the kei reference cars
    for name, (_, e_fit, e_lofo) in s["errors"].items():
        assert abs(e_lofo) >= abs(e_fit) - 0.02, name  # held out is not much better
    text = (ROOT / "docs" / "mass_cost.md").read_text(encoding="utf-8")
    assert cal.doc_block(text) == cal.docs_markdown().strip()
    assert np.isfinite([v for v in s["coef"]]).all()
