"""Near-duplicate fingerprints: content hash, MinHash signature, LSH band keys, the decision.

``best_match`` is the single place where "is this a duplicate?" is decided; the database layer
only fetches candidates that share a band key and hands them in. The stored, must-never-drift
parts live in ``stages.dedup.minhash`` (signatures, band keys) and ``stages.dedup.shingling`` (shingles
and exact set measures); they are re-exported here so callers import one module.
See docs/dedup.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from stages.dedup.minhash import (
    DEFAULT_CONFIG,
    SIGNATURE_DTYPE,
    MinHashConfig,
    band_keys,
    estimated_similarities,
    estimated_similarity,
    lsh_recall,
    minhash_signature,
    signature_from_bytes,
    signature_to_bytes,
    signatures_from_bytes,
)
from stages.dedup.shingling import containment, jaccard, longest_novel_run, shingles, squeeze

__all__ = [
    "DEFAULT_CONFIG", "SIGNATURE_DTYPE", "Candidate", "Match", "MatchRule", "MinHashConfig", "band_keys",
    "best_match", "close_candidates", "containment", "content_sha256", "could_match",
    "estimated_similarities", "estimated_similarity",
    "jaccard", "judge",
    "lsh_recall", "minhash_signature", "shingles", "signature_from_bytes", "signature_to_bytes",
    "signatures_from_bytes",
]


@dataclass(frozen=True)
class Candidate:
    """A stored article that shares at least one band key with the incoming body."""

    article_id: int
    body: str
    signature: np.ndarray
    shingle_count: int | None = None  # size of its shingle set, when stored with it


class MatchRule(StrEnum):
    """Which rule linked a body to a stored article; JACCARD is the stronger evidence."""

    JACCARD = "jaccard"
    CONTAINMENT = "containment"


_RULE_STRENGTH = {MatchRule.JACCARD: 2, MatchRule.CONTAINMENT: 1}


@dataclass(frozen=True)
class Match:
    """The stored article an incoming body duplicates, and the evidence for it.

    ``similarity`` is always the exact shingle Jaccard (the ``similarity`` column stores it),
    whichever rule decided; ``containment`` is |A & B| / min(|A|, |B|) of the shingle sets.
    """

    article_id: int
    similarity: float
    containment: float
    rule: MatchRule


def content_sha256(body: str) -> str:
    """Hex SHA-256 of the UTF-8 body without surrounding whitespace: the exact-duplicate key."""
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


def best_match(
    body: str,
    signature: np.ndarray,
    candidates: Iterable[Candidate],
    config: MinHashConfig = DEFAULT_CONFIG,
) -> Match | None:
    """The stored article this body duplicates, or None: THE duplicate decision.

    Candidates are pre-filtered on the cheap signature estimate (``could_match``: the lowest
    Jaccard a rule could accept, for the pair's shingle-set sizes when the candidate's is
    known, less a margin), then judged exactly by ``judge``. The best is the strongest rule,
    then the most similar; ties go to the lowest article_id, the earliest stored, which is
    the canonical copy. An empty body matches nothing (exact-hash dedup handles identical
    empties).
    """
    candidates = list(candidates)
    # Most bodies meet no candidate at all: their shingle set is never needed.
    grams = shingles(body, config.shingle_size) if candidates else set()
    if not grams:
        return None
    best: Match | None = None
    for cand in candidates:
        if not could_match(signature, len(grams), cand.signature, cand.shingle_count, config):
            continue
        match = judge(cand.article_id, (body, grams), cand.body, config)
        if match is not None and (best is None or _rank(match) > _rank(best)):
            best = match
    return best


def could_match(signature: np.ndarray, shingle_count: int | None, other: np.ndarray,
                other_count: int | None, config: MinHashConfig = DEFAULT_CONFIG) -> bool:
    """Whether a pair's signature estimate leaves room for either rule to accept it (the
    cheap prefilter before the exact verdict); sizes make it sharper (``pair_floor``)."""
    return bool(close_candidates(signature, shingle_count, other[np.newaxis],
                                 np.array([other_count or 0]), config)[0])


def close_candidates(signature: np.ndarray, shingle_count: int | None, others: np.ndarray,
                     other_counts: np.ndarray, config: MinHashConfig = DEFAULT_CONFIG
                     ) -> np.ndarray:
    """:func:`could_match` against every row of ``others`` at once (their shingle-set sizes in
    ``other_counts``, 0 where unknown): a boolean mask. The dedupe step asks it of every
    candidate a message's band keys bring back, which on a templated archive are thousands."""
    # A NaN floor (no rule can accept the pair) compares False.
    return estimated_similarities(signature, others) >= config.pair_floors(shingle_count,
                                                                           other_counts)


def judge(
    article_id: int, incoming: tuple[str, set[str]], stored: str, config: MinHashConfig
) -> Match | None:
    """Exact verdict on one pair: the Jaccard rule, else the containment rule, else None.

    ``incoming`` is the body with its shingle set, computed once per ``best_match`` call.
    """
    grams, other = incoming[1], shingles(stored, config.shingle_size)
    similarity, contained = jaccard(grams, other), containment(grams, other)
    if similarity >= config.threshold:
        return Match(article_id, similarity, contained, MatchRule.JACCARD)
    if contained >= config.containment_threshold and _is_trimmed_copy(
        (incoming[0], grams), (stored, other), config
    ):
        return Match(article_id, similarity, contained, MatchRule.CONTAINMENT)
    return None


def _is_trimmed_copy(a: tuple[str, set], b: tuple[str, set], config: MinHashConfig) -> bool:
    """Whether the smaller body is the larger one cut down (plus noise), not rewritten.

    The smaller must keep min_size_ratio of the larger (else it is an excerpt) and hold no
    long run of shingles the larger lacks (else it carries a passage of its own).
    """
    # Ties on size fall to the text itself, so the verdict never depends on arrival order.
    (small_body, small), (_, large) = sorted((a, b), key=lambda side: (len(side[1]), side[0]))
    if len(small) < config.min_size_ratio * len(large):
        return False
    run = longest_novel_run(squeeze(small_body), large, config.shingle_size)
    return run <= config.max_novel_run


def _rank(match: Match) -> tuple[int, float, int]:
    """Stronger rule, then higher Jaccard, then the earlier (lower) article_id wins."""
    return _RULE_STRENGTH[match.rule], match.similarity, -match.article_id


