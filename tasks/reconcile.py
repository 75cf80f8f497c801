"""Re-enqueue work that was lost, and give up on files that never finish.

A non-final file is in flight when a message for it waits in a stage queue or a live worker
holds it (running or prefetched, as the workers answer ``inspect``). A file neither in flight
nor touched for ``stale_seconds`` has lost its message: a worker died holding it, an enqueue
failed after its commit, the broker lost its queues. It is sent again at once, counting an
attempt, so recovery takes about ``stale_seconds`` plus a reconciler interval, not the
broker's visibility timeout. When the queues are too long to read, or no worker answers, the
old rule holds: files untouched for ``lease_seconds`` are re-sent once the queues are empty.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass

from kombu.exceptions import ChannelError

from models.db import transaction
from models.leases import claim_stale, give_up_exhausted, stale_files
from tasks.enqueue import send_files
from tasks.settings import Settings

log = logging.getLogger("newsflow.reconcile")
# Messages read to tell which files are queued; a longer backlog falls back to the lease.
READABLE_MESSAGES = 20_000
# How long busy workers get to say what they hold (their main process answers, not the pool).
INSPECT_SECONDS = 2.0


@dataclass(frozen=True)
class Reconciled:
    requeued: int
    failed: int
    backlog: int = 0


def queued_messages() -> int:
    """Messages waiting in the stage queues (not counting those workers hold)."""
    from tasks.app import Queue, app

    with app.connection_for_read() as connection:
        channel = connection.default_channel
        return sum(_length(channel, str(q)) for q in Queue)


def _length(channel, queue: str) -> int:
    try:
        return channel.queue_declare(queue, passive=True).message_count
    except ChannelError:  # not declared yet (no worker has started since Redis was emptied)
        return 0


def _message_files(raw: bytes) -> list[int]:
    """The file ids a queued task message carries (Celery's JSON protocol, kombu's envelope)."""
    envelope = json.loads(raw)
    body = envelope["body"]
    if envelope.get("properties", {}).get("body_encoding") == "base64":
        body = base64.b64decode(body)
    args = json.loads(body)[0]
    return [int(file_id) for file_id in args[0]] if args else []


def queued_files(settings: Settings) -> set[int] | None:
    """Files a message waits for in a stage queue; None when the queues are too long to read."""
    import redis

    from tasks.app import Queue

    client = redis.Redis.from_url(settings.require_redis_url())
    if sum(client.llen(str(q)) for q in Queue) > READABLE_MESSAGES:
        return None
    return {file_id for q in Queue for raw in client.lrange(str(q), 0, -1)
            for file_id in _message_files(raw)}


def held_files() -> set[int] | None:
    """Files the live workers hold (running or prefetched); None when no worker answered
    (none runs, or all are too busy to say in time): then nothing counts as lost but by the
    lease."""
    from tasks.app import app

    inspect = app.control.inspect(timeout=INSPECT_SECONDS)
    answers = (inspect.active(), inspect.reserved())
    if any(answer is None for answer in answers):
        return None
    return {int(file_id) for answer in answers for tasks in answer.values() for task in tasks
            for file_id in ((task.get("args") or [[]])[0] or [])}


def _in_flight(settings: Settings) -> set[int] | None:
    """Files queued or held; None when that cannot be known (see the callers)."""
    queued = queued_files(settings)
    held = held_files() if queued is not None else None
    return None if held is None else queued | held


def reconcile(settings: Settings) -> Reconciled:
    """One pass: lost files out of attempts fail, the others go back on the queue.

    The claim commits before the enqueue: a crash in between leaves the file stale again, for
    the next pass, never lost. Re-enqueueing starts at ingest; steps already committed are
    skipped, so the file resumes where it stopped. Each file goes alone: one that keeps
    killing its task must not take others down.
    """
    url = settings.require_database_url()
    with transaction(url) as session:
        candidates = stale_files(session, settings.stale_seconds)
    if not candidates:
        return Reconciled(0, 0)
    flight = _in_flight(settings)
    if flight is None:  # a backlog too long to read, or no worker said: the lease, once
        # the queues are empty
        if backlog := queued_messages():
            return Reconciled(0, 0, backlog)
        lost, seconds = None, settings.lease_seconds
    else:
        lost, seconds = [c for c in candidates if c not in flight], settings.stale_seconds
    with transaction(url) as session:
        failed = give_up_exhausted(session, seconds, settings.max_attempts, lost)
        stale = claim_stale(session, seconds, lost)
    for file in stale:
        send_files([file], settings)
    if stale or failed:
        log.info("reconciler: re-enqueued %d lost files, %d gave up", len(stale), failed)
    return Reconciled(len(stale), failed)
