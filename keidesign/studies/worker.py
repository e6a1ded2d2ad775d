"""Dask worker preload: import the study code once, when a worker process starts.

A :class:`~keidesign.studies.runner.DaskRunner` LocalCluster starts its workers with
``preload=["keidesign.studies.worker"]``: each worker imports OpenMDAO, the model and
the study modules while the client process is still validating the study (rather than
on its first task), then freezes the objects made by those imports out of the garbage
collector's scans (:func:`gc.freeze`; OpenMDAO's recorders call ``gc.collect()`` when
they close, once per optimization). Workers of a remote scheduler may use the same
module: ``dask worker ... --preload keidesign.studies.worker``.
"""

from __future__ import annotations

import gc

import keidesign.studies.optimize  # noqa: F401  (imports the model and OpenMDAO)
import keidesign.studies.pareto  # noqa: F401
import keidesign.studies.sweep  # noqa: F401

gc.freeze()
