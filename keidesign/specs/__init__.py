"""Specs-to-design import: a complete design file from a published spec.

* :mod:`keidesign.specs.sources`: the published specs (an EPA test car with its label
  row, a row of ``keidesign/data/vehicles``, a user's short spec TOML) read into one
  :class:`~keidesign.specs.sources.Spec` of facts, each with its provenance;
* :mod:`keidesign.specs.build`: a spec to design values, every value either from the
  source or assumed with its basis;
* :mod:`keidesign.specs.write`: the design file text (TOML with comments);
* :mod:`keidesign.specs.commands`: the ``keidesign import`` subcommand (docs/import.md).
"""

from keidesign.specs.build import build_design
from keidesign.specs.sources import Fact, Spec
from keidesign.specs.write import design_text

__all__ = ["Fact", "Spec", "build_design", "design_text"]
