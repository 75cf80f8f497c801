"""A photo's credit printed in a house style: XX摄（影像中国）, 本报通讯员 X 摄, 图/文 X, X绘（《…》供图）."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corpus.bylines import choose
from corpus.credits import Ctx, Who, paren, staff
from corpus.parse import PhotoCredit
from corpus.pools import PERIODICALS


@dataclass(frozen=True)
class PhotoPrint:
    text: str  # the credit as printed
    inline: bool  # set at the end of the caption's last line rather than on a line of its own
    authors: list[str]
    roles: list[str]


def _who(credit: PhotoCredit) -> Who:
    return Who(authors=credit.credit.authors, roles=credit.credit.roles)


def _shown(who: Who, ctx: Ctx, pad: bool = False) -> str:
    names = [ctx.form.words(n) for n in who.authors]
    return "、".join(f"{n[0]}  {n[1]}" if pad and len(n) == 2 else n for n in names)


def _plain(who: Who, ctx: Ctx, text: str, inline: bool = False) -> PhotoPrint:
    """A credit that states no role: the names alone are the truth."""
    return PhotoPrint(text, inline, [ctx.form.words(n) for n in who.authors], [])


def she(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """陈月明摄（影像中国）, 唐  克摄: the name alone, the agency's tag when the source has one."""
    who = _who(credit)
    text = _shown(who, ctx, pad=ctx.rng.random() < 0.3) + ctx.form.head("摄")
    return _plain(who, ctx, text + (paren(ctx, ctx.form.head(credit.suffix)) if credit.suffix else ""))


def agency_she(credit: PhotoCredit, ctx: Ctx, inline: bool = False) -> PhotoPrint:
    """本报通讯员 金大庆 摄, 新华社记者  白雪飞摄: outlet, role and name."""
    outlet = credit.agency or ("新华社" if ctx.style.name == "xinhua_wire" else "本报")
    who = staff(_who(credit), ctx, "记者" if outlet == "新华社" else ctx.rng.choice(("记者", "通讯员")))
    gap = ctx.rng.choice((" ", "  "))
    text = (
        ctx.form.head(outlet + who.roles[0])
        + gap
        + _shown(who, ctx)
        + ctx.rng.choice((" ", ""))
        + ctx.form.head("摄")
    )
    return PhotoPrint(
        text, inline, [ctx.form.words(n) for n in who.authors], [who.roles[0]] * len(who.authors)
    )


def inline_she(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """本报通讯员 沈鸿升 摄 at the end of the caption's last line."""
    return agency_she(credit, ctx, inline=True)


def tuwen(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """图/文 X: the photographer wrote the caption too."""
    who = _who(credit)
    return _plain(
        who, ctx, ctx.form.head(ctx.rng.choice(("图/文 ", "图／文　", "文/图 "))) + _shown(who, ctx)
    )


def sheying(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """摄影：X or （X 摄）."""
    who = _who(credit)
    if ctx.rng.random() < 0.5:
        return _plain(who, ctx, ctx.form.head("摄影：") + _shown(who, ctx))
    return _plain(who, ctx, paren(ctx, _shown(who, ctx) + " " + ctx.form.head("摄")))


def hui(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """X绘 or a cartoon's X绘（《讽刺与幽默》供图）."""
    who = _who(credit)
    text = _shown(who, ctx) + ctx.form.head("绘")
    if ctx.rng.random() < 0.6:
        text += paren(ctx, ctx.form.head(f"《{ctx.rng.choice(PERIODICALS)}》供图"))
    return _plain(who, ctx, text)


def gongtu(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """市政协办公室供图: an organisation supplied the picture; it is the author."""
    org = ctx.rng.choice(ctx.pools.orgs)
    return PhotoPrint(ctx.form.words(org) + ctx.form.head("供图"), False, [ctx.form.words(org)], [])


def reporter_she(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """（記者王小明攝） or 圖／記者王小明攝: Taiwan and Hong Kong captions."""
    who = staff(_who(credit), ctx, "记者")
    inner = ctx.form.head("记者") + ctx.form.words(who.authors[0]) + ctx.form.head("摄")
    text = paren(ctx, inner) if ctx.rng.random() < 0.6 else ctx.form.head("图") + "／" + inner
    return PhotoPrint(text, False, [ctx.form.words(who.authors[0])], ["记者"])


PHOTO_FORMS: dict[str, Callable[[PhotoCredit, Ctx], PhotoPrint]] = {
    "she": she, "agency_she": agency_she, "inline_she": inline_she, "tuwen": tuwen, "sheying": sheying,
    "hui": hui, "gongtu": gongtu, "tw_she": reporter_she, "hk_she": reporter_she,
}  # fmt: skip


def print_photo_credit(credit: PhotoCredit, ctx: Ctx) -> PhotoPrint:
    """The photo's credit in the page's style."""
    return PHOTO_FORMS[choose(ctx.style.photo, ctx)](credit, ctx)
