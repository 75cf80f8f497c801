"""How well the segmenter matches hand-labelled pages: per-field accuracy, per page and overall.

A label file (``<name>.json``) is either a list of expected items or
``{"page": "<path to the page, relative to the label file>", "items": [...]}``; a bare list reads
the page from ``<name>.txt`` / ``.html`` / ``.jsonl`` beside it. An expected item has ``kind``,
``kicker``, ``title``, ``subtitle``, ``authors``, ``place`` (missing means none) and any of:
``roles``, ``continued_from``, ``continued_to``, ``body`` (full text), ``body_start``,
``body_end``, ``body_contains`` (substrings) and ``paragraphs`` (count).

Expected and actual items are paired greedily by title and opening text; unpaired expected items
are *missed*, unpaired actual items *extra*. Only paired items are scored field by field.
"""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from pathlib import Path

from stages.items import PageItem
from stages.segment.split import split_document
from stages.text.decode import decode_page

ALWAYS = ("kind", "kicker", "title", "subtitle", "authors", "place", "continued_from", "continued_to")
OPTIONAL = ("roles",)
SIMILAR = 0.9
PAIR_THRESHOLD = 0.6


def _ratio(a: str | None, b: str | None) -> float:
    return SequenceMatcher(None, a or "", b or "").ratio() if (a and b) else 0.0


def _opening(expected: dict) -> str:
    return expected.get("body_start") or (expected.get("body") or "")[:20]


def _pair_score(expected: dict, actual: PageItem) -> float:
    opening = _opening(expected)
    body = _ratio(opening, actual.body[: len(opening)])
    return max(_ratio(expected.get("title"), actual.title), body)


def pairs(expected: list[dict], actual: list[PageItem]) -> list[tuple[int, int]]:
    """Greedy best-first pairing of expected to actual items."""
    scored = sorted(
        ((_pair_score(e, a), i, j) for i, e in enumerate(expected) for j, a in enumerate(actual)),
        reverse=True,
    )
    used_e: set[int] = set()
    used_a: set[int] = set()
    found = []
    for score, i, j in scored:
        if score >= PAIR_THRESHOLD and i not in used_e and j not in used_a:
            found.append((i, j))
            used_e.add(i)
            used_a.add(j)
    return sorted(found)


def _field_checks(expected: dict, actual: PageItem) -> dict[str, bool]:
    """Every applicable field of one pair: True when right."""
    got = actual.to_dict()
    checks = {name: (expected.get(name) or None) == (got[name] or None) for name in ALWAYS}
    checks.update({name: expected[name] == got[name] for name in OPTIONAL if name in expected})
    return checks | _body_checks(expected, actual.body)


def _body_checks(expected: dict, body: str) -> dict[str, bool]:
    checks: dict[str, bool] = {}
    if "body" in expected:
        checks["body_exact"] = expected["body"] == body
        checks["body_similar"] = _ratio(expected["body"], body) >= SIMILAR
    start = expected.get("body_start") or (expected.get("body") or None)
    if start:
        checks["body_start"] = body.startswith(start)
    end = expected.get("body_end") or (expected.get("body") or None)
    if end:
        checks["body_end"] = body.endswith(end)
    if "body_contains" in expected:
        checks["body_contains"] = all(part in body for part in expected["body_contains"])
    if "paragraphs" in expected:
        checks["paragraphs"] = expected["paragraphs"] == body.count("\n") + 1
    return checks


def _label(item: dict | PageItem) -> str:
    if isinstance(item, PageItem):
        return f"{item.kind}: {item.title or item.body[:15]}"
    return f"{item.get('kind')}: {item.get('title') or _opening(item)[:15]}"


def evaluate(expected: list[dict], actual: list[PageItem]) -> dict:
    """Compare one page's expected items with the segmenter's; counts and per-field tallies."""
    paired = pairs(expected, actual)
    fields: dict[str, list[int]] = {}
    errors: list[str] = []
    for i, j in paired:
        for name, ok in _field_checks(expected[i], actual[j]).items():
            tally = fields.setdefault(name, [0, 0])
            tally[0] += ok
            tally[1] += 1
            if not ok:
                errors.append(f"item {i} {name}: {_shown(expected[i], actual[j], name)}")
    order_ok = [j for _, j in paired] == sorted(j for _, j in paired)
    paired_e, paired_a = {i for i, _ in paired}, {j for _, j in paired}
    return {
        "expected": len(expected),
        "actual": len(actual),
        "found": len(paired),
        "in_order": order_ok,
        "missed": [_label(e) for i, e in enumerate(expected) if i not in paired_e],
        "extra": [_label(a) for j, a in enumerate(actual) if j not in paired_a],
        "fields": fields,
        "errors": errors,
    }


def _shown(expected: dict, actual: PageItem, name: str) -> str:
    if name in ALWAYS or name in OPTIONAL:
        return f"expected {expected.get(name)!r}, got {actual.to_dict()[name]!r}"
    return f"got {actual.body[:30]!r}…{actual.body[-30:]!r}"


def aggregate(reports: list[dict]) -> dict:
    """Sum page reports into one (counts add, field tallies add)."""
    total = {"expected": 0, "actual": 0, "found": 0, "missed": 0, "extra": 0, "fields": {}}
    for report in reports:
        for key in ("expected", "actual", "found"):
            total[key] += report[key]
        total["missed"] += len(report["missed"])
        total["extra"] += len(report["extra"])
        for name, (ok, n) in report["fields"].items():
            tally = total["fields"].setdefault(name, [0, 0])
            tally[0] += ok
            tally[1] += n
    return total


def _page_path(label: Path, data: dict | list) -> Path:
    if isinstance(data, dict) and "page" in data:
        return (label.parent / data["page"]).resolve()
    for suffix in (".txt", ".html", ".jsonl"):
        if label.with_suffix(suffix).exists():
            return label.with_suffix(suffix)
    raise FileNotFoundError(f"no page beside {label}")


def evaluate_labelled_set(directory: str | Path) -> dict:
    """Decode, segment and score every labelled page (``*.json``) in ``directory``."""
    pages: dict[str, dict] = {}
    for label in sorted(Path(directory).glob("*.json")):
        data = json.loads(label.read_text(encoding="utf-8"))
        path = _page_path(label, data)
        items = split_document(decode_page(path.read_bytes(), path.name))
        pages[label.stem] = evaluate(data["items"] if isinstance(data, dict) else data, items)
    return {"pages": pages, "total": aggregate(list(pages.values()))}


def format_report(report: dict) -> str:
    """A plain-text table: items per page, then accuracy per field over all pages."""
    rows = [f"{'page':<28} {'expected':>8} {'found':>6} {'missed':>6} {'extra':>6}"]
    for name, page in report["pages"].items():
        counts = (page["expected"], page["found"], len(page["missed"]), len(page["extra"]))
        rows.append(f"{name:<28} " + " ".join(f"{c:>{w}}" for c, w in zip(counts, (8, 6, 6, 6), strict=True)))
    total = report["total"]
    counts = (total["expected"], total["found"], total["missed"], total["extra"])
    rows.append(f"{'TOTAL':<28} " + " ".join(f"{c:>{w}}" for c, w in zip(counts, (8, 6, 6, 6), strict=True)))
    rows += ["", f"{'field':<28} {'correct':>8} {'of':>6} {'accuracy':>9}"]
    for name, (ok, n) in sorted(total["fields"].items()):
        rows.append(f"{name:<28} {ok:>8} {n:>6} {ok / n:>9.1%}")
    return "\n".join(rows)
