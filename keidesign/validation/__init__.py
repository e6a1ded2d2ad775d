"""Validation of the models on cars they were not fitted to (docs/validation.md).

``epa``: EPA test cars and labels as records; ``fueleconomy``: the energy model on them
(measured road load, and from specs alone), leave-one-family-out; ``report``: tables,
parity plots and ``keidesign validate``.
"""
