"""The type size of each line, where the page has one (a PDF), as the page model's attributes.

A text dump has no type sizes; a PDF page gives each line's (``stages.text.pdf_lines``), and
newspapers set a headline larger than its body, a kicker and a subtitle between the two, a
caption or a byline smaller or in body size. The size is read against the page's body size
(the one most characters are set in), so the attributes are shapes of the page, the same for
any paper's type scale.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from stages.text.pdf_lines import body_size

# Ratios of a line's size to the body size: smaller, body, a little larger (a subhead, a
# kicker), larger (a subtitle, a small headline), a headline, a banner.
_RATIOS = (0.93, 1.07, 1.3, 1.65, 2.2)
# Neighbouring lines whose sizes differ by less than this share are set in the same size.
_SAME = 0.04


def _step(size: float, other: float) -> str:
    if abs(size - other) <= _SAME * max(size, other):
        return "same"
    return "up" if other > size else "down"


def size_attributes(texts: Sequence[str], sizes: Sequence[float]) -> list[dict[str, str]]:
    """Per line: its size against the body size (``fs``), and whether the next line is set
    larger, smaller or the same (``fs>``; the previous line's shows through the context)."""
    body = body_size(texts, sizes) or 1.0
    found = [{"fs": str(bisect_left(_RATIOS, size / body))} for size in sizes]
    for i in range(len(sizes) - 1):
        found[i]["fs>"] = _step(sizes[i], sizes[i + 1])
    return found
