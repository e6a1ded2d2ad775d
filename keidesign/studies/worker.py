"""Dask worker preload: import the study code once, when a worker process starts.

A :class:`~keidesign.studies.runner.DaskRunner` LocalCluster starts its workers with
``preload=["keidesign.studies.worker"]``: :func:`dask_setup` (called by Dask in each
worker as it starts) imports OpenMDAO, the model and the study modules while the client
process is still validating the study (rather than on the first task), then freezes the
objects made by those imports out of the garbage collector's scans (:func:`gc.freeze`;
OpenMDAO's recorders call ``gc.collect()`` when they close, once per optimization) and
marks the process as a worker (:data:`IN_WORKER`). Importing this module itself is
cheap: ``dask worker --preload keidesign.studies.worker`` imports it in its own (nanny)
process too, to read ``dask_setup``'s options, where the study code was loaded for
nothing (13.6 s and 160 MB on a loaded machine, before task s35f).

A worker is one process per core: like Dask's own ``OMP_NUM_THREADS=1``, the CAD
kernel's thread pool is limited to one thread in a worker (:func:`limit_cad_threads`,
called by the CAD tasks before their first build). OpenCascade's parallel booleans use
~1.6 cores per body build here (0.23-0.27 s wall, 0.37-0.42 s CPU; single-threaded
0.31 s wall and CPU: benchmarks/studies.py, item 7), so two workers with their own pools would
oversubscribe two cores.

Workers of a remote scheduler may use the same module:
``dask worker ... --preload keidesign.studies.worker``.

A worker of keidesign's own LocalCluster (the environment variable
:data:`~keidesign.studies.runner.LOCAL_WORKER` set to ``1`` by
:class:`~keidesign.studies.runner.DaskRunner`) ignores SIGINT and does not log the tasks
the command cancels: a Ctrl-C on the terminal reaches every process of the foreground
group, and each worker printed a ``KeyboardInterrupt`` traceback of Dask's nanny code
(and a warning per cancelled task) under the command's one-line "interrupted" message
(before s30i), and a heartbeat cut by the closing scheduler its traceback (before s33f).
The command itself stops on the Ctrl-C and closes its cluster, which ends the workers.
A worker you start yourself keeps Python's Ctrl-C.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
from typing import Any

from keidesign.studies.runner import LOCAL_WORKER

__all__ = ["IN_WORKER", "dask_setup", "limit_cad_threads"]

#: True in a Dask worker process started with this preload.
IN_WORKER = False
_CAD_LIMITED = False


def dask_setup(worker: Any) -> None:
    """Dask's preload hook, run once in each worker process."""
    global IN_WORKER
    IN_WORKER = True
    local = os.environ.get(LOCAL_WORKER) == "1"
    if local and threading.current_thread() is threading.main_thread():
        # before the imports (~5 s a worker): a Ctrl-C in them reached Python's asyncio
        # runner of Dask's worker process, which cancelled the starting worker (~130
        # lines of CancelledError / "Queue not closed" tracebacks under the command's
        # "interrupted" line, before task s35f; the worker processes also start with
        # SIGINT blocked, keidesign.studies.runner._block_ctrl_c)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    import keidesign.studies.optimize  # noqa: F401  (imports the model and OpenMDAO)
    import keidesign.studies.pareto  # noqa: F401
    import keidesign.studies.sweep  # noqa: F401

    gc.freeze()
    if local:
        # the tasks the interrupted command cancels: one warning line each otherwise
        logging.getLogger("distributed.worker.state_machine").addFilter(_not_cancelled)
        # the command closing its cluster (after a Ctrl-C) closes the scheduler while a
        # worker's heartbeat is on its way: the worker logged a 30-line CommClosedError
        # traceback under the "interrupted" line (1 of 5 Ctrl-Cs, task s33f). The
        # scheduler of a local worker is the command's own: it stops only when the
        # command does, which says why itself
        logging.getLogger("distributed.worker").addFilter(_not_heartbeat_on_close)
        # the same command's scheduler closing while it gathers a result from this
        # worker: "failed during get data with tls://127.0.0.1:... -> None" and a 20-line
        # CommClosedError traceback under the "interrupted" line (CI of stop 59). A
        # connection between the command's own processes closes only when one of them
        # stops, which that one reports (a task's error, a worker's death: the scheduler)
        logging.getLogger("distributed.worker").addFilter(_not_closed_connection)


def _not_cancelled(record: logging.LogRecord) -> bool:
    return not record.getMessage().endswith("ended with CancelledError")


def _not_heartbeat_on_close(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(
        "Failed to communicate with scheduler during heartbeat")


def _not_closed_connection(record: logging.LogRecord) -> bool:
    from distributed.comm.core import CommClosedError

    error = record.exc_info[1] if record.exc_info else None
    return not isinstance(error, CommClosedError)


def limit_cad_threads() -> None:
    """In a worker: one thread in OpenCascade's default thread pool (no-op elsewhere,
    and after the first call). Must run before the first CAD operation of the process
    (the pool is created on first use)."""
    global _CAD_LIMITED
    if not IN_WORKER or _CAD_LIMITED:
        return
    _CAD_LIMITED = True
    try:
        from OCP.OSD import OSD_ThreadPool
    except ImportError:  # no CAD kernel: nothing to limit
        return
    OSD_ThreadPool.DefaultPool_s(1)
