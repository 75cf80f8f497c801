"""The dedupe step's candidate look-up against a real PostgreSQL: crowded LSH buckets.

A templated story (a daily report, a wire story reprinted by many papers) puts a new member
into the same buckets with every issue; the look-up reads only a bucket's newest
``dedup_bucket_candidates`` articles, so its cost stops growing with the archive, while an
old article stays reachable through the buckets it does not share with the crowd.
"""

from __future__ import annotations

import json

from models import articles as repo
from models.db import transaction
from tasks import steps
from tests.conftest import SEEDS

STEPS = steps.IN_ORDER
CROWDED, OWN = (0, 424242), (1, 434343)  # (band, bucket) keys no real signature lands in


def _stored_stories(stack, count: int) -> list[int]:
    """Ids of ``count`` distinct stories (long paragraphs of a seed page), oldest first."""
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    bodies = [p.strip() for p in text.split("\n") if len(p.strip()) > 150][:count]
    path = stack.inbox / "stories.jsonl"
    path.write_text("".join(json.dumps({"title": f"第{n}篇", "body": body}, ensure_ascii=False)
                            + "\n" for n, body in enumerate(bodies)), encoding="utf-8")
    stack.run_steps(stack.register(path), STEPS)
    ids = [row.id for row in stack.sql("SELECT id FROM articles ORDER BY id")]
    assert len(ids) == count
    return ids


def test_a_crowded_bucket_yields_its_newest_articles_and_an_old_one_stays_reachable(stack):
    # Given four stored stories that all share one bucket, the oldest also alone in another
    oldest, second, third, newest = _stored_stories(stack, 4)
    with transaction(stack.database_url) as session:
        repo.save_bands(session, {oldest: [CROWDED, OWN], second: [CROWDED], third: [CROWDED],
                                  newest: [CROWDED]})
    # When both buckets are looked up, at most two articles per bucket
    with transaction(stack.database_url) as session:
        hits = {hit.id: list(zip(hit.bands, hit.buckets, strict=True))
                for hit in repo.band_hits(session, [CROWDED, OWN], per_bucket=2)}
    # Then the crowded bucket yields its two newest, and the oldest comes through its own
    assert hits == {third: [CROWDED], newest: [CROWDED], oldest: [OWN]}
    # And without the bound every member comes back, each with every key it was found by
    with transaction(stack.database_url) as session:
        everything = {hit.id: sorted(zip(hit.bands, hit.buckets, strict=True))
                      for hit in repo.band_hits(session, [CROWDED, OWN], per_bucket=10)}
    assert everything == {oldest: [CROWDED, OWN], second: [CROWDED], third: [CROWDED],
                          newest: [CROWDED]}
