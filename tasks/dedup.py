"""The dedupe step's database side: fingerprints in, one article id per item out.

The decision itself (is this a near-duplicate, of which article) is ``stages.dedup.decide``'s;
this module fetches the candidates it judges and makes the outcome race-free across workers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
from sqlalchemy.orm import Session

from models import articles as repo
from models.staged import article_values
from stages.dedup.decide import (
    SIGNATURE_DTYPE,
    Candidate,
    MinHashConfig,
    band_keys,
    best_match,
    close_candidates,
    content_sha256,
    minhash_signature,
    shingles,
    signature_to_bytes,
    signatures_from_bytes,
)
from tasks.settings import Settings


def minhash_config(settings: Settings) -> MinHashConfig:
    return MinHashConfig(threshold=settings.dedup_threshold)


Keys = list[tuple[int, int]]


@dataclass(frozen=True)
class _Fingerprint:
    """What dedupe compares an item by."""

    signature: np.ndarray
    keys: Keys  # its LSH (band, bucket) keys; none for a body too short to compare
    shingle_count: int  # the size of its shingle set: sharpens the prefilter, stored with it


def fingerprint_row(row: SimpleNamespace, config: MinHashConfig, min_chars: int) -> _Fingerprint:
    """The row's fingerprint (its signature also goes on the row)."""
    body = row.normalized["item"]["body"]
    signature = minhash_signature(body, config)
    if row.content_sha256 is None:  # normalize hashes bodies; rows it wrote before that did not
        row.content_sha256 = content_sha256(body)
    row.signature = signature_to_bytes(signature)
    # Too little text for a near-duplicate to mean anything: exact hash only.
    keys = [] if len(body) < min_chars else list(enumerate(band_keys(signature, config)))
    return _Fingerprint(signature, keys, len(shingles(body, config.shingle_size)))


class _Buckets:
    """The articles sharing an LSH bucket with a message's items, as arrays: fetched once
    (signatures only), joined by the items' own new articles as they are judged, with bodies
    fetched, in one query, only for candidates whose signature estimate passes.

    Row ``r`` is one article: ``ids[r]`` (negative: a placeholder for an article of this
    message not inserted yet), ``signatures[r]``, ``counts[r]`` (its shingle-set size, 0
    when it was stored before sizes were) and ``canonical[r]`` (what it duplicates, 0 for
    none). A templated archive brings back thousands of candidates per message; judging
    them a row at a time in Python cost more than the look-up itself.
    """

    def __init__(self, session: Session, items: list[_Fingerprint], config: MinHashConfig,
                 per_bucket: int):
        self.session, self.config = session, config
        hits = repo.band_hits(session, [key for item in items for key in item.keys], per_bucket)
        capacity = len(hits) + len(items)  # room for every item to become an article
        self.ids = np.zeros(capacity, np.int64)
        self.canonical = np.zeros(capacity, np.int64)
        self.counts = np.zeros(capacity, np.int64)
        self.signatures = np.zeros((capacity, config.num_perm), SIGNATURE_DTYPE)
        self.size = len(hits)
        self.by_key: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.bodies: dict[int, str] = {}
        self.signatures[:self.size] = signatures_from_bytes([hit.signature for hit in hits],
                                                             config)
        self.ids[:self.size] = [hit.id for hit in hits]
        self.canonical[:self.size] = [hit.duplicate_of or 0 for hit in hits]
        self.counts[:self.size] = [hit.shingle_count or 0 for hit in hits]
        for row, hit in enumerate(hits):
            for key in zip(hit.bands, hit.buckets, strict=True):
                self.by_key[key].append(row)
        # A query per item judged was most of dedupe's statements; the estimates are cheap.
        self._fetch_bodies({int(id_) for item in items for id_ in self.ids[self._close(item)]})

    def _fetch_bodies(self, ids: set[int]) -> None:
        self.bodies.update(repo.article_bodies(self.session, ids - self.bodies.keys()))

    def _close(self, item: _Fingerprint) -> np.ndarray:
        """The rows whose signature estimate leaves room for a match, in row order."""
        rows = np.unique(np.fromiter(
            (row for key in item.keys for row in self.by_key.get(key, ())), np.int64))
        return rows[close_candidates(item.signature, item.shingle_count, self.signatures[rows],
                                     self.counts[rows], self.config)]

    def add(self, placeholder: int, canonical: int | None, body: str, item: _Fingerprint) -> None:
        """A new article of this message, a candidate for the items judged after it."""
        row, self.size = self.size, self.size + 1
        self.ids[row], self.canonical[row] = placeholder, canonical or 0
        self.counts[row], self.signatures[row] = item.shingle_count, item.signature
        self.bodies[placeholder] = body
        for key in item.keys:
            self.by_key[key].append(row)

    def closest(self, body: str, item: _Fingerprint) -> tuple[int, float] | None:
        """(canonical id, similarity) of the best near-duplicate among the candidates."""
        close = {int(self.ids[row]): row for row in self._close(item)}
        self._fetch_bodies(set(close))  # fetched with the message's candidates: nothing, as a rule
        candidates = [Candidate(id_, self.bodies[id_], self.signatures[row],
                                int(self.counts[row]) or None) for id_, row in close.items()]
        match = best_match(body, item.signature, candidates, self.config)
        if match is None:
            return None
        return int(self.canonical[close[match.article_id]]) or match.article_id, match.similarity


@dataclass
class _NewArticle:
    """An item that becomes an article, before the insert gives it its id."""

    row: SimpleNamespace
    keys: Keys
    values: dict
    placeholder: int  # negative: stands for the id in the message's candidate index


def resolve_items(session: Session, rows: Sequence[SimpleNamespace], settings: Settings) -> None:
    """Assign every item (the rows of a message's files, in order) its article, and write
    the rows' links.

    The items are judged in order against the stored candidates and every earlier item's new
    article, of its own file or an earlier one, holding all their bucket locks throughout
    (taken at once, in one sorted statement: two workers locking file by file could each
    hold a bucket the other's next file waits for). Then the new articles and their bands
    are inserted, and the links written, in one statement each.
    """
    config = minhash_config(settings)
    # Items normalize found stored already need no fingerprint: their article exists.
    prints = [fingerprint_row(row, config, settings.dedup_min_chars)
              if row.normalized["enrichment"] is not None else None for row in rows]
    judged = [item for item in prints if item is not None]
    repo.lock_buckets(session, [bucket for item in judged for _, bucket in item.keys])
    buckets = _Buckets(session, judged, config, settings.dedup_bucket_candidates)
    new: dict[str, _NewArticle] = {}  # by content hash: a body twice is one article
    for row, item in zip(rows, prints, strict=True):
        if item is not None and row.content_sha256 not in new:
            new[row.content_sha256] = _judge(row, item, buckets, -1 - len(new))
    created, ids = _insert(session, list(new.values()))
    ids |= repo.article_ids_by_hash(session, {row.content_sha256 for row in rows} - ids.keys())
    for row in rows:
        row.article_id = ids[row.content_sha256]
        row.new_article = row.content_sha256 in created and new[row.content_sha256].row is row
    repo.save_links(session, rows)


def _judge(row: SimpleNamespace, item: _Fingerprint, buckets: _Buckets,
           placeholder: int) -> _NewArticle:
    """The article row an item would become: a near-duplicate of its closest candidate or not."""
    values = article_values(row) | {"duplicate_of": None, "similarity": None,
                                    "shingle_count": item.shingle_count}
    body = row.normalized["item"]["body"]
    match = buckets.closest(body, item)
    if match is not None:
        values["duplicate_of"], values["similarity"] = match
    buckets.add(placeholder, values["duplicate_of"], body, item)
    return _NewArticle(row, item.keys, values, placeholder)


def _insert(session: Session, articles: list[_NewArticle]) -> tuple[set[str], dict[str, int]]:
    """Insert the new articles and their bands: (content hashes inserted, hash -> id).

    A near-duplicate of an earlier item's new article points at a placeholder until the
    insert gives that article its id; it is linked by a second statement (rare).
    """
    pointing = {a.placeholder: a.values.pop("duplicate_of") for a in articles}
    inserted = repo.insert_articles(session, [
        a.values | {"duplicate_of": canonical if canonical is None or canonical > 0 else None}
        for a, canonical in zip(articles, pointing.values(), strict=True)])
    # A body stored by another worker since normalize is that worker's article (a race).
    final = inserted | repo.article_ids_by_hash(
        session, {a.row.content_sha256 for a in articles} - inserted.keys())
    real = {a.placeholder: final[a.row.content_sha256] for a in articles}
    new_ids = {real[a.placeholder] for a in articles if a.row.content_sha256 in inserted}
    repo.set_duplicate_of(session, {
        real[placeholder]: real[canonical] for placeholder, canonical in pointing.items()
        if canonical is not None and canonical < 0 and real[placeholder] in new_ids})
    repo.save_bands(session, {real[a.placeholder]: a.keys for a in articles
                              if real[a.placeholder] in new_ids})
    return set(inserted), final
