"""`keidesign compare` read as a cost engineer would (task s30d): groups without a cost
rate printed as costing 0 USD, a price without destination compared with one that has
it, delta.png's totals without units and its cost panel listing the uncosted groups."""

from __future__ import annotations

from keidesign.catalogue.cost import COST_GROUPS
from keidesign.review import cost_report


def _outputs(price: float, options: float = 0.0) -> dict:
    return {"mass:curb": (900.0 + options, "kg"), "cost:vehicle": (10000.0, "USD"),
            "cost:price": (price, "USD"), "cost:price_position": (price - 17820.0, "USD"),
            "mass:group:fuel": (20.0, "kg"), "mass:group:options": (options, "kg"),
            "cost:group:assembly": (1200.0, "USD")}


def _row(text: str, group: str) -> list[str]:
    return next(ln for ln in text.splitlines() if ln.startswith(f"{group} ")).split()


def test_uncosted_groups_print_a_dash_and_their_mass_is_named():
    """fuel (contents), options and measured have no cost rate: their cost cells read
    '-', not '0' (options 30 kg 'cost' 0 USD); assembly has no mass; a non-zero options
    mass is named as not costed."""
    text = cost_report.format_compare("jdm", _outputs(16000.0), "us",
                                      _outputs(17000.0, options=30.0))
    assert _row(text, "fuel") == ["fuel", "20.0", "+0.0", "-", "-"]
    assert _row(text, "options") == ["options", "0.0", "+30.0", "-", "-"]
    assert _row(text, "assembly") == ["assembly", "-", "-", "1200", "+0"]
    assert _row(text, "body_structure") == ["body_structure", "0.0", "+0.0", "0", "+0"]
    assert "note: us options +30.0 kg is in the curb mass but not in the cost" in text
    assert cost_report.DASH_NOTE in text
    one = cost_report.format_breakdown("x", _outputs(16000.0))
    assert _row(one, "fuel") == ["fuel", "20.0", "-"] and "note:" not in one


def test_a_price_without_destination_is_compared_without_it(monkeypatch):
    row = {"vehicle": "Bare Car", "model_year": "2024", "price_usd": "16000",
           "includes_destination": "no", "status": "verified"}
    monkeypatch.setattr(cost_report, "reference_prices", lambda: [row])
    text = cost_report.format_compare("a", _outputs(16000.0), "b", _outputs(17000.0),
                                      destination=1100.0)
    line = next(ln for ln in text.splitlines() if "Bare Car" in ln)
    assert line.endswith("(excl. destination, verified) -> variant without its 1,100 USD "
                         "destination -100 USD (-0.6 %)"), line
    pos = cost_report.reference_positions(17000.0, 1100.0)[0]
    assert (pos["compared_price_usd"], pos["difference_usd"]) == (15900.0, -100.0)


def test_delta_figure_units_and_groups(tmp_path, monkeypatch):
    import matplotlib.figure

    drawn = {}

    def keep(fig, path, *a, **k):
        drawn["axes"] = [([t.get_text() for t in ax.get_yticklabels()],
                          [t.get_text() for t in ax.get_legend().get_texts()])
                         for ax in fig.axes]

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", keep)
    cost_report.plot_delta([("jdm", _outputs(16000.0), "us", _outputs(17000.0, 30.0))],
                           tmp_path / "d.png")
    (mass_groups, mass_legend), (cost_groups, cost_legend) = drawn["axes"]
    assert "assembly" not in mass_groups and "options" in mass_groups
    assert cost_groups == list(COST_GROUPS)
    assert mass_legend == ["us - jdm (total +30.0 kg)"]
    assert cost_legend == ["us - jdm (total +0 USD; retail price +1,000 USD)"]


def test_a_measured_curb_is_named_with_the_buildup_change():
    """s44f: a longer crush zone on an imported car (published curb kept) printed
    'curb mass 700.0 -> 700.0 kg (+0.0 kg)' with no word that the curb was pinned; the
    note names the pinned design(s) and the build-up's own change."""
    free = _outputs(16000.0)
    assert "is its measured one" not in cost_report.format_compare("a", free, "b", free)
    pinned = dict(_outputs(16000.0), **{"mass:group:measured": (-52.1, "kg"),
                                         "mass:curb_buildup": (952.1, "kg")})
    longer = dict(pinned, **{"mass:curb_buildup": (953.6, "kg")})
    text = cost_report.format_compare("base", pinned, "long", longer)
    assert ("note: the curb masses of base and of long are their measured ones "
            "(mass.curb_measured), not the model's: the build-up gives 952.1 -> 953.6 kg "
            "(+1.5 kg)") in text
    text = cost_report.format_compare("base", free, "ev", longer)
    assert "note: the curb mass of ev is its measured one" in text
    assert "the build-up gives 900.0 -> 953.6 kg (+53.6 kg)" in text


def test_compare_names_two_designs_of_one_name_by_their_files(tmp_path, monkeypatch, capsys):
    """s44f: a variant edited from its base keeps the base's [design] name, and compare
    printed 'what X adds to X' with two indistinguishable notes; the files now say which."""
    from types import SimpleNamespace

    from keidesign.cli import main
    from keidesign.costing import commands

    def fake(path):
        return SimpleNamespace(name="Suzuki Alto", values={}), _outputs(16000.0)

    monkeypatch.setattr(commands, "_evaluate", fake)
    a, b = tmp_path / "alto.toml", tmp_path / "alto_long.toml"
    assert main(["compare", str(a), str(b)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"what Suzuki Alto [{b}] adds to Suzuki Alto [{a}] ")

