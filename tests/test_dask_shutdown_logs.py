"""Dask's shutdown chatter after a run stops early (CI of stop 59: a Ctrl-C of a
LocalCluster sweep printed the scheduler's "Couldn't gather keys" and a worker's
CommClosedError traceback under the command's one "interrupted" line)."""

from __future__ import annotations

import logging
import time

from distributed.comm.core import CommClosedError

from keidesign.studies.runner import DaskRunner
from keidesign.studies.worker import _not_closed_connection


def _record(name: str, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, None) if exc is not None else None
    return logging.LogRecord(name, logging.ERROR, __file__, 1, "failed during get data with "
                             "%s -> %s", ("tls://127.0.0.1:1", None), info)


def test_a_local_worker_drops_only_records_of_a_closed_connection():
    assert not _not_closed_connection(_record("distributed.worker", CommClosedError("x")))
    assert _not_closed_connection(_record("distributed.worker", ValueError("a task's")))
    assert _not_closed_connection(_record("distributed.worker"))


def _passes(record: logging.LogRecord) -> bool:
    return logging.getLogger(record.name).isEnabledFor(record.levelno)


def test_a_run_stopped_early_silences_the_schedulers_log_until_close():
    """A run whose tasks are still running when its iteration stops (a Ctrl-C, an error)
    prints none of this process's Dask records; closing the runner prints them again,
    and a run that ends normally silences nothing."""
    record = _record("distributed.scheduler")
    runner = DaskRunner(workers=1)
    try:
        done = list(runner.start(sum, [([1, 2],)]))
        assert done == [(0, 3)]
        assert _passes(record)               # a finished run: Dask's records printed
        started = runner.start(time.sleep, [(30,)])
        assert _passes(record)
        with_interrupt(started)
        assert not _passes(record)           # stopped early: silenced
    finally:
        runner.close()
    assert _passes(record)                   # closed: printed again


def with_interrupt(gen) -> None:
    """Iterate ``gen`` until it has waited once, then stop it as a Ctrl-C does."""
    import _thread
    import threading

    threading.Timer(1.0, _thread.interrupt_main).start()
    try:
        for _ in gen:
            pass
    except KeyboardInterrupt:
        pass
    finally:
        gen.close()
