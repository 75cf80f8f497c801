"""The search benchmark's queries and what it measures of them against LIKE: recall,
precision and top-20 latency per query class (see ``benchmarks.search``)."""

from __future__ import annotations

import random
import statistics
import time

import psycopg

from benchmarks.search_corpus import Synthesizer
from stages.words.enrich import pos_tags

CLASSES = ("word 2", "word 3", "word 4", "name", *(f"substring {n}" for n in range(1, 9)))


def _is_han(text: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in text)


def sample_queries(synth: Synthesizer, articles: int, per_class: int, seed: int = 7) -> dict[str, list[str]]:
    """``per_class`` distinct queries of each class, drawn from random stored articles:
    dictionary words of 2, 3 and 4 characters and person names as jieba cuts the text (so
    frequent words come often, as in real searches), and substrings of 1 to 8 characters
    of a title or body, anything but whitespace (a fragment copied from a text)."""
    from stages.words.enrich import _jieba

    dictionary = _jieba().tokenizer.FREQ
    rng, found = random.Random(seed), {name: dict() for name in CLASSES}
    while any(len(q) < per_class for q in found.values()):
        title, _, paragraphs = synth.article(rng.randrange(articles))
        text = rng.choice([title, *paragraphs]) if title else rng.choice(paragraphs)
        tags = pos_tags(text)
        word, flag = rng.choice(tags)
        if flag.startswith("nr") and len(word) > 1 and _is_han(word):
            found["name"][word] = None
        elif len(word) in (2, 3, 4) and _is_han(word) and dictionary.get(word):
            found[f"word {len(word)}"][word] = None
        size = rng.randint(1, 8)
        if len(text) >= size:
            at = rng.randrange(len(text) - size + 1)
            piece = text[at:at + size]
            if not any(c.isspace() for c in piece) and any(c.isalnum() for c in piece):
                found[f"substring {size}"][piece] = None
    return {name: list(q)[:per_class] for name, q in found.items()}


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def truth(url: str, queries: list[str]) -> list[set[int]]:
    """The articles LIKE '%q%' finds in title, subtitle or body, for every query, in one scan."""
    found: list[set[int]] = [set() for _ in queries]
    with psycopg.connect(url) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 2")
        rows = conn.execute("""
            SELECT q.n, a.id FROM articles a
            JOIN unnest(%s::text[]) WITH ORDINALITY AS q(pattern, n)
              ON a.title LIKE q.pattern OR a.subtitle LIKE q.pattern OR a.body LIKE q.pattern
            WHERE a.duplicate_of IS NULL""", ([_like(q) for q in queries],))
        for n, article in rows:
            found[n - 1].add(article)
    return found


def quality(url: str, queries: dict[str, list[str]]) -> dict[str, dict]:
    """Recall and precision of every hit of ``newsflow_search`` against LIKE, per class
    (micro-averaged over the queries' hits), and the queries that missed or over-found."""
    flat = [q for name in CLASSES for q in queries[name]]
    expected = dict(zip(flat, truth(url, flat), strict=True))
    result = {}
    with psycopg.connect(url) as conn:
        for name in CLASSES:
            right = found = wanted = 0
            wrong = []
            for query in queries[name]:
                hits = {r[0] for r in conn.execute(
                    "SELECT article_id FROM newsflow_search(%s, max_hits => NULL, snippets => false)",
                    (query,))}
                right += len(hits & expected[query])
                found, wanted = found + len(hits), wanted + len(expected[query])
                if hits != expected[query]:
                    wrong.append(query)
            result[name] = {"queries": len(queries[name]), "hits": found, "like_hits": wanted,
                            "recall": right / wanted if wanted else 1.0,
                            "precision": right / found if found else 1.0, "differing": wrong}
    return result


def latency(url: str, queries: dict[str, list[str]], runs: int = 3) -> dict[str, dict]:
    """Milliseconds per ``newsflow_search(q)`` (its top 20 with snippets), per class and over
    all queries: the median of ``runs`` runs of each query, after one warm-up run."""
    per_class, every = {}, []
    with psycopg.connect(url, autocommit=True) as conn:
        for name in CLASSES:
            times = []
            for query in queries[name]:
                runs_ms = []
                for _ in range(runs + 1):
                    began = time.perf_counter()
                    conn.execute("SELECT * FROM newsflow_search(%s, max_hits => 20)", (query,)).fetchall()
                    runs_ms.append((time.perf_counter() - began) * 1e3)
                times.append(statistics.median(runs_ms[1:]))
            per_class[name] = _percentiles(times)
            every += times
    per_class["all"] = _percentiles(every)
    return per_class


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50_ms": statistics.median(ordered),
            "p95_ms": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
            "max_ms": ordered[-1]}


# --- index size and ingest cost ---------------------------------------------------------
