"""OpenCC's own t2s/tw2s/hk2s test cases (``../shared/opencc/testcases.json``), run through
the project's converter: proof that the official engine is the one installed.

Marked ``shared``: `.ci/run` runs it beside the README's test command; without the shared
folder it fails saying so (``shared_dir``). The project's own cases, which need nothing
outside the clone, are ``tests/unit/test_opencc_cases.py``.
"""

import json
import re
from pathlib import Path

import pytest

from stages.text.script import to_simplified

# Reads ../shared/: run by `pytest -m shared` (.ci/run), never by the README's plain `pytest`.
pytestmark = pytest.mark.shared

CONFIGS = ("t2s", "tw2s", "hk2s")


def _load_cases(shared: Path) -> list[dict]:
    path = shared / "opencc" / "testcases.json"
    if not path.is_file():
        pytest.fail(f"OpenCC's test cases are not at {path}")
    raw = path.read_text(encoding="utf-8")
    # The upstream file has trailing commas; JSON strings cannot hold a raw newline, so a comma
    # followed by a newline and a closing bracket is always structural.
    return json.loads(re.sub(r",(?=\s*\n\s*[\]}])", "", raw))["cases"]


def test_every_t2s_tw2s_hk2s_case_passes(shared_dir):
    cases = _load_cases(shared_dir)
    failures, counts = [], {}
    for config in CONFIGS:
        selected = [c for c in cases if config in c["expected"]]
        counts[config] = len(selected)
        for case in selected:
            got = to_simplified(case["input"], config)
            if got != case["expected"][config]:
                failures.append((config, case["id"], case["input"], got))
    passed = {c: counts[c] - sum(1 for f in failures if f[0] == c) for c in CONFIGS}
    print("OpenCC conformance:", ", ".join(f"{c} {passed[c]}/{counts[c]}" for c in CONFIGS))
    assert all(counts.values()), f"no cases for some config: {counts}"
    assert failures == []
