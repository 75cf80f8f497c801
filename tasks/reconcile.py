"""Re-enqueue work that was lost, and give up on files that never finish."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kombu.exceptions import ChannelError

from models.db import transaction
from models.leases import claim_stale, give_up_exhausted
from tasks.enqueue import send_files
from tasks.settings import Settings

log = logging.getLogger("newsflow.reconcile")


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


def reconcile(settings: Settings) -> Reconciled:
    """One pass: stale files out of attempts fail, the others go back on the queue.

    Only when the queues are empty: a file waiting behind a backlog is not lost, only late,
    and must not use up its attempts. Under a backlog that never drains, lost messages wait
    for the next quiet moment (or a watcher restart, which re-enqueues every unfinished file).
    The claim commits before the enqueue: a crash in between leaves the file stale again,
    for the next pass, never lost. Re-enqueueing starts at ingest; steps already committed
    are skipped, so the file resumes where it stopped.
    """
    if backlog := queued_messages():
        return Reconciled(0, 0, backlog)
    with transaction(settings.require_database_url()) as session:
        failed = give_up_exhausted(session, settings.lease_seconds, settings.max_attempts)
        stale = claim_stale(session, settings.lease_seconds)
    for file in stale:  # alone: one that keeps killing its task must not take others down
        send_files([file], settings)
    if stale or failed:
        log.info("reconciler: re-enqueued %d stale files, %d gave up", len(stale), failed)
    return Reconciled(len(stale), failed)
