"""Study files: schema, validation and the validated :class:`Study`.

A study file is TOML::

    [study]
    name = "US-compliant tall-boy kei, ICE, minimum mass"
    design = "designs/nbox_class.toml"     # base design, relative to this file
    rules = ["kei-japan", "fmvss", "epa-label", "cafe-2024"]   # default: the design's
    record = ["mass:curb", "energy:label_comb_mpg"]           # extra outputs to record

    [set.crash.front]                      # optional changes to the base design
    material = "dp_780"                    # (same tables and keys as a design file)

    [[variable]]                           # a continuous design variable
    name = "crash.front.crush_length"      # design-file path or registered name
    lower = 500                            # bounds in `units` (default: registered)
    upper = 900
    [[variable]]                           # a discrete one: multi-start / sweep dimension
    name = "crash.front.material"
    values = ["dp_590", "dp_780"]

    [objective]                            # a model output, a design variable, a
    name = "mass:curb"                     # [derived] quantity, or `margin = "<id>"`
    sense = "min"

    [[constraint]]
    id = "fmvss:fmvss208.crush_space"      # a rule-pack record id; globs: "kei-japan:*"
    [[constraint]]                         # or a bound on any model quantity
    quantity = "energy:label_comb_mpg"
    lower = 38
    units = "mi/galUS"

    [derived.range_proxy]                  # a named stand-in quantity: study:range_proxy
    expr = "en * mpge / 33.705"               # grammar: keidesign.studies.expressions
    units = "mi"
    vars = { en = "powertrain:bev:battery_energy", mpge = "energy:label_comb_mpg" }

    [driver]      # optimizer, maxiter, tol, multistart, seed, gradients ("analytic"|"fd")
    [sweep]       # method ("fullfact"|"lhs"), levels, samples, seed, chunk, map = [x, y],
                  # step = true (a STEP file of every evaluated case, by the geometry package),
                  # batch = false (one model run per case instead of a case-vectorized run
                  # per chunk; see keidesign.batch)
    [pareto]      # [[pareto.objective]] (2 or 3, first = the one minimized), points

Every problem raises one :class:`~keidesign.errors.InputError` naming the file, the
field path (``variable[2].upper``; arrays count from 1), the value and what is allowed;
unknown keys get the nearest valid key. Design-file errors (in the base design, in
``[set]`` or in a discrete value) come from :mod:`keidesign.design` with the same style.
Whether an objective, constraint or recorded quantity is actually *computed* by the
model is checked when the problem is built (:mod:`keidesign.studies.problem`), against
the model of that design.
"""

from __future__ import annotations

import copy
import fnmatch
import functools
import hashlib
import json
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keidesign import __version__
from keidesign import units as ku
from keidesign import variables as reg
from keidesign.classification.states import STATES, access
from keidesign.design import NAME_MAX, Design, design_from_dict
from keidesign.errors import InputError, printable, show, show_path
from keidesign.federal_class import LSV_GVWR_KG, LSV_MAX_MPH, LSV_MIN_MPH, classify
from keidesign.inputfiles import (
    KEY_PARTS_MAX,
    TOML_DEPTH_MAX,
    check_depth,
    check_key_parts,
    did_you_mean,
    parse_toml,
    read_text,
    toml_float,
)
from keidesign.rulepacks import Constraint, RulePack, load_pack, pack_records
from keidesign.studies.expressions import (
    CONSTANTS,
    FUNCTIONS,
    Expression,
    ExpressionError,
    names_in,
    parse_expression,
)
from keidesign.studies.expressions import (
    MAX_LEN as MAX_EXPR_LEN,
)

__all__ = [
    "ConstraintSpec",
    "DerivedSpec",
    "DesignVar",
    "ObjectiveSpec",
    "Study",
    "apply_overrides",
    "design_to_doc",
    "load_study",
    "parse_study",
]

_TOP = ("study", "set", "variable", "objective", "constraint", "derived", "driver",
        "sweep", "pareto", "class")
_CLASS = ("require", "min_full_access_states", "min_road_access_states")
#: federal classes a study may require (keidesign.federal_class)
CLASSES = ("passenger_car", "lsv")
_STUDY = ("name", "description", "design", "rules", "record")
_VARIABLE = ("name", "lower", "upper", "units", "values", "start", "ref")
_OBJECTIVE = ("name", "margin", "sense", "ref")
_CONSTRAINT = ("id", "quantity", "lower", "upper", "units", "min_margin", "ref")
_DERIVED = ("expr", "units", "vars")
_DRIVER = ("optimizer", "maxiter", "tol", "multistart", "seed", "gradients", "fd_step")
#: Most cases per sweep task (``sweep.chunk``): one batched model holds a chunk's cases
#: in its arrays, so a chunk of 10^11 asked numpy for 745 GiB (s26f); the shipped
#: studies use 8-64.
MAX_CHUNK = 10_000
_SWEEP = ("method", "levels", "samples", "seed", "chunk", "map", "step", "batch")
_PARETO = ("objective", "points")
#: the keys of the single tables, for a key written at the top of the file (:func:`_unknown`)
_TABLE_KEYS = {"study": _STUDY, "class": _CLASS, "driver": _DRIVER, "sweep": _SWEEP,
               "pareto": _PARETO}

#: Most iterations of one optimization (``driver.maxiter``): SciPy's SLSQP keeps it in a
#: C integer, and 10^20 ended ``optimize`` in a SystemError traceback (s28d); 100,000
#: iterations of a model run each are already days.
MAX_ITER = 100_000

#: ScipyOptimizeDriver optimizers a study may name (gradient-based and derivative-free).
OPTIMIZERS = ("SLSQP", "COBYLA", "trust-constr", "L-BFGS-B", "Nelder-Mead", "Powell")
_METHODS = ("fullfact", "lhs")
# \Z, not $ (which matches before a final line break: [derived."x\n"] reached OpenMDAO's
# add_subsystem, a NameError traceback, s30c)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}\Z")
DERIVED_PREFIX = "study:"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class DesignVar:
    """One design variable of a study.

    Continuous (``values`` is None): bounds ``lower``/``upper`` and optional ``start``
    in the registered units of ``name``. Discrete: the list ``values`` (a multi-start
    dimension of ``optimize``, a sweep dimension of ``sweep``).
    """

    name: str
    units: str | None
    lower: float | None = None
    upper: float | None = None
    values: tuple[Any, ...] | None = None
    start: float | None = None
    ref: float | None = None

    @property
    def discrete(self) -> bool:
        return self.values is not None

    @property
    def path(self) -> str:
        return self.name.replace(":", ".")


@dataclass(frozen=True)
class ObjectiveSpec:
    """An objective: a model quantity ``name`` or the margin of constraint ``margin``."""

    name: str | None = None
    margin: str | None = None
    sense: str = "min"
    ref: float | None = None
    where: str = "objective"

    @property
    def label(self) -> str:
        return f"margin({self.margin})" if self.margin else str(self.name)


@dataclass(frozen=True)
class ConstraintSpec:
    """A constraint: rule-pack record id (pattern) or a bound on a model quantity."""

    id: str | None = None
    quantity: str | None = None
    lower: float | str | None = None
    upper: float | str | None = None
    units: str | None = None
    min_margin: float = 0.0
    ref: float | None = None
    where: str = "constraint"


@dataclass(frozen=True)
class DerivedSpec:
    """A named quantity ``study:<name> = expr(vars)`` in ``units``; ``parsed`` is the
    expression tree (:mod:`keidesign.studies.expressions`, nothing evaluated as code)."""

    name: str
    expr: str
    units: str
    vars: tuple[tuple[str, str], ...]
    parsed: Expression = field(repr=False, compare=False, default=None)  # type: ignore


@dataclass
class Study:
    """A validated study.

    Attributes:
        path: the study file.
        name, description: from ``[study]``.
        design_path: the base design file; ``base``: the base design with ``[set]``
            applied; ``base_doc``: its nested tables (for discrete variants).
        packs: the rule packs.
        variables: design variables (continuous and discrete) in file order.
        objective: the objective of ``optimize`` (or None).
        constraints: constraint specs in file order.
        derived: derived stand-in quantities.
        record: extra quantities recorded in sweeps and reported in trade factors.
        driver, sweep, pareto: the option tables with defaults filled in.
        pareto_objectives: the objectives of ``pareto`` (first is minimized).
        doc: the effective study document (after ``--set`` overrides).
    """

    path: str
    name: str
    description: str
    design_path: Path
    base: Design
    base_doc: dict[str, Any]
    packs: list[RulePack]
    variables: list[DesignVar]
    objective: ObjectiveSpec | None
    constraints: list[ConstraintSpec]
    derived: list[DerivedSpec]
    record: list[str]
    driver: dict[str, Any]
    sweep: dict[str, Any] | None
    pareto: dict[str, Any] | None
    pareto_objectives: list[ObjectiveSpec] = field(default_factory=list)
    doc: dict[str, Any] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ helpers
    @property
    def continuous(self) -> list[DesignVar]:
        return [v for v in self.variables if not v.discrete]

    @property
    def discrete(self) -> list[DesignVar]:
        return [v for v in self.variables if v.discrete]

    def variable(self, name: str) -> DesignVar:
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)

    def discrete_combinations(self) -> list[dict[str, Any]]:
        """Every combination of the discrete variables' values (file order)."""
        combos: list[dict[str, Any]] = [{}]
        for var in self.discrete:
            combos = [{**c, var.name: val} for c in combos for val in var.values or ()]
        return combos

    def design_for(self, discrete: Mapping[str, Any] | None = None) -> Design:
        """The base design with the discrete values ``discrete`` (validated)."""
        if not discrete:
            return self.base
        doc = copy.deepcopy(self.base_doc)
        for name, val in discrete.items():
            _set_path(doc, name.split(":"), val)
        what = ", ".join(f"{k.replace(':', '.')} = {v!r}" for k, v in discrete.items())
        return design_from_dict(doc, f"{self.path} ({what})")

    def start_values(self) -> dict[str, float]:
        """Start value of each continuous variable: ``start``, else the base design."""
        out = {}
        for v in self.continuous:
            out[v.name] = float(v.start if v.start is not None else self.base.values[v.name])
        return out

    @functools.cached_property
    def _fingerprint_payload(self) -> dict[str, Any]:
        doc = copy.deepcopy(self.doc)
        doc.get("sweep", {}).pop("chunk", None)
        doc.get("sweep", {}).pop("batch", None)
        return {
            "doc": doc,
            "design": {k: v for k, v in sorted(self.base.values.items())},
            "packs": [(p.id, p.version, hashlib.sha256(Path(p.path).read_bytes()).hexdigest()
                       if Path(p.path).is_file() else "") for p in self.packs],
            "keidesign": __version__,
        }

    @functools.cached_property
    def fingerprint(self) -> str:
        """Hash of everything that decides a case's results (not chunking or progress)."""
        text = json.dumps(self._fingerprint_payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @functools.cached_property
    def fingerprint_parts(self) -> dict[str, str]:
        """The fingerprint's parts, each hashed alone (16 hex digits; the keidesign
        version as written, at most 64 characters): ``study`` (the study file with its
        ``--set`` values), ``design`` (the base design's values), ``packs`` (each rule
        pack's id, version and file), ``keidesign``. A case store keeps them, so a
        refused ``--resume`` says which part differs (new-user pass s34d)."""
        out = {}
        for key, part in (("study", "doc"), ("design", "design"), ("packs", "packs")):
            text = json.dumps(self._fingerprint_payload[part], sort_keys=True, default=str)
            out[key] = hashlib.sha256(text.encode()).hexdigest()[:16]
        out["keidesign"] = str(__version__)[:64]
        return out


# --------------------------------------------------------------------------- loading


def load_study(path: str | Path, overrides: Sequence[str] = ()) -> Study:
    """Read and validate a study file; ``overrides`` are ``KEY=VALUE`` (``--set``)."""
    p = Path(path)
    return parse_study(read_text(p, "study file"), str(p), overrides=overrides)


def parse_study(text: str, source: str = "<string>", *, base_dir: str | Path | None = None,
                overrides: Sequence[str] = ()) -> Study:
    """Validate study TOML ``text``; ``source`` names it in messages.

    The base design path is relative to ``base_dir`` (default: the folder of ``source``).
    """
    doc = apply_overrides(parse_toml(text, source), overrides, source)
    folder = Path(base_dir) if base_dir is not None else Path(source).parent
    return _validate(doc, source, folder)


def apply_overrides(doc: dict[str, Any], overrides: Sequence[str], source: str
                    ) -> dict[str, Any]:
    """Apply ``KEY=VALUE`` overrides (dotted table path, 1-based array index, TOML value).

    ``sweep.levels=3``, ``driver.multistart=0``, ``variable.2.upper=850``,
    ``study.design="designs/alto_class.toml"``. A value that is not valid TOML is taken
    as a string.
    """
    doc = copy.deepcopy(doc)
    for item in overrides:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"{source}: --set {show(item)}: expected KEY=VALUE, e.g. "
                             "sweep.levels=3")
        try:
            check_key_parts(raw, source)  # an inline table's keys: tomllib's square time
        except InputError:
            raise InputError(f"{source}: --set {show(item)}: the value holds a key of more "
                             f"than {KEY_PARTS_MAX} dotted parts; allowed: at most "
                             f"{KEY_PARTS_MAX}") from None
        try:
            value = tomllib.loads(f"v = {raw.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw.strip()
        except (RecursionError, ValueError):
            raise InputError(f"{source}: --set {show(item)}: the value is nested too deeply "
                             "or has too many digits") from None
        try:
            check_depth({"v": value}, source)
        except InputError:
            raise InputError(f"{source}: --set {show(item)}: the value is nested more than "
                             f"{TOML_DEPTH_MAX} levels deep; allowed: at most "
                             f"{TOML_DEPTH_MAX}") from None
        parts = key.split(".")
        node: Any = doc
        for i, part in enumerate(parts[:-1]):
            if isinstance(node, list):
                node = _index(node, part, source, ".".join(parts[:i + 1]), item)
                continue
            if part not in node:
                node[part] = {}
            node = node[part]
            if not isinstance(node, (dict, list)):
                raise InputError(f"{source}: --set {show(item)}: "
                                 f"{_key_text('.'.join(parts[:i + 1]))} is a value, not a table")
        last = parts[-1]
        if isinstance(node, list):
            idx = _index_number(node, last, source, key, item)
            node[idx] = value
        else:
            node[last] = value
    return doc


def _key_text(key: str) -> str:
    """A key path of a study or ``--set`` for a message: as written when it is a short
    printable line, else cut like a value (:func:`show`; 500,000 characters were printed
    whole before s29a)."""
    return key if len(key) <= 64 and printable(key) else show(key)


def _index_number(node: list, part: str, source: str, where: str, item: str) -> int:
    if not part.isdigit() or not 1 <= int(part) <= len(node):
        raise InputError(f"{source}: --set {show(item)}: {_key_text(where)}: expected an index "
                         f"1..{len(node)} into the array")
    return int(part) - 1


def _index(node: list, part: str, source: str, where: str, item: str) -> Any:
    return node[_index_number(node, part, source, where, item)]


# --------------------------------------------------------------------------- validation


def _unknown(source: str, where: str, key: str, allowed: Sequence[str],
             value: Any = None) -> InputError:
    hint = did_you_mean(key, allowed, 0.5, "; did you mean {!r}?")
    if not where and key == "design" and isinstance(value, Mapping):  # a design file
        hint = ("; a [design] table: this is a design file, not a study file (a study's "
                "[study] names its design file: design = \"designs/my_car.toml\", "
                "docs/studies.md)")
    # a table's key at the top: `levels = 3` above [sweep], or `--set levels=3` (new-user
    # pass s36d: no hint, only the table names; `seed` was offered 'sweep')
    owners = [f"{t}.{key}" for t, keys in _TABLE_KEYS.items()
              if key in keys and not where and not isinstance(value, Mapping)]
    if owners:
        hint = "; did you mean " + " or ".join(map(repr, owners)) + "?"
    path = f"{where}.{key}" if where else key  # shown cut: a key of 500,000 characters
    return InputError(f"{source}: unknown key {show(path)}{hint} (valid here: "  # (s29a)
                      f"{', '.join(allowed)})")


def _table(source: str, where: str, raw: Any, allowed: Sequence[str]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InputError(f"{source}: {where} = {show(raw)}: expected a table")
    for key in raw:
        if key not in allowed:
            raise _unknown(source, where, key, allowed, raw[key])
    return dict(raw)


def _fail(source: str, where: str, value: Any, problem: str, allowed: str = "") -> InputError:
    tail = f"; allowed: {allowed}" if allowed else ""
    return InputError(f"{source}: {where} = {show(value)}: {problem}{tail}")


#: Longest string of a study file (a path, a constraint id, an output name),
#: characters; ``study.name`` (printed in every summary and report) at most
#: :data:`keidesign.design.NAME_MAX`. Each one printable line: a 900 kB name or one with
#: terminal escape codes was printed as given (s26f).
STR_MAX = 1000


def _str(source: str, where: str, raw: Any, limit: int = STR_MAX) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _fail(source, where, raw, "expected a non-empty string")
    if len(raw) > limit or not printable(raw):
        raise _fail(source, where, raw, f"{len(raw):,} characters" if len(raw) > limit
                    else "a control character",
                    f"one line of printable text of at most {limit:,} characters")
    return raw


def _strlist(source: str, where: str, raw: Any) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        raise _fail(source, where, raw, "expected a list of strings")
    for i, x in enumerate(raw):
        _str(source, f"{where}[{i + 1}]", x)
    return list(raw)


def _int(source: str, where: str, raw: Any, lo: int, hi: int | None = None) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < lo or (
            hi is not None and raw > hi):
        rng = f"an integer >= {lo}" if hi is None else f"an integer in [{lo}, {hi}]"
        raise _fail(source, where, raw, "not allowed", rng)
    return raw


def _float(source: str, where: str, raw: Any, positive: bool = False) -> float:
    num = toml_float(raw)
    if not math.isfinite(num) or (positive and num <= 0):
        raise _fail(source, where, raw, "not allowed",
                    "a positive number" if positive else "a finite number")
    return num


#: Allowed range of a ``ref`` (the scale the optimizer divides a variable, objective or
#: constraint by, in its units): from the smallest scale :mod:`keidesign.studies.optimize`
#: takes itself (``max(|base value|, 1e-6)``) to 1e12, a million times the largest quantity
#: a kei study names (a price, ~1e6 yen). A subnormal ``ref`` (``1e-320``) made the scaling
#: 1/ref overflow and the run end "NOT converged" ("Inequality constraints incompatible"),
#: and ``1e300`` scaled every quantity to nothing (audit s39c; refused since s40b).
REF_RANGE = (1e-6, 1e12)


def _ref(source: str, where: str, raw: Any) -> float:
    ref = _float(source, where, raw, positive=True)
    if not REF_RANGE[0] <= ref <= REF_RANGE[1]:
        raise _fail(source, where, raw, "not allowed",
                    f"a scale from {REF_RANGE[0]:g} to {REF_RANGE[1]:g} in the quantity's units")
    return ref


def _choice(source: str, where: str, raw: Any, choices: Sequence[str]) -> str:
    if raw not in choices:
        hint = did_you_mean(str(raw), choices, 0.4)
        raise _fail(source, where, raw, f"not a valid choice{hint}",
                    "one of " + ", ".join(repr(c) for c in choices))
    return raw


def _units(source: str, where: str, raw: Any) -> str:
    """Canonical units text (:mod:`keidesign.units` grammar; nothing evaluated)."""
    try:
        return ku.parse_units(raw).text
    except ku.UnitsError as exc:
        raise _fail(source, where, raw, f"not a unit string ({exc})",
                    "unit names joined by '*' and '/' with integer powers, e.g. 'mm', "
                    "'kg', 'kW', 'mi/galUS', 'm/s**2' or 'unitless'") from None


def _compatible(u1: str | None, u2: str | None) -> bool:
    return ku.compatible(u1 or "unitless", u2 or "unitless")


def _to_units(value: float, frm: str | None, to: str | None) -> float:
    if frm in (None, "unitless") or frm == to:
        return float(value)
    return float(ku.convert(value, frm, to))


def _quantity(source: str, where: str, raw: Any, units: str | None) -> float:
    """A number in ``units``, or a string ``"35.4 inch"`` converted to ``units``; a bad
    one is one line naming the field, the value and what is allowed (s29b: a unit that
    does not convert gave no "allowed")."""
    allowed = ("a finite number" if units in (None, "unitless") else
               f"a number in {units}, or a quantity in units that convert to {units} "
               f"(e.g. '12.5 {units}')")
    if isinstance(raw, str):
        try:
            num, u = ku.parse_quantity(raw)
        except ku.UnitsError as exc:
            if isinstance(exc, ku.QuantityUnitsError):
                raise _fail(source, where, raw, str(exc), allowed) from None
            want = ("expected a number" if units in (None, "unitless")
                    else "expected a number or a quantity")
            raise _fail(source, where, raw,
                        want if str(exc) == ku.NO_NUMBER else f"{exc}; {want}",
                        allowed) from None
        if not math.isfinite(num):
            raise _fail(source, where, raw, "not allowed", "a finite number")
        if not u:
            return num
        if _compatible(u, units):
            return _to_units(num, u, units)
        raise _fail(source, where, raw, f"units {u!r} cannot be converted to {units!r}"
                    f"{ku.spelling_hint(u)}", allowed)
    return _float(source, where, raw)


def _design_var(source: str, where: str, raw: Any) -> reg.Variable:
    """A registered design variable from a design-file path or a registered name."""
    text = _str(source, where, raw)
    name = text.replace(".", ":")
    dvars = {v.name: v for v in reg.variables(design=True)}
    if name in dvars:
        return dvars[name]
    try:
        reg.get(name)
    except KeyError:
        hint = did_you_mean(text.replace(":", "."), [n.replace(":", ".") for n in dvars])
        raise _fail(source, where, raw, f"not a design variable{hint}",
                    "a key of a design file (keidesign variables --design-only)") from None
    raise _fail(source, where, raw, "a model output, not a design variable",
                "a key of a design file (keidesign variables --design-only)")


def _quantity_name(source: str, where: str, raw: Any, derived: Sequence[str]) -> str:
    """A registered variable or derived quantity name (colons; dots accepted)."""
    text = _str(source, where, raw)
    if text in derived or text.replace(".", ":") in derived:
        return text if text in derived else text.replace(".", ":")
    name = text if ":" in text else text.replace(".", ":")
    try:
        reg.get(name)
    except KeyError:
        names = [v.name for v in reg.variables()] + list(derived)
        hint = did_you_mean(name, names, 0.7, "; did you mean {!r}?")
        raise _fail(source, where, raw,
                    f"no model computes this quantity: it is not a registered variable{hint}",
                    "a registered variable (keidesign variables), or a [derived] "
                    f"quantity '{DERIVED_PREFIX}<name>'") from None
    return name


def _validate(doc: Mapping[str, Any], source: str, folder: Path) -> Study:
    _table(source, "", doc, _TOP)
    if "study" not in doc:
        raise InputError(f"{source}: missing table [study] (with name and design)")
    st = _table(source, "study", doc["study"], _STUDY)
    for key in ("name", "design"):
        if key not in st:
            raise InputError(f"{source}: study.{key}: missing; [study] needs name and design")
    name = _str(source, "study.name", st["name"], NAME_MAX)
    description = st.get("description", "")
    if not isinstance(description, str):
        raise _fail(source, "study.description", description, "expected a string")

    # base design (+ [set])
    design_path = folder / _str(source, "study.design", st["design"])
    try:
        # one 'allowed:' (the reader's own went before the path: two in one line), and a
        # file that is no TOML (a study naming '../../etc/passwd') named by the study's
        # field, not only by its path (new-user pass s37d)
        text = read_text(design_path, "design file")
        base_doc = parse_toml(text, str(design_path))
    except InputError as exc:
        problem = str(exc).removeprefix(f"{show_path(design_path)}: ")
        problem, _, allowed = problem.partition("; allowed: ")
        raise _fail(source, "study.design", st["design"], f"{problem} "
                    f"({show_path(design_path)})",
                    f"{allowed + ', ' if allowed else ''}a design file (TOML) relative to "
                    "the study file") from None
    dsource = str(design_path)
    if "set" in doc:
        if not isinstance(doc["set"], Mapping):
            raise _fail(source, "set", doc["set"], "expected a table of design-file tables")
        base_doc = _merge(base_doc, doc["set"])
        dsource = f"{design_path} with {source} [set]"
    base = design_from_dict(base_doc, dsource)

    rules = _strlist(source, "study.rules", st["rules"]) if "rules" in st else base.rules
    packs = [_pack(source, "study.rules", r, folder, design_path.parent) for r in rules]

    # derived quantities (before anything that may name them)
    derived = _derived(source, doc.get("derived", {}))
    dnames = [d.name for d in derived]
    record = [_quantity_name(source, f"study.record[{i}]", r, dnames)
              for i, r in enumerate(_strlist(source, "study.record", st.get("record", [])), 1)]

    variables = _variables(source, doc.get("variable", []), base)
    constraints = _constraints(source, doc.get("constraint", []), packs,
                               {d.name: d.units for d in derived})
    if "class" in doc:
        constraints += _class_constraints(source, doc["class"], packs, constraints)
    objective = (_objective(source, "objective", doc["objective"], packs, dnames)
                 if "objective" in doc else None)
    driver = _driver(source, doc.get("driver", {}))
    sweep = _sweep(source, doc["sweep"], variables) if "sweep" in doc else None
    pareto, pobjs = (_pareto(source, doc["pareto"], packs, dnames) if "pareto" in doc
                     else (None, []))
    return Study(path=source, name=name, description=description, design_path=design_path,
                 base=base, base_doc=base_doc, packs=packs, variables=variables,
                 objective=objective, constraints=constraints, derived=derived,
                 record=record, driver=driver, sweep=sweep, pareto=pareto,
                 pareto_objectives=pobjs, doc=dict(doc))


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _set_path(doc: dict[str, Any], parts: list[str], value: Any) -> None:
    node = doc
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def _pack(source: str, where: str, ref: str, folder: Path, design_folder: Path) -> RulePack:
    """A pack by id, or by a path relative to the study (or the design) file; a bad one
    raises one InputError naming the study file and ``where`` (as a design's
    ``design.rules`` names the design file)."""
    if ref.endswith(".toml") or "/" in ref:
        for base in (folder, design_folder):
            if (base / ref).is_file():
                path: Path | str = base / ref
                break
        else:
            raise _fail(source, where, ref, "rule-pack file not found")
    else:
        path = ref
    try:
        return load_pack(path, search_dirs=[folder / "rules"])
    except InputError as exc:
        raise InputError(f"{source}: {where}: {exc}") from None


#: Most derived quantities of a study (``[derived.<name>]``; each one is a component of
#: the model): 100 set up and ran a 3-case sweep in 4 s, 8,000 (a 500 kB file) did not
#: finish in a minute (s26f); the shipped studies have at most 2.
MAX_DERIVED = 100
#: Most symbols of one derived quantity's ``vars`` (each an input of its component, used
#: or not): 40,000 (870 kB) did not set up a sweep in 300 s, 5,000 took 18 s (audit
#: s39c); the shipped studies have at most 2, an expression at most 200 terms.
MAX_VARS = 32


def _derived(source: str, raw: Any) -> list[DerivedSpec]:
    if not isinstance(raw, Mapping):
        raise _fail(source, "derived", raw, "expected tables [derived.<name>]")
    if len(raw) > MAX_DERIVED:
        raise InputError(f"{source}: derived: {len(raw):,} tables [derived.<name>]; allowed: "
                         f"at most {MAX_DERIVED}")
    out = []
    for dname, body in raw.items():
        where = f"derived.{dname if _IDENT.match(dname) else show(dname)}"
        if not _IDENT.match(dname):
            raise _fail(source, where, dname, "not allowed", "a name of letters, digits, _")
        t = _table(source, where, body, _DERIVED)
        for key in _DERIVED:
            if key not in t:
                raise InputError(f"{source}: {where}.{key}: missing; a derived quantity needs "
                                 "expr, units and vars")
        expr = _str(source, f"{where}.expr", t["expr"], MAX_EXPR_LEN)
        units = _units(source, f"{where}.units", t["units"])
        if not isinstance(t["vars"], Mapping) or not t["vars"]:
            raise _fail(source, f"{where}.vars", t["vars"], "expected a table "
                        "{symbol = \"registered:variable\"}")
        if len(t["vars"]) > MAX_VARS:
            raise InputError(f"{source}: {where}.vars: {len(t['vars']):,} symbols; allowed: "
                             f"at most {MAX_VARS}")
        pairs = []
        for sym, var in t["vars"].items():
            if not _IDENT.match(sym) or sym in _EXPR_FUNCS:
                shown = sym if _IDENT.match(sym) else show(sym)
                raise _fail(source, f"{where}.vars.{shown}", sym, "not a valid symbol",
                            "a name of letters, digits and _ other than "
                            + ", ".join(sorted(_EXPR_FUNCS)))
            pairs.append((sym, _quantity_name(source, f"{where}.vars.{sym}", var, [])))
        try:
            names = names_in(expr)
        except ExpressionError:
            names = set()  # parse_expression below names the character
        unknown = sorted(names - {s for s, _ in pairs} - _EXPR_FUNCS)
        if unknown:
            raise _fail(source, f"{where}.expr", expr,
                        f"uses {', '.join(unknown)}, not defined in {where}.vars",
                        "the symbols of vars, numbers, + - * / ** and "
                        + ", ".join(sorted(_EXPR_FUNCS)))
        try:
            parsed = parse_expression(expr, {s for s, _ in pairs})
        except ExpressionError as exc:
            raise _fail(source, f"{where}.expr", expr, str(exc),
                        "numbers, the symbols of vars, + - * / ** ( ) and "
                        + ", ".join(sorted(_EXPR_FUNCS))) from None
        out.append(DerivedSpec(DERIVED_PREFIX + dname, expr, units, tuple(pairs), parsed))
    return out


_EXPR_FUNCS = {*FUNCTIONS, *CONSTANTS}


def _variables(source: str, raw: Any, base: Design) -> list[DesignVar]:
    if not isinstance(raw, list):
        raise _fail(source, "variable", raw, "expected an array of tables [[variable]]")
    out: list[DesignVar] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, 1):
        where = f"variable[{i}]"
        t = _table(source, where, item, _VARIABLE)
        if "name" not in t:
            raise InputError(f"{source}: {where}.name: missing; a variable needs a name")
        var = _design_var(source, f"{where}.name", t["name"])
        if var.name == "design:rules":  # each case's packs were the study's: its values
            raise _fail(source, f"{where}.name", t["name"],  # unused, unread (s39c)
                        "not swept: the rule packs of every case are the study's",
                        "study.rules, or one study per rule set")
        if var.name in seen:
            raise _fail(source, f"{where}.name", t["name"], "listed twice")
        seen.add(var.name)
        if var.when is not None and base.values.get(var.when[0]) != var.when[1]:
            raise _fail(source, f"{where}.name", t["name"],
                        f"not used by this design ({var.when[0].replace(':', '.')} = "
                        f"{base.values.get(var.when[0])!r})")
        if "values" in t:
            extra = [k for k in ("lower", "upper", "start", "units", "ref") if k in t]
            if extra:
                raise InputError(f"{source}: {where}: give either values (discrete) or "
                                 f"lower/upper (continuous), not both ({', '.join(extra)})")
            vals = t["values"]
            if not isinstance(vals, list) or not vals:
                raise _fail(source, f"{where}.values", vals, "not a non-empty list",
                            f"a list of one or more values, each {var.range_text()}")
            out.append(DesignVar(var.name, var.units, values=tuple(vals)))
            continue
        if var.dtype is not float or var.units is None:
            kind = var.range_text()
            raise _fail(source, f"{where}.name", t["name"],
                        f"is not a continuous variable ({kind}); list its options in values "
                        "= [...] to make it a multi-start / sweep dimension")
        for key in ("lower", "upper"):
            if key not in t:
                raise InputError(f"{source}: {where}.{key}: missing; a continuous variable "
                                 "needs lower and upper (or values = [...])")
        units = _units(source, f"{where}.units", t["units"]) if "units" in t else var.units
        if not _compatible(units, var.units):
            raise _fail(source, f"{where}.units", units,
                        f"incompatible with the units {var.units!r} of {var.path}",
                        f"units that convert to {var.units!r}")

        def num(key: str, units: str | None = units, t: dict = t, where: str = where,
                to: str | None = var.units) -> float:
            v = _quantity(source, f"{where}.{key}", t[key], units)
            return _to_units(v, units, to)

        lo, hi = num("lower"), num("upper")
        if lo >= hi:
            raise _fail(source, f"{where}.lower", t["lower"],
                        f"not below upper ({show(t['upper'])})")
        for key, val in (("lower", lo), ("upper", hi)):
            if (var.lower is not None and val < var.lower) or (
                    var.upper is not None and val > var.upper):
                raise _fail(source, f"{where}.{key}", t[key],
                            f"outside the physically possible range of {var.path}",
                            var.range_text())
        start = num("start") if "start" in t else None
        if start is None and not lo <= float(base.values[var.name]) <= hi:
            raise _fail(source, f"{where}", var.path,
                        f"the base design's value {base.values[var.name]:g} is outside "
                        f"[{lo:g}, {hi:g}]; give start = ... inside the bounds")
        if start is not None and not lo <= start <= hi:
            raise _fail(source, f"{where}.start", t["start"], "outside the bounds",
                        f"[{lo:g}, {hi:g}] {var.units}")
        ref = _ref(source, f"{where}.ref", t["ref"]) if "ref" in t else None
        out.append(DesignVar(var.name, var.units, lo, hi, start=start, ref=ref))
    return out


def _constraints(source: str, raw: Any, packs: Sequence[RulePack],
                 derived: Mapping[str, str | None]) -> list[ConstraintSpec]:
    """``derived``: the units of each derived quantity, by name."""
    if not isinstance(raw, list):
        raise _fail(source, "constraint", raw, "expected an array of tables [[constraint]]")
    out = []
    for i, item in enumerate(raw, 1):
        where = f"constraint[{i}]"
        t = _table(source, where, item, _CONSTRAINT)
        mm = _float(source, f"{where}.min_margin", t["min_margin"]) if "min_margin" in t \
            else 0.0
        ref = _ref(source, f"{where}.ref", t["ref"]) if "ref" in t else None
        if ("id" in t) == ("quantity" in t):
            raise InputError(f"{source}: {where}: give either id (a rule-pack constraint) or "
                             "quantity with lower/upper and units")
        if "id" in t:
            extra = [k for k in ("lower", "upper", "units") if k in t]
            if extra:
                raise InputError(f"{source}: {where}: {', '.join(extra)} not allowed with id "
                                 "(the bound and units come from the rule pack)")
            cid = _str(source, f"{where}.id", t["id"])
            if not match_records(cid, packs):
                hint = did_you_mean(cid, [rid for rid, _, _ in pack_records(packs)])
                raise _fail(source, f"{where}.id", cid,
                            f"matches no constraint of the rule packs "
                            f"{', '.join(p.id for p in packs)}{hint}",
                            "'pack:constraint' ids as in `keidesign evaluate`, or globs "
                            "like 'kei-japan:*'")
            out.append(ConstraintSpec(id=cid, min_margin=mm, ref=ref, where=where))
            continue
        q = _quantity_name(source, f"{where}.quantity", t["quantity"], derived)
        if "lower" not in t and "upper" not in t:
            raise InputError(f"{source}: {where}: neither lower nor upper is given; allowed: "
                             f"lower = ... and/or upper = ... (a number in the constraint's "
                             "units, a quantity string, or a variable name)")
        if "units" not in t:
            qu = None if q.startswith(DERIVED_PREFIX) else reg.get(q).units
            like = (f"{q}'s own are {qu!r}: units = {qu!r}" if qu not in (None, "unitless")
                    else "'unitless' for none")
            raise InputError(f"{source}: {where}.units: missing (required for a bound on a "
                             f"quantity, even when lower/upper carry units); allowed: a unit "
                             f"string ({like})")
        units = _units(source, f"{where}.units", t["units"])
        # a derived quantity's units too (they were not checked: a bound in 'kg' on a
        # quantity in '1/kg' was a UnitsError traceback from the problem's set-up, s39c)
        qunits = derived[q] if q in derived else reg.get(q).units
        if qunits is not None and not _compatible(units, qunits):
            raise _fail(source, f"{where}.units", units,
                        f"incompatible with the units {qunits!r} of {q}",
                        f"units that convert to {qunits!r}")
        bounds: dict[str, float | str | None] = {}
        for key in ("lower", "upper"):
            if key not in t:
                bounds[key] = None
            elif isinstance(t[key], str) and ":" in t[key]:
                bounds[key] = _quantity_name(source, f"{where}.{key}", t[key], derived)
                bunits = (derived[bounds[key]] if bounds[key] in derived
                          else reg.get(bounds[key]).units)
                if not ({bunits, units} & {None, "unitless"} or _compatible(bunits, units)):
                    raise _fail(source, f"{where}.{key}", t[key],
                                f"a quantity in {bunits!r}, which does not convert to the "
                                f"constraint's units {units!r}",
                                f"a quantity whose units convert to {units!r}")
            else:
                bounds[key] = _quantity(source, f"{where}.{key}", t[key], units)
        out.append(ConstraintSpec(quantity=q, lower=bounds["lower"], upper=bounds["upper"],
                                  units=units, min_margin=mm, ref=ref, where=where))
    return out


def _class_constraints(source: str, raw: Any, packs: Sequence[RulePack],
                       given: Sequence[ConstraintSpec]) -> list[ConstraintSpec]:
    """``[class]``: the federal class a study requires, as bounds on the quantities that
    decide it (keidesign.federal_class), and a check that the class can meet
    the road-access counts asked (keidesign.classification.states).

    ``passenger_car``: top speed above the LSV band (> 25 mph) and every FMVSS criterion
    a model computes (``fmvss:fmvss*``, added unless the study lists it: full road access
    belongs to a certified car; a criterion matched twice is one constraint). ``lsv``:
    top speed within 20-25 mph and GVWR below 3,000 lb. The access counts depend on the
    class (an LSV's also on the states' own LSV definitions, keidesign.classification.
    states.outside_definition, which can only lower them: the most the class can have is
    taken), so an impossible count is an error here, not an infeasible optimization.
    """
    t = _table(source, "class", raw, _CLASS)
    if "require" not in t:
        raise InputError(f"{source}: class.require: missing; one of {', '.join(CLASSES)}")
    cls = _choice(source, "class.require", t["require"], CLASSES)
    out = []
    if cls == "passenger_car":
        out.append(ConstraintSpec(quantity="perf:top_speed", lower=LSV_MAX_MPH, units="mi/h",
                                  where="class.require"))
        if not any(p.id == "fmvss" for p in packs):
            raise _fail(source, "class.require", cls, "a passenger car with road access is "
                        "a certified one: the study needs the fmvss rule pack",
                        "add 'fmvss' to study.rules")
        if not any(c.id in ("fmvss:fmvss*", "fmvss:*") for c in given):
            out.append(ConstraintSpec(id="fmvss:fmvss*", where="class.require"))
        fc = classify(LSV_MAX_MPH + 10.0, 0.5 * LSV_GVWR_KG)
    else:
        out += [ConstraintSpec(quantity="perf:top_speed", lower=LSV_MIN_MPH, upper=LSV_MAX_MPH,
                               units="mi/h", where="class.require"),
                ConstraintSpec(quantity="mass:gvw", upper=LSV_GVWR_KG, units="kg",
                               where="class.require")]
        fc = classify(0.5 * (LSV_MIN_MPH + LSV_MAX_MPH), 0.5 * LSV_GVWR_KG)
    best: dict[str, str] = {}
    rank = {"full": 3, "limited": 2, "prohibited": 1, "unknown": 0}
    for a in access(fc):
        if rank[a.level] > rank.get(best.get(a.state, "unknown"), -1):
            best[a.state] = a.level
    counts = {"min_full_access_states": sum(v == "full" for v in best.values()),
              "min_road_access_states": sum(v in ("full", "limited") for v in best.values())}
    for key, have in counts.items():
        if key in t:
            want = _int(source, f"class.{key}", t[key], 0, len(STATES))
            if want > have:
                what = "full access" if key.startswith("min_full") else "road access"
                raise _fail(source, f"class.{key}", want,
                            f"a {fc.name} has {what} in {have} of {len(STATES)} states "
                            "(states.csv)", f"at most {have} for class {cls!r}")
    return out


def _objective(source: str, where: str, raw: Any, packs: Sequence[RulePack],
               derived: Sequence[str]) -> ObjectiveSpec:
    t = _table(source, where, raw, _OBJECTIVE)
    if ("name" in t) == ("margin" in t):
        raise InputError(f"{source}: {where}: give either name (a model quantity) or margin "
                         "(a rule-pack constraint id)")
    sense = _choice(source, f"{where}.sense", t.get("sense", "min"), ("min", "max"))
    ref = _ref(source, f"{where}.ref", t["ref"]) if "ref" in t else None
    if "margin" in t:
        cid = _str(source, f"{where}.margin", t["margin"])
        recs = match_records(cid, packs)
        if len(recs) != 1 or any(c in cid for c in "*?["):
            raise _fail(source, f"{where}.margin", cid,
                        "must name exactly one rule-pack constraint record",
                        "an id as printed by `keidesign evaluate`")
        return ObjectiveSpec(margin=recs[0][0], sense=sense, ref=ref, where=where)
    name = _quantity_name(source, f"{where}.name", t["name"], derived)
    return ObjectiveSpec(name=name, sense=sense, ref=ref, where=where)


def _driver(source: str, raw: Any) -> dict[str, Any]:
    t = _table(source, "driver", raw, _DRIVER)
    opt = t.get("optimizer", "SLSQP")
    if isinstance(opt, str) and opt.lower().startswith("pyoptsparse"):
        raise _fail(source, "driver.optimizer", opt,
                    "pyOptSparse (IPOPT, SNOPT) is not installable from the package "
                    "registries this project uses", "one of " + ", ".join(OPTIMIZERS))
    out = {
        "optimizer": _choice(source, "driver.optimizer", opt, OPTIMIZERS),
        "maxiter": _int(source, "driver.maxiter", t.get("maxiter", 200), 1, MAX_ITER),
        "tol": _float(source, "driver.tol", t.get("tol", 1e-8), positive=True),
        "multistart": _int(source, "driver.multistart", t.get("multistart", 0), 0),
        "seed": _int(source, "driver.seed", t.get("seed", 0), 0),
        "gradients": _choice(source, "driver.gradients", t.get("gradients", "analytic"),
                             ("analytic", "fd")),
        "fd_step": _float(source, "driver.fd_step", t.get("fd_step", 1e-6), positive=True),
    }
    return out


def _sweep(source: str, raw: Any, variables: Sequence[DesignVar]) -> dict[str, Any]:
    t = _table(source, "sweep", raw, _SWEEP)
    method = _choice(source, "sweep.method", t.get("method", "fullfact"), _METHODS)
    cont = {v.name: v for v in variables if not v.discrete}
    if not cont and not any(v.discrete for v in variables):
        raise InputError(f"{source}: sweep: the study has no [[variable]] to sweep")
    out: dict[str, Any] = {"method": method, "seed": _int(source, "sweep.seed",
                                                          t.get("seed", 0), 0),
                           "chunk": _int(source, "sweep.chunk", t.get("chunk", 64), 1,
                                         MAX_CHUNK)}
    step = t.get("step", False)
    if not isinstance(step, bool):
        raise _fail(source, "sweep.step", step, "expected true or false")
    out["step"] = step
    use_batch = t.get("batch", True)
    if not isinstance(use_batch, bool):
        raise _fail(source, "sweep.batch", use_batch, "expected true or false")
    out["batch"] = use_batch
    levels = t.get("levels", 5)
    if isinstance(levels, Mapping):
        lv = {}
        for k, v in levels.items():
            var = _design_var(source, f"sweep.levels.{k}", k)
            if var.name not in cont:
                raise _fail(source, f"sweep.levels.{k}", k, "not a continuous [[variable]] "
                            "of this study")
            lv[var.name] = _int(source, f"sweep.levels.{k}", v, 1)
        out["levels"] = {n: lv.get(n, 5) for n in cont}
    else:
        n = _int(source, "sweep.levels", levels, 1)
        out["levels"] = dict.fromkeys(cont, n)
    if method == "lhs":
        if "samples" not in t:
            raise InputError(f"{source}: sweep.samples: missing; method = 'lhs' needs the "
                             "number of samples")
        out["samples"] = _int(source, "sweep.samples", t["samples"], 1)
    elif "samples" in t:
        raise InputError(f"{source}: sweep.samples: only used with method = 'lhs' "
                         "(full factorial uses levels)")
    out["map"] = None
    if "map" in t:
        names = _strlist(source, "sweep.map", t["map"])
        if len(names) != 2:
            raise _fail(source, "sweep.map", t["map"], "expected two variables [x, y]")
        mvars = []
        for i, nm in enumerate(names, 1):
            var = _design_var(source, f"sweep.map[{i}]", nm)
            if var.name not in cont:
                raise _fail(source, f"sweep.map[{i}]", nm,
                            "not a continuous [[variable]] of this study")
            mvars.append(var.name)
        if mvars[0] == mvars[1]:
            raise _fail(source, "sweep.map", t["map"], "the two axes must differ")
        if method != "fullfact":
            raise _fail(source, "sweep.method", method, "a feasibility map needs a grid",
                        "'fullfact' with sweep.map")
        out["map"] = mvars
    return out


def _pareto(source: str, raw: Any, packs: Sequence[RulePack], derived: Sequence[str]
            ) -> tuple[dict[str, Any], list[ObjectiveSpec]]:
    t = _table(source, "pareto", raw, _PARETO)
    objs = t.get("objective")
    if not isinstance(objs, list) or not 2 <= len(objs) <= 3:
        raise _fail(source, "pareto.objective", objs,
                    "expected 2 or 3 [[pareto.objective]] tables (the first is minimized, "
                    "the others become epsilon constraints)")
    specs = [_objective(source, f"pareto.objective[{i}]", o, packs, derived)
             for i, o in enumerate(objs, 1)]
    labels = [s.label for s in specs]
    if len(set(labels)) != len(labels):
        raise _fail(source, "pareto.objective", labels, "the objectives must differ")
    return {"points": _int(source, "pareto.points", t.get("points", 5), 2)}, specs


# --------------------------------------------------------------------------- rule packs


def match_records(pattern: str, packs: Sequence[RulePack]
                  ) -> list[tuple[str, Constraint, str]]:
    """Records whose id (or constraint id, for two-sided ones) matches ``pattern``."""
    out = []
    for rid, con, kind in pack_records(packs):
        if fnmatch.fnmatchcase(rid, pattern) or fnmatch.fnmatchcase(con.full_id, pattern):
            out.append((rid, con, kind))
    return out


# --------------------------------------------------------------------------- writing


def design_to_doc(design: Design) -> dict[str, Any]:
    """Nested design-file tables of ``design`` (registered units; only design keys)."""
    doc: dict[str, Any] = {}
    for var in reg.variables(design=True):
        if var.name in design.values:
            _set_path(doc, var.name.split(":"), design.values[var.name])
    return doc


def restraint_hint(study: Study) -> str:
    """:func:`keidesign.evaluation.registry_restraint_hint` for a study whose base design
    rides down on the registry's restraint and whose variables leave it there, else ''
    (said under a sweep's or an optimization's ``fmvss208.ride_down_space`` failure)."""
    from keidesign.evaluation import RESTRAINT_KEYS, registry_restraint_hint

    if any(v.name.replace(".", ":") in RESTRAINT_KEYS for v in study.variables):
        return ""
    return registry_restraint_hint(study.base.values)

