"""The dedupe step's database side: fingerprints in, one article id per item out.

The decision itself (is this a near-duplicate, of which article) is ``stages.fingerprint``'s;
this module fetches the candidates it judges and makes the outcome race-free across workers.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row
from sqlalchemy.orm import Session

from models import articles as repo
from models.tables import FileItem
from stages.fingerprint import (
    Candidate,
    MinHashConfig,
    band_keys,
    best_match,
    content_sha256,
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


def resolve_file_items(session: Session, rows: Sequence[FileItem], settings: Settings) -> None:
    """Assign every item of one file its article, holding the file's bucket locks throughout."""
    config = minhash_config(settings)
    bands = {row.position: fingerprint_row(row, config, settings.dedup_min_chars) for row in rows}
    repo.lock_buckets(session, [key for pairs in bands.values() for _, key in pairs])
    for row in rows:
        row.article_id, row.new_article = resolve_article(session, row, bands[row.position], config)


def resolve_article(
    session: Session, row: FileItem, bands: list[tuple[int, int]], config: MinHashConfig
) -> tuple[int, bool]:
    """(article id, whether it is new) for one item whose bucket locks are held."""
    values = article_values(row)
    match = _closest_earlier_article(session, row, bands, config)
    if match is not None:
        values["duplicate_of"], values["similarity"] = match
    new_id = repo.insert_article(session, values)
    if new_id is None:  # an exact copy: same normalized body, same article
        return repo.article_id_by_hash(session, row.content_sha256), False
    repo.save_bands(session, new_id, bands)
    return new_id, True


def _closest_earlier_article(
    session: Session, row: FileItem, bands: list[tuple[int, int]], config: MinHashConfig
) -> tuple[int, float] | None:
    """(canonical id, similarity) of the best near-duplicate already stored, if any."""
    found = {a.id: a for a in repo.band_candidates(session, bands)}
    candidates = [_candidate(a) for a in found.values() if a.signature is not None]
    body = row.normalized["item"]["body"]
    match = best_match(body, signature_from_bytes(row.signature), candidates, config)
    if match is None:
        return None
    canonical = found[match.article_id].duplicate_of or match.article_id
    return canonical, match.similarity


def _candidate(article: Row) -> Candidate:
    return Candidate(article.id, article.body, signature_from_bytes(article.signature))
