"""US map of a design's road access by state (issue 15, deliverable 3).

A tile-grid map (one equal square per state and DC, placed to keep each state's
neighbours: the layout of the "statebins" / NPR tile maps): no boundary data is needed,
every state is equally visible, and the colour is the state's access level for the
design's class (``keidesign.classification.report.state_levels``: full, limited to
roads posted at or below some speed, prohibited, unknown where the data has no row).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from keidesign.classification.report import LEVELS, state_levels
from keidesign.plaintext import literal_text
from keidesign.review.plots import _plt, save

__all__ = ["COLOURS", "TILES", "access_map", "tile_sample_px"]

#: level -> RGB colour of its tiles
COLOURS = {"full": (0.20, 0.63, 0.17), "limited": (0.99, 0.75, 0.18),
           "prohibited": (0.84, 0.15, 0.16), "unknown": (0.70, 0.70, 0.70)}

#: state -> (row, column) of its tile (row 0 at the top)
TILES = {
    "Alaska": (0, 0), "Maine": (0, 10),
    "Vermont": (1, 9), "New Hampshire": (1, 10),
    "Washington": (2, 0), "Idaho": (2, 1), "Montana": (2, 2), "North Dakota": (2, 3),
    "Minnesota": (2, 4), "Illinois": (2, 5), "Wisconsin": (2, 6), "Michigan": (2, 7),
    "New York": (2, 8), "Rhode Island": (2, 9), "Massachusetts": (2, 10),
    "Oregon": (3, 0), "Nevada": (3, 1), "Wyoming": (3, 2), "South Dakota": (3, 3),
    "Iowa": (3, 4), "Indiana": (3, 5), "Ohio": (3, 6), "Pennsylvania": (3, 7),
    "New Jersey": (3, 8), "Connecticut": (3, 9),
    "California": (4, 0), "Utah": (4, 1), "Colorado": (4, 2), "Nebraska": (4, 3),
    "Missouri": (4, 4), "Kentucky": (4, 5), "West Virginia": (4, 6), "Virginia": (4, 7),
    "Maryland": (4, 8), "Delaware": (4, 9),
    "Arizona": (5, 1), "New Mexico": (5, 2), "Kansas": (5, 3), "Arkansas": (5, 4),
    "Tennessee": (5, 5), "North Carolina": (5, 6), "South Carolina": (5, 7),
    "District of Columbia": (5, 8),
    "Oklahoma": (6, 3), "Louisiana": (6, 4), "Mississippi": (6, 5), "Alabama": (6, 6),
    "Georgia": (6, 7),
    "Hawaii": (7, 0), "Texas": (7, 3), "Florida": (7, 8),
}
ABBR = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "District of Columbia": "DC",
    "Florida": "FL", "Georgia": "GA", "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL",
    "Indiana": "IN", "Iowa": "IA", "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA",
    "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA", "Michigan": "MI",
    "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
    "New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND",
    "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
}
N_ROWS, N_COLS = 8, 11
DPI = 100
CELL_IN = 0.6  # inches per tile
#: Title characters per line to start from (narrowed until the lines fit the figure's
#: width) and lines at most (the band above the map holds two with the legend; a longer
#: name is cut at the second line's end)
TITLE_CHARS, TITLE_LINES = 110, 2


@literal_text
def access_map(doc: dict[str, Any], path: str | Path) -> Path:
    """Write the tile map of ``doc`` (:func:`keidesign.classification.report.
    classify_design`) as a PNG; each tile's colour is :data:`COLOURS` of its level."""
    from matplotlib.patches import Patch, Rectangle

    plt = _plt()
    levels = state_levels(doc["states"])
    fig = plt.figure(figsize=(N_COLS * CELL_IN, (N_ROWS + 1.6) * CELL_IN), dpi=DPI)
    ax = fig.add_axes((0.0, 0.0, 1.0, N_ROWS / (N_ROWS + 1.6)))
    for state, (r, c) in TILES.items():
        lv = levels[state]
        ax.add_patch(Rectangle((c + 0.04, N_ROWS - 1 - r + 0.04), 0.92, 0.92,
                               facecolor=COLOURS[lv], edgecolor="white", linewidth=0))
        ax.text(c + 0.5, N_ROWS - 1 - r + 0.5, ABBR[state], ha="center", va="center",
                fontsize=7, color="black" if lv in ("limited", "unknown") else "white")
    ax.set_xlim(0, N_COLS)
    ax.set_ylim(0, N_ROWS)
    ax.set_aspect("equal")
    ax.axis("off")
    counts = {lv: sum(1 for v in levels.values() if v == lv) for lv in LEVELS}
    cls = doc["class"]
    # wrapped to the map's width: an imported car's name and the report's "- optimum of
    # <study>" ran off both edges of the 6.6 in figure, cut at the PNG's sides (s44f)
    text = f"{doc['design']}: {cls['name']}; road access by state"
    renderer = fig.canvas.get_renderer()
    for chars in range(TITLE_CHARS, 30, -5):  # the widest wrap whose lines fit
        title = textwrap.wrap(text, chars, break_long_words=True)[:TITLE_LINES]
        sup = fig.suptitle("\n".join(title), fontsize=9, y=0.985)
        if sup.get_window_extent(renderer).width <= 0.98 * fig.bbox.width:
            break
    fig.legend(handles=[Patch(facecolor=COLOURS[lv], label=f"{lv} ({counts[lv]})")
                        for lv in LEVELS], loc="upper center", ncol=4, fontsize=7,
               frameon=False, bbox_to_anchor=(0.5, 0.93 - 0.027 * (len(title) - 1)))
    return save(fig, path, dpi=DPI, tight=False)   # tile_sample_px reads its pixels


def tile_sample_px(state: str) -> tuple[int, int]:
    """A pixel (x, y from the top) inside a state's tile of :func:`access_map`'s PNG,
    clear of its label (a fifth of a tile in from the tile's upper-left corner)."""
    r, c = TILES[state]
    height = round((N_ROWS + 1.6) * CELL_IN * DPI)
    cell = CELL_IN * DPI
    x = (c + 0.2) * cell
    y = height - (N_ROWS - r - 0.2) * cell  # the map axes sit at the figure bottom
    return round(x), round(y)
