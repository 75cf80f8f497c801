"""What each pipeline stage does to one file, inside the caller's transaction.

These are the tasks' bodies without the broker: each takes a session and a file id, calls
the pure stage in ``stages/``, writes through ``models/`` and returns whether the next stage
should run. A step that finds its work already committed (a redelivered task) does nothing
and still lets the chain go on, so running any step twice changes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import articles as repo
from models.ledger import advance, finish, is_final, lock_file, stage_done
from models.tables import LedgerState, SourceFile, Stage
from stages.decode import decode_page
from stages.enrich import enrich
from stages.fingerprint import content_sha256
from stages.items import DecodedPage, StageError
from stages.normalize import NormalizeConfig, normalize_item
from stages.segment import split_document
from tasks import dedup, rows
from tasks.files import quarantine, read_dropped_file
from tasks.settings import Settings


def _pending(session: Session, file_id: int, stage: Stage) -> tuple[SourceFile | None, bool]:
    """(locked file, go on): the file when ``stage`` still has work to do for it."""
    file = lock_file(session, file_id)
    if file is None or is_final(file):
        return None, False
    if stage_done(file, stage):
        return None, True
    return file, True


def ingest_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Decode the dropped file into page text; quarantine it when it is not readable text."""
    file, go_on = _pending(session, file_id, Stage.INGESTED)
    if file is None:
        return go_on
    file.attempts += 1
    try:
        data = read_dropped_file(file, settings.max_file_bytes)
        page = decode_page(data, file.path)
    except StageError as error:
        quarantine(file, error, settings.quarantine_path)
        return False
    repo.save_page_text(session, file_id, page.text)
    file.encoding, file.format = page.encoding, page.format
    advance(file, Stage.INGESTED)
    return True


def parse_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Split the page into articles and captions, saved in page order."""
    file, go_on = _pending(session, file_id, Stage.PARSED)
    if file is None:
        return go_on
    page = _decoded_page(session, file)
    try:
        items = split_document(page)
        if not items:
            raise StageError("no_content", "the page holds no article text (only page furniture)")
    except StageError as error:
        quarantine(file, error, settings.quarantine_path)
        return False
    repo.save_items(session, file_id, [rows.item_row(item) for item in items])
    file.item_count = len(items)
    advance(file, Stage.PARSED)
    return True


def normalize_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Normalize every item to clean Simplified text; enrich those not stored already.

    An item whose normalized body an article already holds (a reprint, the same page again,
    a Traditional copy) becomes an occurrence of that article, so its tokens, keywords and
    entities would never be read: jieba is spent only on text that may become an article.
    """
    file, go_on = _pending(session, file_id, Stage.NORMALIZED)
    if file is None:
        return go_on
    config = NormalizeConfig(opencc_config=settings.opencc_config)
    items = repo.file_items(session, file_id)
    normalized = [normalize_item(rows.page_item(row), config) for row in items]
    for row, item in zip(items, normalized, strict=True):
        row.content_sha256 = content_sha256(item.body)
    stored = repo.article_ids_by_hash(session, {row.content_sha256 for row in items})
    for row, item in zip(items, normalized, strict=True):
        enrichment = None if row.content_sha256 in stored else enrich(item).to_dict()
        row.normalized = {"item": item.to_dict(), "enrichment": enrichment}
    advance(file, Stage.NORMALIZED)
    return True


def dedupe_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Give every item its article: an exact copy's, a near-duplicate's new row, or a new one."""
    file, go_on = _pending(session, file_id, Stage.DEDUPED)
    if file is None:
        return go_on
    dedup.resolve_file_items(session, repo.file_items(session, file_id), settings)
    advance(file, Stage.DEDUPED)
    return True


def store_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Record occurrences and entities, and put the file in its final state."""
    file, _ = _pending(session, file_id, Stage.STORED)
    if file is None:
        return False
    items = repo.item_links(session, file_id)
    repo.save_occurrences(session, file_id, [(item.position, item.article_id) for item in items])
    repo.save_entities(session, {item.article_id: item.entities
                                 for item in items if item.new_article})
    file.stage = Stage.STORED
    new = any(item.new_article for item in items)
    finish(file, LedgerState.STORED if new else LedgerState.DUPLICATE)
    return False


def _decoded_page(session: Session, file: SourceFile) -> DecodedPage:
    text = repo.page_text(session, file.id)
    return DecodedPage(text=text, encoding=file.encoding or "utf-8", format=file.format or "text")
