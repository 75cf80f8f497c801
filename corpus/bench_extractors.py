"""pypdfium2 against pdfminer.six on composed PDF pages: seconds per page and characters recovered.

``python -m corpus.bench_extractors --pages 20`` composes that many dev pages in each script,
draws their PDFs and reads each back with both extractors. Recovered is the share of the drawn
characters (whitespace aside) found again, counted as a multiset. pdfminer.six is only needed here.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

from corpus.compose import default_corpus_dir, load_corpus, logical_page, page_specs
from corpus.pdf_extract import extract_lines
from corpus.pdf_page import PdfPage, render_pdf
from corpus.splits import stable_hash


def pypdfium2_text(pdf: bytes) -> str:
    """The page text as pypdfium2 reads it (the composer's extractor)."""
    return "".join(line.text for line in extract_lines(pdf))


def pdfminer_text(pdf: bytes) -> str:
    """The page text as pdfminer.six reads it, with its default layout analysis."""
    import io

    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(pdf))


def recovered(drawn: str, got: str) -> float:
    """The share of drawn characters the extractor gave back."""
    want = Counter(ch for ch in drawn if not ch.isspace())
    have = Counter(ch for ch in got if not ch.isspace())
    return sum((want & have).values()) / max(1, sum(want.values()))


def sample_pdfs(corpus_dir: Path, pages: int, style: str) -> list[PdfPage]:
    """``pages`` dev pages of one style drawn as PDFs."""
    corpus = load_corpus(str(corpus_dir))
    specs = page_specs(corpus_dir, "dev", textures=("pdf_lines",), styles=(style,))[:pages]
    return [
        render_pdf(logical_page(s, corpus), random.Random(stable_hash("layout", s.seed, s.date, s.page)))
        for s in specs
    ]


def measure(pdfs: list[PdfPage], extractor) -> tuple[float, float]:
    """Seconds per page and mean share of characters recovered."""
    started = time.perf_counter()
    texts = [extractor(p.pdf) for p in pdfs]
    seconds = (time.perf_counter() - started) / max(1, len(pdfs))
    shares = [
        recovered("".join(line.text for line in p.layout.lines), t) for p, t in zip(pdfs, texts, strict=True)
    ]
    return seconds, sum(shares) / max(1, len(shares))


def main() -> None:
    """``python -m corpus.bench_extractors [--pages N]``: a line per script and extractor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    for script, style in (("simplified", "renmin"), ("traditional", "taiwan_daily")):
        pdfs = sample_pdfs(args.corpus or default_corpus_dir(), args.pages, style)
        for name, extractor in (("pypdfium2", pypdfium2_text), ("pdfminer.six", pdfminer_text)):
            seconds, share = measure(pdfs, extractor)
            print(f"{script:<12} {name:<13} {seconds * 1000:7.1f} ms/page  {share:7.2%} characters recovered")


if __name__ == "__main__":
    main()
