"""The whole text path for one file, in one process: what ``newsflow parse`` prints."""

from __future__ import annotations

from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.normalize import NormalizeConfig, normalize_item


def parse_offline(data: bytes, filename: str, opencc_config: str = "t2s") -> list[dict]:
    """Decode, segment and normalize a page; one dict per item, in page order."""
    config = NormalizeConfig(opencc_config=opencc_config)
    rows = []
    for item in split_document(decode_page(data, filename)):
        normalized = normalize_item(item, config)
        rows.append({
            "position": item.position,
            "kind": str(item.kind),
            "kicker": normalized.kicker,
            "title": normalized.title,
            "subtitle": normalized.subtitle,
            "authors": normalized.authors,
            "roles": item.roles,
            "place": normalized.place,
            "body": normalized.body,
            "continued_from": item.continued_from,
            "continued_to": item.continued_to,
            "script": normalized.script,
            "quality_flags": normalized.quality_flags,
        })
    return rows
