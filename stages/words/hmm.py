"""jieba's two hidden Markov models, decoded in fewer steps, value for value.

jieba guesses words its dictionary lacks (names, new terms) with a 4-state model over
B/M/E/S (begin, middle, end, single) in ``jieba.finalseg``, and tags them with a 256-state
model over (B/M/E/S, part of speech) pairs in ``jieba.posseg``. Both decoders are written for
clarity: the first copies each state's whole path at every character, the second compares
every pair of states in a generator. These take jieba's own tables and compute the same floats in the same
order, breaking ties as jieba's ``max`` over ``(probability, state)`` tuples does (the larger
state wins); ``tests/unit/test_hmm.py`` compares them with jieba's on random and real text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache, lru_cache

import jieba.finalseg
import jieba.posseg
import numpy as np

MIN_FLOAT = -3.14e100  # jieba's log probability of an emission its tables lack
MIN_INF = float("-inf")  # posseg's of a transition its table lacks


@cache
def _bmes_tables() -> tuple:
    """finalseg's start, transition and emission tables, unpacked once."""
    start, trans, emit = jieba.finalseg.start_P, jieba.finalseg.trans_P, jieba.finalseg.emit_P
    return ((start["B"], start["M"], start["E"], start["S"]),
            tuple(trans[before].get(after, MIN_FLOAT) for before, after in (
                ("E", "B"), ("S", "B"), ("M", "M"), ("B", "M"),
                ("S", "S"), ("E", "S"), ("B", "E"), ("M", "E"))),
            (emit["B"], emit["M"], emit["E"], emit["S"]))


def _better(first: float, first_state: str, second: float, second_state: str,
            emission: float) -> tuple[float, str]:
    """The better of a state's two ways in, ``second_state`` the later letter (it wins a tie).
    Each score is (previous + transition) + emission, added in jieba's order."""
    first, second = first + emission, second + emission
    return (second, second_state) if second >= first else (first, first_state)


def bmes_states(text: str) -> str:
    """finalseg's most likely B/M/E/S state of each character of ``text`` (not empty).

    Each state has two possible predecessors; of two equal scores jieba's tuple comparison
    keeps the later letter (S over E, M over B), and so does :func:`_better`.
    """
    (start_b, start_m, start_e, start_s), (eb, sb, mm, bm, ss, es, be, me), emits = _bmes_tables()
    emit_b, emit_m, emit_e, emit_s = emits
    first = text[0]
    b, m = start_b + emit_b.get(first, MIN_FLOAT), start_m + emit_m.get(first, MIN_FLOAT)
    e, s = start_e + emit_e.get(first, MIN_FLOAT), start_s + emit_s.get(first, MIN_FLOAT)
    back = []  # per character after the first: the predecessor of B, M, E and S
    for char in text[1:]:
        new_b, before_b = _better(e + eb, "E", s + sb, "S", emit_b.get(char, MIN_FLOAT))
        new_m, before_m = _better(b + bm, "B", m + mm, "M", emit_m.get(char, MIN_FLOAT))
        new_s, before_s = _better(e + es, "E", s + ss, "S", emit_s.get(char, MIN_FLOAT))
        new_e, before_e = _better(b + be, "B", m + me, "M", emit_e.get(char, MIN_FLOAT))
        b, m, e, s = new_b, new_m, new_e, new_s
        back.append({"B": before_b, "M": before_m, "E": before_e, "S": before_s})
    return "".join(_trace_back("S" if s >= e else "E", back))


def _trace_back(last, back: list[dict]) -> list:
    """The states of the best path ending in ``last``, first to last: ``back[t]`` maps each
    state of character t + 1 to its best predecessor."""
    path = [last]
    for before in reversed(back):
        path.append(before[path[-1]])
    return path[::-1]


def _last_argmax(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Index of the maximum; of equal maxima the last (jieba's tuple ``max`` keeps the larger
    state, and the states are in increasing order)."""
    return values.shape[axis or 0] - 1 - values[::-1].argmax(axis=axis)


def word_spans(positions: Sequence[str]) -> Iterator[tuple[int, int, int]]:
    """(start, end, tagged) of each word in a sequence of B/M/E/S positions, cut as both jieba
    models cut: a word ends at E or is one S; an unfinished word at the end is a word too.
    ``tagged`` is the character whose state names the word's part of speech (posseg's rule:
    the last one, or the first of an unfinished word)."""
    begin = after = 0
    for i, position in enumerate(positions):
        if position == "B":
            begin = i
        elif position == "E":
            yield begin, i + 1, i
            after = i + 1
        elif position == "S":
            yield i, i + 1, i
            after = i + 1
    if after < len(positions):
        yield after, len(positions), after


def guess_words(text: str) -> Iterator[str]:
    """``jieba.finalseg.cut``: Han runs split by the model, the rest at Latin and digits."""
    for block in jieba.finalseg.re_han.split(text):
        if jieba.finalseg.re_han.match(block):
            for start, end, _ in word_spans(bmes_states(block)):
                word = block[start:end]
                if word in jieba.finalseg.Force_Split_Words:
                    yield from word
                else:
                    yield word
        else:
            yield from (part for part in jieba.finalseg.re_skip.split(block) if part)


class _PosModel:
    """posseg's tables as arrays over its states, sorted as jieba compares them (tuples), so
    that among equal scores the larger index is the larger state."""

    def __init__(self) -> None:
        trans, start = jieba.posseg.trans_P, jieba.posseg.start_P
        self.states = sorted(trans)
        self.index = {state: i for i, state in enumerate(self.states)}
        size = len(self.states)
        self.trans = np.full((size, size), MIN_INF)
        self.follows = np.zeros((size, size), dtype=bool)  # "after" among "before"'s keys
        for before, row in trans.items():
            for after, log_p in row.items():
                self.trans[self.index[before], self.index[after]] = log_p
                self.follows[self.index[before], self.index[after]] = True
        self.has_next = self.follows.any(axis=1)
        self.start = np.array([start[state] for state in self.states])
        self.everything = np.ones(size, dtype=bool)

    # Per character seen in an unknown word: 2 KB each, at most ~9 MB per process.
    @lru_cache(maxsize=4096)  # noqa: B019 (one model per process, never freed)
    def emit(self, char: str) -> np.ndarray:
        return np.array([jieba.posseg.emit_P[state].get(char, MIN_FLOAT) for state in self.states])

    @lru_cache(maxsize=4096)  # noqa: B019
    def allowed(self, char: str) -> np.ndarray:
        """The states the character may take (every state for one the table lacks)."""
        known = jieba.posseg.char_state_tab_P.get(char)
        if known is None:
            return self.everything
        mask = np.zeros(len(self.states), dtype=bool)
        mask[[self.index[state] for state in known]] = True
        return mask


@cache
def _pos_model() -> _PosModel:
    return _PosModel()


def pos_states(text: str) -> list[tuple[str, str]]:
    """posseg's most likely (B/M/E/S, part of speech) state of each character of ``text``.

    Per character, as jieba: the states the character may take that some live state of the
    previous character can move to (if none, all those reachable; if none, all states); each
    takes its best predecessor among the live states that move anywhere.
    """
    model = _pos_model()
    live = model.allowed(text[0])
    score = np.full(len(model.states), MIN_INF)
    score[live] = model.start[live] + model.emit(text[0])[live]
    back = []
    for char in text[1:]:
        before = np.flatnonzero(live & model.has_next)
        reachable = model.follows[before].any(axis=0)
        live = model.allowed(char) & reachable
        if not live.any():
            live = reachable if reachable.any() else model.everything
        after = np.flatnonzero(live)
        scores = (score[before, None] + model.trans[np.ix_(before, after)]
                  + model.emit(char)[after])
        best = _last_argmax(scores, axis=0)  # each state's best predecessor
        score = np.full(len(model.states), MIN_INF)
        score[after] = scores[best, np.arange(len(after))]
        back.append(dict(zip(after.tolist(), before[best].tolist(), strict=True)))
    ends = np.flatnonzero(live)
    last = int(ends[_last_argmax(score[ends])])
    return [model.states[i] for i in _trace_back(last, back)]
