"""The five stage tasks: file ids in, one step in a transaction per few files, next stage out.

A message carries one file or a batch of them (the watcher batches files that became ready
together, i.e. a backlog; a single file travels alone, so latency does not change). Up to
``FILES_PER_TRANSACTION`` of a message's files are worked in one transaction: one claim, one
commit and shared statements for all of them, which cost more per file than most of the
stages themselves (benchmarks/README.md). Each file still has its own outcome: if such a
transaction fails with anything but a transient error, it is rolled back and each of its
files worked alone, in its own transaction, so a bad file fails alone and the others go on.

The next stage is enqueued only after the files' transactions have committed, so it never
runs ahead of the data it needs. A lost enqueue (broker down right then) leaves the files
in a non-final state, from which the reconciler or ``newsflow watch``'s start-up scan
re-enqueues them.
"""

from __future__ import annotations

import logging
import time

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from models.db import shared_connection, transaction
from models.ledger import mark_failed
from models.outcomes import outcomes_of
from tasks import steps
from tasks.app import Queue, app
from tasks.settings import Settings, get_settings
from tasks.steps import Step

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, RedisConnectionError)
# Files of a message worked in one transaction: one claim and one commit for all of them,
# few enough that a transaction holds its locks briefly and ends well within the time budget.
FILES_PER_TRANSACTION = 8
log = logging.getLogger("newsflow.pipeline")


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
        self.fail(list(args[0]), exc)

    def run_batch(self, step: Step, file_ids: list[int], label: str) -> list[int]:
        """Run ``step`` over the message's files, ``FILES_PER_TRANSACTION`` to a transaction;
        the ids that go on.

        A transient error propagates and the message is retried: work already committed is
        skipped by the step itself. A message that has used half its soft time limit sends
        the files not yet started back to this stage's queue, with a fresh time budget,
        rather than run into the limit; files caught by the limit itself are rolled back
        and sent again one per message (one that runs into it alone fails).
        """
        batch, go_on, settings = list(file_ids), [], get_settings()
        deadline = time.monotonic() + settings.task_soft_time_limit / 2
        with shared_connection(settings.require_database_url()) as session:
            start = 0
            while start < len(batch):
                if start and time.monotonic() > deadline:
                    self.apply_async((batch[start:], label))
                    log.info("%s: %d files back on the queue (time budget)",
                             self.stage, len(batch) - start)
                    break
                chunk = batch[start:start + FILES_PER_TRANSACTION]
                try:
                    done, left = self.run_chunk(session, step, chunk, settings, deadline)
                except SoftTimeLimitExceeded as error:
                    # The signal may have cut a database exchange in half: drop that
                    # connection, use fresh ones.
                    _invalidate(session)
                    self.resend_or_fail(chunk, batch[start + len(chunk):], label, error)
                    break
                go_on += done
                if left:  # a large file, out of time: it goes on where it stopped
                    self.apply_async((left + batch[start + len(chunk):], label))
                    break
                start += len(chunk)
        return go_on

    def run_chunk(self, session: Session, step: Step, files: list[int], settings: Settings,
                  deadline: float) -> tuple[list[int], list[int]]:
        """``files`` through ``step``; a step that works on a large file's items a part at a
        time (``steps.CHUNKED``) runs one transaction after another while each does some of
        them: (the ids that go on, those left unfinished when the time budget ran out).
        Files whose items stop getting done are left to the reconciler."""
        go_on, pending, items_left = [], files, None
        while pending:
            go_on += self.run_together(session, step, pending, settings)
            if step not in steps.CHUNKED:
                break
            with session.begin():
                pending, left = steps.still_to_do(session, step, pending)
            if not pending or left == items_left:  # all done, or nothing done this time
                break
            items_left = left
            if time.monotonic() > deadline:
                return go_on, pending
        return go_on, []

    def run_together(self, session: Session, step: Step, files: list[int],
                     settings: Settings) -> list[int]:
        """``files`` in one transaction; should that fail with anything but a transient
        error or the time limit, each file in its own, so that a bad file fails alone."""
        try:
            with session.begin():
                return step(session, files, settings)
        except (*TRANSIENT_ERRORS, SoftTimeLimitExceeded):
            raise
        except Exception as error:  # one bad file must not hold up the others
            if len(files) == 1:
                log.exception("file %s failed in %s", files[0], self.stage)
                self.fail(files, error)
                return []
            log.info("%s: %d files failed together; each alone now", self.stage, len(files))
        finally:
            session.expunge_all()  # each transaction's rows are its own; let them go
        return [file_id for alone in files
                for file_id in self.run_together(session, step, [alone], settings)]

    def resend_or_fail(self, files: list[int], rest: list[int], label: str,
                       error: BaseException) -> None:
        """After the soft time limit: one file alone fails; several go back one per message;
        the message's files not yet started go back together."""
        if len(files) == 1:
            self.fail(files, error)
        else:
            for file_id in files:
                self.apply_async(([file_id], label))
        if rest:
            self.apply_async((rest, label))

    def report(self, file_ids: list[int], go_on: list[int], then: Task | None) -> str:
        """What the task did, as Flower shows it in its result: how many files went on, and
        the outcome of each file that stopped here (all of them at the last stage)."""
        going = set(go_on) if then is not None else set()
        ended = [file_id for file_id in file_ids if file_id not in going]
        parts = [f"{len(going)} on to {then.name.rsplit('.', 1)[-1]}"] if going else []
        if ended:
            with transaction(get_settings().require_database_url()) as session:
                parts += [f"{o.name}: {o.describe()}" for o in outcomes_of(session, ended)]
        return "; ".join(parts)


def _invalidate(session) -> None:
    try:
        session.connection().invalidate()
    except Exception:  # noqa: BLE001 (already unusable: nothing more to drop)
        log.debug("connection already gone", exc_info=True)


def _stage_task(queue: Queue, step: Step, then: Task | None) -> Task:
    """The Celery task of one stage: run ``step`` over the message's files, then hand the
    files that go on to the ``then`` stage's queue. Its doc is the step's (Flower shows it)."""

    def run(self: StageTask, file_ids: list[int], label: str = "") -> str:
        go_on = self.run_batch(step, file_ids, label)
        if then is not None and go_on:
            then.delay(go_on, label)
        return self.report(file_ids, go_on, then)

    run.__doc__ = step.__doc__  # before registering: Celery takes the task's doc from the function
    return app.task(run, bind=True, base=StageTask, name=f"newsflow.{queue}")


def _chained() -> list[Task]:
    """One task per stage queue, in ``steps.IN_ORDER``; made from the last back, so each
    task knows the one it feeds."""
    tasks: list[Task] = []
    for queue, step in reversed(list(zip(Queue, steps.IN_ORDER, strict=True))):
        tasks.insert(0, _stage_task(queue, step, tasks[0] if tasks else None))
    return tasks


ingest, parse, normalize, dedupe, store = _chained()
