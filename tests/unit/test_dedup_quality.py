"""Precision and recall of the near-duplicate decision on the labelled set built from seeds/.

Labels come from how each pair is built (evaluation/dedup_quality.py), never from the detector. A
pair is detected only through the production path: shared band key, then best_match (the
Jaccard rule or the containment rule), at the default MinHashConfig.
Numbers, the rule and its sensitivity: docs/dedup.md.
"""

from __future__ import annotations

import numpy as np
import opencc
import pytest

from evaluation.dedup_quality import (
    BELOW_THRESHOLD_BY_NATURE,
    SEED_DIR,
    build_pairs,
    evaluate,
    format_report,
    load_articles,
    split_articles,
)
from stages.dedup.candidates import Incoming, StoredCandidates, plan_new_articles
from stages.dedup.decide import content_sha256
from stages.dedup.fingerprint import fingerprint
from stages.dedup.minhash import DEFAULT_CONFIG

DUPLICATE_CATEGORIES = {
    "exact_copy", "traditional_round_trip", "byline_removed", "paragraph_removed",
    "substituted_1%", "substituted_2%", "substituted_3%",
}
NON_DUPLICATE_CATEGORIES = {"unrelated", "same_topic_zhengxie", "same_template", "excerpt"}


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


def test_precision_at_the_defaults(result):
    assert result["precision"] >= 0.98, format_report(result)


def test_recall_over_every_labelled_duplicate_at_the_defaults(result):
    # The product bar, including one-paragraph cuts and 3% substitutions (below J 0.8).
    assert result["recall"] >= 0.95, format_report(result)


def test_detector_loses_few_pairs_above_the_threshold(result):
    # What LSH banding plus the estimate prefilter miss among pairs with exact J >= 0.8.
    assert result["detector_recall"] >= 0.95, format_report(result)


@pytest.mark.parametrize("name", ["same_topic_zhengxie", "same_template"])
def test_reports_of_other_counties_are_never_merged(result, name):
    # 政协 meeting reports of different counties, real or renamed from one template.
    assert result["categories"][name]["detected"] == 0, format_report(result)


def test_no_non_duplicate_category_is_flagged(result):
    for name in NON_DUPLICATE_CATEGORIES:
        assert result["categories"][name]["detected"] == 0, format_report(result)


def test_categories_below_by_nature_are_caught_by_containment(result):
    # Keeps BELOW_THRESHOLD_BY_NATURE honest: most of their pairs are under the Jaccard
    # threshold (most pairs of every other duplicate category are at or above it), and
    # those pairs are found by the containment rule, not by luck of the Jaccard rule.
    for name in DUPLICATE_CATEGORIES:
        stats = result["categories"][name]
        mostly_below = stats["below_threshold"] > stats["pairs"] / 2
        assert mostly_below == (name in BELOW_THRESHOLD_BY_NATURE), format_report(result)
    for name in BELOW_THRESHOLD_BY_NATURE:
        stats = result["categories"][name]
        assert stats["by_containment"] >= stats["below_threshold"] * 0.95, format_report(result)


def test_excerpts_are_fully_contained_yet_not_merged(result):
    # The size-ratio guard, not low containment, is what keeps a brief apart from its source.
    stats = result["categories"]["excerpt"]
    assert stats["pairs"] >= 10 and stats["min_containment"] >= 0.99, format_report(result)
    assert stats["detected"] == 0, format_report(result)


class _Store:
    """The dedupe step in memory: the same fingerprints and plan (``stages.dedup``) that
    ``tasks/dedupe.py`` runs against PostgreSQL, one body per message. Ids start at 1, as
    the database's do (0 means "none" in the candidate arrays)."""

    def __init__(self) -> None:
        self.rows: dict[int, tuple[Incoming, int | None]] = {}  # id -> (article, duplicate_of)
        self.by_hash: dict[str, int] = {}
        self.buckets: dict[tuple[int, int], set[int]] = {}

    def put(self, body: str) -> None:
        if content_sha256(body) in self.by_hash:
            return  # an exact copy: the same article
        incoming = Incoming(content_sha256(body), body, fingerprint(body, DEFAULT_CONFIG, 0))
        asked = incoming.fingerprint.keys
        found = sorted(set().union(*(self.buckets.get(k, set()) for k in asked)))
        [planned] = plan_new_articles(self._candidates(found, asked), [incoming],
                                      {i: self.rows[i][0].body for i in found}, DEFAULT_CONFIG)
        article_id = len(self.rows) + 1
        self.rows[article_id] = (incoming, planned.duplicate_of)
        self.by_hash[incoming.content_sha256] = article_id
        for key in asked:
            self.buckets.setdefault(key, set()).add(article_id)

    def _candidates(self, found: list[int], asked: list) -> StoredCandidates:
        rows = [self.rows[i] for i in found]
        prints = [row[0].fingerprint for row in rows]
        return StoredCandidates(
            np.array(found, np.int64), np.array([c or 0 for _, c in rows], np.int64),
            np.array([p.shingle_count for p in prints], np.int64),
            np.array([p.signature for p in prints]).reshape(len(rows), DEFAULT_CONFIG.num_perm),
            [[k for k in p.keys if k in asked] for p in prints])


def _cut_middle_paragraph(article: list[str]) -> str:
    """The article with its middle paragraph cut, when it has four or more lines."""
    if len(article) < 4:
        return "\n".join(article)
    middle = len(article) // 2
    return "\n".join(article[:middle] + article[middle + 1 :])


def test_a_page_twice_its_traditional_and_a_cut_copy_store_one_article_per_story():
    # Given every seed page dropped twice, in Traditional, and with a paragraph cut from
    # every article of four or more lines (the acceptance drop, on all pages at once)
    s2t, store, stories = opencc.OpenCC("s2t"), _Store(), 0
    for path in sorted(SEED_DIR.glob("*.txt")):
        page = path.read_text()
        articles = split_articles(page)
        stories += len(articles)
        copies = [*articles, *articles, *split_articles(s2t.convert(page))]
        for body in ["\n".join(a) for a in copies] + [_cut_middle_paragraph(a) for a in articles]:
            store.put(body)
    # Then one canonical article per story: every copy points at an original
    assert sum(canonical is None for _, canonical in store.rows.values()) == stories
