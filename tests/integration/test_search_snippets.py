"""Snippets show whole clauses around the match: never a word or a number cut in two."""

from __future__ import annotations

import re

import psycopg
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from migrations import upgrade_head
from stages.segment.split import segment_page
from stages.words.enrich import words
from tests.conftest import SEEDS
from workers import scratch as services

WORDS = ["乡村", "振兴", "政协", "委员会", "梨树县", "高质量发展", "人民", "的", "了", "推进"]
NUMBERS = ["10月12日", "2019年", "3.5%", "1,000", "10:30", "第十三届", "5G", "GDP"]
PUNCTUATION = ["，", "。", "、", "；", "“", "”", "（", "）", "！", "？", " "]


@pytest.fixture(scope="module")
def database(postgres_admin):
    with services.scratch_database(postgres_admin) as url:
        upgrade_head(url)
        with psycopg.connect(url, autocommit=True) as conn:
            yield conn


def excerpt(conn, body: str, terms: list[str]) -> str:
    return conn.execute("SELECT newsflow_excerpt(%s, %s)", (body, terms)).fetchone()[0]


def fragments(snippet: str) -> list[str]:
    """The pieces of body a snippet shows, marks removed."""
    return [part for part in snippet.replace("«", "").replace("»", "").split("…") if part]


def cut_points(tokens: list[str]) -> set[int]:
    points, at = {0}, 0
    for token in tokens:
        at += len(token)
        points.add(at)
    return points


def shown_whole(body: str, fragment: str, allowed: set[int]) -> bool:
    """Whether the fragment is a piece of the body that starts and ends at allowed points."""
    return any(at in allowed and at + len(fragment) in allowed
               for at in (m.start() for m in re.finditer(f"(?={re.escape(fragment)})", body)))


@st.composite
def paragraphs(draw) -> list[str]:
    """Tokens of a body: words, numbers and punctuation, a line break now and then."""
    tokens = draw(st.lists(st.sampled_from(WORDS + NUMBERS + PUNCTUATION + ["\n"] * 2),
                           min_size=1, max_size=120))
    # A clause runs at most about 60 tokens: past 240 characters a snippet may cut it.
    for at in range(40, len(tokens), 40):
        tokens.insert(at, "，")
    return tokens


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=paragraphs(), data=st.data())
def test_a_snippet_never_cuts_a_word_or_a_number(database, tokens, data):
    body = "".join(tokens)
    assume(body.strip())
    # Given a term found in the body: a word or number of it, or any piece of it
    start = data.draw(st.integers(0, len(body) - 1))
    term = data.draw(st.one_of(st.sampled_from(WORDS + NUMBERS), st.just(body[start:start + 3])))
    term = term.strip() or "的"
    # When the body's snippet is made
    snippet = excerpt(database, body, [term])
    # Then every fragment starts and ends between two tokens of the body
    allowed = cut_points(tokens)
    assert fragments(snippet)
    for fragment in fragments(snippet):
        assert shown_whole(body, fragment, allowed), (fragment, body)
    # And the term is marked where it shows, whole
    if term in body and "\n" not in term:
        assert f"«{term}»" in snippet or any(term in f for f in snippet.split("«")[1:]), snippet


def test_a_date_is_shown_whole_around_part_of_it(database):
    body = "本报讯 10月12日，政协委员来到梨树县。会议于2019年10月12日下午召开。"
    snippet = excerpt(database, body, ["12日"])
    assert snippet.startswith("本报讯 10月«12日»，") and "月«12日»" in snippet
    assert excerpt(database, body, ["月12"]).startswith("本报讯 10«月12»日，")


def test_a_title_hit_shows_the_opening_of_the_body_unmarked(database):
    body = "第一句话在这里，第二句话在那里。\n第二段。"
    assert excerpt(database, body, ["标题里的词"]) == "第一句话在这里，第二句话在那里。…"


def test_two_terms_far_apart_show_two_fragments(database):
    body = "政协召开会议。" + "别的内容，" * 40 + "乡村振兴取得成效。"
    snippet = excerpt(database, body, ["政协", "乡村振兴"])
    first, second = snippet.split("…")
    assert first.startswith("«政协»召开会议。") and second.endswith("«乡村振兴»取得成效。")


@pytest.mark.parametrize("page", sorted(SEEDS.glob("*.txt"))[:3], ids=lambda p: p.name[:3])
def test_snippets_of_real_articles_start_and_end_between_jieba_words(database, page):
    import random

    rng = random.Random(page.name)
    for item in segment_page(page.read_text(encoding="utf-8")):
        body = item.body
        allowed = {0}
        for line_start, line in _lines(body):
            allowed |= {line_start + p for p in cut_points(words(line) if line else [])}
            allowed |= {line_start + len(line)}
        for _ in range(3):
            at = rng.randrange(len(body))
            term = body[at:at + rng.randint(1, 4)].split()[0] if body[at:at + 4].split() else "的"
            for fragment in fragments(excerpt(database, body, [term])):
                assert shown_whole(body, fragment.strip(), allowed | _spaces(body)), (fragment, term)


def _lines(body: str):
    at = 0
    for line in body.split("\n"):
        yield at, line
        at += len(line) + 1


def _spaces(body: str) -> set[int]:
    """Positions next to whitespace, where jieba's words do not count (it drops spaces)."""
    return {i for i, c in enumerate(body) if c.isspace()} | {i + 1 for i, c in enumerate(body) if c.isspace()}
