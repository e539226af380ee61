"""Where the per-file work runs: a pool of processes on this machine's cores, or a cluster's workers.

Both are a ``concurrent.futures.Executor``, so the pipeline hands them the same function either way:
``process_pool`` gives worker processes that never outlive the build (stopped with it on SIGTERM,
Ctrl-C or an error, and killed by the kernel if the build itself is killed), ``cluster_executor``
a Dask cluster's workers (``dask://HOST:PORT``, through ``Client.get_executor()``), which reschedules
the tasks of a worker that dies. dask.distributed is an extra: ``pip install -e '.[cluster]'``.
"""
from __future__ import annotations

import ctypes
import os
import signal
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from builder.errors import PortalError

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
        terminate_workers(pool)  # before shutdown, which forgets the workers (they would run on to exit)
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def terminate_workers(pool: ProcessPoolExecutor) -> None:
    if hasattr(pool, "terminate_workers"):  # Python 3.14+
        pool.terminate_workers()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """SIGTERM (what `timeout` and a cancelled CI job send) ends the block as SystemExit(143), so that
    ``finally`` blocks and ``process_pool`` stop the workers before the process exits."""
    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
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
