"""Where study tasks run: in-process, on a Dask ``LocalCluster``, or on a Dask scheduler.

A study splits its work into independent *tasks* (a chunk of sweep cases, one start of a
multi-start optimization, one row of a Pareto front). The task list and each task's
content depend only on the study, never on the number of workers, and every task is
deterministic, so the results are the same wherever and in whatever order they run.

* :class:`SerialRunner` runs the tasks one after the other in this process;
* :class:`DaskRunner` submits them to Dask distributed: by default to a
  ``LocalCluster(n_workers, processes=True, threads_per_worker=1)`` it starts and closes,
  or to a running scheduler given by address (``tcp://HOST:PORT``), e.g. one started by
  dask-jobqueue on a batch system or by the Dask Kubernetes operator. Workers need
  ``keidesign`` installed (the same version); results come back to this process, which
  records them, so workers need no shared file system.

Both yield ``(task_index, result)`` in completion order; the caller records each result
as it arrives.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["DaskRunner", "Runner", "SerialRunner", "make_runner"]


class Runner:
    """Runs tasks ``fn(*args)``; yields ``(index, result)`` as each finishes."""

    description = "runner"

    def map_unordered(self, fn: Callable[..., Any], tasks: Sequence[tuple]
                      ) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError

    def start(self, fn: Callable[..., Any], tasks: Sequence[tuple]
              ) -> Iterator[tuple[int, Any]]:
        """Like :meth:`map_unordered`, but the tasks are submitted now (on a cluster they
        run while this process does other work); iterate the result to collect them.
        In-process runners run them when iterated."""
        return self.map_unordered(fn, tasks)

    def close(self) -> None:
        pass

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class SerialRunner(Runner):
    """Runs every task in this process, in order."""

    description = "serial (in-process)"

    def map_unordered(self, fn, tasks):
        for i, args in enumerate(tasks):
            yield i, fn(*args)


class DaskRunner(Runner):
    """Runs tasks on Dask distributed (a LocalCluster it owns, or a scheduler address).

    A LocalCluster is started in a background thread as soon as the runner is made, so
    that its worker processes boot and import the study code (the
    :mod:`keidesign.studies.worker` preload) while this process validates the study and
    sets up its own problems; the first :meth:`map_unordered` waits for it.
    """

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        from dask.distributed import Client

        self._cluster = None
        self._client = None
        self._error: BaseException | None = None
        if scheduler:
            self._client = Client(scheduler, timeout="30s")
            n = len(self._client.scheduler_info().get("workers", {}))
            self.description = f"Dask scheduler {scheduler} ({n} workers)"
            self._ready = None
        else:
            n = workers or os.cpu_count() or 1
            self.description = f"Dask LocalCluster ({n} worker processes)"
            self._ready = threading.Thread(target=self._start_local, args=(n,),
                                           name="keidesign-dask-start", daemon=True)
            self._ready.start()

    def _start_local(self, n: int) -> None:
        import dask
        from dask.distributed import Client, LocalCluster

        try:
            # Dask's nannies export MALLOC_TRIM_THRESHOLD_=65536 to their workers (to hand
            # freed memory back to the OS). Setting it switches off glibc's dynamic mmap
            # threshold, so every large temporary array of a batched model run is a fresh
            # mmap + page faults: batched chunks ~3x slower on a worker
            # (benchmarks/studies.py, item 6). Unset for our workers (an explicit
            # environment value still wins, as Dask does it).
            with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_":
                                  None}):
                self._cluster = LocalCluster(n_workers=n, processes=True, threads_per_worker=1,
                                             dashboard_address=":0",
                                             preload=["keidesign.studies.worker"])
            self._client = Client(self._cluster)
        except BaseException as exc:  # re-raised in the caller's thread
            self._error = exc

    @property
    def client(self) -> Any:
        """The Dask client (waits for a LocalCluster still starting)."""
        if self._ready is not None:
            self._ready.join()
            self._ready = None
        if self._error is not None:
            raise RuntimeError(f"the Dask LocalCluster did not start: {self._error}"
                               ) from self._error
        return self._client

    def map_unordered(self, fn, tasks):
        yield from self.start(fn, tasks)

    def start(self, fn, tasks):
        self._batch = getattr(self, "_batch", 0) + 1
        futures = {}
        for i, args in enumerate(tasks):
            key = f"keidesign-{fn.__name__}-{id(self):x}-{self._batch}-{i}"
            fut = self.client.submit(fn, *args, pure=False, key=key)
            futures[fut] = i
        return self._collect(futures)

    @staticmethod
    def _collect(futures: dict) -> Iterator[tuple[int, Any]]:
        from dask.distributed import as_completed

        try:
            for fut in as_completed(futures):
                yield futures[fut], fut.result()
        finally:
            for fut in futures:
                if not fut.done():
                    fut.cancel()

    def close(self) -> None:
        if self._ready is not None:
            self._ready.join()
            self._ready = None
        try:
            if self._client is not None:
                self._client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def make_runner(*, serial: bool = False, scheduler: str | None = None,
                workers: int | None = None, n_tasks: int | None = None) -> Runner:
    """The runner a command asked for.

    ``serial``: in-process. ``scheduler``: that Dask scheduler. Otherwise a Dask
    LocalCluster of ``workers`` processes (default: the CPU count), except when there is
    a single task (``n_tasks == 1``): a cluster would only add its start-up time.
    """
    if serial:
        return SerialRunner()
    if scheduler:
        return DaskRunner(scheduler=scheduler)
    if n_tasks is not None and n_tasks <= 1:
        return SerialRunner()
    n = workers or os.cpu_count() or 1
    return DaskRunner(workers=min(n, n_tasks) if n_tasks else n)
