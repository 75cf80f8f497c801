"""What each pipeline stage does to a message's files, inside the caller's one transaction.

These are the tasks' bodies without the broker: each takes a session and file ids, claims
the files in the ledger, calls the pure stage in ``stages/`` for each, writes through
``models/`` and returns the ids that go on to the next stage, in the order given. A file
whose work for the stage is committed already (a redelivered task) is not worked on again
and still goes on; a final file does not. So running any step twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Row
from sqlalchemy.orm import Session

from intake.files import quarantine, read_dropped_file
from models import articles, items
from models.ledger import claim_stage, finish
from models.staged import normalized_document
from models.tables import LedgerState, Stage
from stages.dedup.decide import content_sha256
from stages.items import DecodedPage, PageItem, StageError
from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.normalize import NormalizeConfig, normalize_item
from stages.words.enrich import enrich
from tasks.dedupe import link_items
from tasks.settings import Settings

T = TypeVar("T")


def ingest_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Decode the dropped files into page text; quarantine those that are not readable text."""
    claim = claim_stage(session, file_ids, Stage.INGESTED, attempt=True)
    pages, refused = _each_file(claim.files, lambda file: decode_page(
        read_dropped_file(file, settings.max_file_bytes, settings.quarantine_path), file.path))
    items.save_pages(session, pages)
    _quarantine_all(session, refused, None, settings)
    return claim.go_on(pages.keys())


def parse_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Split each page into articles and captions, saved in page order."""
    claim = claim_stage(session, file_ids, Stage.PARSED)
    texts = items.page_texts(session, claim.ids)
    parsed, refused = _each_file(claim.files, lambda file: _split(texts[file.id], file))
    items.save_items(session, parsed)
    _quarantine_all(session, refused, Stage.INGESTED, settings)
    return claim.go_on(parsed.keys())


def _each_file(files: list[Row], work: Callable[[Row], T]
               ) -> tuple[dict[int, T], list[tuple[Row, StageError]]]:
    """``work`` of each file, by id, and the files whose input it refused (``StageError``)."""
    done, refused = {}, []
    for file in files:
        try:
            done[file.id] = work(file)
        except StageError as error:
            refused.append((file, error))
    return done, refused


def _quarantine_all(session: Session, refused: list[tuple[Row, StageError]],
                    reached: Stage | None, settings: Settings) -> None:
    """Move refused files aside, after the others' work is written: should the transaction
    fail before that, no file it rolls back has left the inbox."""
    for file, error in refused:
        quarantine(session, file, reached, error, settings.quarantine_path)


def _split(text: str, file: Row) -> list[PageItem]:
    page = DecodedPage(text=text, encoding=file.encoding or "utf-8", format=file.format or "text")
    if not (items := split_document(page)):
        raise StageError("no_content", "the page holds no article text (only page furniture)")
    return items


def normalize_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Normalize every item to clean Simplified text; enrich those not stored already.

    An item whose normalized body an article already holds (a reprint, the same page again,
    a Traditional copy) becomes an occurrence of that article, so its tokens, keywords and
    entities would never be read: jieba is spent only on text that may become an article.
    """
    claim = claim_stage(session, file_ids, Stage.NORMALIZED)
    config = NormalizeConfig(opencc_config=settings.opencc_config)
    staged = items.file_items(session, claim.ids)
    normalized = [normalize_item(item.parsed, config) for item in staged]
    hashes = [content_sha256(item.body) for item in normalized]
    stored = articles.article_ids_by_hash(session, set(hashes))
    items.save_normalized(session, [
        (row, digest, normalized_document(item, None if digest in stored else enrich(item)))
        for row, item, digest in zip(staged, normalized, hashes, strict=True)])
    return claim.go_on(claim.ids)


def dedupe_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Give every item its article: an exact copy's, a near-duplicate's new row, or a new one."""
    claim = claim_stage(session, file_ids, Stage.DEDUPED)
    items.save_links(session, link_items(session, items.file_items(session, claim.ids), settings))
    return claim.go_on(claim.ids)


def store_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Record occurrences and entities, and put the files in their final state: ``stored``
    if it brought a new article, else ``duplicate``."""
    claimed = claim_stage(session, file_ids, Stage.STORED).ids
    new = items.store_file_items(session, claimed)
    for status, ids in ((LedgerState.STORED, [i for i in claimed if i in new]),
                        (LedgerState.DUPLICATE, [i for i in claimed if i not in new])):
        if ids:
            finish(session, ids, status)
    return []


# Every step, in the order a file goes through them (the tasks chain them the same way).
IN_ORDER = (ingest_files, parse_files, normalize_files, dedupe_files, store_files)
