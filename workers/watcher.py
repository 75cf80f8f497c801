"""``newsflow watch DIR``: notice files dropped into DIR and hand each to the pipeline once.

watchdog reports creations, moves into DIR and modifications; a file is registered only when
its size and mtime have not changed for ``stability_seconds`` (a slow writer is still writing).
On start, every file already in DIR and every unfinished ledger row is enqueued, so nothing
dropped while the watcher was down is missed.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from tasks.intake import files_under, is_ignored, register_path, requeue_unfinished
from tasks.settings import Settings

log = logging.getLogger("newsflow.watcher")


class PendingFiles:
    """Files noticed but not yet stable, with the (size, mtime) last seen and since when."""

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[tuple[int, float], float]] = {}
        self._lock = threading.Lock()

    def notice(self, path: Path) -> None:
        if path.is_dir():
            for child in files_under(path):  # a directory moved in arrives as one event
                self.notice(child)
        elif not is_ignored(path):
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
                elif now - since >= wait:
                    del self._seen[path]
                    ready.append(path)
        return ready


def _fingerprint(path: Path) -> tuple[int, float] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_size, stat.st_mtime)


class InboxHandler(FileSystemEventHandler):
    def __init__(self, pending: PendingFiles) -> None:
        self.pending = pending

    def on_created(self, event: FileSystemEvent) -> None:
        self.pending.notice(Path(event.src_path))

    def on_modified(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            self.pending.notice(Path(event.src_path))

    def on_moved(self, event: FileSystemEvent) -> None:
        self.pending.notice(Path(event.dest_path))


def register_ready(pending: PendingFiles, settings: Settings) -> None:
    for path in pending.stable(settings.stability_seconds):
        try:
            intake = register_path(path, settings)
        except FileNotFoundError:
            continue
        log.info("file %s: %s %s", intake.file_id, intake.status, intake.path)


def watch(inbox: Path, settings: Settings, stop: threading.Event | None = None) -> None:
    """Run until ``stop`` is set (or forever): start-up scan, then react to events."""
    stop = stop or threading.Event()
    inbox.mkdir(parents=True, exist_ok=True)
    pending = PendingFiles()
    observer = Observer()
    observer.schedule(InboxHandler(pending), str(inbox), recursive=True)
    observer.start()  # before the scan, so a file dropped during the scan is not missed
    log.info("re-enqueued %d unfinished files", requeue_unfinished(settings))
    pending.notice(inbox)
    log.info("watching %s", inbox.absolute())
    try:
        while not stop.wait(min(0.2, settings.stability_seconds / 2)):
            register_ready(pending, settings)
    finally:
        observer.stop()
        observer.join()
