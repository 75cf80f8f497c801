"""What each pipeline stage does to a message's files, inside the caller's one transaction.

These are the tasks' bodies without the broker: each takes a session and file ids, claims
the files in the ledger, calls the pure stage in ``stages/`` for each, writes through
``models/`` and returns the ids that go on to the next stage, in the order given. A file
whose work for the stage is committed already (a redelivered task) is not worked on again
and still goes on; a final file does not. So running any step twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from sqlalchemy import Row
from sqlalchemy.orm import Session

from intake.files import archive_lines, decode_dropped_file, quarantine
from models import articles, items
from models.ledger import Claim, advance_stage, claim_stage, finish, unfinished
from models.staged import normalized_document
from models.tables import LedgerState, Stage
from stages.dedup.decide import content_sha256
from stages.items import DecodedPage, PageItem, StageError
from stages.segment.split import archive_items, split_bounded
from stages.text.normalize import NormalizeConfig, normalize_item
from stages.words.enrich import enrich
from tasks.dedupe import link_items
from tasks.settings import Settings

T = TypeVar("T")
# A step: (session, file ids, settings) -> the ids that go on.
Step = Callable[..., list[int]]
# Items a transaction of the chunked steps works on at most: a file of 20,000 articles goes
# through normalize and dedupe in many short transactions, each holding little memory and
# few locks, its progress kept in its items' rows. Dedupe takes an advisory lock per LSH
# bucket, 32 per item: at most 512 a transaction, so a default lock table (64 x 100
# connections = 6,400 slots) holds a dozen pool processes deduping at once.
NORMALIZE_ITEMS = 200
DEDUPE_ITEMS = 16
# Items of a streamed archive per insert: the parse of any archive holds this many at a time.
ARCHIVE_ITEMS = 500


def ingest_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Decode the dropped files into page text; quarantine those that are not readable text."""
    claim = claim_stage(session, file_ids, Stage.INGESTED, attempt=True)
    pages, refused = _each_file(claim.files, lambda file: decode_dropped_file(
        file, settings.quarantine_path, settings.max_file_bytes, settings.max_archive_bytes))
    items.save_pages(session, pages)
    _quarantine_all(session, refused, None, settings)
    return claim.go_on(pages.keys())


def parse_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Split each page into articles and captions, saved in page order."""
    claim = claim_stage(session, file_ids, Stage.PARSED)
    pages = [file for file in claim.files if file.format != "jsonl"]
    texts = items.page_texts(session, [file.id for file in pages])
    parsed, refused = _each_file(pages, lambda file: _split(*texts[file.id], file, settings))
    items.save_items(session, parsed)
    archives, refused_archives = _each_file(
        [file for file in claim.files if file.format == "jsonl"],
        lambda file: _save_archive(session, file, settings))
    _quarantine_all(session, refused + refused_archives, Stage.INGESTED, settings)
    return claim.go_on([*parsed, *archives])


def batches(values: Iterable[T], size: int) -> Iterator[list[T]]:
    """``values`` in lists of ``size`` (the last may be shorter), drawn as they come."""
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


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
        quarantine(session, file, reached, error, settings.quarantine_path, settings.inbox)


def _split(text: str, layout: str | None, file: Row, settings: Settings) -> list[PageItem]:
    page = DecodedPage(text=text, encoding=file.encoding or "utf-8", format=file.format or "text",
                       layout=layout)
    if not (items := split_bounded(page, settings.max_item_chars)):
        raise StageError("no_content", "the page holds no article text (only page furniture)")
    return items


def _save_archive(session: Session, file: Row, settings: Settings) -> int:
    """Stream a JSON Lines archive's items into the database, ``ARCHIVE_ITEMS`` to a
    statement; how many. A refused archive leaves none of them (its savepoint rolls back)."""
    lines = archive_lines(file, settings.quarantine_path, settings.max_file_bytes)
    saved = 0
    with session.begin_nested():
        for batch in batches(archive_items(lines, settings.max_item_chars), ARCHIVE_ITEMS):
            items.save_items(session, {file.id: batch})
            saved += len(batch)
        if not saved:
            raise StageError("no_content", "the archive holds no items (only blank lines)")
        items.count_items(session, file.id)
    return saved


def normalize_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Normalize every item to clean Simplified text; enrich those not stored already.

    An item whose normalized body an article already holds (a reprint, the same page again,
    a Traditional copy) becomes an occurrence of that article, so its tokens, keywords and
    entities would never be read: jieba is spent only on text that may become an article.
    """
    claim = claim_stage(session, file_ids, Stage.NORMALIZED, move=False)
    config = NormalizeConfig(opencc_config=settings.opencc_config)
    staged = items.file_items(session, claim.ids, "normalize", NORMALIZE_ITEMS)
    normalized = [normalize_item(item.parsed, config) for item in staged]
    hashes = [content_sha256(item.body) for item in normalized]
    stored = articles.article_ids_by_hash(session, set(hashes))
    items.save_normalized(session, [
        (row, digest, normalized_document(item, None if digest in stored else enrich(item)))
        for row, item, digest in zip(staged, normalized, hashes, strict=True)])
    return _finished(session, claim, Stage.NORMALIZED, "normalize")


def dedupe_files(session: Session, file_ids: list[int], settings: Settings) -> list[int]:
    """Give every item its article: an exact copy's, a near-duplicate's new row, or a new one."""
    claim = claim_stage(session, file_ids, Stage.DEDUPED, move=False)
    staged = items.file_items(session, claim.ids, "dedupe", DEDUPE_ITEMS)
    items.save_links(session, link_items(session, staged, settings))
    return _finished(session, claim, Stage.DEDUPED, "dedupe")


def _finished(session: Session, claim: Claim, stage: Stage, pending: str) -> list[int]:
    """Move the files whose every item this step has done to ``stage``; those that go on.
    The others stay claimed at the stage before, for the next transaction to go on with."""
    left = items.files_pending(session, claim.ids, pending)
    done = [file_id for file_id in claim.ids if file_id not in left]
    advance_stage(session, done, stage)
    return claim.go_on(done)


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
# The steps that work through a large file's items a part a transaction: the stage each
# moves a file to once all are done, and which of its items' columns it fills.
CHUNKED = {normalize_files: (Stage.NORMALIZED, "normalize"),
           dedupe_files: (Stage.DEDUPED, "dedupe")}


def still_to_do(session: Session, step: Step, file_ids: list[int]) -> tuple[list[int], int]:
    """Of the files a chunked step worked on, those it has not finished, and how many of
    their items it has still to do (a step that makes no progress leaves it unchanged)."""
    stage, column = CHUNKED[step]
    open_ = unfinished(session, file_ids, stage)
    return open_, items.pending_count(session, open_, column)
