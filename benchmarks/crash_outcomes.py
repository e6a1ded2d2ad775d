"""Crash verdicts of US-certified cars and IIHS roof ratios (docs/crash.md, "Known
outcomes"; issue 14).

    python benchmarks/crash_outcomes.py               # print the tables (~1 min)
    python benchmarks/crash_outcomes.py --write-docs  # rewrite the generated block
    python benchmarks/crash_outcomes.py --check       # exit 1 if the docs differ

Every us_specs.csv generation is imported from its published specs and evaluated with
the fmvss pack (keidesign/validation/crash.py); nothing is fitted to these outcomes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OPENMDAO_REPORTS", "0")

import docblock  # noqa: E402  (benchmarks/docblock.py)

from keidesign.validation import crash as cv  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "crash.md"


def main() -> int:
    args = docblock.arguments(__doc__)
    text = cv.markdown(cv.certified_cars(), cv.roof_checks())
    print(text)
    return docblock.write_or_check(args, DOC, "crash_outcomes", text, ROOT)


if __name__ == "__main__":
    sys.exit(main())
