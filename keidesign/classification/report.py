"""The classification of one design file: class, rules, import route, state access."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from keidesign import federal_class as federal
from keidesign.classification import states
from keidesign.design import Design
from keidesign.evaluation import Evaluation, design_packs, evaluate_design

__all__ = ["LEVELS", "classify_design", "fmvss_failures", "one_line", "state_levels",
           "text"]

#: access levels, most permissive first
LEVELS = ("full", "limited", "prohibited", "unknown")


def state_levels(rows: list[dict[str, Any]]) -> dict[str, str]:
    """Each state's access level: the most permissive of its rows (``states`` of
    :func:`classify_design`), every state of ``states.STATES`` present."""
    out = {}
    for state in states.STATES:
        got = {r["level"] for r in rows if r["state"] == state}
        out[state] = next(lv for lv in LEVELS if lv in got)
    return out


def classify_design(design: Design, evaluation: Evaluation | None = None) -> dict[str, Any]:
    """``{"design", "inputs", "class", "states", "summary", "fmvss_failed",
    "fmvss_proxies_failed", "fmvss_judged", "fmvss_policy_failed"}`` of ``design``: from
    its ``evaluation``, else
    evaluated here with its own rule packs (the top speed, the curb mass, and the FMVSS
    criteria it fails in the model: a car or truck has the road access of its class only
    once certified). ``fmvss_failed`` holds the failed FMVSS criteria,
    ``fmvss_proxies_failed`` the failed model proxies of the ``fmvss`` pack (its rows of
    status ``derived``: crush, ride-down and intrusion spaces, "a model proxy, not an FMVSS
    criterion"). ``fmvss_judged`` counts the FMVSS rows the evaluation judged (0 when its
    rule packs hold no ``fmvss`` pack: then both lists are empty for want of a verdict).
    ``fmvss_policy_failed`` holds the failed policy thresholds of the ``fmvss`` pack (its
    rows with ``policy = true``, the fleet-compatibility shares: "a stated policy
    threshold, not a regulation"), which are neither FMVSS criteria nor counted in
    ``fmvss_judged``; the class line names them so that their ``FAIL (policy)`` rows do
    not contradict "no failed FMVSS criterion" (since 6 Dec 2026: they were left out of
    it unsaid)."""
    ev = evaluation if evaluation is not None else evaluate_design(
        design, design_packs(design))
    out = ev.outputs
    verdicts = fmvss_failures(ev)
    top = float(out["perf:top_speed"][0])
    curb = float(out["mass:curb"][0])
    payload = float(design["mass:payload"])
    drive = str(design.values.get("powertrain:drive", "fwd"))
    open_bed = str(design.values.get("body:style", "")) == "truck"  # the cab-over's bed
    fc = federal.design_class(design.values, out)
    acc = states.access(fc, curb + payload, open_bed,
                        str(design.values.get("powertrain:type", "ice")))
    levels = Counter(state_levels([asdict(a) for a in acc]).values())
    return {"design": design.name, "path": str(design.path),
            "inputs": {"top_speed_mph": top, "curb_kg": curb, "payload_kg": payload,
                       "gvwr_kg": curb + payload, "drive": drive, "open_bed": open_bed},
            "class": asdict(fc), "states": [asdict(a) for a in acc],
            "summary": dict(levels), "fmvss_failed": verdicts["failed"],
            "fmvss_proxies_failed": verdicts["proxies_failed"],
            "fmvss_judged": verdicts["judged"],
            "fmvss_policy_failed": verdicts["policy_failed"]}


def fmvss_failures(ev: Evaluation) -> dict[str, Any]:
    """The ``fmvss`` pack's verdicts of the evaluation ``ev``, split the one way every
    report says them (``keidesign evaluate`` and ``classify``, and the crash probes of
    ``benchmarks/crash_probes.py``, which until task s34e called every failed row a
    federal criterion): ``{"judged": n, "failed": [...], "proxies_failed": [...],
    "policy_failed": [...]}`` (full constraint ids, ``fmvss:...``). ``failed``: the
    FMVSS criteria failed; ``proxies_failed``: the pack's rows of status ``derived``
    failed (the crush, ride-down and intrusion spaces: "a model proxy, not an FMVSS
    criterion"); ``policy_failed``: its rows with ``policy = true`` failed (the
    fleet-compatibility shares, "a stated policy threshold, not a regulation"), which
    are not counted in ``judged`` (the FMVSS rows judged, criteria and proxies)."""
    fmvss = [c for c in ev.constraints if c["id"].startswith("fmvss:")
             and c["passed"] is not None]
    # the pack's policy thresholds (policy = true: compat.*.share_above, "a stated policy
    # threshold, not a regulation") are no FMVSS criterion: listed apart, not judged
    judged = [c for c in fmvss if not c.get("policy")]
    # a pack's "derived" rows are model proxies, not FMVSS criteria (the crush, ride-down
    # and intrusion spaces): counted apart
    proxies = {con.full_id for p in ev.packs for con in p.constraints
               if con.status == "derived"}
    return {"judged": len(judged),
            "failed": [c["id"] for c in judged if c["passed"] is False
                       and c["id"] not in proxies],
            "proxies_failed": [c["id"] for c in judged if c["passed"] is False
                               and c["id"] in proxies],
            "policy_failed": [c["id"] for c in fmvss if c.get("policy")
                              and c["passed"] is False]}


def text(doc: dict[str, Any], state: str | None = None) -> str:
    """Plain-text report of :func:`classify_design` (one state's rows with ``state``)."""
    c, i = doc["class"], doc["inputs"]
    lines = [f"{doc['design']} ({doc['path']})",
             f"  class: {c['name']} ({c['citation']})",
             f"  because: {'; '.join(c['reasons'])} (top speed from the energy discipline, "
             f"GVWR = curb {i['curb_kg']:.0f} kg + payload {i['payload_kg']:.0f} kg)"]
    lines += [f"  safety: {r}" for r in c["safety_rules"]]
    lines += [f"  fuel economy: {r}" for r in c["fuel_economy_rules"]]
    lines.append(f"  import: {c['import_route']}")
    lines += [f"  note: {n}" for n in c["notes"]]
    s = doc["summary"]
    lines.append("  road access: " + ", ".join(f"{lv} {s.get(lv, 0)}" for lv in
                                               ("full", "limited", "prohibited", "unknown"))
                 + f" (of {len(states.STATES)}; a state counts its most permissive rule)")
    lines.append("  " + _certified(doc))
    rows = [r for r in doc["states"] if state is None or r["state"].lower() == state.lower()]
    lines.append("")
    lines.append(f"{'state':22s} {'access':10s} {'posted <=':9s} rule | source | date")
    for r in rows:
        mph = f"{r['max_posted_mph']:g} mph" if r["max_posted_mph"] is not None else "-"
        lines.append(f"{r['state']:22s} {r['level']:10s} {mph:9s} {_cut(r['rule'], 90)} | "
                     f"{_cut(r['source'], 70) or '-'} | {r['date'] or '-'}")
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, a cut marked ``...`` (not ``... has no rul``;
    ``--json`` has the whole text)."""
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."


def _certified(doc: dict[str, Any]) -> str:
    if doc["class"]["key"] not in ("passenger_car", "truck"):
        return "(an LSV is certified to FMVSS 500 only)"
    f = doc["fmvss_failed"]
    px = doc.get("fmvss_proxies_failed", [])
    if not doc.get("fmvss_judged", 1):
        return ("(the access of a certified vehicle; FMVSS not judged: the rule packs "
                "evaluated hold no fmvss pack)")
    proxies = ""
    if px:
        pn = ("proxy (not an FMVSS criterion)" if len(px) == 1
              else "proxies (not FMVSS criteria)")
        proxies = f"{len(px)} model {pn}: {', '.join(x.split(':', 1)[1] for x in px)}"
    pol = doc.get("fmvss_policy_failed", [])
    # the fmvss pack's policy thresholds, not regulations: named apart, so that their
    # "FAIL (policy)" rows above do not contradict the line
    policy = (f"; {len(pol)} policy {'threshold' if len(pol) == 1 else 'thresholds'} "
              f"(not {'a regulation' if len(pol) == 1 else 'regulations'}) not met: "
              + ", ".join(x.split(":", 1)[1] for x in pol) if pol else "")
    if not f:
        return ("(the access of a certified vehicle: the model finds no failed FMVSS "
                "criterion" + (f"; it fails {proxies}" if px else "") + policy + ")")
    noun = "criterion" if len(f) == 1 else "criteria"
    return (f"(the access of a certified vehicle, which this design is not yet: the model "
            f"fails {len(f)} FMVSS {noun}: {', '.join(x.split(':', 1)[1] for x in f)}"
            + (f"; and {proxies}" if px else "") + policy + ")")


def one_line(doc: dict[str, Any]) -> str:
    """The class and the road-access summary in one line (``keidesign evaluate``)."""
    s = doc["summary"]
    return (f"class: {doc['class']['name']} ({doc['class']['citation']}); road access "
            + ", ".join(f"{lv} {s.get(lv, 0)}" for lv in ("full", "limited", "prohibited",
                                                          "unknown"))
            + f" of 51 {_certified(doc)}; keidesign classify for the rules")
