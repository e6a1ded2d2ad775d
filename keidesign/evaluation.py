"""Evaluate one design against its rule packs: run the model once, judge every constraint.

The result is a plain record (:class:`Evaluation`) that the CLI prints as a compliance
table or writes as JSON. The JSON schema is stable; scripts rely on these names:

* top level: ``schema``, ``keidesign_version``, ``design``, ``rules``, ``inputs``,
  ``outputs``, ``constraints``, ``summary``;
* ``inputs`` / ``outputs``: ``{name: {"value": float, "units": str | null}}``;
* each constraint record: ``id``, ``value``, ``bound``, ``units``, ``margin``,
  ``passed``, ``source`` (then ``quantity``, ``kind``, ``pack``, ``description``,
  ``status``, ``verification``, ``reason``). ``verification`` is the constraint's status
  in its pack, lowered to the row's when a CAFE pack's coefficient row for the design's
  model year and fleet is less than verified (``derived``: the light-truck MY2027-2031
  rows of ``cafe-2024``). ``passed`` is null for a criterion no model
  computes yet (``status`` ``not-modelled``, ``reason`` says what it needs) or one that
  does not apply to the design
  (``not-applicable``, e.g. the kei displacement limit on a BEV, a bound on another
  powertrain's output, which the model reports as 0 (a BEV's ``energy:jc08_km_per_l``,
  an ICE car's ``energy:ev_range``: registry ``when``), or a CAFE pack whose
  Table 3 has no row for the design's model year, or, for a truck-style design, whose
  light-truck table has none); ``reason`` says why a record is
  not-applicable (``"no MY2011 row in cafe-2024 (MY2012-2031)"``) or what a
  not-modelled criterion needs, and is null otherwise; ``note`` is a caveat on a judged
  record's value, null when there is none (a rollover record whose SSF or body height
  lies outside the model's validity, output ``crash:rollover:extrapolated`` = 1:
  ``"extrapolated: SSF 0.980 outside 1.07-1.83"``; a pole-test SID-IIs value, which is
  the side fit's class average, the same for every design (``"class average: ..."``, the
  table's verdict ``PASS (class average)``); a CAFE target from a row that is
  not verified: ``"target row: cafe-2024 params.cafe.light_truck MY2027 is derived, ..."``,
  and the text table marks the verdict ``PASS (derived)`` / ``FAIL (derived)``).
  Not-applicable records count neither as passed nor as failed (``summary``).
  ``policy`` (since 6 Dec 2026) is True for a stated policy threshold, not a regulation
  (the ``fmvss`` pack's ``compat.*.share_above``: rule-pack key ``policy = true``): its
  verdict counts in ``passed`` / ``n_failed`` as any other (``--strict`` unchanged), the
  text table marks it ``PASS (policy)`` / ``FAIL (policy)``, and ``summary`` adds
  ``n_policy_failed`` and ``policy_failed`` (those of ``failed`` that are policy
  thresholds), which the class line and the summary line count apart.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from keidesign import __version__
from keidesign import variables as reg
from keidesign.catalogue.criteria import why_not_modelled
from keidesign.design import Design
from keidesign.errors import InputError, plain, plain_cut, show_path
from keidesign.rulepacks import (
    RulePack,
    class_reason,
    evaluate_constraints,
    load_pack,
    looks_like_path,
    pack_label,
    pack_records,
)

if TYPE_CHECKING:
    from keidesign.reuse import ProblemCache

__all__ = ["Evaluation", "design_packs", "evaluate_design", "format_table", "resolve_packs"]

SCHEMA = "keidesign.evaluation/1"
#: how a record's note starts when its bound comes from a CAFE row that is not verified
#: (the text table then marks its verdict, e.g. ``FAIL (derived)``)
ROW_NOTE = "target row: "


@dataclass
class Evaluation:
    """Outputs and constraint records of one design."""

    design: Design
    packs: list[RulePack]
    inputs: dict[str, tuple[float, str | None]]
    outputs: dict[str, tuple[float, str | None]]
    constraints: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        judged = [c for c in self.constraints if c["passed"] is not None]
        failed = [c["id"] for c in judged if not c["passed"]]
        # of them, the stated policy thresholds (not regulations: the fmvss pack's
        # compat.*.share_above, Constraint.policy), counted apart in the text
        policy = [c["id"] for c in judged if not c["passed"] and c.get("policy")]
        n_na = sum(c["status"] == "not-applicable" for c in self.constraints)
        return {
            "n_constraints": len(self.constraints),
            "n_evaluated": len(judged),
            "n_passed": len(judged) - len(failed),
            "n_failed": len(failed),
            "n_not_modelled": len(self.constraints) - len(judged) - n_na,
            "n_not_applicable": n_na,
            "failed": failed,
            "all_passed": not failed,
            "n_policy_failed": len(policy),
            "policy_failed": policy,
        }

    def to_json(self) -> dict[str, Any]:
        def vu(d: dict[str, tuple[float, str | None]]) -> dict[str, dict[str, Any]]:
            return {k: {"value": _finite(v), "units": u} for k, (v, u) in sorted(d.items())}

        return {
            "schema": SCHEMA,
            "keidesign_version": __version__,
            "design": {"name": self.design.name, "path": self.design.path,
                       "model_year": self.design.model_year,
                       "powertrain_type": self.design.powertrain_type,
                       "provenance": provenance(self.design)},
            "rules": [{"id": p.id, "version": p.version, "title": p.title,
                       "source": p.source, "path": str(p.path)} for p in self.packs],
            "inputs": vu(self.inputs),
            "outputs": vu(self.outputs),
            "constraints": [{k: _finite(v) for k, v in c.items()} for c in self.constraints],
            "summary": self.summary(),
        }


def _finite(v: Any) -> Any:
    """JSON has no NaN/inf: write them as null; a negative zero is written as 0.0 (a
    clipped quantity's zero, not a sign)."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, float) and v == 0.0:
        return 0.0
    return v


def resolve_packs(refs: Sequence[str | Path], search_dirs: Sequence[Path] = (),
                  where: str = "") -> list[RulePack]:
    """Load rule packs by id or path (raises InputError naming a bad one, after
    ``where``, the option or field that gave it, e.g. ``--rules``, when given)."""
    try:
        return [load_pack(r, search_dirs=search_dirs) for r in refs]
    except InputError as exc:
        if not where:
            raise
        raise InputError(f"{where}: {exc}") from None


def design_packs(design: Design, search_dirs: Sequence[Path] = ()) -> list[RulePack]:
    """The rule packs a design file lists in ``design.rules``.

    A relative path there is read relative to the design file's folder first (as a study
    does), then to the working directory; an id is searched as :func:`resolve_packs` does.
    A bad entry raises one InputError naming the design file and ``design.rules``.
    """
    folder = Path(design.path).parent
    packs = []
    for ref in design.rules:
        local = folder / ref
        if looks_like_path(ref) and not Path(ref).is_absolute() and local.is_file():
            ref = str(local)
        try:
            packs.append(load_pack(ref, search_dirs=search_dirs))
        except InputError as exc:
            raise InputError(f"{show_path(design.path)}: design.rules: {exc}") from None
    return packs


def evaluate_design(design: Design, packs: Sequence[RulePack], *,
                    reuse: bool | ProblemCache = False) -> Evaluation:
    """Build the model for ``design``, run it once, and judge every constraint.

    ``reuse``: run on a set-up model of the same structure when one is cached (True:
    this thread's :func:`keidesign.reuse.thread_cache`; or a
    :class:`keidesign.reuse.ProblemCache`): the same numbers bit for bit, without the
    set-up when the structure repeats (:mod:`keidesign.reuse`). Any other type raises
    TypeError.
    """
    # the model (OpenMDAO) is imported by the commands that run it, not by `check`,
    # which reads this module for design_packs
    from keidesign.compliance import design_fleet, not_applicable_packs, pack_targets
    from keidesign.federal_class import design_class
    from keidesign.model import build_problem, registered_outputs
    from keidesign.reuse import ProblemCache, thread_cache

    if not isinstance(reuse, bool | ProblemCache):
        raise TypeError(f"evaluate_design: reuse must be True, False or a "
                        f"keidesign.reuse.ProblemCache, got {type(reuse).__name__} "
                        f"{reuse!r}")
    if isinstance(reuse, ProblemCache) or reuse:  # an empty cache is falsy (__len__)
        cache = thread_cache() if reuse is True else reuse
        outputs = cache.outputs(design, packs, round_footprint=True)
    else:
        prob = build_problem(design, packs, round_footprint=True)
        prob.run_model()
        outputs = registered_outputs(prob)
    inputs = design.numeric()
    values = {**inputs, **outputs}
    fleet = design_fleet(design)
    by_year = not_applicable_packs(packs, design.model_year, fleet)
    rows = _row_status(packs, design.model_year, fleet, by_year)
    bounds = {rid: con.lower if kind == "lower" else con.upper
              for rid, con, kind in pack_records(packs)}
    fc = design_class(design.values, outputs)
    by_class = {rid: why for rid, con, _ in pack_records(packs)
                if (why := class_reason(con, fc.key, fc.name))}
    # each CAFE / GHG pack judged against its own target, not the model's one (that of
    # the first pack with a row: compliance.pack_targets)
    own = pack_targets(packs, design.model_year, fleet,
                       float(values["body:footprint"][0])) if "body:footprint" in values else {}
    judged = [r for p in packs
              for r in evaluate_constraints([p], {**values, **own.get(p.id, {})})]
    records = [_applicability(r, design, by_year, bounds.get(r["id"]), by_class)
               for r in judged]
    cab_over = str(design.values.get("body:style", "hatch")) == "truck"
    for r in records:
        r["note"] = _note(r, values, cab_over=cab_over)
        if r["pack"] in rows and r.get("verification") == "verified":
            r["verification"] = rows[r["pack"]]
            pack = next(p for p in packs if p.id == r["pack"])
            row = (f"{ROW_NOTE}{r['pack']} params.cafe.{fleet} MY{design.model_year} is "
                   f"{rows[r['pack']]}, not read in the regulation (the row's basis in "
                   f"{pack.path.name})")
            r["note"] = f"{r['note']}; {row}" if r["note"] else row
    return Evaluation(design, list(packs), inputs, outputs, records)


#: what ``crash:front:dash_intrusion`` measures on a cab-over truck, where it is not the
#: cab front's intrusion (the record's note, in the table row and below it)
CAB_OVER_DASH_NOTE = (
    "measures the powertrain stack's travel into the dash, and a cab-over has no "
    "powertrain ahead of the cab; the cab front's own intrusion (up to the tolerated "
    "crash.front.dash_intrusion_limit) is inside the crush available, judged by "
    "fmvss208.crush_space")


#: the frontal dummy quantities of the lumped occupant model (50th male and 5th female),
#: which hold only while the occupant stops within the restraint's ride-down space
#: (docs/crash.md: beyond it the chest meets the wheel or panel, a contact not modelled)
FRONT_DUMMY = frozenset(f"crash:front:{dummy}{q}" for dummy in ("", "f05:")
                        for q in ("hic15", "chest_accel_3ms", "chest_deflection",
                                  "femur_force", "nij"))


def beyond_space_note(values: Mapping[str, tuple[float, str | None]]) -> str | None:
    """The note on a frontal dummy record when the occupant's excursion
    (``crash:front:occupant_excursion``, mm) exceeds ``crash:restraint:ride_down_space``
    (mm), else None: the dummy values assume no interior contact, so there they do not
    hold (a 120 kN/m, 6 kN restraint: 2,017 mm against 300 mm, every dummy row PASS with
    HIC15 3, new-user pass s45g)."""
    exc, space = (values.get(k) for k in ("crash:front:occupant_excursion",
                                          "crash:restraint:ride_down_space"))
    if exc is None or space is None or not float(exc[0]) > float(space[0]):
        return None
    return (f"occupant excursion {float(exc[0]):.0f} mm beyond the {float(space[0]):.0f} mm "
            f"ride-down space (fmvss208.ride_down_space): the chest reaches the wheel or "
            f"panel, a contact the occupant model leaves out: its dummy values do not hold "
            f"there (docs/crash.md)")


def _note(record: dict[str, Any],
          values: Mapping[str, tuple[float, str | None]], *,
          cab_over: bool = False) -> str | None:
    """The caveat on a judged record's value, or None: a rollover quantity while
    ``crash:rollover:extrapolated`` is 1 (:func:`keidesign.crash.rollover.caveat`);
    the stack's dash intrusion on a cab-over truck (:data:`CAB_OVER_DASH_NOTE`); the rear
    bumper's speed, which is the front bumper's by assumption
    (:data:`keidesign.crash.bumper.REAR_AS_FRONT_NOTE`); a
    quantity that is the side fit's class average, the same for every design
    (:data:`keidesign.crash.side_occupant.CLASS_AVERAGE`: the pole test's SID-IIs); a
    frontal dummy value of an occupant past its ride-down space (:func:`beyond_space_note`)."""
    if record["passed"] is not None and record["quantity"] in FRONT_DUMMY:
        return beyond_space_note(values)
    if cab_over and record["passed"] is not None \
            and record["quantity"] == "crash:front:dash_intrusion":
        return CAB_OVER_DASH_NOTE
    if record["passed"] is not None and record["quantity"] == "crash:bumper:rear:no_damage_speed":
        from keidesign.crash.bumper import REAR_AS_FRONT_NOTE

        return REAR_AS_FRONT_NOTE
    if record["passed"] is not None and record["quantity"].startswith("crash:side:pole:"):
        from keidesign.crash.side_occupant import CLASS_AVERAGE, CLASS_AVERAGE_NOTE

        if record["quantity"] in CLASS_AVERAGE:
            return CLASS_AVERAGE_NOTE
    flag = values.get("crash:rollover:extrapolated", (0.0, None))[0]
    if record["passed"] is None or not record["quantity"].startswith("crash:rollover:") \
            or not flag:
        return None
    from keidesign.crash.rollover import caveat

    return caveat(float(values["crash:rollover:ssf"][0]), float(values["body:height"][0]))


def _row_status(packs: Sequence[RulePack], model_year: int, fleet: str,
                skipped: dict[str, str]) -> dict[str, str]:
    """Pack id -> status of the CAFE coefficient row a design of ``model_year`` and
    ``fleet`` uses, for packs whose row is not ``verified`` (``derived``, ``to-check``)."""
    from keidesign.cafe import cafe_row

    out = {}
    for p in packs:
        section = p.params.get("cafe")
        if p.id in skipped or not isinstance(section, Mapping) or fleet not in section:
            continue
        status = str(cafe_row(p, model_year, fleet).get("status", "verified"))
        if status != "verified":
            out[p.id] = status
    return out


def _not_applicable(record: dict[str, Any], reason: str) -> dict[str, Any]:
    return dict(record, value=None, margin=None, passed=None, status="not-applicable",
                reason=reason)


def _applicability(record: dict[str, Any], design: Design,
                   by_year: dict[str, str] | None = None,
                   bound: float | str | None = None,
                   by_class: dict[str, str] | None = None) -> dict[str, Any]:
    """Mark a record not-applicable, with its reason, when

    * its pack has no row for the design's model year in the table of the design's
      fleet (``by_year``: pack id -> reason, from
      :func:`keidesign.compliance.not_applicable_packs`): every constraint of that
      pack, whatever the model computed;
    * its constraint's ``applies_to`` leaves out the design's federal class
      (``by_class``: record id -> reason, :func:`keidesign.rulepacks.class_reason`:
      Part 581 on a truck, 49 CFR 581.3);
    * its quantity, or its ``bound`` when that names a variable, exists only for
      another kind of design (registry ``when``, :func:`keidesign.variables.inapplicable`):
      a BEV's displacement, an ICE car's EV range (the model gives 0 there, which is no
      value to judge), a car's cab-back clearance.

    Every record gets a ``reason`` key (None unless not-applicable); a not-modelled
    record's says what the criterion needs.
    """
    if by_year and record["pack"] in by_year:
        # no target of its own for the year: no bound (not another pack's target)
        return dict(_not_applicable(record, by_year[record["pack"]]),
                    bound=None if isinstance(bound, str) else record["bound"])
    if by_class and record["id"] in by_class:
        return _not_applicable(record, by_class[record["id"]])
    names = [record["quantity"]] + ([bound] if isinstance(bound, str) else [])
    why = reg.inapplicable(names, design.values)
    if why:
        return _not_applicable(record, why)
    record = dict(record, reason=None)
    if record["status"] == "not-modelled":
        record["reason"] = why_not_modelled(record["quantity"])
    return record


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        out = f"{v:.4g}" if abs(v) < 1e5 else f"{v:.3e}"
        # a value that rounds to zero prints as 0, not -0
        return "0" if out.startswith("-") and float(out) == 0.0 else out
    return str(v)


#: Measured values a design may carry, with the key naming their source.
#: Measured values a design may give in place of a model output: the design-file field,
#: its source field, its label in the provenance, and what it pins whatever the design
#: variables do (``keidesign.studies.optimize.check_objective_movable``).
MEASURED = (("mass:curb_measured", "mass:curb_source", "curb mass",
             "mass:curb (and the test masses from it)"),
            ("energy:test_weight", "energy:test_weight_source", "test weight",
             "the EPA test weight"),
            ("energy:coastdown:measured", "energy:coastdown:source", "coast-down A/B/C",
             "the road load (coast-down A/B/C)"))


def provenance(design: Any) -> dict[str, Any]:
    """Where the design's numbers come from: ``design.source`` and every measured
    override it gives (value in registered units, and its source text)."""
    vals = design.values
    out: dict[str, Any] = {"design": str(vals.get("design:source", "") or "")}
    for key, src, label, _ in MEASURED:
        v = vals.get(key)
        if v:  # 0 / False = not given
            out[label] = {"value": v if isinstance(v, bool) else float(v),
                          "source": str(vals.get(src, "") or "")}
    return out


def _buildup_gap(ev: Evaluation, label: str) -> str:
    """For the measured curb mass: its value beside the build-up's own curb mass
    (``mass:curb_buildup``), so a measured figure carried into a variant it was not
    published for (an imported ICE car made a BEV: 700 kg against a 956 kg build-up, new-user
    pass s44f) shows the gap instead of pinning ``mass:curb`` unseen."""
    if label != "curb mass" or "mass:curb_buildup" not in ev.outputs:
        return ""
    curb, build = ev.outputs["mass:curb"][0], ev.outputs["mass:curb_buildup"][0]
    if not build:
        return ""
    return (f": {_fmt(curb)} kg, the model's build-up {_fmt(build)} kg "
            f"({100 * (curb - build) / build:+.1f} %); it pins mass:curb, so leave "
            "mass.curb_measured out of a variant whose change moves the mass")


#: The restraint keys a design's ``[crash.restraint]`` table sets (the ride-down space is
#: the cabin's, not the restraint's).
RESTRAINT_KEYS = ("crash:restraint:slack", "crash:restraint:stiffness",
                  "crash:restraint:load_limit")


def registry_restraint_hint(values: Mapping[str, Any]) -> str:
    """What to do when a design rides its pulse down on the registry's restraint, or ''
    when its restraint differs from the registry's. A from-scratch design (and, until
    task s45a, a ``--predict`` import) has no ``[crash.restraint]`` table; its
    ``fmvss208.ride_down_space`` failure said nothing of why (new-user pass s44f: a 3 x 3
    sweep of a ``--predict`` import, 9 of 9 cases infeasible on it, the first optimization
    infeasible too), while the README's "Design files" and docs/crash.md explain it."""
    from keidesign.variables import get

    defaults = {k: float(get(k).default) for k in RESTRAINT_KEYS}
    if any(float(values.get(k, d)) != d for k, d in defaults.items()):
        return ""
    slack, stiff, limit = defaults.values()
    return (f"the restraint is the registry's ({slack:g} mm slack, {stiff:g} kN/m, "
            f"{limit:g} kN: no [crash.restraint] table), not sized for this car's pulse; "
            "write the table (`python benchmarks/crash_probes.py new_design_restraint "
            "--design FILE` prints the values the import's rule gives) or make its keys "
            "study variables (README, \"Design files\"; docs/crash.md)")


#: Labels of the frontal crush figures under the table: ``fmvss208.crush_space`` compares
#: the crush past the powertrain stack with the crush available (docs/crash.md); the total
#: dynamic crush includes the stack's own compression and is shown, not judged.
CRUSH_LABELS = {
    "crash:front:crush_past_stack": "crush past the stack at 56 km/h (fmvss208.crush_space) ",
    "crash:front:crush_available": "crush available ",
    "crash:front:crush_required": "total dynamic crush incl. the stack (not judged) ",
}


def format_table(ev: Evaluation, width: int = 60) -> str:
    """Human-readable compliance table of one evaluation."""
    s = ev.summary()
    # every text from a design or a pack is shown by plain(): one line, printable
    head = (f"{ev.design.name}  [{plain(ev.design.path)}]\n"
            f"model year {ev.design.model_year}, rule packs: "
            + ", ".join(pack_label(p) for p in ev.packs))
    measured = {k: v for k, v in provenance(ev.design).items() if k != "design"}
    if measured:
        head += "\nmeasured: " + "; ".join(
            f"{k} ({plain(v['source'] or 'no source given')}){_buildup_gap(ev, k)}"
            for k, v in measured.items())
    cols = ("constraint", "value", "bound", "units", "margin", "result", "source")
    rows = [cols]
    for c in ev.constraints:
        result = (c["status"].replace("-", " ") if c["passed"] is None
                  else "PASS" if c["passed"] else "FAIL")
        if c["passed"] is not None and ROW_NOTE in (c.get("note") or ""):
            result += f" ({c['verification']})"  # judged on a derived / to-check row
        elif c["passed"] is not None and (c.get("note") or "").startswith("class average"):
            result += " (class average)"        # the same value for every design
        if c["passed"] is not None and c.get("policy"):
            result += " (policy)"               # a stated policy threshold, no regulation
        src = (f"why: {c['reason']}" if c["passed"] is None and c.get("reason")
               else f"note: {c['note']}" if c.get("note") else c["source"])
        src = plain(src if len(src) <= width else src[: width - 3] + "...")
        rows.append((c["id"], _fmt(c["value"]), _fmt(c["bound"]), c["units"] or "",
                     _fmt(c["margin"]), result, src))
    widths = [max(len(r[i]) for r in rows) for i in range(len(cols) - 1)]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(x.ljust(w) for x, w in zip(r[:-1], widths, strict=True))
                     + "  " + r[-1])
        if i == 0:
            lines.append("-" * min(sum(widths) + 2 * len(widths) + 6, 160))
    key = ["mass:curb", "cost:price", "body:footprint", "energy:label_city_mpg",
           "energy:label_hwy_mpg", "energy:label_comb_mpg", "energy:ev_range",
           "energy:cafe_mpg", "cafe:target_mpg",
           "energy:wltc_km_per_l", "energy:wltc_wh_per_km", "energy:jc08_km_per_l",
           "energy:jc08_wh_per_km", "perf:accel_0_60",
           "crash:front:crush_past_stack", "crash:front:crush_available",
           "crash:front:crush_required"]
    kv = [(f"{k} = {ev.outputs[k][0]:,.0f} USD (2024)" if k.startswith("cost:") else
           f"{CRUSH_LABELS.get(k, '')}{k} = {_fmt(ev.outputs[k][0])} "
           f"{ev.outputs[k][1] or ''}".rstrip())
          for k in key if k in ev.outputs and ev.outputs[k][0] != 0.0]
    na = f", {s['n_not_applicable']} not applicable" if s["n_not_applicable"] else ""
    pol = s["n_policy_failed"]
    pol = (f" ({pol} of them {'a policy threshold' if pol == 1 else 'policy thresholds'}, "
           "not regulations)" if pol else "")
    tail = (f"constraints: {s['n_passed']} PASS, {s['n_failed']} FAIL{pol}, "
            f"{s['n_not_modelled']} not modelled yet{na} (of {s['n_constraints']})")
    # the table's "why:" cell is cut: full reasons, each once with the ids it holds for
    # (an LSV's 35 crash-standard rows share four)
    why = []
    for status in ("not-applicable", "not-modelled"):
        by_reason: dict[str, list[str]] = {}
        for c in ev.constraints:
            if c["status"] == status and (c.get("reason") or status == "not-modelled"):
                by_reason.setdefault(c.get("reason") or "no reason recorded", []).append(
                    c["id"])
        why += [f"{status.replace('-', ' ')}: {', '.join(ids)}: {r}"
                for r, ids in by_reason.items()]
    # a note once with the ids it holds for (the ten frontal dummy rows of an occupant
    # past its ride-down space share one; the pole test's two class averages another)
    by_note: dict[str, list[str]] = {}
    for c in ev.constraints:
        if c.get("note"):
            by_note.setdefault(c["note"], []).append(c["id"])
    why += [f"note: {', '.join(ids)}: {n}" for n, ids in by_note.items()]
    hint = registry_restraint_hint(ev.design.values)
    why += [f"note: {c['id']}: {hint}" for c in ev.constraints if hint and c["passed"] is False
            and c["id"].endswith("fmvss208.ride_down_space")]
    breakdown = [_group_line(ev, "mass", "kg"), _group_line(ev, "cost", "USD 2024")]
    if breakdown[0] and "cost:vehicle" in ev.outputs:
        # what the 'calibration' group is, as compare and cost say it (s44f: the imported
        # Fit's "calibration 150.1" kg stood under evaluate's table with no word on it)
        from keidesign.costing.calibration_note import calibration_note

        breakdown += calibration_note(ev.outputs)
    return "\n".join([head, "", *lines, "", *_wrap("; ".join(kv)),
                      *[w for b in breakdown if b for w in _wrap(b)],
                      *[w for b in why for w in _wrap(plain_cut(b))], tail])


def _group_line(ev: Evaluation, prefix: str, unit: str) -> str:
    """``mass by group (kg): body_structure 250.1, ...`` from ``<prefix>:group:*`` outputs."""
    groups = [(k.rsplit(":", 1)[1], v) for k, (v, _) in ev.outputs.items()
              if k.startswith(f"{prefix}:group:") and v != 0.0]
    if not groups:
        return ""
    return f"{prefix} by group ({unit}): " + ", ".join(f"{g} {_fmt(v)}" for g, v in groups)


def _wrap(text: str, width: int = 110) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False) or [""]
