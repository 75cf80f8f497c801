"""Never lose body text: every Han character that is not byline or furniture reaches an item."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stages.segment.lines import LineKind, classify
from stages.segment.split import segment_page

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
SEED_LINES = [line for path in SEEDS for line in path.read_text("utf-8").split("\n") if line.strip()]
HAN = re.compile(r"[\u3400-\u9fff]")
JUMP = re.compile(r"[(（][^()（）]{1,8}版[)）]")
# Characters that cannot form a dateline, a credit marker, a jump marker or furniture (a short
# line of them may still read as a bare name, which is a credit).
PLAIN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成可主发年动同"
    "工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家"
)


def _han(text: str) -> Counter:
    return Counter(HAN.findall(text))


def _items_han(items) -> Counter:
    fields = [
        " ".join([i.body, i.kicker or "", i.title or "", i.subtitle or "", i.place or "", *i.authors])
        for i in items
    ]
    return _han(" ".join(fields))


def _may_drop(text: str) -> Counter:
    """Han characters a line may lose: byline words, credits, furniture, jump markers."""
    dropped = _han("".join(JUMP.findall(text)))
    for raw in text.split("\n"):
        line = classify(raw) if raw.strip() else None
        if line is None or line.kind in (LineKind.HEADING, LineKind.BODY):
            continue
        kept = line.byline.lead if line.kind is LineKind.DATELINE else ""
        kept = line.text if line.kind is LineKind.CAPTION else kept
        dropped += _han(raw) - _han(kept)
    return dropped


def test_seed_pages_lose_only_bylines_and_furniture():
    for path in SEEDS:
        text = path.read_text("utf-8")
        lost = _han(text) - _items_han(segment_page(text))
        assert lost - _may_drop(text) == Counter(), path.name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=25),
    st.sampled_from(["\n", "\n\n", "\n\n\n\n"]),
)
def test_shuffled_seed_lines_lose_only_bylines_and_furniture(lines, separator):
    text = separator.join(lines)
    lost = _han(text) - _items_han(segment_page(text))
    assert lost - _may_drop(text) == Counter()


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=PLAIN + "，。、；\n  ", min_size=1, max_size=400))
def test_structureless_text_keeps_every_character(text):
    items = segment_page(text)
    assert _items_han(items) == _han(text)
    # An item with no headline over its text and no credit is marked uncertain (a short line
    # of these characters may be a bare name, which is a credit)
    assert all(not item.confident for item in items
               if not (item.title and item.body) and not item.authors)
