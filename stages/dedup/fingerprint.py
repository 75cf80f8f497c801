"""What dedupe compares a body by: its MinHash signature, LSH band keys and shingle-set size."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stages.dedup.minhash import MinHashConfig, band_keys, minhash_signature
from stages.dedup.shingling import shingles

Key = tuple[int, int]  # (band, bucket): an LSH bucket, a key of ``article_bands``


@dataclass(frozen=True)
class Fingerprint:
    """A body's fingerprint. ``keys`` is empty for a body too short for a near-duplicate to
    mean anything: it is deduplicated by its exact content hash only."""

    signature: np.ndarray
    keys: list[Key]
    shingle_count: int  # the size of its shingle set: sharpens the prefilter, stored with it


def fingerprint(body: str, config: MinHashConfig, min_chars: int) -> Fingerprint:
    """The body's fingerprint under ``config``; no LSH keys below ``min_chars`` characters."""
    signature = minhash_signature(body, config)
    keys = [] if len(body) < min_chars else list(enumerate(band_keys(signature, config)))
    return Fingerprint(signature, keys, len(shingles(body, config.shingle_size)))
