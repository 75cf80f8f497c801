"""Ingest stage: the bytes of a dropped file to text, its encoding and its format.

Encodings are found by strict decoding in a Chinese-aware order: a BOM decides (UTF-8, UTF-16,
UTF-32); otherwise UTF-8; otherwise GB18030 and Big5 both try, and the one whose text holds more of
the most common Chinese characters wins (a wrong legacy codec decodes into rare characters and
kana). Nothing is guessed loosely: bytes no codec decodes strictly are refused as ``undecodable``,
except UTF-8 with at most one damaged sequence per thousand bytes (kept, damage marked U+FFFD).
"""

from __future__ import annotations

import json
import re

from stages.items import DecodedPage, StageError
from stages.text.pdf import is_pdf, read_pdf

_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (or an Office/EPUB file)"),
    (b"\x89PNG", "a PNG image"),
    (b"\x1f\x8b", "a GZIP archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an OLE document (old Word/Excel)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an ELF executable"),
)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
_LEGACY = ("gb18030", "big5", "big5hkscs")
# The most frequent characters of Chinese news text, Simplified and Traditional forms.
COMMON_HAN = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研质县市省委协会议报记讯通讯"
    "這個們來為國時說會對後裡過發與於動員開關縣區學經濟黨產種麵實點從業現進當從體製機應還"
    "們間樣與關變條沒結題問義長門兩議報記訊協務農運幹書參隊"
)
_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|br|article|section|h[1-6]|span|table)\b", re.I
)


def _refuse_magic(data: bytes) -> None:
    """Raise ``binary`` when the bytes open like a known binary format."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise StageError("binary", f"The file is {name}, not a text page.")


def _refuse_controls(data: bytes) -> None:
    """Raise ``binary`` when control bytes are more than noise (text has tabs and newlines only)."""
    if b"\x00" in data:
        raise StageError("binary", "The file contains NUL bytes and no byte order mark: binary data.")
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if controls > max(2, len(sample) // 50):
        detail = f"The file has {controls} control bytes in its first {len(sample)}: binary data."
        raise StageError("binary", detail)


def _bom_decode(data: bytes) -> tuple[str, str] | None:
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec.replace("-sig", "")), name
            except UnicodeDecodeError:
                detail = f"The file starts with a {name} byte order mark but is not valid {name}."
                raise StageError("undecodable", detail) from None
    return None


def common_han_share(text: str) -> float:
    """Share of the Han characters in ``text`` that are among the most common ones."""
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    return sum(ch in COMMON_HAN for ch in han) / len(han) if han else 0.0


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _legacy_decode(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, whichever decodes strictly into more common Chinese characters."""
    best: tuple[float, str, str] | None = None
    for codec in _LEGACY:
        text = _strict(data, codec)
        if text is None:
            continue
        score = common_han_share(text)
        if best is None or score > best[0] + 0.05:
            best = (score, text, codec)
    return (best[1], best[2]) if best else None


def _decode(data: bytes) -> tuple[str, str]:
    """Text and codec name; raise ``binary`` or ``undecodable``."""
    bom = _bom_decode(data)
    if bom is not None:
        if "\x00" in bom[0]:  # PostgreSQL stores no NUL in text: refuse it here, by name
            raise StageError("binary", f"The file decodes as {bom[1]} (by its byte order mark) "
                                       "to text with NUL characters: binary data.")
        return bom
    _refuse_controls(data)
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    legacy = _legacy_decode(data) or _mostly_utf8(data)
    if legacy is None:
        tried = ", ".join(("utf-8", *_LEGACY))
        raise StageError("undecodable", f"The bytes are not valid in any of the encodings tried ({tried}).")
    return legacy


# A UTF-8 page with a few damaged bytes (a bad sector, a truncated download) is still the
# page: keep it, with U+FFFD where the damage is, which the normalize stage flags as mojibake.
MAX_DAMAGED_SHARE = 0.001


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd")
    if damaged > max(1, len(data) * MAX_DAMAGED_SHARE):
        return None
    return text, f"utf-8 ({damaged} invalid byte sequence{'s' * (damaged > 1)} replaced)"


def _normalize(text: str) -> str:
    """Strip BOMs, make every line ending a newline; form feeds (PDF page breaks) too."""
    text = text.replace("\ufeff", "")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")


def detect_format(text: str, filename: str = "") -> str:
    """``jsonl`` when the first line is a JSON object, ``html`` when tags lead, else ``text``."""
    head = text.lstrip()
    first = head.split("\n", 1)[0].strip()
    if first.startswith("{"):
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except json.JSONDecodeError:
            if filename.lower().endswith((".jsonl", ".ndjson")):
                return "jsonl"
    tags = _HTML_TAG.findall(head[:20000])
    if head.startswith("<") and tags or len(tags) >= 3:
        return "html"
    if tags and filename.lower().endswith((".html", ".htm", ".xhtml")):
        return "html"
    return "text"


# Bytes of a file read to tell a JSON Lines archive from a page (and to find its encoding):
# an archive's lines then stream through the parse stage, so its size never sits in memory.
ARCHIVE_HEAD_BYTES = 1 << 20
# The codec an archive's lines are read with, by the byte order mark it opens with (the
# codec drops the mark): the others are ``_decode``'s names.
_STREAM_CODECS = {"utf-8-sig": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16",
                  "utf-32-le": "utf-32", "utf-32-be": "utf-32"}


def archive_of(head: bytes, filename: str = "") -> DecodedPage | None:
    """A JSON Lines archive's format and stream codec, read from its first bytes (``text``
    stays empty: the parse stage streams the lines); None if the file is a page.

    The head is cut at its last line end before decoding, so a character split by the cut
    does not make it look undecodable; a file the head cannot place is a page, read whole.
    """
    if not head.strip():
        return None
    _refuse_magic(head)
    for bom, codec, _ in _BOMS:
        if head.startswith(bom):
            text = head[len(bom):].decode(codec.replace("-sig", ""), errors="ignore")
            return _archive(text, filename, _STREAM_CODECS[codec])
    cut = head if len(head) < ARCHIVE_HEAD_BYTES else head[:head.rfind(b"\n") + 1] or head
    try:
        text, encoding = _decode(cut)
    except StageError:
        return None  # read whole, as a page, which reports it properly
    return _archive(text, filename, encoding.split(" ")[0])  # "utf-8 (2 … replaced)": utf-8


def _archive(text: str, filename: str, codec: str) -> DecodedPage | None:
    if detect_format(_normalize(text), filename) != "jsonl":
        return None
    return DecodedPage(text="", encoding=codec, format="jsonl")


def decode_page(data: bytes, filename: str = "") -> DecodedPage:
    """Bytes of a dropped file to a DecodedPage; raise StageError for empty, binary, undecodable."""
    if not data.strip():
        raise StageError("empty", "The file is empty or holds only whitespace.")
    if is_pdf(data):
        text, sizes = read_pdf(data)
        return DecodedPage(text=text, encoding="pdf", format="pdf", layout=sizes)
    _refuse_magic(data)
    text, encoding = _decode(data)
    text = _normalize(text)
    if not text.strip():
        raise StageError("empty", "The file holds only whitespace once decoded.")
    return DecodedPage(text=text, encoding=encoding, format=detect_format(text, filename))
