"""The database: tables (``tables``), engine and sessions once per process (``db``), and
repository functions that take and return typed rows.

``ledger`` and ``leases`` move files through their states, ``items`` writes what the steps
make of a file (``staged``: the typed rows), ``articles`` the articles and LSH bands dedupe
locks, looks up and inserts, ``search``, ``export`` and ``quarantine`` serve the commands.
May import SQLAlchemy, psycopg and ``stages/`` dataclasses; never Celery or the settings.
"""
