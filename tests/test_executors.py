"""executors.map_surviving with real worker processes killed: every item comes back once, whenever its
worker dies (while a task runs, or between two tasks, when the next hand-out finds the pool broken)."""
from __future__ import annotations

import os
import signal
import time

from builder.executors import map_surviving


def _pid_of(item: int) -> tuple[int, int]:
    return item, os.getpid()


def _died(item: int) -> tuple[int, int]:
    return item, -1


def test_a_worker_killed_between_two_tasks_costs_no_item():
    """The consumer kills the worker that gave the first result while the generator waits to hand out the
    next task: that hand-out meets a broken pool (a race the suite once hit under load, which stopped a
    build with BrokenProcessPool); the tasks then out are run again, the rest in a fresh pool."""
    results = {}
    killed = False
    for index, (item, pid) in map_surviving(_pid_of, range(6), 1, _died):
        results[index] = (item, pid)
        if not killed:
            killed = True
            os.kill(pid, signal.SIGKILL)
            time.sleep(1.0)  # the pool's manager thread sees the worker gone and marks the pool broken
    assert sorted(results) == list(range(6))
    assert all(item == index and pid > 0 for index, (item, pid) in results.items())  # none given up as died
