"""Near-duplicate fingerprints: content hash, MinHash signature, LSH band keys, the decision.

Everything here is stored in PostgreSQL (signatures in a bytea column, band keys in a bigint
bucket table that doubles as advisory-lock keys), so every value must be identical across
processes, machines and library upgrades. That is why nothing uses Python's ``hash()`` or
numpy's random generators: shingles are hashed with fixed-width integer arithmetic over their
UTF-32 code points, and the permutation parameters are derived with BLAKE2b.

``best_match`` is the single place where "is this a duplicate?" is decided; the database layer
only fetches candidates that share a band key and hands them in. See docs/dedup.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# The signature of an empty body: every slot at the maximum (a real body reaches it with
# probability ~n/2**32 per slot, so an empty body estimates ~0 against any real one).
EMPTY_SLOT = np.uint64(2**32 - 1)
SIGNATURE_DTYPE = np.dtype("<u4")  # little-endian on purpose: the bytes go to the database
_WHITESPACE = re.compile(r"\s+")
# Shingle hashing constants (a large odd multiplier and the splitmix64 finalizer steps).
_POLY = np.uint64(0x9E3779B97F4A7C15)
_BLOCK = 2048  # shingles per numpy block: 2048 x 128 x 8 bytes = 2 MiB of temporaries
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True)
class MinHashConfig:
    """MinHash/LSH parameters. Changing any of them invalidates stored signatures and keys."""

    num_perm: int = 128
    bands: int = 16
    rows: int = 8
    shingle_size: int = 5
    threshold: float = 0.8  # exact Jaccard at or above which two bodies are duplicates
    # Candidates whose *estimated* similarity is this far below the threshold are still
    # verified exactly: the estimate's standard error at s=0.8 with 128 slots is ~0.035.
    prefilter_margin: float = 0.1
    seed: int = 1  # fixed: the permutations must be the same in every process, forever

    def __post_init__(self) -> None:
        if min(self.num_perm, self.bands, self.rows, self.shingle_size) < 1:
            raise ValueError("num_perm, bands, rows and shingle_size must be positive")
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands*rows ({self.bands}*{self.rows}) != num_perm {self.num_perm}")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not 0.0 <= self.prefilter_margin < 1.0:
            raise ValueError(f"prefilter_margin must be in [0, 1), got {self.prefilter_margin}")


DEFAULT_CONFIG = MinHashConfig()


@dataclass(frozen=True)
class Candidate:
    """A stored article that shares at least one band key with the incoming body."""

    article_id: int
    body: str
    signature: np.ndarray


@dataclass(frozen=True)
class Match:
    """The stored article an incoming body duplicates, with their exact shingle Jaccard."""

    article_id: int
    similarity: float


def content_sha256(body: str) -> str:
    """Hex SHA-256 of the UTF-8 body without surrounding whitespace: the exact-duplicate key."""
    return hashlib.sha256(body.strip().encode("utf-8")).hexdigest()


def shingles(body: str, size: int) -> set[str]:
    """Character ``size``-grams of the body with all whitespace removed.

    Whitespace goes first because line breaks in Chinese page text are layout, not content.
    A body shorter than ``size`` is its own single shingle, so short texts still compare.
    """
    text = _WHITESPACE.sub("", body)
    if len(text) <= size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The odd 64-bit ``a`` and the 64-bit ``b`` of each hash function, derived with BLAKE2b.

    BLAKE2b rather than numpy's generators, whose streams may change between numpy versions.
    """
    a, b = np.empty(num_perm, np.uint64), np.empty(num_perm, np.uint64)
    for i in range(num_perm):
        digest = hashlib.blake2b(f"newsflow-minhash:{seed}:{i}".encode(), digest_size=16).digest()
        a[i] = int.from_bytes(digest[:8], "little") | 1
        b[i] = int.from_bytes(digest[8:], "little")
    return a, b


def _hash_shingles(text: str, size: int) -> np.ndarray:
    """Stable 32-bit hash of every ``size``-gram of ``text`` (whitespace already removed).

    Vectorized: a polynomial over the UTF-32 code points of each window (wrapping uint64
    arithmetic, which is exact and identical on every machine), then the splitmix64 finalizer
    to spread the bits. Repeated shingles hash equally, which is harmless: we only take minima.
    """
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    width = min(size, len(points))
    count = len(points) - width + 1
    h = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        h = h * _POLY + points[j : j + count]
    h = (h ^ (h >> np.uint64(30))) * _MIX1
    h = (h ^ (h >> np.uint64(27))) * _MIX2
    return (h ^ (h >> np.uint64(31))) >> np.uint64(32)


def minhash_signature(body: str, config: MinHashConfig = DEFAULT_CONFIG) -> np.ndarray:
    """MinHash signature of the body's shingles: ``num_perm`` uint32 values.

    Each of the ``num_perm`` hash functions is multiply-add-shift, ``(a*x + b) mod 2**64 >> 32``
    (Dietzfelbinger; strongly universal for 32-bit x, like ``(a*x + b) mod p``, but without
    the integer division that made the mod-prime form 7x slower in numpy). All functions are
    applied to a block of shingle hashes in one (block x num_perm) operation; blocks bound
    the memory of very long bodies.
    """
    text = _WHITESPACE.sub("", body)
    result = np.full(config.num_perm, EMPTY_SLOT, dtype=np.uint64)
    if not text:
        return result.astype(SIGNATURE_DTYPE)
    a, b = _permutations(config.num_perm, config.seed)
    x = _hash_shingles(text, config.shingle_size)
    for start in range(0, len(x), _BLOCK):
        block = np.multiply.outer(x[start : start + _BLOCK], a)  # wraps mod 2**64 on purpose
        block += b
        block >>= np.uint64(32)
        np.minimum(result, block.min(axis=0), out=result)
    return result.astype(SIGNATURE_DTYPE)


def signature_to_bytes(signature: np.ndarray) -> bytes:
    """Little-endian uint32 bytes of a signature, for a bytea column (512 bytes at 128 slots)."""
    return np.ascontiguousarray(signature, dtype=SIGNATURE_DTYPE).tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    """Inverse of ``signature_to_bytes`` (a writable copy, not a view on the bytes)."""
    if len(data) % SIGNATURE_DTYPE.itemsize:
        raise ValueError(f"signature bytes must be a multiple of 4, got {len(data)}")
    return np.frombuffer(data, dtype=SIGNATURE_DTYPE).copy()


def band_keys(signature: np.ndarray, config: MinHashConfig = DEFAULT_CONFIG) -> list[int]:
    """One signed 64-bit key per LSH band: PostgreSQL bigint bucket keys and advisory-lock keys.

    The band index and row count are hashed in with the band's slots, so equal slot values in
    different bands (or under a different banding) never share a bucket.
    """
    if len(signature) != config.num_perm:
        raise ValueError(f"signature has {len(signature)} slots, config wants {config.num_perm}")
    raw = signature_to_bytes(signature)
    width = config.rows * SIGNATURE_DTYPE.itemsize
    keys = []
    for band in range(config.bands):
        prefix = f"band:{band}:{config.rows}:".encode()
        digest = hashlib.blake2b(prefix + raw[band * width : (band + 1) * width], digest_size=8)
        keys.append(int.from_bytes(digest.digest(), "little", signed=True))
    return keys


def estimated_similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity: the fraction of equal slots."""
    if sig_a.shape != sig_b.shape:
        raise ValueError(f"signatures differ in shape: {sig_a.shape} vs {sig_b.shape}")
    return float(np.count_nonzero(sig_a == sig_b)) / len(sig_a)


def jaccard(a: set, b: set) -> float:
    """Exact Jaccard similarity; two empty sets are identical (1.0)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def best_match(
    body: str,
    signature: np.ndarray,
    candidates: Iterable[Candidate],
    config: MinHashConfig = DEFAULT_CONFIG,
) -> Match | None:
    """The stored article this body duplicates, or None: THE duplicate decision.

    Candidates are pre-filtered on the cheap signature estimate (threshold minus a margin),
    then verified by exact shingle Jaccard >= threshold. The best is the most similar; ties go
    to the lowest article_id, the earliest stored, which is the canonical copy. An empty body
    matches nothing (exact-hash dedup handles identical empties).
    """
    grams = shingles(body, config.shingle_size)
    if not grams:
        return None
    floor = config.threshold - config.prefilter_margin
    best: Match | None = None
    for cand in candidates:
        if estimated_similarity(signature, cand.signature) < floor:
            continue
        score = jaccard(grams, shingles(cand.body, config.shingle_size))
        if score >= config.threshold and _better(cand.article_id, score, best):
            best = Match(cand.article_id, score)
    return best


def _better(article_id: int, score: float, best: Match | None) -> bool:
    """Higher similarity wins; on a tie the earlier (lower) article_id wins."""
    if best is None:
        return True
    return (score, -article_id) > (best.similarity, -best.article_id)


def lsh_recall(similarity: float, bands: int, rows: int) -> float:
    """Probability that a pair of this Jaccard shares at least one band: 1 - (1 - s^r)^b."""
    return 1.0 - (1.0 - similarity**rows) ** bands
