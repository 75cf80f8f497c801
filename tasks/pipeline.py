"""The five stage tasks: file ids in, one transaction per file around one step, next stage out.

A message carries one file or a batch of them (the watcher batches files that became ready
together, i.e. a backlog; a single file travels alone, so latency does not change). Each file
of a batch is its own unit of work: its own transaction, its own outcome. Batching only shares
the broker round trip, the task bookkeeping and the events, which cost more per file than
most of the stages themselves (benchmarks/README.md).

The next stage is enqueued only after the files' transactions have committed, so it never
runs ahead of the data it needs. A lost enqueue (broker down right then) leaves the files
in a non-final state, from which the reconciler or ``newsflow watch``'s start-up scan
re-enqueues them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import InterfaceError, OperationalError

from models.db import shared_connection, transaction
from models.ledger import mark_failed
from tasks import steps
from tasks.app import app
from tasks.settings import get_settings

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, RedisConnectionError)
Step = Callable[..., bool]
log = logging.getLogger("newsflow.pipeline")


def as_batch(file_ids: int | list[int]) -> list[int]:
    """A message's file ids (one int in messages sent before batches existed)."""
    return [file_ids] if isinstance(file_ids, int) else list(file_ids)


class StageTask(Task):
    """Retries transient database and broker errors; records any other failure in the ledger."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = get_settings().max_retries

    @property
    def stage(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    def fail(self, file_ids: list[int], error: BaseException) -> None:
        """Put files in the final ``failed`` state with the error (final files are left)."""
        with transaction(get_settings().require_database_url()) as session:
            for file_id in file_ids:
                mark_failed(session, file_id, f"{self.stage}_error", repr(error))

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        # Retries exhausted (the database or broker stayed away): the batch fails as a whole.
        # (A task killed at the hard time limit leaves its files unfinished instead: the
        # reconciler re-sends them, one file per message, counting each file's attempts.)
        self.fail(as_batch(args[0]), exc)

    def run_batch(self, step: Step, file_ids: int | list[int], label: str) -> list[int]:
        """Run ``step`` for each file in its own transaction; the ids that go on.

        A transient error propagates and the whole batch is retried: files already committed
        are skipped by the step itself. Any other error fails that file only. A batch that
        has used half its soft time limit sends the files not yet started back to this
        stage's queue, with a fresh time budget, rather than run into the limit.
        """
        batch, go_on, settings = as_batch(file_ids), [], get_settings()
        deadline = time.monotonic() + settings.task_soft_time_limit / 2
        with shared_connection(settings.require_database_url()) as session:
            for index, file_id in enumerate(batch):
                if index and time.monotonic() > deadline:
                    self.apply_async((batch[index:], label))
                    log.info("%s: %d files back on the queue (time budget)",
                             self.stage, len(batch) - index)
                    break
                try:
                    with session.begin():
                        if step(session, file_id, settings):
                            go_on.append(file_id)
                except SoftTimeLimitExceeded as error:
                    # One file alone ran past the soft limit. The signal may have cut a
                    # database exchange in half: drop that connection, use fresh ones.
                    _invalidate(session)
                    self.fail([file_id], error)
                    if rest := batch[index + 1:]:
                        self.apply_async((rest, label))
                    break
                except TRANSIENT_ERRORS:
                    raise
                except Exception as error:  # one bad file must not hold up the others
                    log.exception("file %s failed in %s", file_id, self.stage)
                    self.fail([file_id], error)
                finally:
                    session.expunge_all()  # each file's rows are its own; let them go
        return go_on


def _invalidate(session) -> None:
    try:
        session.connection().invalidate()
    except Exception:  # noqa: BLE001 (already unusable: nothing more to drop)
        log.debug("connection already gone", exc_info=True)


def _stage_task(stage: str, step: Step, then: Task | None, doc: str) -> Task:
    """The Celery task of one stage: run ``step`` over the message's files, then hand the
    files that go on to the ``then`` stage's queue."""

    def run(self: StageTask, file_ids: int | list[int], label: str = "") -> None:
        go_on = self.run_batch(step, file_ids, label)
        if then is not None and go_on:
            then.delay(go_on, label)

    run.__doc__ = doc  # before registering: Celery takes the task's doc from the function
    return app.task(run, bind=True, base=StageTask, name=f"newsflow.{stage}")


# Defined from the last stage back, so each task knows the one it feeds.
store = _stage_task("store", steps.store_file, None,
                    "Record occurrences and entities; put the files in their final state.")
dedupe = _stage_task("dedupe", steps.dedupe_file, store,
                     "Link every item to its article: exact copy, near-duplicate or new.")
normalize = _stage_task("normalize", steps.normalize_file, dedupe,
                        "Normalize and enrich every item of parsed pages.")
parse = _stage_task("parse", steps.parse_file, normalize,
                    "Split decoded pages into articles and photo captions.")
ingest = _stage_task("ingest", steps.ingest_file, parse,
                     "Decode registered files into page text (``label`` names the files, "
                     "shown in Flower).")
