"""Which stored article, if any, each new body of a message duplicates: the plan dedupe inserts.

The dedupe step fetches the stored articles that share an LSH bucket with the message's bodies
(``StoredCandidates``: arrays, no bodies), asks :func:`bodies_needed` which of them pass the
signature estimate for some body, fetches those bodies, and hands everything to
:func:`plan_new_articles`, which judges the bodies in message order. A body is judged against
the stored candidates and against every earlier body of the same message that became an
article, so two copies of a story in one message are linked to each other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from stages.dedup.decide import Candidate, best_match, close_candidates
from stages.dedup.fingerprint import Fingerprint, Key
from stages.dedup.minhash import SIGNATURE_DTYPE, MinHashConfig


@dataclass(frozen=True)
class StoredCandidates:
    """Stored articles sharing a bucket with the message's bodies, one row each.

    ``canonical`` is what a row duplicates (0 for none), ``counts`` its shingle-set size (0
    when unknown), ``keys[r]`` the buckets among those asked that row ``r`` is in.
    """

    ids: np.ndarray
    canonical: np.ndarray
    counts: np.ndarray
    signatures: np.ndarray
    keys: list[list[Key]]


@dataclass(frozen=True)
class Incoming:
    """A body to judge: its content hash, text and fingerprint."""

    content_sha256: str
    body: str
    fingerprint: Fingerprint


@dataclass(frozen=True)
class NewArticle:
    """A body that becomes an article. ``placeholder`` (negative) stands for its id until it
    is inserted; ``duplicate_of`` is a stored id, another new article's placeholder, or None."""

    incoming: Incoming
    placeholder: int
    duplicate_of: int | None
    similarity: float | None


class _Index:
    """The candidates as arrays: the stored rows first, then each new article as it is judged.

    Judging a templated archive's thousands of candidates a row at a time in Python cost
    more than fetching them; the signature estimate runs over arrays.
    """

    def __init__(self, stored: StoredCandidates, room: int, config: MinHashConfig):
        size, self.config = len(stored.ids), config
        self.ids = np.concatenate([stored.ids, np.zeros(room, np.int64)])
        self.canonical = np.concatenate([stored.canonical, np.zeros(room, np.int64)])
        self.counts = np.concatenate([stored.counts, np.zeros(room, np.int64)])
        self.signatures = np.zeros((size + room, config.num_perm), SIGNATURE_DTYPE)
        self.signatures[:size] = stored.signatures
        self.size = size
        self.by_key: dict[Key, list[int]] = defaultdict(list)
        for row, keys in enumerate(stored.keys):
            for key in keys:
                self.by_key[key].append(row)

    def close(self, item: Fingerprint) -> np.ndarray:
        """The rows whose signature estimate leaves room for a match, in row order."""
        rows = np.unique(np.fromiter(
            (row for key in item.keys for row in self.by_key.get(key, ())), np.int64))
        return rows[close_candidates(item.signature, item.shingle_count, self.signatures[rows],
                                     self.counts[rows], self.config)]

    def add(self, article: NewArticle) -> None:
        """A new article of this message: a candidate for the bodies judged after it."""
        row, self.size = self.size, self.size + 1
        item = article.incoming.fingerprint
        self.ids[row], self.canonical[row] = article.placeholder, article.duplicate_of or 0
        self.counts[row], self.signatures[row] = item.shingle_count, item.signature
        for key in item.keys:
            self.by_key[key].append(row)


def bodies_needed(stored: StoredCandidates, prints: list[Fingerprint],
                  config: MinHashConfig) -> set[int]:
    """Ids of the stored candidates some body's signature estimate leaves room for: the
    bodies :func:`plan_new_articles` will compare (fetched in one query)."""
    index = _Index(stored, 0, config)
    return {int(id_) for item in prints for id_ in index.ids[index.close(item)]}


def plan_new_articles(stored: StoredCandidates, incoming: list[Incoming],
                      bodies: dict[int, str], config: MinHashConfig) -> list[NewArticle]:
    """The articles the message's bodies become, in order; a body twice is one article.

    ``bodies`` holds the stored candidates' texts (:func:`bodies_needed`'s ids).
    """
    index, texts = _Index(stored, len(incoming), config), dict(bodies)
    planned: dict[str, NewArticle] = {}
    for item in incoming:
        if item.content_sha256 in planned:
            continue
        match = _closest(index, texts, item)
        article = NewArticle(item, -1 - len(planned), *(match or (None, None)))
        index.add(article)
        texts[article.placeholder] = item.body
        planned[item.content_sha256] = article
    return list(planned.values())


def _closest(index: _Index, texts: dict[int, str], item: Incoming) -> tuple[int, float] | None:
    """(canonical id, similarity) of the best near-duplicate among the candidates."""
    close = {int(index.ids[row]): row for row in index.close(item.fingerprint)}
    candidates = [Candidate(id_, texts[id_], index.signatures[row], int(index.counts[row]) or None)
                  for id_, row in close.items()]
    match = best_match(item.body, item.fingerprint.signature, candidates, index.config)
    if match is None:
        return None
    return int(index.canonical[close[match.article_id]]) or match.article_id, match.similarity
