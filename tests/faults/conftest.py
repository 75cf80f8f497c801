"""Fault tests run the real stack with short leases and timeouts, so recovery is quick."""

from __future__ import annotations

import pytest

from workers.scratch import newsflow, running


@pytest.fixture
def faulty(stack):
    """The stack with a reconciler that acts after 3 s of silence, every second."""
    stack.env |= {
        "NEWSFLOW_LEASE_SECONDS": "3",
        "NEWSFLOW_STALE_SECONDS": "3",
        "NEWSFLOW_RECONCILE_INTERVAL": "1",
        "NEWSFLOW_RESCAN_INTERVAL": "5",
        "NEWSFLOW_VISIBILITY_TIMEOUT": "60",
        "NEWSFLOW_TASK_SOFT_TIME_LIMIT": "40",
        "NEWSFLOW_TASK_TIME_LIMIT": "50",
    }
    return stack


def watcher(stack, log_name: str = "watch.log"):
    argv = newsflow("watch", str(stack.inbox))
    return running(argv, stack.env, stack.root / log_name, ready="watching")
