"""``keidesign export``: STEP/STL/GLB of a design's parametric body (CLI plugin).

``keidesign export DESIGN.toml --step out.step [--stl out.stl] [--glb out.glb]
[--json out.json] [--render DIR]`` (at least one of --step, --stl, --glb) builds the body
of the design file, writes the assembly (named parts, mm) and a JSON sidecar with the
design parameters, the keidesign version, the derived quantities and the
envelope/packaging checks (margins). Missing folders of the output paths are created.
Bad input is one error line (exit status 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from keidesign.errors import show_path
from keidesign.helptext import plain


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` subcommand."""
    p = subparsers.add_parser("export", help="write the CAD body (STEP/STL/GLB) of a design",
                              description=plain(__doc__.split("\n\n")[1]))
    p.add_argument("design", type=Path, metavar="DESIGN.toml",
                   help="the design file whose body is built")
    p.add_argument("--step", type=Path, metavar="FILE",
                   help="assembly STEP file (mm, named parts)")
    p.add_argument("--stl", type=Path, metavar="FILE", help="STL mesh of all parts (mm)")
    p.add_argument("--glb", type=Path, metavar="FILE",
                   help="binary glTF of the coloured assembly")
    p.add_argument("--json", type=Path, metavar="FILE",
                   help="sidecar JSON (default: first output path with .json)")
    p.add_argument("--render", type=Path, metavar="DIR",
                   help="also write PNG views (pyvista, off-screen) into DIR")
    p.add_argument("--rules", nargs="+", metavar="PACK",
                   help="rule packs for the envelope checks (default: the design's own)")
    p.set_defaults(handler=_export)


#: What an option given without a CAD output would have written.
_ALONE = {"json": "it is the sidecar of a STEP, STL or GLB file",
          "render": "it adds PNG views to a STEP, STL or GLB export"}


def _check_outputs(args: argparse.Namespace) -> None:
    """The options asked for and their paths, before the design is read or the CAD
    libraries load (since 7 Dec 2026, new-user pass s37d: ``--json side.json`` alone was
    told 'no output requested' after the design and its packs had been read, and a path
    that cannot be written after the body's build)."""
    from keidesign.errors import InputError
    from keidesign.outpaths import file_folder

    outs = {k: getattr(args, k) for k in ("step", "stl", "glb")}
    if not any(outs.values()):
        alone = "".join(f"; --{k} alone writes nothing ({why})" for k, why in _ALONE.items()
                        if getattr(args, k))
        raise InputError(f"keidesign export: no CAD output requested{alone}; allowed: "
                         "--step PATH, --stl PATH and/or --glb PATH")
    for kind, path in [*outs.items(), ("json", args.json)]:
        if path:
            file_folder(path, f"--{kind}")


def _export(args: argparse.Namespace) -> int:
    _check_outputs(args)
    from geometry.checks import hint
    from geometry.export import build, export
    from keidesign.design import load_design
    from keidesign.evaluation import design_packs, resolve_packs
    from keidesign.outpaths import make_folder

    design = load_design(args.design)
    packs = resolve_packs(args.rules) if args.rules else design_packs(design)
    if args.render:
        make_folder(args.render, "--render", "the render folder")
    doc = export(design, step=args.step, stl=args.stl, glb=args.glb, json_path=args.json,
                 packs=packs, overlaps=True)
    for kind, path in doc["files"].items():
        print(f"{kind:5s} {show_path(path)}")
    failed = [c["id"] for c in doc["checks"] if not c["passed"]]
    print(f"checks: {len(doc['checks'])} ({len(failed)} below bound"
          + (f": {', '.join(failed)}" if failed else "") + ")")
    for check in doc["checks"]:           # the fields a failed packaging check names
        if text := hint(check):
            print(f"hint  {text}")
    found = doc.get("interferences", [])
    partial = [f"{'/'.join(o['parts'])} {o['volume_m3']:.4f} m**3" for o in found
               if o["kind"] == "partial"]
    print(f"overlaps: {len(found)} part pairs share volume ("
          f"{sum(o['kind'] != 'partial' for o in found)} by construction or layout, "
          f"{len(partial)} partial" + (f": {', '.join(partial)}" if partial else "")
          + "; sidecar 'interferences')")
    for note in doc.get("notes", []):     # what the solid leaves out (and the renders)
        print(f"note  {note}")
    if args.render:
        from geometry.render import render_views

        for p in render_views(build(design), args.render, args.design.stem):
            print(f"png   {show_path(p)}")
    return 0
