"""The dedupe step's database side: fingerprints in, one article id per item out.

The decision itself (is this a near-duplicate, of which article) is ``stages.fingerprint``'s;
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
from stages.fingerprint import (
    Candidate,
    MinHashConfig,
    band_keys,
    best_match,
    content_sha256,
    could_match,
    minhash_signature,
    shingles,
    signature_from_bytes,
    signature_to_bytes,
)
from tasks.rows import article_values
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


@dataclass(frozen=True)
class _Stored:
    id: int
    signature: np.ndarray
    duplicate_of: int | None
    shingle_count: int | None  # None for articles stored before it was recorded


class _Buckets:
    """The articles sharing an LSH bucket with a message's items: fetched once (signatures
    only), joined by the items' own new articles as they are judged, with bodies fetched, in
    one query, only for candidates whose signature estimate passes."""

    def __init__(self, session: Session, items: list[_Fingerprint], config: MinHashConfig):
        self.session, self.config = session, config
        self.by_key: dict[tuple[int, int], list[_Stored]] = defaultdict(list)
        self.bodies: dict[int, str] = {}
        for hit in repo.band_hits(session, [key for item in items for key in item.keys]):
            stored = _Stored(hit.id, signature_from_bytes(hit.signature), hit.duplicate_of,
                             hit.shingle_count)
            for key in zip(hit.bands, hit.buckets, strict=True):
                self.by_key[key].append(stored)
        # A query per item judged was most of dedupe's statements; the estimates are cheap.
        self._fetch_bodies({id_ for item in items for id_ in self._close(item)})

    def _fetch_bodies(self, ids: set[int]) -> None:
        self.bodies.update(repo.article_bodies(self.session, ids - self.bodies.keys()))

    def _close(self, item: _Fingerprint) -> dict[int, _Stored]:
        """The candidates whose signature estimate leaves room for a match, by id."""
        found = {s.id: s for key in item.keys for s in self.by_key.get(key, ())}
        return {i: s for i, s in found.items() if could_match(
            item.signature, item.shingle_count, s.signature, s.shingle_count, self.config)}

    def add(self, article: _Stored, body: str, keys: Keys) -> None:
        self.bodies[article.id] = body
        for key in keys:
            self.by_key[key].append(article)

    def closest(self, body: str, item: _Fingerprint) -> tuple[int, float] | None:
        """(canonical id, similarity) of the best near-duplicate among the candidates."""
        close = self._close(item)
        self._fetch_bodies(set(close))  # fetched with the message's candidates: nothing, as a rule
        candidates = [Candidate(s.id, self.bodies[s.id], s.signature, s.shingle_count)
                      for s in close.values()]
        match = best_match(body, item.signature, candidates, self.config)
        if match is None:
            return None
        return close[match.article_id].duplicate_of or match.article_id, match.similarity


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
    buckets = _Buckets(session, judged, config)
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
    stored = _Stored(placeholder, item.signature, values["duplicate_of"], item.shingle_count)
    buckets.add(stored, body, item.keys)
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
