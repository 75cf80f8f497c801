"""An article's credit printed in a house style: byline lines, a dateline, Taiwan/Hong Kong forms, tails.

Each form takes what is known about the article's authors (``Who``: the corpus's dateline or
byline, or real names drawn from the pools) and returns what it prints (``Printed``) with the truth
that follows from the print: a form that prints no role word reports no roles, one that drops the
place reports none. Names, places and template words are converted to the page's script one by
one, so the truth's names are the printed names to the character.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from corpus.pools import Pools
from corpus.script import TextForm
from corpus.styles import HouseStyle

TAIWAN_PLACES = ("台北", "新北", "台中", "台南", "高雄", "桃园", "新竹")
_CN_DIGITS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class Who:
    """An article's credit before printing: the source's dateline or byline, or names from the pools."""

    authors: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # parallel to authors, or () when the source states none
    agency: str | None = None  # 本报 / 新华社 when the source dateline names one
    reported: bool = False
    place: str | None = None
    date: tuple[int, int] | None = None  # (month, day) of the dateline
    printed: str | None = None  # the 2017 header's byline as printed


@dataclass
class Printed:
    """A credit as printed, and the truth it gives."""

    lines: list[tuple[str, str]] = field(default_factory=list)  # (role, text) between head and body
    prefix: str = ""  # opens the first paragraph
    suffix: str = ""  # closes the first paragraph
    tails: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    place: str | None = None


@dataclass(frozen=True)
class Ctx:
    form: TextForm
    rng: random.Random
    pools: Pools
    style: HouseStyle
    issue: tuple[int, int]  # (month, day) of the page: synthetic datelines are filed the day before


def cn_number(n: int) -> str:
    """十五, 三十, 二十一, 一: day and page numbers as Chinese numerals."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def people(who: Who, ctx: Ctx, role: str | None = None, most: int = 2) -> Who:
    """``who`` with names: its own, or one or two real names from the pools under ``role``
    (a reporter and a correspondent now and then: 记者 X 通讯员 Y)."""
    if who.authors:
        return who
    names = tuple(ctx.rng.sample(ctx.pools.names, ctx.rng.randint(1, most)))
    roles = (role,) * len(names) if role else ()
    if role == "记者" and len(names) == 2 and ctx.rng.random() < 0.4:
        roles = ("记者", "通讯员")
    return replace(who, authors=names, roles=roles)


def staff(who: Who, ctx: Ctx, role: str, most: int = 2) -> Who:
    """``people`` whose every name carries a role word, as datelines print them."""
    who = people(who, ctx, role, most)
    return who if who.roles else replace(who, roles=(role,) * len(who.authors))


def paren(ctx: Ctx, inner: str) -> str:
    """（inner）, the brackets in the page's punctuation width."""
    return ctx.form.head("（") + inner + ctx.form.head("）")


def credit_text(
    who: Who, ctx: Ctx, gap: str = " ", join: str = " ", pad: bool = False, outlet: str = ""
) -> str:
    """``记者 张烁 通讯员 王五`` / ``记者冯雪珺、花放`` / bare names, each piece converted alone.

    ``outlet`` goes before each role word (本报记者); ``pad`` spaces two-character names to the
    width of three (王  峰), as typesetters do in byline lines.
    """
    pieces: list[str] = []
    for i, name in enumerate(who.authors):
        role = who.roles[i] if who.roles else ""
        shown = ctx.form.words(name)
        shown = f"{shown[0]}  {shown[1]}" if pad and len(shown) == 2 else shown
        if role and (i == 0 or who.roles[i - 1] != role):
            pieces.append((join if pieces else "") + ctx.form.head(outlet + role) + gap + shown)
        else:
            pieces.append((join if pieces else "") + shown)
    return "".join(pieces)


def truth(who: Who, ctx: Ctx, *, roles: bool = True, place: str | None = None, **printed) -> Printed:
    """The Printed for ``who``: names converted, roles kept only when the print states them."""
    authors = [ctx.form.words(n) for n in who.authors]
    return Printed(
        authors=authors,
        roles=list(who.roles) if roles else [],
        place=ctx.form.words(place) if place else None,
        **printed,
    )


def _filed(who: Who, ctx: Ctx) -> tuple[int, int]:
    month, day = ctx.issue
    return who.date or (month, max(day - 1, 1))


def _place(who: Who, ctx: Ctx) -> str:
    return who.place or ctx.rng.choice(ctx.pools.places)


def _dated(agency: str, place: str | None, date: tuple[int, int] | None, ctx: Ctx, cn: bool = False) -> str:
    """``新华社北京4月30日电`` / ``新华社兴县十五日电`` / ``本报电``, converted."""
    when = ""
    if date:
        when = f"{cn_number(date[1])}日" if cn else f"{date[0]}月{date[1]}日"
    return ctx.form.head(agency) + (ctx.form.words(place) if place else "") + ctx.form.head(when + "电")


def dateline_rmrb(who: Who, ctx: Ctx) -> Printed:
    """本报北京9月30日电  （记者张烁）, 据新华社莫斯科2月19日电, 本报电: the corpus's own print."""
    agency = who.agency or "本报"
    place = who.place if who.agency else _place(who, ctx)
    date = who.date if who.agency else _filed(who, ctx)
    head = ctx.form.head("据" if who.reported else "") + _dated(agency, place, date, ctx)
    gap = ctx.rng.choice(("  ", "\u3000", " "))
    if who.authors:
        head += gap + paren(ctx, credit_text(who, ctx, gap="", join="、"))
    return truth(who, ctx, place=place, prefix=head + ("" if who.authors else gap))


def xun(who: Who, ctx: Ctx) -> Printed:
    """本报讯（记者 X 通讯员 Y）, 本报讯(通讯员 林天骥), now and then 本报(通讯员 尹莉丽)."""
    who = staff(who, ctx, ctx.rng.choice(("通讯员", "记者")))
    opener = "本报讯" if ctx.rng.random() < 0.9 else "本报"
    return truth(who, ctx, prefix=ctx.form.head(opener) + paren(ctx, credit_text(who, ctx)))


def place_xun(who: Who, ctx: Ctx) -> Printed:
    """本报嘉峪关讯（通讯员苏天泰）: the paper's local bureau, name set tight against the role."""
    who = staff(who, ctx, "通讯员", most=1)
    place = _place(who, ctx)
    head = ctx.form.head("本报") + ctx.form.words(place) + ctx.form.head("讯")
    return truth(who, ctx, place=place, prefix=head + paren(ctx, credit_text(who, ctx, gap="", join="、")))


def agency(who: Who, ctx: Ctx) -> Printed:
    """新华社北京4月30日电（记者 X Y）, with or without the reporters."""
    place, date = _place(who, ctx), _filed(who, ctx)
    head = _dated("新华社", place, date, ctx)
    if not who.authors and ctx.rng.random() < 0.5:
        return truth(who, ctx, place=place, prefix=head + ctx.rng.choice((" ", "\u3000")))
    who = staff(who, ctx, "记者")
    return truth(who, ctx, place=place, prefix=head + paren(ctx, credit_text(who, ctx)))


def bracket_cn(who: Who, ctx: Ctx) -> Printed:
    """【新华社兴县十五日电】: Hong Kong papers' agency dateline, day in Chinese numerals, no names."""
    place = _place(who, ctx)
    head = ctx.form.head("【") + _dated("新华社", place, _filed(who, ctx), ctx, cn=True) + ctx.form.head("】")
    return truth(Who(), ctx, place=place, prefix=head)


def chinanews(who: Who, ctx: Ctx) -> Printed:
    """中新网北京9月30日电（记者 张烁）."""
    who = staff(who, ctx, "记者", most=1)
    place = _place(who, ctx)
    head = _dated("中新网", place, _filed(who, ctx), ctx)
    return truth(who, ctx, place=place, prefix=head + paren(ctx, credit_text(who, ctx)))


def bao(who: Who, ctx: Ctx) -> Printed:
    """【北京晚报讯】（记者 X）: the paper's own name in square brackets."""
    who = staff(who, ctx, "记者")
    head = ctx.form.head(f"【{ctx.style.short or ctx.style.paper}讯】")
    return truth(who, ctx, prefix=head + paren(ctx, credit_text(who, ctx)))


def nandu(who: Who, ctx: Ctx) -> Printed:
    """南都讯　记者X 通讯员Y …: roles and names run straight into the lead."""
    who = staff(who, ctx, "记者")
    head = ctx.form.head(f"{ctx.style.short or ctx.style.paper}讯") + "\u3000"
    return truth(who, ctx, prefix=head + credit_text(who, ctx, gap="") + " ")


def _reporter(who: Who, ctx: Ctx) -> Who:
    """One reporter: the source's first, or a name from the pools."""
    who = people(who, ctx, "记者", most=1)
    return replace(who, authors=who.authors[:1], roles=("记者",))


def _tw_credit(who: Who, ctx: Ctx) -> tuple[str, str | None]:
    """記者王小明／台北報導 (place printed) or 記者王小明／綜合報導 (none)."""
    roll = ctx.rng.random()
    place = ctx.rng.choice(TAIWAN_PLACES) if roll < 0.5 else (who.place if roll < 0.8 else None)
    where = ctx.form.words(place) if place else ctx.form.head("综合")
    text = ctx.form.head("记者") + ctx.form.words(who.authors[0]) + "／" + where + ctx.form.head("报导")
    return text, place


def tw_start(who: Who, ctx: Ctx) -> Printed:
    """〔記者王小明／台北報導〕 opening the lead."""
    who = _reporter(who, ctx)
    text, place = _tw_credit(who, ctx)
    return truth(who, ctx, place=place, prefix=f"〔{text}〕")


def tw_bracket(who: Who, ctx: Ctx) -> Printed:
    """【記者王小明／台北報導】 opening the lead."""
    who = _reporter(who, ctx)
    text, place = _tw_credit(who, ctx)
    return truth(who, ctx, place=place, prefix=f"【{text}】")


def tw_end(who: Who, ctx: Ctx) -> Printed:
    """（記者王小明／台北報導） closing the lead."""
    who = _reporter(who, ctx)
    text, place = _tw_credit(who, ctx)
    return truth(who, ctx, place=place, suffix=paren(ctx, text))


def byline_tw(who: Who, ctx: Ctx) -> Printed:
    """記者王小明／台北報導 on a line of its own."""
    who = _reporter(who, ctx)
    text, place = _tw_credit(who, ctx)
    return truth(who, ctx, place=place, lines=[("byline", text)])


def tw_photo(who: Who, ctx: Ctx) -> Printed:
    """報導．攝影╱王小明: reporter and photographer in one, no role stated."""
    who = _reporter(who, ctx)
    line = ctx.form.head("报导．摄影") + "╱" + ctx.form.words(who.authors[0])
    return truth(who, ctx, roles=False, lines=[("byline", line)])


def hk_start(who: Who, ctx: Ctx) -> Printed:
    """【大公報訊】記者王小明報道： / 【大公報訊】記者王小明北京報道："""
    who = _reporter(who, ctx)
    place = who.place if ctx.rng.random() < 0.5 else None
    head = ctx.form.head(f"【{ctx.style.paper}讯】记者") + ctx.form.words(who.authors[0])
    head += (ctx.form.words(place) if place else "") + ctx.form.head("报道：")
    return truth(who, ctx, place=place, prefix=head)


def hk_wenwei(who: Who, ctx: Ctx) -> Printed:
    """大公報訊（記者 王小明）."""
    who = _reporter(who, ctx)
    head = ctx.form.head(f"{ctx.style.paper}讯")
    return truth(who, ctx, prefix=head + paren(ctx, ctx.form.head("记者 ") + ctx.form.words(who.authors[0])))


CREDIT_FORMS: dict[str, Callable[[Who, Ctx], Printed]] = {
    "dateline_rmrb": dateline_rmrb,
    "xun": xun,
    "place_xun": place_xun,
    "agency": agency,
    "bracket_cn": bracket_cn,
    "chinanews": chinanews,
    "bao": bao,
    "nandu": nandu,
    "tw_start": tw_start,
    "tw_bracket": tw_bracket,
    "tw_end": tw_end,
    "byline_tw": byline_tw,
    "tw_photo": tw_photo,
    "hk_start": hk_start,
    "hk_wenwei": hk_wenwei,
}
