"""Mass and cost breakdown tables and plots (``keidesign cost``, ``keidesign compare``).

Works on the outputs of :func:`keidesign.evaluation.evaluate_design` (``{name: (value,
units)}``): the ``mass:group:*`` and ``cost:group:*`` outputs of the model.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

from keidesign.catalogue.cost import COST_GROUPS
from keidesign.catalogue.mass import GROUPS
from keidesign.costing.calibration_note import calibration_note
from keidesign.costing.cpi import BASE_YEAR, to_base_year
from keidesign.outpaths import save_figure
from keidesign.plaintext import literal_text

DATA = Path(__file__).resolve().parents[1] / "data" / "cost"
ALL_GROUPS = tuple(dict.fromkeys(GROUPS + COST_GROUPS))

Outputs = Mapping[str, tuple[float, str | None]]


def reference_prices() -> list[dict[str, str]]:
    """Rows of ``data/cost/prices.csv`` (cheapest US cars, with sources)."""
    with (DATA / "prices.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def reference_price_base_year(row: Mapping[str, str]) -> float:
    """A ``prices.csv`` row's published price (nominal dollars of its model year) in
    dollars of the model's year (:data:`keidesign.costing.cpi.BASE_YEAR`): ``price_usd x
    CPI(2024) / CPI(model_year)``, BLS CPI-U annual averages (``cpi.csv``). The price's
    dollars are taken as those of the calendar year of its model year number [A: a
    model year is priced before and sold over about that year; a MY2023 price set in
    mid-2022 is one year of inflation, about 4 %, older]. A model year outside the CPI
    table is an error (:func:`keidesign.costing.cpi.cpi_factor`)."""
    return to_base_year(float(row["price_usd"]), int(row["model_year"]),
                        where=f"prices.csv: {row['vehicle']} model_year")


def breakdown(outputs: Outputs) -> dict[str, tuple[float, float]]:
    """``{group: (mass kg, cost USD)}`` plus ``total``."""
    out = {}
    for g in ALL_GROUPS:
        m = outputs.get(f"mass:group:{g}", (0.0, None))[0]
        c = outputs.get(f"cost:group:{g}", (0.0, None))[0]
        out[g] = (float(m), float(c))
    out["total"] = (float(outputs["mass:curb"][0]), float(outputs["cost:vehicle"][0]))
    return out


#: mass groups the cost model gives no cost: the fuel (contents, not a part), optional
#: equipment and the measured-curb difference (no cost rate: their mass is not costed)
UNCOSTED = tuple(g for g in GROUPS if g not in COST_GROUPS)
#: what a "-" cell of the tables means
DASH_NOTE = ("-: not a quantity of the group (assembly has no mass; "
             + ", ".join(UNCOSTED) + " have no cost rate)")


def _cell(value: float, has: bool, fmt: str) -> str:
    """``value`` formatted, or ``-`` right-aligned when the group has no such quantity."""
    width = int(fmt.lstrip("+").split(".")[0])
    return format(value, fmt) if has else "-".rjust(width)


def _uncosted_note(outputs: Outputs, name: str = "") -> list[str]:
    """A note per uncosted group other than fuel whose mass is not zero: that mass is
    in the curb mass and not in the cost (``options``: optional equipment; ``measured``:
    the measured curb mass's excess over the build-up)."""
    b = breakdown(outputs)
    return [f"note: {name}{' ' if name else ''}{g} {b[g][0]:+.1f} kg is in the curb mass "
            "but not in the cost (no cost rate for it)"
            for g in UNCOSTED if g != "fuel" and abs(b[g][0]) > 0.05]


def _pinned(outputs: Outputs) -> bool:
    """True when a measured curb mass (``mass.curb_measured``) sets ``mass:curb``: the
    ``measured`` group is not zero, or the curb differs from the build-up's own."""
    build = outputs.get("mass:curb_buildup", (None, None))[0]
    return (abs(breakdown(outputs)["measured"][0]) > 0.05
            or (build is not None and abs(float(build) - outputs["mass:curb"][0]) > 0.05))


def _pinned_note(base: Outputs, base_name: str, variant: Outputs, var_name: str) -> list[str]:
    """One line when a design's curb mass is its measured one: the curb change above is
    then the measured figures', not the variant's (a new user's longer crush zone on an
    imported car read +0.0 kg, and its EV variant kept the ICE car's 700 kg, s44f), so the
    build-up's own curb masses (``mass:curb_buildup``) are given beside it."""
    names = [n for n, o in ((base_name, base), (var_name, variant)) if _pinned(o)]
    if not names:
        return []
    b0, b1 = (float(o.get("mass:curb_buildup", o["mass:curb"])[0]) for o in (base, variant))
    what = (f"the curb mass of {names[0]} is its measured one" if len(names) == 1 else
            f"the curb masses of {names[0]} and of {names[1]} are their measured ones")
    return [f"note: {what} (mass.curb_measured), not the model's: the build-up gives {b0:.1f} -> "
            f"{b1:.1f} kg ({b1 - b0:+.1f} kg); leave mass.curb_measured out of a variant "
            "whose change moves the mass (or import with --predict)"]


def format_breakdown(name: str, outputs: Outputs) -> str:
    """Text table of the mass and cost breakdown of one evaluated design."""
    b = breakdown(outputs)
    lines = [f"{name}: mass and cost by part group (cost = direct manufacturing cost, "
             f"USD {BASE_YEAR})", f"{'group':<16} {'mass, kg':>9} {'cost, USD':>10}",
             "-" * 37]
    for g, (m, c) in b.items():
        if g == "total":
            lines.append("-" * 37)
        lines.append(f"{g:<16} {_cell(m, g == 'total' or g in GROUPS, '9.1f')} "
                     f"{_cell(c, g == 'total' or g in COST_GROUPS, '10.0f')}")
    lines += [DASH_NOTE, *calibration_note(outputs), *_uncosted_note(outputs)]
    lines.append(f"retail price estimate (RPE x cost + destination): "
                 f"{outputs['cost:price'][0]:,.0f} USD {BASE_YEAR}; vs the reference price "
                 f"(cost:reference_price, USD {BASE_YEAR}) "
                 f"{outputs['cost:price_position'][0]:+,.0f} USD")
    return "\n".join(lines)


def compare(base: Outputs, variant: Outputs) -> list[tuple[str, float, float, float, float]]:
    """``[(group, mass_base, d_mass, cost_base, d_cost)]`` plus ``total`` last."""
    b, v = breakdown(base), breakdown(variant)
    return [(g, b[g][0], v[g][0] - b[g][0], b[g][1], v[g][1] - b[g][1]) for g in b]


def reference_positions(price: float, destination: float) -> list[dict]:
    """The price position of an estimated retail ``price`` (USD of 2024, with its
    ``destination`` charge) against each row of ``prices.csv``: the published price
    (``price_usd_nominal``, dollars of its model year) in 2024 dollars (``price_usd``),
    compared like for like (a price given without destination against ``price -
    destination``): ``difference_usd``, ``difference_pct``."""
    out = []
    for r in reference_prices():
        ref = reference_price_base_year(r)
        incl = r["includes_destination"] == "yes"
        own = price if incl else price - destination
        out.append({"vehicle": r["vehicle"], "model_year": int(r["model_year"]),
                    "price_usd_nominal": float(r["price_usd"]), "price_usd": ref,
                    "includes_destination": incl, "status": r["status"],
                    "compared_price_usd": own, "difference_usd": own - ref,
                    "difference_pct": 100.0 * (own / ref - 1.0)})
    return out


def format_compare(base_name: str, base: Outputs, var_name: str, variant: Outputs,
                   destination: float | None = None) -> str:
    """Text: Δmass and Δcost by group, the price change and the price position
    (``destination``: the variant's destination charge, ``cost:destination``, USD; None:
    the registry's default)."""
    if destination is None:
        from keidesign.variables import get

        destination = float(get("cost:destination").default)
    rows = compare(base, variant)
    lines = [f"what {var_name} adds to {base_name} (cost = direct manufacturing cost, "
             f"USD {BASE_YEAR})",
             f"{'group':<16} {'base kg':>8} {'d kg':>7} {'base USD':>9} {'d USD':>7}",
             "-" * 51]
    for g, m, dm, c, dc in rows:
        if g == "total":
            lines.append("-" * 51)
        hm, hc = g == "total" or g in GROUPS, g == "total" or g in COST_GROUPS
        lines.append(f"{g:<16} {_cell(m, hm, '8.1f')} {_cell(dm, hm, '+7.1f')} "
                     f"{_cell(c, hc, '9.0f')} {_cell(dc, hc, '+7.0f')}")
    lines += [DASH_NOTE, *calibration_note(base, variant), *_uncosted_note(base, base_name),
              *_uncosted_note(variant, var_name), *_pinned_note(base, base_name, variant,
                                                                 var_name)]
    p0, p1 = base["cost:price"][0], variant["cost:price"][0]
    dm_tot = rows[-1][2]
    lines += ["", f"curb mass {rows[-1][1]:.1f} -> {rows[-1][1] + dm_tot:.1f} kg "
              f"({dm_tot:+.1f} kg, {100 * dm_tot / rows[-1][1]:+.1f} %)",
              f"direct manufacturing cost {rows[-1][3]:,.0f} -> "
              f"{rows[-1][3] + rows[-1][4]:,.0f} USD ({rows[-1][4]:+,.0f} USD)",
              f"retail price estimate {p0:,.0f} -> {p1:,.0f} USD {BASE_YEAR} ({p1 - p0:+,.0f} "
              "USD; retail price equivalent x cost + destination)",
              "", f"price position of the variant's estimate (a retail price equivalent of "
              "its cost, not a market price) against the cheapest US cars' published "
              f"prices (dollars of their model year, brought to {BASE_YEAR} dollars with "
              "the BLS CPI-U annual averages of keidesign/data/cost/cpi.csv):"]
    for r in reference_positions(p1, destination):
        year = r["model_year"]
        price = (f"{r['price_usd_nominal']:,.0f} USD {year}" if year == BASE_YEAR else
                 f"{r['price_usd_nominal']:,.0f} USD {year} = {r['price_usd']:,.0f} USD "
                 f"{BASE_YEAR}")
        vs = ("variant" if r["includes_destination"] else
              f"variant without its {destination:,.0f} USD destination")
        lines.append(f"  {r['vehicle']} MY{year}: {price} "
                     f"({'incl.' if r['includes_destination'] else 'excl.'} destination, "
                     f"{r['status']}) -> {vs} {r['difference_usd']:+,.0f} USD "
                     f"({r['difference_pct']:+.1f} %)")
    return "\n".join(lines)


@literal_text
def plot_compare(items: Sequence[tuple[str, Outputs, str, Outputs]], path: Path) -> Path:
    """Stacked bars of mass and cost by group, baseline vs US variant, for each pair."""
    # no matplotlib.use(): headless runs fall back to Agg by themselves, and a notebook
    # keeps its inline backend
    import matplotlib.pyplot as plt
    from matplotlib.ticker import StrMethodFormatter

    groups = [g for g in ALL_GROUPS
              if any(abs(breakdown(o)[g][k]) > 1e-9 for _, b, _, v in items
                     for o in (b, v) for k in (0, 1))]
    cmap = plt.get_cmap("tab20")
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.5))
    labels = []
    for k, (ax, what, unit) in enumerate(zip(axes, ("mass", "direct manufacturing cost"),
                                             ("kg", f"USD {BASE_YEAR}"), strict=True)):
        x = 0
        ticks = []
        for bname, b, vname, v in items:
            for name, o in ((bname, b), (vname, v)):
                bd = breakdown(o)
                pos = neg = 0.0
                for i, g in enumerate(groups):
                    val = bd[g][k]
                    bottom = pos if val >= 0 else neg
                    ax.bar(x, val, bottom=bottom, color=cmap(i % 20),
                           label=g if (x == 0 and k == 0) else None, width=0.7)
                    if val >= 0:
                        pos += val
                    else:
                        neg += val
                ax.text(x, pos, f"{bd['total'][k]:,.0f}", ha="center", va="bottom", fontsize=8)
                ticks.append((x, name))
                x += 1
            x += 0.6
        ax.set_xticks([t for t, _ in ticks])
        ax.set_xticklabels([n for _, n in ticks], rotation=20, ha="right", fontsize=8)
        ax.set_ylabel(f"{what}, {unit}")
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_title(f"{what} by part group")
        ax.axhline(0.0, color="k", lw=0.6)
        # room above the tallest bar for its total (it sat on the frame, under the title)
        lo, hi = ax.get_ylim()
        ax.set_ylim(lo, hi + 0.08 * (hi - lo))
        labels = ax.get_legend_handles_labels() if k == 0 else labels
    fig.legend(*labels, loc="center right", fontsize=8)
    fig.tight_layout(rect=(0, 0, 0.86, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    save_figure(fig, path, dpi=120)   # atomic replace (s32g)
    plt.close(fig)
    return path


@literal_text
def plot_delta(items: Sequence[tuple[str, Outputs, str, Outputs]], path: Path,
               change: str = "US compliance", title: str | None = None) -> Path:
    """Horizontal bars: what ``change`` (each pair's variant against its base; default
    the JDM -> US pairs of docs/mass_cost.md) adds, by group (mass and cost). ``title``:
    default "What <change> adds to a kei car, by part group"."""
    # no matplotlib.use(): headless runs fall back to Agg by themselves, and a notebook
    # keeps its inline backend
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    height = 0.8 / max(len(items), 1)
    # each panel lists the groups that have its quantity: no mass for assembly, no cost
    # rate for the fuel, options and measured groups (a 0 there read as "costs nothing")
    panels = (("kg", GROUPS), (f"USD {BASE_YEAR} (direct cost)", COST_GROUPS))
    for k, (ax, (unit, have)) in enumerate(zip(axes, panels, strict=True)):
        for j, (bname, b, vname, v) in enumerate(items):
            rows = [r for r in compare(b, v) if r[0] in have]
            ys = [i + j * height for i in range(len(rows))]
            vals = [r[2] if k == 0 else r[4] for r in rows]
            total = compare(b, v)[-1][2 if k == 0 else 4]
            dp = v["cost:price"][0] - b["cost:price"][0]
            what = (f"total {total:+,.1f} kg" if k == 0 else
                    f"total {total:+,.0f} USD; retail price {dp:+,.0f} USD")
            ax.barh(ys, vals, height=height, label=f"{vname} - {bname} ({what})")
            ax.set_yticks([i + 0.4 - height / 2 for i in range(len(rows))])
            ax.set_yticklabels([r[0] for r in rows], fontsize=8)
        ax.axvline(0.0, color="k", lw=0.6)
        ax.set_xlabel(f"added by {change}, {unit}")
        ax.invert_yaxis()
        ax.legend(fontsize=8, loc="lower right")
    fig.suptitle(title or f"What {change} adds to a kei car, by part group")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    save_figure(fig, path, dpi=120)   # atomic replace (s32g)
    plt.close(fig)
    return path
