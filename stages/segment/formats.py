"""Non-text page formats to what the segmenter reads: HTML to text, JSONL to records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from selectolax.lexbor import LexborHTMLParser

from stages.items import ItemKind, PageItem, StageError

_DROP = frozenset({"script", "style", "noscript", "template", "head", "title", "iframe", "svg"})
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "body",
    }
)
_TEXT_FIELDS = ("kicker", "title", "subtitle", "place", "continued_from", "continued_to")


def _walk(root, out: list[str]) -> None:
    """Depth-first text with a blank line around every block element.

    Iterative, with its own stack: a page nested thousands of elements deep (hostile or
    broken HTML) is read like any other, never through Python's recursion limit.
    """
    # Each entry is a node to visit, or a string to emit once its children are done.
    stack: list = [root.child] if root.child is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
            continue
        if node.next is not None:
            stack.append(node.next)
        tag = node.tag
        if node.is_text_node:
            out.append(node.text_content or "")
        elif tag == "br":
            out.append("\n")
        elif node.is_element_node and tag not in _DROP:
            block = "\n\n" if tag in _BLOCK else ""
            out.append(block)
            stack.append(block)
            if node.child is not None:
                stack.append(node.child)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one paragraph per block element."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out)
    lines = [" ".join(line.split()) for line in "".join(out).split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def _bad(number: int, why: str) -> StageError:
    return StageError("bad_jsonl", f"line {number}: {why}")


def _item(record: dict, number: int) -> PageItem:
    """A pre-split article or photo record to a PageItem, its fields checked."""
    if not isinstance(record.get("body"), str):
        raise _bad(number, 'a pre-split item needs a string "body".')
    kind = record.get("kind", "article")
    if kind not in (ItemKind.ARTICLE, ItemKind.PHOTO):
        raise _bad(number, f'"kind" must be "article" or "photo", not {kind!r}.')
    fields = {name: record.get(name) for name in _TEXT_FIELDS}
    if any(value is not None and not isinstance(value, str) for value in fields.values()):
        raise _bad(number, "kicker, title, subtitle, place and continued_* must be strings.")
    lists = {name: record.get(name) or [] for name in ("authors", "roles")}
    if any(not isinstance(v, list) or not all(isinstance(x, str) for x in v) for v in lists.values()):
        raise _bad(number, '"authors" and "roles" must be lists of strings.')
    return PageItem(0, ItemKind(kind), record["body"], **fields, **lists)


def _record(line: str, number: int) -> str | PageItem:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise _bad(number, f"not valid JSON ({error.msg} at column {error.colno}).") from None
    if not isinstance(record, dict):
        raise _bad(number, f"expected a JSON object, got {type(record).__name__}.")
    if "text" in record and "body" not in record:
        if not isinstance(record["text"], str):
            raise _bad(number, '"text" must be a string.')
        return record["text"]
    return _item(record, number)


def jsonl_records(lines: Iterable[str]) -> Iterator[str | PageItem]:
    """Each non-blank line, as it comes: a whole page's text (str) or a pre-split PageItem."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield _record(line.lstrip("\ufeff"), number)
