"""Published prices (nominal dollars of their model year) against the model's 2024 dollars:
the BLS CPI-U table, the deflator, and every place ``compare`` / ``cost`` prints them."""

from __future__ import annotations

import csv

import pytest

from keidesign.costing.cpi import BASE_YEAR, CPI_CSV, cpi_factor, cpi_table, to_base_year
from keidesign.errors import InputError
from keidesign.review import cost_report


def test_a_2015_price_deflated_to_2024_by_hand():
    # BLS CPI-U annual averages (1982-84 = 100): 2015 237.017, 2024 313.689
    assert to_base_year(15000.0, 2015) == pytest.approx(15000.0 * 313.689 / 237.017,
                                                        rel=1e-12)
    assert to_base_year(15000.0, 2015) == pytest.approx(19852.3, abs=0.05)
    assert cpi_factor(BASE_YEAR) == 1.0


def test_cpi_table_years_values_status_and_source():
    with CPI_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    years = [int(r["year"]) for r in rows]
    assert set(range(2011, 2025)) <= set(years)
    assert years == sorted(years) and len(years) == len(set(years))
    for r in rows:
        assert r["status"] in ("V", "R"), r
        assert len(r["source"]) > 20, r
    cpi = cpi_table()
    assert (cpi[2024], cpi[2023], cpi[2022]) == (313.689, 304.702, 292.655)
    # the index rises every year of the table but 2009 (not in it): no typo reverses it
    assert all(cpi[a] < cpi[b] for a, b in zip(years, years[1:], strict=False))


@pytest.mark.parametrize("year", [2009, 1850, 2031, "MY2023"])
def test_a_year_outside_the_table_is_an_error_not_a_factor_of_one(year):
    with pytest.raises(InputError) as exc:
        cpi_factor(year, where="prices.csv: Some Car model_year")
    msg = str(exc.value)
    assert msg.startswith(f"prices.csv: Some Car model_year = {year!r}: no CPI-U annual "
                          "average"), msg
    assert "allowed: 1984, 1998, 2002, 2007, 2010-2024" in msg and "\n" not in msg


def _outputs(price: float) -> dict:
    return {"mass:curb": (900.0, "kg"), "cost:vehicle": (10000.0, None),
            "cost:price": (price, None), "cost:price_position": (price - 17820.0, None)}


def test_compare_deflates_a_model_year_2023_price_and_says_so():
    text = cost_report.format_compare("jdm", _outputs(16000.0), "us", _outputs(17000.0))
    assert "retail price estimate 16,000 -> 17,000 USD 2024 (+1,000 USD;" in text
    mirage = next(ln for ln in text.splitlines() if "Mirage ES hatchback MY2023" in ln)
    ref = 17290.0 * 313.689 / 304.702   # 17,800 USD of 2024
    assert "17,290 USD 2023 = 17,800 USD 2024" in mirage, mirage
    assert f"-> variant {17000.0 - ref:+,.0f} USD ({100 * (17000.0 / ref - 1):+.1f} %)" in mirage
    versa = next(ln for ln in text.splitlines() if "Nissan Versa S MY2024" in ln)
    assert "17,820 USD 2024 (" in versa and "-> variant -820 USD" in versa
    assert "brought to 2024 dollars with the BLS CPI-U" in text


def test_reference_price_of_a_model_year_outside_the_table(monkeypatch):
    row = {"vehicle": "Old Car", "model_year": "2009", "price_usd": "12000",
           "includes_destination": "yes", "status": "verified"}
    monkeypatch.setattr(cost_report, "reference_prices", lambda: [row])
    with pytest.raises(InputError, match=r"^prices.csv: Old Car model_year = 2009: "):
        cost_report.format_compare("a", _outputs(1.0), "b", _outputs(2.0))


def test_cost_breakdown_states_the_reference_price_basis():
    outs = {**_outputs(16000.0), **{f"mass:group:{g}": (0.0, "kg") for g in ("fuel",)}}
    text = cost_report.format_breakdown("x", outs)
    assert text.splitlines()[-1] == ("retail price estimate (RPE x cost + destination): "
                                     "16,000 USD 2024; vs the reference price "
                                     "(cost:reference_price, USD 2024) -1,820 USD")


def test_mass_cost_doc_quotes_the_deflated_mirage_price():
    from pathlib import Path

    row = next(r for r in cost_report.reference_prices()
               if r["model_year"] == "2023" and r["vehicle"].startswith("Mitsubishi Mirage"))
    text = (Path(__file__).resolve().parents[1] / "docs" / "mass_cost.md").read_text(
        encoding="utf-8")
    quote = (f"{float(row['price_usd']):,.0f} USD is "
             f"{cost_report.reference_price_base_year(row):,.0f} USD of 2024")
    assert quote in " ".join(text.split()), quote


def test_a_table_with_calibration_mass_says_what_the_group_is():
    """`keidesign compare` showed "calibration 221 kg" on the imported Sakura with no word
    on it (s33f): a table whose designs carry calibration mass says in one line what it
    is (the fitted size law, its fit cars, its cost rate); without it, no line."""
    import csv

    from keidesign.costing.component import rates

    cal = {**_outputs(16000.0), "mass:group:calibration": (212.0, "kg")}
    none = {**_outputs(16000.0), "mass:group:calibration": (0.0, "kg")}
    with (cost_report.DATA.parent / "mass" / "calibration_cars.csv").open() as f:
        cars = sum(1 for _ in csv.DictReader(f))
    for text in (cost_report.format_compare("a", none, "b", cal),
                 cost_report.format_breakdown("b", cal)):
        note = [ln for ln in text.splitlines() if ln.startswith("calibration: ")]
        assert len(note) == 1, text
        assert f"fitted on {cars} cars' published curb masses" in note[0]
        assert f"costed at {rates()['calibration_per_kg']:.1f} USD/kg" in note[0]
        assert "docs/mass_cost.md" in note[0]
    for text in (cost_report.format_compare("a", none, "b", none),
                 cost_report.format_breakdown("a", none)):
        assert not any(ln.startswith("calibration: ") for ln in text.splitlines()), text
