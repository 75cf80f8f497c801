"""The five stage tasks: ids in, one transaction around one step, next stage out.

The next stage is enqueued only after the step's transaction has committed, so it never
runs ahead of the data it needs. A lost enqueue (broker down right then) leaves the file
in a non-final state, from which ``newsflow watch``'s start-up scan re-enqueues it.
"""

from __future__ import annotations

from celery import Task
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import InterfaceError, OperationalError

from models.db import transaction
from models.ledger import mark_failed
from tasks import steps
from tasks.app import Queue, app
from tasks.settings import get_settings

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, RedisConnectionError)


class StageTask(Task):
    """Retries transient database and broker errors; records any other failure in the ledger."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = get_settings().max_retries

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        with transaction(get_settings().require_database_url()) as session:
            mark_failed(session, args[0], f"{self.name.rsplit('.', 1)[-1]}_error", repr(exc))


def run_step(step, file_id: int) -> bool:
    settings = get_settings()
    with transaction(settings.require_database_url()) as session:
        return step(session, file_id, settings)


@app.task(base=StageTask, name="newsflow.ingest", queue=Queue.INGEST)
def ingest(file_id: int, label: str = "") -> None:
    """Decode a registered file into page text (``label`` is its path, shown in Flower)."""
    if run_step(steps.ingest_file, file_id):
        parse.delay(file_id, label)


@app.task(base=StageTask, name="newsflow.parse", queue=Queue.PARSE)
def parse(file_id: int, label: str = "") -> None:
    """Split a decoded page into articles and photo captions."""
    if run_step(steps.parse_file, file_id):
        normalize.delay(file_id, label)


@app.task(base=StageTask, name="newsflow.normalize", queue=Queue.NORMALIZE)
def normalize(file_id: int, label: str = "") -> None:
    """Normalize and enrich every item of a parsed page."""
    if run_step(steps.normalize_file, file_id):
        dedupe.delay(file_id, label)


@app.task(base=StageTask, name="newsflow.dedupe", queue=Queue.DEDUPE)
def dedupe(file_id: int, label: str = "") -> None:
    """Link every item to its article: exact copy, near-duplicate or new."""
    if run_step(steps.dedupe_file, file_id):
        store.delay(file_id, label)


@app.task(base=StageTask, name="newsflow.store", queue=Queue.STORE)
def store(file_id: int, label: str = "") -> None:
    """Record occurrences and entities; put the file in its final state."""
    run_step(steps.store_file, file_id)
