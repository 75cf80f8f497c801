"""A deterministic benchmark corpus built from the sample pages in ``seeds/``.

The seed pages are cut into article blocks (``benchmarks.seed_blocks``) and new pages are
composed from those blocks. Every page carries its kind from
construction (the label a test or a report can trust, independent of what the pipeline
concludes):

* ``original``: 3–5 blocks in a random order, 20 % of the words of their body lines replaced by
  words of the same length from the same block, so every page brings stories no other page holds
  (two variants of one block stay far below the 0.8 near-duplicate threshold; see the unit
  test) while the text stays made of real words: random characters would send jieba into
  its slow HMM path for unknown words and measure a slowness real pages do not have;
* ``traditional``: an earlier original converted to Traditional script with OpenCC ``s2t``
  (a cross-script reprint: normalization converts it back);
* ``exact``: the bytes of an earlier original under another name;
* ``near``: an earlier original's blocks reshuffled with 1 % of body characters replaced.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import cache

from opencc import OpenCC

from benchmarks.seed_blocks import is_han, seed_blocks
from stages.words.enrich import _jieba

KINDS = ("original", "traditional", "exact", "near")
DEFAULT_MIX = {"original": 0.5, "traditional": 0.2, "exact": 0.15, "near": 0.15}
ORIGINAL_EDIT, NEAR_EDIT = 0.20, 0.01
# Only lines this long are edited: headlines and bylines stay intact, so segmentation of a
# composed page finds the same structure as on the seed page (stages.lines.HEADING_MAX).
EDITABLE_LINE = 41
# A lead paragraph opens with its dateline and byline (本报天祝讯(通讯员 吴拓华)), an anchor
# the segmenter relies on: the first characters of a line are never edited.
PROTECTED_PREFIX = 24


@dataclass(frozen=True)
class CorpusPage:
    """One page file of the corpus and how it was made."""

    name: str
    kind: str
    text: str
    blocks: tuple[int, ...]  # indexes into the seed blocks, in page order
    source: int | None = None  # index of the page it copies (traditional, exact, near)

    @property
    def data(self) -> bytes:
        return self.text.encode("utf-8")


@cache
def _block_words(block: str) -> tuple[tuple[str, ...], ...]:
    """The block's lines cut into words by the project's tokenizer (no HMM: known words)."""
    tokenizer = _jieba().tokenizer
    return tuple(tuple(tokenizer.cut(line, HMM=False)) for line in block.split("\n"))


@cache
def _vocabulary(block: str) -> dict[int, tuple[str, ...]]:
    """The block's own Han words by length, sorted so that choices are reproducible. Its own:
    a replacement keeps the block's script (one seed page is Traditional) and its topic."""
    by_length: dict[int, set[str]] = {}
    for word in {w for line in _block_words(block) for w in line if is_han(w)}:
        by_length.setdefault(len(word), set()).add(word)
    return {n: tuple(sorted(ws)) for n, ws in by_length.items()}


def reword(rng: random.Random, block: str, share: float) -> str:
    """Replace ``share`` of the Han words of the block's body lines by same-length words."""
    vocabulary, lines = _vocabulary(block), []
    for words in _block_words(block):
        out, position = [], 0
        editable = sum(map(len, words)) >= EDITABLE_LINE
        for word in words:
            if editable and position >= PROTECTED_PREFIX and is_han(word) and rng.random() < share:
                word = rng.choice(vocabulary[len(word)])
            out.append(word)
            position += len(word)
        lines.append("".join(out))
    return "\n".join(lines)


def vary(rng: random.Random, text: str, share: float) -> str:
    """Replace ``share`` of the Han characters of the long (body) lines with others of the
    same text (so a Simplified page stays Simplified): typos and OCR slips, in effect."""
    alphabet = "".join(sorted({c for c in text if is_han(c)}))
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if len(line) < EDITABLE_LINE:
            continue
        chars = list(line)
        han = [i for i, c in enumerate(chars) if i >= PROTECTED_PREFIX and is_han(c)]
        for i in rng.sample(han, round(len(han) * share)):
            chars[i] = rng.choice(alphabet)
        lines[n] = "".join(chars)
    return "\n".join(lines)


def kind_sequence(pages: int, mix: dict[str, float], rng: random.Random) -> list[str]:
    """Exactly ``round(pages * share)`` pages of each copy kind, originals the rest, shuffled;
    the first page is an original so that every copy has an earlier page to copy."""
    counts = {k: round(pages * mix.get(k, 0.0)) for k in KINDS if k != "original"}
    kinds = [k for k, n in counts.items() for _ in range(n)]
    kinds += ["original"] * (pages - len(kinds))
    if "original" not in kinds:
        raise ValueError("the mix must leave at least one original page")
    rng.shuffle(kinds)
    first = kinds.index("original")
    kinds[0], kinds[first] = kinds[first], kinds[0]
    return kinds


def _join(blocks: list[str]) -> str:
    return "\n\n\n".join(blocks) + "\n"  # two blank lines: a gap between layout blocks


def _original(rng: random.Random, blocks: tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
    chosen = tuple(rng.sample(range(len(blocks)), rng.randint(3, 5)))
    return _join([reword(rng, blocks[i], ORIGINAL_EDIT) for i in chosen]), chosen


@cache
def _to_traditional() -> OpenCC:
    return OpenCC("s2t.json")  # loading the dictionaries costs more than converting a page


def _copy(rng: random.Random, kind: str, source: CorpusPage) -> str:
    if kind == "exact":
        return source.text
    if kind == "traditional":
        return _to_traditional().convert(source.text)
    parts = source.text.rstrip("\n").split("\n\n\n")
    rng.shuffle(parts)
    return _join([vary(rng, part, NEAR_EDIT) for part in parts])


def build_corpus(pages: int = 2000, seed: int = 20221013, mix: dict[str, float] | None = None,
                 prefix: str = "p") -> list[CorpusPage]:
    """``pages`` pages, the same ones for the same arguments on every machine."""
    rng, blocks = random.Random(seed), seed_blocks()
    corpus: list[CorpusPage] = []
    originals: list[int] = []
    for index, kind in enumerate(kind_sequence(pages, mix or DEFAULT_MIX, rng)):
        name = f"{prefix}{index:05d}_{kind}.txt"
        if kind == "original":
            text, chosen = _original(rng, blocks)
            originals.append(index)
            corpus.append(CorpusPage(name, kind, text, chosen))
            continue
        source = rng.choice(originals)
        text = _copy(rng, kind, corpus[source])
        corpus.append(CorpusPage(name, kind, text, corpus[source].blocks, source))
    return corpus


def kind_counts(corpus: list[CorpusPage]) -> dict[str, int]:
    counts = Counter(page.kind for page in corpus)
    return {kind: counts.get(kind, 0) for kind in KINDS}


def corpus_bytes(corpus: list[CorpusPage]) -> int:
    return sum(len(page.data) for page in corpus)
