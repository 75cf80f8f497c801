"""Dedup cost per article as the archive grows (issue: "flat, indexed band lookups, no scans").

Stores N synthetic articles (default 200,000; 5 % of them near-duplicates of earlier ones)
through the same code the dedupe step runs (``tasks.dedupe.link_items``: bucket locks, band
lookup, ``best_match``, ``INSERT … ON CONFLICT``), one transaction per article as per file in
production, into a scratch database, and reports the cost per article of each window of
10,000. Run:  .venv/bin/python -m benchmarks.dedup_scale [--articles N]
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import time
from pathlib import Path

from migrations import upgrade_head
from models.articles import _BAND_HITS as CANDIDATES_SQL
from models.db import driver_cursor, get_engine, transaction
from models.staged import IndexedEnrichment, StagedItem
from stages.dedup.decide import content_sha256
from stages.items import ItemKind, NormalizedItem, PageItem
from tasks.dedupe import link_items
from tasks.settings import Settings
from workers import scratch as services

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
OUT = Path(__file__).resolve().parent / "results"


def sentence_pool() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return [s + "。" for s in text.replace("\n", "").split("。") if len(s) > 10]


def synthetic_body(rng: random.Random, pool: list[str], alphabet: str) -> str:
    """Twelve sentences of the seeds with 15 % of characters replaced: a distinct story."""
    chars = list("".join(rng.choices(pool, k=12)))
    for i in rng.sample(range(len(chars)), len(chars) * 15 // 100):
        chars[i] = rng.choice(alphabet)
    return "".join(chars)


def near_copy(rng: random.Random, body: str) -> str:
    chars = list(body)
    for i in rng.sample(range(len(chars)), max(1, len(chars) // 200)):
        chars[i] = "的"
    return "".join(chars)


def staged(body: str, n: int) -> StagedItem:
    """An item as normalize leaves it, with no words to index (the index is not measured)."""
    parsed = PageItem(position=n, kind=ItemKind.ARTICLE, body=body, title=f"第{n}篇")
    normalized = NormalizedItem(None, f"第{n}篇", None, [], None, body, "simplified", [], 1.0,
                                len(body))
    return StagedItem(0, parsed, normalized, IndexedEnrichment([], [], "", ""),
                      content_sha256(body))


def store_all(url: str, count: int, window: int, settings: Settings) -> list[float]:
    """Seconds spent per window of ``window`` articles."""
    rng, pool = random.Random(7), sentence_pool()
    alphabet = "".join(sorted({c for s in pool for c in s if "\u4e00" <= c <= "\u9fff"}))
    bodies, windows, started = [], [], time.perf_counter()
    for n in range(count):
        reprint = bodies and rng.random() < 0.05
        body = near_copy(rng, rng.choice(bodies)) if reprint else synthetic_body(rng, pool, alphabet)
        if len(bodies) < 20_000:  # reprints come from a bounded pool, so memory stays flat
            bodies.append(body)
        with transaction(url) as session:
            link_items(session, [staged(body, n)], settings)
        if (n + 1) % window == 0:
            windows.append(time.perf_counter() - started)
            started = time.perf_counter()
            print(f"{n + 1:>8} articles  {windows[-1] / window * 1e3:.2f} ms/article", flush=True)
    return windows


def candidate_query_plan(url: str, settings: Settings) -> str:
    """EXPLAIN of the dedupe stage's candidate lookup for 32 bands on the full archive."""
    params = {"bands": list(range(32)), "buckets": list(range(1000, 1032)),
              "per_bucket": settings.dedup_bucket_candidates}
    # The look-up is psycopg SQL (it runs on a driver cursor), so its plan is asked the same way.
    with transaction(url) as session, driver_cursor(session) as cursor:
        return "\n".join(row[0] for row in cursor.execute("EXPLAIN " + CANDIDATES_SQL, params))


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # so a killed run still drops its scratch database


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--window", type=int, default=10_000)
    args = parser.parse_args()
    if not 0 < args.window <= args.articles:
        # A first and a last window are compared: without one, the run would store
        # everything and then have nothing to report.
        parser.error(f"--window must be between 1 and --articles ({args.articles})")
    with services.postgres_admin_url(Path("/tmp")) as admin, services.scratch_database(admin) as url:
        upgrade_head(url)
        settings = Settings(database_url=url)
        windows = store_all(url, args.articles, args.window, settings)
        plan = candidate_query_plan(url, settings)
        get_engine(url).dispose()
    per_article = [w / args.window * 1e3 for w in windows]
    first, last = per_article[0], per_article[-1]
    # One window's cost moves by ±10 % on this machine (checkpoints, the VM's drift): the
    # medians of the first and last three windows say the same thing with less of that noise.
    spread = statistics.median(per_article[-3:]) / statistics.median(per_article[:3])
    result = {"articles": args.articles, "window": args.window, "ms_per_article_by_window": per_article,
              "first_window_ms": first, "last_window_ms": last, "last_over_first": last / first,
              "last3_over_first3_medians": spread, "band_lookup_plan": plan}
    OUT.mkdir(exist_ok=True)
    (OUT / "dedup_scale.json").write_text(json.dumps(result, indent=2))
    print(f"first {args.window}: {first:.2f} ms/article, last {args.window}: {last:.2f} ms/article, "
          f"ratio {last / first:.2f} (target ≤ 1.20); medians of the last and first three "
          f"windows: ratio {spread:.2f}\nband lookup: {plan}")


if __name__ == "__main__":
    main()
