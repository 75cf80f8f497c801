"""The benchmark corpus (benchmarks/corpus.py): deterministic, the requested mix, honest labels."""

from __future__ import annotations

import random

import pytest

from benchmarks.corpus import (
    DEFAULT_MIX,
    ORIGINAL_EDIT,
    build_corpus,
    kind_counts,
    reword,
)
from benchmarks.seed_blocks import seed_blocks, split_at_articles
from stages.dedup.decide import content_sha256, jaccard, shingles
from stages.segment.split import segment_page
from stages.text.script import to_simplified
from tests.conftest import SEEDS


def test_same_arguments_give_the_same_corpus():
    # Given two builds with the same page count and seed
    first, second = build_corpus(60, seed=3), build_corpus(60, seed=3)
    # Then every page is the same, byte for byte, with the same label
    assert [(p.name, p.kind, p.data) for p in first] == [(p.name, p.kind, p.data) for p in second]
    # And another seed gives another corpus
    assert [p.data for p in build_corpus(60, seed=4)] != [p.data for p in first]


def test_the_mix_has_the_requested_count_of_each_kind():
    corpus = build_corpus(200, seed=5)
    expected = {kind: round(200 * share) for kind, share in DEFAULT_MIX.items()}
    assert kind_counts(corpus) == expected
    assert corpus[0].kind == "original"  # every copy has an earlier page to copy
    assert all(page.name.endswith(f"_{page.kind}.txt") for page in corpus)


def test_a_custom_mix_and_prefix():
    corpus = build_corpus(7, seed=1, mix={"original": 1.0}, prefix="lat")
    assert kind_counts(corpus) == {"original": 7, "traditional": 0, "exact": 0, "near": 0}
    assert [p.name for p in corpus][:2] == ["lat00000_original.txt", "lat00001_original.txt"]


def test_labels_match_how_each_page_was_made():
    corpus = build_corpus(120, seed=9)
    for page in corpus:
        if page.kind == "original":
            assert page.source is None and 3 <= len(page.blocks) <= 5
            continue
        source = corpus[page.source]
        assert page.source < corpus.index(page) and source.kind == "original"
        if page.kind == "exact":
            assert page.data == source.data
        elif page.kind == "traditional":
            # A cross-script reprint: different bytes, the source again once converted back
            assert page.text != source.text
            assert _similarity(to_simplified(page.text), to_simplified(source.text)) > 0.9
        else:
            assert page.text != source.text and _similarity(page.text, source.text) > 0.8


def test_originals_are_new_stories_not_near_duplicates_of_each_other():
    # Given two rewordings of the same seed article
    rng = random.Random(11)
    for block in seed_blocks():
        if len(block) < 300:
            continue
        a, b = reword(rng, block, ORIGINAL_EDIT), reword(rng, block, ORIGINAL_EDIT)
        # Then they are far below the 0.8 near-duplicate threshold
        assert content_sha256(a) != content_sha256(b)
        assert jaccard(shingles(a, 5), shingles(b, 5)) < 0.6


def test_seed_pages_are_cut_at_the_articles_the_segmenter_finds():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8")
        blocks = split_at_articles(text)
        articles = [item for item in segment_page(text) if item.kind == "article"]
        # No text is lost or invented, and there is one block per article found
        assert "".join("".join(b.split()) for b in blocks) == "".join(text.split())
        assert len(blocks) == len(articles)


def _similarity(a: str, b: str) -> float:
    return jaccard(shingles("".join(sorted(a.split("\n"))), 5), shingles("".join(sorted(b.split("\n"))), 5))


def test_the_steady_rate_leaves_out_the_filling_and_draining_of_the_pipeline():
    from benchmarks.measure import steady_rate

    # Given 100 files: the first 10 finished slowly while the pipeline filled, 80 at 50 per
    # second, and the last 10 slowly again while it drained
    filling = [i * 0.5 for i in range(10)]
    steady = [5.0 + i * 0.02 for i in range(80)]
    draining = [6.6 + i * 0.5 for i in range(10)]
    # Then the steady rate is the middle's, not the whole run's
    assert steady_rate(filling + steady + draining) == pytest.approx(50, rel=0.02)
    # And a run too short to have a middle has no steady rate
    assert steady_rate([1.0, 1.0, 1.0]) is None
