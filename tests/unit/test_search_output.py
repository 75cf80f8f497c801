"""How the CLI shows hits and refuses a limit it will not run, without any service."""

from __future__ import annotations

import json
from datetime import date

import pytest
from rich.console import Console
from typer.testing import CliRunner

from models.search import SearchHit
from workers.cli import app
from workers.search_view import highlighted, hit_json, print_hits

EXACT = SearchHit(7, 1.62, "乡村振兴战略", ["高岩"], "嘉峪关", date(2022, 10, 13), None,
                  "推进«乡村振兴战略»，10月12日召开会议。…", True)
WORDS = SearchHit(9, 0.31, None, [], None, None, 7, "«乡村»要«振兴»。", False)


def test_json_holds_every_field_and_whether_the_hit_is_exact():
    data = json.loads(hit_json(EXACT))
    assert data == {"article_id": 7, "rank": 1.62, "title": "乡村振兴战略", "authors": ["高岩"],
                    "place": "嘉峪关", "published_on": "2022-10-13", "duplicate_of": None,
                    "snippet": "推进«乡村振兴战略»，10月12日召开会议。…", "exact": True}
    assert json.loads(hit_json(WORDS))["exact"] is False


def test_the_terminal_marks_word_only_hits_and_counts_both_kinds():
    console = Console(record=True, width=120)
    print_hits([EXACT, WORDS], console)
    text = console.export_text()
    first, second = text.split("#9")
    assert "乡村振兴战略" in first and "(words only)" not in first
    assert "(untitled)" in second and "(words only)" in second
    assert "2 hits (1 exact, 1 words only)" in text


def test_marks_become_bold_and_leave_the_text():
    shown = highlighted("推进«乡村振兴»战略")
    assert shown.plain == "推进乡村振兴战略"
    assert [shown.plain[span.start:span.end] for span in shown.spans if span.style] == ["乡村振兴"]


@pytest.mark.parametrize("limit", ["-1", "0", "1001", "999999999999"])
def test_a_limit_out_of_range_is_refused_in_one_line_before_anything_runs(limit):
    result = CliRunner().invoke(app, ["search", "政协", "--limit", limit])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: --limit must be between 1 and 1000, not {limit}"]
