"""``newsflow watch DIR``: notice files dropped into DIR and hand each to the pipeline once.

watchdog reports creations, moves into DIR and modifications; a file is registered only when
its size and mtime have not changed for ``stability_seconds`` (a slow writer is still writing).
On start, every file already in DIR and every unfinished ledger row is enqueued, so nothing
dropped while the watcher was down is missed. Safety nets, because inotify drops events
silently when its queue overflows and brokers go away: a full rescan every
``rescan_interval``, the reconciler every ``reconcile_interval``, and a file whose
registration or enqueue failed stays pending and is tried again.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from intake import register as intake
from intake.policy import files_under, is_ignored
from intake.register import Intake
from tasks.enqueue import requeue_unfinished, send_files
from tasks.reconcile import reconcile
from tasks.settings import Settings

log = logging.getLogger("newsflow.watcher")


class PendingFiles:
    """Files noticed but not yet stable, with the (size, mtime) last seen and since when, and
    the files a writer has open: written to (inotify's IN_MODIFY) and not closed since
    (IN_CLOSE_WRITE). A file still open for writing is not ready however long it holds
    still, so a slow copy is registered once, whole; a writer silent for ``write_timeout``
    seconds counts as done (a close event lost when inotify's queue overflowed)."""

    def __init__(self, ignore: tuple[str, ...], write_timeout: float = 60.0) -> None:
        self._seen: dict[Path, tuple[tuple[int, float], float]] = {}
        self._writing: dict[Path, float] = {}
        self._lock = threading.Lock()
        self.ignore = ignore
        self.write_timeout = write_timeout

    def written(self, path: Path) -> None:
        """A writer wrote to ``path`` and has not closed it yet."""
        with self._lock:
            self._writing[path] = time.monotonic()
        self.notice(path)

    def closed(self, path: Path) -> None:
        """The writer closed ``path``: it may be complete once it holds still."""
        with self._lock:
            self._writing.pop(path, None)
        self.notice(path)

    def _open(self, path: Path, now: float) -> bool:
        since = self._writing.get(path)
        return since is not None and now - since < self.write_timeout

    def notice(self, path: Path) -> None:
        if path.is_symlink():
            log.warning("not following symlink %s", path)  # never read outside the inbox
        elif path.is_dir():
            for child in files_under(path, self.ignore):  # a directory moved in: one event
                self.notice(child)
        elif not path.is_file():
            if path.exists():  # a FIFO would block the reader; a device is not a page
                log.warning("skipping %s: not a regular file", path)
        elif not is_ignored(path, self.ignore):
            with self._lock:
                self._seen[path] = ((-1, -1.0), time.monotonic())

    def stable(self, wait: float) -> list[Path]:
        """Paths whose size and mtime held still for ``wait`` seconds; they leave the set."""
        now, ready = time.monotonic(), []
        with self._lock:
            for path, (last, since) in list(self._seen.items()):
                current = _fingerprint(path)
                if current is None:
                    del self._seen[path]  # gone again (a temp file renamed away)
                elif current != last:
                    self._seen[path] = (current, now)
                elif now - since >= wait and not self._open(path, now):
                    del self._seen[path]
                    self._writing.pop(path, None)
                    ready.append(path)
        return ready


def _fingerprint(path: Path) -> tuple[int, float] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_size, stat.st_mtime)


class InboxHandler(FileSystemEventHandler):
    """Events to the pending set. ``close_events``: the observer reports closes after
    writing (inotify does; polling does not, and then only stability counts)."""

    def __init__(self, pending: PendingFiles, close_events: bool = True) -> None:
        self.pending, self.close_events = pending, close_events

    def on_created(self, event: FileSystemEvent) -> None:
        self.pending.notice(Path(event.src_path))

    def on_modified(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            path = Path(event.src_path)
            if self.close_events:
                self.pending.written(path)
            else:
                self.pending.notice(path)

    def on_closed(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.pending.closed(Path(event.src_path))

    def on_moved(self, event: FileSystemEvent) -> None:
        self.pending.notice(Path(event.dest_path))


def register_ready(pending: PendingFiles, settings: Settings, failed: set[Path]) -> None:
    """Register the files that held still, a lot (``intake.lots``) to a transaction, and
    enqueue each lot once it commits (batches of ``settings.batch_files``); ``failed`` holds the
    files whose last try failed."""
    for lot in intake.lots(pending.stable(settings.stability_seconds)):
        _register_lot(lot, settings, pending, failed)


def _register_lot(lot: Sequence[Path], settings: Settings, pending: PendingFiles,
                  failed: set[Path]) -> None:
    """Register ``lot`` in one transaction and send what is new. A retry enqueues even a
    file whose ledger row exists already: the failure may have come between the
    registration's commit and the enqueue."""
    try:
        registered = intake.register_lot(lot, settings.require_database_url(), requeue=failed)
    except Exception as error:  # database away: keep every file of the lot, try again
        for path in lot:
            if path.exists():
                _retry_later(pending, failed, path, error)
        return
    failed.difference_update(lot)
    for path, error in registered.unreadable:  # unreadable for now: this file waits alone
        _retry_later(pending, failed, path, error)
    for _, file in registered.intakes:
        if not file.enqueued:  # rescans meet every finished file again: only news is INFO
            log.debug("file %s: %s %s", file.file_id, file.status, file.path)
    _send([(path, file) for path, file in registered.intakes if file.enqueued],
          settings, pending, failed)


def _send(ready: list[tuple[Path, Intake]], settings: Settings, pending: PendingFiles,
          failed: set[Path]) -> None:
    try:
        send_files([(intake.file_id, intake.path) for _, intake in ready], settings)
    except Exception as error:  # broker away: every file of the lot is tried again
        for path, _ in ready:
            _retry_later(pending, failed, path, error)
        return
    for _, file in ready:
        log.info("file %s: queued %s", file.file_id, file.path)


def _retry_later(pending: PendingFiles, failed: set[Path], path: Path, error: Exception) -> None:
    log.warning("cannot register %s yet (%s); will retry", path, error)
    failed.add(path)
    pending.notice(path)


def start_observer(inbox: Path, pending: PendingFiles, settings: Settings):
    observer = PollingObserver(timeout=1) if settings.polling else Observer()
    observer.schedule(InboxHandler(pending, close_events=not settings.polling), str(inbox),
                      recursive=True)
    try:
        observer.start()
    except OSError as error:
        if error.errno == errno.ENOSPC:  # inotify's per-user watch or instance limit
            raise SystemExit(
                f"cannot watch {inbox}: the inotify watch limit is reached ({error}). Raise "
                "fs.inotify.max_user_watches (sysctl) or set NEWSFLOW_POLLING=true."
            ) from error
        raise
    return observer


class Every:
    """True once every ``seconds``: the periodic safety nets share one loop."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.last = seconds, time.monotonic()

    def due(self) -> bool:
        if time.monotonic() - self.last < self.seconds:
            return False
        self.last = time.monotonic()
        return True


def _safely(what: str, action) -> None:
    try:
        action()
    except Exception as error:  # an outage must not stop the watcher; the next pass retries
        log.warning("%s failed: %s", what, error)


def watch(inbox: Path, settings: Settings, stop: threading.Event | None = None) -> None:
    """Run until ``stop`` is set (or forever): start-up scan, then react to events."""
    stop = stop or threading.Event()
    inbox.mkdir(parents=True, exist_ok=True)
    pending = PendingFiles(tuple(settings.ignore_patterns),
                           write_timeout=max(60.0, 30 * settings.stability_seconds))
    observer = start_observer(inbox, pending, settings)  # before the scan: nothing slips by
    _safely("re-enqueueing unfinished files", lambda: requeue_unfinished(settings))
    pending.notice(inbox)
    log.info("watching %s%s", inbox.absolute(), " (polling)" if settings.polling else "")
    rescan, reconciler = Every(settings.rescan_interval), Every(settings.reconcile_interval)
    failed: set[Path] = set()
    try:
        while not stop.wait(min(0.2, settings.stability_seconds / 2)):
            register_ready(pending, settings, failed)
            if rescan.due():
                pending.notice(inbox)
            if reconciler.due():
                _safely("reconciling", lambda: reconcile(settings))
    finally:
        observer.stop()
        observer.join()


def watch_with_view(inbox: Path, settings: Settings, database_url: str | None) -> None:
    """:func:`watch`, with the live view in front when ``database_url`` is given (the watcher
    runs in a thread; Ctrl-C stops both)."""
    if database_url is None:
        watch(inbox, settings)
        return
    from rich.console import Console

    from workers.live_view import run_view

    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(inbox, settings, stop), daemon=True)
    watcher.start()
    try:
        run_view(database_url, [("inbox", str(inbox.absolute()))], watcher.is_alive, Console())
    finally:
        stop.set()
        watcher.join(timeout=10)
