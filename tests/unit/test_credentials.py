"""Secrets of the embedded stack: private files, masked URLs, one-line errors."""

import stat

from sqlalchemy.exc import OperationalError

from tasks.settings import NotConfigured
from workers.credentials import load_or_create, masked
from workers.errors import explain


def test_credentials_are_generated_once_into_a_file_only_the_owner_can_read(tmp_path):
    made, new = load_or_create(tmp_path / "data")
    again, new_again = load_or_create(tmp_path / "data")
    assert new and not new_again and made == again
    assert len(made.redis_password) >= 24 and made.flower_password
    path = tmp_path / "data" / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_urls_are_shown_without_their_passwords():
    assert masked("redis://:s3cret@127.0.0.1:6390/0") == "redis://:***@127.0.0.1:6390/0"
    assert masked("postgresql://app:pw@db:5432/news") == "postgresql://app:***@db:5432/news"
    assert masked("postgresql://postgres@localhost:5432/x") == "postgresql://postgres@localhost:5432/x"


def test_errors_are_one_line_with_the_fix():
    assert "newsflow up" in explain(NotConfigured("No database: set NEWSFLOW_DATABASE_URL or start "
                                                  "the embedded stack with `newsflow up`."))
    lost = OperationalError("SELECT 1", {}, Exception("connection refused\nmore detail"))
    said = explain(lost)
    assert "\n" not in said and "cannot reach the database" in said and "newsflow doctor" in said
