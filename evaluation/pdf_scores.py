"""The segmentation targets on composed PDF pages read by newsflow's own PDF reader.

Each page of a split is drawn as the composer draws its PDF textures (``corpus.pdf_page``:
a multi-column broadsheet, some pages with a few frames written out of reading order), then
read as the parse stage reads a dropped PDF (``decode_page``, ``split_document``: text blocks,
type sizes, reading order) and scored against the page's truth (``evaluation.page_scores``),
in all and by the order its frames were written in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from corpus.compose import page_specs, rendered_page
from evaluation.page_scores import score_page
from stages.segment.split import split_document
from stages.text.decode import decode_page


def composed_pdfs(corpus_dir: Path, split: str, limit: int | None, seed: int = 0
                  ) -> Iterator[tuple[str, bytes, list[dict]]]:
    """(frame order, PDF bytes, truth items) of the split's pages, as the PDF textures draw them."""
    for spec in page_specs(corpus_dir, split, seed, textures=("pdf_lines",))[:limit]:
        page, pdf = rendered_page(spec)
        yield pdf.order, pdf.pdf, [item.to_dict() for item in page.items]


def score_pdfs(pdfs: Iterator[tuple[str, bytes, list[dict]]]) -> dict[str, Counter]:
    """The targets' counts, in all and by frame order ("reading" or "swapped")."""
    groups: dict[str, Counter] = defaultdict(Counter)
    for order, data, truth in pdfs:
        counts = score_page(truth, split_document(decode_page(data, "page.pdf"))) + Counter(pages=1)
        for key in ("PDF pages, all", f"PDF pages, frames in {order} order"):
            groups[key] += counts
    return dict(groups)
