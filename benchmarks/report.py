"""The results file, the table printed at the end, and the throughput plot."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

OUT = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    """What the figures were measured on: they mean little without it."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"nproc": os.cpu_count(), "cpu_model": cpu, "ram_gb": round(mem_kb / 2**20, 1),
            "python": platform.python_version(), "load_avg_at_start": os.getloadavg()}


def ratios(results: dict) -> None:
    """Pipeline over floors, and the issue's targets (reported, never asserted)."""
    text, stage = results["text_floor"]["mb_per_s"], results["stage_floor"]["mb_per_s"]
    for run in results["pipeline"]:
        mb = run["throughput"]["mb_per_s"]
        run["over_text_floor"] = mb / text
        run["over_stage_floor"] = mb / stage
        run["over_n_core_text_floor"] = mb / (run["workers"] * text)
    targets = []
    two = next((r for r in results["pipeline"] if r["workers"] == 2), None)
    if two:
        targets += [_target("2 workers ≥ 1.6 × stage floor", two["over_stage_floor"], 1.6),
                    _target("2 workers ≥ 0.8 × 2-core text floor", two["over_n_core_text_floor"], 0.8)]
    for run in results["pipeline"]:
        p95 = run["latency"]["polled"]["p95_s"]
        targets.append(_target(f"{run['workers']} worker(s): single-file p95 < 1 s", p95, 1.0, below=True))
        rss = run["rss"]["max_child_mb"] or 0
        name = f"{run['workers']} worker(s): peak RSS per worker < 400 MB"
        targets.append(_target(name, rss, 400, below=True))
    results["targets"] = targets
    if two:
        results["cpu_budget"] = cpu_budget(results, two)


def cpu_budget(results: dict, run: dict) -> dict:
    """CPU ms per file the throughput targets leave on this machine's cores, were every core
    busy all the time, against what the run spent: how far the targets are, in one unit.

    At T files/s on C fully used cores a file may cost C * 1000 / T ms of CPU in all
    (workers, broker, watcher, database), whatever the design.
    """
    cores, pages = results["machine"]["nproc"], results["corpus"]["pages"]
    stage_fps = results["stage_floor"]["files_per_s"]
    text_fps = pages / results["text_floor"]["seconds"]
    spent = run["throughput"].get("cpu_ms_per_file", {})
    return {"cores": cores,
            "allowed_ms_at_1_6_stage_floor": cores * 1e3 / (1.6 * stage_fps),
            "allowed_ms_at_0_8_two_core_text_floor": cores * 1e3 / (0.8 * 2 * text_fps),
            "stage_floor_ms": 1e3 / stage_fps, "text_floor_ms": 1e3 / text_fps,
            "spent_ms": sum(spent.values())}


def _target(name: str, value: float, bound: float, below: bool = False) -> dict:
    met = value < bound if below else value >= bound
    return {"target": name, "value": round(value, 3), "bound": bound, "met": met}


def write_json(results: dict, path: Path = OUT / "pipeline.json") -> Path:
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return path


def measured(floor: dict) -> str:
    """A floor's two measurements, before and after the pipeline runs ("" if measured once)."""
    runs, stock = floor.get("runs_mb_per_s"), floor.get("stock_mb_per_s")
    text = f"measured {runs[0]:.3f} before, {runs[1]:.3f} after the pipeline runs" if runs else ""
    return text + (f"; jieba's own Tokenizer {stock:.3f} (before)" if stock else "")


def _utilisation(throughput: dict) -> str:
    """How busy the cores were, and the rate once the pipeline was full (runs before these
    figures existed have neither)."""
    busy, steady = throughput.get("cores_busy"), throughput.get("steady_files_per_s")
    text = f"; cores {busy:.0%} busy" if busy is not None else ""
    return text + (f"; {steady:.1f} files/s between 10 % and 90 % finished" if steady else "")


def _rows(results: dict) -> list[tuple[str, ...]]:
    """The floors' and each pipeline run's row of the summary table."""
    text, stage = results["text_floor"], results["stage_floor"]
    rows = [("text floor (jieba cut_for_search, 1 process)", f"{text['mb_per_s']:.3f}", "", "",
             measured(text)),
            ("stage floor (all stages, 1 process)", f"{stage['mb_per_s']:.3f}",
             f"{stage['files_per_s']:.1f}", f"{stage['items_per_s']:.1f}", measured(stage))]
    for run in results["pipeline"]:
        t, lat = run["throughput"], run["latency"]["polled"]
        rows.append((f"pipeline, {run['workers']} worker process(es)", f"{t['mb_per_s']:.3f}",
                     f"{t['files_per_s']:.2f}", f"{t['items_per_s']:.1f}",
                     f"×{run['over_stage_floor']:.2f} stage, ×{run['over_n_core_text_floor']:.2f} "
                     f"{run['workers']}-core text; p50 {lat['p50_s']:.2f} s p95 {lat['p95_s']:.2f} s; "
                     f"RSS {run['rss']['max_child_mb']:.0f} MB"))
    return rows


def _run_notes(results: dict) -> list[str]:
    """CPU per file and memory over time of each pipeline run."""
    stage_ms, lines = 1e3 / results["stage_floor"]["files_per_s"], []
    for run in results["pipeline"]:
        cpu = run["throughput"].get("cpu_ms_per_file", {})
        parts = ", ".join(f"{part} {ms:.1f}" for part, ms in cpu.items())
        lines.append(f"- CPU ms per file, {run['workers']} worker(s): {parts}; total "
                     f"{sum(cpu.values()):.1f} against the stage floor's {stage_ms:.1f}"
                     f"{_utilisation(run['throughput'])}")
        if timeline := run["rss"].get("child_mb_over_time"):
            (t0, first), (t1, last) = timeline[0], timeline[-1]
            lines.append(f"- largest pool process RSS, {run['workers']} worker(s): {first:.0f} MB "
                         f"at {t0:.0f} s, {last:.0f} MB at {t1:.0f} s")
    return lines


def _budget_and_warnings(results: dict) -> list[str]:
    """What the targets allow per file, and a warning for any run whose files did not all
    get through (a failing file is finished fast: such throughput means nothing)."""
    lines = []
    if budget := results.get("cpu_budget"):
        lines.append(
            f"- CPU per file the throughput targets allow on {budget['cores']} cores (all busy): "
            f"{budget['allowed_ms_at_1_6_stage_floor']:.1f} ms (1.6 × stage floor), "
            f"{budget['allowed_ms_at_0_8_two_core_text_floor']:.1f} ms (0.8 × 2-core text floor); "
            f"the 2-worker run spent {budget['spent_ms']:.1f} ms, the stages alone "
            f"{budget['stage_floor_ms']:.1f} ms, jieba alone {budget['text_floor_ms']:.1f} ms")
    for run in results["pipeline"]:
        bad = sum(n for kinds in run["throughput"]["outcomes"].values()
                  for status, n in kinds.items() if status in ("failed", "quarantined"))
        if bad:
            lines.append(f"WARNING: {bad} files failed or were quarantined with {run['workers']} "
                         "worker(s): see the worker log (--keep); these figures are not valid")
    return lines


def table(results: dict) -> str:
    """The short summary printed at the end (and pasted into benchmarks/README.md)."""
    corpus, stage = results["corpus"], results["stage_floor"]
    head = f"corpus: {corpus['pages']} pages, {corpus['mb']:.2f} MB, {stage['items']} items"
    lines = [f"{head} {corpus['kinds']}",
             "| run | MB/s | files/s | items/s | notes |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in _rows(results)]
    lines += _run_notes(results)
    lines += [f"- {t['target']}: {t['value']} ({'met' if t['met'] else 'NOT met'})"
              for t in results.get("targets", [])]
    return "\n".join(lines + _budget_and_warnings(results))


def plot(results: dict, path: Path = OUT / "pipeline.png") -> Path:
    """Pipeline MB/s against worker processes, with the floors as reference lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FormatStrFormatter

    runs = sorted(results["pipeline"], key=lambda r: r["workers"])
    workers = [r["workers"] for r in runs]
    text, stage = results["text_floor"]["mb_per_s"], results["stage_floor"]["mb_per_s"]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(workers, [r["throughput"]["mb_per_s"] for r in runs], "o-", label="pipeline (Redis + PostgreSQL)")
    ax.plot(workers, [w * stage for w in workers], "s--", label="stage floor × workers (ideal scaling)")
    ax.axhline(stage, color="grey", linestyle=":", label=f"stage floor, 1 process ({stage:.3f})")
    ax.axhline(2 * text, color="red", linestyle="-.", label=f"2-core text floor, 2 × jieba ({2 * text:.2f})")
    title = f"newsflow throughput, {results['corpus']['pages']} pages, {results['machine']['nproc']} cores"
    ax.set(xlabel="worker processes", ylabel="MB/s of page files", xticks=workers, yscale="log", title=title)
    for axis in (ax.yaxis.set_major_formatter, ax.yaxis.set_minor_formatter):
        axis(FormatStrFormatter("%g"))  # 0.4, 2, 3 rather than 4×10⁻¹, 2×10⁰, 3×10⁰
    ax.legend(fontsize=8, loc="center right")  # clear of the text-floor line at the top
    fig.tight_layout()
    path.parent.mkdir(exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
