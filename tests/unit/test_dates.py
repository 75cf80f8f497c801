"""Publication dates from paths and sidecars: explicit or nothing, never guessed."""

from __future__ import annotations

from datetime import date

import pytest

from intake.dates import date_from_path, date_from_sidecar, is_sidecar, publication_date


@pytest.mark.parametrize(("path", "expected"), [
    ("/srv/inbox/2022-10-13/page3.txt", date(2022, 10, 13)),
    ("/srv/inbox/20221013/page3.txt", date(2022, 10, 13)),
    ("/srv/inbox/2022-10-13_page3.txt", date(2022, 10, 13)),
    ("/srv/inbox/2022_10_13/a.html", date(2022, 10, 13)),
    ("/srv/inbox/2022/10/13/a.txt", date(2022, 10, 13)),
    ("/srv/inbox/2022/1/3/a.txt", date(2022, 1, 3)),
    ("/srv/inbox/人民政协报2022年10月13日第3版.txt", date(2022, 10, 13)),
    # the date nearest the file wins over one higher up the tree
    ("/archive/2021-01-01/inbox/2022-10-13/page.txt", date(2022, 10, 13)),
])
def test_a_date_written_in_the_path_is_found(path, expected):
    assert date_from_path(path) == expected


@pytest.mark.parametrize("path", [
    "/srv/inbox/000_e2b0872b1726d43c.txt",  # a hash is not a date
    "/srv/inbox/a20221013b.txt",  # digits glued to letters: part of a name, not a date
    "/srv/inbox/2022-13-45/page.txt",  # no such day
    "/srv/inbox/12345678.txt",
    "/srv/inbox/page3.txt",
    "/srv/inbox/v1.2.3/page.txt",
])
def test_no_date_in_the_path_gives_none(path):
    assert date_from_path(path) is None


def test_a_sidecar_date_wins_over_the_path():
    sidecar = '{"published_on": "2022-10-12", "source": "scan"}'
    assert publication_date("/inbox/2022-10-13/p.txt", sidecar) == date(2022, 10, 12)


@pytest.mark.parametrize("sidecar", [
    "not json", "[]", '{"published_on": null}', '{"published_on": "13/10/2022"}',
    '{"published_on": "2022-02-30"}', '{"date": "2022-10-12"}',
])
def test_a_sidecar_without_a_valid_date_falls_back_to_the_path(sidecar):
    assert date_from_sidecar(sidecar) is None
    assert publication_date("/inbox/2022-10-13/p.txt", sidecar) == date(2022, 10, 13)
    assert publication_date("/inbox/p.txt", sidecar) is None


@pytest.mark.parametrize(("name", "expected"), [
    ("page.txt.json", True),
    ("2022-10-13_page3.html.json", True),
    ("page.json", False),  # a JSON page, not a sidecar
    ("2022.10.13.json", False),
    ("page.txt", False),
])
def test_sidecars_are_told_by_their_double_extension(name, expected):
    assert is_sidecar(name) is expected
