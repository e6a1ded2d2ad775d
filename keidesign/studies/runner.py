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
as it arrives. :meth:`Runner.map_streaming` also hands the caller the items a task makes
before it ends (each point of a Pareto row, as it is solved): in-process through the
task's ``sink`` argument, on Dask as worker events (``Worker.log_event`` on a topic of the
run, ``Client.subscribe_topic``), so a row interrupted on a cluster keeps the points its
worker finished (before s31c they came back only with the whole row).

A scheduler address is checked before any connection (:func:`scheduler_address`:
``tcp://HOST:PORT`` or ``HOST:PORT``, HOST a host name or an IP address, PORT 1-65535),
and the connection has a deadline (:data:`SCHEDULER_TIMEOUT`, default 10 s; Dask's
``Client(timeout=)`` plus a watchdog, since Dask waits without limit for the handshake of
a server that accepts and never answers). A bad address, a refused connection, no
answer in time, a server that answers as something else (an HTTP server): one
:class:`~keidesign.errors.InputError` naming the address.

The LocalCluster listens on the loopback interface only: its scheduler, workers and
dashboard (Dask's ``dashboard_address=":0"`` served the dashboard on every interface
before s30i). Since s40b its scheduler, nannies and workers speak mutual TLS
(:func:`local_security`): a loopback port is open to every user of the machine, and Dask
runs the pickled functions a client sends, so an unauthenticated scheduler let another
user run code as you (audit s39c). The credentials are made for the run and never leave
it: a private CA and one certificate signed by it, from ``cryptography`` when installed
(Dask's ``Security.temporary()``, in memory), else from the ``openssl`` program (fixed
arguments, no user text) into a folder only this user can read (a scratch folder,
:func:`keidesign.studies.scratch.new_folder`: ``<temp dir>/keidesign-<uid>/keidesign-tls-
<pid>.<host key>.<random>``, mode 0700 in a parent of mode 0700), deleted when the cluster
closes, and by a later run's sweep if this process was killed (audit s43a). A client
without a certificate of that CA fails the handshake. When neither is available the
cluster starts as before, and its description says so (use ``--serial`` on a shared
machine).

Since session 41 the LocalCluster serves no HTTP: Dask's dashboard and its other HTTP
routes (task and worker pages, ``/metrics``, ``/json/identity.json``) were plain HTTP
on a loopback port, readable by every user of the machine (the run's task names,
workers and timings). The scheduler starts with ``dashboard=False`` and the scheduler's
and workers' route lists are empty (:data:`HTTP_OFF`); the HTTP port still listens
(Dask always opens it, on 127.0.0.1) and answers 404 to every path.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import queue
import re
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from keidesign.errors import InputError, show
from keidesign.studies import scratch

__all__ = ["HTTP_OFF", "LOCAL_WORKER", "SCHEDULER_TIMEOUT", "DaskRunner", "Runner",
           "SerialRunner", "local_security", "make_runner", "scheduler_address"]

#: Environment variable set to ``1`` in the worker processes of the LocalCluster a
#: :class:`DaskRunner` starts (:mod:`keidesign.studies.worker` then ignores SIGINT).
LOCAL_WORKER = "KEIDESIGN_LOCAL_WORKER"

#: Seconds to wait for a Dask scheduler to answer (``--scheduler-timeout``).
SCHEDULER_TIMEOUT = 10.0

#: Dask configuration that empties the LocalCluster's HTTP routes (scheduler and
#: workers; with the scheduler's ``dashboard=False`` no page is served)
HTTP_OFF: dict[str, list] = {"distributed.scheduler.http.routes": [],
                             "distributed.worker.http.routes": []}

_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOSTNAME = re.compile(rf"{_LABEL}(\.{_LABEL})*\.?")
_ALLOWED = ("allowed: tcp://HOST:PORT or HOST:PORT, HOST a host name or an IP address "
            "(IPv6 in brackets), PORT 1-65535")


def scheduler_address(text: str) -> str:
    """The Dask address ``tcp://HOST:PORT`` of a ``--scheduler`` value (``tcp://HOST:PORT``
    or ``HOST:PORT``); anything else is an :class:`InputError` saying what is allowed."""
    def bad(why: str) -> InputError:
        return InputError(f"--scheduler {show(text)}: {why}; {_ALLOWED}")

    rest = text
    if "://" in rest:
        scheme, _, rest = rest.partition("://")
        if scheme.lower() != "tcp":
            raise bad(f"protocol {show(scheme)} is not supported")
    host, sep, port = rest.rpartition(":")
    if not sep or not host:
        raise bad("not a scheduler address (no HOST:PORT)")
    if not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise bad(f"port {show(port)} is not a number in 1-65535")
    if host.startswith("[") and host.endswith("]"):
        try:
            ip = ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise bad(f"host {show(host)} is not an IPv6 address") from None
        return f"tcp://[{ip.compressed}]:{int(port)}"
    try:
        ip4 = ipaddress.IPv4Address(host)
    except ValueError:
        ip4 = None
    if ip4 is not None:
        return f"tcp://{ip4}:{int(port)}"
    if not host.isascii() or len(host) > 253 or not _HOSTNAME.fullmatch(host) \
            or host.replace(".", "").isdigit():
        raise bad(f"host {show(host)} is not a host name or an IP address")
    return f"tcp://{host}:{int(port)}"


def _connect(address: str, timeout: float) -> Any:
    """A Dask ``Client`` of the scheduler at ``address``, or an :class:`InputError` when it
    cannot connect within ``timeout`` seconds (refused, unknown host, no answer)."""
    from dask.distributed import Client

    hint = "check the address and that the scheduler is running"
    # a plain TCP connection first: a refused port or an unknown host fails at once, with
    # the system's reason (Dask retries those until its timeout)
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except TimeoutError:
        raise InputError(f"--scheduler {address}: no answer within {timeout:g} s; "
                         f"{hint}") from None
    except OSError as exc:
        why = " ".join(str(exc.strerror or exc).split())
        raise InputError(f"--scheduler {address}: cannot connect ({why}); {hint}") from None
    done: dict[str, Any] = {}

    def attempt() -> None:
        try:
            done["client"] = Client(address, timeout=timeout)
        except BaseException as exc:  # handed to the caller's thread
            done["error"] = exc

    # Dask applies `timeout` to the TCP connection but not to the handshake that follows:
    # the watchdog gives up on a server that accepts and never answers.
    th = threading.Thread(target=attempt, name="keidesign-dask-connect", daemon=True)
    th.start()
    th.join(timeout + 2.0)
    if th.is_alive():
        raise InputError(f"--scheduler {address}: no answer from a Dask scheduler within "
                         f"{timeout:g} s; {hint}")
    exc = done.get("error")
    if exc is not None:
        if isinstance(exc, (OSError, TimeoutError, ValueError)):
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise InputError(f"--scheduler {address}: cannot connect to a Dask scheduler "
                             f"({text}); {hint}") from None
        if isinstance(exc, Exception):
            # another server on the port: an HTTP server's "HTTP/1.1" read as Dask's
            # 8-byte frame length asked numpy for 3.07 EiB (MemoryError, a traceback
            # before s30i); whatever the handshake raises, it is no Dask scheduler
            text = " ".join(str(exc).split())[:200] or type(exc).__name__
            raise InputError(f"--scheduler {address}: the server there did not answer as a "
                             f"Dask scheduler ({type(exc).__name__}: {text}); {hint}"
                             ) from None
        raise exc
    return done["client"]


class Runner:
    """Runs tasks ``fn(*args)``; yields ``(index, result)`` as each finishes."""

    description = "runner"

    def map_unordered(self, fn: Callable[..., Any], tasks: Sequence[tuple]
                      ) -> Iterator[tuple[int, Any]]:
        raise NotImplementedError

    def map_streaming(self, fn: Callable[..., Any], tasks: Sequence[tuple],
                      on_item: Callable[[Any], None]) -> Iterator[tuple[int, Any]]:
        """Like :meth:`map_unordered`, each task called as ``fn(*args, sink=SINK)``: the
        task hands ``SINK(item)`` each item it finishes (plain data: numbers, text, lists,
        dicts) and ``on_item(item)`` is called with it in the iterating thread as soon as
        it arrives, before the task's own result. An item may also come after its task's
        result (Dask's events and results travel apart): the caller records both
        idempotently. This runner calls ``fn`` without a sink (items come only with the
        results)."""
        return self.map_unordered(fn, tasks)

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

    def map_streaming(self, fn, tasks, on_item):
        for i, args in enumerate(tasks):
            yield i, fn(*args, sink=on_item)


class _EventSink:
    """A task's ``sink`` on a Dask worker: each item is a worker event on ``topic``
    (:meth:`DaskRunner.map_streaming` subscribes to it). Picklable: it travels with the
    task."""

    def __init__(self, topic: str) -> None:
        self.topic = topic

    def __call__(self, item: Any) -> None:
        from dask.distributed import get_worker

        get_worker().log_event(self.topic, item)   # thread-safe: sent by the worker's loop


def _block_ctrl_c() -> None:
    """Block SIGINT in the calling thread (not the main thread): the threads it starts
    inherit the mask, and so do the processes they spawn, across ``exec``. The
    LocalCluster's event-loop thread, made in the thread that starts the cluster, spawns
    the worker processes, so a worker never sees a terminal's Ctrl-C, from its first
    instruction on (the command sees it in its main thread, which stops and closes the
    cluster). Ignoring SIGINT in the preload (:mod:`keidesign.studies.worker`) came
    only after the interpreter, ``multiprocessing`` and Dask were imported: a Ctrl-C in
    the first seconds printed a KeyboardInterrupt traceback of ``multiprocessing.spawn``
    per worker (2 of 3 tries, task s35f). No-op where there are no POSIX signal masks."""
    import signal

    if hasattr(signal, "pthread_sigmask") \
            and threading.current_thread() is not threading.main_thread():
        # multiprocessing's resource tracker, started on the first process or queue of
        # the run, *unblocks* SIGINT in the thread that starts it (CPython's
        # resource_tracker.ensure_running blocks it around the spawn, then unblocks):
        # started here first, the cluster's threads find it running
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


#: What :func:`local_security` makes: the key type of its CA and certificate (a P-256
#: key: ~0.1 s with ``openssl``) and their validity (days; the run's own, deleted after).
TLS_CURVE = "prime256v1"
TLS_DAYS = 30


def local_security() -> tuple[Any, str | None]:
    """Mutual-TLS credentials for a LocalCluster of this run (module docstring):
    ``(distributed.security.Security or None, folder to delete or None)``."""
    from distributed.security import Security

    try:
        import cryptography  # noqa: F401  (what Security.temporary() needs)
    except ImportError:
        pass
    else:
        return Security.temporary(), None
    exe = shutil.which("openssl")
    if exe is None:
        return None, None
    # mode 0700 in this user's private parent, named for this process: swept by a later
    # run's task or end once this process is gone, even if it was killed (audit s43a)
    folder = str(scratch.new_folder("tls"))
    ca, key, csr, cert = (os.path.join(folder, f) for f in ("ca.pem", "ca.key", "k.csr",
                                                           "k.pem"))
    kkey = os.path.join(folder, "k.key")
    new_key = ["-newkey", "ec", "-pkeyopt", f"ec_paramgen_curve:{TLS_CURVE}", "-nodes"]
    steps = ([exe, "req", "-x509", *new_key, "-keyout", key, "-out", ca, "-days",
              str(TLS_DAYS), "-subj", "/CN=keidesign-run-ca"],
             [exe, "req", *new_key, "-keyout", kkey, "-out", csr, "-subj", "/CN=keidesign"],
             [exe, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", key, "-CAcreateserial",
              "-out", cert, "-days", str(TLS_DAYS)])
    try:
        for argv in steps:
            subprocess.run(argv, check=True, capture_output=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        os.remove(key)  # the CA signs nothing more
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)
        return None, None
    pair = {"cert": cert, "key": kkey}
    return Security(tls_ca_file=ca, require_encryption=True,
                    **{f"tls_{who}_{k}": v for who in ("client", "scheduler", "worker")
                       for k, v in pair.items()}), folder


#: the levels of Dask's loggers in this process while a stopped run silences them
_SILENCED: dict[str, int] = {}


def _silence_dask_logs() -> None:
    """Stop printing this process's Dask log records (scheduler, client, nanny): called
    when a run stops before its tasks end (a Ctrl-C, a task's error). Its scheduler then
    forgets keys it may be gathering and closes connections its workers are writing on:
    "Couldn't gather keys: {...: 'forgotten'}" and worker tracebacks came under the
    command's one "interrupted" line (CI of stop 59, 1 Ctrl-C in the suite's run). The
    command says itself why it stopped; :meth:`DaskRunner.close` puts the levels back.
    Levels, not a handler's filter: Dask adds its handler only where no ancestor logger
    has one (under pytest, the root's)."""
    if _SILENCED:
        return
    names = ["distributed"] + [name for name, logger in
                               list(logging.root.manager.loggerDict.items())
                               if name.startswith("distributed.")
                               and isinstance(logger, logging.Logger)
                               and logger.level != logging.NOTSET]
    for name in names:
        logger = logging.getLogger(name)
        _SILENCED[name] = logger.level
        logger.setLevel(logging.CRITICAL + 1)


def _restore_dask_logs() -> None:
    while _SILENCED:
        name, level = _SILENCED.popitem()
        logging.getLogger(name).setLevel(level)


class DaskRunner(Runner):
    """Runs tasks on Dask distributed (a LocalCluster it owns, or a scheduler address).

    A LocalCluster is started in a background thread as soon as the runner is made, so
    that its worker processes boot and import the study code (the
    :mod:`keidesign.studies.worker` preload) while this process validates the study and
    sets up its own problems; the first :meth:`map_unordered` waits for it.
    """

    def __init__(self, scheduler: str | None = None, workers: int | None = None, *,
                 timeout: float = SCHEDULER_TIMEOUT) -> None:
        self._cluster = None
        self._client = None
        self._error: BaseException | None = None
        self._address: str | None = None
        self._n_workers = 0
        self._tls_folder: str | None = None
        self._work_folder: str | None = None
        if scheduler:
            scheduler = scheduler_address(scheduler)
            self._client = _connect(scheduler, timeout)
            self._address = scheduler
            self._ready = None
        else:
            n = workers or os.cpu_count() or 1
            security, self._tls_folder = local_security()
            # the workers' and scheduler's work folders (Dask's default, the shared
            # <tmp>/dask-scratch-space, may be another user's: audit s43a)
            self._work_folder = str(scratch.new_folder("dask"))
            self._description = f"Dask LocalCluster ({n} worker processes)" + (
                " over mutual TLS on 127.0.0.1" if security is not None else
                " on 127.0.0.1 without TLS (no openssl nor cryptography: other users of "
                "this machine can connect; use --serial on a shared machine)")
            self._ready = threading.Thread(target=self._start_local, args=(n, security),
                                           name="keidesign-dask-start", daemon=True)
            self._ready.start()

    @property
    def description(self) -> str:  # type: ignore[override]
        """What runs the tasks. On a scheduler: its address and its workers, counted when
        this is read (the summary reads it after the run; the last count once the client
        is closed). The count made on connecting said '(0 workers)' of a run whose worker
        was still starting and then ran every task (task s35f)."""
        if self._address is None:
            return self._description
        try:
            self._n_workers = len(self._client.scheduler_info().get("workers", {}))
        except Exception:  # the client closed, the scheduler gone: the last count
            pass
        n = self._n_workers
        return f"Dask scheduler {self._address} ({n} worker{'' if n == 1 else 's'})"

    def _start_local(self, n: int, security: Any) -> None:
        import dask
        from dask.distributed import Client, LocalCluster

        _block_ctrl_c()
        work = self._work_folder
        try:
            # Dask's nannies export MALLOC_TRIM_THRESHOLD_=65536 to their workers (to hand
            # freed memory back to the OS). Setting it switches off glibc's dynamic mmap
            # threshold, so every large temporary array of a batched model run is a fresh
            # mmap + page faults: batched chunks ~3x slower on a worker
            # (benchmarks/studies.py, item 6). Unset for our workers (an explicit
            # environment value still wins, as Dask does it).
            # LOCAL_WORKER: the worker ignores SIGINT (a terminal's Ctrl-C reaches every
            # process of the group; this process stops and closes the cluster)
            # HTTP_OFF: no dashboard and no HTTP route (scheduler and workers): plain HTTP
            # on a loopback port has no authentication, and the run uses none of it
            # temporary-directory, local_directory: the scheduler's and workers' work
            # folders (spilled task data, pickled, read back) in this run's scratch
            # folder, not the shared <tmp>/dask-scratch-space (audit s43a)
            env = "distributed.nanny.pre-spawn-environ"
            with dask.config.set({f"{env}.MALLOC_TRIM_THRESHOLD_": None,
                                  f"{env}.{LOCAL_WORKER}": "1", **HTTP_OFF,
                                  "temporary-directory": work}):
                self._cluster = LocalCluster(n_workers=n, processes=True, threads_per_worker=1,
                                             host="127.0.0.1",
                                             dashboard_address="127.0.0.1:0",
                                             scheduler_kwargs={"dashboard": False},
                                             preload=["keidesign.studies.worker"],
                                             security=security, local_directory=work)
            self._client = Client(self._cluster, security=security)
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

    def map_streaming(self, fn, tasks, on_item):
        client = self.client
        topic = f"keidesign-items-{uuid.uuid4().hex}"
        inbox: queue.SimpleQueue = queue.SimpleQueue()
        # subscribed before any task is submitted (the scheduler handles the two messages
        # in order), so no item of the run is sent before the subscription
        client.subscribe_topic(topic, lambda event: inbox.put(("item", event[1])))
        self._batch = getattr(self, "_batch", 0) + 1
        futures = {}
        try:
            for i, args in enumerate(tasks):
                key = f"keidesign-{fn.__name__}-{id(self):x}-{self._batch}-{i}"
                fut = client.submit(fn, *args, sink=_EventSink(topic), pure=False, key=key)
                futures[fut] = i
            for fut in futures:
                fut.add_done_callback(lambda f: inbox.put(("done", f)))
            left = len(futures)
            while left:
                try:
                    kind, what = inbox.get(timeout=0.5)   # Ctrl-C is seen within 0.5 s
                except queue.Empty:
                    continue
                if kind == "item":
                    on_item(what)
                else:
                    left -= 1
                    yield futures[what], what.result()
        finally:
            if any(not fut.done() for fut in futures):   # stopped early: an interrupt
                _silence_dask_logs()                        # or an error
            # the items that arrived before an interrupt (or an error) are handed over
            while True:
                try:
                    kind, what = inbox.get_nowait()
                except queue.Empty:
                    break
                if kind == "item":
                    on_item(what)
            for fut in futures:
                if not fut.done():
                    fut.cancel()
            try:
                client.unsubscribe_topic(topic)
            except Exception:  # the cluster may be closing (an interrupt)
                pass

    @staticmethod
    def _collect(futures: dict) -> Iterator[tuple[int, Any]]:
        """Yield ``(task index, result)`` as the tasks finish. Each result is fetched on
        Dask's callback thread and handed over through a queue: the main thread, where a
        Ctrl-C lands, waits on nothing Dask's event loop needs. With
        ``dask.distributed.as_completed`` it took the iterator's lock every 0.1 s, and a
        Ctrl-C landing just after the acquire left the lock held: the loop blocked on it
        as the next task finished and the clean-up's cancel waited for the loop for ever
        (task s33f)."""
        if not futures:
            # nothing to run (a resumed sweep whose cases are all recorded): no client
            # is needed, and a LocalCluster may still be starting (task s33f)
            return
        inbox: queue.SimpleQueue = queue.SimpleQueue()

        def done(fut: Any) -> None:          # on Dask's callback thread
            try:
                inbox.put((futures[fut], fut.result(), None))
            except BaseException as exc:  # the task's error, re-raised by the caller
                inbox.put((futures[fut], None, exc))

        try:
            for fut in futures:
                fut.add_done_callback(done)
            for _ in range(len(futures)):
                while True:
                    try:
                        i, result, error = inbox.get(timeout=0.5)  # Ctrl-C seen within 0.5 s
                        break
                    except queue.Empty:
                        continue
                if error is not None:
                    raise error
                yield i, result
        finally:
            pending = [fut for fut in futures if not fut.done()]
            if pending:                   # stopped early: an interrupt or an error
                _silence_dask_logs()
                pending[0].client.cancel(pending)

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is not None:            # the run stopped on an exception (a Ctrl-C)
            _silence_dask_logs()
        self.close()

    def close(self) -> None:
        try:
            self._close()
        finally:
            _restore_dask_logs()

    def _close(self) -> None:
        if self._ready is not None:
            self._ready.join()
            self._ready = None
        try:
            if self._client is not None:
                self._client.close()
        finally:
            if self._cluster is not None:
                # a worker still inside a task when the run stops (a Ctrl-C during an
                # optimize start: each is a 10-40 s task) is killed by its nanny after 4 s
                # with a logged WARNING under the command's one "interrupted" line (task
                # s37i); stopping it is what the user asked for
                nanny = logging.getLogger("distributed.nanny")
                level = nanny.level
                nanny.setLevel(max(level, logging.ERROR))
                try:
                    self._cluster.close()
                finally:
                    nanny.setLevel(level)
                    # the killed workers' task folders (keidesign.studies.scratch): the
                    # workers are this machine's, ended by now
                    scratch.sweep()
            # getattr: a runner whose __init__ never ran (or raised early) closes too
            for attr in ("_tls_folder", "_work_folder"):
                if getattr(self, attr, None) is not None:
                    shutil.rmtree(getattr(self, attr), ignore_errors=True)
                    setattr(self, attr, None)


def make_runner(*, serial: bool = False, scheduler: str | None = None,
                workers: int | None = None, n_tasks: int | None = None,
                timeout: float = SCHEDULER_TIMEOUT) -> Runner:
    """The runner a command asked for.

    ``serial``: in-process. ``scheduler``: that Dask scheduler (address checked by
    :func:`scheduler_address`, connection within ``timeout`` seconds). Otherwise a Dask
    LocalCluster of ``workers`` processes (default: the CPU count), except when there is
    a single task (``n_tasks == 1``): a cluster would only add its start-up time.
    """
    if serial:
        return SerialRunner()
    if scheduler:
        return DaskRunner(scheduler=scheduler, timeout=timeout)
    if n_tasks is not None and n_tasks <= 1:
        return SerialRunner()
    n = workers or os.cpu_count() or 1
    return DaskRunner(workers=min(n, n_tasks) if n_tasks else n)
