"""Files in: which files are pages, their publication dates, their ledger registration, reading
them back for ingest and moving bad ones to quarantine.

``policy`` (ignored names, regular files only), ``dates`` (path or sidecar dates), ``register``
(one ledger version per file, committed before anything is enqueued), ``files`` (hashing,
reading a dropped file as the version the ledger holds, quarantine). The only room besides
``workers/`` that touches the user's folders. May import ``models/`` and ``stages/``; never
Celery or the settings (callers pass URLs and limits).
"""
