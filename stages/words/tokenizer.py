"""jieba's tokenizer and part-of-speech tagger as the project runs them.

Both compute exactly jieba's words and tags (the tests compare them with jieba's own), in
less time and memory: segmentation is half of all the stages' work (benchmarks/README.md).
The classes override jieba methods, two of them private (by their mangled names, which
``tests/unit/test_hmm.py`` checks are still the ones jieba calls). ``stages.words.enrich`` builds
one of each per process, with the news dictionary.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterator
from math import log

import jieba
import jieba.posseg

from stages.words.hmm import guess_words, pos_states, word_spans


class NewsTokenizer(jieba.Tokenizer):
    """jieba's tokenizer, computing jieba's own words in fewer steps: ``cut`` (and so
    ``cut_for_search``) finds each block's best route in one backward pass over the
    dictionary (:meth:`best_route`, instead of ``get_DAG`` then ``calc``) and guesses unknown
    words with :mod:`stages.words.hmm`'s decoder. Routes and words are jieba's, value for value
    (``tests/unit/test_enrich.py`` and ``test_hmm.py`` compare them with jieba's over the
    seed pages and random text); segmentation is half of all the stages, and these halve
    its time (benchmarks/README.md). The part-of-speech tagger still calls jieba's
    ``get_DAG`` and ``calc``, on unknown words and headlines only: too little to matter."""

    def best_route(self, sentence: str) -> list[int]:
        """Position -> the last position of the word the best route takes from there:
        ``get_DAG`` and ``calc`` in one backward pass, each fragment looked up once and its
        count used at once. The same floats, compared as jieba's ``(score, end)`` tuples
        (of equal scores the larger end wins: ends come in increasing order, hence ``>=``)."""
        freq, length, log_total = self.FREQ, len(sentence), log(self.total)
        scores, ends = [0.0] * (length + 1), [0] * length
        for start in range(length - 1, -1, -1):
            best, best_end, end, fragment = None, start, start, sentence[start]
            # FREQ holds every prefix of a word (count 0): absent means no longer word follows.
            while (count := freq.get(fragment)) is not None:
                if count:
                    score = log(count) - log_total + scores[end + 1]
                    if best is None or score >= best:
                        best, best_end = score, end
                end += 1
                if end == length:
                    break
                fragment = sentence[start:end + 1]
            if best is None:  # no word starts here: the character alone, counted once (log 1)
                best = 0.0 - log_total + scores[start + 1]
            scores[start], ends[start] = best, best_end
        return ends

    def _cut_block(self, sentence: str) -> Iterator[str]:
        """The words of one block of Han, Latin and digits: the best route's words, runs of
        single characters not in the dictionary guessed by the B/M/E/S model (jieba's
        ``__cut_DAG``, with :func:`stages.hmm.guess_words` for ``finalseg.cut``)."""
        self.check_initialized()
        route = self.best_route(sentence)
        start, run, length = 0, "", len(sentence)
        while start < length:
            end = route[start] + 1
            if end - start == 1:
                run += sentence[start]
            else:
                if run:
                    yield from self._run_words(run)
                    run = ""
                yield sentence[start:end]
            start = end
        if run:
            yield from self._run_words(run)

    def _run_words(self, run: str) -> Iterator[str]:
        if len(run) == 1:
            yield run
        elif not self.FREQ.get(run):
            yield from guess_words(run)
        else:  # a dictionary word the route split: its characters stay apart
            yield from run

    # jieba's cut() calls its private ``__cut_DAG`` (this mangled name) for each block.
    _Tokenizer__cut_DAG = _cut_block


def jiebas_own(tokenizer: jieba.Tokenizer) -> jieba.Tokenizer:
    """jieba's stock ``Tokenizer`` over ``tokenizer``'s dictionary (its word counts and
    total, shared, not copied): the reference a :class:`NewsTokenizer` equals word for word,
    which the tests compare with and the benchmark times beside it."""
    stock = jieba.Tokenizer()
    stock.FREQ, stock.total, stock.initialized = tokenizer.FREQ, tokenizer.total, True
    return stock


class SharedTagsPOSTokenizer(jieba.posseg.POSTokenizer):
    """jieba's part-of-speech tagger over the project's tokenizer, reading jieba's own table of
    dictionary tags (``jieba.posseg.dt``, loaded by the import) instead of a second copy of
    its 350,000 entries in every worker process. The news dictionary's tags sit in front,
    so jieba's global table is never changed."""

    def load_word_tag(self, f) -> None:  # jieba's __init__ would read the dictionary again
        self.word_tag_tab = ChainMap({}, jieba.posseg.dt.word_tag_tab)

    def _tag_run(self, sentence: str) -> Iterator[jieba.posseg.pair]:
        """Words and flags of a run of unknown Han characters by the part-of-speech model
        (jieba's ``__cut``, with :func:`stages.hmm.pos_states` for its ``viterbi``)."""
        states = pos_states(sentence)
        for start, end, tagged in word_spans([position for position, _ in states]):
            yield jieba.posseg.pair(sentence[start:end], states[tagged][1])

    # jieba's tagger calls its private ``__cut`` (this mangled name) for such runs.
    _POSTokenizer__cut = _tag_run
