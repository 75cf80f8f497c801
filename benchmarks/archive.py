"""Archive import: one JSON Lines file of many pre-split articles against page files.

    .venv/bin/python -m benchmarks.archive [--articles 100000] [--pages 2000] [--workers 2]

Both runs use the benchmark corpus' rewording of the seed articles (``benchmarks.corpus``):
the page files are its originals (3–5 articles a page, segmented by the parse stage); the
archive holds ``--articles`` pre-split articles, each a seed article with 20 % of its body's
words replaced, so each is a new story. Each run gets its own scratch services and a worker
of ``--workers`` processes; the figures are articles per second, the CPU every part of the
stack spent per article (pool, Celery main, watcher, PostgreSQL, Redis) and the peak RSS of
each pool process. Writes ``benchmarks/results/archive.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import report
from benchmarks.corpus import ORIGINAL_EDIT, build_corpus, reword
from benchmarks.measure import throughput, wait_all_final
from benchmarks.pipeline import code_version
from benchmarks.seed_blocks import seed_blocks
from benchmarks.stack import running_stack
from stages.items import DecodedPage, ItemKind
from stages.segment.split import split_document

OUT = Path(__file__).parent / "results" / "archive.json"


def seed_articles() -> list[dict]:
    """The seed pages' articles as pre-split records (title, authors, place, body)."""
    records = []
    for block in seed_blocks():
        for item in split_document(DecodedPage(block, "utf-8", "text")):
            if item.kind == ItemKind.ARTICLE and len(item.body) > 200:
                records.append({"title": item.title, "authors": item.authors,
                                "place": item.place, "body": item.body})
    return records


def write_archive(path: Path, articles: int, seed: int) -> int:
    """``articles`` new stories, one JSON object a line; the file's size in bytes."""
    rng, sources = random.Random(seed), seed_articles()
    with path.open("w", encoding="utf-8") as out:
        for n in range(articles):
            source = rng.choice(sources)
            record = source | {"title": f"{source['title'] or ''}（{n}）",
                               "body": reword(rng, source["body"], ORIGINAL_EDIT)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


def archive_run(args, root: Path) -> dict:
    """One archive dropped on a stack of ``args.workers`` processes, timed until final."""
    built = root / "archive.jsonl"
    root.mkdir(parents=True, exist_ok=True)
    size = write_archive(built, args.articles, args.seed)
    with running_stack(root / "stack", args.workers, 0.3) as stack:
        cpu_before, started = stack.cpu_seconds(), time.time()
        os.replace(built, stack.inbox / "archive.jsonl")
        final = wait_all_final(stack, 1, args.timeout, every=2)
        cpu = {part: used - cpu_before[part] for part, used in stack.cpu_seconds().items()}
        [(status, error, items, end)] = stack.query(
            "SELECT status, error_code, item_count, extract(epoch FROM finished_at)::float8 "
            "FROM source_files")
        articles = stack.query("SELECT count(*) FROM articles")[0][0]
        rss = stack.rss.stop()
    seconds = (end or time.time()) - started
    return {"articles_in_file": args.articles, "bytes": size, "final": final, "status": status,
            "error": error, "items": items, "articles": articles, "seconds": seconds,
            "articles_per_s": (items or 0) / seconds, "rss": rss,
            "cpu_ms_per_article": _per_article(cpu, items)}


def pages_run(args, root: Path) -> dict:
    """The page files of the same rewording, on a stack of the same size."""
    corpus = build_corpus(args.pages, args.seed, {"original": 1.0})
    with running_stack(root, args.workers, 0.3) as stack:
        result = throughput(stack, corpus, args.timeout)
        result["rss"] = stack.rss.stop()
    result["cpu_ms_per_article"] = _per_article(
        {part: ms * len(corpus) / 1e3 for part, ms in result["cpu_ms_per_file"].items()},
        result["items"])
    return result


def _per_article(cpu_seconds: dict[str, float], articles: int | None) -> dict[str, float]:
    per = {part: 1e3 * used / (articles or 1) for part, used in cpu_seconds.items()}
    return per | {"total": sum(per.values())}


def summary(results: dict) -> str:
    archive, pages = results["archive"], results["pages"]
    ratio = archive["cpu_ms_per_article"]["total"] / pages["cpu_ms_per_article"]["total"]
    results["archive_over_pages"] = ratio
    lines = [f"{'run':<10} {'articles':>9} {'seconds':>8} {'art./s':>7} {'CPU ms/art.':>12} "
             f"{'pool RSS peak MB':>17}"]
    for name, run in (("pages", pages), ("archive", archive)):
        lines.append(f"{name:<10} {run['items']:>9,} {run['seconds']:>8.1f} "
                     f"{run['items'] / run['seconds']:>7.1f} "
                     f"{run['cpu_ms_per_article']['total']:>12.2f} {run['rss']['max_child_mb']:>17.0f}")
    parts = ", ".join(f"{part} {ms:.2f}" for part, ms in archive["cpu_ms_per_article"].items()
                      if part != "total")
    lines += [f"archive: {archive['status']}, {archive['articles']:,} articles; CPU ms per "
              f"article by part: {parts}",
              f"archive CPU per article over page files': {ratio:.2f} (target <= 1.5); "
              f"largest pool process {archive['rss']['max_child_mb']:.0f} MB (target < 400)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20221013)
    parser.add_argument("--timeout", type=float, default=7200)
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="newsflow-archive-"))
    results = {"command": " ".join(["python", "-m", "benchmarks.archive", *sys.argv[1:]]),
               "code": code_version(), "machine": report.machine(), "workers": args.workers}
    try:
        print(f"page files: {args.pages} pages", flush=True)
        results["pages"] = pages_run(args, scratch / "pages")
        print(f"archive: {args.articles:,} articles in one file", flush=True)
        results["archive"] = archive_run(args, scratch / "archive")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(summary(results))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return results


if __name__ == "__main__":
    main()
