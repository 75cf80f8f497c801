"""The dedupe step's walk: fingerprint, lock and fetch, judge, insert; each room entered once.

``stages.dedup`` decides (fingerprints, which candidates need their bodies, the plan of new
articles); ``models.articles`` locks the LSH buckets, fetches candidates and inserts the plan.
This module only carries the values from one to the other, downwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from models import articles
from models.staged import ItemLink, StagedItem
from stages.dedup.candidates import Incoming, bodies_needed, plan_new_articles
from stages.dedup.fingerprint import fingerprint
from stages.dedup.minhash import MinHashConfig, signature_to_bytes
from tasks.settings import Settings


def minhash_config(settings: Settings) -> MinHashConfig:
    return MinHashConfig(threshold=settings.dedup_threshold)


def link_items(session: Session, items: Sequence[StagedItem], settings: Settings) -> list[ItemLink]:
    """Every item's article (the items of a message's files, in order): an exact copy's,
    a new near-duplicate's or a new one's.

    The bodies are judged in order against the stored candidates and each earlier body's new
    article, holding all their bucket locks throughout (taken at once, sorted: two workers
    locking file by file could each hold a bucket the other's next file waits for). Items
    normalize found stored already are not fingerprinted: their article exists.
    """
    config = minhash_config(settings)
    judged = [Incoming(item.content_sha256, item.normalized.body,
                       fingerprint(item.normalized.body, config, settings.dedup_min_chars))
              for item in items if item.enrichment is not None]
    keys = [key for body in judged for key in body.fingerprint.keys]
    articles.lock_buckets(session, [bucket for _, bucket in keys])
    stored = articles.bucket_candidates(session, keys, settings.dedup_bucket_candidates, config)
    bodies = articles.article_bodies(
        session, bodies_needed(stored, [body.fingerprint for body in judged], config))
    plan = plan_new_articles(stored, judged, bodies, config)
    created, ids = articles.insert_new_articles(
        session, plan, {item.content_sha256: item for item in items})
    ids |= articles.article_ids_by_hash(session, {i.content_sha256 for i in items} - ids.keys())
    return _links(items, judged, ids, created)


def _links(items: Sequence[StagedItem], judged: list[Incoming], ids: dict[str, int],
           created: set[str]) -> list[ItemLink]:
    """Each item's link; the first item of a body that became an article brought it."""
    prints = iter(judged)
    links, brought = [], set()
    for item in items:
        signature, new = None, False
        if item.enrichment is not None:
            signature = signature_to_bytes(next(prints).fingerprint.signature)
            new = item.content_sha256 in created and item.content_sha256 not in brought
            brought.add(item.content_sha256)
        links.append(ItemLink(item.file_id, item.parsed.position, ids[item.content_sha256],
                              new, signature))
    return links
