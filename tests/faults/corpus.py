"""Distinct synthetic stories for the fault tests, and the checks every fault test ends with."""

from __future__ import annotations

import functools
import json
import random
import time
from pathlib import Path

from tests.conftest import SEEDS

FINAL = ("stored", "duplicate", "quarantined", "failed")
QUEUES = ("ingest", "parse", "normalize", "dedupe", "store")


@functools.cache
def _pool() -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return [s + "。" for s in text.replace("\n", "").split("。") if len(s) > 10]


@functools.cache
def _alphabet() -> list[str]:
    return sorted({c for s in _pool()[:200] for c in s if "\u4e00" <= c <= "\u9fff"})


def story(n: int) -> dict:
    """Story ``n``: seed sentences with 20 % of characters replaced, unique per ``n``."""
    rng, pool, alphabet = random.Random(n), _pool(), _alphabet()
    chars = list("".join(rng.choices(pool, k=6)))
    for i in rng.sample(range(len(chars)), len(chars) // 5):
        chars[i] = rng.choice(alphabet)
    return {"title": f"第{n}号稿件", "body": "".join(chars)}


def write_stories(folder: Path, count: int, start: int = 0) -> list[Path]:
    """One JSONL file per story (a pre-split article), written atomically by rename."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        tmp, path = folder / f".story{n}.tmp", folder / f"story{n:05d}.jsonl"
        tmp.write_text(json.dumps(story(n), ensure_ascii=False) + "\n", encoding="utf-8")
        tmp.rename(path)
        paths.append(path)
    return paths


def wait_until_idle(stack, files: int, timeout: float = 600) -> dict:
    """Wait until ``files`` ledger rows are final and nothing is left queued; the figures."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        final = stack.sql(f"SELECT count(*) FROM source_files WHERE status IN {FINAL}")[0][0]
        if final >= files and queue_lengths(stack) == 0:
            break
        time.sleep(0.5)
    return figures(stack, files)


def queue_lengths(stack) -> int:
    import redis

    client = redis.Redis.from_url(stack.redis_url)
    return sum(client.llen(queue) for queue in QUEUES)


def figures(stack, dropped: int) -> dict:
    """The suite's report line: dropped, per final state, lost and doubled."""
    states = dict(stack.sql("SELECT status, count(*) FROM source_files GROUP BY status"))
    rows_per_path = stack.sql("SELECT count(*) FROM source_files GROUP BY path_bytes, content_sha256"
                              " HAVING count(*) > 1")
    final = sum(states.get(s, 0) for s in FINAL)
    result = {"dropped": dropped, **{s: states.get(s, 0) for s in FINAL},
              "unfinished": sum(states.values()) - final, "lost": dropped - final,
              "doubled": len(rows_per_path), "articles": article_count(stack),
              "queued_messages": queue_lengths(stack)}
    print("\nfigures:", json.dumps(result, ensure_ascii=False))
    return result


def article_count(stack) -> int:
    return stack.sql("SELECT count(*) FROM articles")[0][0]
