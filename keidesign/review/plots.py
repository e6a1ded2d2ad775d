"""Review figures (matplotlib): crash, cycles, optimization, Pareto, feasibility, cost.

Every function returns a :class:`matplotlib.figure.Figure` (call :func:`save` to write a
PNG); none changes a result. Inputs are :class:`~keidesign.review.candidate.Candidate`
objects (the crash and cycle figures re-run the crash pulse and energy kernels with the
model's own values, see :mod:`keidesign.review.candidate`) or the files a study wrote:

* :func:`crash_pulse`, :func:`force_crush`, :func:`crush_budget`: the FMVSS 208 56 km/h
  frontal run of each candidate (the pulse against the published band of US NCAP small
  cars, :func:`published_pulse_band`) (the figures of :mod:`keidesign.review.crash_figures`, for any
  candidates rather than the four reference designs);
* :func:`cycle_traces`: speed, fuel (ICE) or battery (BEV) power and cumulative fuel or
  energy over drive cycles;
* :func:`optimization_history`: objective, worst constraint violation and design
  variables by iteration, from ``history.json`` of ``keidesign optimize``;
* :func:`pareto_front`: ``pareto.csv`` of ``keidesign pareto`` with the chosen design;
* :func:`feasibility_map`: ``cases.csv`` of a ``keidesign sweep`` map (binding-constraint
  regions, as :mod:`keidesign.studies.feasibility` classifies them) with the chosen
  design;
* :func:`mass_cost_breakdown`: the mass and cost breakdown of
  :mod:`keidesign.review.cost_report` (baseline vs variant), or a mass-only breakdown from
  the ``mass:group:*`` outputs when no cost model is installed;
* :func:`constraint_margins`: every evaluated constraint's margin relative to its bound,
  baseline vs candidate;
* :func:`ev_trade`: EPA range and price against battery size (EV trade study);
* :func:`fleet_compatibility`: head-on delta-V against partner mass with the US and
  Japanese fleet mass distributions (:mod:`keidesign.crash.compat`).
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from keidesign.errors import InputError, plain_cut, show
from keidesign.inputfiles import in_folder, load_csv_table, load_json_object, read_text
from keidesign.plaintext import literal_text
from keidesign.review.candidate import Candidate

__all__ = ["constraint_margins", "crash_pulse", "crush_budget", "cycle_traces", "ev_trade",
           "feasibility_map", "fleet_compatibility", "force_crush", "mass_cost_breakdown",
           "optimization_history", "pareto_front", "save"]

G0 = 9.80665
DT_PULSE = 1e-4    # s, the pulse model's time step (keidesign.crash.pulse)


def _plt():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save(fig, path: str | Path, dpi: int = 110, tight: bool = True) -> Path:
    """Write ``fig`` as PNG (by atomic replace: :func:`keidesign.outpaths.save_figure`,
    never through a link or half-written) and close it: with ``tight`` (the default) the
    image grows to hold every artist (a legend below the axes, centred on axes that long
    tick labels push right, was cut at the figure's edge in the report: "... minimum
    mas"), as the notebooks' inline figures do; ``tight=False`` keeps the figure's own
    size, for figures whose pixel layout is part of their contract (the access map's
    tiles, :func:`keidesign.review.access_map.tile_sample_px`)."""
    from keidesign.outpaths import save_figure

    plt = _plt()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        extra = {"bbox_inches": "tight", "pad_inches": 0.1} if tight else {}
        save_figure(fig, path, dpi=dpi, **extra)
    finally:
        plt.close(fig)
    return path


def _short(label: str) -> str:
    return label.split(" (")[0] if len(label) > 40 else label


# --------------------------------------------------------------------------- crash


def published_pulse_band() -> dict:
    """The published band a modelled 56 km/h full-width pulse is read against.

    * ``esw``: (min, max, n) of the equivalent-square-wave deceleration V^2 / (2 C), g,
      of the US NCAP 56 km/h rigid-barrier tests of small cars that the source's quality
      check kept (``data/crash/ncap_frontal_pulses.csv``, ``Valid`` rows, status R:
      NHTSA body accelerometers; :func:`keidesign.crash.validation.esw_decel_g`);
    * ``peak``: (min, max, n) of the same tests' peak deceleration, g (CFC 60);
    * ``neon``: (t s, a g) of the one stored measured pulse, NHTSA test 2320, 1996 Dodge
      Neon at 56.5 km/h, seat X, unfiltered (``nhtsa_2320_seat_x.csv``), as a 3 ms moving
      average like the model's curve, deceleration positive (the file's forward
      acceleration with its sign turned).
    """
    from keidesign.crash import validation as crash_val
    from keidesign.validation.crash import ncap_pulse_rows

    rows = [r for r in ncap_pulse_rows() if r["source_quality"] == "Valid"]
    esw = [crash_val.esw_decel_g(float(r["speed_kmh"]), float(r["max_dynamic_crush_mm"]))
           for r in rows]
    peak = [float(r["peak_decel_g"]) for r in rows]
    t, a = crash_val.load_pulse()
    dt = float(np.median(np.diff(t)))
    m = max(1, int(round(3e-3 / dt)))
    a3 = -np.convolve(a, np.ones(m) / m, mode="valid")   # deceleration positive
    return {"esw": (min(esw), max(esw), len(esw)), "peak": (min(peak), max(peak), len(peak)),
            "neon": (t[m // 2: m // 2 + len(a3)], a3)}


@literal_text
def crash_pulse(cands: Sequence[Candidate], band: bool = True):
    """Body deceleration (3 ms moving average) vs time of each candidate, with (``band``)
    the published band of :func:`published_pulse_band`: the range of the US NCAP small
    cars' equivalent-square-wave deceleration (shaded; the legend gives each candidate's
    own ESW, ``crash:front:esw_decel``, to read against it), their peak range (dashed
    lines) and the measured Neon pulse (grey)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 4.6 + 0.14 * (len(cands) + 3 * band)))
    if band:
        pub = published_pulse_band()
        lo, hi, n = pub["esw"]
        ax.axhspan(lo, hi, color="0.85", alpha=0.6, lw=0,
                   label=f"US NCAP small cars ({n} tests): ESW {lo:.0f}-{hi:.0f} g")
        plo, phi, _ = pub["peak"]
        for y in (plo, phi):
            ax.axhline(y, color="0.45", ls="--", lw=0.8)
        ax.plot([], [], color="0.45", ls="--", lw=0.8,
                label=f"same tests: peak {plo:.0f}-{phi:.0f} g")
        tn, an = pub["neon"]
        ax.plot(tn * 1e3, an, color="0.55", lw=1.0,
                label="NHTSA test 2320 (1996 Neon, 56.5 km/h), measured")
    for c in cands:
        h = c.crash["history"]
        m = 30  # 3 ms window, as the model's peak output
        vb = np.real(h["vb"][:, 0])
        a3 = (vb[:-m] - vb[m:]) / (m * DT_PULSE) / G0
        t = np.real(h["t"][m // 2: m // 2 + len(a3)]) * 1e3
        mean, olc = c.value("crash:front:mean_decel") / G0, c.value("crash:front:olc") / G0
        esw = c.value("crash:front:esw_decel") / G0
        text = f"{_short(c.label)}: mean {mean:.1f} g"
        if np.isfinite(esw):
            text += f", ESW {esw:.1f} g"
        ax.plot(t, a3, label=f"{text}, OLC {olc:.1f} g" if np.isfinite(olc) else
                _short(c.label))
    ax.axhline(0, color="k", lw=0.5)
    ax.set(xlabel="time (ms)", ylabel="body deceleration (g), 3 ms average", xlim=(0, 120),
           title="FMVSS 208 / US NCAP 56 km/h rigid barrier: crash pulse (model)")
    # below the axes: inside ("best") the five entries covered the pulses' 80-90 g peaks
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


@literal_text
def force_crush(cands: Sequence[Candidate]):
    """Barrier force vs the crush past the powertrain stack (loading branch), each crush
    available dotted: the pair ``fmvss208.crush_space`` compares, so a curve crosses its
    dotted line exactly when the criterion fails.

    The crush past the stack is the body crush less the stack's own compression against
    the barrier, ``x_b - max(0, x_e - g_e)`` (:mod:`keidesign.crash.pulse`); its largest
    value is ``crash:front:crush_past_stack``. Until 6 Dec 2026 the x axis was the body
    crush including that compression, whose end lies past the dotted line of a front
    that passes (N-Box class: 400 mm against 380 mm available, passing by 58 mm)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 4.3))
    for c in cands:
        h = c.crash["history"]
        past = crush_past_stack_history(c)
        k = int(np.argmax(past))
        x = past[: k + 1] * 1e3
        # the peak the criterion compares lies between the samples (at most a few
        # micrometres past the largest): the curve ends there
        x[-1] = c.value("crash:front:crush_past_stack")
        line, = ax.plot(x, np.real(h["fbar"][: k + 1, 0]) * 1e-3, label=_short(c.label))
        ax.axvline(c.value("crash:front:crush_available"), ls=":", lw=1.0,
                   color=line.get_color())
    ax.set(xlabel="crush past the powertrain stack (mm): body crush less the stack's own "
                  "compression",
           ylabel="barrier force (kN): structure + powertrain",
           title="Force-crush at 56 km/h (loading); dotted: crush available "
                 "(fmvss208.crush_space)")
    ax.title.set_fontsize(10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def crush_past_stack_history(c: Candidate) -> np.ndarray:
    """The crush past the stack over time (m), ``x_b - max(0, x_e - g_e)``, of the
    candidate's 56 km/h pulse run, sampled: ``crash:front:crush_past_stack`` is the peak of
    its interpolant, at most a few micrometres above the largest sample."""
    h = c.crash["history"]
    xb, xe = np.real(h["xb"][:, 0]), np.real(h["xe"][:, 0])
    pen = xe - c.value("crash:front:engine_gap") * 1e-3
    return xb - np.where(pen > 0.0, pen, 0.0)


#: (key of :data:`keidesign.review.candidate.BUDGET_ZONES`, legend name, colour); the
#: cab-over truck's rails run to the cab front and its tolerated intrusion is the cab
#: front's (no powertrain ahead of it)
BUDGET_ZONES = (("bumper", "bumper", "#bbbbbb"), ("crash_box", "crash box", "#88aadd"),
                ("rails", "rails to powertrain", "#4477aa"),
                ("powertrain_push_back", "powertrain push-back", "#ddaa33"),
                ("dash_intrusion", "tolerated dash intrusion", "#cc6677"),
                ("rails_to_cab", "rails to the cab front", "#336699"),
                ("cab_front_intrusion", "tolerated cab-front intrusion", "#aa4499"))


@literal_text
def crush_budget(cands: Sequence[Candidate]):
    """Crush available by zone (upper bar) vs the crush past the powertrain stack at
    56 km/h (lower bar), the pair ``fmvss208.crush_space`` compares; the total dynamic
    crush including the stack's compression (``crash:front:crush_required``) is the
    dashed outline around the lower bar."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 1.6 + 1.1 * len(cands)))
    xmax = 0.0
    named: set[str] = set()
    for i, c in enumerate(cands):
        b = c.crush_budget()
        y = 2 * (len(cands) - 1 - i)
        left = 0.0
        for key, name, colour in BUDGET_ZONES:
            if b[key] <= 0.0:
                continue
            ax.barh(y + 0.4, b[key], left=left, height=0.7, color=colour,
                    label=None if key in named else name)
            named.add(key)
            left += b[key]
        used, cav, total = b["used"], b["available"], b["total"]
        ok = used <= cav
        ax.barh(y - 0.4, total, height=0.7, fill=False, edgecolor="#555555",
                linestyle="--", linewidth=0.8, label=None)
        ax.barh(y - 0.4, used, height=0.7, color="#2a4d9b" if ok else "#c0392b",
                label=None)
        ax.text(max(used, total) + 6, y - 0.4,
                f"past the stack {used:.0f} mm ({'fits' if ok else 'over by'}"
                + ("" if ok else f" {used - cav:.0f} mm")
                + f"); total incl. stack {total:.0f} mm", va="center", fontsize=8)
        ax.text(left + 6, y + 0.4, f"available {cav:.0f} mm", va="center", fontsize=8)
        xmax = max(xmax, used, total, left)
    from matplotlib.patches import Patch

    handles, names = ax.get_legend_handles_labels()
    handles += [Patch(color="#2a4d9b"), Patch(color="#c0392b"),
                Patch(fill=False, edgecolor="#555555", linestyle="--")]
    names += ["crush past the stack (fits)", "crush past the stack beyond the available",
              "total dynamic crush incl. the stack"]
    # long names wrapped: on one line ("optimum of US-compliant tall-boy kei, ICE, minimum
    # mass", the report's) they took half the width and the bars a sixth of the range
    ax.set_yticks([2 * (len(cands) - 1 - i) for i in range(len(cands))],
                  [textwrap.fill(_short(c.label), 28, break_on_hyphens=False)
                   for c in cands], fontsize=8)
    ax.set(xlabel="crush from the bumper face (mm)", xlim=(0, xmax * 2.2),
           title="Crush budget (FMVSS 208 crush space): available by zone (upper)\n"
                 "vs the crush past the powertrain stack at 56 km/h (lower)")
    ax.title.set_fontsize(9)
    ax.legend(handles, names, fontsize=7, loc="upper center", ncol=3, frameon=False,
              bbox_to_anchor=(0.5, -0.2 - 0.15 / len(cands)))
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()          # the labels inside the wide range: the axes keep their width
    _fit_labels(fig, ax, xmax)
    fig.tight_layout()
    _fit_labels(fig, ax, xmax)
    return fig


def _fit_labels(fig, ax, xmax: float) -> None:
    """Set the x range to end just past the longest bar label: a label of width w (px)
    starting at data x0 ends inside an axis of width W (px) spanning 0..X when
    X >= x0 / (1 - w / W). (The range was 2.2 x the longest bar: its right half empty.)"""
    renderer = fig.canvas.get_renderer()
    width = ax.get_window_extent(renderer).width
    need = xmax
    for t in ax.texts:
        w = t.get_window_extent(renderer).width
        need = max(need, t.get_position()[0] / max(1.0 - 1.02 * w / width, 0.05))
    ax.set_xlim(0, need * 1.02)


# --------------------------------------------------------------------------- energy

CYCLE_NAMES = {"udds": "UDDS (FTP-75 bags 1+2)", "hwfet": "HWFET", "us06": "US06",
               "wltc": "WLTC class 3b (low, medium, high)"}


@literal_text
def cycle_traces(cands: Sequence[Candidate], cycles: Sequence[str] = ("udds", "hwfet")):
    """Speed, fuel/battery power and cumulative fuel/energy over each cycle (columns)."""
    plt = _plt()
    fig, axes = plt.subplots(3, len(cycles), figsize=(5.2 * len(cycles), 7.2), sharex="col",
                             squeeze=False)
    for j, cyc in enumerate(cycles):
        ax_v, ax_p, ax_c = axes[:, j]
        for k, c in enumerate(cands):
            tr = c.cycle(cyc)
            if k == 0:
                ax_v.plot(tr["t"], tr["speed_mph"], color="k", lw=0.8)
            ax_p.plot(tr["t"], tr["power_kw"], lw=0.7, label=c.label)
            per100 = 100.0 * tr["cumulative"][-1] / tr["distance_mi"][-1]
            units = tr["cumulative_units"].split(" (")[0]
            extra = (f" ({tr['distance_mi'][-1] / tr['cumulative'][-1]:.1f} mpg)"
                     if tr["kind"] != "bev" else "")
            # the panel's legend carries the figures only, by colour: with the report's
            # names ("optimum of <study name>: ...") it ran past the panel under the next
            # one (new-user pass s34d); the names are the figure's legend below
            ax_c.plot(tr["t"], tr["cumulative"], lw=1.2,
                      label=f"{per100:.2f} {units}/100 mi{extra}")
        kinds = {c.design.powertrain_type for c in cands}
        ax_v.set(ylabel="speed (mph)", title=CYCLE_NAMES.get(cyc, cyc))
        ax_p.set(ylabel="fuel power (kW, LHV)" if kinds == {"ice"} else
                 "battery power (kW)" if kinds == {"bev"} else "fuel / battery power (kW)")
        ax_c.set(xlabel="time (s)", ylabel="cumulative: " + ", ".join(sorted(
            {c.cycle(cyc)["cumulative_units"] for c in cands})))
        for ax in (ax_v, ax_p, ax_c):
            ax.grid(alpha=0.3)
        ax_c.legend(fontsize=7, loc="upper left")
    fig.suptitle("Drive cycles (hot start): speed, power drawn, cumulative consumption",
                 fontsize=10)
    handles, names = axes[1, 0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=1, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0.0, 0.035 * (len(names) + 0.5), 1.0, 1.0))
    return fig


# --------------------------------------------------------------------------- studies


#: Most design variables drawn in the optimization history (its legend has a line per
#: variable: a history.json of 30,000 variables, 0.8 MB, drew for more than 5 minutes and
#: 1.1 GB, s28d); a study's optimization moves a few dozen.
HISTORY_MAX_DRAWN = 30


@literal_text
def optimization_history(history: str | Path | dict[str, Any]):
    """Objective, worst constraint violation and design variables by iteration.

    ``history``: ``RESULT_DIR/history.json`` of ``keidesign optimize`` (or its dict;
    :func:`keidesign.studies.outputs.recorder_history`). Plain JSON: the OpenMDAO
    recorder (which OpenMDAO unpickles) of a results folder is never opened here
    (docs/security.md).
    """
    plt = _plt()
    try:
        doc = history if isinstance(history, dict) else json.loads(
            read_text(history, "history file"))
        if doc.get("schema") != "keidesign.history/1":
            raise ValueError("schema")
        obj_name = str(doc["objective"]["name"])
        units = doc["objective"].get("units")
        units = str(units) if units else None
        objs = [float(v) for v in doc["objective"]["values"]]
        viol = [float(v) for v in doc["violation"]]
        dvs = {}
        for name, d in doc["design_variables"].items():
            lo, hi = d.get("lower"), d.get("upper")
            ok = isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and hi > lo
            dvs[str(name)] = [(float(v) - lo) / (hi - lo) if ok else float(v)
                              for v in d["values"]]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        # RecursionError: JSON nested deeper than the decoder's stack ('[' * 100000, s30c)
        raise InputError(f"{history}: not a keidesign optimization history (JSON of schema "
                         "keidesign.history/1, written by keidesign optimize)") from None
    n_it = len(objs)
    bad = next((k for k, v in (("violation", viol), *dvs.items()) if len(v) != n_it), None)
    if bad is not None:
        raise InputError(f"{history}: {bad} has {len(viol if bad == 'violation' else dvs[bad])}"
                         f" values for {n_it} iterations of the objective; allowed: one value "
                         "per iteration (the history keidesign optimize writes)")
    n_dv = len(dvs)
    dvs = dict(list(dvs.items())[:HISTORY_MAX_DRAWN])
    it = np.arange(n_it)
    fig, axes = plt.subplots(3, 1, figsize=(7.5, 8.2), sharex=True)
    axes[0].plot(it, objs, "o-", ms=3)
    axes[0].set(ylabel=f"{obj_name}" + (f" [{units}]" if units else ""),
                title=f"Optimization history ({len(objs)} driver iterations)")
    axes[1].semilogy(it, np.maximum(viol, 1e-12), "o-", ms=3, color="C3")
    # the log axis's default labels are mathtext ("$\\mathdefault{10^{-2}}$"), drawn as
    # those characters under literal_text: powers of ten written out instead ("1e-02")
    axes[1].yaxis.set_major_formatter(_log_labels())
    axes[1].yaxis.set_minor_formatter(_log_labels(minor=True))
    axes[1].set(ylabel="worst constraint violation\n(relative to its scale; 1e-12 = none)")
    for name, vals in dvs.items():
        axes[2].plot(it, vals, lw=1.2, label=name.replace(":", "."))
    axes[2].set(xlabel="driver iteration", ylabel="design variables\n(0 = lower, 1 = upper bound)"
                + (f"\n(the first {HISTORY_MAX_DRAWN} of {n_dv})" if n_dv > len(dvs) else ""),
                ylim=(-0.05, 1.05))
    axes[2].legend(fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.28),
                   frameon=False)
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _log_labels(minor: bool = False):
    """Tick labels of a log axis as plain text, ``1e-02``: the default
    ``LogFormatterSciNotation`` writes mathtext, which :func:`literal_text` (every figure
    of keidesign) draws as written. Minor ticks unlabelled."""
    from matplotlib.ticker import FuncFormatter

    if minor:
        return FuncFormatter(lambda v, _pos: "")
    return FuncFormatter(lambda v, _pos: f"{v:.0e}" if v > 0 else "")


def _read_csv(path: Path, columns: Any) -> tuple[list[str], list[dict[str, str | None]]]:
    """A results folder's CSV table, read like every file from others
    (:func:`keidesign.inputfiles.load_csv_table`: a regular file, bounded, UTF-8, only
    the ``columns`` a figure reads kept)."""
    return load_csv_table(in_folder(path, "results table"), "results table", columns)


#: Largest magnitude a figure draws from a results table (a study's values are far
#: below): two values of +-1e308 in a ``pareto.csv`` overflowed matplotlib's axis range
#: (ValueError "arange: cannot compute length", "Axis limits cannot be NaN or Inf", s30c);
#: a larger value is drawn as missing, like "nan".
PLOT_MAX = 1e100


#: Longest text a figure draws from a results file (a column head, a binding
#: constraint, a study name).
DRAWN_MAX = 200


def _drawn(text: Any) -> str:
    """Text of a results file as a figure draws it: one printable line of at most
    :data:`DRAWN_MAX` characters (:func:`keidesign.errors.plain_cut`). An ESC in a
    sweep's binding constraint reached the terminal raw in matplotlib's "Glyph 27
    missing from font" warning (twice per figure, audit s32g); a line break split a
    legend entry."""
    return plain_cut(text, DRAWN_MAX)


def _num(s: Any) -> float:
    try:
        v = float(s)
    except (TypeError, ValueError):
        return math.nan
    return v if abs(v) <= PLOT_MAX else math.nan


def _truthy(s: Any) -> bool:
    return str(s).strip().lower() in ("true", "1", "yes")


def _strip_units(head: str) -> str:
    return head.rsplit(" [", 1)[0]


def _label(name: str) -> str:
    from keidesign import variables as reg

    try:
        u = reg.get(name).units
    except KeyError:
        return name
    return f"{name.replace(':', '.')} [{u}]" if u and u != "unitless" else name


@literal_text
def pareto_front(pareto_dir: str | Path, *, chosen: Mapping[str, float] | Candidate | None = None,
                 chosen_label: str = "chosen design"):
    """The Pareto front of ``keidesign pareto`` (``pareto.csv``) with the chosen design.

    Axes: the second objective (x) against the first (y), the third as colour. ``chosen``:
    ``{objective label: value}`` or a :class:`Candidate` whose outputs (or the matching
    constraint margin) give the objectives.
    """
    plt = _plt()
    ocols: list[str] = []
    table = Path(pareto_dir) / "pareto.csv"

    def columns(heads: list[str]) -> list[str]:
        n = sum(h.startswith("eps ") for h in heads) + 1
        if n not in (2, 3):
            raise InputError(f"{table}: {n - 1} 'eps' columns ({n} objectives); allowed: "
                             "1 or 2 (2 or 3 objectives, the pareto.csv keidesign pareto "
                             "writes)")
        first = next((i for i, h in enumerate(heads)
                      if not h.startswith(("eps ", "point", "row"))), len(heads))
        ocols.extend(heads[first:first + n])
        # the knee (pareto.csv since s31c: keidesign.studies.pareto.knee_point)
        return [*ocols, "success", "feasible", "on_front", *(["knee"] if "knee" in heads
                                                              else [])]

    heads, rows = _read_csv(table, columns)
    n = len(ocols)
    labels = [_strip_units(h) for h in ocols]
    P = np.array([[_num(r[h]) for h in ocols] for r in rows]) if rows else np.zeros((0, n))
    ok = np.array([_truthy(r["success"]) and _truthy(r["feasible"]) for r in rows], bool)
    front = np.array([_truthy(r["on_front"]) for r in rows], bool)
    fig, ax = plt.subplots(figsize=(7.2, 5))
    if (~ok).any():
        ax.scatter(P[~ok, 1], P[~ok, 0], marker="x", c="0.7", label="failed / infeasible")
    dom = ok & ~front
    if dom.any():
        ax.scatter(P[dom, 1], P[dom, 0], facecolors="none", edgecolors="0.5", label="dominated")
    if front.any():
        order = np.argsort(P[front, 1])
        ax.plot(P[front, 1][order], P[front, 0][order], "-", color="0.6", lw=0.8, zorder=1)
        # a colour map only for a third objective (a cmap beside one colour warns)
        colour = {"c": P[front, 2], "cmap": "viridis"} if n == 3 else {"c": "C0"}
        sc = ax.scatter(P[front, 1], P[front, 0], s=50, edgecolors="k",
                        label="Pareto front", zorder=2, **colour)
        if n == 3:
            fig.colorbar(sc, ax=ax).set_label(_drawn(ocols[2]))
    knee = np.array([_truthy(r.get("knee")) for r in rows], bool) & front
    if knee.any():
        ax.scatter(P[knee, 1], P[knee, 0], s=260, facecolors="none", edgecolors="tab:orange",
                   linewidths=2.2, zorder=4,
                   label="knee (farthest beyond the line through the anchors)")
    if chosen is not None:
        vals = _chosen_values(chosen, labels)
        if all(np.isfinite(vals[:2])):
            ax.scatter([vals[1]], [vals[0]], marker="*", s=320, c="red", edgecolors="k",
                       zorder=3, label=chosen_label)
    ax.set(xlabel=_drawn(ocols[1]), ylabel=_drawn(ocols[0]),
           title="Pareto front (epsilon-constraint)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _chosen_values(chosen: Mapping[str, float] | Candidate, labels: Sequence[str]
                   ) -> np.ndarray:
    out = []
    for lab in labels:
        if isinstance(chosen, Candidate):
            if lab.startswith("margin(") and lab.endswith(")"):
                lab = lab[len("margin("):-1]
            v = chosen.value(lab)
            if not np.isfinite(v):  # a constraint margin used as objective
                rec = next((c for c in chosen.constraints if c["id"] == lab), None)
                v = float(rec["margin"]) if rec and rec["margin"] is not None else math.nan
            out.append(v)
        else:
            out.append(float(chosen.get(lab, math.nan)))
    return np.array(out)


#: Most points of a feasibility map drawn (a sweep's map is levels x levels; 200,000
#: cases, the default limit of a sweep, are 447 x 447); most binding constraints in its
#: legend. A hand-made ``cases.csv`` of unique x and y values asked for a grid of their
#: product (30,000 x 30,000: 7 GB) and looked each row up by a linear scan (s28d).
MAP_MAX_POINTS = 4_000_000
MAP_MAX_BINDING = 200


@literal_text
def feasibility_map(sweep_dir: str | Path, *, chosen: Mapping[str, float] | Candidate | None = None,
                    chosen_label: str = "chosen design"):
    """Binding-constraint regions of a ``keidesign sweep`` map (``cases.csv`` and
    ``summary.json``): feasible points green, every other point coloured by the
    constraint it violates most (the sweep's own classification), the chosen design
    marked."""
    plt = _plt()
    from matplotlib.colors import ListedColormap

    sweep_dir = Path(sweep_dir)
    summary = load_json_object(in_folder(sweep_dir / "summary.json", "sweep summary"),
                               "sweep summary")
    axes = summary.get("map")
    if not (isinstance(axes, list) and len(axes) == 2 and all(isinstance(a, str) for a in axes)):
        raise InputError(f"{sweep_dir / 'summary.json'}: map = {show(axes)}: not the two "
                         "variable names of a feasibility map; allowed: the summary.json "
                         "of `keidesign sweep` on a study with sweep.map")
    xn, yn = (n.replace(".", ":") for n in axes)
    hx = hy = ""

    def columns(heads: list[str]) -> list[str]:
        nonlocal hx, hy
        hx = next((h for h in heads if _strip_units(h) == xn), xn)
        hy = next((h for h in heads if _strip_units(h) == yn), yn)
        return [hx, hy, "status", "feasible", "binding"]

    table = sweep_dir / "cases.csv"
    heads, rows = _read_csv(table, columns)
    rows = [r for r in rows if math.isfinite(_num(r[hx])) and math.isfinite(_num(r[hy]))]
    if not rows:  # np.vectorize of an empty grid: a ValueError traceback (s30c)
        raise InputError(f"{table}: no case with a number in {show(hx)} and {show(hy)}; "
                         "allowed: the cases.csv of `keidesign sweep` (a map of at least one "
                         "case)")
    xs = sorted({_num(r[hx]) for r in rows})
    ys = sorted({_num(r[hy]) for r in rows})
    if len(xs) * len(ys) > MAP_MAX_POINTS:
        raise InputError(f"{table}: a map of {len(xs):,} x {len(ys):,} points; allowed: at "
                         f"most {MAP_MAX_POINTS:,} (a sweep's map is levels x levels)")
    ix, iy = {v: j for j, v in enumerate(xs)}, {v: i for i, v in enumerate(ys)}
    cls = np.full((len(ys), len(xs)), "?", dtype=object)
    for r in rows:
        cls[iy[_num(r[hy])], ix[_num(r[hx])]] = (
            "?" if r["status"] != "ok" else "." if _truthy(r["feasible"]) else r["binding"])
    cats = ["."] + sorted({str(c) for c in cls.ravel() if c not in (".", "?")}) + ["?"]
    if len(cats) > MAP_MAX_BINDING + 2:
        raise InputError(f"{table}: {len(cats) - 2:,} binding constraints; allowed: at most "
                         f"{MAP_MAX_BINDING} (the constraints of one study)")
    palette = ["#f4a582", "#92c5de", "#d6a1e0", "#f7e07e", "#c2a383", "#80cdc1", "#fdb863"]
    colours = ["#7fd17f"] + [palette[i % len(palette)] for i in range(len(cats) - 2)] + ["#bdbdbd"]
    index = {c: k for k, c in enumerate(cats)}
    code = np.vectorize(lambda c: index[str(c)])(cls)
    fig, ax = plt.subplots(figsize=(8, 6.2))
    ax.pcolormesh(np.array(xs), np.array(ys), code, cmap=ListedColormap(colours), vmin=-0.5,
                  vmax=len(cats) - 0.5, shading="nearest")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[i]) for i in range(len(cats))]
    names = (["feasible"] + [f"binding: {_drawn(c)}" for c in cats[1:-1]]
             + ["no vehicle / failed"])
    if chosen is not None:
        cx = chosen.value(xn) if isinstance(chosen, Candidate) else chosen.get(xn, math.nan)
        cy = chosen.value(yn) if isinstance(chosen, Candidate) else chosen.get(yn, math.nan)
        h = ax.scatter([cx], [cy], marker="*", s=320, c="red", edgecolors="k", zorder=3)
        handles.append(h)
        names.append(chosen_label)
    ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=2,
              fontsize=8, frameon=False)
    ax.set(xlabel=_drawn(_label(xn)), ylabel=_drawn(_label(yn)),
           title=f"{_drawn(summary.get('study', 'Feasibility map'))}\n"
                 f"({len(rows)} cases; colour = the constraint violated most)")
    ax.title.set_fontsize(9)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- mass, cost


@literal_text
def mass_cost_breakdown(base: Candidate, variant: Candidate, path: str | Path) -> Path:
    """PNG of the mass and cost breakdown, baseline vs variant, by part group.

    Uses :func:`keidesign.review.cost_report.plot_compare` (mass and cost) when the cost
    model is installed; otherwise a mass-only breakdown from the ``mass:group:*``
    outputs (or the coarse ``mass:*`` items of the first-version build-up).
    """
    outs = (base.evaluation.outputs, variant.evaluation.outputs)
    try:
        from keidesign.review.cost_report import plot_compare
    except ImportError:
        plot_compare = None
    if plot_compare is not None and all("cost:vehicle" in o for o in outs):
        plt = _plt()
        backend = plt.get_backend()
        try:
            return Path(plot_compare([(_short(base.label), outs[0], _short(variant.label),
                                       outs[1])], Path(path)))
        finally:  # it selects Agg: give a notebook its inline backend back
            if plt.get_backend() != backend:
                plt.switch_backend(backend)
    return save(_mass_only(base, variant), path)


@literal_text
def _mass_only(base: Candidate, variant: Candidate):
    plt = _plt()
    groups = sorted({k for c in (base, variant) for k in c.evaluation.outputs
                     if k.startswith("mass:group:")})
    if not groups:
        groups = [k for k in ("mass:glider", "mass:powertrain", "mass:fuel",
                              "mass:crash_structure") if k in base.evaluation.outputs]
    fig, ax = plt.subplots(figsize=(7, 5))
    cmap = plt.get_cmap("tab20")
    for x, c in enumerate((base, variant)):
        bottom = 0.0
        for i, g in enumerate(groups):
            v = c.value(g, 0.0)
            ax.bar(x, v, bottom=bottom, color=cmap(i % 20), width=0.6,
                   label=g.split(":")[-1] if x == 0 else None)
            bottom += v
        ax.text(x, bottom, f"{c.value('mass:curb'):.0f} kg", ha="center", va="bottom")
    ax.set_xticks([0, 1], [_short(base.label), _short(variant.label)])
    ax.set(ylabel="mass (kg)", title="Mass by group (no cost model installed)")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


@literal_text
def constraint_margins(cands: Sequence[Candidate]):
    """Margin / |bound| of every evaluated constraint (negative = violated), per
    candidate; not-modelled criteria are listed in the report, not here."""
    plt = _plt()
    ids = [c["id"] for c in cands[0].constraints if c["passed"] is not None]
    fig, ax = plt.subplots(figsize=(8, 0.8 + 0.26 * len(ids)))
    h = 0.8 / len(cands)
    for k, cand in enumerate(cands):
        rec = {c["id"]: c for c in cand.constraints}
        vals = []
        for cid in ids:
            r = rec.get(cid)
            if r is None or r["margin"] is None or r["bound"] in (None, ""):
                vals.append(np.nan)
                continue
            scale = abs(float(r["bound"])) if isinstance(r["bound"], (int, float)) and \
                abs(float(r["bound"])) > 1e-9 else max(abs(float(r["value"] or 0.0)), 1.0)
            vals.append(float(r["margin"]) / scale)
        y = np.arange(len(ids)) + k * h
        ax.barh(y, np.clip(vals, -1.0, 1.0), height=h, label=_short(cand.label),
                color=[f"C{k}" if not (v < 0) else ("#c0392b" if k else "#e8a09a")
                       for v in vals])
    ax.axvline(0, color="k", lw=0.8)
    ax.set_yticks(np.arange(len(ids)) + 0.4 - h / 2, ids, fontsize=7)
    ax.invert_yaxis()
    ax.set(xlabel="margin / |bound| (clipped to +-1); red: violated (lighter red: first "
                  "candidate)", xlim=(-1.05, 1.05),
           title="Constraint margins of the evaluated criteria (0 = at the bound)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.6 / len(ids) - 0.04),
              ncol=len(cands), frameon=False)
    ax.grid(alpha=0.3, axis="x")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- trade studies


@literal_text
def ev_trade(cands: Sequence[Candidate], *, range_target: float | None = 150.0):
    """EPA range vs usable battery energy (left) and retail price vs range (right) of a
    family of BEV candidates; the range target as a dashed line."""
    plt = _plt()
    kwh = np.array([c.value("powertrain:bev:battery_energy") for c in cands])
    rng = np.array([c.value("energy:ev_range") for c in cands])
    price = np.array([c.value("cost:price") for c in cands])
    curb = np.array([c.value("mass:curb") for c in cands])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.4))
    order = np.argsort(kwh)
    a1.plot(kwh[order], rng[order], "o-")
    for k, r, m in zip(kwh, rng, curb, strict=True):
        a1.annotate(f"{m:.0f} kg", (k, r), textcoords="offset points", xytext=(4, -12),
                    fontsize=7)
    a1.set(xlabel="usable battery energy (kWh)", ylabel="EPA label range (mi)",
           title="Range vs battery (labels: curb mass)")
    if np.isfinite(price).any() and np.nanmax(price) > 0:
        sc = a2.scatter(rng, price, c=kwh, cmap="viridis", edgecolors="k", s=45, zorder=2)
        a2.plot(rng[order], price[order], "-", color="0.6", lw=0.8, zorder=1)
        fig.colorbar(sc, ax=a2).set_label("usable battery energy (kWh)")
        a2.set(xlabel="EPA label range (mi)", ylabel="retail price estimate (USD 2024)",
               title="Price vs range")
    else:
        a2.text(0.5, 0.5, "no cost model (cost:price) in this installation",
                ha="center", va="center", transform=a2.transAxes)
    if range_target is not None:
        a1.axhline(range_target, ls="--", color="C3", lw=1, label=f"{range_target:g} mi target")
        a2.axvline(range_target, ls="--", color="C3", lw=1)
        a1.legend(fontsize=8)
    for ax in (a1, a2):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


@literal_text
def fleet_compatibility(cands: Sequence[Candidate]):
    """Head-on delta-V of each candidate against partner curb mass (upper), with the
    NCAP-equivalent threshold, and the new-vehicle fleet mass distributions of the US
    and Japan (lower; lognormal per segment, weighted by sales share)."""
    from keidesign.crash import compat

    plt = _plt()
    e, vc = compat.RESTITUTION, compat.CLOSING_SPEED_KMH
    m2 = np.linspace(500.0, 3200.0, 400)
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(8, 7.2), sharex=True,
                                 gridspec_kw={"height_ratios": [3, 2]})
    for k, c in enumerate(cands):
        curb = c.value("mass:curb")
        m1 = curb + compat.DRIVER_KG
        dv = compat.head_on_delta_v(m1, m2 + compat.DRIVER_KG, e, vc)
        shares = ", ".join(f"{mk.upper()} {c.value(f'crash:compat:{mk}:share_above'):.0%}"
                           for mk in ("us", "jp")
                           if np.isfinite(c.value(f"crash:compat:{mk}:share_above")))
        a1.plot(m2, dv, color=f"C{k}", label=f"{_short(c.label)} ({curb:.0f} kg); heavier "
                f"partners: {shares}" if shares else _short(c.label))
        for ax in (a1, a2):
            ax.axvline(curb, color=f"C{k}", ls=":", lw=1)
    th = (1.0 + e) * compat.NCAP_SPEED_KMH
    a1.axhline(th, color="k", ls="--", lw=1,
               label=f"NCAP-equivalent delta-V (1 + e) x 56 = {th:.1f} km/h")
    a1.set(ylabel="car's delta-V, head-on at 112 km/h closing (km/h)",
           title="Fleet compatibility: delta-V against partner mass (full-overlap head-on)")
    a1.legend(fontsize=7, loc="lower right")
    a1.grid(alpha=0.3)
    fleet = compat.load_fleet()
    for market, ls in (("us", "-"), ("jp", "--")):
        dens = compat.fleet_mass_density(m2, fleet.get(market, []))
        a2.plot(m2, dens * 1000.0, ls, color="k", label=f"{market.upper()} new vehicles")
    a2.set(xlabel="partner curb mass (kg)", ylabel="share per 1000 kg")
    a2.legend(fontsize=8)
    a2.grid(alpha=0.3)
    fig.tight_layout()
    return fig
