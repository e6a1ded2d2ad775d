"""EV packs of data/vehicles/ev_batteries.csv in the import (issue 13 (f))."""

from __future__ import annotations

import pytest

from keidesign.specs import sources


def test_usable_share_is_the_mean_of_the_published_pairs():
    rows = [r for r in sources.ev_batteries() if r["gross_kwh"] and r["usable_kwh"]]
    pairs = {(float(r["gross_kwh"]), float(r["usable_kwh"])) for r in rows}
    share, n = sources.usable_share()
    assert n == len(pairs) >= 5
    assert share == pytest.approx(sum(u / g for g, u in pairs) / n)
    assert 0.75 < share < 1.0


def test_pack_energy_usable_or_gross_times_share():
    share, _ = sources.usable_share()
    rows = {(r["make"], r["model"], r["model_years"]): r for r in sources.ev_batteries()}
    kwh, basis = sources.pack_energy(rows[("NISSAN", "NISSAN LEAF S", "2011-2016")])
    assert kwh == pytest.approx(24.0 * share) and "[assumed]" in basis
    kwh, basis = sources.pack_energy(rows[("BMW", "I3 BEV", "2014-2017")])
    assert kwh == 18.8 and "usable" in basis and "[assumed]" not in basis


def _import_epa(capsys, year: str, make: str, model: str) -> str:
    from keidesign.cli import main

    assert main(["import", "epa", "--year", year, "--make", make, "--model", model,
                 "--index", "0"]) == 0
    return capsys.readouterr().out


def _battery_line(text: str) -> str:
    return next(ln for ln in text.splitlines() if ln.startswith("battery_energy ="))


def test_epa_import_takes_the_published_pack(capsys):
    """2017 Leaf S: the file's 30 kWh pack (gross), usable = 30 x share, not 40 kWh."""
    share, _ = sources.usable_share()
    line = _battery_line(_import_epa(capsys, "2017", "NISSAN", "LEAF S"))
    value = float(line.split("=")[1].split("#")[0])
    assert value == pytest.approx(round(30.0 * share, 1))
    assert "[assumed]" in line and "ev_batteries.csv (NISSAN LEAF S 2016-2017" in line
    assert "30 kWh gross" in line


def test_epa_import_published_usable_is_a_source(capsys):
    line = _battery_line(_import_epa(capsys, "2014", "BMW", "I3 BEV"))
    assert float(line.split("=")[1].split("#")[0]) == 18.8
    assert "# source: ev_batteries.csv (BMW I3 BEV 2014-2017" in line


def test_epa_import_without_a_pack_keeps_the_label_estimate(capsys):
    line = _battery_line(_import_epa(capsys, "2013", "CODA", "CODA"))
    assert "[assumed] no ev_batteries.csv pack: label range 88 mi" in line


def test_two_packs_in_one_year_without_a_label_take_none(capsys):
    """MY2016 Leaf SV: the 24 and 30 kWh packs both cover 2016 and no label range tells
    them apart: the class assumption stays, and the header says why."""
    text = _import_epa(capsys, "2016", "NISSAN", "LEAF SV")
    assert "[assumed] no pack size in the source" in _battery_line(text)
    assert "Battery pack not chosen: ev_batteries.csv packs 2011-2016 24 kWh, " in text


def test_row_without_generation_matches_by_epa_name(capsys):
    """2017 EPA 'IONIQ' (its us_specs match is the hybrid row): the 'Ioniq Electric'
    2017-2019 row by make and name, its published usable 28 kWh."""
    line = _battery_line(_import_epa(capsys, "2017", "HYUNDAI", "IONIQ"))
    assert float(line.split("=")[1].split("#")[0]) == 28.0
    assert "# source: ev_batteries.csv (Hyundai Ioniq Electric 2017-2019" in line
