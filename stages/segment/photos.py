"""Photo captions: lifted out of the line flow before articles are found.

A caption is the paragraph right above its credit (``本报通讯员 金大庆 摄``) or a paragraph that
ends with it. Lifting captions out first means a photo set between two articles, or inside one,
is never glued onto its neighbours, and an article paragraph interrupted by a photo rejoins.
Where a photo was, a GAP line is left: the segmenter reads it as a break in the layout.
"""

from __future__ import annotations

from stages.items import ItemKind, PageItem
from stages.segment.lines import Line, LineKind

_CAPTION_KINDS = (LineKind.BODY, LineKind.HEADING)


def _photo(body: str, line: Line) -> PageItem:
    byline = line.byline
    assert byline is not None
    return PageItem(0, ItemKind.PHOTO, body, authors=byline.authors, roles=byline.roles)


def _caption_index(lines: list[Line], credit: int) -> int | None:
    """The line a credit belongs to: the nearest content line above, across blank gaps."""
    index = credit - 1
    while index >= 0 and lines[index].kind is LineKind.GAP:
        index -= 1
    return index if index >= 0 and lines[index].kind in _CAPTION_KINDS else None


def lift_photos(lines: list[Line]) -> tuple[list[Line], list[tuple[int, PageItem]]]:
    """Photo items (with their line index, for page order) and the lines without them.

    The returned lines keep their indices: each lifted line becomes a GAP.
    """
    kept = list(lines)
    photos: list[tuple[int, PageItem]] = []
    for index, line in enumerate(lines):
        if line.kind is LineKind.CAPTION:
            photos.append((index, _photo(line.text, line)))
        elif line.kind is LineKind.CREDIT:
            caption = _caption_index(kept, index)
            body = kept[caption].text if caption is not None else ""
            photos.append((caption if caption is not None else index, _photo(body, line)))
            if caption is not None:
                kept[caption] = Line(LineKind.GAP, "")
        else:
            continue
        kept[index] = Line(LineKind.GAP, "")
    return kept, photos
