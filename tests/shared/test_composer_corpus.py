"""The page composer on the real corpus in ``../shared/corpus`` (marker ``shared``).

Run with ``pytest -m shared -s`` to see the counts these tests print.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import pytest

from corpus.checks import label_problems
from corpus.compose import TEXTURES, composed_pages, load_corpus, page_specs
from corpus.records import load_pages
from corpus.styles import STYLE_NAMES

# Reads ../shared/: run by `pytest -m shared` (.ci/run), never by the README's plain `pytest`.
pytestmark = pytest.mark.shared

SPLITS = ("train", "tune", "dev")


@pytest.fixture(scope="module")
def corpus_dir(shared_dir):
    return shared_dir / "corpus"


def _mixed(variant: str) -> tuple[int, int]:
    match = re.search(r"mixed=(\d+)/(\d+)", variant)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def test_corpus_reads_as_printed_pages(corpus_dir):
    # Given the three files, When read, Then nearly every record is kept and the print is parsed
    pages, dropped = load_pages(str(corpus_dir))
    articles = [a for page in pages for a in page.articles]
    print(f"\n{len(pages)} pages, {len(articles)} articles kept, dropped: {dict(dropped)}")
    assert len(pages) > 2000 and sum(dropped.values()) < 0.07 * (len(articles) + sum(dropped.values()))
    assert sum(1 for a in articles if a.dateline) > 3000
    assert sum(1 for a in articles if a.photo) > 500
    assert sum(1 for a in articles if a.byline) > 90
    pools = load_corpus(str(corpus_dir)).pools
    assert len(pools.names) > 1000 and len(pools.places) > 40 and len(pools.column_tags) > 100


def test_splits_share_no_date_and_are_roughly_70_15_15(corpus_dir):
    specs = {split: page_specs(corpus_dir, split) for split in SPLITS}
    dates = {split: {s.date for s in specs[split]} for split in SPLITS}
    total = sum(len(s) for s in specs.values())
    print(
        "\npages per split:",
        {split: len(specs[split]) for split in SPLITS},
        "dates:",
        {s: len(d) for s, d in dates.items()},
    )
    for a, b in combinations(SPLITS, 2):
        assert not dates[a] & dates[b]
    assert 0.55 < len(specs["train"]) / total < 0.8
    assert all(0.08 < len(specs[s]) / total < 0.25 for s in ("tune", "dev"))


@pytest.mark.parametrize("texture", TEXTURES)
def test_every_style_produces_pages_in_every_texture(corpus_dir, texture):
    counts = Counter()
    for style in STYLE_NAMES:
        pages = list(
            composed_pages(corpus_dir, "dev", textures=(texture,), styles=(style,), limit=2, workers=1)
        )
        assert len(pages) == 2 and all(p.style == style and p.texture == texture for p in pages)
        assert all(p.items and any(line.role == "body" for line in p.lines) for p in pages)
        counts[style] = sum(len(p.items) for p in pages)
    print(f"\n{texture}: items in 2 dev pages per style: {dict(counts)}")


def test_dev_sample_labels_agree_with_truth(corpus_dir):
    pages = list(composed_pages(corpus_dir, "dev", limit=90))
    by_kind = Counter((p.style, p.texture) for p in pages)
    print("\npages per style and texture:")
    for style in STYLE_NAMES:
        print(f"  {style:<15}", {t: by_kind[(style, t)] for t in TEXTURES})
    mixed = [_mixed(p.variant) for p in pages if p.texture != "clean"]
    share = sum(m for m, _ in mixed) / max(1, sum(n for _, n in mixed))
    print(f"mixed-role lines in PDF textures: {share:.3%}")
    assert share < 0.01
    for page in pages:
        if page.texture == "clean" or _mixed(page.variant)[0] == 0:
            assert label_problems(page) == [], page.page_id
    assert {p.texture for p in pages} == set(TEXTURES) and {p.script for p in pages} == {
        "simplified",
        "traditional",
    }


def test_newsflow_reads_a_composed_pdf_as_the_page_model_was_trained_on_it(corpus_dir):
    # Given composed dev pages in the "pdf_lines" texture and the PDFs they were read from,
    # When newsflow's own PDF reader (the parse stage's) reads those PDFs,
    # Then a page whose frames were written in reading order reads as the texture, blank
    # lines between text blocks included, and one written out of order has the same lines
    from corpus.compose import compose_page, page_pdf
    from stages.text.pdf import pdf_text

    orders = set()
    for spec in page_specs(corpus_dir, "dev", textures=("pdf_lines",))[:8]:
        composed = compose_page(spec)
        read = pdf_text(page_pdf(spec))
        orders.add("order=reading" in composed.variant)
        assert "\n\n" in read
        if "order=reading" in composed.variant:
            assert read == composed.text, spec.page_id
        else:
            assert sorted(read.split("\n")) == sorted(composed.text.split("\n")), spec.page_id
    assert orders == {True, False}  # both kinds were read


def test_composed_pdfs_read_by_newsflow_are_scored_by_frame_order(corpus_dir):
    # Given 12 composed dev pages drawn as PDFs, When read and scored as eval-segmentation
    # does, Then every page is counted once in all and once by its frame order, and the reader
    # finds most items (it found 62 % when it ran text blocks together)
    from evaluation.pdf_scores import composed_pdfs, score_pdfs

    groups = score_pdfs(composed_pdfs(corpus_dir, "dev", 12))
    everything = groups.pop("PDF pages, all")
    assert everything["pages"] == 12 == sum(group["pages"] for group in groups.values())
    assert set(groups) <= {"PDF pages, frames in reading order", "PDF pages, frames in swapped order"}
    assert everything["found"] >= 0.85 * everything["expected"]
