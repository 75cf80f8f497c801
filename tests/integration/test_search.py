"""Search, export and publication dates on the sample pages, through the real pipeline."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import text

from migrations import upgrade_head
from models.db import get_engine
from tests.conftest import SEEDS, Stack
from workers import scratch as services

PAGES = sorted(SEEDS.glob("*.txt"))
# The seeds' lead stories (read from the pages themselves).
LISHU = "服务中心献良策 汇聚共识增合力"  # page 000: 梨树县政协's half-year review
GAO_YAN = "抓队伍 强组织 壮经济"  # page 003, by 高岩: 铁东区 and 乡村振兴
JIAYUGUAN = "用新思想新理论武装头脑指导实践推动工作"  # page 004, 本报嘉峪关讯
WOMEN = "乡村振兴巾帼先行 培训赋能带头致富"  # page 003
CONTAINS_ZHENGXIE = """SELECT count(*) FROM canonical_articles
                       WHERE coalesce(title, '') || coalesce(subtitle, '') || body LIKE '%政协%'"""


def _run(stack, *args) -> subprocess.CompletedProcess:
    return stack.run(*args)


def _drop_dated_pages(stack) -> None:
    """The five pages, dated in every supported way but one (page 002 stays undated)."""
    sidecar = stack.inbox / f"{PAGES[0].name}.json"
    sidecar.write_text('{"published_on": "2022-10-10"}', encoding="utf-8")
    shutil.copy(PAGES[0], stack.inbox / PAGES[0].name)
    (stack.inbox / "20221011").mkdir()
    shutil.copy(PAGES[1], stack.inbox / "20221011" / PAGES[1].name)
    shutil.copy(PAGES[2], stack.inbox / PAGES[2].name)
    (stack.inbox / "2022-10-13").mkdir()
    shutil.copy(PAGES[3], stack.inbox / "2022-10-13" / PAGES[3].name)
    shutil.copy(PAGES[4], stack.inbox / "2022-10-14_page4.txt")


def _ingest(stack, *paths) -> None:
    result = stack.ingest(*paths)
    assert result.returncode == 0, result.stderr


def _search(stack, *args) -> list[dict]:
    result = _run(stack, "search", *args, "--json")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def ingested(postgres_admin, redis_base, tmp_path_factory):
    """Given the sample pages, dated, ingested once by a real worker; the tests only read.

    Like conftest's ``stack``, but shared by the module: ingesting takes most of a test's time.
    """
    root = tmp_path_factory.mktemp("search")
    with services.scratch_database(postgres_admin) as db_url, \
            services.scratch_redis_db(redis_base) as redis_url:
        upgrade_head(db_url)
        env = os.environ | {"NEWSFLOW_DATABASE_URL": db_url, "NEWSFLOW_REDIS_URL": redis_url,
                            "NEWSFLOW_DATA_DIR": str(root / "data"),
                            "NEWSFLOW_INBOX": str(root / "inbox")}
        stack = Stack(db_url, redis_url, root, env)
        stack.inbox.mkdir()
        _drop_dated_pages(stack)
        with stack.worker():
            _ingest(stack, stack.inbox)
            # and page 003 printed again a week later under another name
            (stack.inbox / "2022-10-20").mkdir()
            shutil.copy(PAGES[3], stack.inbox / "2022-10-20" / "reprint.txt")
            _ingest(stack, stack.inbox / "2022-10-20")
        yield stack
        get_engine(db_url).dispose()


def test_status_watch_shows_states_and_what_moved_in_the_last_minute(ingested):
    from rich.console import Console

    from workers.status_watch import watch_status

    # When one frame of `newsflow status --watch` is drawn right after the ingest (this
    # test runs first in the module, well within the minute)
    console = Console(record=True, width=200)
    watch_status(ingested.settings, console, interval=0, frames=1)
    text = console.export_text()
    # Then it counts the files by state, and the six files that finished within the minute
    assert "files by state" in text and "reached in the last minute" in text
    flow = text.split("reached in the last minute")[1]
    header = next(line for line in flow.splitlines() if "ingested" in line)
    counts = next(line for line in flow.splitlines() if line.startswith("│"))
    moved = dict(zip(header.split("┃")[1:-1], counts.split("│")[1:-1], strict=True))
    moved = {k.strip(): int(v) for k, v in moved.items()}
    assert moved["stored"] == 5 and moved["duplicate"] == 1
    assert sum(moved.values()) == 6


def test_search_finds_ranks_and_filters_the_sample_articles(ingested):
    stack = ingested
    # When 政协 (a two-character word) is searched for
    hits = _search(stack, "政协", "--limit", "100")
    # Then exactly the canonical articles containing it are found, best first, marked
    assert len(hits) == stack.sql(CONTAINS_ZHENGXIE)[0][0] >= 5
    assert {LISHU, JIAYUGUAN} <= {hit["title"] for hit in hits}
    assert [h["rank"] for h in hits] == sorted((h["rank"] for h in hits), reverse=True)
    # (a hit in the title alone, like 漳县三岔镇：政协协商议事…, has a plain body snippet)
    assert all("«政协»" in hit["snippet"] or "政协" in hit["title"] for hit in hits)
    assert sum("«政协»" in hit["snippet"] for hit in hits) >= len(hits) - 1
    # And the human output shows the same hits with their titles and snippets
    text = _run(stack, "search", "政协").stdout
    assert LISHU in text and "政协" in text and f"{len(hits)} hits" in text
    # And a sub-word of a longer word is found (振兴 inside 乡村振兴)
    assert {GAO_YAN, WOMEN} <= {hit["title"] for hit in _search(stack, "振兴")}
    # And several terms must all occur, as typed: then articles with the query's words
    both = _search(stack, "乡村振兴 政协")
    exact = [hit for hit in both if hit["exact"]]
    assert [hit["title"] for hit in exact] == [LISHU] and both[:1] == exact
    assert "«乡村振兴»" in exact[0]["snippet"] and "«政协»" in exact[0]["snippet"]
    assert all(hit["rank"] < 1 <= exact[0]["rank"] for hit in both[1:])
    assert [h["title"] for h in _search(stack, "乡村振兴 政协", "--exact")] == [LISHU]
    # And a piece of a word jieba keeps whole (县政 of 梨树县政协) is found where it is
    piece = _search(stack, "树县政", "--exact")
    assert piece and all("«树县政»" in h["snippet"] or "树县政" in h["title"] for h in piece)
    assert {h["article_id"] for h in piece} == {row[0] for row in stack.sql(
        "SELECT id FROM canonical_articles WHERE concat_ws(' ', title, subtitle, body) LIKE '%树县政%'")}


def test_search_filters_by_author_place_and_date(ingested):
    stack = ingested
    by_author = _search(stack, "乡村振兴", "--author", "高岩")
    assert [(h["title"], h["authors"]) for h in by_author] == [(GAO_YAN, ["高岩"])]
    by_place = _search(stack, "政协", "--place", "嘉峪关")
    assert [(h["title"], h["place"]) for h in by_place] == [(JIAYUGUAN, "嘉峪关")]
    recent = _search(stack, "政协", "--since", "2022-10-13", "--limit", "100")
    assert JIAYUGUAN in {h["title"] for h in recent} and LISHU not in {h["title"] for h in recent}
    assert all(h["published_on"] >= "2022-10-13" for h in recent)
    # A query with nothing to search for is refused, not run
    empty = _run(stack, "search", "，，")
    assert empty.returncode == 2 and "nothing to search for" in empty.stderr


@pytest.mark.parametrize("limit", ["-1", "0", "1001", "100000000"])
def test_the_cli_refuses_a_limit_out_of_range_in_one_line(ingested, limit):
    result = _run(ingested, "search", "政协", "--limit", limit)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: --limit must be between 1 and 1000, not {limit}"]
    assert result.stdout == ""


def test_the_sql_function_gives_sql_users_the_same_search(ingested):
    stack = ingested
    # The CLI and SQL call the same function: the same hits in the same order
    for query in ("乡村振兴 政协", "政协", "县政协"):
        cli = [h["article_id"] for h in _search(stack, query, "--limit", "100", "--exact")]
        sql = stack.sql("SELECT article_id FROM newsflow_search(:q, max_hits => 100)", q=query)
        assert [row.article_id for row in sql] == cli
    one_word = stack.sql("SELECT count(*) FROM newsflow_search('政协', max_hits => 100)")[0][0]
    assert one_word == stack.sql(CONTAINS_ZHENGXIE)[0][0]
    # The word search of migration 0003 (a tsquery of jieba's words) answers as before
    words = stack.sql("SELECT article_id FROM newsflow_search(plainto_tsquery('simple', :w))",
                      w="乡村 振兴 政协")
    cli = _search(stack, "乡村振兴 政协", "--limit", "100")
    assert {row.article_id for row in words} == {h["article_id"] for h in cli}
    # A title hit weighs more than the same hit in the body (weights A over B)
    title, body = stack.sql(
        "SELECT newsflow_rank(setweight(to_tsvector('simple', '政协'), 'A'), 'x | 政协'),"
        " newsflow_rank(setweight(to_tsvector('simple', '政协'), 'B'), 'x | 政协')")[0]
    assert title > body > 0


def test_a_reader_granted_only_the_views_can_read_and_search(ingested):
    stack = ingested
    with get_engine(stack.database_url).begin() as conn:
        conn.execute(text("SET LOCAL ROLE newsflow_reader"))
        stories = conn.execute(text("SELECT count(*), count(published_on) FROM canonical_articles"))
        hits = conn.execute(text("SELECT count(*) FROM newsflow_search('政协', max_hits => 100)")).scalar()
        assert stories.one() == (32, 31)  # page 002's single article is the one undated
        assert hits == stack.sql(CONTAINS_ZHENGXIE)[0][0]


def _exported_jsonl(stack, *args) -> list[dict]:
    out = stack.root / "articles.jsonl"
    result = _run(stack, "export", str(out), "--format", "jsonl", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _from_csv(row: dict) -> dict:
    arrays, ints = ("authors", "quality_flags", "keywords"), ("id", "char_count", "copies")
    data = {k: (None if v == "" else v) for k, v in row.items()}
    data.update({k: json.loads(data[k]) for k in arrays})
    data.update({k: int(data[k]) for k in ints})
    data["quality_score"] = float(data["quality_score"])
    return data


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value  # datetimes too


def _database_rows(stack) -> list[dict]:
    rows = stack.sql("SELECT * FROM canonical_articles ORDER BY id")
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in rows]


def test_export_round_trips_the_canonical_articles_with_dates_and_copies(ingested):
    stack = ingested
    # When everything is exported as JSON Lines and as CSV on stdout
    jsonl = _exported_jsonl(stack)
    result = _run(stack, "export", "-", "--format", "csv")
    assert result.returncode == 0, result.stderr
    csv_rows = [_from_csv(r) for r in csv.DictReader(io.StringIO(result.stdout))]
    # Then both hold every canonical article with the same content as the database
    database = _database_rows(stack)
    assert len(jsonl) == len(csv_rows) == len(database) >= 25
    assert jsonl == database
    assert csv_rows == database
    # And each story carries the first date it was published and how often it appeared
    by_title = {row["title"]: row for row in jsonl}
    assert (by_title[GAO_YAN]["published_on"], by_title[GAO_YAN]["copies"]) == ("2022-10-13", 2)
    assert (by_title[LISHU]["published_on"], by_title[LISHU]["copies"]) == ("2022-10-10", 1)
    assert by_title[JIAYUGUAN]["published_on"] == "2022-10-14"
    undated = [row for row in jsonl if row["authors"] == ["新河县政协"]]
    assert len(undated) == 1 and undated[0]["published_on"] is None
    # And --since keeps only stories published on or after the day
    since = _exported_jsonl(stack, "--since", "2022-10-13")
    assert {row["id"] for row in since} == {
        row["id"] for row in jsonl if row["published_on"] and row["published_on"] >= "2022-10-13"}


def test_file_status_shows_each_file_with_its_date_and_the_sidecar_is_not_a_page(ingested):
    rows = ingested.sql("SELECT path, status, stage, published_on FROM file_status ORDER BY path")
    by_name = {row.path.rsplit("/", 1)[1]: row for row in rows}
    assert len(rows) == 6 and not any(name.endswith(".json") for name in by_name)
    assert by_name.pop("reprint.txt").status == "duplicate"  # page 003 again: nothing new
    assert {row.status for row in by_name.values()} == {"stored"}
    assert by_name[PAGES[0].name].published_on == date(2022, 10, 10)  # sidecar
    assert by_name[PAGES[1].name].published_on == date(2022, 10, 11)  # 20221011/
    assert by_name[PAGES[2].name].published_on is None  # nothing says when: no guess
    assert by_name["2022-10-14_page4.txt"].published_on == date(2022, 10, 14)


def test_parquet_export_needs_pyarrow_or_round_trips(ingested):
    out = ingested.root / "articles.parquet"
    result = _run(ingested, "export", str(out), "--format", "parquet")
    if importlib.util.find_spec("pyarrow") is None:
        assert result.returncode == 2 and "pyarrow" in result.stderr and not out.exists()
    else:
        import pyarrow.parquet as pq

        assert result.returncode == 0, result.stderr
        assert pq.read_table(out).num_rows == len(_database_rows(ingested))



def test_reindex_rebuilds_exactly_the_vectors_the_pipeline_stored(ingested):
    stack = ingested
    before = stack.sql("SELECT id, search::text AS v FROM articles ORDER BY id")
    found = {hit["article_id"] for hit in _search(stack, "政协")}
    # Given articles without a search vector, as stored before migration 0003
    with get_engine(stack.database_url).begin() as conn:
        conn.execute(text("UPDATE articles SET search = NULL"))
    # (the bigrams come from the text: the same articles are found, none for its words)
    assert {hit["article_id"] for hit in _search(stack, "政协")} == found
    assert _search(stack, "乡村振兴政协") == []
    # When they are reindexed
    result = _run(stack, "reindex")
    # Then every article gets back the same vector the normalize stage's tokens gave it
    assert result.returncode == 0, result.stderr
    assert f"indexed {len(before)} articles" in result.stderr
    assert stack.sql("SELECT id, search::text AS v FROM articles ORDER BY id") == before


def test_reindex_builds_the_substring_index_of_a_database_without_it(ingested):
    stack = ingested
    expected = _search(stack, "县政协", "--exact")
    # Given a database whose articles were stored before migration 0008 built the index
    with get_engine(stack.database_url).begin() as conn:
        conn.execute(text("DROP INDEX articles_grams_idx"))
    # Then searches scan the text meanwhile, with the same hits
    assert _search(stack, "县政协", "--exact") == expected
    # When reindex runs, then the index is built, valid, and searches use it
    result = _run(stack, "reindex")
    assert result.returncode == 0, result.stderr
    assert "built the substring index" in result.stderr
    assert stack.sql("SELECT indisvalid FROM pg_index"
                     " WHERE indexrelid = to_regclass('articles_grams_idx')") == [(True,)]
    assert _search(stack, "县政协", "--exact") == expected
    # And a second run finds it and leaves it be
    again = _run(stack, "reindex")
    assert again.returncode == 0 and "built the substring index" not in again.stderr
