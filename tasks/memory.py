"""Giving a long-lived pool process's freed heap memory back to the system.

glibc's allocator keeps the pages of freed chunks inside its heap for reuse; a pool process
that decodes, segments and stores thousands of pages leaves more of them behind over time,
so its resident size creeps up while the Python objects it holds do not grow.
``malloc_trim(0)`` returns those pages. It walks the whole heap, the dictionaries inherited
from the main process included, so it runs every ``TRIM_EVERY_TASKS`` tasks, not after each.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Callable

TRIM_EVERY_TASKS = 100


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim  # glibc only
    except (OSError, AttributeError):  # musl, macOS: nothing to call, nothing to do
        return None


_TRIM = _malloc_trim()
_tasks_run = itertools.count(1)


def release_free_heap() -> bool:
    """Return the heap's free pages to the system now; False where glibc is not the libc."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


def after_task() -> None:
    """Count one task run in this process; every ``TRIM_EVERY_TASKS``, release the free heap."""
    if next(_tasks_run) % TRIM_EVERY_TASKS == 0:
        release_free_heap()
