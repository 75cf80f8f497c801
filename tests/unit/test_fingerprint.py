"""Unit tests of stages/dedup/decide.py (and its stages/dedup/minhash.py, stages/dedup/shingling.py halves):
stable signatures, band keys, the exact set measures and the duplicate decision."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.dedup_quality import build_pairs, load_articles
from stages.dedup.decide import (
    DEFAULT_CONFIG,
    Candidate,
    Match,
    MatchRule,
    MinHashConfig,
    band_keys,
    best_match,
    close_candidates,
    containment,
    content_sha256,
    estimated_similarity,
    jaccard,
    judge,
    lsh_recall,
    minhash_signature,
    shingles,
    signature_from_bytes,
    signature_to_bytes,
    signatures_from_bytes,
)
from stages.dedup.shingling import longest_novel_run, windows

SAMPLE = "梨树县政协坚持守正创新、超前谋划、狠抓落实,紧扣经济社会发展工作大局。"
# Pinned: signatures and band keys are stored in PostgreSQL, so any change to the hashing
# must be a deliberate migration, never an accident. Update only together with a re-hash.
SAMPLE_SIGNATURE_SHA256 = "a09cd98877fcad23b5ad89ee9bb7215ad3901f611f3a195fe5921bebf6dd4810"
SAMPLE_FIRST_BAND_KEYS = [7943522252902803960, 7496657064491828192]  # 32 x 4, the default
SAMPLE_FIRST_BAND_KEYS_16X8 = [1786466930179584601, -4605424332136931781]  # unchanged since 16 x 8
REPO_ROOT = Path(__file__).resolve().parents[2]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E00 + 400)


def _text(rng: random.Random, length: int) -> str:
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(length))


# --- configuration ---------------------------------------------------------------------------


def test_default_config_matches_the_documented_layout():
    config = MinHashConfig()
    assert (config.num_perm, config.bands, config.rows, config.shingle_size) == (128, 32, 4, 5)
    assert (config.threshold, config.seed) == (0.8, 1)
    assert (config.containment_threshold, config.min_size_ratio, config.max_novel_run) == (
        0.8, 0.5, 20)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bands": 16, "rows": 4},
        {"num_perm": 0, "bands": 0, "rows": 8},
        {"shingle_size": 0},
        {"threshold": 0.0},
        {"threshold": 1.5},
        {"prefilter_margin": -0.1},
        {"containment_threshold": 0.0},
        {"containment_threshold": 1.1},
        {"min_size_ratio": 0.0},
        {"max_novel_run": -1},
    ],
)
def test_invalid_config_is_refused(kwargs):
    with pytest.raises(ValueError):
        MinHashConfig(**kwargs)


def test_other_valid_bandings_are_accepted():
    assert MinHashConfig(bands=16, rows=8).num_perm == 128
    assert MinHashConfig(num_perm=64, bands=8, rows=8).bands == 8


# --- hashing and shingles ------------------------------------------------------------------


def test_content_sha256_ignores_surrounding_whitespace_only():
    assert content_sha256("  正文\n") == content_sha256("正文")
    assert content_sha256("正文") == hashlib.sha256("正文".encode()).hexdigest()
    assert content_sha256("正 文") != content_sha256("正文")


def test_shingles_drop_whitespace_and_keep_short_bodies():
    assert shingles("一二 三\n四五六", 5) == {"一二三四五", "二三四五六"}
    assert shingles("短文", 5) == {"短文"}
    assert shingles(" \n ", 5) == set()


def test_signature_shape_and_dtype():
    sig = minhash_signature(SAMPLE)
    assert sig.shape == (128,) and sig.dtype == np.dtype("<u4")


def test_signature_depends_only_on_the_shingle_set():
    # Given two texts with the same 2-gram set {ab, ba} but different lengths and layout
    config = MinHashConfig(shingle_size=2)
    # Then their signatures are equal (repeats and whitespace do not matter)
    assert np.array_equal(minhash_signature("abab", config), minhash_signature("a b\naba", config))


def test_signature_is_pinned():
    sig = minhash_signature(SAMPLE)
    assert hashlib.sha256(signature_to_bytes(sig)).hexdigest() == SAMPLE_SIGNATURE_SHA256
    assert band_keys(sig)[:2] == SAMPLE_FIRST_BAND_KEYS
    assert band_keys(sig, MinHashConfig(bands=16, rows=8))[:2] == SAMPLE_FIRST_BAND_KEYS_16X8


def test_signature_is_identical_in_another_process():
    # Given a fresh interpreter with a different string-hash seed
    code = (
        "import sys; from stages.dedup.decide import minhash_signature, signature_to_bytes, "
        "band_keys; s = minhash_signature(sys.argv[1]); "
        "print(signature_to_bytes(s).hex(), band_keys(s))"
    )
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code, SAMPLE], capture_output=True, text=True, check=True, env=env,
        cwd=REPO_ROOT,
    ).stdout.split(" ", 1)
    # Then it computes the same signature bytes and band keys as this process
    sig = minhash_signature(SAMPLE)
    assert out[0] == signature_to_bytes(sig).hex()
    assert out[1].strip() == str(band_keys(sig))


def test_long_bodies_are_processed_in_blocks_with_the_same_result():
    rng = random.Random(7)
    body = _text(rng, 9000)  # several numpy blocks
    a, b = MinHashConfig(), MinHashConfig()
    assert np.array_equal(minhash_signature(body, a), minhash_signature(body, b))
    assert estimated_similarity(minhash_signature(body), minhash_signature(body[:8000])) > 0.8


# --- similarity -----------------------------------------------------------------------------


def test_identical_texts_have_similarity_one_and_equal_band_keys():
    a, b = minhash_signature(SAMPLE), minhash_signature(SAMPLE + "\n")
    assert estimated_similarity(a, b) == 1.0
    assert band_keys(a) == band_keys(b)


def test_disjoint_texts_have_similarity_near_zero_and_no_shared_band():
    rng = random.Random(3)
    a, b = minhash_signature(_text(rng, 800)), minhash_signature(_text(rng, 800))
    assert estimated_similarity(a, b) <= 0.05
    assert not set(band_keys(a)) & set(band_keys(b))


def test_estimate_tracks_exact_jaccard_across_similarities():
    # Given pairs sharing a prefix of varying length (exact Jaccard from ~0.05 to ~0.95).
    # A single estimate has standard error sqrt(s(1-s)/128) <= 0.044, so a fixed +-0.1 bound
    # on EVERY pair would be a ~2.3-sigma bet; we bound the share within 0.1, the worst case,
    # and the bias instead (all deterministic, seeded).
    rng = random.Random(11)
    errors = []
    for _ in range(200):
        n, keep = rng.randrange(300, 2500), rng.uniform(0.1, 1.0)
        base = _text(rng, n)
        other = base[: int(n * keep)] + _text(rng, n - int(n * keep))
        exact = jaccard(shingles(base, 5), shingles(other, 5))
        estimate = estimated_similarity(minhash_signature(base), minhash_signature(other))
        errors.append(estimate - exact)
    within = sum(abs(e) <= 0.1 for e in errors) / len(errors)
    assert within >= 0.95
    assert max(abs(e) for e in errors) <= 0.16
    assert abs(sum(errors) / len(errors)) <= 0.015


@settings(max_examples=60, deadline=None)
@given(st.text(CJK, min_size=0, max_size=300), st.text(CJK, min_size=0, max_size=300))
def test_estimate_is_a_symmetric_fraction(a, b):
    sa, sb = minhash_signature(a), minhash_signature(b)
    assert 0.0 <= estimated_similarity(sa, sb) == estimated_similarity(sb, sa) <= 1.0


def test_exact_jaccard():
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 1.0
    assert jaccard({"a"}, set()) == 0.0


def test_signatures_of_different_length_are_refused():
    with pytest.raises(ValueError):
        estimated_similarity(np.zeros(128, np.uint32), np.zeros(64, np.uint32))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 128), st.sampled_from([0, 1, 300, 450, 600, 750, 800,
                                                                 1000, 5000])),
                min_size=1, max_size=40),
       st.sampled_from([None, 1, 600, 800]))
def test_close_candidates_judges_each_row_by_its_own_estimate_and_size(rows, count):
    # Given candidates that share exactly k of 128 slots with the signature, of varied sizes
    # (0: stored before sizes were), in one matrix
    signature = np.arange(128, dtype=np.uint32)
    others = np.stack([np.where(np.arange(128) < k, signature, signature + 1000)
                       for k, _ in rows])
    sizes = np.array([size for _, size in rows])
    mask = close_candidates(signature, count, others, sizes, DEFAULT_CONFIG)
    # Then each row passes exactly when k/128 reaches the floor of its own size pair
    for (k, size), passed in zip(rows, mask, strict=True):
        floor = DEFAULT_CONFIG.pair_floor(count, size or None)
        assert passed == (floor is not None and k / 128 >= floor)


def test_close_candidates_refuses_rows_of_another_length():
    with pytest.raises(ValueError, match="differ in shape"):
        close_candidates(np.zeros(128, np.uint32), 10, np.zeros((3, 64), np.uint32),
                         np.zeros(3), DEFAULT_CONFIG)


# --- band keys and serialization ---------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.text(CJK, min_size=1, max_size=400))
def test_band_keys_are_bigints_one_per_band(body):
    keys = band_keys(minhash_signature(body))
    assert len(keys) == DEFAULT_CONFIG.bands
    assert all(-(2**63) <= k < 2**63 and isinstance(k, int) for k in keys)


def test_band_index_is_part_of_the_key():
    # Equal slot values in different bands must not land in the same bucket.
    keys = band_keys(np.full(128, 42, dtype=np.uint32))
    assert len(set(keys)) == 32
    assert band_keys(np.full(128, 42, np.uint32), MinHashConfig(bands=16, rows=8))[0] not in keys


def test_band_keys_refuse_a_signature_of_the_wrong_length():
    with pytest.raises(ValueError):
        band_keys(np.zeros(64, np.uint32))


@settings(max_examples=60, deadline=None)
@given(st.text(CJK, min_size=0, max_size=400))
def test_serialization_round_trip(body):
    sig = minhash_signature(body)
    data = signature_to_bytes(sig)
    assert len(data) == 4 * 128
    back = signature_from_bytes(data)
    assert np.array_equal(back, sig) and back.flags.writeable
    assert band_keys(back) == band_keys(sig)


def test_signature_from_bytes_refuses_a_torn_value():
    with pytest.raises(ValueError):
        signature_from_bytes(b"\x00" * 5)



def test_many_stored_signatures_decode_as_rows_and_a_wrong_width_is_refused():
    sigs = [minhash_signature(text) for text in (SAMPLE, SAMPLE[:20], "")]
    rows = signatures_from_bytes([signature_to_bytes(sig) for sig in sigs])
    assert rows.shape == (3, 128)
    assert all(np.array_equal(row, sig) for row, sig in zip(rows, sigs, strict=True))
    with pytest.raises(ValueError, match="MinHash settings changed"):
        signatures_from_bytes([signature_to_bytes(sigs[0]), b"\x00" * 256])

# --- the decision -----------------------------------------------------------------------------


def _candidate(article_id: int, body: str) -> Candidate:
    return Candidate(article_id, body, minhash_signature(body))


def test_best_match_picks_the_most_similar_then_the_earliest():
    rng = random.Random(5)
    body = _text(rng, 1000)
    near = body[:980] + _text(rng, 20)
    cands = [_candidate(9, near), _candidate(7, body), _candidate(3, body), _candidate(1, "无关")]
    match = best_match(body, minhash_signature(body), cands)
    assert match == Match(article_id=3, similarity=1.0, containment=1.0, rule=MatchRule.JACCARD)


def test_best_match_rejects_candidates_below_the_threshold():
    rng = random.Random(6)
    body = _text(rng, 1000)
    half = body[:500] + _text(rng, 500)
    assert best_match(body, minhash_signature(body), [_candidate(1, half)]) is None


def test_best_match_verifies_with_exact_jaccard():
    # Given a candidate whose stored signature is wrong but close (as after a hash collision
    # or a stale row), the exact Jaccard of the bodies decides, not the estimate.
    rng = random.Random(8)
    body, other = _text(rng, 600), _text(rng, 600)
    stale = Candidate(1, other, minhash_signature(body))
    assert best_match(body, minhash_signature(body), [stale]) is None


def test_best_match_prefilters_on_the_estimate():
    # A candidate whose signature is far off is never verified, even with an identical body.
    rng = random.Random(9)
    body = _text(rng, 600)
    far = Candidate(1, body, minhash_signature(_text(rng, 600)))
    assert best_match(body, minhash_signature(body), [far]) is None


def test_best_match_of_an_empty_body_is_none():
    assert best_match("  ", minhash_signature("  "), [_candidate(1, " ")]) is None


def test_lsh_recall_curve():
    assert lsh_recall(1.0, 16, 8) == 1.0 and lsh_recall(0.0, 16, 8) == 0.0
    assert lsh_recall(0.8, 16, 8) == pytest.approx(1 - (1 - 0.8**8) ** 16)
    assert lsh_recall(0.8, 32, 4) > lsh_recall(0.8, 16, 8) > lsh_recall(0.8, 8, 16)
    # The default banding must reach paragraph-cut and 3%-noise copies (J ~0.6-0.75).
    assert lsh_recall(0.6, DEFAULT_CONFIG.bands, DEFAULT_CONFIG.rows) > 0.98


# --- exact set measures ------------------------------------------------------------------------


def test_containment_is_symmetric_and_relative_to_the_smaller_set():
    assert containment({"a", "b"}, {"a", "b", "c", "d"}) == 1.0
    assert containment({"a", "b", "c", "d"}, {"a", "x"}) == 0.5
    assert containment(set(), {"a"}) == containment({"a"}, set()) == 0.0


def test_one_substituted_character_breaks_exactly_shingle_size_windows():
    # Why max_novel_run separates noise from passages: one changed character -> a run of k.
    rng = random.Random(12)
    text = _text(rng, 200)
    noisy = text[:100] + ("丁" if text[100] != "丁" else "七") + text[101:]
    assert longest_novel_run(noisy, set(windows(text, 5)), 5) == 5
    assert longest_novel_run(text, set(windows(text, 5)), 5) == 0
    passage = text[:100] + _text(rng, 30) + text[100:]
    assert longest_novel_run(passage, set(windows(text, 5)), 5) == 30 + 5 - 1


def test_estimate_floor_is_the_lowest_jaccard_the_containment_rule_accepts():
    # Given the extreme pair the containment rule still accepts: |S| = rho|L|, |S & L| = c|S|
    c, rho = DEFAULT_CONFIG.containment_threshold, DEFAULT_CONFIG.min_size_ratio
    large = set(range(1000))
    small = set(range(round(c * rho * 1000))) | set(range(5000, 5000 + round((1 - c) * rho * 1000)))
    assert containment(small, large) == pytest.approx(c)
    # Then its Jaccard is the floor plus the margin, c*rho / (1 + rho - c*rho) = 0.364
    floor = jaccard(small, large) - DEFAULT_CONFIG.prefilter_margin
    assert DEFAULT_CONFIG.estimate_floor == pytest.approx(floor)
    assert MinHashConfig(containment_threshold=1.0, min_size_ratio=1.0).estimate_floor == (
        pytest.approx(0.8 - 0.1))


@pytest.mark.parametrize("ratio", [0.5, 0.6, 0.75, 0.9, 1.0])
def test_pair_floor_is_the_lowest_jaccard_the_rules_accept_at_that_size_ratio(ratio):
    # Given the extreme pair the containment rule accepts at this size ratio p
    c = DEFAULT_CONFIG.containment_threshold
    large = set(range(1000))
    kept = round(c * ratio * 1000)
    small = set(range(kept)) | set(range(5000, 5000 + round(ratio * 1000) - kept))
    assert containment(small, large) == pytest.approx(c, abs=1e-3)
    # Then the pair's floor plus the margin is its Jaccard: no accepted pair lies below it
    floor = DEFAULT_CONFIG.pair_floor(len(small), len(large))
    assert floor + DEFAULT_CONFIG.prefilter_margin == pytest.approx(jaccard(small, large), abs=1e-3)
    assert floor >= DEFAULT_CONFIG.estimate_floor - 1e-9


def test_pair_floor_skips_what_no_rule_can_accept_and_falls_back_without_sizes():
    # Equal sizes: only pairs near 0.667 or above can pass, so a reworded variant at
    # J ~ 0.3 (a templated story) needs no exact check
    assert DEFAULT_CONFIG.pair_floor(800, 800) == pytest.approx(0.8 / 1.2 - 0.1)
    # Under half the size: an excerpt, which neither rule accepts
    assert DEFAULT_CONFIG.pair_floor(400, 1000) is None
    # A stored article without a recorded size: the size-blind floor, as before
    assert DEFAULT_CONFIG.pair_floor(800, None) == DEFAULT_CONFIG.estimate_floor


def test_every_labelled_duplicate_passes_its_pair_floor():
    # Given the labelled evaluation pairs (evaluation/dedup_quality.py), judged exactly
    for pair in build_pairs(load_articles()):
        a, b = shingles(pair.original, 5), shingles(pair.copy, 5)
        match = judge(1, (pair.copy, b), pair.original, DEFAULT_CONFIG)
        if match is None:
            continue
        # Then the size-aware floor (before its margin) never lies above a pair accepted
        floor = DEFAULT_CONFIG.pair_floor(len(a), len(b))
        assert floor is not None and floor + DEFAULT_CONFIG.prefilter_margin <= jaccard(a, b) + 1e-9


# --- the containment rule ----------------------------------------------------------------------


def _paragraphs(seed: int, count: int = 5, length: int = 200) -> list[str]:
    rng = random.Random(seed)
    return [_text(rng, length) for _ in range(count)]


def _judge_both_ways(a: str, b: str, config: MinHashConfig = DEFAULT_CONFIG) -> list[Match | None]:
    """The verdict with ``a`` incoming and ``b`` stored, and the other way round."""
    return [best_match(x, minhash_signature(x, config), [_candidate(1, y)], config)
            for x, y in ((a, b), (b, a))]


def test_a_copy_with_one_paragraph_cut_links_by_containment_in_either_order():
    # Given five paragraphs and the same text with the longest-lasting cut: one of five gone
    paragraphs = _paragraphs(20)
    body, cut = "\n".join(paragraphs), "\n".join(paragraphs[:2] + paragraphs[3:])
    similarity = jaccard(shingles(body, 5), shingles(cut, 5))
    assert similarity < DEFAULT_CONFIG.threshold  # J ~ 1 - 1/5: the Jaccard rule alone misses
    # Then either arrival order links them, by containment, reporting the exact Jaccard
    for match in _judge_both_ways(body, cut):
        assert match is not None and match.rule is MatchRule.CONTAINMENT
        assert match.similarity == pytest.approx(similarity) and match.containment > 0.99


def test_a_copy_with_3_percent_of_characters_substituted_links_by_containment():
    rng = random.Random(21)
    body = _text(rng, 1500)
    chars = list(body)
    for i in rng.sample(range(len(chars)), 45):  # 3 %, at distinct positions
        chars[i] = chr(0x4E00 + 3000 + rng.randrange(100))  # outside _text's range: always new
    noisy = "".join(chars)
    assert jaccard(shingles(body, 5), shingles(noisy, 5)) < DEFAULT_CONFIG.threshold
    assert all(m is not None and m.rule is MatchRule.CONTAINMENT for m in _judge_both_ways(body, noisy))


def test_an_excerpt_under_the_size_ratio_does_not_link():
    # A brief made of the first paragraph of five is fully contained but a fifth of the size.
    paragraphs = _paragraphs(22)
    assert _judge_both_ways("\n".join(paragraphs), paragraphs[0]) == [None, None]


def test_a_rewritten_passage_does_not_link_however_contained():
    # Given a copy with a fifth cut and one foreign sentence of 30 characters put in its place
    rng = random.Random(99)  # not the paragraphs' seed: the passage must be foreign
    paragraphs = _paragraphs(23)
    rewrite = "\n".join([*paragraphs[:2], _text(rng, 30), *paragraphs[3:]])
    body = "\n".join(paragraphs)
    assert containment(shingles(body, 5), shingles(rewrite, 5)) > 0.9
    # Then the foreign passage (a novel run of 34 shingles) keeps them apart...
    assert _judge_both_ways(body, rewrite) == [None, None]
    # ...and only the run limit does: without it they would link
    lenient = MinHashConfig(max_novel_run=10**6)
    assert all(m is not None for m in _judge_both_ways(body, rewrite, lenient))


def test_a_jaccard_match_outranks_a_containment_match_then_ties_go_to_the_earliest():
    paragraphs = _paragraphs(24)
    body, cut = "\n".join(paragraphs), "\n".join(paragraphs[1:])
    cands = [_candidate(1, cut), _candidate(5, body), _candidate(4, body)]
    match = best_match(body, minhash_signature(body), cands)
    assert (match.article_id, match.rule) == (4, MatchRule.JACCARD)
    only_cut = best_match(body, minhash_signature(body), [_candidate(2, cut), _candidate(1, cut)])
    assert (only_cut.article_id, only_cut.rule) == (1, MatchRule.CONTAINMENT)
