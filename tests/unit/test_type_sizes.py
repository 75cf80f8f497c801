"""Type sizes as the page model's attributes: a PDF's lines carry them from the reader to the
model's features; a text page has none, and its features are what they were."""

from __future__ import annotations

from stages.segment.features import line_features, page_lines_of
from stages.segment.type_sizes import size_attributes
from stages.text.pdf import PAGE_BREAK, read_pdf
from stages.text.pdf_lines import body_size, read_sizes
from tests.pdf_pages import PAGES, drawn_pdf

BODY = "眼下正值春耕备耕关键时期，各地农民抢抓农时，农业技术人员深入田间地头开展指导。"


def test_the_body_size_is_the_one_most_characters_are_set_in():
    texts = ["春耕备耕有序推进", BODY, BODY, "本报记者 李红"]
    assert body_size(texts, [24.0, 10.5, 10.5, 9.0]) == 10.5
    # three short headlines do not outweigh one column of text
    assert body_size(["标题一", "标题二", "标题三", BODY], [20.0, 20.0, 20.0, 10.0]) == 10.0


def test_a_line_is_read_against_the_body_size_whatever_the_papers_type_scale():
    for body in (9.0, 10.5, 12.0):
        found = size_attributes(["春耕备耕有序推进", BODY, BODY, "图为田间"],
                                [2.4 * body, body, body, 0.8 * body])
        assert [row["fs"] for row in found] == ["5", "1", "1", "0"]
        assert [row.get("fs>") for row in found] == ["down", "same", "down", None]


def test_a_pdfs_sizes_come_one_per_line_of_its_text_page_by_page():
    text, layout = read_pdf(drawn_pdf(PAGES))
    pages, sizes = text.split(PAGE_BREAK), layout.split(PAGE_BREAK)
    assert len(pages) == len(sizes) == 2
    for page, page_sizes in zip(pages, sizes, strict=True):
        lines = page_lines_of(page, read_sizes(page_sizes))
        assert [line.size for line in lines if line.text in {a[0] for p in PAGES for a in p}] \
            == [20.0] * sum(1 for line in lines if line.size == 20.0)
        assert {line.size for line in lines} == {20.0, 10.5}


def test_only_a_page_with_sizes_gets_size_attributes():
    text = "春耕备耕有序推进\n本报讯（记者 李红）" + BODY
    with_sizes = line_features(page_lines_of(text, [20.0, 10.5]))
    assert "fs=4" in with_sizes[0] and "fs=1" in with_sizes[1] and "1:fs=1" in with_sizes[0]
    without = line_features(page_lines_of(text))
    assert not any(attribute.startswith(("fs", "1:fs", "-1:fs")) for row in without for attribute in row)
    # sizes of another count than the lines are not this text's: left out, never misread
    assert line_features(page_lines_of(text, [20.0])) == without
