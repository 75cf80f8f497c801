"""The whole text path for one file, in one process: what ``newsflow parse`` prints."""

from __future__ import annotations

from stages.segment.split import split_bounded
from stages.text.decode import decode_page
from stages.text.normalize import NormalizeConfig, normalize_item

# What a user reads of an item, in this order: the normalized text where normalization
# rewrote a field, the parsed item's own value elsewhere (score and size are for ranking).
_SHOWN = ("position", "page", "kind", "kicker", "title", "subtitle", "authors", "roles", "place", "body",
          "continued_from", "continued_to", "script", "quality_flags")


def parse_offline(data: bytes, filename: str, opencc_config: str = "t2s",
                  max_item_chars: int = 50_000) -> list[dict]:
    """Decode, segment and normalize a page as the pipeline does; one dict per item."""
    config = NormalizeConfig(opencc_config=opencc_config)
    rows = []
    for item in split_bounded(decode_page(data, filename), max_item_chars):
        fields = item.to_dict() | normalize_item(item, config).to_dict()
        rows.append({name: fields[name] for name in _SHOWN})
    return rows
