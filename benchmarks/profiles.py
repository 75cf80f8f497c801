"""Where the time goes: pyinstrument on the stage floor, py-spy on a live worker process.

Both are reduced to the same shape: the functions with the most self time and the most
inclusive time, as shares of all samples, so the report can name the file and function to fix.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

TOP = 15
# Our own code: the inclusive list worth reading (outer frames are Celery's and cover 100 %).
PROJECT = ("stages/", "tasks/", "models/")
PY_SPY = Path(sys.executable).with_name("py-spy")


def _top(counter: Counter, total: float) -> list[dict]:
    return [{"function": name, "seconds_or_samples": round(value, 3), "share": round(value / total, 4)}
            for name, value in counter.most_common(TOP)]


def _label(function: str, path: str) -> str:
    return f"{function} ({path})"


def _project(counter: Counter) -> Counter:
    return Counter({name: v for name, v in counter.items() if any(f"({p}" in name for p in PROJECT)})


def pyinstrument_profile(action: Callable[[], object]) -> dict:
    """Run ``action`` under pyinstrument; top functions by self and by inclusive time."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    action()
    profiler.stop()
    own, inclusive = Counter(), Counter()
    _walk(profiler.last_session.root_frame(), own, inclusive, frozenset())
    total = profiler.last_session.duration
    return {"tool": "pyinstrument", "seconds": total, "top_self": _top(own, total),
            "top_inclusive": _top(_project(inclusive), total)}


def _walk(frame, own: Counter, inclusive: Counter, on_path: frozenset) -> None:
    # pyinstrument 5 puts a function's own time in a synthetic "[self]" child: name it after
    # the function, or every self-time row would read "[self]".
    function = frame.parent.function if frame.function == "[self]" and frame.parent else frame.function
    label = _label(function, frame.file_path_short or "")
    own[label] += frame.time - sum(child.time for child in frame.children)
    if label not in on_path:  # recursion must not count a function's time twice
        inclusive[label] += frame.time
    for child in frame.children:
        _walk(child, own, inclusive, on_path | {label})


def start_py_spy(pid: int, out: Path, rate: int = 50) -> subprocess.Popen:
    """py-spy recording ``pid`` into a collapsed-stack file until ``stop_py_spy``."""
    argv = [str(PY_SPY), "record", "--pid", str(pid), "--rate", str(rate), "--format", "raw",
            "--nolineno", "--output", str(out)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stop_py_spy(process: subprocess.Popen) -> str:
    """Ask py-spy to write its file (it does on SIGINT); its stderr, for the log."""
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err.decode(errors="replace")[-2000:]


def collapsed_profile(path: Path) -> dict:
    """Top functions of a py-spy raw (collapsed) file: ``frame;frame;… count`` per line."""
    own, inclusive, total = Counter(), Counter(), 0
    if not path.exists() or os.path.getsize(path) == 0:
        return {"tool": "py-spy", "samples": 0, "top_self": [], "top_inclusive": []}
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        total += int(count)
        if frames:
            own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    return {"tool": "py-spy", "samples": total, "top_self": _top(own, total or 1),
            "top_inclusive": _top(_project(inclusive), total or 1)}
