"""The geometry figures of the docs: off-screen renders of the reference designs.

``python -m keidesign.review.geometry_figures [--out DIR] [DESIGN.toml ...]`` writes the
views of :func:`geometry.render.render_views` (default ``docs/img/geometry``) for the
reference designs of ``studies/designs`` or the given design files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geometry.export import build
from geometry.render import render_views
from keidesign.design import load_design


def main(argv: list[str] | None = None) -> int:
    """Render the docs images of the reference designs, or of the given design files."""
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=main.__doc__, allow_abbrev=False)
    ap.add_argument("designs", nargs="*", type=Path)
    ap.add_argument("--out", type=Path, default=root / "docs" / "img" / "geometry")
    ap.add_argument("--views", nargs="+", default=["front34", "rear34", "side", "xray"])
    args = ap.parse_args(argv)
    paths = args.designs or sorted((root / "studies" / "designs").glob("*.toml"))
    for path in paths:
        for p in render_views(build(load_design(path)), args.out, path.stem, args.views,
                              size=(1000, 580)):
            print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
