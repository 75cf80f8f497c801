"""Real text to dress synthetic conventions with: names, places, organisations, column tags, notes.

Names come from the corpus's datelines （记者X）, the 2017 bylines, photo and tail credits, and the
byline lines of the repository's seed pages, so a byline the composer adds names a real person
shape, never random characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from corpus.parse import HAN, split_names
from corpus.records import SourceArticle, SourcePage

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_SEED_CREDIT = re.compile(rf"(?:通讯员|记者|□)\s*(?P<names>[{HAN} ]{{2,12}}?)\s*(?:\)|摄|$)")
_COLUMN_TAG = re.compile(r"（(?P<tag>[^（）]{2,10})）$")
_ORG = re.compile(
    rf"(?:^|[，。；、“])(?P<org>(?:中共)?[{HAN}]{{2,5}}(?:省|市|县|区)"
    r"(?:委宣传部|委组织部|政协|人民政府|教育局|农业农村局|气象局|生态环境局|红十字会|总工会|妇联|融媒体中心))"
)
# A match that opens with a function word, or holds a verb or preposition of its clause, took
# a clause for a place (按照省委组织部, 记者从广东省委组织部, 紧急向武汉市红十字会).
_NOT_A_PLACE_START = tuple("按并在由据经对为和与及向从将把被让是的了也都又还就而直原图")
_CLAUSE = re.compile("[从向应及了上到给对被把让碰亏急费]|记者")
# Cartoon credits name the periodical that supplied the drawing: X绘（《讽刺与幽默》供图）.
PERIODICALS = ("讽刺与幽默", "漫画月刊", "幽默大师")


@dataclass(frozen=True)
class Pools:
    names: tuple[str, ...]
    short_names: tuple[str, ...]  # two or three characters: for bare name lines
    places: tuple[str, ...]  # domestic dateline places of two to four characters
    orgs: tuple[str, ...]  # 日照市委宣传部, 灵璧县政协: for ■ org bylines and 供图 credits
    column_tags: tuple[str, ...]  # 人民时评, 一线行走: the tags printed after titles
    author_notes: tuple[str, ...]  # （作者为本报广东分社记者）


def _article_names(article: SourceArticle) -> list[str]:
    credits = [article.byline, article.tail_credit]
    credits.append(article.dateline.credit if article.dateline else None)
    credits.append(article.photo.credit if article.photo else None)
    return [name for credit in credits if credit for name in credit.authors]


def _domestic_place(article: SourceArticle) -> str | None:
    """The dateline's place when the lead names it as a city, county or province (武汉 → 武汉市):
    local bureaus file from home, not from 曼谷 or 伯尔尼."""
    place = article.dateline.place if article.dateline else None
    if not place or not 2 <= len(place) <= 4:
        return None
    return place if any(place + unit in p for p in article.paragraphs[:2] for unit in "市县省") else None


def seed_names(folder: Path = SEEDS) -> list[str]:
    """Names in the seed pages' bylines and credits (本报讯(通讯员 林天骥), □ 裴文婷)."""
    names: list[str] = []
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _SEED_CREDIT.search(line)
            names += split_names(match.group("names")) or [] if match else []
    return names


def build_pools(pages: tuple[SourcePage, ...], seeds: Path = SEEDS) -> Pools:
    """Every pool, sorted and without repeats so draws from it are deterministic."""
    articles = [a for page in pages for a in page.articles]
    names = {n for a in articles for n in _article_names(a)} | set(seed_names(seeds))
    places = {p for a in articles if (p := _domestic_place(a))}
    tags = {m.group("tag") for a in articles if (m := _COLUMN_TAG.search(a.title))}
    orgs = {m.group("org") for a in articles for p in a.paragraphs[:3] for m in _ORG.finditer(p)
            if not m.group("org").startswith(_NOT_A_PLACE_START) and not _CLAUSE.search(m.group("org"))}
    notes = {a.tail for a in articles if a.tail and a.tail.startswith("（作者为")}
    pools = Pools(
        names=tuple(sorted(names)),
        short_names=tuple(sorted(n for n in names if len(n) <= 3)),
        places=tuple(sorted(places)),
        orgs=tuple(sorted(orgs)),
        column_tags=tuple(sorted(t for t in tags if not re.search(r"[（）\d]", t))),
        author_notes=tuple(sorted(n for n in notes if len(n) <= 40)),
    )
    empty = [name for name, pool in vars(pools).items() if not pool]
    if empty:
        raise ValueError(f"the corpus gives nothing for these pools: {', '.join(empty)}")
    return pools
