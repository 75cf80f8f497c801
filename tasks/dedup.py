"""The dedupe step's database side: fingerprints in, one article id per item out.

The decision itself (is this a near-duplicate, of which article) is ``stages.fingerprint``'s;
this module fetches the candidates it judges and makes the outcome race-free across workers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from models import articles as repo
from models.tables import FileItem
from stages.fingerprint import (
    Candidate,
    MinHashConfig,
    band_keys,
    best_match,
    content_sha256,
    estimated_similarity,
    minhash_signature,
    signature_from_bytes,
    signature_to_bytes,
)
from tasks.rows import article_values
from tasks.settings import Settings


def minhash_config(settings: Settings) -> MinHashConfig:
    return MinHashConfig(threshold=settings.dedup_threshold)


def fingerprint_row(row: FileItem, config: MinHashConfig, min_chars: int) -> list[tuple[int, int]]:
    """Fill the row's content hash and signature; its (band, bucket) keys, none if too short."""
    body = row.normalized["item"]["body"]
    signature = minhash_signature(body, config)
    row.content_sha256 = content_sha256(body)
    row.signature = signature_to_bytes(signature)
    if len(body) < min_chars:
        return []  # too little text for a near-duplicate to mean anything; exact hash only
    return list(enumerate(band_keys(signature, config)))


@dataclass(frozen=True)
class _Stored:
    id: int
    signature: np.ndarray
    duplicate_of: int | None


class _Buckets:
    """The articles sharing an LSH bucket with one file's items: fetched once per file
    (signatures only), joined by the file's own new articles as they are inserted, with
    bodies fetched only for candidates whose signature estimate passes."""

    def __init__(self, session: Session, keys: list[tuple[int, int]], config: MinHashConfig):
        self.session, self.config = session, config
        self.by_key: dict[tuple[int, int], list[_Stored]] = defaultdict(list)
        self.bodies: dict[int, str] = {}
        for hit in repo.band_hits(session, keys):
            stored = _Stored(hit.id, signature_from_bytes(hit.signature), hit.duplicate_of)
            self.by_key[(hit.band, hit.bucket)].append(stored)

    def add(self, article: _Stored, body: str, keys: list[tuple[int, int]]) -> None:
        self.bodies[article.id] = body
        for key in keys:
            self.by_key[key].append(article)

    def closest(self, body: str, signature: np.ndarray,
                keys: list[tuple[int, int]]) -> tuple[int, float] | None:
        """(canonical id, similarity) of the best near-duplicate among the candidates."""
        found = {s.id: s for key in keys for s in self.by_key.get(key, ())}
        floor = self.config.estimate_floor
        close = [s for s in found.values() if estimated_similarity(signature, s.signature) >= floor]
        missing = [s.id for s in close if s.id not in self.bodies]
        self.bodies.update(repo.article_bodies(self.session, missing))
        candidates = [Candidate(s.id, self.bodies[s.id], s.signature) for s in close]
        match = best_match(body, signature, candidates, self.config)
        if match is None:
            return None
        return found[match.article_id].duplicate_of or match.article_id, match.similarity


def resolve_file_items(session: Session, rows: Sequence[FileItem], settings: Settings) -> None:
    """Assign every item of one file its article, holding the file's bucket locks throughout."""
    config = minhash_config(settings)
    # Items normalize found stored already need no fingerprint: their article exists.
    bands = {row.position: fingerprint_row(row, config, settings.dedup_min_chars)
             for row in rows if row.normalized["enrichment"] is not None}
    keys = [key for pairs in bands.values() for key in pairs]
    repo.lock_buckets(session, [bucket for _, bucket in keys])
    buckets = _Buckets(session, keys, config)
    stored = repo.article_ids_by_hash(
        session, [row.content_sha256 for row in rows if row.position not in bands])
    for row in rows:
        if row.position not in bands:  # normalize found its article stored already
            row.article_id, row.new_article = stored[row.content_sha256], False
        else:
            row.article_id, row.new_article = resolve_article(
                session, row, bands[row.position], buckets)


def resolve_article(
    session: Session, row: FileItem, keys: list[tuple[int, int]], buckets: _Buckets
) -> tuple[int, bool]:
    """(article id, whether it is new) for one item whose bucket locks are held."""
    values = article_values(row)
    body, signature = row.normalized["item"]["body"], signature_from_bytes(row.signature)
    match = buckets.closest(body, signature, keys)
    if match is not None:
        values["duplicate_of"], values["similarity"] = match
    new_id = repo.insert_article(session, values)
    if new_id is None:  # an exact copy: same normalized body, same article
        return repo.article_id_by_hash(session, row.content_sha256), False
    repo.save_bands(session, new_id, keys)
    buckets.add(_Stored(new_id, signature, values.get("duplicate_of")), body, keys)
    return new_id, True
