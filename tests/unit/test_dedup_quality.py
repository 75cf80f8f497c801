"""Precision and recall of the near-duplicate decision on the labelled set built from seeds/.

Labels come from how each pair is built (stages/dedup_eval.py), never from the detector. A
pair is detected only through the production path: shared band key, then best_match.
Numbers and the discussion of the categories below the threshold: docs/dedup.md.
"""

from __future__ import annotations

import pytest

from stages.dedup_eval import (
    BELOW_THRESHOLD_BY_NATURE,
    build_pairs,
    evaluate,
    format_report,
    load_articles,
)

DUPLICATE_CATEGORIES = {
    "exact_copy", "traditional_round_trip", "byline_removed", "paragraph_removed",
    "substituted_1%", "substituted_2%", "substituted_3%",
}
NON_DUPLICATE_CATEGORIES = {"unrelated", "same_topic_zhengxie", "same_template"}


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluate()


def test_the_set_is_deterministic_and_covers_every_category():
    articles = load_articles()
    first, second = build_pairs(articles), build_pairs(articles)
    assert first == second
    assert {p.category for p in first} == DUPLICATE_CATEGORIES | NON_DUPLICATE_CATEGORIES
    assert all(p.duplicate == (p.category in DUPLICATE_CATEGORIES) for p in first)


def test_rough_articles_come_from_every_seed_page_in_simplified():
    articles = ["\n".join(a) for a in load_articles()]
    assert len(articles) >= 20
    xinhe = [a for a in articles if "新河县政协" in a]
    assert xinhe and "(xié)" not in xinhe[0] and "協" not in xinhe[0]


def test_precision_at_the_default_threshold(result):
    assert result["precision"] >= 0.98, format_report(result)


def test_recall_within_the_definition_at_the_default_threshold(result):
    # Every duplicate category whose expected Jaccard reaches 0.8 by construction.
    assert result["recall_within_definition"] >= 0.95, format_report(result)


def test_detector_loses_few_pairs_above_the_threshold(result):
    # What LSH banding plus the estimate prefilter miss among pairs with exact J >= 0.8.
    assert result["detector_recall"] >= 0.95, format_report(result)


def test_no_non_duplicate_category_is_flagged(result):
    for name in NON_DUPLICATE_CATEGORIES:
        assert result["categories"][name]["detected"] == 0, format_report(result)


def test_categories_below_by_nature_really_are(result):
    # Keeps BELOW_THRESHOLD_BY_NATURE honest: most of their pairs are under the threshold,
    # and most pairs of every other duplicate category are at or above it.
    for name in DUPLICATE_CATEGORIES:
        stats = result["categories"][name]
        mostly_below = stats["below_threshold"] > stats["pairs"] / 2
        assert mostly_below == (name in BELOW_THRESHOLD_BY_NATURE), format_report(result)


@pytest.mark.xfail(
    strict=True,
    reason="3% substitution (J ~0.74) and one-paragraph removal (J ~1-1/n) are labelled "
    "duplicates but fall below Jaccard 0.8 by construction; see docs/dedup.md",
)
def test_recall_over_every_labelled_duplicate(result):
    assert result["recall"] >= 0.95, format_report(result)
