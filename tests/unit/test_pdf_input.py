"""PDF pages in: every page's items numbered on through the file with their page, and each
kind of PDF that cannot be read refused whole with its reason. The PDFs are drawn by
``tests.pdf_pages``, read back by the stage."""

from __future__ import annotations

import pytest

from evaluation.offline import parse_offline
from stages.items import StageError
from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.pdf import PAGE_BREAK, PAGES_PER_OPEN, pdf_text, unmapped_share
from tests.pdf_pages import PAGES, broken_xref
from tests.pdf_pages import drawn_pdf as _pdf


def test_a_two_page_pdf_gives_each_page_its_articles_numbered_on_with_their_page():
    page = decode_page(_pdf(PAGES), "e-paper")  # found by content, whatever the name
    items = split_document(page)
    assert page.format == "pdf"
    assert [(i.position, i.page, i.title) for i in items] == [
        (0, 1, "梨树县政协开展委员培训"), (1, 1, "铁西区红十字会走进社区"), (2, 2, "春耕备耕有序推进")]
    assert [i.authors for i in items] == [["王明"], ["林天骥"], ["李红"]]
    assert items[2].body == "眼下正值春耕备耕关键时期，各地农民抢抓农时。\n农业技术人员深入田间地头开展指导。"


def test_newsflow_parse_reads_a_pdf_offline_as_it_reads_a_text_page():
    rows = parse_offline(_pdf(PAGES[1:]), "page.pdf")
    assert [(row["page"], row["title"], row["authors"]) for row in rows] == [
        (1, "春耕备耕有序推进", ["李红"])]


@pytest.mark.parametrize(("data", "code"), [
    (_pdf(PAGES, text=False), "no_text_layer"),
    (_pdf(PAGES, encrypt="secret"), "encrypted"),
    (_pdf(PAGES)[:400] + b"\x00garbage" * 50, "damaged"),
])
def test_a_pdf_that_cannot_be_read_is_refused_whole_with_its_reason(data, code):
    with pytest.raises(StageError) as refused:
        decode_page(data, "page.pdf")
    assert refused.value.code == code


@pytest.mark.parametrize("how", ["offsets", "no_table", "startxref_past_end"])
def test_a_pdf_whose_cross_reference_table_is_broken_is_read_whole_as_pdfium_rebuilds_it(how):
    intact = _pdf(PAGES)
    broken = broken_xref(intact, how)
    assert broken != intact
    assert pdf_text(broken) == pdf_text(intact)
    assert pdf_text(broken).split(PAGE_BREAK)[1].startswith("春耕备耕有序推进\n")


def test_a_pdf_cut_short_inside_its_cross_reference_table_is_refused_as_damaged():
    # No trailer is left to name the document's root, so PDFium's rebuild finds no pages.
    with pytest.raises(StageError) as refused:
        decode_page(broken_xref(_pdf(PAGES), "cut_in_table"), "page.pdf")
    assert refused.value.code == "damaged"
    assert "cannot be opened, even with its cross-reference table rebuilt" in str(refused.value)


def test_a_pdf_longer_than_one_opening_of_the_file_gives_every_page_once_in_order():
    # The reader reopens the file every PAGES_PER_OPEN pages; no page lost or repeated at a seam.
    count = 2 * PAGES_PER_OPEN + 1
    drawn = [[(f"第{n}版要闻", "本报讯 新闻。")] for n in range(1, count + 1)]
    pages = pdf_text(_pdf(drawn)).split(PAGE_BREAK)
    assert [page.split("\n")[0] for page in pages] == [f"第{n}版要闻" for n in range(1, count + 1)]


def test_glyphs_without_a_unicode_mapping_count_as_unreadable_text():
    assert unmapped_share("\ue001\ue002\ue003 新闻") == pytest.approx(3 / 5)
    assert unmapped_share("本报讯 新闻。\n") == 0.0
