"""The ``keidesign`` command line.

Subcommands:

* ``evaluate DESIGN.toml [DESIGN.toml ...] [--rules PACK ...] [--json]``: build the
  OpenMDAO model, run it once, print the compliance table (or JSON on stdout);
* ``check DESIGN.toml ...``: validate design files (values, body layout) and the rule
  packs they list, without a run: every file is checked, one error line per bad file,
  exit 2 if any failed;
* ``rules``: list the rule packs found (built-in and user folders);
* ``variables [--design-only]``: print the variable registry as a Markdown table.

Bad input (design file, rule pack, argument, a path that cannot be read or written)
prints one line ``keidesign: error: ...`` on stderr and exits 2. An output path whose
folders do not exist yet is written after creating them (:mod:`keidesign.outpaths`).
Constraint failures are results: exit 0, unless ``--strict`` is given (then exit 1 when
a constraint fails).
"""

from __future__ import annotations

import _thread
import argparse
import gc
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from keidesign import __version__
from keidesign import variables as reg
from keidesign.errors import InputError, one_line, show_path
from keidesign.helptext import plain
from keidesign.interrupt import EXIT_INTERRUPTED, INTERRUPTED_LINE, interrupted_at_start

EXIT_INPUT = 2
EXIT_FAILED_CONSTRAINT = 1


class Parser(argparse.ArgumentParser):
    """An argument parser that takes no abbreviated long option (``check --rules X`` was
    read as ``--rules-dir X``, silently): ``allow_abbrev=False``, for the top parser and,
    through ``add_subparsers`` (whose subparsers are of the parent's class), every
    subcommand's."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="keidesign", description=plain(__doc__.split("\n\n")[0]))
    p.add_argument("--version", action="version", version=f"keidesign {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True)

    ev = sub.add_parser("evaluate", help="evaluate design files against rule packs",
                        description="Build the model of each design file, run it once and "
                        "print the compliance table of its rule packs (value, bound, margin, "
                        "result, source) with the federal class line. Constraint failures "
                        "are results: exit 0 (1 with --strict); 2 for bad input.")
    ev.add_argument("designs", nargs="+", type=Path, metavar="DESIGN.toml",
                    help="design files (their keys: keidesign variables --design-only)")
    ev.add_argument("--rules", nargs="+", action="extend", metavar="PACK",
                    help="rule packs (ids or .toml paths; repeatable: --rules fmvss "
                         "--rules us-ncap); default: the design's own list")
    ev.add_argument("--rules-dir", action="append", type=Path, default=[], metavar="DIR",
                    help="extra folder to look for rule packs in (repeatable)")
    ev.add_argument("--json", action="store_true",
                    help="write a JSON document (a list for several designs) to stdout")
    ev.add_argument("--strict", action="store_true",
                    help="exit 1 if any evaluated constraint fails")
    ev.set_defaults(preload=("keidesign.model", "keidesign.evaluation"))

    ck = sub.add_parser("check", help="validate design files (values, body layout) and "
                        "the rule packs they list",
                        description="Validate design files without a run: values and "
                        "units, body layout, the rule packs they list (or those of "
                        "--rules, as evaluate reads them). One 'ok' line per "
                        "good file, one error line per bad file; exit 2 if any failed.")
    ck.add_argument("designs", nargs="+", type=Path, metavar="DESIGN.toml",
                    help="design files to validate")
    ck.add_argument("--rules", nargs="+", action="extend", metavar="PACK",
                    help="rule packs to read instead of the design's own list, as "
                         "evaluate --rules (ids or .toml paths; repeatable)")
    ck.add_argument("--rules-dir", action="append", type=Path, default=[], metavar="DIR",
                    help="extra folder to look for rule packs in (repeatable)")

    ru = sub.add_parser("rules", help="list available rule packs, or one pack's constraints",
                        description="List the rule packs found (id, version, number of "
                        "constraints, title, file): the --rules-dir folders, then "
                        "$KEIDESIGN_RULES_PATH, ./rules/ and the built-in packs (the first "
                        "folder holding an id wins). With PACK ids, list each pack's "
                        "constraints: bound, and the model quantity that judges it or why "
                        "no model does.")
    ru.add_argument("packs", nargs="*", metavar="PACK",
                    help="list these packs' constraints instead (ids or .toml paths): "
                    "each bound and what judges it, a criterion no model computes with "
                    "the reason")
    ru.add_argument("--rules-dir", action="append", type=Path, default=[], metavar="DIR",
                    help="extra folder to look for rule packs in (repeatable)")

    va = sub.add_parser("variables", help="print the variable registry (Markdown)",
                        description="Print the variable registry as a Markdown table: "
                        "name, units, default, allowed range (design-file keys) and "
                        "description.")
    va.add_argument("--design-only", action="store_true",
                    help="only the design-file keys (with their allowed ranges)")
    va.add_argument("--output", type=Path, metavar="FILE",
                    help="write a docs/variables.md-style page to FILE (missing folders "
                         "are created)")
    for plugin in _plugins():
        plugin.register(sub)
    return p


# Modules that add subcommands: each has ``register(subparsers)`` adding parsers whose
# ``handler`` default is ``fn(args) -> int`` (exit status). Registering imports no model:
# a handler imports what it runs, and a parser that runs the model names those modules in
# its ``preload`` default (a tuple of module names), imported before the garbage
# collector's freeze in :func:`main`.
PLUGIN_MODULES = ("geometry.commands", "keidesign.studies.commands",
                  "keidesign.costing.commands", "keidesign.review.commands",
                  "keidesign.validation.commands", "keidesign.specs.commands",
                  "keidesign.classification.commands")


def _plugins() -> list:
    import importlib

    found = []
    for name in PLUGIN_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:  # that plugin is not written yet
            if exc.name is None or not name.startswith(exc.name):
                raise
    return found


def _evaluate(args: argparse.Namespace) -> int:
    from keidesign.classification import report
    from keidesign.design import load_design
    from keidesign.evaluation import design_packs, evaluate_design, format_table, resolve_packs

    designs = [load_design(d) for d in args.designs]  # validate all before any run
    packs = [resolve_packs(args.rules, args.rules_dir, where="--rules") if args.rules
             else design_packs(d, args.rules_dir) for d in designs]
    results = [evaluate_design(d, p) for d, p in zip(designs, packs, strict=True)]
    classes = [report.classify_design(d, r) if "perf:top_speed" in r.outputs
               else None for d, r in zip(designs, results, strict=True)]
    if args.json:
        docs = [r.to_json() for r in results]
        for doc, c in zip(docs, classes, strict=True):
            if c is not None:
                doc["classification"] = {k: c[k] for k in (
                    "class", "inputs", "summary", "fmvss_failed", "fmvss_proxies_failed",
                    "fmvss_judged", "fmvss_policy_failed")}
        json.dump(docs[0] if len(docs) == 1 else docs, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    else:
        print(("\n\n" + "=" * 100 + "\n\n").join(
            _with_class(format_table(r), c) for r, c in zip(results, classes, strict=True)))
    if args.strict and any(not r.summary()["all_passed"] for r in results):
        return EXIT_FAILED_CONSTRAINT
    return 0


def _with_class(table: str, classification: dict | None) -> str:
    """The evaluation table with the class line just above its summary (last) line."""
    if classification is None:
        return table
    from keidesign.classification import report

    head, _, tail = table.rpartition("\n")
    return f"{head}\n{report.one_line(classification)}\n{tail}"


def _check(args: argparse.Namespace) -> int:
    """Check every file (a bad one does not stop the others): one ``ok`` line per good
    file on stdout, one ``keidesign: error: ...`` line per bad file on stderr; exit 2 if
    any file failed."""
    from geometry.params import layout_from_design
    from keidesign.design import load_design
    from keidesign.evaluation import design_packs, resolve_packs
    from keidesign.rulepacks import pack_label, shadows_builtin

    try:  # --rules: one set of packs for every file, a bad one named once, as evaluate
        given = (resolve_packs(args.rules, args.rules_dir, where="--rules") if args.rules
                 else None)
    except InputError as exc:
        print(f"keidesign: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_INPUT
    n_bad = 0
    for d in args.designs:
        try:
            design = load_design(d)
            layout_from_design(design)  # the body check evaluate makes before its run
            packs = given if given is not None else design_packs(design, args.rules_dir)
        except InputError as exc:
            n_bad += 1
            msg = one_line(exc)
            if show_path(d) not in msg:  # every line names its file
                msg = f"{show_path(d)}: {msg}"
            print(f"keidesign: error: {msg}", file=sys.stderr)
            continue
        # the path as show_path gives it: a file name from a folder of others may hold ESC
        print(f"{show_path(d)}: ok ({design.name}, {design.powertrain_type}; rule packs "
              f"{', '.join(pack_label(p) if shadows_builtin(p) else p.id for p in packs)})")
    return EXIT_INPUT if n_bad else 0


def _rules(args: argparse.Namespace) -> int:
    import shutil

    from keidesign.evaluation import resolve_packs
    from keidesign.packlist import format_pack_criteria, format_pack_list
    from keidesign.rulepacks import list_packs

    columns = shutil.get_terminal_size((100, 24)).columns
    width = min(max(columns, 72), 160)
    if args.packs:
        packs = resolve_packs(args.packs, args.rules_dir, where="rules")
        print("\n\n".join(format_pack_criteria(p, width=width) for p in packs))
        return 0
    print(format_pack_list(list_packs(args.rules_dir), width=width))
    return 0


VARIABLES_PAGE_HEADER = """# Variable registry

Every model variable, from `keidesign/catalogue/` (one registry for design files,
OpenMDAO components and this table). Design-file keys have an "allowed" range; the
others are model outputs. Regenerate with
`keidesign variables --output docs/variables.md` (a test keeps it current).

"""


def _variables(args: argparse.Namespace) -> int:
    vars_ = reg.variables(design=True) if args.design_only else reg.variables()
    table = reg.markdown_table(vars_)
    if args.output:
        from keidesign.outpaths import file_folder

        file_folder(args.output, "--output").write_text(VARIABLES_PAGE_HEADER + table,
                                                        encoding="utf-8")
    else:
        sys.stdout.write(table)
    return 0


def _check_rules_dirs(dirs: Sequence[Path]) -> None:
    """A ``--rules-dir`` that is not a folder (a typo) is an error, not a silently empty
    folder of packs."""
    for d in dirs:
        if not d.is_dir():
            what = "is not a folder" if d.exists() else "does not exist"
            raise InputError(f"--rules-dir {show_path(d)}: {what}; allowed: an existing "
                             "folder of rule packs (*.toml)")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry of the command line (through :func:`keidesign.console.main` for the console
    script and ``python -m keidesign``); returns the exit status."""
    os.environ.setdefault("OPENMDAO_REPORTS", "0")
    # Ctrl-C: run from the console entry, its start-up handler stays through the parser
    # (the plugin modules) and the command's preload (a Ctrl-C there ends the process at
    # once with the one line: nothing is written yet, and no import's bare ``except`` can
    # swallow it), and _run installs _on_ctrl_c just before the command runs; called
    # in-process with Python's default handler, main installs _on_ctrl_c now. Until task
    # s44b the parser ran under Python's default handler: a traceback and exit -2.
    previous = signal.getsignal(signal.SIGINT)
    at_start = previous is interrupted_at_start
    owned = _own_ctrl_c() if not at_start else False
    try:
        args = _parser().parse_args(argv)
        # the console command (argv from sys.argv) runs the shipped model in a process of
        # its own: its results may be kept on disk (the import's restraint rule,
        # keidesign.specs.resultcache); a caller in-process (tests, probes that patch the
        # model) passes argv and always computes
        args.own_process = argv is None
        # the long-lived objects of the imports need no garbage-collector scans (OpenMDAO
        # recorders call gc.collect() on close, once per optimization start or re-solve;
        # the automatic full collections of a model run): the command's own heavy modules
        # (the model, OpenMDAO), which registering the subcommands no longer imports, are
        # imported first, then frozen with the parser's
        return _run(args, own_ctrl_c=at_start)
    except KeyboardInterrupt:
        # a Ctrl-C outside the study commands' own handling (which say what is kept):
        # while the command imports its model, or while evaluate/export/... run. Python's
        # KeyboardInterrupt traceback, 30-70 lines, before task s35f
        print(INTERRUPTED_LINE, file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if owned or at_start:
            signal.signal(signal.SIGINT, previous)


def _own_ctrl_c() -> bool:
    """Install :func:`_on_ctrl_c` as the SIGINT handler when Python's default one is set,
    or the console entry's start-up one (:func:`keidesign.interrupt.interrupted_at_start`),
    in the main thread; True if installed (``main`` puts the one it replaced back)."""
    if threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) not in (signal.default_int_handler,
                                                       interrupted_at_start):
        return False
    signal.signal(signal.SIGINT, _on_ctrl_c)
    return True


#: packages in whose Python code a Ctrl-C waits (:func:`_on_ctrl_c`): numba's compiler
#: and cache loader, and llvmlite, its binding to LLVM
_DEFERRING_PACKAGES = ("numba", "llvmlite")


def _on_ctrl_c(signum: int, frame: Any) -> None:
    """Python's KeyboardInterrupt, except where raising it loses it or breaks the process;
    there the interrupt is sent again 50 ms later (``_thread.interrupt_main``, which runs
    this handler again), until the main thread has left that code. Python runs the
    handler at the main thread's next bytecode, so the exception appears wherever that
    thread is:

    * in a garbage-collector callback it is printed as "Exception ignored in ..." and
      dropped. Dask's GC diagnosis, which the scheduler of a study's LocalCluster
      installs in this process, is such a callback: a Ctrl-C in the first seconds of
      ``keidesign sweep --workers 2`` was lost there 1 time in 4, and the sweep ran to
      its end (task s35f);
    * in numba or llvmlite (:data:`_DEFERRING_PACKAGES`: a kernel's first call in the
      process, which loads its machine code from numba's cache or compiles it, ~0.1-2 s).
      LLVM calls back into llvmlite's Python code through ctypes (the object cache's
      ``getbuffer``/``notify``), where the exception is printed as "Exception ignored on
      calling ctypes callback function" and dropped; elsewhere it stops llvmlite between
      freeing an LLVM object and marking it freed, and the object's finalizer frees it
      again later. The serial sweep of ``tests/test_studies_runs.py`` got its Ctrl-C
      there once in a loaded full-suite run and died with SIGSEGV (exit -11, not 130);
      a numba-only loop (a kernel's first call from the cache, SIGINT 0-2.5 s after the
      start) aborted with "free(): double free" 1 time in 20 (task s43i). The wait ends
      with the load or compilation (a fresh checkout's ~26 s of CPU at most, once per
      cache)."""
    codes = {getattr(getattr(cb, "__func__", cb), "__code__", None) for cb in gc.callbacks}
    folders = tuple(os.path.dirname(m.__file__) + os.sep for m in
                    map(sys.modules.get, _DEFERRING_PACKAGES) if getattr(m, "__file__", None))
    while frame is not None:
        if frame.f_code in codes or frame.f_code.co_filename.startswith(folders):
            threading.Timer(0.05, _thread.interrupt_main, args=(signum,)).start()
            return
        frame = frame.f_back
    raise KeyboardInterrupt


def _run(args: argparse.Namespace, own_ctrl_c: bool = False) -> int:
    """Preload the command's modules, freeze the garbage collector's objects, then run
    the command's handler (``own_ctrl_c``: install :func:`_on_ctrl_c` first)."""
    if getattr(args, "preload", None):
        import importlib

        for name in args.preload:
            importlib.import_module(name)
    gc.freeze()
    if own_ctrl_c:
        _own_ctrl_c()
    handler = {"evaluate": _evaluate, "check": _check, "rules": _rules,
               "variables": _variables}.get(args.cmd) or args.handler
    try:
        _check_rules_dirs(getattr(args, "rules_dir", None) or [])
        return handler(args)
    except InputError as exc:
        print(f"keidesign: error: {one_line(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # e.g. `keidesign evaluate ... | head`
        return 0
    except OSError as exc:  # an output path (-o, --output, --plot, ...) that cannot be
        if exc.filename is None:  # written; the readers name their own file problems
            raise
        print(f"keidesign: error: {show_path(exc.filename)}: {exc.strerror or exc}; "
              "allowed: a path this user may write (missing folders are created) or read",
              file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
