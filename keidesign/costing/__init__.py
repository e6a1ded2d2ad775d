"""Cost discipline: bill-of-materials cost from the mass build-up, and the price position.

The model (its equations, rates, sources and validity) is :mod:`keidesign.costing.component`;
its names (``CostComp``, ``add_subsystems``, ``cpi_factor``, ``rates``, ...) are read from
this package and imported on first use: the CLI imports the package for the ``cost``
subcommand's parser (``keidesign.costing.commands``), and the component (OpenMDAO, the
closed forms) costs its start-up only to the commands that run it.
"""

__all__ = ["CostComp", "add_subsystems", "cpi_factor", "part_time_4wd_cost", "rates"]


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module("keidesign.costing.component"), name)
