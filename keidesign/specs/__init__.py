"""Specs-to-design import: a complete design file from a published spec.

* :mod:`keidesign.specs.sources`: the published specs (an EPA test car with its label
  row, a row of ``keidesign/data/vehicles``, a user's short spec TOML) read into one
  :class:`~keidesign.specs.sources.Spec` of facts, each with its provenance;
* :mod:`keidesign.specs.build`: a spec to design values, every value either from the
  source or assumed with its basis;
* :mod:`keidesign.specs.write`: the design file text (TOML with comments);
* :mod:`keidesign.specs.commands`: the ``keidesign import`` subcommand (docs/import.md).
"""

__all__ = ["Fact", "Spec", "build_design", "design_text"]

_HOME = {"Fact": "sources", "Spec": "sources", "build_design": "build",
         "design_text": "write"}


def __getattr__(name: str):
    """The names of ``__all__`` from their modules, imported on first use: the CLI imports
    this package for the ``import`` parser (``keidesign.specs.commands``), and the
    builder (which runs the model) costs its start-up only to the ``import`` command."""
    if name in _HOME:
        import importlib

        return getattr(importlib.import_module(f"keidesign.specs.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
