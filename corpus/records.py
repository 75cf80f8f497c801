"""The corpus as printed pages: records cleaned, parsed and grouped by (date, page) in page order.

The 2019–2020 and 2022 files hold one record an article with ``date``, ``page`` and ``order``; the
2017 file holds the printed header lines (kicker, title, subtitle, byline) above each body, and
its page and order in the link (``…_20170423_3-12.htm``: the 3rd article of page 12).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus.parse import (
    Credit,
    Dateline,
    PhotoCredit,
    is_credit_like,
    is_tail,
    looks_dated,
    parse_byline,
    parse_dateline,
    parse_photo_credit,
    tail_credit,
)

FILES = ("rmrb-2019-2020-articles.jsonl.gz", "rmrb-2022-07-05-articles.jsonl.gz")
FILE_2017 = "rmrb-2017-with-bylines.jsonl.gz"
_LINK = re.compile(r"_(?P<date>\d{8})_(?P<order>\d+)-(?P<page>\d+)\.htm")
_BLANKS = re.compile(r"[\s\u3000\xa0]+")


@dataclass(frozen=True)
class SourceArticle:
    """One record, cleaned: head lines, body paragraphs, and what its print tells about authors."""

    key: str  # date-page-order, for stable per-article choices
    kicker: str | None
    title: str
    subtitle: str | None
    paragraphs: tuple[str, ...]  # the body (or caption), dateline prefix and tail removed
    dateline: Dateline | None = None
    byline: Credit | None = None  # the 2017 header's byline
    byline_printed: str | None = None
    tail: str | None = None  # （作者为…）, （本报记者X整理）, （欧阳洁）
    tail_credit: Credit | None = None
    photo: PhotoCredit | None = None  # set when the record is a photo caption


@dataclass(frozen=True)
class SourcePage:
    date: str  # YYYYMMDD
    page: int
    articles: tuple[SourceArticle, ...]


def squeeze(text: str | None) -> str | None:
    """Whitespace runs (ideographic, no-break) to one space; empty to None."""
    cleaned = _BLANKS.sub(" ", text or "").strip()
    return cleaned or None


def body_paragraphs(body: str) -> list[str]:
    """Paragraphs of a body: leading ideographic spaces dropped, empty paragraphs dropped."""
    return [p for p in (squeeze(line) for line in body.split("\n")) if p]


def build_article(
    key: str,
    head: tuple[str | None, str | None, str | None],
    paragraphs: list[str],
    byline_printed: str | None = None,
) -> SourceArticle | None:
    """A cleaned article, or None when its print is too irregular to label exactly."""
    kicker, title, subtitle = (squeeze(h) for h in head)
    if not title or not paragraphs:
        return None
    photo = parse_photo_credit(paragraphs[-1]) if len(paragraphs) > 1 else None
    if photo:
        paragraphs = paragraphs[:-1]
    tail = paragraphs.pop() if len(paragraphs) > 1 and is_tail(paragraphs[-1]) else None
    dateline = parse_dateline(paragraphs[0])
    if dateline:
        paragraphs[0] = paragraphs[0][len(dateline.printed) :].strip()
    elif looks_dated(paragraphs[0]):
        return None
    if any(is_credit_like(p) for p in paragraphs) or not paragraphs[0]:
        return None
    byline = parse_byline(byline_printed) if byline_printed else None
    return SourceArticle(
        key,
        kicker,
        title,
        (subtitle or "").lstrip("—").strip() or None,
        tuple(paragraphs),
        dateline,
        byline,
        byline_printed if byline else None,
        tail,
        tail_credit(tail) if tail else None,
        photo,
    )


def _read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def _web_records(path: Path, pages: dict, dropped: Counter) -> None:
    for record in _read_jsonl(path):
        key = f"{record['date']}-{record['page']:02d}-{record['order']:02d}"
        head = (record.get("kicker"), record.get("title"), record.get("subtitle"))
        article = build_article(key, head, body_paragraphs(record.get("body") or ""))
        _file(pages, (record["date"], int(record["page"]), int(record["order"])), article, dropped)


def _printed_records(path: Path, pages: dict, dropped: Counter) -> None:
    for record in _read_jsonl(path):
        link = _LINK.search(record["link"])
        if not link:
            dropped["no page in link"] += 1
            continue
        date, page, order = link.group("date"), int(link.group("page")), int(link.group("order"))
        lines = record["text"].split("\n")
        head = (lines[0], lines[1], lines[2])
        key = f"{date}-{page:02d}-{order:02d}"
        article = build_article(key, head, body_paragraphs("\n".join(lines[4:])), lines[3].strip() or None)
        _file(pages, (date, page, order), article, dropped)


def _file(pages: dict, where: tuple[str, int, int], article: SourceArticle | None, dropped: Counter) -> None:
    if article is None:
        dropped["irregular print"] += 1
        return
    date, page, order = where
    pages.setdefault((date, page), []).append((order, article))


@lru_cache(maxsize=4)
def load_pages(corpus_dir: str) -> tuple[tuple[SourcePage, ...], Counter]:
    """Every printed page of the three files, sorted by (date, page), and why records were dropped."""
    folder = Path(corpus_dir)
    pages: dict[tuple[str, int], list] = {}
    dropped: Counter = Counter()
    for name in FILES:
        _web_records(folder / name, pages, dropped)
    _printed_records(folder / FILE_2017, pages, dropped)
    built = tuple(
        SourcePage(date, page, tuple(a for _, a in sorted(entries, key=lambda e: e[0])))
        for (date, page), entries in sorted(pages.items())
    )
    return built, dropped
