"""Credits on lines of their own and at the end: byline lines, bare names, bullets, column tags, tails.

Together with the dateline forms of ``corpus.credits`` they make ``FORMS``, the names house styles
weigh; ``print_credit`` draws one for an article and prints it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus.credits import CREDIT_FORMS, Ctx, Printed, Who, credit_text, paren, staff, truth

_BLANK = re.compile(r"\s+")


def printed(who: Who, ctx: Ctx) -> Printed:
    """The 2017 header's byline as printed (本报驻埃及记者  韩晓明), when its names survive conversion."""
    text = ctx.form.head(who.printed or "")
    squeezed = _BLANK.sub("", text)
    if not who.printed or not all(ctx.form.words(n) in squeezed for n in who.authors):
        return byline_line(who, ctx)
    return truth(who, ctx, roles=bool(who.roles), lines=[("byline", text)])


def byline_line(who: Who, ctx: Ctx) -> Printed:
    """本报记者  王伟健 / 本报通讯员 吴万强 王新月 / 本报记者 X  本报通讯员 Y."""
    who = staff(who, ctx, ctx.rng.choice(("记者", "通讯员")))
    gap = ctx.rng.choice(("  ", " "))
    text = credit_text(who, ctx, gap=gap, join=gap, pad=ctx.rng.random() < 0.4, outlet="本报")
    return truth(who, ctx, lines=[("byline", text)])


def byline_plain(who: Who, ctx: Ctx) -> Printed:
    """记者 X 通讯员 Y on its own line."""
    who = staff(who, ctx, "记者")
    return truth(who, ctx, lines=[("byline", credit_text(who, ctx))])


def byline_wen(who: Who, ctx: Ctx) -> Printed:
    """文/X or 文／X: no role stated."""
    who = staff(who, ctx, "记者")
    return truth(
        who, ctx, roles=False, lines=[("byline", ctx.rng.choice(("文/", "文／")) + _names(who, ctx))]
    )


def _names(who: Who, ctx: Ctx) -> str:
    return " ".join(ctx.form.words(n) for n in who.authors)


def _one_short(who: Who, ctx: Ctx) -> Who:
    """A two- or three-character name: the source's first, else one from the pools."""
    name = (
        who.authors[0] if who.authors and len(who.authors[0]) <= 3 else ctx.rng.choice(ctx.pools.short_names)
    )
    return Who(authors=(name,))


def bare_name(who: Who, ctx: Ctx) -> Printed:
    """A name alone on the line under the headline (commentary, features)."""
    who = _one_short(who, ctx)
    return truth(who, ctx, lines=[("byline", _names(who, ctx))])


def column_bare(who: Who, ctx: Ctx) -> Printed:
    """A column tag line (（一线行走） or 一线行走) above a bare name."""
    tag = ctx.form.head(ctx.rng.choice(ctx.pools.column_tags))
    who = _one_short(who, ctx)
    tag_line = paren(ctx, tag) if ctx.rng.random() < 0.5 else tag
    return truth(who, ctx, lines=[("byline", tag_line), ("byline", _names(who, ctx))])


def bullet(who: Who, ctx: Ctx) -> Printed:
    """□ 裴文婷."""
    who = _one_short(who, ctx)
    return truth(who, ctx, lines=[("byline", "□ " + _names(who, ctx))])


def bullet_org(who: Who, ctx: Ctx) -> Printed:
    """■ 新河县政协: an organisation as the author."""
    who = Who(authors=(ctx.rng.choice(ctx.pools.orgs),))
    return truth(who, ctx, lines=[("byline", "■ " + _names(who, ctx))])


def author_note(who: Who, ctx: Ctx) -> Printed:
    """A bare name under the headline and （作者为…） after the body."""
    shown = bare_name(who, ctx)
    shown.tails.append(ctx.form.head(ctx.rng.choice(ctx.pools.author_notes)))
    return shown


def compiled(who: Who, ctx: Ctx) -> Printed:
    """（本报记者X整理） after the body."""
    who = staff(who, ctx, "记者", most=1)
    return truth(
        who, ctx, tails=[paren(ctx, credit_text(who, ctx, gap="", outlet="本报") + ctx.form.head("整理"))]
    )


def combined(who: Who, ctx: Ctx) -> Printed:
    """（综合本报记者X、Y报道） after the body."""
    who = staff(who, ctx, "记者")
    inner = (
        ctx.form.head("综合")
        + credit_text(who, ctx, gap="", join="、", outlet="本报")
        + ctx.form.head("报道")
    )
    return truth(who, ctx, tails=[paren(ctx, inner)])


def no_credit(who: Who, ctx: Ctx) -> Printed:
    """Nothing printed: no authors, whatever the source knew."""
    return Printed()


FORMS: dict[str, Callable[[Who, Ctx], Printed]] = CREDIT_FORMS | {
    "printed": printed, "byline_line": byline_line, "byline_plain": byline_plain, "byline_wen": byline_wen,
    "bare_name": bare_name, "column_bare": column_bare, "bullet": bullet, "bullet_org": bullet_org,
    "author_note": author_note, "compiled": compiled, "combined": combined, "none": no_credit,
}  # fmt: skip


def choose(weights: tuple[tuple[str, float], ...], ctx: Ctx) -> str:
    """One name from (name, weight) pairs, drawn with the page's generator."""
    names = [name for name, _ in weights]
    return ctx.rng.choices(names, weights=[w for _, w in weights])[0]


def print_credit(who: Who, dated: bool, ctx: Ctx) -> Printed:
    """The article's credit in the page's style: a form drawn from the style's weights, printed."""
    return FORMS[choose(ctx.style.dated if dated else ctx.style.undated, ctx)](who, ctx)
