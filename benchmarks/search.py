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
import json
import os
import time
from pathlib import Path

import psycopg
from rich.console import Console
from sqlalchemy import column
from sqlalchemy.dialects import postgresql

from benchmarks.pipeline import code_version
from benchmarks.report import machine
from benchmarks.search_corpus import Synthesizer, sources
from benchmarks.search_quality import CLASSES, latency, quality, sample_queries
from migrations import upgrade_head
from models.search import search_value
from workers import scratch as services
from workers.search_view import build_grams_index

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(__file__).resolve().parent / "results"


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
