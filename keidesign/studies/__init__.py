"""Studies: optimization, sweeps and Pareto fronts of a design, on OpenMDAO.

A **study file** (TOML, ``studies/*.toml``; schema in :mod:`keidesign.studies.spec` and
``docs/studies.md``) names a base design file, the rule packs, the design variables with
their bounds, the objective(s), the constraints (any rule-pack constraint by its record
id, e.g. ``fmvss:fmvss208.crush_space``), the driver and its options. Three commands
use it (:mod:`keidesign.studies.commands`):

* ``keidesign optimize STUDY.toml``: gradient-based optimization (ScipyOptimizeDriver
  SLSQP with analytic total derivatives), multi-started over the discrete choices;
  every iteration recorded by OpenMDAO's ``SqliteRecorder``; writes the optimal design
  file, its compliance table, the active constraints with their Lagrange multipliers as
  trade factors, OpenMDAO's reports (N2) and, when the geometry package exports, STEP;
* ``keidesign sweep STUDY.toml``: design of experiments (full factorial, Latin
  hypercube) or a feasibility map over two variables; each case is recorded in an
  append-only SQLite store as it finishes, and ``--resume`` continues an interrupted
  sweep without losing or repeating a finished case;
* ``keidesign pareto STUDY.toml``: Pareto front by the epsilon-constraint method.

Sweeps, multi-start optimizations and Pareto rows run on Dask distributed
(:mod:`keidesign.studies.runner`): a ``LocalCluster`` by default, or a running
scheduler (``--scheduler tcp://HOST:PORT``); ``--serial`` runs in-process. Results do
not depend on where they ran.
"""

__all__ = ["Study", "load_study", "parse_study"]


def __getattr__(name: str):
    """``Study``, ``load_study``, ``parse_study`` from :mod:`keidesign.studies.spec`, imported
    on first use: the CLI imports this package for its subcommands' parsers
    (``keidesign.studies.commands``), and the study reader costs its start-up only to the
    commands that read a study."""
    if name in __all__:
        from keidesign.studies import spec

        return getattr(spec, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
