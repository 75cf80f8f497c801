"""OpenCC's own t2s/tw2s/hk2s test cases, run through the project's converter.

The cases live in the repository's sibling ``shared/`` folder (CI checks it out beside the
clone) or wherever NEWSFLOW_OPENCC_TESTCASES points. A missing file is a failure, never a skip:
the point of this test is to prove we run the official engine.
"""

import json
import os
import re
from pathlib import Path

import pytest

from stages.text.script import to_simplified

CONFIGS = ("t2s", "tw2s", "hk2s")
DEFAULT_PATH = Path(__file__).resolve().parents[3] / "shared/opencc/testcases.json"


def _testcases_path() -> Path:
    return Path(os.environ.get("NEWSFLOW_OPENCC_TESTCASES", DEFAULT_PATH))


def _load_cases() -> list[dict]:
    path = _testcases_path()
    if not path.is_file():
        pytest.fail(
            f"OpenCC test cases not found at {path}: put shared/opencc/testcases.json beside "
            "the clone or set NEWSFLOW_OPENCC_TESTCASES"
        )
    raw = path.read_text(encoding="utf-8")
    # The upstream file has trailing commas; JSON strings cannot hold a raw newline, so a comma
    # followed by a newline and a closing bracket is always structural.
    return json.loads(re.sub(r",(?=\s*\n\s*[\]}])", "", raw))["cases"]


def test_every_t2s_tw2s_hk2s_case_passes():
    cases = _load_cases()
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
