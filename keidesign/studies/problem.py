"""The OpenMDAO problem of a study: vehicle model + derived quantities + constraint margins.

``StudyGroup`` holds the vehicle model (:class:`keidesign.model.KeiVehicle`, promoted
``*``), one :class:`DerivedComp` per ``[derived]`` quantity of the study, and a
:class:`MarginComp` that turns each chosen rule-pack constraint (or study bound) into a
margin output in the constraint's units::

    margin = value - bound      (lower bound)        margin = bound - value   (upper bound)

so every constraint is ``add_constraint("margin:...", lower=min_margin)`` with analytic
(constant, exact) partials, and the driver's totals stay analytic end to end.

What the model computes depends on the design (ICE or BEV) and on the disciplines
delivered so far, so the names a study uses are resolved against the model of each
design (:func:`probe`): a quantity the model does not compute gives one clear
:class:`~keidesign.errors.InputError` naming it; a rule-pack criterion no model computes
is skipped when chosen by a glob (``fmvss:*``) and an error when named explicitly.
Constraints on design values that are not model inputs (``body:seats``: a structure
option) are *fixed*: evaluated once per design, reported, never given to the driver.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import openmdao.api as om

from keidesign import batch
from keidesign import units as ku
from keidesign import variables as reg
from keidesign.compliance import TARGETS, design_fleet, not_applicable_packs
from keidesign.design import Design, check_consistency
from keidesign.errors import InputError, show
from keidesign.federal_class import FederalClass, design_class
from keidesign.model import KeiVehicle, build_problem, set_design_values
from keidesign.rulepacks import RulePack, class_reason
from keidesign.studies.runclass import judged_class
from keidesign.studies.spec import (
    DERIVED_PREFIX,
    ConstraintSpec,
    ObjectiveSpec,
    Study,
    match_records,
)

__all__ = [
    "BatchEvaluator",
    "CaseEvaluator",
    "MarginComp",
    "MarginSpec",
    "ModelInfo",
    "StudyGroup",
    "applies",
    "build_study_problem",
    "case_class",
    "probe",
    "resolve_margins",
]

MARGIN_PREFIX = "margin:"


# --------------------------------------------------------------------------- probe


@dataclass(frozen=True)
class ModelInfo:
    """What the vehicle model of one design computes, and its values at that design.

    Attributes:
        outputs: promoted output name -> units (scalar outputs only).
        inputs: independent promoted input name -> units (the design inputs).
        values: value of every scalar output and input at the design (model units).
        fixed: design values that are not model inputs (``{name: (value, units)}``).
    """

    outputs: dict[str, str | None]
    inputs: dict[str, str | None]
    values: dict[str, float]
    fixed: dict[str, tuple[float, str | None]]

    def has(self, name: str) -> bool:
        return name in self.outputs or name in self.inputs

    def units(self, name: str) -> str | None:
        return self.outputs[name] if name in self.outputs else self.inputs.get(name)


def probe(design: Design, packs: Sequence[RulePack], *, round_footprint: bool = False
          ) -> ModelInfo:
    """Set up and run the vehicle model of ``design`` once; list what it computes."""
    prob = build_problem(design, list(packs), round_footprint=round_footprint)
    prob.run_model()
    meta = prob.model.get_io_metadata(iotypes=("input", "output"),
                                      metadata_keys=["units", "size"])
    all_inputs = set(prob.model.list_inputs(val=False, out_stream=None,
                                            return_format="dict"))
    indep = set(prob.model.list_inputs(val=False, is_indep_var=True, out_stream=None,
                                       return_format="dict"))
    outputs: dict[str, str | None] = {}
    inputs: dict[str, str | None] = {}
    values: dict[str, float] = {}
    for abs_name, m in meta.items():
        prom = m["prom_name"]
        if prom.startswith("_auto_ivc") or m["size"] != 1:
            continue
        if abs_name in all_inputs:
            if abs_name in indep and prom not in inputs:
                inputs[prom] = m["units"]
                values[prom] = float(np.real(prob.get_val(prom)).item())
        else:
            outputs[prom] = m["units"]
            values[prom] = float(np.real(prob.get_val(prom)).item())
    fixed = {n: vu for n, vu in design.numeric().items() if n not in inputs}
    return ModelInfo(outputs, inputs, values, fixed)


# --------------------------------------------------------------------------- margins


@dataclass(frozen=True)
class MarginSpec:
    """One margin: ``value - bound`` (lower) or ``bound - value`` (upper), in ``units``.

    ``bound`` is a number in ``units`` or a variable name. ``fixed`` margins involve
    only design values that are not model inputs; their ``value`` is known at build time.
    ``applies_to``: the federal classes its rule-pack constraint applies to (empty: every
    class; ``keidesign.rulepacks.Constraint.applies_to``), judged per case
    (:func:`applies`), as a case's class follows its own top speed and GVWR.
    """

    id: str
    output: str
    quantity: str
    kind: str
    bound: float | str
    units: str | None
    min_margin: float = 0.0
    ref: float = 1.0
    constrained: bool = True
    source: str = ""
    description: str = ""
    fixed_value: float | None = None
    applies_to: tuple[str, ...] = ()

    @property
    def fixed(self) -> bool:
        return self.fixed_value is not None


#: The outputs that decide a case's federal class (:func:`keidesign.federal_class.
#: design_class`: top speed, curb mass; the payload is a design value), recorded by every
#: case of a study with a class-restricted margin (:func:`_responses`).
CLASS_OUTPUTS = ("perf:top_speed", "mass:curb")


def case_class(values: Mapping[str, Any], outputs: Mapping[str, float]) -> str | None:
    """The federal class key of one case (``keidesign.federal_class``): ``values`` the
    design's values with the case's inputs, ``outputs`` its recorded outputs (in the
    registry's units: mph, kg). None when an output that decides it was not recorded (a
    store written before 6 Dec 2026, s29c): the margins then count as before."""
    if any(outputs.get(n) is None for n in CLASS_OUTPUTS):
        return None
    return design_class(values, {n: float(outputs[n]) for n in CLASS_OUTPUTS}).key


def applies(margin: MarginSpec, class_key: str | None) -> bool:
    """Whether ``margin`` is judged on a case of federal class ``class_key`` (None:
    unknown, judged). Part 581 on a passenger-car body is judged only on the cases that
    stay passenger cars: a speed-limited case with a top speed of 20-25 mph and a GVWR
    below 3,000 lb is a low-speed vehicle, which 49 CFR 581.3 leaves out."""
    return class_key is None or not margin.applies_to or class_key in margin.applies_to


def _out_name(rid: str) -> str:
    return MARGIN_PREFIX + rid.replace(".", "_")


def _convert(value: float, frm: str | None, to: str | None) -> float:
    frm, to = frm or "unitless", to or "unitless"
    if frm == to or "unitless" in (frm, to):
        return float(value)
    factor, offset = ku.conversion(frm, to)
    return float((value + offset) * factor)


def _value_of(name: str, info: ModelInfo, derived: Mapping[str, str], units: str | None,
              dvs: frozenset[str] = frozenset()) -> tuple[float | None, bool]:
    """(value in ``units``, is-fixed) of a quantity at the probed design; None: unknown.

    A model input that is not a design variable of the study is fixed (a constant), and
    so is an output that is a fit's class average, the same for every design
    (:data:`keidesign.crash.side_occupant.CLASS_AVERAGE`: the pole test's SID-IIs): no
    design variable moves it, so its margin is checked once, not carried as an optimizer
    constraint (OpenMDAO warned of a constraint no design variable moves).
    """
    from keidesign.crash.side_occupant import CLASS_AVERAGE

    if info.has(name):
        fixed = (name in info.inputs and name not in dvs) or name in CLASS_AVERAGE
        return _convert(info.values[name], info.units(name), units), fixed
    if name in derived:
        return None, False  # computed by the study's DerivedComp; value unknown before a run
    if name in info.fixed:
        v, u = info.fixed[name]
        return _convert(v, u, units), True
    return None, False


def resolve_margins(study: Study, design: Design, info: ModelInfo, *,
                    extra: Sequence[ObjectiveSpec] = (), judged: FederalClass | None = None
                    ) -> tuple[list[MarginSpec], list[str]]:
    """Margins of the study's constraints (and of margin objectives in ``extra``).

    ``judged``: the federal class the run judges every design as (an optimization's or
    a Pareto run's, :func:`keidesign.studies.runclass.judged_class`); None: the class the
    design's body gives (a sweep's, whose cases are then judged by their own class).

    Returns ``(margins, skipped)``: ``skipped`` lists records chosen by a glob that no
    model computes or that do not apply to this design (``id: reason``).

    Raises:
        InputError: an explicitly named constraint is not modelled or not applicable.
    """
    derived = {d.name: d.units for d in study.derived}
    dvs = frozenset(v.name for v in study.continuous)
    out: dict[str, MarginSpec] = {}
    skipped: list[str] = []
    # the class a study's [class] require holds every case to (its bounds keep the cases
    # in it: an LSV study's FMVSS 208 / 214 / 216a / 301 and Part 581 records are
    # not-applicable, as evaluate says), else the one the design's body gives (truck or
    # not): a sweep's cases keep their body; whether a case is a low-speed vehicle (its
    # top speed, GVWR) is then decided per case from its outputs (MarginSpec.applies_to,
    # case_class, applies). An optimization: the class decided once for the run
    # (``judged``)
    fc = judged or _study_class(study, design)
    targets = _target_packs(study.packs, design)

    def add(spec: MarginSpec, where: str) -> None:
        if spec.id in out:
            old = out[spec.id]
            # one record id, two bounds: a pack's constraint 'x' with both bounds records
            # 'x.lower', which another constraint of the pack may be called; a pack named
            # 'study' records the ids of the study's own bounds (one was dropped unsaid
            # before audit s39c)
            same = ((old.quantity, old.kind, old.bound, old.units)
                    == (spec.quantity, spec.kind, spec.bound, spec.units))
            # two [[constraint]] bounds of the study on one quantity merge (as before)
            studys = old.source == spec.source == "study" and old.quantity == spec.quantity
            if not (same or studys):
                raise InputError(
                    f"{study.path}: {where}: record {spec.id!r} names two bounds "
                    f"({old.kind} {show(old.bound)} on {old.quantity}, {spec.kind} "
                    f"{show(spec.bound)} on {spec.quantity}); allowed: a record id of one "
                    "bound (a rule pack's constraint id other than another's id + '.lower' "
                    "/ '.upper', a pack id other than 'study')")
            spec = dataclasses.replace(old, constrained=old.constrained or spec.constrained,
                                       min_margin=max(old.min_margin, spec.min_margin))
        out[spec.id] = spec

    def from_record(rid: str, con, kind: str, c: ConstraintSpec | None, explicit: bool,
                    where: str) -> None:
        reason = _unavailable(con.quantity, con.lower if kind == "lower" else con.upper,
                              info, derived, design)
        if not reason and (why := class_reason(con, fc.key, fc.name)):
            reason = f"constraint does not apply: {why} (not-applicable)"
        if not reason:
            reason = _target_reason(rid, con.lower if kind == "lower" else con.upper, targets,
                                    study, where)
        if reason:
            if explicit:
                later = "" if reason.endswith("(not-applicable)") else " yet"
                raise InputError(f"{study.path}: {where} = {rid!r}: {reason} for "
                                 f"{design.path}, so it cannot be a study constraint or "
                                 f"objective{later}")
            skipped.append(f"{rid}: {reason}")
            return
        bound_spec = con.lower if kind == "lower" else con.upper
        add(_margin(rid, con.quantity, kind, bound_spec, con.units, c, info, derived,
                    source=con.source, description=con.description,
                    constrained=c is not None, dvs=dvs, applies_to=con.applies_to), where)

    for c in study.constraints:
        if c.id is not None:
            recs = match_records(c.id, study.packs)
            explicit = not any(ch in c.id for ch in "*?[")
            for rid, con, kind in recs:
                from_record(rid, con, kind, c, explicit, f"{c.where}.id")
            continue
        for kind in ("lower", "upper"):
            bound = c.lower if kind == "lower" else c.upper
            if bound is None:
                continue
            q = str(c.quantity)
            rid = f"{q}.{kind}" if q.startswith(DERIVED_PREFIX) else f"study:{q}.{kind}"
            reason = _unavailable(c.quantity, bound, info, derived, design)
            if reason:
                raise InputError(f"{study.path}: {c.where}.quantity = {c.quantity!r}: {reason} "
                                 f"for {design.path}")
            add(_margin(rid, str(c.quantity), kind, bound, c.units, c, info, derived,
                        source="study", description=f"study bound on {c.quantity}",
                        constrained=True, dvs=dvs), f"{c.where}.quantity")
    for obj in extra:
        if obj.margin is None:
            continue
        for rid, con, kind in match_records(obj.margin, study.packs):
            from_record(rid, con, kind, None, True, f"{obj.where}.margin")
    return _own_outputs(list(out.values())), skipped


def _own_outputs(margins: list[MarginSpec]) -> list[MarginSpec]:
    """``margins`` with an output name each: two record ids that differ only by '.'
    against '_' (a pack's constraints 'a.b_c' and 'a_b.c') give one name
    (:func:`_out_name`), and the later one is numbered (``~2``, ...; OpenMDAO's
    "Variable name ... already exists" traceback before audit s39c)."""
    used: set[str] = set()
    out = []
    for m in margins:
        name, k = m.output, 1
        while name in used:
            k += 1
            name = f"{m.output}~{k}"
        used.add(name)
        out.append(m if name == m.output else dataclasses.replace(m, output=name))
    return out


def _study_class(study: Study, design: Design) -> FederalClass:
    """The federal class a study's margins are chosen by: an LSV when its ``[class]``
    requires one (its bounds on top speed and GVWR hold every case there), else the class
    the design's body gives before a run (:func:`keidesign.federal_class.design_class`)."""
    if (study.doc.get("class") or {}).get("require") == "lsv":
        return judged_class(design, None, "lsv")
    return design_class(design.values)


def _target_packs(packs: Sequence[RulePack], design: Design,
                  ) -> tuple[dict[str, str], dict[str, str]]:
    """``(not-applicable reasons by pack id, pack id the model's target comes from by
    target variable)``: the model computes one ``cafe:target_mpg`` (``ghg:target_co2``),
    from the first pack with a row for the design's model year and fleet
    (:func:`keidesign.compliance.add_subsystems`)."""
    by_year = not_applicable_packs(packs, design.model_year, design_fleet(design))
    first = {}
    for program, (name, _) in TARGETS.items():
        pid = next((p.id for p in packs if program in p.params and p.id not in by_year), None)
        if pid is not None:
            first[name] = pid
    return by_year, first


def _target_reason(rid: str, bound: float | str | None,
                   targets: tuple[dict[str, str], dict[str, str]], study: Study,
                   where: str) -> str:
    """Why a pack's CAFE / GHG target record cannot be a study margin ('' if it can): its
    pack has no row for the design's model year (not-applicable, as ``evaluate`` says); or
    the model's target variable comes from another pack (two packs of one program in one
    study: the record would be held to the other pack's target), an InputError."""
    by_year, first = targets
    if not isinstance(bound, str):
        return ""
    pid = rid.split(":", 1)[0]
    if bound not in {name for name, _ in TARGETS.values()}:
        return ""
    if pid in by_year:
        return f"constraint does not apply: {by_year[pid]} (not-applicable)"
    if first.get(bound, pid) != pid:
        raise InputError(f"{study.path}: {where} = {rid!r}: its bound {bound} would be "
                         f"{first[bound]}'s target (the model computes one, from the first "
                         f"pack with a row); allowed: one pack with a "
                         f"{bound.split(':')[0].upper()} row per study (compare rule sets "
                         f"with keidesign compare DESIGN --rules A --rules B)")
    return ""


def _unavailable(quantity: str, bound: float | str | None, info: ModelInfo,
                 derived: Mapping[str, str], design: Design) -> str:
    """Why a constraint (or objective, recorded quantity) cannot be evaluated for
    ``design`` ('' if it can): a quantity of another kind of design (registry ``when``:
    another powertrain's output, which the model computes as 0, or an input of the other
    powertrain) is not-applicable; one no model of ``design`` computes is not-modelled."""
    names = [quantity] + ([bound] if isinstance(bound, str) else [])
    why = reg.inapplicable(names, design.values)
    if why:
        return f"quantity does not apply: {why} (not-applicable)"
    for name in names:
        if info.has(name) or name in derived or name in info.fixed:
            continue
        try:
            reg.get(name)
        except KeyError:
            return f"quantity {name!r} is not computed by any model yet (not-modelled)"
        return f"quantity {name!r} is not computed by the model (not-modelled)"
    return ""


def _margin(rid: str, quantity: str, kind: str, bound_spec: float | str, units: str | None,
            c: ConstraintSpec | None, info: ModelInfo, derived: Mapping[str, str], *,
            source: str, description: str, constrained: bool,
            dvs: frozenset[str] = frozenset(),
            applies_to: tuple[str, ...] = ()) -> MarginSpec:
    units = None if units in (None, "unitless") else units
    value, q_fixed = _value_of(quantity, info, derived, units, dvs)
    if isinstance(bound_spec, str):
        bval, b_fixed = _value_of(bound_spec, info, derived, units, dvs)
        if b_fixed:
            bound_spec, bval = float(bval), float(bval)  # a design value: a number here
    else:
        bval, b_fixed = float(bound_spec), True
    ref = c.ref if c is not None and c.ref is not None else max(
        abs(bval) if bval is not None else 0.0, abs(value) if value is not None else 0.0, 1.0)
    fixed_value = None
    if q_fixed and b_fixed and value is not None and bval is not None:
        fixed_value = value - bval if kind == "lower" else bval - value
    return MarginSpec(id=rid, output=_out_name(rid), quantity=quantity, kind=kind,
                      bound=bound_spec, units=units,
                      min_margin=c.min_margin if c is not None else 0.0, ref=float(ref),
                      constrained=constrained and fixed_value is None, source=source,
                      description=description, fixed_value=fixed_value,
                      applies_to=tuple(applies_to))


class MarginComp(om.ExplicitComponent):
    """Constraint margins, ``value - bound`` or ``bound - value``, in constraint units.

    Inputs are the constrained quantities and bound variables in the units the model
    declares them in (so promoted design inputs keep one set of units); each value is
    converted to the constraint's units by the linear map ``(x + offset) * factor``
    (OpenMDAO's unit table). Partials are those constant factors (exact); ``compute`` is
    complex-step safe. ``n_evals`` counts evaluations (model evaluations of a study).

    Options:
        margins: the :class:`MarginSpec` list (fixed ones are skipped).
        units: model units of every input name.
    """

    def initialize(self) -> None:
        batch.declare_option(self.options)
        self.options.declare("margins", types=list)
        self.options.declare("units", types=dict)
        self.n_evals = 0

    def setup(self) -> None:
        units: dict[str, str | None] = self.options["units"]
        n = batch.n_cases(self)
        self._terms: list[tuple[str, list[tuple[str, float, float]], float]] = []
        declared: set[str] = set()
        for m in self.options["margins"]:
            if m.fixed:
                continue
            sign = 1.0 if m.kind == "lower" else -1.0
            terms = []  # (input, d margin / d input, offset) ; margin = sum d*(x+off)
            const = 0.0
            for name, s in ((m.quantity, sign), (m.bound, -sign)):
                if isinstance(name, str):
                    u = units.get(name)
                    if u is None or m.units is None or u == m.units:
                        factor, offset = 1.0, 0.0
                    else:
                        factor, offset = ku.conversion(u, m.units)
                    if name not in declared:
                        declared.add(name)
                        kw = {"units": u} if u else {}
                        self.add_input(name, val=np.ones(n), **kw)
                    terms.append((name, s * factor, offset))
                else:
                    const += s * float(name)
            self._terms.append((m.output, terms, const))
            kw = {"units": m.units} if m.units else {}
            self.add_output(m.output, val=np.zeros(n), desc=f"margin of {m.id}", **kw)
            for name, d, _ in terms:
                if n == 1:
                    self.declare_partials(m.output, name, val=d)
                else:  # a batched sweep needs no derivatives; diagonal if asked for
                    self.declare_partials(m.output, name, rows=np.arange(n),
                                          cols=np.arange(n), val=np.full(n, d))

    def compute(self, inputs, outputs) -> None:
        self.n_evals += 1
        for out, terms, const in self._terms:
            val = const
            for name, d, off in terms:
                val = val + d * (inputs[name] + off)
            outputs[out] = val


class DerivedComp(om.ExplicitComponent):
    """A study's derived quantity ``y = expr(vars)`` (``[derived]``), vectorized over the
    cases (``n_cases``; diagonal partials).

    The expression is the tree parsed by :mod:`keidesign.studies.expressions` (no
    ``ExecComp``: that ``exec``\\ s its text); values and derivatives come from its one
    evaluator, the partials by complex step through it. Inputs carry the registered
    units of the variables, the output the units of the study file (canonical text of
    :mod:`keidesign.units`).
    """

    def initialize(self) -> None:
        self.options.declare("spec", desc="the DerivedSpec")
        self.options.declare("units", types=dict, desc="registered units of each variable")
        batch.declare_option(self.options)

    #: the output's name within the component: a name no ``vars`` symbol can take (a
    #: symbol is letters, digits and ``_``), so ``vars = { y = ... }`` is an input like any
    #: other (the output was ``y``: OpenMDAO's "Variable name 'y' already exists"
    #: traceback, audit s39c)
    OUT = "derived:value"

    def setup(self) -> None:
        d = self.options["spec"]
        n = batch.n_cases(self)
        units = self.options["units"]
        self._syms = [(sym, var) for sym, var in d.vars]
        for sym, var in self._syms:
            kw = {"units": units[var]} if units.get(var) else {}
            self.add_input(sym, val=np.ones(n), **kw)
        self.add_output(self.OUT, val=np.zeros(n), units=d.units)
        ar = np.arange(n)
        for sym, _ in self._syms:
            self.declare_partials(self.OUT, sym, rows=ar, cols=ar)

    def compute(self, inputs, outputs) -> None:
        expr = self.options["spec"].parsed
        outputs[self.OUT] = expr({sym: inputs[sym] for sym, _ in self._syms})

    def compute_partials(self, inputs, partials) -> None:
        expr = self.options["spec"].parsed
        d = expr.partials({sym: inputs[sym] for sym, _ in self._syms})
        for sym, _ in self._syms:
            partials[self.OUT, sym] = d.get(sym, 0.0)


class StudyGroup(om.Group):
    """Vehicle model + derived quantities + margins of one design of a study.

    The margin and derived components declare their own variables: they are study
    results named in the study file, not quantities that cross a discipline boundary,
    so they are not in the variable registry (``margin:<record id>``,
    ``study:<derived name>``).
    """

    def initialize(self) -> None:
        self.options.declare("design", types=Design)
        self.options.declare("packs", types=list)
        self.options.declare("margins", types=list, default=[])
        self.options.declare("derived", types=list, default=[])
        self.options.declare("units", types=dict, default={})
        self.options.declare("defaults", types=dict, default={},
                             desc="value of each independent model input at the design")
        self.options.declare("round_footprint", types=bool, default=False)
        batch.declare_option(self.options)

    def setup(self) -> None:
        n = batch.n_cases(self)
        self.add_subsystem("vehicle", KeiVehicle(design=self.options["design"],
                                                 packs=self.options["packs"],
                                                 round_footprint=self.options["round_footprint"],
                                                 n_cases=n),
                           promotes=["*"])
        units = self.options["units"]
        for d in self.options["derived"]:
            kw = {sym: {"units": units.get(var), "shape": n} if units.get(var) else {"shape": n}
                  for sym, var in d.vars}
            comp = DerivedComp(spec=d, units={var: units.get(var) for _, var in d.vars},
                               n_cases=n)
            self.add_subsystem(d.name.replace(":", "_"), comp,
                               promotes_inputs=[(sym, var) for sym, var in d.vars],
                               promotes_outputs=[(DerivedComp.OUT, d.name)])
        self.add_subsystem("margins", MarginComp(margins=list(self.options["margins"]),
                                                 units=units, n_cases=n), promotes=["*"])
        # an input the study's components share with the vehicle model: one default value
        shared = {var for d in self.options["derived"] for _, var in d.vars}
        for m in self.options["margins"]:
            shared.update(n for n in (m.quantity, m.bound) if isinstance(n, str))
        for name in sorted(shared):
            if name in self.options["defaults"]:
                kw = {"units": units[name]} if units.get(name) else {}
                val = self.options["defaults"][name]
                self.set_input_defaults(name, val=val if n == 1 else np.full(n, val), **kw)


# --------------------------------------------------------------------------- building


class _DesignProblem(om.Problem):
    """A study's ``Problem``: its ``setup`` sets every model input to the value of the
    model's design (:func:`keidesign.model.set_design_values`, as ``build_problem`` does).

    Without it a study problem set up with a plain ``prob.setup()`` (no
    :func:`finish_setup`) ran at OpenMDAO's defaults for every input its design gives
    (e.g. BEV motor power and torque 1.0: 0-60 mph 999 s, top speed 0, a test mass of a
    different car), silently: ``StudyGroup`` gives defaults only to the inputs it shares
    with the derived and margin components. A new ``setup`` resets the values to the
    design's; values set between ``setup`` and the run (a driver's start) are kept.
    """

    def setup(self, *args: Any, **kwargs: Any) -> Any:
        out = super().setup(*args, **kwargs)
        set_design_values(self, self.model.options["design"])
        return out


@dataclass
class StudyProblem:
    """A set-up study problem and what it was built from."""

    prob: om.Problem
    design: Design
    info: ModelInfo
    margins: list[MarginSpec]
    skipped: list[str]
    responses: list[str] = field(default_factory=list)
    units: dict[str, str | None] = field(default_factory=dict)
    constraint_keys: dict[str, MarginSpec] = field(default_factory=dict)
    #: the federal class every design of the run is judged as (``build_study_problem``)
    judged_class: FederalClass | None = None

    @property
    def margin_comp(self) -> MarginComp:
        return self.prob.model.margins

    def margin(self, rid: str) -> MarginSpec:
        for m in self.margins:
            if m.id == rid:
                return m
        raise KeyError(rid)


_PROBES: dict[tuple, ModelInfo] = {}


def _probe_cached(design: Design, packs: Sequence[RulePack], round_footprint: bool
                  ) -> ModelInfo:
    """:func:`probe`, cached per design values, packs and footprint rounding."""
    key = (tuple(sorted((k, repr(v)) for k, v in design.values.items())),
           tuple((p.id, p.version, str(p.path)) for p in packs), round_footprint)
    if key not in _PROBES:
        _PROBES[key] = probe(design, packs, round_footprint=round_footprint)
    return _PROBES[key]


def objective_output(obj: ObjectiveSpec, margins: Sequence[MarginSpec]) -> str:
    """The problem variable an objective spec refers to."""
    if obj.margin is None:
        return str(obj.name)
    for m in margins:
        if m.id == obj.margin:
            return m.output
    raise KeyError(obj.margin)


def check_quantity(study: Study, where: str, name: str, design: Design, info: ModelInfo
                   ) -> None:
    """Raise a clear InputError if the model of ``design`` does not give ``name``."""
    derived = {d.name: d.units for d in study.derived}
    reason = _unavailable(name, None, info, derived, design)
    if not reason and (info.has(name) or name in derived):
        return
    reason = reason or "it is a design value, not a model variable"
    raise InputError(f"{study.path}: {where} = {name!r}: {reason} for {design.path}")


def build_study_problem(study: Study, design: Design, *,
                        objectives: Sequence[ObjectiveSpec] = (),
                        round_footprint: bool = False,
                        name: str | None = None, work_dir: str | None = None,
                        reports: Any = False, n_cases: int = 1,
                        per_run_class: bool = False) -> StudyProblem:
    """Build the study problem of ``design`` (no driver, no design variables yet; its
    ``prob.setup()`` sets the design's values, :class:`_DesignProblem`).

    ``per_run_class``: judge every design of the run as the federal class the study's
    ``[class]`` requires, else that of ``design`` evaluated (optimize, pareto:
    :mod:`keidesign.studies.runclass`); else the class its body gives, each case then
    judged by its own (sweeps). Either is
    ``StudyProblem.judged_class``.

    ``objectives`` are the objective specs whose quantities must exist (their margin
    outputs are added). Raises :class:`InputError` naming any quantity the model of
    ``design`` does not compute. ``n_cases > 1`` builds the batched (case-vectorized,
    derivative-free) model of :mod:`keidesign.batch` for sweeps.
    """
    packs = tuple(study.packs)
    info = _probe_cached(design, packs, round_footprint)
    for o in objectives:
        if o.name is not None:
            check_quantity(study, f"{o.where}.name", o.name, design, info)
    for i, r in enumerate(study.record, 1):
        check_quantity(study, f"study.record[{i}]", r, design, info)
    for d in study.derived:
        for sym, var in d.vars:
            check_quantity(study, f"derived.{d.name[len(DERIVED_PREFIX):]}.vars.{sym}", var,
                           design, info)
    for v in study.continuous:
        if v.name not in info.inputs:
            raise InputError(f"{study.path}: variable {v.path!r}: not an input of the model of "
                             f"{design.path} (a structure option); list its options in "
                             "values = [...] instead")
    required = (study.doc.get("class") or {}).get("require")  # validated by spec
    judged = (judged_class(design, info, required) if per_run_class
              else design_class(design.values))
    margins, skipped = resolve_margins(study, design, info, extra=objectives,
                                       judged=judged if per_run_class else None)
    units = {**info.outputs, **info.inputs, **{d.name: d.units for d in study.derived}}
    model = StudyGroup(design=design, packs=list(packs), margins=margins,
                       derived=list(study.derived), units=units,
                       defaults={n: info.values[n] for n in info.inputs},
                       round_footprint=round_footprint, n_cases=n_cases)
    kw: dict[str, Any] = {"reports": reports}
    if name is not None:
        kw["name"] = name
    if work_dir is not None:
        kw["work_dir"] = str(work_dir)
    with warnings.catch_warnings():  # a second run in one process reuses the name
        warnings.filterwarnings("ignore", message="The problem name")
        prob = _DesignProblem(model, **kw)
    responses = _responses(study, objectives, margins)
    return StudyProblem(prob, design, info, margins, skipped, responses, units,
                        judged_class=judged)


def _responses(study: Study, objectives: Sequence[ObjectiveSpec],
               margins: Sequence[MarginSpec]) -> list[str]:
    names: list[str] = []
    for o in objectives:
        names.append(objective_output(o, margins))
    names += list(study.record) + [d.name for d in study.derived]
    names += [m.output for m in margins if not m.fixed]
    if any(m.applies_to for m in margins):   # each case's class decides them (applies)
        names += list(CLASS_OUTPUTS)
    return list(dict.fromkeys(names))


def finish_setup(sp: StudyProblem, *, complex_step: bool = False) -> None:
    """``setup`` (which sets the design values: :class:`_DesignProblem`) +
    ``final_setup`` of a built study problem.

    ``complex_step``: allocate complex vectors everywhere (``force_alloc_complex``), the
    linear ones included, for a complex step of the whole problem (``check_totals(method=
    "cs")``). Without it OpenMDAO allocates complex *nonlinear* vectors only (some
    components' partials are complex steps) and real *linear* ones, so the Newton step of
    the mass group (:class:`keidesign.mass.components.MassGroup`, DirectSolver) writes its
    complex solution into a float vector and drops the imaginary part: every total through
    the mass <-> crash loop came back 0 (task s38a). Real results are the same either way.
    """
    sp.prob.setup(force_alloc_complex=complex_step)
    sp.prob.final_setup()


def response_value(sp: StudyProblem, name: str) -> float:
    """A scalar response in the model's (registered) units, margins in theirs."""
    return float(np.real(sp.prob.get_val(name)).item())


def response_units(sp: StudyProblem, name: str) -> str | None:
    if name.startswith(MARGIN_PREFIX):
        for m in sp.margins:
            if m.output == name:
                return m.units
    for d in sp.prob.model.options["derived"]:
        if d.name == name:
            return d.units
    return sp.units.get(name)


# --------------------------------------------------------------------------- evaluation


def case_problem(design: Design, values: Mapping[str, float]) -> str:
    """Why ``design`` with the continuous ``values`` makes no vehicle ("" if it does):
    :func:`case_problems` of one case."""
    return case_problems(design, [values])[0]


def case_problems(design: Design, cases: Sequence[Mapping[str, float]]) -> list[str]:
    """Why ``design`` with each case's continuous values makes no vehicle ("" if it does).

    A study's bounds lie in each variable's registered range (checked when the study is
    read), so only the relations between values can fail for a case: the design file's
    (:func:`keidesign.design.check_consistency`, case by case) and the body layout's
    (:func:`geometry.params.layout_problems`, e.g. a front powertrain block that leaves no
    room ahead of it in the crush length: all the cases at once, on arrays), the checks
    ``keidesign check`` makes, with their messages. A case that changes no body-layout
    parameter has the design's layout, checked when the design was read, and skips the
    layout check (docs/studies.md, its cost)."""
    from geometry.params import layout_problems
    from geometry.profiles import Layout, parameter_names

    msgs = [""] * len(cases)
    groups: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = {}
    for i, values in enumerate(cases):
        merged = {**design.values, **values}
        try:
            check_consistency(merged, "case")
        except InputError as exc:
            msgs[i] = str(exc).removeprefix("case: ")
            continue
        names = parameter_names(str(merged["body:style"]), str(merged["powertrain:type"]))
        if set(values).isdisjoint(names.values()):
            continue
        powertrain = str(merged["powertrain:type"])
        placement = (str(merged.get("body:battery_placement", "underfloor"))
                     if powertrain == "bev" else "underfloor")
        key = (str(merged["body:style"]), powertrain, placement,
               str(merged.get("powertrain:layout", "front")))
        groups.setdefault(key, []).append((i, merged))
    for (style, powertrain, placement, engine), members in groups.items():
        names = parameter_names(style, powertrain)
        p = {k: np.array([float(m[name]) for _, m in members]) for k, name in names.items()}
        found = layout_problems(Layout(p, style, powertrain, placement, engine))
        for (i, _), msg in zip(members, found, strict=True):
            msgs[i] = msg
    return msgs


def set_registered(prob: om.Problem, name: str, val: Any, model_units: str | None) -> None:
    """Set model input ``name`` from a value in its registered units."""
    reg_units = reg.get(name).units
    if model_units is None or reg_units in (None, "unitless", model_units):
        prob.set_val(name, val)
    else:
        prob.set_val(name, val, units=reg_units)


class _Evaluator:
    """The set-up study problem of one discrete combination (``n_cases`` designs per
    run), its responses and fixed margins."""

    def __init__(self, study: Study, discrete: Mapping[str, Any], n_cases: int,
                 round_footprint: bool) -> None:
        self.study = study
        self.discrete = dict(discrete)
        self.design = study.design_for(discrete)
        self.sp = build_study_problem(study, self.design, round_footprint=round_footprint,
                                      n_cases=n_cases)
        finish_setup(self.sp)
        self.responses = self.sp.responses
        self.fixed = {m.output: m.fixed_value for m in self.sp.margins if m.fixed}
        self._units = {v.name: self.sp.info.inputs.get(v.name) for v in study.continuous}

    def _check(self, values: Mapping[str, float]) -> str:
        return case_problem(self.design, values)

    def _check_many(self, cases: Sequence[Mapping[str, float]]) -> list[str]:
        return case_problems(self.design, cases)


class CaseEvaluator(_Evaluator):
    """Evaluates batches of cases of one discrete combination on one set-up problem.

    One problem is set up per discrete combination and reused for every case of a
    batch: each case sets the continuous design variables, runs the model once and reads
    the responses. A case whose values make no vehicle (the design-file consistency
    checks of :mod:`keidesign.design`, e.g. powertrain longer than the crush length) is
    recorded ``invalid`` with that message and not run.
    """

    def __init__(self, study: Study, discrete: Mapping[str, Any], *,
                 round_footprint: bool = True) -> None:
        super().__init__(study, discrete, 1, round_footprint)
        self.sp.prob.run_model()

    def evaluate(self, values: Mapping[str, float]) -> tuple[str, dict[str, float], str]:
        """``(status, responses, message)`` of one case; status ok | invalid | error."""
        problem = self._check(values)
        if problem:
            return "invalid", {}, problem
        prob = self.sp.prob
        for name, val in values.items():
            set_registered(prob, name, val, self._units.get(name))
        try:
            prob.run_model()
            out = {n: response_value(self.sp, n) for n in self.responses}
        except Exception as exc:  # an analysis failure is a result of that case
            return "error", {}, f"{type(exc).__name__}: {exc}"
        out.update(self.fixed)
        bad = [n for n, v in out.items() if not math.isfinite(v)]
        if bad:
            return "error", out, f"non-finite {', '.join(bad)}"
        return "ok", out, ""


class BatchEvaluator(_Evaluator):
    """Evaluates cases of one discrete combination ``n`` at a time on the batched model.

    The study problem is built with ``n_cases = n`` (:mod:`keidesign.batch`): one
    ``run_model`` evaluates up to ``n`` cases, element ``i`` of every response being
    case ``i``'s (equal to the one-case model's within round-off: ``tests/test_batch.py``).
    A shorter batch is padded with its first case. Cases that make no vehicle are
    ``invalid`` (not run, as in :class:`CaseEvaluator`; checked together,
    :func:`case_problems`); if the batched run raises, the
    batch is evaluated case by case so the failure is recorded on its own case.
    """

    def __init__(self, study: Study, discrete: Mapping[str, Any], n: int, *,
                 round_footprint: bool = True) -> None:
        if n < 2:
            raise ValueError("a batch evaluates at least 2 cases")
        super().__init__(study, discrete, n, round_footprint)
        self.n = n
        self._scalar: CaseEvaluator | None = None

    def _one_by_one(self, cases: Sequence[Mapping[str, float]]) -> list[tuple]:
        if self._scalar is None:
            self._scalar = CaseEvaluator(self.study, self.discrete)
        return [self._scalar.evaluate(v) for v in cases]

    def evaluate_many(self, cases: Sequence[Mapping[str, float]]
                      ) -> list[tuple[str, dict[str, float], str]]:
        """``(status, responses, message)`` of each case (at most ``n``)."""
        if len(cases) > self.n:
            raise ValueError(f"{len(cases)} cases for a batch of {self.n}")
        results: list[tuple[str, dict[str, float], str] | None] = [None] * len(cases)
        run: list[int] = []
        for i, problem in enumerate(self._check_many(cases)):
            if problem:
                results[i] = ("invalid", {}, problem)
            else:
                run.append(i)
        if not run:
            return results  # type: ignore[return-value]
        prob = self.sp.prob
        names = list(cases[run[0]])
        for name in names:
            col = np.full(self.n, float(cases[run[0]][name]))  # padding: a valid case
            for j, i in enumerate(run):
                col[j] = cases[i][name]
            set_registered(prob, name, col, self._units.get(name))
        try:
            prob.run_model()
            cols = {r: np.real(np.asarray(prob.get_val(r))).reshape(-1) for r in self.responses}
        except Exception:  # find the case that fails (and record it alone)
            for i, res in zip(run, self._one_by_one([cases[i] for i in run]), strict=True):
                results[i] = res
            return results  # type: ignore[return-value]
        for j, i in enumerate(run):
            out = {r: float(c[j] if c.size > 1 else c[0]) for r, c in cols.items()}
            out.update(self.fixed)
            bad = [k for k, v in out.items() if not math.isfinite(v)]
            results[i] = (("error", out, f"non-finite {', '.join(bad)}") if bad
                          else ("ok", out, ""))
        return results  # type: ignore[return-value]
