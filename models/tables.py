"""The tables. Schema changes go through a new Alembic migration in ``migrations/versions``.

``source_files`` is the ledger (one row per file version: path + content hash), ``file_items``
holds what the stages made of each file (one row per item, in page order), ``articles`` the
distinct stories and ``article_occurrences`` where each one appeared.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class LedgerState(StrEnum):
    """Where a dropped file is. The last four are final: a file ends in exactly one of them."""

    QUEUED = "queued"
    PROCESSING = "processing"
    STORED = "stored"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    FAILED = "failed"


FINAL_STATES = (
    LedgerState.STORED,
    LedgerState.DUPLICATE,
    LedgerState.QUARANTINED,
    LedgerState.FAILED,
)


class Stage(StrEnum):
    """The last stage whose work is committed for a file; a rerun skips what is done."""

    INGESTED = "ingested"
    PARSED = "parsed"
    NORMALIZED = "normalized"
    DEDUPED = "deduped"
    STORED = "stored"


STAGE_ORDER = list(Stage)


def _now() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


def _enum_check(column: str, values: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


class SourceFile(Base):
    __tablename__ = "source_files"
    __table_args__ = (
        # The name's exact bytes and the content: one version. Leads with the name: also the
        # index of the watcher's look-ups of known versions (migrations 0007, 0009).
        UniqueConstraint("path_bytes", "content_sha256", name="source_files_version_key"),
        _enum_check("status", LedgerState),
        _enum_check("stage", Stage),
        Index("source_files_status_idx", "status"),
        Index("source_files_updated_at_idx", "updated_at"),  # `newsflow status --watch`
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    path: Mapped[str] = mapped_column(Text, nullable=False)
    content_sha256: Mapped[str] = mapped_column(Text, nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    mtime: Mapped[float | None] = mapped_column(Float)
    encoding: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default=LedgerState.QUEUED)
    stage: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(Text)
    error_detail: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    item_count: Mapped[int | None] = mapped_column(Integer)
    quarantine_path: Mapped[str | None] = mapped_column(Text)
    # The exact name: POSIX names are bytes (``path`` shows one that is not UTF-8 with escapes).
    path_bytes: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    # A later version of the same name (the file rewritten, or noticed half-written) that
    # replaces this one: the published views count only versions not superseded.
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("source_files.id"))
    created_at: Mapped[datetime] = _now()
    updated_at: Mapped[datetime] = _now()
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # From the path or a sidecar <file>.json at registration (intake/dates.py); never guessed.
    published_on: Mapped[date | None] = mapped_column(Date)


class PageText(Base):
    """The decoded text of a file, so that later stages read the database, not the inbox."""

    __tablename__ = "page_texts"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # A PDF's type sizes, one per non-blank line of ``text`` (``DecodedPage.layout``); NULL
    # for a text page.
    layout: Mapped[str | None] = mapped_column(Text)


class FileItem(Base):
    """One article or caption of one file, as parsed, normalized and fingerprinted."""

    __tablename__ = "file_items"
    __table_args__ = (
        # The items normalize and dedupe have still to do, found without reading done ones
        # (a large file goes through them a part at a time; migration 0010).
        Index("file_items_to_normalize_idx", "file_id", "position",
              postgresql_where=text("normalized IS NULL")),
        Index("file_items_to_dedupe_idx", "file_id", "position",
              postgresql_where=text("article_id IS NULL")),
    )

    file_id: Mapped[int] = mapped_column(
        ForeignKey("source_files.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    kicker: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    roles: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    place: Mapped[str | None] = mapped_column(Text)
    body_original: Mapped[str] = mapped_column(Text, nullable=False)
    continued_from: Mapped[str | None] = mapped_column(Text)
    continued_to: Mapped[str | None] = mapped_column(Text)
    confident: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    page: Mapped[int | None] = mapped_column(Integer)  # a PDF's page, from 1 (migration 0011)
    # Filled by the normalize stage: NormalizedItem and Enrichment fields, as JSON.
    normalized: Mapped[dict | None] = mapped_column(JSONB)
    # Filled by the dedupe stage.
    content_sha256: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    new_article: Mapped[bool | None] = mapped_column(Boolean)


class Article(Base):
    """One distinct story. A near-duplicate is its own row pointing at its canonical."""

    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint("kind IN ('article', 'photo')", name="kind_valid"),
        Index("articles_duplicate_of_idx", "duplicate_of"),
        Index("articles_search_idx", "search", postgresql_using="gin"),
        # Substring search (migration 0008): character bigrams of the stored text, through
        # the database function that ``newsflow_search`` also uses to build its query.
        Index("articles_grams_idx", text("newsflow_grams(title, subtitle, body)"),
              postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    kicker: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    authors: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    place: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    body_original: Mapped[str] = mapped_column(Text, nullable=False)
    content_sha256: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    script: Mapped[str | None] = mapped_column(Text)
    quality_flags: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, server_default="{}"
    )
    quality_score: Mapped[float | None] = mapped_column(Float)
    keywords: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    char_count: Mapped[int | None] = mapped_column(Integer)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Distinct 5-gram shingles of the body: dedupe's size-aware prefilter (NULL before 0005).
    shingle_count: Mapped[int | None] = mapped_column(Integer)
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    similarity: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = _now()
    # jieba search tokens, `simple` configuration: title weight A, text B (models/search.py).
    search: Mapped[str | None] = mapped_column(TSVECTOR, deferred=True)  # not loaded with rows


class ArticleOccurrence(Base):
    """Where an article appeared: one row per file and position, so nothing is lost."""

    __tablename__ = "article_occurrences"
    __table_args__ = (
        UniqueConstraint("file_id", "position", name="article_occurrences_place_key"),
        Index("article_occurrences_article_idx", "article_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), nullable=False)
    file_id: Mapped[int] = mapped_column(ForeignKey("source_files.id"), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = _now()
    page: Mapped[int | None] = mapped_column(Integer)  # a PDF's page, from 1 (migration 0011)


class ArticleEntity(Base):
    """A named entity jieba found in an article, with how often it occurs."""

    __tablename__ = "article_entities"
    __table_args__ = (
        CheckConstraint("type IN ('place', 'person', 'organization')", name="type_valid"),
        Index("article_entities_text_idx", "text"),
    )

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text, primary_key=True)
    type: Mapped[str] = mapped_column(Text, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)


class ArticleBand(Base):
    """One LSH bucket of an article's MinHash signature; candidates share a (band, bucket)."""

    __tablename__ = "article_bands"

    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
