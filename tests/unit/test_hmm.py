"""stages.words.hmm decodes jieba's two hidden Markov models exactly as jieba does."""

from pathlib import Path

import jieba.finalseg
import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stages.words.enrich import _jieba
from stages.words.hmm import bmes_states, guess_words, pos_states, word_spans

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# Names, surnames, common and function words, digits, Latin and punctuation.
NEWS_CHARS = "林天骥周得玮王李张孙丽霞郑洪轩党史县长政协会议梨树召开的了是不本报讯记者在01ab,。 "
# Characters neither model has seen (absent from their emission and state tables). After
# known characters they make equal scores: a state's log probability -3.14e100 + a small
# number is -3.14e100 whatever the small number, so the tie-break decides.
UNSEEN = "丄丅丏両丣丩丮丯丱丵"
han_chars = st.sampled_from(NEWS_CHARS[:-8] + UNSEEN) | st.characters(
    min_codepoint=0x4E00, max_codepoint=0x4FFF)
news_text = st.text(st.sampled_from(NEWS_CHARS + UNSEEN), min_size=1, max_size=30)
han_runs = st.text(han_chars, min_size=1, max_size=30)


def _seed_han_runs() -> list[str]:
    runs = {run for path in sorted(SEEDS.glob("*.txt"))
            for run in jieba.finalseg.re_han.findall(path.read_text(encoding="utf-8"))}
    return sorted(runs)


def _jiebas_bmes(text: str) -> str:
    _, path = jieba.finalseg.viterbi(text, "BMES", jieba.finalseg.start_P,
                                     jieba.finalseg.trans_P, jieba.finalseg.emit_P)
    return "".join(path)


def _jiebas_pos(text: str) -> list[tuple[str, str]]:
    _, route = jieba.posseg.viterbi(text, jieba.posseg.char_state_tab_P, jieba.posseg.start_P,
                                    jieba.posseg.trans_P, jieba.posseg.emit_P)
    return route


def test_bmes_states_are_jiebas_on_every_han_run_of_the_seed_pages():
    # Given every run of Han characters on the seed pages (whole paragraphs, up to hundreds)
    runs = _seed_han_runs()
    assert len(runs) > 100
    # Then each character's state is the one jieba's decoder gives it
    for run in runs:
        assert bmes_states(run) == _jiebas_bmes(run), run


@settings(max_examples=300, deadline=None)
@given(han_runs)
def test_bmes_states_are_jiebas_on_any_han_run(text):
    assert bmes_states(text) == _jiebas_bmes(text)


@settings(max_examples=200, deadline=None)
@given(news_text)
def test_guessed_words_are_finalseg_cuts(text):
    # Given Han runs mixed with Latin, digits, spaces and punctuation
    # Then the words are jieba.finalseg.cut's
    assert list(guess_words(text)) == list(jieba.finalseg.cut(text))


@pytest.mark.parametrize(("text", "expected"), [
    ("林天骥", [("B", "nr"), ("M", "nr"), ("E", "nr")]),
    ("周得玮", [("B", "nr"), ("M", "nr"), ("E", "nr")]),
])
def test_pos_states_of_names(text, expected):
    # A sanity anchor that does not come from the code under test: jieba's model reads
    # these as three-character person names.
    assert pos_states(text) == expected == _jiebas_pos(text)


@settings(max_examples=150, deadline=None)
@given(st.text(han_chars, min_size=1, max_size=8))
def test_pos_states_are_jiebas_on_any_han_run(text):
    # Including characters the model has no states for (every state is then allowed)
    assert pos_states(text) == _jiebas_pos(text)


@pytest.mark.parametrize("text", ["林天丄丅", "会议丄", "丄丅丏", "梨树县丣丩丮丯丱"])
def test_equal_scores_are_broken_as_jieba_breaks_them(text):
    # Given unseen characters, alone or after known ones (equal scores, above)
    # Then both models still choose jieba's states
    assert bmes_states(text) == _jiebas_bmes(text)
    assert pos_states(text) == _jiebas_pos(text)


def test_tagger_is_jiebas_on_the_seed_pages():
    # Given jieba's own tagger over the project's tokenizer and tag table
    ours = _jieba().pos
    stock = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    stock.tokenizer, stock.word_tag_tab = ours.tokenizer, ours.word_tag_tab
    lines = [line for path in sorted(SEEDS.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # Then every line gets the same words and flags
    tagged = [[(p.word, p.flag) for p in ours.cut(line)] for line in lines]
    assert tagged == [[(p.word, p.flag) for p in stock.cut(line)] for line in lines]
    assert ("林天骥", "nr") in {pair for line in tagged for pair in line}


def _positions(lengths: list[int], unfinished: int) -> str:
    """B/M/E/S positions of words of these lengths, then an unfinished word (B, M…)."""
    words = ["S" if n == 1 else "B" + "M" * (n - 2) + "E" for n in lengths]
    return "".join(words) + ("B" + "M" * (unfinished - 1) if unfinished else "")


@given(st.lists(st.integers(1, 5), max_size=8), st.integers(0, 3))
def test_word_spans_are_the_words_of_the_positions(lengths, unfinished):
    # Given the positions of a sequence of words (what both models' transitions allow)
    spans = list(word_spans(_positions(lengths, unfinished)))
    # Then each word is one span, in order, the unfinished tail the last one
    expected_lengths = lengths + ([unfinished] if unfinished else [])
    assert [end - start for start, end, _ in spans] == expected_lengths
    assert [start for start, _, _ in spans] == [sum(expected_lengths[:i]) for i in range(len(spans))]
    # And a word's tag comes from its last character (the tail's from its first)
    assert [tagged for _, _, tagged in spans] == (
        [end - 1 for _, end, _ in spans[:len(lengths)]] + ([spans[-1][0]] if unfinished else []))


def test_the_overridden_private_methods_are_the_ones_jieba_calls():
    # stages.words.enrich replaces jieba's __cut_DAG and posseg's __cut by their mangled names; if a
    # jieba release renamed them, the project's decoders would silently stop being used.
    import inspect

    assert "self.__cut_DAG" in inspect.getsource(jieba.Tokenizer.cut)
    assert hasattr(jieba.Tokenizer, "_Tokenizer__cut_DAG")
    assert "self.__cut(" in inspect.getsource(jieba.posseg.POSTokenizer._POSTokenizer__cut_detail)
    ours = _jieba()
    assert type(ours.tokenizer)._Tokenizer__cut_DAG is not jieba.Tokenizer._Tokenizer__cut_DAG
    assert type(ours.pos)._POSTokenizer__cut is not jieba.posseg.POSTokenizer._POSTokenizer__cut
