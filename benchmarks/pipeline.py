"""End-to-end throughput of newsflow against its own floors, in one run on one machine.

    .venv/bin/python -m benchmarks.pipeline [--pages N] [--workers 1,2] [--quick]

Builds a deterministic corpus from ``seeds/`` (benchmarks/corpus.py), then measures the text
floor and the stage floor in this process (benchmarks/floors.py), then, for each worker count,
the real pipeline on scratch PostgreSQL and Redis: throughput from the first drop until every
file is final, single-file latency, peak RSS (benchmarks/measure.py, benchmarks/stack.py);
and the database floor: the final rows each run stored, COPYed into a fresh database
(benchmarks/db_floor.py); finally a profile (pyinstrument on the stage floor, py-spy on a
worker's pool process). Writes benchmarks/results/pipeline.json and pipeline.png and prints
a table, and the efficiency table: (stage floor + database floor) / pipeline, CPU per file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import db_floor, report
from benchmarks.corpus import build_corpus, corpus_bytes, kind_counts
from benchmarks.floors import (
    StageClock,
    floors_in_a_new_process,
    merge_runs,
    run_stages,
    stage_floor,
    text_floor,
)
from benchmarks.measure import latency, profiled_run, throughput
from benchmarks.profiles import pyinstrument_profile
from benchmarks.stack import running_stack, task_runtimes

QUICK_PAGES = 200
PROFILE_PAGES = 200  # enough samples for a stable top list; the full corpus adds nothing
PYINSTRUMENT_PAGES = 60  # pyinstrument slows the code it watches: a slice of the corpus


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=None, help="corpus pages (default 2000)")
    parser.add_argument("--workers", default="1,2", help="worker process counts to run, e.g. 1,2")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} pages unless --pages")
    parser.add_argument("--latency-files", type=int, default=20)
    parser.add_argument("--stability", type=float, default=0.3,
                        help="NEWSFLOW_STABILITY_SECONDS for the watcher (the tests' value)")
    parser.add_argument("--seed", type=int, default=20221013)
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per pipeline run at most")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the run folders (logs) in /tmp")
    args = parser.parse_args(argv)
    args.pages = args.pages or (QUICK_PAGES if args.quick else 2000)
    args.workers = [int(w) for w in args.workers.split(",")]
    return args


def code_version() -> str:
    """Which code was measured: ``NEWSFLOW_BENCH_CODE`` when set (a snapshot), else the
    commit (``git rev-parse --short HEAD``), with "-dirty" when the tree has changes."""
    if label := os.environ.get("NEWSFLOW_BENCH_CODE"):
        return label

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True,
                              cwd=Path(__file__).parent).stdout.strip()
    try:
        return git("rev-parse", "--short", "HEAD") + ("-dirty" if git("status", "--porcelain") else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def pipeline_run(workers: int, corpus, latency_pages, args, root: Path) -> dict:
    """One stack with ``workers`` processes: throughput, then latency when idle, then the
    database floor of the rows the throughput run stored (dumped before the latency files)."""
    with running_stack(root, workers, args.stability) as stack:
        _step(f"pipeline, {workers} worker(s): dropping {len(corpus)} files")
        # The machine is shared: the load around a run says whether others competed for it.
        result = {"workers": workers, "load_avg_before": os.getloadavg(),
                  "throughput": throughput(stack, corpus, args.timeout), "load_avg_after": os.getloadavg()}
        result["task_runtimes"] = task_runtimes(stack.worker_log)
        final_rows = db_floor.dump_final_rows(stack.database_url)
        _step(f"  {result['throughput']['mb_per_s']:.3f} MB/s; latency of {len(latency_pages)} single files")
        result["latency"] = latency(stack, latency_pages)
        result["rss"] = stack.rss.stop()
        _step(f"  database floor: COPY the final rows of {final_rows['files']} files into a fresh database")
        result["database_floor"] = db_floor.load_final_rows(final_rows, stack.database_url)
        _step(f"  {result['database_floor']['ms_per_file']:.2f} ms of PostgreSQL CPU per file")
    return result


def stage_floor_with_cpu(pages: list[tuple[str, bytes]]) -> dict:
    """The stage floor, with its CPU per file (``cpu_ms_per_file``): the efficiency compares
    CPU with CPU, and on a shared machine wall time also counts the others' work. The
    dictionaries are loaded first on the floor's own warm-up page, so the CPU of the call
    less that page's wall time is the measured pages' CPU."""
    from stages.dedup.decide import MinHashConfig
    from stages.text.normalize import NormalizeConfig

    run_stages(*pages[0], StageClock(), NormalizeConfig(), MinHashConfig(), set())
    cpu = time.process_time()
    floor = stage_floor(pages)
    cpu = time.process_time() - cpu - floor["warmup_seconds"]
    floor["cpu_ms_per_file"] = 1e3 * cpu / len(pages)
    return floor


def profile(corpus, args, root: Path) -> dict:
    slice_ = [(p.name, p.data) for p in corpus[:PYINSTRUMENT_PAGES]]
    _step(f"profile: pyinstrument on the stage floor ({len(slice_)} pages)")
    found = {"stage_floor_pyinstrument": pyinstrument_profile(lambda: stage_floor(slice_))}
    pages = corpus[:PROFILE_PAGES]
    _step(f"profile: py-spy on a 1-process worker ({len(pages)} pages)")
    with running_stack(root, 1, args.stability) as stack:
        found["worker_py_spy"] = profiled_run(stack, pages, root / "py-spy.txt", args.timeout)
        stack.rss.stop()
    return found


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    _step(f"building a corpus of {args.pages} pages (run folders under {scratch})")
    corpus = build_corpus(args.pages, args.seed)
    # Latency files are new stories (not copies of the corpus), so each one is fully stored.
    latency_pages = build_corpus(args.latency_files, args.seed + 1, {"original": 1.0}, prefix="lat")
    pages = [(p.name, p.data) for p in corpus]
    results = {"command": " ".join([Path(sys.executable).name, "-m", "benchmarks.pipeline", *sys.argv[1:]]),
               "code": code_version(), "machine": report.machine(),
               "nice": os.nice(0), "stability_seconds": args.stability,
               "corpus": {"pages": len(corpus), "bytes": corpus_bytes(corpus),
                          "mb": corpus_bytes(corpus) / 1e6, "kinds": kind_counts(corpus), "seed": args.seed}}
    _step("text floor: jieba cut_for_search, one process")
    results["text_floor"] = text_floor(pages, stock=True)
    _step(f"  {results['text_floor']['mb_per_s']:.3f} MB/s; stage floor: all stages, one process")
    results["stage_floor"] = stage_floor_with_cpu(pages)
    _step(f"  {results['stage_floor']['mb_per_s']:.3f} MB/s")
    results["pipeline"] = [pipeline_run(w, corpus, latency_pages, args, scratch / f"workers-{w}")
                           for w in args.workers]
    _step("text and stage floors again, in a new process: the machine's speed drifts")
    text_again, stage_again = floors_in_a_new_process(args.pages, args.seed)
    results["text_floor"] = merge_runs(results["text_floor"], text_again)
    results["stage_floor"] = merge_runs(results["stage_floor"], stage_again)
    _step(f"  text floor {report.measured(results['text_floor'])}; "
          f"stage floor {report.measured(results['stage_floor'])}")
    if not args.no_profile:
        results["profile"] = profile(corpus, args, scratch / "profile")
    report.ratios(results)
    db_floor.efficiency(results)
    _step(f"wrote {report.write_json(results)} and {report.plot(results)}")
    print(report.table(results))
    print(f"\nefficiency = (stage floor + database floor) / pipeline, CPU ms per file; "
          f"code {results['code']}, nice {results['nice']}")
    print(db_floor.table(results))
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
