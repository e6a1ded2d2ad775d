"""Files a study writes: design TOML, CSV tables, the STEP hand-off to ``geometry``.

Formats:

* a design file written back as TOML (:func:`design_toml`): the same tables and keys a
  hand-written design file has, every value in registered units, a comment header saying
  where it came from; it loads with :func:`keidesign.design.load_design`;
* CSV tables with units in the column headers (``name [units]``, ``[-]`` for a
  dimensionless quantity: :func:`column`; labels and flags such as ``status`` or
  ``feasible`` are bare);
* STEP: the CAD belongs to the geometry package; :func:`export_step` calls its exporter
  when one is importable and otherwise writes a note saying why there is no STEP file.
"""

from __future__ import annotations

import csv
import errno
import importlib
import inspect
import io
import json
import math
import os
import shutil
import stat
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit

from keidesign import tomlwrite
from keidesign.design import Design
from keidesign.errors import InputError, show_path
from keidesign.outpaths import replace_file
from keidesign.studies.scratch import scratch_folder
from keidesign.studies.spec import design_to_doc

__all__ = ["FORMULA_START", "column", "csv_cell", "design_toml", "discrete_column",
           "export_step", "recorder_history", "save_step_files", "step_files", "write_csv",
           "write_json"]


def design_toml(design: Design, header: Sequence[str] = ()) -> str:
    """TOML text of ``design`` as a design file, with ``header`` comment lines (values
    exact: they read back as the same floats)."""
    doc = tomlkit.document()
    for h in header:
        doc.add(tomlwrite.comment(h))
    if header:
        doc.add(tomlkit.nl())

    def emit(node: Mapping[str, Any], path: list[str]) -> None:
        scalars = {k: v for k, v in node.items() if not isinstance(v, Mapping)}
        if scalars and path:
            table = tomlwrite.table(doc, ".".join(path))
            for k, v in scalars.items():
                table.add(k, tomlwrite.value(v))
        for k, v in node.items():
            if isinstance(v, Mapping):
                emit(v, path + [k])

    emit(design_to_doc(design), [])
    return tomlkit.dumps(doc)


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: Injection"): a text cell starting with one is written with a leading ``'``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(x: Any) -> Any:
    """A value as :func:`write_csv` writes it: None empty, a float by ``repr`` (full
    precision), a text that a spreadsheet would read as a formula (:data:`FORMULA_START`:
    a study's discrete value ``=HYPERLINK(...)``, a message quoting one) with a leading
    ``'`` (written as it was before s29a, so opening ``cases.csv`` in a spreadsheet ran
    it); numbers and other text as they are."""
    if x is None:
        return ""
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, str) and x.startswith(FORMULA_START):
        return "'" + x
    return x


def column(name: str, units: str | None) -> str:
    """The CSV header of the quantity ``name`` in ``units``: ``name [units]``, and
    ``name [-]`` for a dimensionless one (OpenMDAO's ``unitless``, or no units: a HIC15,
    a star rating, a count). Before s31c a dimensionless column had no brackets, which
    reads as "units not given" beside the columns that have them."""
    return f"{name} [{units if units and units != 'unitless' else '-'}]"


def discrete_column(var: Any) -> str:
    """The CSV header of the discrete design variable ``var`` (a ``DesignVar``): an
    option whose values are all text (a rail grade, a body type) is a label, bare; one of
    numbers is a quantity, :func:`column` with its units. Written once for ``cases.csv``
    (sweep) and ``starts.csv`` (optimize), which each had a copy until s31o."""
    return var.name if all(isinstance(x, str) for x in var.values or ()) else \
        column(var.name, var.units)


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write a CSV table (floats with full precision; text cells by :func:`csv_cell`)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow([csv_cell(h) for h in header])
    for r in rows:
        w.writerow([csv_cell(x) for x in r])
    return replace_file(path, buf.getvalue())


def write_json(path: str | Path, doc: Any) -> Path:
    """Write JSON (NaN/inf as null, -0.0 as 0.0)."""
    def clean(x: Any) -> Any:
        if isinstance(x, float) and not math.isfinite(x):
            return None
        if isinstance(x, float) and x == 0.0:
            return 0.0
        if isinstance(x, Mapping):
            return {str(k): clean(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [clean(v) for v in x]
        return x

    p = Path(path)
    replace_file(p, json.dumps(clean(doc), indent=2, allow_nan=False) + "\n")
    return p


#: Where the geometry package's STEP exporter may live: (module, function). The function
#: is called as ``fn(design, path)`` with a :class:`Design` (or, if its first parameter
#: is named like a path, with the design file's path).
STEP_EXPORTERS = (("geometry.export", "export"), ("geometry.export", "export_step"),
                  ("geometry", "export_step"), ("geometry.step", "export_step"))


def step_files(design: Design, toml_text: str, stem: str, packs: Sequence[Any] = ()
               ) -> tuple[bool, str, dict[str, bytes]]:
    """:func:`export_step` of ``design`` in a scratch folder, returned as file bytes.

    A task for a worker (no shared file system needed): the design file ``<stem>.toml``
    (``toml_text``) is written there, exported to ``<stem>.step`` (+ the exporter's
    sidecar, or a ``.step.txt`` note), and every file but the design file comes back as
    ``{name: bytes}``; :func:`save_step_files` writes them where they belong.
    """
    from keidesign.studies.worker import limit_cad_threads

    limit_cad_threads()
    with scratch_folder("step") as folder:   # swept if this process is killed mid-export
        toml = folder / f"{stem}.toml"
        toml.write_text(toml_text, encoding="utf-8")
        ok, msg = export_step(design, toml, folder / f"{stem}.step", packs)
        files = {f.name: f.read_bytes() for f in sorted(folder.iterdir())
                 if f.is_file() and f != toml}
        return ok, msg.replace(str(folder), "{out}"), _relocate(files, str(folder), "{out}")


def save_step_files(files: Mapping[str, bytes], out: Path) -> list[Path]:
    """Write the files of :func:`step_files` into ``out`` (paths inside them fixed)."""
    written = []
    for name, data in _relocate(files, "{out}", str(out)).items():
        replace_file(out / name, data)
        written.append(out / name)
    return written


def _relocate(files: Mapping[str, bytes], old: str, new: str) -> dict[str, bytes]:
    """Text files (sidecar JSON, notes) with the folder path ``old`` replaced by ``new``."""
    out = {}
    for name, data in files.items():
        if name.endswith((".json", ".txt")):
            data = data.decode("utf-8").replace(json.dumps(old)[1:-1],
                                                json.dumps(new)[1:-1]).encode("utf-8")
        out[name] = data
    return out


def export_step(design: Design, design_file: Path, step_path: Path,
                packs: Sequence[Any] = ()) -> tuple[bool, str]:
    """Export ``design`` as STEP through the geometry package, if it offers an exporter.

    ``geometry.export.export(design, step=path, packs=packs)`` (the geometry package's
    exporter: STEP assembly plus its JSON sidecar) is tried first, then the other names
    of :data:`STEP_EXPORTERS` as ``fn(design, path)``. Returns ``(written, message)``.
    Without an exporter it writes ``<step_path>.txt`` saying so; an exporter that fails
    writes the error there. Never builds CAD itself.
    """
    note = step_path.with_suffix(".step.txt")
    tried = []
    for mod_name, fn_name in STEP_EXPORTERS:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            tried.append(f"{mod_name}.{fn_name} (no module)")
            continue
        fn = getattr(mod, fn_name, None)
        if not callable(fn):
            tried.append(f"{mod_name}.{fn_name} (no function)")
            continue
        params = list(inspect.signature(fn).parameters)
        first = design_file if params and params[0] in ("path", "design_path", "design_file",
                                                         "toml") else design
        try:
            if "step" in params:
                kw = {"packs": list(packs)} if "packs" in params else {}
                fn(first, step=step_path, **kw)
            else:
                fn(first, step_path)
        except Exception as exc:  # the CAD is another package's: report, don't crash
            note.write_text(f"STEP export by {mod_name}.{fn_name} failed: "
                            f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
            return False, f"STEP export failed ({type(exc).__name__}: {exc}); see {note}"
        if step_path.is_file():
            return True, f"STEP: {step_path}"
        tried.append(f"{mod_name}.{fn_name} (wrote no file)")
    note.write_text("No STEP file: the geometry package offers no STEP exporter yet "
                    "(looked for " + ", ".join(tried) + "). Export the design file "
                    f"{design_file.name} with the geometry tools once they exist "
                    "(`keidesign export`).\n", encoding="utf-8")
    return False, f"no STEP exporter in the geometry package yet (note: {note})"


def recorder_history(cases: str | Path) -> dict[str, Any]:
    """Driver history of an optimization from the recorder this process just wrote.

    OpenMDAO's ``CaseReader`` unpickles parts of a recorder file (with a deny-list, not a
    sandbox), so only ``keidesign optimize`` reads its own fresh recorder here (a regular
    file of this user's with one name, copied into a private folder first: :func:`_own_copy`,
    audit s42a); it saves
    the result as ``history.json`` (schema ``keidesign.history/1``), which is what
    reports and notebooks read (docs/security.md). Returns ``{schema, objective:
    {name, units, values}, violation: [...] (worst constraint violation relative to its
    scale, 0 = none), design_variables: {name: {lower, upper, units, values}}}``.
    """
    with scratch_folder("history") as tmp:
        return _history(_own_copy(Path(cases), tmp / "cases.sql"))


def _own_copy(cases: Path, to: Path) -> Path:
    """Copy the recorder ``cases`` to ``to`` (in a folder of this user's, mode 0700) if it
    is the file this run wrote: a regular file of this user's with one name, opened
    without following a link; else :class:`InputError`. Since audit s42a: OpenMDAO writes
    the recorder into ``<out>/optimization_out/``, which another user can own (an empty
    folder is no earlier result: a shared ``--out`` folder, or one another user made), and
    there swap for a file of theirs before it is read back; ``CaseReader`` unpickles it.
    Only this user can make a file this user owns, and the copy is read from the file
    checked (one descriptor), so the reader never sees another's bytes."""
    flags = (os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0))
    problem = None
    try:
        fd = os.open(cases, flags)
    except OSError as exc:
        problem = ("a symbolic link" if exc.errno == errno.ELOOP
                   else f"unreadable ({exc.strerror or exc})")
    else:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                problem = "not a regular file"
            elif st.st_uid != os.getuid():
                problem = f"owned by another user (uid {st.st_uid})"
            elif st.st_nlink != 1:
                problem = f"a hard link ({st.st_nlink} names of one file)"
            else:
                with os.fdopen(fd, "rb", closefd=False) as src, to.open("xb") as dst:
                    shutil.copyfileobj(src, dst)
        finally:
            os.close(fd)
    if problem is not None:
        raise InputError(f"{show_path(cases)}: the optimizer's recorder is {problem}, not the "
                         "file this run wrote (OpenMDAO's CaseReader unpickles it, so it is "
                         "not read); allowed: a results folder only you can write (--out)")
    return to


def _history(cases: Path) -> dict[str, Any]:
    """:func:`recorder_history` of the checked copy ``cases``."""
    import numpy as np
    import openmdao.api as om

    cr = om.CaseReader(str(cases))
    ids = cr.list_cases("driver", recurse=False, out_stream=None)
    meta = cr.problem_metadata["variables"]
    obj_name = None
    objs: list[float] = []
    viol: list[float] = []
    dvs: dict[str, list[float]] = {}
    for cid in ids:
        case = cr.get_case(cid)
        o = case.get_objectives()
        obj_name = obj_name or next(iter(o))
        objs.append(float(np.ravel(o[obj_name])[0]))
        worst = 0.0
        for name, val in case.get_constraints().items():
            m = meta.get(name, {})
            ref = m.get("ref") or 1.0
            lo, hi = m.get("lower"), m.get("upper")
            v = float(np.ravel(val)[0])
            if lo is not None and lo > -1e29:
                worst = max(worst, (lo - v) / abs(ref))
            if hi is not None and hi < 1e29:
                worst = max(worst, (v - hi) / abs(ref))
        viol.append(worst)
        for name, val in case.get_design_vars().items():
            dvs.setdefault(name, []).append(float(np.ravel(val)[0]))

    def _num(x: Any) -> float | None:
        try:
            v = float(np.ravel(x)[0])
        except (TypeError, ValueError, IndexError):
            return None
        return v if math.isfinite(v) and abs(v) < 1e29 else None

    return {
        "schema": "keidesign.history/1",
        "objective": {"name": obj_name,
                      "units": meta.get(obj_name, {}).get("units") if obj_name else None,
                      "values": objs},
        "violation": viol,
        "design_variables": {
            n: {"lower": _num(meta.get(n, {}).get("lower")),
                "upper": _num(meta.get(n, {}).get("upper")),
                "units": meta.get(n, {}).get("units"), "values": vals}
            for n, vals in dvs.items()},
    }
