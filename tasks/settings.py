"""The one typed settings object: every knob newsflow has, read from ``NEWSFLOW_*`` variables.

It lives in ``tasks/`` (not ``workers/``) because the Celery app is configured from it and the
house's arrows point only down: workers → tasks → models → stages. ``models/`` takes URLs as
arguments and never reads settings.

Stages and tasks never read the environment; they receive values from here.
When no database or Redis URL is configured, the URLs of the embedded stack that
``newsflow up`` started (recorded in ``DATA_DIR/stack.json``) are used, so a second
terminal can run ``newsflow status`` or ``newsflow ingest`` against it.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from intake.policy import IGNORED_PATTERNS


class NotConfigured(RuntimeError):
    """No database or broker URL is set and no embedded stack is running."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_", env_file=".env", extra="ignore")

    database_url: str | None = Field(None, description="SQLAlchemy URL (postgresql+psycopg://…)")
    redis_url: str | None = Field(None, description="Broker URL (redis://host:port/db)")
    inbox: Path = Field(Path("inbox"), description="Folder the watcher watches")
    data_dir: Path = Field(Path(".newsflow"), description="Embedded servers' data, quarantine")
    quarantine_dir: Path | None = Field(None, description="Where bad files go (DATA_DIR/quarantine)")
    stability_seconds: float = Field(1.0, description="Size and mtime unchanged this long = complete")
    max_file_bytes: int = Field(50 * 1024 * 1024, description="Larger pages are quarantined unread")
    max_archive_bytes: int = Field(
        4 * 1024**3, description="Larger JSON Lines archives are quarantined unread (they stream)")
    max_item_chars: int = Field(
        50_000, ge=1000, description="A page with a longer item is quarantined (item_too_long)")
    opencc_config: str = Field("t2s", description="OpenCC config for Traditional: t2s, tw2s or hk2s")
    dedup_threshold: float = Field(0.8, description="Jaccard similarity of a near-duplicate")
    dedup_min_chars: int = Field(50, description="Shorter bodies are deduplicated exactly only")
    # A crowded bucket holds a templated story's issues; its newest say what the family is
    # like, and an old member stays reachable through its own buckets (docs/dedup.md, Scale).
    dedup_bucket_candidates: int = Field(
        16, ge=1, description="Newest articles of an LSH bucket a body is compared with")
    task_soft_time_limit: int = Field(240, description="Seconds before a task is asked to stop")
    task_time_limit: int = Field(300, description="Seconds before a task is killed")
    visibility_timeout: int = Field(
        360, description="Redis redelivers a message a dead worker held after this (> task_time_limit)")
    max_retries: int = Field(8, description="Retries of a task on transient DB/broker errors")
    batch_files: int = Field(
        8, ge=1, description="Files per task message when several are ready at once (a backlog)")
    worker_concurrency: int = Field(os.cpu_count() or 1, description="Worker processes per worker")
    worker_max_memory_mb: int = Field(
        1024, ge=1, description="A pool process whose RSS passes this is replaced after its task")
    stale_seconds: float = Field(
        30, description="A non-final file untouched this long, with no message queued or held, is re-sent")
    lease_seconds: float = Field(
        600, description="With a backlog too long to inspect: untouched this long, once queues drain")
    reconcile_interval: float = Field(15, description="Seconds between the watcher's reconciler runs")
    max_attempts: int = Field(5, description="Re-enqueues before a stuck file is marked failed")
    rescan_interval: float = Field(300, description="Full inbox rescan, a net under lost fs events")
    polling: bool = Field(False, description="Poll the inbox instead of inotify (network filesystems)")
    ignore_patterns: list[str] = Field(
        list(IGNORED_PATTERNS),
        description="Names the watcher ignores: files still being written under a temporary name",
    )
    flower_address: str = Field("127.0.0.1", description="Flower binds here")
    flower_port: int = Field(5555, description="Flower port")

    @model_validator(mode="after")
    def _redelivery_after_the_time_limit(self) -> Settings:
        # Redis gives an unacknowledged message to another worker after the visibility
        # timeout: a task still running then would run twice at once.
        if self.visibility_timeout <= self.task_time_limit:
            raise ValueError(f"NEWSFLOW_VISIBILITY_TIMEOUT ({self.visibility_timeout}) must be "
                             f"longer than NEWSFLOW_TASK_TIME_LIMIT ({self.task_time_limit})")
        return self

    @property
    def stack_file(self) -> Path:
        return self.data_dir / "stack.json"

    @property
    def quarantine_path(self) -> Path:
        return self.quarantine_dir or self.data_dir / "quarantine"

    def embedded_urls(self) -> dict[str, str]:
        """URLs a running ``newsflow up`` recorded, or {} when none is running."""
        try:
            return json.loads(self.stack_file.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def resolved_url(self, name: str) -> str | None:
        """``database_url`` or ``redis_url``: configured, else the running embedded stack's."""
        return getattr(self, name) or self.embedded_urls().get(name)

    def _require(self, name: str, what: str) -> str:
        url = self.resolved_url(name)
        if not url:
            raise NotConfigured(f"No {what}: set NEWSFLOW_{name.upper()} or start the embedded "
                                "stack with `newsflow up`.")
        return url

    def require_database_url(self) -> str:
        return self._require("database_url", "database")

    def require_redis_url(self) -> str:
        return self._require("redis_url", "broker")


@cache
def get_settings() -> Settings:
    """The process-wide settings (read once; tests clear the cache to re-read)."""
    return Settings()
