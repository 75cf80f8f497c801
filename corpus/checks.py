"""Does a composed page's labelling agree with its truth? Problems as readable strings.

Clean pages must agree exactly: each body line is its paragraph (a dateline line its paragraph and
credit, a jump marker aside). PDF pages agree modulo whitespace and order (extraction may read
fragments out of order): an item's body lines hold exactly its body's characters plus its credit
and jump markers, and its title lines its title's.
"""

from __future__ import annotations

import re
from collections import Counter

from corpus.labels import BODY_ROLES, ROLES, ComposedPage, LabelledLine, TruthItem

JUMP_MARKER = re.compile(r"[（(](?:下[转轉]|[转轉]|上接|接)[^（）()]{0,6}版[）)]")
_SPACE = re.compile(r"\s+")
_CREDIT_ROLES = frozenset({"byline", "dateline", "credit", "tail", "caption"})
# Characters a dateline, credit or jump marker may add to an article's body lines.
_MAX_EXTRA = 80


def squash(text: str) -> str:
    """Text without whitespace: PDF textures add and drop spaces."""
    return _SPACE.sub("", text)


def _lines_of(page: ComposedPage, item: int, roles: set[str] | frozenset[str]) -> list[LabelledLine]:
    return [line for line in page.lines if line.item == item and line.role in roles]


def structure_problems(page: ComposedPage) -> list[str]:
    """Roles known, blank lines unlabelled, one start per item, furniture outside items."""
    problems = []
    for n, line in enumerate(page.lines):
        if (line.role is None) != (line.text.strip() == ""):
            problems.append(f"line {n}: role {line.role!r} for text {line.text[:20]!r}")
        if line.role is not None and line.role not in ROLES:
            problems.append(f"line {n}: unknown role {line.role!r}")
        if (line.role == "furniture") != (line.item is None and line.role is not None):
            problems.append(f"line {n}: {line.role} with item {line.item}")
    for i in range(len(page.items)):
        starts = [n for n, line in enumerate(page.lines) if line.item == i and line.starts_item]
        if len(starts) != 1:
            problems.append(f"item {i}: {len(starts)} starting lines")
        elif page.texture == "clean" and starts[0] != min(n for n, x in enumerate(page.lines) if x.item == i):
            problems.append(f"item {i}: starts after its first line")
    return problems


def _clean_body_problems(page: ComposedPage, i: int, item: TruthItem) -> list[str]:
    roles = BODY_ROLES if item.kind == "article" else {"caption"}
    lines = _lines_of(page, i, roles)
    paragraphs = item.body.split("\n")
    if len(lines) != len(paragraphs):
        return [f"item {i}: {len(lines)} body lines for {len(paragraphs)} paragraphs"]
    problems = []
    for line, paragraph in zip(lines, paragraphs, strict=True):
        text = JUMP_MARKER.sub("", line.text) if line.role == "body" else line.text
        credited = line.role == "dateline" or (item.kind == "photo" and text != paragraph)
        if text != paragraph and not (credited and paragraph in text):
            problems.append(f"item {i}: line {text[:30]!r} is not paragraph {paragraph[:30]!r}")
    return problems


def _pdf_body_problems(page: ComposedPage, i: int, item: TruthItem) -> list[str]:
    roles = BODY_ROLES if item.kind == "article" else {"caption"}
    printed = Counter(squash("".join(line.text for line in _lines_of(page, i, roles))))
    wanted = Counter(squash(item.body))
    missing, extra = wanted - printed, printed - wanted
    if missing or sum(extra.values()) > _MAX_EXTRA:
        return [f"item {i}: body lines miss {''.join(missing)[:20]!r}, add {sum(extra.values())} characters"]
    return []


def _head_problems(page: ComposedPage, i: int, item: TruthItem) -> list[str]:
    problems = []
    for field in ("kicker", "title", "subtitle"):
        value = getattr(item, field)
        shown = squash("".join(line.text for line in _lines_of(page, i, {field})))
        if value and squash(value) not in shown:
            problems.append(f"item {i}: {field} {value!r} not in its lines {shown[:40]!r}")
        if not value and shown and (field != "title" or item.kind == "article"):
            problems.append(f"item {i}: {field} lines {shown[:20]!r} but no {field}")
    credits = squash("".join(line.text for line in _lines_of(page, i, _CREDIT_ROLES)))
    for name in [*item.authors, *([item.place] if item.place else [])]:
        if squash(name) not in credits:
            problems.append(f"item {i}: {name!r} is in no credit line")
    return problems


def label_problems(page: ComposedPage) -> list[str]:
    """Everything that disagrees between the page's lines and its truth items."""
    problems = structure_problems(page)
    body = _clean_body_problems if page.texture == "clean" else _pdf_body_problems
    for i, item in enumerate(page.items):
        problems += _head_problems(page, i, item) + body(page, i, item)
        for where in (item.continued_from, item.continued_to):
            if where and where not in squash("".join(x.text for x in _lines_of(page, i, {"body", "jump"}))):
                problems.append(f"item {i}: jump to or from {where!r} not printed")
    return problems
