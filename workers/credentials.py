"""Secrets of the embedded stack, and URLs shown without them.

``newsflow up`` protects what it starts: the embedded Redis asks for a password and Flower for
basic auth. The secrets are generated once, kept in ``DATA_DIR/credentials.json`` (mode 0600,
in a 0700 folder) and reused on the next start, so bookmarks and a second terminal keep
working. Files that hold secrets are created private, never made private afterwards.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

FILE_NAME = "credentials.json"
FLOWER_USER = "newsflow"


@dataclass(frozen=True)
class Credentials:
    flower_user: str
    flower_password: str
    redis_password: str

    @property
    def flower_basic_auth(self) -> str:
        """The value of Flower's ``--basic-auth`` (``FLOWER_BASIC_AUTH``)."""
        return f"{self.flower_user}:{self.flower_password}"


def private_dir(path: Path) -> Path:
    """A folder only its owner may enter (created so, or narrowed if it exists)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file readable by its owner only, from its creation on."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)  # an older file may have been created with wider rights


def load_or_create(data_dir: Path) -> tuple[Credentials, bool]:
    """The stack's credentials, and whether they were generated just now."""
    path = data_dir / FILE_NAME
    try:
        return Credentials(**json.loads(path.read_text(encoding="utf-8"))), False
    except (FileNotFoundError, ValueError, TypeError):
        made = Credentials(FLOWER_USER, secrets.token_urlsafe(12), secrets.token_urlsafe(24))
        write_private(path, json.dumps(asdict(made)))
        return made, True


def masked(url: str) -> str:
    """The URL with its password replaced by ``***`` (for anything printed or logged)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}{port}"))
