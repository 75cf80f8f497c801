"""The pipeline measurements on a running stack: throughput, single-file latency, a profile.

Throughput runs from the first drop until every file is final in ``source_files``; its end is
the newest ``finished_at`` (PostgreSQL's clock, the same machine's), so the polling interval
does not count. Latency drops one file at a time on an otherwise idle stack.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import numpy as np

from benchmarks.corpus import CorpusPage
from benchmarks.profiles import collapsed_profile, start_py_spy, stop_py_spy
from benchmarks.stack import FINAL, Stack, drop, worker_children

MB = 1e6


def wait_all_final(stack: Stack, count: int, timeout: float, every: float = 0.5) -> int:
    """Poll until ``count`` files are final (or the timeout); the number that are."""
    deadline, last_print, done = time.monotonic() + timeout, time.monotonic(), 0
    while time.monotonic() < deadline:
        done = stack.query("SELECT count(*) FROM source_files WHERE status = ANY(%s)", list(FINAL))[0][0]
        if done >= count:
            return done
        if time.monotonic() - last_print > 30:
            print(f"    {done}/{count} files final", flush=True)
            last_print = time.monotonic()
        time.sleep(every)
    return done


def _outcomes(stack: Stack) -> dict[str, dict[str, int]]:
    """Final status counts per corpus kind (the kind is in the file name by construction)."""
    rows = stack.query("SELECT path, status FROM source_files")
    counts: dict[str, Counter] = {}
    for path, status in rows:
        kind = Path(path).stem.rsplit("_", 1)[-1]
        counts.setdefault(kind, Counter())[status] += 1
    return {kind: dict(c) for kind, c in sorted(counts.items())}


def steady_rate(finish_times: list[float], low: float = 0.1, high: float = 0.9) -> float | None:
    """Files per second between the ``low`` and ``high`` quantiles of the finish times: the
    rate once the pipeline is full, without its filling (the stability wait, five stages to
    pass) and draining at the ends of a run, which a short run pays a large share of."""
    times = sorted(finish_times)
    first, last = int(low * len(times)), int(high * len(times)) - 1
    if last <= first or times[last] <= times[first]:
        return None
    return (last - first) / (times[last] - times[first])


def throughput(stack: Stack, pages: list[CorpusPage], timeout: float) -> dict:
    """Drop every page at once; files, items and MB per second until all are final, and the
    CPU milliseconds per file each part of the stack spent meanwhile."""
    cpu_before = stack.cpu_seconds()
    started = time.time()
    for page in pages:
        drop(stack.inbox, page.name, page.data)
    dropped = time.time() - started
    final = wait_all_final(stack, len(pages), timeout)
    cpu_after = stack.cpu_seconds()
    end, items = stack.query("SELECT extract(epoch FROM max(finished_at))::float8, "
                             "coalesce(sum(item_count), 0) FROM source_files")[0]
    seconds = (end or time.time()) - started
    size = sum(len(page.data) for page in pages)
    articles, near = stack.query("SELECT count(*), count(duplicate_of) FROM articles")[0]
    finished = [t for (t,) in stack.query("SELECT extract(epoch FROM finished_at)::float8 "
                                          "FROM source_files WHERE finished_at IS NOT NULL")]
    cpu = {part: cpu_after[part] - cpu_before.get(part, 0.0) for part in cpu_after}
    return {"files": len(pages), "final": final, "items": int(items), "bytes": size,
            "seconds": seconds, "drop_seconds": dropped, "files_per_s": len(pages) / seconds,
            "items_per_s": items / seconds, "mb_per_s": size / MB / seconds,
            "steady_files_per_s": steady_rate(finished),
            # CPU the stack used over the run's wall time on all cores: throughput is CPU per
            # file while this is near 1, and something else (waiting) where it is not.
            "cores_busy": sum(cpu.values()) / (seconds * (os.cpu_count() or 1)),
            "articles": articles, "near_duplicate_articles": near, "outcomes": _outcomes(stack),
            "cpu_ms_per_file": {part: 1e3 * used / len(pages) for part, used in cpu.items()}}


def _wait_one(stack: Stack, path: str, timeout: float = 120, every: float = 0.02) -> tuple:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = stack.query("SELECT status, extract(epoch FROM created_at)::float8, "
                           "extract(epoch FROM finished_at)::float8 FROM source_files "
                           "WHERE path = %s", path)
        if rows and rows[0][0] in FINAL:
            return time.time(), rows[0][1], rows[0][2]
        time.sleep(every)
    raise TimeoutError(f"{path} not final in {timeout} s")


def _percentiles(values: list[float]) -> dict[str, float]:
    return {"p50_s": float(np.percentile(values, 50)), "p95_s": float(np.percentile(values, 95)),
            "max_s": max(values)}


def latency(stack: Stack, pages: list[CorpusPage]) -> dict:
    """Drop-to-final seconds of single files, one at a time, each waited for."""
    polled, committed, registered = [], [], []
    for page in pages:
        dropped = drop(stack.inbox, page.name, page.data)
        seen, created, finished = _wait_one(stack, str((stack.inbox / page.name).absolute()))
        polled.append(seen - dropped)
        committed.append(finished - dropped)
        registered.append(created - dropped)
    return {"files": len(pages), "polled": _percentiles(polled), "finished_at": _percentiles(committed),
            "registered": _percentiles(registered)}


def profiled_run(stack: Stack, pages: list[CorpusPage], out: Path, timeout: float) -> dict:
    """Throughput of a 1-process worker while py-spy samples its pool process."""
    child = worker_children(stack.worker.pid)[0]
    spy = start_py_spy(child, out)
    time.sleep(1.0)  # py-spy attaching: let it start before the work does
    result = throughput(stack, pages, timeout)
    log = stop_py_spy(spy)
    return {"pid": child, "files": result["files"], "seconds": result["seconds"],
            "py_spy_stderr": log.strip()[-300:], **collapsed_profile(out)}
