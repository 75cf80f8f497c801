"""What each pipeline stage does to one file, inside the caller's transaction.

These are the tasks' bodies without the broker: each takes a session and a file id, calls
the pure stage in ``stages/``, writes through ``models/`` and returns whether the next stage
should run. A step that finds its work already committed (a redelivered task) does nothing
and still lets the chain go on, so running any step twice changes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import articles as repo
from models.ledger import claim_stage, finish
from models.tables import LedgerState, Stage
from stages.decode import decode_page
from stages.enrich import enrich
from stages.fingerprint import content_sha256
from stages.items import DecodedPage, StageError
from stages.normalize import NormalizeConfig, normalize_item
from stages.segment import split_document
from tasks import dedup, rows
from tasks.files import quarantine, read_dropped_file
from tasks.settings import Settings


def ingest_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Decode the dropped file into page text; quarantine it when it is not readable text."""
    claim = claim_stage(session, file_id, Stage.INGESTED, attempt=True)
    if (file := claim.file) is None:
        return claim.go_on
    try:
        data = read_dropped_file(file, settings.max_file_bytes)
        page = decode_page(data, file.path)
    except StageError as error:
        quarantine(session, file, None, error, settings.quarantine_path)
        return False
    repo.save_page(session, file_id, page)
    return True


def parse_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Split the page into articles and captions, saved in page order."""
    claim = claim_stage(session, file_id, Stage.PARSED)
    if (file := claim.file) is None:
        return claim.go_on
    page = DecodedPage(text=repo.page_text(session, file_id), encoding=file.encoding or "utf-8",
                       format=file.format or "text")
    try:
        items = split_document(page)
        if not items:
            raise StageError("no_content", "the page holds no article text (only page furniture)")
    except StageError as error:
        quarantine(session, file, Stage.INGESTED, error, settings.quarantine_path)
        return False
    repo.save_items(session, file_id, [rows.item_row(item) for item in items])
    return True


def normalize_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Normalize every item to clean Simplified text; enrich those not stored already.

    An item whose normalized body an article already holds (a reprint, the same page again,
    a Traditional copy) becomes an occurrence of that article, so its tokens, keywords and
    entities would never be read: jieba is spent only on text that may become an article.
    """
    claim = claim_stage(session, file_id, Stage.NORMALIZED)
    if claim.file is None:
        return claim.go_on
    config = NormalizeConfig(opencc_config=settings.opencc_config)
    items = repo.file_items(session, file_id)
    normalized = [normalize_item(rows.page_item(row), config) for row in items]
    hashes = [content_sha256(item.body) for item in normalized]
    stored = repo.article_ids_by_hash(session, set(hashes))
    repo.save_normalized(session, file_id, [
        (row.position, digest, rows.normalized_json(item, None if digest in stored else enrich(item)))
        for row, item, digest in zip(items, normalized, hashes, strict=True)])
    return True


def dedupe_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Give every item its article: an exact copy's, a near-duplicate's new row, or a new one."""
    claim = claim_stage(session, file_id, Stage.DEDUPED)
    if claim.file is None:
        return claim.go_on
    dedup.resolve_file_items(session, repo.file_items(session, file_id), settings)
    return True


def store_file(session: Session, file_id: int, settings: Settings) -> bool:
    """Record occurrences and entities, and put the file in its final state."""
    if claim_stage(session, file_id, Stage.STORED).file is None:
        return False
    new = repo.store_file_items(session, file_id)
    finish(session, file_id, LedgerState.STORED if new else LedgerState.DUPLICATE)
    return False
