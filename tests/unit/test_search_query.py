"""Search queries are cut by jieba and reach SQL only as bound parameters."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from models.search import EmptyQuery, query_words, search_vector, tsquery


def test_a_query_is_cut_into_distinct_search_words_in_order():
    # jieba's search mode adds the sub-words of a long word, which the index holds too
    assert query_words("乡村振兴 政协") == ["乡村", "振兴", "政协"]
    assert query_words("政协 政协，政协") == ["政协"]


def test_a_two_character_word_is_one_search_word():
    assert query_words("政协") == ["政协"]


@pytest.mark.parametrize("text", ["", "   ", "，。！", "&|!()"])
def test_a_query_without_words_is_refused(text):
    with pytest.raises(EmptyQuery):
        query_words(text)


def _compiled(expression):
    return select(expression).compile(dialect=postgresql.psycopg.dialect())


def test_query_text_is_a_bound_parameter_never_sql():
    hostile = "政协'); DROP TABLE articles; --"
    compiled = _compiled(tsquery(query_words(hostile)))
    assert "DROP" not in str(compiled) and "政协" not in str(compiled)
    assert "plainto_tsquery" in str(compiled)
    assert any("DROP" in str(value) for value in compiled.params.values())


def test_the_search_vector_weighs_title_a_and_text_b_from_bound_tokens():
    compiled = _compiled(search_vector(["政协"], ["政协", "工作"]))
    sql = str(compiled)
    assert sql.count("setweight") == 2 and "'A'" in sql and "'B'" in sql
    assert "政协" not in sql
    assert set(compiled.params.values()) >= {"政协", "政协 工作"}
