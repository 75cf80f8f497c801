"""Flower for newsflow: ``python -m workers.flower [flower options]``.

Flower 2 asks for basic auth on its pages but serves ``/metrics`` to anyone; here ``/metrics``
asks for the same credentials (Prometheus sends them: ``basic_auth`` in its scrape config).
The task list shows each task's files (its arguments) and what became of them (its result).
Flower refuses to start without ``FLOWER_BASIC_AUTH`` (or ``--basic-auth``): newsflow never
serves its monitoring open.
"""

from __future__ import annotations

import os
import sys

from tornado import web

# The task list's columns: the files a message carried and what each task made of them.
TASK_COLUMNS = "name,uuid,state,args,result,received,started,runtime,worker"


def protect_metrics() -> None:
    """Make ``/metrics`` require the basic auth Flower's other pages require."""
    from flower.views import monitor

    if not getattr(monitor.Metrics.get, "_newsflow_protected", False):
        protected = web.authenticated(monitor.Metrics.get)
        protected._newsflow_protected = True
        monitor.Metrics.get = protected


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not os.environ.get("FLOWER_BASIC_AUTH") and not any(a.startswith("--basic-auth") for a in args):
        sys.exit("error: Flower needs credentials: set FLOWER_BASIC_AUTH=user:password")
    protect_metrics()
    from celery.bin.celery import main as celery_main

    sys.argv = ["celery", "-A", "tasks.app", "flower", f"--tasks_columns={TASK_COLUMNS}", *args]
    celery_main()


if __name__ == "__main__":
    main()
