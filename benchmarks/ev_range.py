"""(f) EV range: model label range against fueleconomy.gov for every sourced pack.

    python benchmarks/ev_range.py               # print the table (about a minute)
    python benchmarks/ev_range.py --write-docs  # rewrite the block in docs/validation.md
    python benchmarks/ev_range.py --check       # exit 1 if the docs differ

keidesign.validation.evrange: each pack of keidesign/data/vehicles/ev_batteries.csv that
joins a us_specs generation, imported from published specs and evaluated.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.validation import evrange  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "validation.md"

if __name__ == "__main__":
    sys.exit(docblock.script_main(__doc__, DOC, "ev_range", lambda: evrange.markdown(
        evrange.rows()), ROOT))
