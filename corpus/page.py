"""A printed page of the corpus set in one house style: stories, furniture, jumps, photos, truth.

Every choice is drawn from one ``random.Random`` seeded by (seed, date, page), so a page is the same
whatever else is composed and in whichever process.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from corpus.blocks import Block, LogicalPage, Story, plain
from corpus.credits import Ctx
from corpus.pools import Pools
from corpus.records import SourceArticle, SourcePage
from corpus.script import TextForm
from corpus.stories import Setting, mailbox, set_article, set_photo
from corpus.styles import HouseStyle

SECTIONS = ("要闻", "综合新闻", "国内新闻", "国际", "社会", "评论", "文化", "经济", "政协之窗", "专版")
_WEEKDAYS = "一二三四五六日"


def text_form(style: HouseStyle, rng: random.Random) -> TextForm:
    """The page's script and punctuation: the style's, with its odds of Traditional and ASCII marks."""
    conversion = style.conversion
    if conversion == "simplified" and rng.random() < style.traditional_rate:
        conversion = "s2tw"
    half = rng.random() < style.half_width_rate
    return TextForm(conversion, half, digit_spaces=half and rng.random() < 0.5)


def _date_line(date: str, ctx: Ctx) -> str:
    day = dt.date(int(date[:4]), int(date[4:6]), int(date[6:]))
    weekday = "星期" + _WEEKDAYS[day.weekday()]
    shown = ctx.rng.choice((f"{day.year}年{day.month}月{day.day}日", f"{day.year}年{day:%m}月{day:%d}日"))
    return ctx.form.head(shown + (" " + weekday if ctx.rng.random() < 0.8 else ""))


def furniture(date: str, page: int, ctx: Ctx) -> tuple[list[Block], list[Block]]:
    """Running head and foot: 版头, date, page number, section, 责任编辑, now and then a mailbox."""
    paper = ctx.form.head(ctx.style.paper)
    folio = ctx.form.head(ctx.style.folio.format(n=page))
    section = ctx.form.head(ctx.rng.choice(SECTIONS))
    heads = [
        [f"{paper} {_date_line(date, ctx)} {folio}"],
        [paper, _date_line(date, ctx), folio],
        [f"{folio} {section}", f"{paper} {_date_line(date, ctx)}"],
        [f"{_date_line(date, ctx)}  {section}  {folio}"],
    ]
    top = ctx.rng.choice(heads)
    editor = ctx.form.head("责任编辑：") + ctx.form.words(ctx.rng.choice(ctx.pools.short_names))
    if ctx.rng.random() < 0.5:
        second = ctx.rng.choice(("美术编辑：", "版式设计：", "校对："))
        editor += (
            ctx.rng.choice(("  ", "\u3000"))
            + ctx.form.head(second)
            + ctx.form.words(ctx.rng.choice(ctx.pools.short_names))
        )
    bottom = (
        [editor]
        + ([mailbox(ctx)] if ctx.rng.random() < 0.15 else [])
        + ([str(page)] if ctx.rng.random() < 0.3 else [])
    )
    return [plain("furniture", t, None, "top") for t in top], [
        plain("furniture", t, None, "bottom") for t in bottom
    ]


def _plan_jumps(articles: list[SourceArticle], page: int, ctx: Ctx, budget: int) -> dict[int, dict]:
    """Which article resumes from an earlier page, and where articles are cut for a later one."""
    plans: dict[int, dict] = {i: {} for i in range(len(articles))}
    long = [i for i, a in enumerate(articles) if len(a.paragraphs) >= 3]
    if page > 1 and long and ctx.rng.random() < ctx.style.jump_rate:
        i = ctx.rng.choice(long)
        plans[i]["resume"] = ctx.rng.randint(1, len(articles[i].paragraphs) - 2)
    if long and ctx.rng.random() < ctx.style.jump_rate:
        i = ctx.rng.choice(long)
        plans[i].setdefault("keep", ctx.rng.randint(1, len(articles[i].paragraphs) - 1))
    used = 0
    for i, article in enumerate(articles):  # past the page's room, the article jumps and the rest wait
        size = sum(len(p) for p in article.paragraphs)
        if used + size > budget and len(article.paragraphs) >= 2 and "resume" not in plans[i]:
            plans[i].setdefault(
                "keep", max(1, min(len(article.paragraphs) - 1, len(article.paragraphs) // 3))
            )
            return {j: plans[j] for j in range(i + 1)}
        used += size
    return plans


def _photo_settings(
    photos: list[SourceArticle], n_articles: int, ctx: Ctx
) -> tuple[dict[int, SourceArticle], list]:
    """Photos set inside articles (by article index) and photos left to stand alone."""
    inside: dict[int, SourceArticle] = {}
    alone = []
    for photo in photos:
        free = [i for i in range(n_articles) if i not in inside]
        if free and ctx.rng.random() < ctx.style.inline_photo:
            inside[ctx.rng.choice(free)] = photo
        else:
            alone.append(photo)
    return inside, alone


def _story_order(plans: dict[int, dict], alone: list[SourceArticle], rng: random.Random) -> list:
    """Articles in page order, photos that stand alone dropped in anywhere between them."""
    stories: list[tuple[str, object]] = [("article", i) for i in plans]
    for photo in alone:
        stories.insert(rng.randint(0, len(stories)), ("photo", photo))
    return stories


def compose_logical(
    source: SourcePage,
    style: HouseStyle,
    pools: Pools,
    rng: random.Random,
    borrowed: tuple[SourceArticle, ...] = (),
) -> LogicalPage:
    """The page's stories in the style, in reading order, with furniture and the truth items.

    ``borrowed`` are photos from the issue's other pages, for a page that has none of its own.
    """
    ctx = Ctx(text_form(style, rng), rng, pools, style, (int(source.date[4:6]), int(source.date[6:])))
    articles = [a for a in source.articles if a.photo is None]
    photos = [a for a in source.articles if a.photo is not None]
    if not photos and borrowed and rng.random() < 0.35:  # a picture from another page of the issue
        photos = [rng.choice(borrowed)]
    plans = _plan_jumps(articles, source.page, ctx, budget=rng.randint(5000, 10000))
    inside, alone = _photo_settings(photos, len(plans), ctx)
    stories, items = [], []
    for kind, what in _story_order(plans, alone, rng):
        if kind == "photo":
            blocks, truth = set_photo(what, len(items), ctx, titled=rng.random() < 0.7)
            truths = [truth]
        else:
            setting = Setting(len(items), **plans[what])
            if what in inside:
                setting = replace(setting, photo=inside[what], photo_after=rng.choice((0, 0, 1, 2)))
            blocks, truths = set_article(articles[what], setting, ctx, source.page)
        stories.append(Story(tuple(blocks), lead=not stories))
        items += truths
    top, bottom = furniture(source.date, source.page, ctx)
    return LogicalPage(tuple(top), tuple(stories), tuple(bottom), tuple(items), ctx.form)
