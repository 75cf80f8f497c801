"""Search against LIKE at scale: recall, precision, top-20 latency, index size, ingest cost.

Articles are real ones reused with edits: the 人民日报 articles of
``../shared/corpus/rmrb-2019-2020-articles.jsonl.gz`` read at run time (never committed), or
the items of the seed pages in ``seeds/`` when the corpus is absent. Article n below the
number of real articles is that article; above it, a real article with one paragraph swapped
for another article's, one dropped, 2 % of one paragraph's characters replaced and one
character of the title changed, so every row is a distinct text made of real words.

Run:  .venv/bin/python -m benchmarks.search [--articles 100000] [--queries 40]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from rich.console import Console
from sqlalchemy import column
from sqlalchemy.dialects import postgresql

from benchmarks.pipeline import code_version
from benchmarks.report import machine
from migrations import upgrade_head
from models.search import search_value
from stages.words.enrich import pos_tags, search_tokens
from workers import scratch as services
from workers.search_view import build_grams_index

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "rmrb-2019-2020-articles.jsonl.gz"
OUT = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Source:
    title: str
    subtitle: str | None
    paragraphs: tuple[str, ...]


def _paragraphs(body: str) -> tuple[str, ...]:
    stripped = (line.strip(" \u3000\t") for line in body.splitlines())
    return tuple(line for line in stripped if line)


def sources() -> tuple[list[Source], str]:
    """The real articles to reuse, and where they came from."""
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines]
        found = [Source(r["title"] or "", r.get("subtitle"), _paragraphs(r["body"] or ""))
                 for r in records]
        origin = str(CORPUS)
    else:
        from stages.segment.split import segment_page

        found = [Source(item.title or "", item.subtitle, _paragraphs(item.body))
                 for page in sorted((ROOT / "seeds").glob("*.txt"))
                 for item in segment_page(page.read_text(encoding="utf-8"))]
        origin = "seeds/ (the shared corpus is absent)"
    return [s for s in found if s.paragraphs], origin


class Synthesizer:
    """Article n (title, subtitle, body) and its search words, deterministic in n."""

    def __init__(self, found: list[Source], seed: int = 25) -> None:
        self.found, self.seed = found, seed
        self._words: dict[str, str] = {}  # paragraph -> its search words, for the real ones

    def article(self, n: int) -> tuple[str, str | None, tuple[str, ...]]:
        if n < len(self.found):
            source = self.found[n]
            return source.title, source.subtitle, source.paragraphs
        rng = random.Random(self.seed * 1_000_003 + n)
        source = rng.choice(self.found)
        paragraphs = list(source.paragraphs)
        other = rng.choice(self.found).paragraphs
        paragraphs[rng.randrange(len(paragraphs))] = rng.choice(other)
        if len(paragraphs) > 2:
            del paragraphs[rng.randrange(len(paragraphs))]
        at = rng.randrange(len(paragraphs))
        paragraphs[at] = _edited(rng, paragraphs[at], max(1, len(paragraphs[at]) // 50))
        title = _edited(rng, source.title, 1) if source.title else source.title
        return title, source.subtitle, tuple(paragraphs)

    def words(self, text: str) -> str:
        cached = self._words.get(text)
        if cached is None:
            cached = " ".join(search_tokens(text))
            if len(self._words) < 400_000:
                self._words[text] = cached
        return cached

    def row(self, n: int) -> tuple:
        """The staged columns: title, subtitle, body, content hash, title words, text words."""
        title, subtitle, paragraphs = self.article(n)
        body = "\n".join(paragraphs)
        text_words = " ".join(self.words(part) for part in (title, subtitle or "", *paragraphs))
        digest = hashlib.sha256(f"{title}\n{subtitle}\n{body}".encode()).hexdigest()
        return title or None, subtitle, body, digest, self.words(title), text_words


def _edited(rng: random.Random, text: str, count: int) -> str:
    """``count`` characters replaced by others of the same text (real characters)."""
    chars = list(text)
    for at in rng.sample(range(len(chars)), min(count, len(chars))):
        chars[at] = rng.choice(text)
    return "".join(chars)


# The pipeline's search value (models.search), as SQL over the staged columns.
_SEARCH = search_value(column("title_words"), column("text_words")).compile(
    dialect=postgresql.psycopg.dialect())
_LOAD = f"""
INSERT INTO articles (kind, title, subtitle, body, body_original, content_sha256, char_count, search)
SELECT 'article', title, subtitle, body, body, content_sha256, length(body), {_SEARCH}
FROM staged ORDER BY n
ON CONFLICT (content_sha256) DO NOTHING
"""


def load(url: str, synth: Synthesizer, first: int, count: int, batch: int = 5000) -> float:
    """Store articles ``first`` … ``first + count - 1`` with both indexes, as the pipeline's
    one INSERT … SELECT per batch; the seconds the server took."""
    spent = 0.0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE staged (n int, title text, subtitle text, body text,"
                     " content_sha256 text, title_words text, text_words text)")
        for start in range(first, first + count, batch):
            stop = min(start + batch, first + count)
            conn.execute("TRUNCATE staged")
            with conn.cursor().copy("COPY staged FROM STDIN") as copy:
                for n in range(start, stop):
                    copy.write_row((n, *synth.row(n)))
            began = time.perf_counter()
            conn.execute(_LOAD, _SEARCH.params)
            spent += time.perf_counter() - began
            print(f"    {stop:,} articles stored", flush=True)
    return spent


def link_to_pages(url: str) -> None:
    """One page (source file) per five articles, dated, so every article is a published
    story of ``canonical_articles``, as the pipeline leaves it."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("""
            INSERT INTO source_files (id, path, path_bytes, content_sha256, size, status, stage,
                                      published_on)
            SELECT g, 'bench/' || g || '.txt', convert_to('bench/' || g || '.txt', 'UTF8'),
                   md5(g::text), 0, 'stored', 'stored', date '2019-01-01' + (g % 700)::int
            FROM generate_series((SELECT coalesce(max(id) + 1, 0) FROM source_files),
                                 (SELECT max(id) FROM articles) / 5) AS g""")
        conn.execute("""
            INSERT INTO article_occurrences (article_id, file_id, position)
            SELECT a.id, a.id / 5, a.id % 5 FROM articles a
            WHERE NOT EXISTS (SELECT 1 FROM article_occurrences o WHERE o.article_id = a.id)""")
        conn.execute("ANALYZE")


# --- queries ---------------------------------------------------------------------------

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

def sizes(url: str) -> dict:
    """Bytes of the stored text (title, subtitle, body as UTF-8) and of each part of the index."""
    with psycopg.connect(url) as conn:
        text, stored, words = conn.execute("""
            SELECT sum(coalesce(octet_length(title), 0) + coalesce(octet_length(subtitle), 0)
                       + octet_length(body)),
                   sum(coalesce(pg_column_size(title), 0) + coalesce(pg_column_size(subtitle), 0)
                       + pg_column_size(body)),
                   sum(pg_column_size(search)) FROM articles""").fetchone()
        grams, words_index = conn.execute("SELECT pg_relation_size('articles_grams_idx'),"
                                          " pg_relation_size('articles_search_idx')").fetchone()
    return {"text_bytes": int(text), "text_stored_bytes": int(stored), "grams_index_bytes": grams,
            "words_column_bytes": int(words), "words_index_bytes": words_index,
            "grams_over_text": grams / text,
            "all_search_over_text": (grams + int(words) + words_index) / text}


def _backend_cpu(conn: psycopg.Connection) -> float:
    """CPU seconds the connection's server process has used (the server is this machine)."""
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ingest_cpu(url: str, synth: Synthesizer, first: int, count: int, per_file: int = 3) -> dict:
    """Server CPU to store ``count`` articles ``per_file`` to a transaction, as the store step
    does, pending GIN entries merged at the end (work the index defers, counted too)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE staged (n int, title text, subtitle text, body text,"
                     " content_sha256 text, title_words text, text_words text)")
        with conn.cursor().copy("COPY staged FROM STDIN") as copy:
            for n in range(first, first + count):
                copy.write_row((n, *synth.row(n)))
        chars = conn.execute("SELECT sum(length(body) + coalesce(length(title), 0)"
                             " + coalesce(length(subtitle), 0)) FROM staged").fetchone()[0]
        insert = _LOAD.replace("FROM staged", "FROM staged WHERE n >= %(low)s AND n < %(high)s")
        began = _backend_cpu(conn)
        for low in range(first, first + count, per_file):
            conn.execute(insert, {**_SEARCH.params, "low": low, "high": low + per_file})
        conn.execute("SELECT gin_clean_pending_list(c.oid) FROM pg_class c"
                     " WHERE c.relname IN ('articles_search_idx', 'articles_grams_idx')")
        spent = _backend_cpu(conn) - began
    return {"articles": count, "chars": int(chars), "cpu_s": spent,
            "ms_per_article": spent * 1e3 / count, "us_per_char": spent * 1e6 / chars}


def pipeline_reference() -> dict | None:
    """CPU per file of the pipeline run (benchmarks/results/pipeline.json, 2 workers) and the
    new text a file brings there: what the index's cost is a share of."""
    path = OUT / "pipeline.json"
    if not path.exists():
        return None
    results = json.loads(path.read_text())
    run = next(r for r in results["pipeline"] if r["workers"] == 2)["throughput"]
    # Item text is nearly all Han: 3 bytes a character, a page's furniture aside.
    chars_per_article = run["bytes"] / run["items"] / 3
    return {"code": results["code"], "cpu_ms_per_file": sum(run["cpu_ms_per_file"].values()),
            "new_articles_per_file": run["articles"] / run["files"],
            "chars_per_article": chars_per_article}


def ingest_share(with_index: dict, without: dict, reference: dict | None) -> dict:
    extra_us_per_char = with_index["us_per_char"] - without["us_per_char"]
    share = {"extra_ms_per_article": with_index["ms_per_article"] - without["ms_per_article"],
             "extra_us_per_char": extra_us_per_char,
             "over_insert_without": with_index["cpu_s"] / without["cpu_s"] - 1}
    if reference:
        chars = reference["new_articles_per_file"] * reference["chars_per_article"]
        per_file_ms = extra_us_per_char * chars / 1e3
        share["share_of_pipeline_cpu_per_file"] = per_file_ms / reference["cpu_ms_per_file"]
    return share


# --- the run ----------------------------------------------------------------------------

def run(url: str, articles: int, per_class: int, measure_ingest: int) -> dict:
    found, origin = sources()
    synth = Synthesizer(found)
    result = {"articles": articles, "source": origin, "per_class": per_class}
    upgrade_head(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ALTER TABLE articles SET (autovacuum_enabled = false)")  # no noise
        conn.execute("DROP INDEX articles_grams_idx")  # built once the bulk is in, as reindex does
    bulk = articles - 2 * measure_ingest
    print(f"storing {bulk:,} articles", flush=True)
    load(url, synth, 0, bulk)
    without = ingest_cpu(url, synth, bulk, measure_ingest)
    began = time.perf_counter()
    build_grams_index(url, Console(stderr=True))
    result["index_build_s"] = time.perf_counter() - began
    with_index = ingest_cpu(url, synth, bulk + measure_ingest, measure_ingest)
    result["ingest"] = {"without_grams_index": without, "with_grams_index": with_index,
                        "pipeline": pipeline_reference()}
    result["ingest"]["added"] = ingest_share(with_index, without, result["ingest"]["pipeline"])
    link_to_pages(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE articles")
    with psycopg.connect(url) as conn:
        result["stored"] = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        result["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
    result["sizes"] = sizes(url)
    queries = sample_queries(synth, articles, per_class)
    result["queries"] = queries
    print("recall and precision against LIKE", flush=True)
    result["quality"] = quality(url, queries)
    print("latency", flush=True)
    result["latency"] = latency(url, queries)
    return result


def table(result: dict) -> str:
    lines = [f"{result['stored']:,} articles ({result['source']}); {result['per_class']} queries a class",
             f"{'class':<12} {'recall':>8} {'precision':>9} {'LIKE hits':>10} {'p50 ms':>7} {'p95 ms':>7}"]
    for name in (*CLASSES, "all"):
        q, t = result["quality"].get(name), result["latency"][name]
        quality_part = (f"{q['recall']:>8.4f} {q['precision']:>9.4f} {q['like_hits']:>10,}" if q
                        else f"{'':>8} {'':>9} {'':>10}")
        lines.append(f"{name:<12} {quality_part} {t['p50_ms']:>7.1f} {t['p95_ms']:>7.1f}")
    s, added = result["sizes"], result["ingest"]["added"]
    lines += [f"text {s['text_bytes'] / 1e6:,.0f} MB; bigram index {s['grams_index_bytes'] / 1e6:,.0f} MB"
              f" ({s['grams_over_text']:.2f} x); with the word lexemes and their index"
              f" {s['all_search_over_text']:.2f} x; built in {result['index_build_s']:.0f} s",
              f"ingest: +{added['extra_ms_per_article']:.2f} ms server CPU an article"
              f" (+{added['extra_us_per_char']:.2f} us a character, +{added['over_insert_without']:.0%}"
              " over the insert without it)"
              + (f"; {added['share_of_pipeline_cpu_per_file']:.1%} of the pipeline's CPU per file"
                 if "share_of_pipeline_cpu_per_file" in added else "")]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=30, help="queries per class")
    parser.add_argument("--ingest", type=int, default=2_000, help="articles timed with and without the index")
    args = parser.parse_args()
    if args.articles <= 2 * args.ingest:
        parser.error("--articles must be more than twice --ingest")
    began = time.perf_counter()
    with services.postgres_admin_url(Path("/tmp")) as admin, services.scratch_database(admin) as url:
        result = run(url, args.articles, args.queries, args.ingest)
    result["run_s"] = time.perf_counter() - began
    result["machine"], result["code"] = machine(), code_version()
    OUT.mkdir(exist_ok=True)
    name = f"search_{args.articles // 1000}k.json"
    (OUT / name).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    print(table(result))


if __name__ == "__main__":
    main()
