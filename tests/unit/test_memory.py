"""A pool process gives freed heap pages back (the memory-flat target of benchmarks/)."""

from __future__ import annotations

from tasks import memory


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


def test_freed_heap_pages_go_back_to_the_system():
    # Given ~130 MB of medium byte strings of which seven in eight are freed: holes between
    # the survivors that glibc keeps (they are not at the top of its heap)
    held = [bytes(600 + i % 2000) for i in range(80_000)][::8]
    before = _rss_kb()
    # When the free heap is released
    assert memory.release_free_heap()
    # Then the process is smaller by tens of megabytes
    assert before - _rss_kb() > 30_000
    assert held  # kept alive until now


def test_the_heap_is_released_every_hundred_tasks(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "release_free_heap", lambda: calls.append(1) or True)
    monkeypatch.setattr(memory, "_tasks_run", iter(range(1, 1000)))
    for _ in range(250):
        memory.after_task()
    assert len(calls) == 2
