"""Enrich stage: what jieba tells us about a normalized article.

Search-mode tokens for the index, TF-IDF keywords and named entities (places, people,
organisations) from part-of-speech tags. The tokenizer is a dedicated ``jieba.Tokenizer``
(``stages.tokenizer.NewsTokenizer``: jieba's words, faster) with the project's news
dictionary (``stages/words/data/news_dict.txt``: place and organisation names that must stay whole,
e.g. 伊通满族自治县), built lazily once per process: loading the dictionary takes about a
second, and jieba's global default must not be mutated behind other users' backs.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import jieba
import jieba.analyse
import jieba.posseg

from stages.items import Enrichment, Entity, NormalizedItem
from stages.words.tokenizer import NewsTokenizer, SharedTagsPOSTokenizer

TOP_KEYWORDS = 10
# jieba POS tag prefix → entity type. nr covers nr/nrfg/nrt (person names of all origins).
ENTITY_TAGS = {"ns": "place", "nr": "person", "nt": "organization"}
# Content words only: a keyword list of numbers and function words helps nobody.
KEYWORD_TAGS = ("n", "nr", "ns", "nt", "nz", "vn", "v", "l", "j", "eng")
# The most common surnames (single and compound): about nine Chinese names in ten.
SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
    "顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿"
    "关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华"
    "喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗"
    "瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝伊"
) + ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙")
_WORDLIKE = re.compile(r"[^\W_]")
_NUMBER = re.compile(r"[\d.,%]+")


@dataclass(frozen=True)
class _Jieba:
    tokenizer: jieba.Tokenizer
    pos: jieba.posseg.POSTokenizer
    tfidf: jieba.analyse.TFIDF

    @property
    def user_tags(self) -> dict[str, str]:
        """word → part-of-speech flag from the news dictionary (the tagger's front table)."""
        return self.pos.word_tag_tab.maps[0]

    @property
    def tags(self) -> dict[str, str]:
        """word → flag from jieba's dictionary (jieba's own table, behind the news one)."""
        return self.pos.word_tag_tab.maps[1]


@cache
def _jieba() -> _Jieba:
    """The project's tokenizer, POS tagger and IDF table, built on first use."""
    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict…" lines are not news
    tokenizer = NewsTokenizer()
    with resources.as_file(resources.files("stages.words") / "data" / "news_dict.txt") as path:
        tokenizer.load_userdict(str(path))
    pos = SharedTagsPOSTokenizer(tokenizer)
    pos.makesure_userdict_loaded()  # the news dictionary's tags, into the ChainMap's front
    tfidf = jieba.analyse.default_tfidf  # its IDF table is loaded by the import already
    return _Jieba(tokenizer, pos, tfidf)


def pos_tags(text: str) -> list[tuple[str, str]]:
    """(word, flag) pairs from jieba's part-of-speech HMM: precise, six times slower than
    the dictionary flags enrich uses; for short texts only (the headline checks)."""
    return [(pair.word, pair.flag) for pair in _jieba().pos.cut(text)]


def warm_up() -> None:
    """Load the dictionary now (a worker process at start), not in its first task."""
    _jieba()


def _is_word(token: str) -> bool:
    return bool(_WORDLIKE.search(token))


def words(text: str) -> list[str]:
    """jieba's precise-mode words (its 4-state HMM joins runs of unknown characters)."""
    return list(_jieba().tokenizer.cut(text))


def _search_forms(word: str) -> tuple[str, ...]:
    """A word's search-mode tokens: for 3+ characters its dictionary 2-grams, for 4+ its
    dictionary 3-grams, then the word (what jieba's ``cut_for_search`` emits for it), keeping
    only word-like ones (no punctuation or spaces)."""
    freq = _jieba().tokenizer.FREQ
    forms = [gram for size in (2, 3) if len(word) > size
             for i in range(len(word) - size + 1) if freq.get(gram := word[i:i + size])]
    return tuple(form for form in (*forms, word) if _is_word(form))


def _oov_tag(word: str) -> str:
    """The flag of a word the dictionaries do not hold (jieba's 4-state HMM joined it from
    single characters): numbers and Latin by jieba's convention; a Han word that starts with
    a surname (in news mostly a name: 林天骥) by jieba's part-of-speech HMM over the word
    alone; anything else 'x'. The part-of-speech HMM over whole texts costs five times the
    segmentation, and even over every unknown word twice it."""
    if _NUMBER.fullmatch(word):
        return "m"
    if word.isascii():
        return "eng"
    if not word.startswith(SURNAMES):
        return "x"
    pieces = list(_jieba().pos.cut(word))
    return pieces[0].flag if len(pieces) == 1 else "x"


def _is_keyword(word: str, flag: str) -> bool:
    """A content word that may be a keyword: not a single character, a stop word or a number."""
    return (flag.startswith(KEYWORD_TAGS) and len(word) > 1
            and word.lower() not in _jieba().tfidf.stop_words and not _NUMBER.fullmatch(word))


def _entity_type(word: str, flag: str) -> str | None:
    kind = ENTITY_TAGS.get(flag[:2])
    # One-character "names" (a surname alone, 县) are tagging noise, not entities.
    if kind is None or len(word) < 2:
        return None
    # jieba's dictionary tags many ordinary words nr (养老, 玉米); a Chinese name starts
    # with a surname and is at most four characters long.
    if kind == "person" and not (len(word) <= 4 and word.startswith(SURNAMES)):
        return None
    return kind


@dataclass(frozen=True, slots=True)
class _Word:
    """What enrich needs to know of a precise-mode word; the same wherever the word occurs."""

    flag: str  # part of speech: the dictionaries' flag, else :func:`_oov_tag`
    search: tuple[str, ...]  # its search-mode tokens (:func:`_search_forms`)
    keyword: bool  # may count towards the keywords (:func:`_is_keyword`)
    entity: str | None  # "place", "person", "organization" or None (:func:`_entity_type`)


# Bounded, because a long run meets new unknown words forever (names, numbers); the common
# words of news, which are most look-ups, fit well within the bound.
@lru_cache(maxsize=16384)
def _word(word: str) -> _Word:
    """Everything enrich derives from one word, computed once per word, not per occurrence:
    a page's tokens are mostly words seen before, and working each out again (a dictionary
    look-up or jieba's part-of-speech HMM, sub-words, keyword and entity tests) cost enrich
    half as much again as the segmentation."""
    jieba_ = _jieba()
    flag = jieba_.user_tags.get(word) or jieba_.tags.get(word) or _oov_tag(word)
    return _Word(flag, _search_forms(word), _is_keyword(word, flag), _entity_type(word, flag))


def edge_flags(text: str, longest: int = 4) -> tuple[str | None, str | None]:
    """The part-of-speech flags of the longest dictionary words that open and close a short
    text (None where no dictionary word of two or more characters does): the page model's
    headline features, without segmenting the line."""
    jieba_ = _jieba()

    def flag(words: list[str]) -> str | None:
        return next((f for w in words if (f := jieba_.user_tags.get(w) or jieba_.tags.get(w))),
                    None)

    sizes = range(min(longest, len(text)), 1, -1)
    return flag([text[:n] for n in sizes]), flag([text[-n:] for n in sizes])


def spans_word(before: str, after: str, longest: int = 4) -> bool:
    """Whether a dictionary word runs across the break between ``before`` and ``after``
    (经济 in ``…首席经`` / ``济学家…``): a typesetter breaks a headline between words, a column
    breaks a line anywhere."""
    freq = _jieba().tokenizer.FREQ
    for size in range(2, longest + 1):
        for cut in range(1, size):
            if cut <= len(before) and size - cut <= len(after) and \
                    freq.get(before[len(before) - cut:] + after[:size - cut]):
                return True
    return False


def with_sub_words(cut: list[str]) -> list[str]:
    """Search mode from precise-mode words: each word's :func:`_search_forms` in order
    (what jieba's ``cut_for_search`` emits, without segmenting the text a second time)."""
    return _search_of([_word(word) for word in cut])


def _search_of(known: list[_Word]) -> list[str]:
    """The search-mode tokens of words already looked up, in order."""
    return [form for info in known for form in info.search]


def search_tokens(text: str) -> list[str]:
    """jieba search-mode tokens (words plus their sub-words), punctuation and spaces left out."""
    return with_sub_words(words(text))


def _keywords(cut: list[str], known: list[_Word], top: int = TOP_KEYWORDS) -> list[str]:
    """TF-IDF over the words (``known``: their :func:`_word`) with jieba.analyse's IDF table."""
    tfidf = _jieba().tfidf
    counts = Counter(word for word, info in zip(cut, known, strict=True) if info.keyword)
    total = sum(counts.values()) or 1
    weights = {w: n / total * tfidf.idf_freq.get(w, tfidf.median_idf) for w, n in counts.items()}
    # Ties keep first-appearance order (Counter preserves insertion order; sort is stable).
    return sorted(weights, key=lambda w: -weights[w])[:top]


def _entities(cut: list[str], known: list[_Word]) -> list[Entity]:
    """Entities with their counts, most frequent first (ties in order of appearance)."""
    counts: Counter[tuple[str, str]] = Counter(
        (word, info.entity) for word, info in zip(cut, known, strict=True) if info.entity)
    return [Entity(text=w, type=k, count=n) for (w, k), n in counts.most_common()]


def enrich(item: NormalizedItem) -> Enrichment:
    """Tokens, keywords and entities of a normalized item (title and body together).

    One jieba segmentation per field feeds everything: search tokens, tags, keywords and
    entities (jieba splits at line breaks anyway, so fields cut apart = the joined text cut).
    """
    title_words = words(item.title or "")
    cut = title_words + words(item.subtitle or "") + words(item.body)
    known = [_word(word) for word in cut]  # the title's words come first
    return Enrichment(
        tokens=_search_of(known),
        title_tokens=_search_of(known[:len(title_words)]),
        keywords=_keywords(cut, known),
        entities=_entities(cut, known),
    )
