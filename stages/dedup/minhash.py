"""MinHash signatures and LSH band keys: the stored half of near-duplicate detection.

Everything here is stored in PostgreSQL (signatures in a bytea column, band keys in a bigint
bucket table that doubles as advisory-lock keys), so every value must be identical across
processes, machines and library upgrades. That is why nothing uses Python's ``hash()`` or
numpy's random generators: shingles are hashed with fixed-width integer arithmetic over their
UTF-32 code points (``stages.dedup.shingling``), and the permutation parameters come from BLAKE2b.
The decision that uses them lives in ``stages.dedup.decide``; see docs/dedup.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from stages.dedup.shingling import shingle_hashes, squeeze

# The signature of an empty body: every slot at the maximum (a real body reaches it with
# probability ~n/2**32 per slot, so an empty body estimates ~0 against any real one).
EMPTY_SLOT = np.uint64(2**32 - 1)
SIGNATURE_DTYPE = np.dtype("<u4")  # little-endian on purpose: the bytes go to the database
_BLOCK = 2048  # shingles per numpy block: 2048 x 128 x 8 bytes = 2 MiB of temporaries


@dataclass(frozen=True)
class MinHashConfig:
    """MinHash/LSH parameters and the decision's thresholds (docs/dedup.md justifies each).

    ``num_perm``, ``bands``, ``rows``, ``shingle_size`` and ``seed`` shape the stored
    signatures and band keys: changing one means re-fingerprinting (or re-banding) every
    stored article. The thresholds below them only steer ``best_match`` and can change freely.
    """

    num_perm: int = 128
    bands: int = 32  # 32 x 4 recalls 98.8 % of pairs at J = 0.6, where paragraph cuts land
    rows: int = 4
    shingle_size: int = 5
    seed: int = 1  # fixed: the permutations must be the same in every process, forever
    threshold: float = 0.8  # exact Jaccard at or above which two bodies are duplicates
    # Or: the smaller shingle set is this much inside the larger; (1 - r)^5 = 0.86 for a copy
    # with r = 3 % of its characters substituted, 0.8 keeps ~5 spreads of margin below it.
    containment_threshold: float = 0.8
    min_size_ratio: float = 0.5  # a body under half the other is an excerpt, not a copy
    # A run of unmatched shingles this long in the smaller body is a passage the larger lacks
    # (a rewrite), not noise: one substituted character breaks only shingle_size in a row.
    max_novel_run: int = 20
    # Candidates whose *estimated* similarity is this far below the lowest Jaccard either
    # rule can accept are still verified exactly (standard error at s=0.4 is ~0.043).
    prefilter_margin: float = 0.1

    def __post_init__(self) -> None:
        if min(self.num_perm, self.bands, self.rows, self.shingle_size) < 1:
            raise ValueError("num_perm, bands, rows and shingle_size must be positive")
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"bands*rows ({self.bands}*{self.rows}) != num_perm {self.num_perm}")
        for name in ("threshold", "containment_threshold", "min_size_ratio"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {getattr(self, name)}")
        if not 0.0 <= self.prefilter_margin < 1.0:
            raise ValueError(f"prefilter_margin must be in [0, 1), got {self.prefilter_margin}")
        if self.max_novel_run < 0:
            raise ValueError(f"max_novel_run must be >= 0, got {self.max_novel_run}")

    @property
    def estimate_floor(self) -> float:
        """The estimated similarity below which no candidate can pass either rule, less the margin.

        With |S| = p|L| (p >= min_size_ratio) and |S & L| >= c|S|, the Jaccard is
        cp / (1 + p - cp), increasing in p, so the containment rule never accepts a pair below
        c*rho / (1 + rho - c*rho): 0.364 at c = 0.8, rho = 0.5.
        """
        c, rho = self.containment_threshold, self.min_size_ratio
        return min(self.threshold, c * rho / (1 + rho - c * rho)) - self.prefilter_margin

    def pair_floor(self, size_a: int | None, size_b: int | None) -> float | None:
        """The estimate floor for two bodies with these shingle-set sizes; None when no rule
        can accept them at all. Without both sizes, :attr:`estimate_floor`.

        With p = smaller / larger size: the Jaccard is at most p, so the Jaccard rule needs
        p >= threshold; the containment rule needs p >= min_size_ratio and then accepts no
        Jaccard below c*p / (1 + p - c*p). ``estimate_floor`` is this bound at the smallest
        p allowed; bodies of equal length get 0.667 - margin instead of 0.364 - margin, so
        the many same-length variants of a templated story (J ~ 0.3) skip the exact check.
        """
        floor = float(self.pair_floors(size_a, np.array([size_b or 0]))[0])
        return None if np.isnan(floor) else floor

    def pair_floors(self, size: int | None, sizes: np.ndarray) -> np.ndarray:
        """:meth:`pair_floor` of one body against many at once (float64, NaN where no rule
        can accept the pair); a size of 0 stands for an unknown one."""
        sizes = np.asarray(sizes, dtype=np.float64)
        if not size:
            return np.full(sizes.shape, self.estimate_floor)
        p, c = np.minimum(sizes, size) / np.maximum(sizes, size), self.containment_threshold
        by_containment = np.where(p >= self.min_size_ratio, c * p / (1 + p - c * p), np.inf)
        floors = np.minimum(np.where(p >= self.threshold, self.threshold, np.inf), by_containment)
        floors = np.where(np.isinf(floors), np.nan, floors - self.prefilter_margin)
        return np.where(sizes == 0, self.estimate_floor, floors)


DEFAULT_CONFIG = MinHashConfig()


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


def minhash_signature(body: str, config: MinHashConfig = DEFAULT_CONFIG) -> np.ndarray:
    """MinHash signature of the body's shingles: ``num_perm`` uint32 values.

    Each of the ``num_perm`` hash functions is multiply-add-shift, ``(a*x + b) mod 2**64 >> 32``
    (Dietzfelbinger; strongly universal for 32-bit x, like ``(a*x + b) mod p``, but without
    the integer division that made the mod-prime form 7x slower in numpy). All functions are
    applied to a block of shingle hashes in one (block x num_perm) operation; blocks bound
    the memory of very long bodies.
    """
    text = squeeze(body)
    result = np.full(config.num_perm, EMPTY_SLOT, dtype=np.uint64)
    if not text:
        return result.astype(SIGNATURE_DTYPE)
    a, b = _permutations(config.num_perm, config.seed)
    x = shingle_hashes(text, config.shingle_size)
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


def signatures_from_bytes(datas: Sequence[bytes], config: MinHashConfig = DEFAULT_CONFIG
                          ) -> np.ndarray:
    """Many stored signatures as one (len(datas) x num_perm) matrix, decoded at once."""
    data = b"".join(datas)
    width = config.num_perm * SIGNATURE_DTYPE.itemsize
    if len(data) != len(datas) * width:
        raise ValueError(f"stored signatures are not all {width} bytes: the MinHash settings "
                         "changed since they were stored (docs/dedup.md)")
    return np.frombuffer(data, SIGNATURE_DTYPE).reshape(len(datas), config.num_perm)


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
    return float(estimated_similarities(sig_a, sig_b[np.newaxis])[0])


def estimated_similarities(signature: np.ndarray, others: np.ndarray) -> np.ndarray:
    """:func:`estimated_similarity` of one signature against each row of a matrix of them."""
    if others.ndim != 2 or others.shape[1:] != signature.shape:
        raise ValueError(f"signatures differ in shape: {signature.shape} vs rows of {others.shape}")
    return np.count_nonzero(others == signature, axis=1) / len(signature)


def lsh_recall(similarity: float, bands: int, rows: int) -> float:
    """Probability that a pair of this Jaccard shares at least one band: 1 - (1 - s^r)^b."""
    return 1.0 - (1.0 - similarity**rows) ** bands
