"""The Celery app, configured from the settings object, and the named stage queues.

Reliability settings (why each is here):
- ``task_acks_late`` + ``task_reject_on_worker_lost``: a task is acknowledged only after it
  ran, so a worker killed mid-task gives the message back to the queue instead of losing it.
- ``worker_prefetch_multiplier=1``: a busy worker does not hoard messages others could run.
- time limits below Redis's ``visibility_timeout``: Redis redelivers an unacknowledged task
  after that timeout, so no task may legitimately run that long.
- JSON only: messages carry ids and short labels, never pickled objects.
- ``worker_max_memory_per_child``: a safety net should a pool process grow all the same
  (freed heap pages are returned every 100 tasks, ``tasks/memory.py``): the pool process
  finishes its task and exits, and a fresh one forks from the main process, which holds the
  dictionaries already.
"""

from __future__ import annotations

import gc
from enum import StrEnum

from celery import Celery
from celery.signals import task_postrun, worker_init
from kombu import Exchange
from kombu import Queue as KombuQueue

from tasks import memory
from tasks.settings import Settings, get_settings


class Queue(StrEnum):
    """One queue per stage, so each can be watched in Flower and given its own workers."""

    INGEST = "ingest"
    PARSE = "parse"
    NORMALIZE = "normalize"
    DEDUPE = "dedupe"
    STORE = "store"


def celery_config(settings: Settings) -> dict:
    return {
        "broker_url": settings.resolved_url("redis_url"),
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_max_memory_per_child": settings.worker_max_memory_mb * 1024,  # in KiB
        "task_soft_time_limit": settings.task_soft_time_limit,
        "task_time_limit": settings.task_time_limit,
        "broker_transport_options": {"visibility_timeout": settings.visibility_timeout},
        "broker_connection_retry_on_startup": True,
        # Each queue on its own direct exchange and routing key: a message for one stage
        # must land in that stage's queue only.
        "task_queues": [KombuQueue(str(q), Exchange(str(q), type="direct"), routing_key=str(q))
                        for q in Queue],
        "task_default_queue": str(Queue.INGEST),
        # Stage task newsflow.X runs on queue X (the tasks' own ``queue=`` is deprecated).
        "task_routes": {f"newsflow.{q}": {"queue": str(q)} for q in Queue},
        "worker_send_task_events": True,  # Flower's live task list
        "task_send_sent_event": True,
        "worker_hijack_root_logger": False,
    }


def make_app(settings: Settings) -> Celery:
    app = Celery("newsflow", include=["tasks.pipeline"])
    app.conf.update(celery_config(settings))
    return app


app = make_app(get_settings())


@worker_init.connect
def _load_dictionaries(**_) -> None:
    """Load jieba's dictionary, OpenCC's tables and the page-structure model once in the
    worker's main process, before the pool forks.

    The children inherit them copy-on-write instead of each loading its own (jieba's take a
    second and a large share of a process's memory); freezing the collector keeps it from
    touching, and so copying, the inherited objects.
    """
    from stages.segment import model
    from stages.text import script
    from stages.words import enrich

    enrich.warm_up()
    script.warm_up(get_settings().opencc_config)
    model.warm_up()
    gc.freeze()


@task_postrun.connect
def _release_free_heap(**_) -> None:
    """Keep a pool process's resident size flat over a long run (``tasks/memory.py``)."""
    memory.after_task()
