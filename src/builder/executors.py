"""Where the per-file work runs: a pool of processes on this machine's cores, or a cluster's workers.

Both are a ``concurrent.futures.Executor``, so the pipeline hands them the same function either way:
``process_pool`` gives worker processes that never outlive the build (stopped with it on SIGTERM,
Ctrl-C or an error, and killed by the kernel if the build itself is killed), ``cluster_executor``
a Dask cluster's workers (``dask://HOST:PORT``, through ``Client.get_executor()``), which reschedules
the tasks of a worker that dies. dask.distributed is an extra: ``pip install -e '.[cluster]'``.
On this machine, ``map_surviving`` runs a build's files so that one killing its worker (the OOM killer)
costs only that file.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Executor, Future, InvalidStateError, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

from builder.errors import PortalError

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """In each worker: stopped with its parent, whatever stops the parent (even SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited through fork
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: stopped by the parent's shutdown only
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    _die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def process_pool(workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple = ()) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers stop when the block ends, also when it ends by an exception (a
    SIGTERM turned into SystemExit by ``stop_on_sigterm``, a KeyboardInterrupt): the work queued is
    cancelled and the workers terminated, rather than left to finish it, orphaned. Each worker starts
    with ``initializer(*initargs)``; forked workers (Linux) inherit ``initargs`` without a copy."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                               initargs=(os.getpid(), initializer, initargs))
    try:
        yield pool
    except BaseException:
        _quiet_teardown()
        terminate_workers(pool)  # before shutdown, which forgets the workers (they would run on to exit)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _quiet_teardown() -> None:
    """Workers terminated while futures are being cancelled (Executor.map cancels its own on the way out)
    make Python 3.11's pool manager thread fail on a cancelled future (InvalidStateError, a traceback on
    stderr as a stopped build exits); the pool is being discarded, so that failure is not shown."""
    previous = threading.excepthook
    if getattr(previous, "portal_quiet", False):
        return

    def hook(args: threading.ExceptHookArgs) -> None:
        if not (issubclass(args.exc_type, InvalidStateError) and type(args.thread).__name__ == "_ExecutorManagerThread"):
            previous(args)

    hook.portal_quiet = True  # type: ignore[attr-defined]
    threading.excepthook = hook


def terminate_workers(pool: ProcessPoolExecutor) -> None:
    if hasattr(pool, "terminate_workers"):  # Python 3.14+
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


def map_surviving(fn: Callable[[T], R], items: Iterable[T], workers: int,
                  died: Callable[[T], R]) -> Iterator[tuple[int, R]]:
    """``fn`` over ``items`` in worker processes: (index, result) as each finishes, in no set order.

    A worker that dies (SIGKILL: the OOM killer) breaks the whole pool, and with it the tasks then in
    flight (at most two per worker: no more are handed out), also when it dies between two tasks (the
    next task's hand-out then fails). Each of those is run again alone in a
    fresh worker, which heals a worker killed once for a reason outside the file; one that kills that
    worker too gets ``died(item)``. The rest go on in a fresh pool."""
    items = list(items)
    queue = list(range(len(items)))
    suspects: list[int] = []
    while queue:
        with process_pool(workers) as pool:
            flying: dict[Future, int] = {}
            sent = 0
            while sent < len(queue) or flying:
                lost = False  # the pool broke since the last wait (a worker died between two tasks)
                while sent < len(queue) and len(flying) < 2 * workers:
                    try:
                        future = pool.submit(fn, items[queue[sent]])
                    except BrokenProcessPool:
                        lost = True
                        break
                    flying[future] = queue[sent]
                    sent += 1
                done, _ = wait(flying, return_when=ALL_COMPLETED if lost else FIRST_COMPLETED)
                broken = []
                for future in sorted(done, key=flying.__getitem__):
                    index = flying.pop(future)
                    if isinstance(future.exception(), BrokenProcessPool):
                        broken.append(index)
                    else:
                        yield index, future.result()
                if broken or lost:  # every task still out failed with the pool
                    suspects += broken + sorted(flying.values())
                    break
        queue = queue[sent:]
    for index in suspects:
        with process_pool(1) as pool:
            future = pool.submit(fn, items[index])
            wait([future])
            yield index, died(items[index]) if isinstance(future.exception(), BrokenProcessPool) else future.result()


@contextmanager
def stop_on_sigterm(grace: float = 10.0) -> Iterator[None]:
    """SIGTERM (what `timeout` and a cancelled CI job send) ends the block as SystemExit(143), so that
    ``finally`` blocks and ``process_pool`` stop the workers; then the process exits at once, without the
    interpreter's exit handlers (concurrent.futures joins its pool threads there, and a pool stopped while
    its workers were starting can leave one waiting for ever). Should the unwinding itself hang, the
    process exits after ``grace`` seconds all the same."""
    stopped: list[int] = []

    def terminate(signum, frame):
        print("stopped (SIGTERM)", file=sys.stderr, flush=True)
        stopped.append(128 + signum)
        watchdog = threading.Timer(grace, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    except BaseException:
        if stopped:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(stopped[0])
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)


SCHEMES = ("dask://", "tcp://")


@contextmanager
def cluster_executor(address: str) -> Iterator[Executor]:
    """An executor over the workers of the Dask cluster whose scheduler is at ``address``
    (dask://HOST:PORT, or tcp://HOST:PORT as Dask itself writes it)."""
    if not address.startswith(SCHEMES):
        raise PortalError(f"--executor {address}: give dask://HOST:PORT, the address of a Dask scheduler")
    try:
        from distributed import Client
    except ImportError as exc:
        raise PortalError(f"--executor {address}: dask.distributed is not installed — "
                          f"pip install -e '.[cluster]'") from exc
    scheduler = "tcp://" + address.split("://", 1)[1]
    try:
        client = Client(scheduler, timeout=30, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise PortalError(f"--executor {address}: no Dask scheduler answers there ({exc}) — start one "
                          f"(`dask scheduler`, then `dask worker {scheduler}` on each machine) or check "
                          f"the address") from exc
    try:
        yield client.get_executor(pure=False)  # pure=False: a task lost with its worker is run again
    finally:
        client.close()


def map_in_order(executor: Executor, fn: Callable, items: Iterable, window: int) -> Iterator:
    """``fn`` over ``items`` on ``executor``, results in order, at most ``window`` tasks out at once."""
    pending: list[Future] = []
    for item in items:
        pending.append(executor.submit(fn, item))
        if len(pending) >= window:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()
