"""Typography clean-up for Chinese news text: invisible junk out, widths and spaces made regular.

Pages arrive from OCR, PDF extraction and web copies, so the same sentence shows up with
half-width commas, full-width digits, stray zero-width characters or spaces that were only
line-justification. Everything here is pure string work. One pass is not always a fixpoint
(in ",,“" widening the second comma makes the first one's context Chinese), so callers that
need idempotence run it until stable, as ``stages.text.normalize`` does.
"""

from __future__ import annotations

import re
import unicodedata

# Han ideographs (BMP, Extension A, compatibility, the supplementary planes) and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Chinese punctuation that carries no space around it in Chinese typesetting.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』〔〕…"
_CJK = HAN + CJK_PUNCT

_HAN_RE = re.compile(f"[{HAN}]")
_CJK_RE = re.compile(f"[{_CJK}]")

_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Controls (keeping \n), zero-width and bidi marks, BOM, soft hyphen, noncharacters, and
# lone surrogates (a Python str can hold them; they cannot be encoded and crash writers).
_INVISIBLE = re.compile(
    "[\x00-\x09\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)
_HSPACE = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f]+")
_BLANK_LINES = re.compile(r" ?\n[ \n]*")
# A space is an artifact next to Chinese punctuation, between Chinese and a digit ("先锋队 2
# 个") and around a lone Han character (屈 萍: a two-character name padded to the width of
# three). Between two runs of two or more Han characters it separates names (王志海 李晶) or
# headline clauses, so it stays; spaces inside Latin text and between numbers carry meaning.
_SPURIOUS_SPACE = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}0-9])|(?<=[0-9]) +(?=[{_CJK}])")
_PAIR = re.compile(r"[(（]([^()（）\n]{0,200})[)）]")
_LONE_PAREN = re.compile(r"[()]")
_MARK = re.compile(r"[,:;?!]")

# Full-width digits and Latin letters fold to ASCII (so "２０２１" and "2021" index alike);
# the ideographic space becomes a plain space and is then handled like any other space.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FOLD.update({0x3000: 0x20, 0x09: 0x20})
_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "“", "』": "”"})


def _any_of(table: dict[int, int]) -> re.Pattern:
    """A pattern that finds any character a translation table maps."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in table) + "]")


# str.translate looks every character up in the table; most texts hold none of the table's
# characters, which one regex search finds far sooner: translate only those that do.
_FOLDED, _QUOTED = _any_of(_FOLD), _any_of(_QUOTES)
_WIDE = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


def is_han(char: str) -> bool:
    """True for a Han ideograph (any CJK block) or 〇."""
    return bool(_HAN_RE.fullmatch(char))


def count_han(text: str) -> int:
    """How many characters of ``text`` are Han (as :func:`is_han` judges each)."""
    return len(_HAN_RE.findall(text))


def _is_cjk(char: str) -> bool:
    return bool(char) and bool(_CJK_RE.fullmatch(char))


def clean_characters(text: str) -> str:
    """Drop invisible and unencodable characters, fold widths, compose to NFC."""
    text = _NEWLINES.sub("\n", text)
    text = _INVISIBLE.sub("", text.translate(_FOLD) if _FOLDED.search(text) else text)
    # NFC last: folding can put an ASCII letter before a combining mark that now composes.
    return unicodedata.normalize("NFC", text)


def collapse_whitespace(text: str) -> str:
    """One space for any run of spaces, one "\\n" between paragraphs, nothing at the ends."""
    text = _HSPACE.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip(" \n")


def _prev_visible(text: str, index: int) -> str:
    """The nearest character before ``index`` that is not a space ("" at a line start)."""
    while index > 0 and text[index - 1] == " ":
        index -= 1
    return text[index - 1] if index > 0 else ""


def _next_char(text: str, index: int) -> str:
    return text[index] if index < len(text) else ""


def _widen_pair(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    inner = match.group(1)
    full = (
        "（" in match.group(0)
        or "）" in match.group(0)
        or _is_cjk(_prev_visible(text, start))
        or _is_cjk(_next_char(text, end))
        or bool(_HAN_RE.search(inner))
    )
    return f"（{inner}）" if full else match.group(0)


def _widen_mark(match: re.Match) -> str:
    text, start, mark = match.string, match.start(), match.group(0)
    before, after = _prev_visible(text, start), _next_char(text, start + 1)
    # "?" squeezed between a Han character and a letter is where a decoder dropped a
    # character it could not map: keep it visible for the mojibake check, do not typeset it.
    if mark == "?" and start > 0 and is_han(text[start - 1]) and after.isalpha():
        return mark
    return _WIDE[mark] if _is_cjk(before) or _is_cjk(after) else mark


def widen_punctuation(text: str) -> str:
    """Half-width , : ; ? ! ( ) in Chinese context become their full-width forms."""
    text = _PAIR.sub(_widen_pair, text)
    text = _LONE_PAREN.sub(_widen_mark_or_paren, text)
    return _MARK.sub(_widen_mark, text)


def _widen_mark_or_paren(match: re.Match) -> str:
    text, start = match.string, match.start()
    near_cjk = _is_cjk(_prev_visible(text, start)) or _is_cjk(_next_char(text, start + 1))
    return _WIDE[match.group(0)] if near_cjk else match.group(0)


def _drop_space(match: re.Match) -> str:
    text, start, end = match.string, match.start(), match.end()
    between_words = (
        start >= 2
        and is_han(text[start - 2])
        and is_han(text[start - 1])
        and is_han(_next_char(text, end))
        and is_han(_next_char(text, end + 1))
    )
    return " " if between_words else ""


def drop_spurious_spaces(text: str) -> str:
    """Remove spaces that only padded or justified Chinese text (see _SPURIOUS_SPACE)."""
    return _SPURIOUS_SPACE.sub(_drop_space, text)


def tidy_typography(text: str) -> str:
    """The whole typography pass, in an order where no step undoes an earlier one."""
    text = collapse_whitespace(clean_characters(text))
    text = widen_punctuation(text.translate(_QUOTES) if _QUOTED.search(text) else text)
    return drop_spurious_spaces(text)
