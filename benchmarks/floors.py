"""The two in-process floors the pipeline is compared with (no broker, no database).

* text floor: jieba search-mode segmentation alone (the tokenizer ``stages.words.enrich`` builds,
  with the news dictionary) over each page's decoded text: the least a Chinese pipeline that
  indexes its text must spend;
* stage floor: every pure stage the tasks call, in one process, for every item:
  decode_page → split_document → normalize_item → content_sha256 → enrich → fingerprint
  (minhash_signature, band_keys), each call timed, so the table shows where the time goes.
  Like the pipeline, it enriches and fingerprints only bodies it has not seen before.

Both warm up on one page first: loading jieba's dictionary and OpenCC's tables happens once
per worker process and is not throughput.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.corpus import build_corpus
from stages.dedup.decide import MinHashConfig, band_keys, content_sha256, minhash_signature
from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.normalize import NormalizeConfig, normalize_item
from stages.words.enrich import _jieba, enrich
from stages.words.tokenizer import jiebas_own

MB = 1e6
MIN_CHARS = 50  # tasks.settings.Settings.dedup_min_chars: shorter bodies get no band keys


def _search_tokens(tokenizer, texts: Sequence[str]) -> tuple[float, int]:
    """Seconds and tokens of ``cut_for_search`` over the texts."""
    tokens, started = 0, time.perf_counter()
    for text in texts:
        tokens += sum(1 for _ in tokenizer.cut_for_search(text))
    return time.perf_counter() - started, tokens


def text_floor(pages: Sequence[tuple[str, bytes]], stock: bool = False) -> dict:
    """jieba ``cut_for_search`` over every decoded page, single process; with ``stock``,
    also jieba's own ``Tokenizer`` over the same dictionary (``stock_mb_per_s``): the same
    words, without the project's faster route and HMM decoders (stages/words/tokenizer.py)."""
    texts = [decode_page(data, name).text for name, data in pages]  # decoding is not jieba
    started = time.perf_counter()
    tokenizer = _jieba().tokenizer
    list(tokenizer.cut_for_search(texts[0]))
    warmup = time.perf_counter() - started
    seconds, tokens = _search_tokens(tokenizer, texts)
    size = sum(len(data) for _, data in pages)
    floor = {"seconds": seconds, "mb_per_s": size / MB / seconds, "tokens": tokens,
             "tokens_per_s": tokens / seconds, "warmup_seconds": warmup}
    if stock:
        floor["stock_mb_per_s"] = size / MB / _search_tokens(jiebas_own(tokenizer), texts)[0]
    return floor


class StageClock:
    """Accumulated wall time and calls per stage function."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def run(self, name: str, function: Callable, *args):
        started = time.perf_counter()
        result = function(*args)
        self.seconds[name] += time.perf_counter() - started
        self.calls[name] += 1
        return result

    def table(self) -> dict[str, dict]:
        total = sum(self.seconds.values()) or 1.0
        return {name: {"seconds": s, "share": s / total, "calls": self.calls[name]}
                for name, s in sorted(self.seconds.items(), key=lambda kv: -kv[1])}


def run_stages(name: str, data: bytes, clock: StageClock, normalize: NormalizeConfig,
               minhash: MinHashConfig, stored: set[str]) -> int:
    """Every stage for one page, as the five tasks would run them; returns its item count.

    ``stored`` holds the content hashes of the bodies seen so far: as in the pipeline, an
    item whose body is already an article is neither enriched nor fingerprinted.
    """
    page = clock.run("decode_page", decode_page, data, name)
    items = clock.run("split_document", split_document, page)
    for item in items:
        normalized = clock.run("normalize_item", normalize_item, item, normalize)
        digest = clock.run("content_sha256", content_sha256, normalized.body)
        if digest in stored:
            continue
        stored.add(digest)
        clock.run("enrich", enrich, normalized)
        signature = clock.run("minhash_signature", minhash_signature, normalized.body, minhash)
        if len(normalized.body) >= MIN_CHARS:
            clock.run("band_keys", band_keys, signature, minhash)
    return len(items)


def stage_floor(pages: Sequence[tuple[str, bytes]]) -> dict:
    """All stages in one process over the corpus, with the time of each stage function."""
    normalize, minhash = NormalizeConfig(), MinHashConfig()
    started = time.perf_counter()
    run_stages(*pages[0], StageClock(), normalize, minhash, set())
    warmup = time.perf_counter() - started
    clock, items, stored, started = StageClock(), 0, set(), time.perf_counter()
    for name, data in pages:
        items += run_stages(name, data, clock, normalize, minhash, stored)
    seconds = time.perf_counter() - started
    size = sum(len(data) for _, data in pages)
    return {"seconds": seconds, "mb_per_s": size / MB / seconds, "items": items,
            "items_per_s": items / seconds, "files_per_s": len(pages) / seconds,
            "warmup_seconds": warmup, "per_stage": clock.table()}


RATES = ("mb_per_s", "tokens_per_s", "items_per_s", "files_per_s")


def merge_runs(before: dict, after: dict) -> dict:
    """One floor from two measurements of it, before and after the pipeline runs.

    This VM's speed drifts within minutes (the same code's stage floor read 83.0 and 101.8
    files/s in two runs half an hour apart), so a single measurement taken before the
    pipeline moved the ratios by as much. The merged floor takes the total time of both
    (each measured the same work), keeps the first's per-stage table and warm-up, and lists
    both measurements' MB/s in ``runs_mb_per_s`` so the spread is in the results.
    """
    merged = dict(before)
    merged["seconds"] = (before["seconds"] + after["seconds"]) / 2
    for rate in RATES:
        if rate in before:  # same work: a rate scales with the inverse of the time
            merged[rate] = before[rate] * before["seconds"] / merged["seconds"]
    merged["runs_mb_per_s"] = [before["mb_per_s"], after["mb_per_s"]]
    return merged


def floors_in_a_new_process(pages: int, seed: int) -> tuple[dict, dict]:
    """(text floor, stage floor) measured again by a process of their own: in this one the
    first measurement left enrich's per-word cache full of the corpus' words, and a second
    stage floor here ran faster for it, not for the machine (200 pages: 0.833, then 0.894
    MB/s, and 0.814 once the cache was cleared)."""
    argv = [sys.executable, "-m", "benchmarks.floors", "--pages", str(pages), "--seed", str(seed)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    found = json.loads(done.stdout)
    return found["text_floor"], found["stage_floor"]


def main(argv: list[str] | None = None) -> None:
    """Both floors of the benchmark corpus, as JSON on stdout."""
    parser = argparse.ArgumentParser(description="the text and stage floors, as JSON")
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)
    pages = [(page.name, page.data) for page in build_corpus(args.pages, args.seed)]
    print(json.dumps({"text_floor": text_floor(pages), "stage_floor": stage_floor(pages)}))


if __name__ == "__main__":
    main()

