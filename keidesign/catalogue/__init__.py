"""The catalogue of registered variables, one module per discipline.

Importing this package registers every variable in :mod:`keidesign.registry`
(:mod:`keidesign.variables`, the public API, imports it).
Design-file keys (``design=True``) and model outputs are both listed here, so the
design schema, the OpenMDAO components and ``docs/variables.md`` share one source.
"""

from keidesign.catalogue import (  # noqa: F401  (import registers)
    body,
    cost,
    crash,
    criteria,
    design_meta,
    energy,
    fleet,
    mass,
    performance,
    powertrain,
    road,
    rules,
)
