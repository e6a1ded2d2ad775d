"""A user's own EPA files: ``--testcars FILE`` and ``--labels FILE`` of ``keidesign import
epa`` and ``keidesign validate`` (docs/import.md, docs/validation.md "Your own EPA rows").

The files are CSV in the columns of the shipped ``keidesign/data/epa`` files (the EPA Test
Car List, https://www.epa.gov/compliance-and-fuel-economy-data/data-cars-used-testing-fuel-economy,
and the fueleconomy.gov ``vehicles.csv``, https://www.fueleconomy.gov/feg/download.shtml,
cut to the shipped columns). They are read here, checked, and then handed to the shipped
loaders of :mod:`keidesign.energy.testcars` (:func:`keidesign.energy.testcars.external_rows`):
the same grouping, de-duplication, exclusions and label join as the shipped rows; nothing is
refitted, the constants are the shipped ones.

Hostile input (docs/security.md): the file is read by
:func:`keidesign.inputfiles.read_text` (a regular file, at most :data:`MAX_BYTES`, UTF-8);
parsed by the standard library's ``csv`` (data only: no cell reaches ``eval``/``exec``);
at most :data:`MAX_ROWS` rows, blank lines included, each of at most
:data:`keidesign.inputfiles.CSV_MAX_RECORD` characters, measured as its lines are read
(audit s42a: a 30 MB row of 10,000,000 cells was split into lists before its cell count
was refused, 1.09 GB); every column of the shipped header must be present (one error
naming the missing ones) and none given twice; a cell holding a character that is not
printable (a control, a right-to-left override, a zero-width space), a numeric column
holding text, NaN or an infinity, a count or year that is not whole, a model year outside
1975-2100 (EPA testing began for MY1975) or an ``Analytically Derived FE?`` other than
Yes/No is refused with one line naming the line, column and value; a negative value where
the quantity cannot be negative, or a blank label value the label needs, skips that row
(counted, :attr:`EpaFile.skipped`), and so does a needed label value of 0; any other
value outside its column's physical range (:data:`RANGES`, e.g. an ETW of 1e30 lb, a
coast-down A of 1e9 lbf, 200 gears, an mpg of 1e12, a subnormal divisor) is refused in
one line naming the line, column, value and range; so is a file of more than
:data:`MAX_COLUMNS` columns, and so is a cell of more than :data:`CELL_MAX` characters in
a column the loaders read (their regular expressions on model names and motor texts take
time that grows with the square of a cell: audit s44a), and files whose label join would
compare more than :data:`keidesign.energy.testcars.JOIN_MAX` label rows (counted before
the join, :func:`using`). A file with no usable row is an error of its own (exit 2,
:func:`using`); ``validate`` runs at most :data:`MAX_VALIDATE` configurations. Units are
the EPA files' own (lb, lbf, lbf/mph, lbf/mph^2, mpg or MPGe); the loader converts them
(:mod:`keidesign.energy.testcars`).
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from keidesign.energy import testcars as tc
from keidesign.energy.epa_rows import Row, RowStore
from keidesign.errors import InputError, show, show_path
from keidesign.inputfiles import CSV_MAX_RECORD, RecordText, RecordTooLong, read_text

__all__ = ["LABEL_FILE", "MAX_BYTES", "MAX_COLUMNS", "MAX_ROWS", "MAX_VALIDATE", "EpaFile",
           "read_labels", "read_testcars", "using"]

#: File size cap: the shipped test-car file is 0.9 MB for 13 model years of small cars
MAX_BYTES = 32 * 1024 * 1024
#: Row cap (the shipped files: 4,136 test rows, 5,003 label rows)
MAX_ROWS = 200_000
LABEL_FILE = "epa_label_small_2011_2023.csv"
#: Most configurations ``validate --testcars`` runs: each is a model run of the specs-only
#: import (~0.5-0.8 s on a loaded 2-core machine: 20 took 15.4 s), and a 32 MB file holds
#: ~75,000 configurations of two rows (~12 h, audit s40b). 2,000 is three times the shipped
#: rows' 674; split a larger file. ``import epa --testcars`` runs one and is not limited.
MAX_VALIDATE = 2000
#: Column cap: the shipped files have 30 and 23 columns, EPA's whole Test Car List ~70 and
#: fueleconomy.gov's ``vehicles.csv`` ~84. A 32 MB file of 1,000,000 (empty) columns took
#: 158 s and 1.2 GB to read 25 rows (a dict of a million cells each; audit s40b).
MAX_COLUMNS = 1000

#: Characters a cell of a column the loaders read may hold (the shipped header's columns
#: and ``eng_dscr``): the shipped files' longest is 65 ("Automated Manual- Selectable
#: (e.g. Automated Manual with paddles)"). The loaders match regular expressions on
#: these cells whose time grows with the square of a cell (audit s44a: a label row's
#: ``evMotor`` of 20,000 digits took 25 s of ``import epa``, 130,000 digits, within the CSV
#: reader's field limit, 849 s; a model of 131,070 characters 3.8 s per configuration in
#: the hybrid test); other columns are only bounded by the record's length (never read).
CELL_MAX = 256

#: The label join's work on the shipped rows (:func:`keidesign.energy.testcars.join_work`),
#: quoted in the message of a user's files over :data:`keidesign.energy.testcars.JOIN_MAX`.
SHIPPED_JOIN = 20_364

#: Numeric columns of the test-car file; those that may be negative (a coast-down's B
#: term, the dynamometer set coefficients: 1,106 and 945 shipped rows are) are listed apart
TEST_NUMERIC = ("Model Year", "Test Veh Displacement (L)", "Rated Horsepower",
                "# of Cylinders and Rotors", "# of Gears", "Equivalent Test Weight (lbs.)",
                "Axle Ratio", "N/V Ratio", "RND_ADJ_FE", "FE Bag 1", "FE Bag 2", "FE Bag 3",
                "FE Bag 4", "CO2 (g/mi)", "Target Coef A (lbf)", "Target Coef B (lbf/mph)",
                "Target Coef C (lbf/mph**2)", "Set Coef A (lbf)", "Set Coef B (lbf/mph)",
                "Set Coef C (lbf/mph**2)")
TEST_SIGNED = ("Target Coef B (lbf/mph)", "Set Coef A (lbf)", "Set Coef B (lbf/mph)",
               "Set Coef C (lbf/mph**2)")
TEST_INTEGER = ("Model Year", "# of Gears")
LABEL_NUMERIC = ("year", "displ", "cylinders", "city08", "highway08", "comb08", "UCity",
                 "UHighway", "range", "co2TailpipeGpm")
#: label values the loader needs (a blank one skips the row)
LABEL_NEEDED = ("year", "city08", "highway08", "comb08", "UCity", "UHighway")
LABEL_INTEGER = ("year",)
#: model-year columns and their allowed span (EPA fuel economy testing began for MY1975;
#: an upper bound keeps a typo out of the label-set choice)
YEAR = ("Model Year", "year")
YEARS = (1975, 2100)

#: Physical range of each numeric column, in the file's units (status A: assumed, each the
#: shipped files' span, ``keidesign/data/epa`` MY2011-2023, widened by a generous margin to
#: cover every light-duty vehicle EPA tests: its Test Car List and fueleconomy.gov's
#: ``vehicles.csv`` reach pickups and medium-duty passenger vehicles up to 14,000 lb GVWR,
#: 40 CFR 86.1803-01, with engines up to 16 cylinders and ~1,600 hp, 10-speed gearboxes,
#: MPGe labels up to ~150 and ranges up to ~520 mi). ``(lo, hi, units)``: a quantity that
#: cannot be negative may be 0 (EPA's "not given": 44 shipped ``RND_ADJ_FE``, 4,901 label
#: ``range``) or from ``lo`` (a floor at or below the shipped smallest non-zero value, 1-20
#: times under it, which keeps a subnormal such as ``5e-324`` out: ETW and ``RND_ADJ_FE``
#: are divisors of the loader and the model, and 1/5e-324 overflowed to a
#: ZeroDivisionError traceback) to ``hi``; a signed
#: one from ``lo`` to ``hi``. A value outside is no vehicle's: the file was damaged or made
#: up, and the line is refused (exit 2) rather than skipped, so a fit is never made from it
#: unnoticed. A negative value of a quantity that cannot be negative keeps being skipped
#: and counted (:attr:`EpaFile.skipped`), as before: EPA's own files hold such rows; so is a
#: label value the label needs that is 0 (as a blank one: it divided the label error).
#: Shipped span -> allowed range:
RANGES: dict[str, tuple[float, float, str]] = {
    # test-car file (epa_testcar_small_2011_2023.csv)
    "Model Year": (YEARS[0], YEARS[1], ""),              # 2011-2023
    "Test Veh Displacement (L)": (0.001, 100.0, "L"),     # 0.001-99.999 (EVs: 99.999)
    "Rated Horsepower": (1.0, 3000.0, "hp"),              # 1-887
    "# of Cylinders and Rotors": (1.0, 24.0, ""),         # 2-8 (labels: up to 16)
    "# of Gears": (1.0, 20.0, ""),                        # 1-8 (EPA lists 10-speeds)
    "Equivalent Test Weight (lbs.)": (500.0, 20_000.0, "lb"),  # 2,375-4,250 (ETW <= GVWR)
    "Axle Ratio": (0.5, 20.0, ""),                        # 1-9.99 (9.99: EVs)
    "N/V Ratio": (1.0, 1000.0, "rpm/mph"),                # 0-999 (999: EVs)
    "RND_ADJ_FE": (1.0, 20_000.0, "mpg or MPGe"),         # 0-10,000
    "FE Bag 1": (1.0, 20_000.0, "mpg or MPGe"),           # 15.4-61.2
    "FE Bag 2": (1.0, 20_000.0, "mpg or MPGe"),           # 17.9-236.1
    "FE Bag 3": (1.0, 20_000.0, "mpg or MPGe"),           # 22.1-69.0
    "FE Bag 4": (1.0, 20_000.0, "mpg or MPGe"),           # 0-152.8
    "CO2 (g/mi)": (1.0, 5000.0, "g/mi"),                  # 105-476
    "Target Coef A (lbf)": (1.0, 500.0, "lbf"),           # 13.1-52.9
    "Target Coef B (lbf/mph)": (-10.0, 10.0, "lbf/mph"),  # -0.70-0.88
    "Target Coef C (lbf/mph**2)": (0.001, 0.5, "lbf/mph**2"),  # 0.0103-0.0294
    "Set Coef A (lbf)": (-500.0, 500.0, "lbf"),           # -31.8-31.4
    "Set Coef B (lbf/mph)": (-10.0, 10.0, "lbf/mph"),     # -0.51-1.09
    "Set Coef C (lbf/mph**2)": (-0.5, 0.5, "lbf/mph**2"),  # -0.0052-0.0816
    # label file (epa_label_small_2011_2023.csv)
    "year": (YEARS[0], YEARS[1], ""),                     # 2011-2023
    "displ": (0.1, 100.0, "L"),                           # 0-8.4
    "cylinders": (1.0, 24.0, ""),                         # 2-16
    "city08": (1.0, 1000.0, "mpg or MPGe"),               # 8-137
    "highway08": (1.0, 1000.0, "mpg or MPGe"),            # 11-111
    "comb08": (1.0, 1000.0, "mpg or MPGe"),               # 9-124
    "UCity": (1.0, 1000.0, "mpg or MPGe"),                # 9.3-197.4
    "UHighway": (1.0, 1000.0, "mpg or MPGe"),             # 15.1-159.1
    "range": (1.0, 2000.0, "mi"),                         # 0-310
    "co2TailpipeGpm": (1.0, 5000.0, "g/mi"),              # 0-979
}


@dataclass
class EpaFile:
    """Rows of a user's EPA file, checked.

    Attributes:
        path: the file.
        rows: the usable rows (read-only mappings of the columns the loaders read,
            :class:`keidesign.energy.epa_rows.Row`: a tuple behind a shared index).
        skipped: rows skipped, by reason.
    """

    path: Path
    rows: list[Row]
    skipped: dict[str, int] = field(default_factory=dict)

    def note(self) -> str:
        """One line: the file, its usable rows and the skipped ones by reason."""
        skip = "; ".join(f"{n} skipped ({why})" for why, n in self.skipped.items())
        return f"{show_path(self.path)}: {len(self.rows)} rows read" + (
            f", {skip}" if skip else "")


@functools.cache
def _header(name: str) -> tuple[str, ...]:
    """The shipped file's header (its first line only: the whole file was read for it at
    every check, and the rows of a user's file in use would have been read instead)."""
    ref = resources.files("keidesign").joinpath("data", "epa", name)
    with ref.open("r", encoding="utf-8", newline="") as fh:
        return tuple(next(csv.reader(fh)))


def _read(path: Path, option: str, shipped: str, numeric: tuple[str, ...],
          signed: tuple[str, ...], integer: tuple[str, ...], needed: tuple[str, ...]
          ) -> EpaFile:
    name = show_path(path)
    text = read_text(path, f"{option} file", MAX_BYTES)
    if text.startswith("\ufeff"):  # the byte-order mark a spreadsheet writes
        text = text[1:]
    lines = RecordText(text, CSV_MAX_RECORD)   # each record measured as it is read
    reader = csv.reader(lines)
    out = EpaFile(path, [])
    skipped: dict[str, int] = {}
    try:
        head = next(reader, [])
        if not head:
            raise InputError(f"{name}: {option} file is empty; allowed: a CSV file with the "
                             f"header of keidesign/data/epa/{shipped} and at least one row")
        if len(head) > MAX_COLUMNS:
            raise InputError(f"{name}: {len(head):,} columns; allowed: at most {MAX_COLUMNS:,} "
                             f"(the columns of keidesign/data/epa/{shipped} and others)")
        missing = [c for c in _header(shipped) if c not in head]
        if missing:
            raise InputError(f"{name}: missing column {', '.join(repr(c) for c in missing)}; "
                             f"allowed: the columns of keidesign/data/epa/{shipped}")
        known = {*_header(shipped), "eng_dscr"}
        read = [c for c in head if c in known]
        store = RowStore(read)
        seen: set[str] = set()
        twice = next((c for c in head if c in seen or seen.add(c)), None)
        if twice is not None:
            raise InputError(f"{name}: column {show(twice)} is given twice in the header; "
                             "allowed: each column once")
        for i, record in enumerate(reader):
            lines.used = 0
            if i >= MAX_ROWS:
                raise InputError(f"{name}: more than {MAX_ROWS:,} rows (blank lines included); "
                                 f"allowed: at most {MAX_ROWS:,}")
            if not record:
                continue   # a blank line
            line = reader.line_num
            if len(record) != len(head):
                raise InputError(f"{name}: line {line}: {len(record):,} cells; allowed: "
                                 f"{len(head)} (the header's)")
            row = dict(zip(head, record, strict=True))
            why = _check_row(name, line, row, numeric, signed, integer, needed)
            if why:
                skipped[why] = skipped.get(why, 0) + 1
                continue
            _check_lengths(name, line, row, read)
            # only the columns the loaders read (audit s44a: 970 other columns of "1"
            # kept 7.8 million cells of a 32 MiB file, 1.07 GB)
            out.rows.append(store.row([row[k].strip() if k in numeric else row[k]
                                       for k in read]))
    except RecordTooLong:
        raise InputError(f"{name}: line {reader.line_num + 1:,}: a row of more than "
                         f"{CSV_MAX_RECORD:,} characters; allowed: at most {CSV_MAX_RECORD:,} "
                         f"(a row of keidesign/data/epa/{shipped} has at most a few "
                         "hundred)") from None
    except csv.Error as exc:
        raise InputError(f"{name}: line {reader.line_num:,}: not valid CSV ({exc}); allowed: "
                         f"the columns of keidesign/data/epa/{shipped}") from None
    out.skipped = skipped
    return out


def _check_lengths(name: str, line: int, row: dict[str, str], read: list[str]) -> None:
    """Raise if a cell of a column the loaders read holds more than :data:`CELL_MAX`
    characters (one line naming the line, column, length and limit)."""
    for col in read:
        if len(row[col]) > CELL_MAX:
            raise InputError(f"{name}: line {line}: column {show(col)} = {show(row[col])}: "
                             f"{len(row[col]):,} characters; allowed: at most {CELL_MAX} "
                             "(the shipped files' longest cell has 65)")


def _check_row(name: str, line: int, row: dict[str, str], numeric: tuple[str, ...],
               signed: tuple[str, ...], integer: tuple[str, ...], needed: tuple[str, ...]
               ) -> str | None:
    """Raise on a bad cell (one line); the reason to skip the row, or None."""
    for col, v in row.items():
        if not v.isprintable():   # a control, format (bidi), separator or private character
            raise InputError(f"{name}: line {line}: column {show(col)} = {show(v)}: holds a "
                             "character that is not printable; allowed: printable text")
    if tc.ADFE_COLUMN in row and row[tc.ADFE_COLUMN].strip().lower() not in ("yes", "no"):
        raise InputError(f"{name}: line {line}: column {tc.ADFE_COLUMN!r} = "
                         f"{show(row[tc.ADFE_COLUMN])}; allowed: Yes or No")
    why = None
    for col in numeric:
        v = row[col].strip()
        if not v:
            if col in needed:
                why = why or f"blank {col}"
            continue
        if col in integer:
            try:
                x = float(int(v))
            except (ValueError, OverflowError):
                raise InputError(f"{name}: line {line}: column {show(col)} = {show(v)}: not a "
                                 "whole number; allowed: a whole number") from None
            if col in YEAR and not YEARS[0] <= x <= YEARS[1]:
                raise InputError(f"{name}: line {line}: column {show(col)} = {show(v)}; allowed: a "
                                 f"model year {YEARS[0]}-{YEARS[1]}")
        else:
            try:
                x = float(v)
            except ValueError:
                x = math.nan
            if not math.isfinite(x):
                raise InputError(f"{name}: line {line}: column {show(col)} = {show(v)}: not a "
                                 "finite number; allowed: a number or a blank cell")
        if x < 0 and col not in signed:
            why = why or f"negative {col}"
            continue
        if x == 0 and col in needed:  # a label value the label needs: as a blank one
            why = why or f"zero {col}"
            continue
        lo, hi, unit = RANGES[col]
        zero = lo > 0 and col not in YEAR  # 0 is "not given"
        if not (lo <= x <= hi or (zero and x == 0)):
            raise InputError(f"{name}: line {line}: column {show(col)} = {show(v)}: outside the "
                             "physical range; allowed: " + ("0 (not given) or " if zero else "")
                             + f"{_num(lo)} to {_num(hi)}" + (f" {unit}" if unit else ""))
    return why


def _num(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) and abs(x) >= 1000 else f"{x:g}"


def read_testcars(path: Path) -> EpaFile:
    """A test-car file (``--testcars``), checked (module docstring)."""
    return _read(path, "--testcars", tc.TESTCAR_FILE, TEST_NUMERIC, TEST_SIGNED,
                 TEST_INTEGER, ())


def read_labels(path: Path) -> EpaFile:
    """A label file (``--labels``), checked (module docstring)."""
    return _read(path, "--labels", LABEL_FILE, LABEL_NUMERIC, (), LABEL_INTEGER,
                 LABEL_NEEDED)


@contextmanager
def using(testcars: Path, labels: Path | None
          ) -> Iterator[tuple[EpaFile, EpaFile | None]]:
    """Read and check the files, then run the block on their rows instead of the shipped
    ones (:func:`keidesign.energy.testcars.external_rows`). A test-car file of which no
    configuration is usable (the shipped loader's rules: an FTP and a HWFET result, a
    target coast-down, a known transmission) is an ``InputError`` (exit 2)."""
    t = read_testcars(testcars)
    lab = read_labels(labels) if labels is not None else None
    with tc.external_rows(t.rows, lab.rows if lab is not None else None):
        try:
            cars = tc.test_cars()
        except tc.JoinTooLarge as exc:  # audit s44a: one make and year, hours of joining
            raise InputError(
                f"{t.note()}; {lab.note() if lab else 'no label file'}: the label join "
                f"compares {exc.work:,} label rows (for each configuration, the label rows "
                "of its make in its model year and the years beside it); allowed: at most "
                f"{tc.JOIN_MAX:,} (the shipped rows: {SHIPPED_JOIN:,}): split the files "
                "by model year or make") from None
        if not cars:
            raise InputError(
                f"{t.note()}: no usable configuration; allowed: rows of measured FTP and "
                "HWFET tests (Test Procedure Description, Tier 2 Cert Gasoline or "
                "Electricity) of one vehicle with its target coast-down and ETW "
                f"(keidesign/data/epa/{tc.TESTCAR_FILE})")
        yield t, lab
