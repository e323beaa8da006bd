"""Process helpers shared by grading and the build: whether forking is safe, and CPU pinning.

Grading is a conversation of many small requests between a worker and its sandbox; keeping the two on
one CPU saves the cross-CPU wake-ups (docs/design-decisions.md, "Start-up of a grading command").
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def can_fork() -> bool:
    """Fork workers from this process only when that is safe: POSIX fork available, and no other thread
    (a thread holding a lock at the fork would leave it locked forever in the child)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def pin_to_one_cpu(index: int) -> None:
    """Keep worker *index*, and the sandboxes it asks for, on one CPU of those allowed (round robin).

    A worker and its sandbox take turns, never run at once; on one CPU their many small requests need no
    cross-CPU wake-ups, and the workers do not migrate onto each other's CPU.
    """
    try:
        allowed = sorted(os.sched_getaffinity(0))
        if len(allowed) > 1:
            os.sched_setaffinity(0, {allowed[index % len(allowed)]})
    except (AttributeError, OSError):
        pass


@contextmanager
def one_cpu() -> Iterator[None]:
    """Keep this thread, and the zygote and sandboxes it starts meanwhile, on the CPU it runs on.

    Grading the mutants one after the other is a conversation of hundreds of small requests per
    mutant between this process and a sandbox. Spread over two otherwise idle CPUs, every request
    wakes the other CPU, which costs more than the work (softmax_temperature, 2-core VM: 1.19 s per
    mutant spread, 0.52 s on one CPU). Nothing runs in parallel here, so one CPU loses nothing.
    The previous affinity is restored on the way out (the zygote must be closed inside).
    """
    allowed: set[int] = set()
    try:
        allowed = os.sched_getaffinity(0)
        if len(allowed) > 1:
            try:
                with open("/proc/thread-self/stat") as handle:
                    current = int(handle.read().rsplit(")", 1)[1].split()[36])
            except (OSError, ValueError, IndexError):
                current = -1
            os.sched_setaffinity(0, {current if current in allowed else min(allowed)})
        else:
            allowed = set()
    except (AttributeError, OSError):  # not Linux, or not allowed: run unpinned
        allowed = set()
    try:
        yield
    finally:
        if allowed:
            try:
                os.sched_setaffinity(0, allowed)
            except OSError:
                pass


def current_cpus() -> list[int] | None:
    """The CPUs this process may run on (what a sandbox asked for by it should share), or None."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None


def run_on(cpus) -> None:
    """Run this process on *cpus* (a list of CPU numbers from :func:`current_cpus` of another process): a
    sandbox takes the CPUs of the worker that asked for it. Student code may widen its own affinity again;
    that only costs it speed. Anything but a list of ints is ignored."""
    if isinstance(cpus, list) and cpus and all(type(c) is int for c in cpus):
        try:
            os.sched_setaffinity(0, cpus)
        except (AttributeError, OSError, ValueError):
            pass
