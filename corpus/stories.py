"""One article or photo of the corpus set as blocks in a house style, with the truth that follows.

The plan for an article (``Setting``) says what the page does to it: cut it with a jump marker to
a later page, start it mid-way after a jump from an earlier one, set a photo inside it. Everything
is converted to the page's script before it is split into lines, and the truth is read back from
the blocks, so the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

import jieba

from corpus.blocks import CREDIT, JUMP, TEXT, Block, plain, truth_body
from corpus.bylines import print_credit
from corpus.credits import Ctx, Printed, Who, cn_number, paren
from corpus.labels import TruthItem
from corpus.parse import is_subhead
from corpus.photo_credits import print_photo_credit
from corpus.records import SourceArticle

_DASHES = re.compile(r"—+$")
_SENTENCE = re.compile(r"(?<=[。！？])")


@dataclass(frozen=True)
class Setting:
    """What the page does to an article."""

    item: int
    keep: int | None = None  # paragraphs kept before a jump to a later page
    resume: int | None = None  # the paragraph a jump from an earlier page resumes at
    photo: SourceArticle | None = None  # a photo set inside the article (its item is item + 1)
    photo_after: int = 0  # paragraphs before the photo: 0 puts it between byline and body


def _page_ref(ctx: Ctx, n: int) -> str:
    """第三版 / 第3版 / 3版: how a jump marker names a page."""
    return ctx.form.head(ctx.rng.choice((f"第{cn_number(n)}版", f"第{n}版", f"{n}版")))


def break_title(title: str, ctx: Ctx) -> list[str]:
    """A long title over two or three short lines: at its spaces, after a colon, or balanced."""
    if len(title) <= ctx.style.title_break or ctx.rng.random() >= ctx.style.break_rate:
        return [title]
    if 1 < title.count(" ") + 1 <= 3:
        return title.split(" ")
    colon = max(title.find("："), title.find(":"))
    if 1 < colon < len(title) - 2:
        return [title[: colon + 1], title[colon + 1 :]]
    if len(title) > 3 * ctx.style.title_break:
        first = _balanced_break(title, len(title) // 3)
        return [title[:first], *break_title_at(title[first:])]
    return break_title_at(title)


def break_title_at(title: str) -> list[str]:
    """Two lines, broken after the punctuation nearest the middle, else at the middle."""
    cut = _balanced_break(title, len(title) // 2)
    return [title[:cut], title[cut:]]


def _balanced_break(title: str, middle: int) -> int:
    """Where a typesetter breaks a title: after punctuation near the middle, else between two
    words (never inside one: 经济 / 学家 is no headline break), the nearest to the middle."""
    marks = [i + 1 for i, ch in enumerate(title) if ch in "，、！？”》" and 2 <= i + 1 <= len(title) - 2]
    near = [m for m in marks if abs(m - middle) <= max(3, len(title) // 5)]
    if near:
        return min(near, key=lambda m: abs(m - middle))
    bounds = list(accumulate(len(word) for word in jieba.lcut(title)))[:-1]
    inside = [b for b in bounds if 2 <= b <= len(title) - 2]
    return min(inside, key=lambda b: abs(b - middle)) if inside else middle


def head_blocks(article: SourceArticle, item: int, ctx: Ctx) -> tuple[list[Block], dict]:
    """Kicker, title lines and subtitle, and their truth fields (dashes dropped)."""
    blocks: list[Block] = []
    kicker = ctx.form.head(article.kicker) if article.kicker else None
    if kicker:
        kicker = _DASHES.sub("", kicker) or None
    if kicker:
        shown = kicker + ("——" if ctx.rng.random() < ctx.style.kicker_dash else "")
        blocks.append(plain("kicker", shown, item, "head"))
    title = ctx.form.head(article.title)
    blocks += [plain("title", line, item, "head") for line in break_title(title, ctx) if line]
    subtitle = ctx.form.head(article.subtitle) if article.subtitle else None
    if subtitle:
        dash = "——" if ctx.rng.random() < ctx.style.subtitle_dash else ""
        blocks.append(plain("subtitle", dash + subtitle, item, "head"))
    return blocks, {"kicker": kicker, "title": title, "subtitle": subtitle}


def who_of(article: SourceArticle) -> Who:
    """What the source says about the article's authors."""
    if article.dateline:
        d = article.dateline
        date = (d.month, d.day) if d.month and d.day else None
        return Who(d.credit.authors, d.credit.roles, d.agency, d.reported, d.place, date)
    if article.byline:
        return Who(article.byline.authors, article.byline.roles, printed=article.byline_printed)
    return Who()


def body_blocks(paragraphs: tuple[str, ...], credit: Printed, item: int, ctx: Ctx) -> list[Block]:
    """The paragraphs as blocks: the first carries the dateline, short headings are subheads."""
    blocks = []
    for i, paragraph in enumerate(paragraphs):
        text = ctx.form.body(paragraph)
        if i == 0 and (credit.prefix or credit.suffix):
            segments = ((CREDIT, credit.prefix), (TEXT, text), (CREDIT, credit.suffix))
            blocks.append(Block("dateline", tuple(s for s in segments if s[1]), item, "body"))
        elif 0 < i < len(paragraphs) - 1 and is_subhead(paragraph):
            blocks.append(plain("subhead", text, item, "body"))
        else:
            blocks.append(plain("body", text, item, "body"))
    return blocks


def _cut(paragraphs: tuple[str, ...], keep: int, ctx: Ctx) -> tuple[str, ...]:
    """The first ``keep`` paragraphs, the last of them now and then cut at a sentence end."""
    kept = list(paragraphs[:keep])
    sentences = [s for s in _SENTENCE.split(kept[-1]) if s]
    if len(sentences) > 2 and ctx.rng.random() < 0.5:
        kept[-1] = "".join(sentences[: len(sentences) // 2])
    return tuple(kept)


def _jump_to(blocks: list[Block], ctx: Ctx, page: int) -> str:
    """Append （下转第X版） to the last body block or as a line of its own; return the page named."""
    where = _page_ref(ctx, page + ctx.rng.randint(1, 4))
    marker = paren(ctx, ctx.form.head(ctx.rng.choice(("下转", "转"))) + where)
    last = blocks[-1]
    if ctx.rng.random() < 0.6 and last.role == "body":
        blocks[-1] = Block(last.role, (*last.segments, (JUMP, marker)), last.item, last.zone)
    else:
        blocks.append(Block("jump", ((JUMP, marker),), last.item, "body"))
    return where


def _jump_from(blocks: list[Block], ctx: Ctx, page: int) -> str:
    """Open the body with （上接第一版）, inline or on a line of its own; return the page named."""
    where = _page_ref(ctx, ctx.rng.randint(1, max(page - 1, 1)))
    marker = paren(ctx, ctx.form.head(ctx.rng.choice(("上接", "接"))) + where)
    first = blocks[0]
    if ctx.rng.random() < 0.5 and first.role == "body":
        blocks[0] = Block(first.role, ((JUMP, marker), *first.segments), first.item, first.zone)
    else:
        blocks.insert(0, Block("jump", ((JUMP, marker),), first.item, "body"))
    return where


def mailbox(ctx: Ctx) -> str:
    """栏目投稿邮箱：… : a column's submission address, at an article's end or the page's foot."""
    local = ctx.rng.choice(("tougao", "zhoukan", "pinglun", "wenyi", "shequ", "xiangcun", "minsheng"))
    domain = ctx.rng.choice(("163.com", "126.com", "qq.com", "sina.com"))
    return ctx.form.head("栏目投稿邮箱：") + f"{local}{ctx.rng.choice(('', '2019', '01'))}@{domain}"


def tail_blocks(article: SourceArticle, credit: Printed, item: int, ctx: Ctx) -> list[Block]:
    """The source's own tail, the credit's tails, now and then a column mailbox."""
    tails = [ctx.form.head(article.tail)] if article.tail else []
    tails += credit.tails
    if not credit.authors and ctx.rng.random() < ctx.style.tail_rate:
        tails.append(mailbox(ctx))
    return [plain("tail", text, item, "body") for text in tails]


def set_photo(article: SourceArticle, item: int, ctx: Ctx, titled: bool) -> tuple[list[Block], TruthItem]:
    """A photo's caption and credit (its title too when it stands alone as a picture story)."""
    shown = print_photo_credit(article.photo, ctx)
    title = ctx.form.head(article.title) if titled else None
    blocks = [plain("title", title, item, "head")] if title else []
    blocks += [plain("caption", ctx.form.body(p), item, "picture") for p in article.paragraphs]
    if shown.inline:
        last = blocks[-1]
        blocks[-1] = Block(last.role, (*last.segments, (CREDIT, " " + shown.text)), item, last.zone)
    else:
        blocks.append(plain("credit", shown.text, item, "picture"))
    body = truth_body(blocks, item, "photo")
    return blocks, TruthItem("photo", None, title, None, shown.authors, shown.roles, None, body, None, None)


def _authors(article: SourceArticle, credit: Printed, ctx: Ctx, cut: bool) -> tuple[list[str], list[str]]:
    """The printed credit's names, else those of the source's tail (（本报记者X整理）) when it is printed."""
    if credit.authors or cut or not article.tail_credit:
        return credit.authors, credit.roles
    names = [ctx.form.words(n) for n in article.tail_credit.authors]
    return names, list(article.tail_credit.roles)


def _inside_photo(s: Setting, ctx: Ctx) -> tuple[list[Block], list[TruthItem]]:
    """The blocks and truth of the photo set inside an article, if any: an item of its own."""
    if s.photo is None:
        return [], []
    blocks, truth = set_photo(s.photo, s.item + 1, ctx, titled=False)
    return blocks, [truth]


def set_article(
    article: SourceArticle, s: Setting, ctx: Ctx, page: int
) -> tuple[list[Block], list[TruthItem]]:
    """An article (and any photo set inside it) as blocks in reading order, and its truth items."""
    head, fields = head_blocks(article, s.item, ctx)
    paragraphs, credit = article.paragraphs, Printed()
    if s.resume is not None:
        paragraphs = paragraphs[s.resume :]
        head = [b for b in head if b.role == "title"]
        fields = {"kicker": None, "title": fields["title"], "subtitle": None}
    else:
        credit = print_credit(who_of(article), article.dateline is not None, ctx)
    cut = s.keep is not None
    if cut and not (credit.lines or credit.prefix or credit.suffix):
        credit = Printed()  # a credit printed only at the end goes with the end, to the other page
    body = body_blocks(_cut(paragraphs, s.keep, ctx) if cut else paragraphs, credit, s.item, ctx)
    came_from = _jump_from(body, ctx, page) if s.resume is not None else None
    goes_to = _jump_to(body, ctx, page) if cut else None
    zone = "head" if ctx.rng.random() < 0.6 else "body"
    lines = [plain(role, text, s.item, zone) for role, text in credit.lines]
    photo, photo_items = _inside_photo(s, ctx)
    at = min(s.photo_after, len(body) - 1)
    tails = [] if cut else tail_blocks(article, credit, s.item, ctx)
    blocks = head + lines + body[:at] + photo + body[at:] + tails
    authors, roles = _authors(article, credit, ctx, cut)
    truth = TruthItem(
        "article",
        **fields,
        authors=authors,
        roles=roles,
        place=credit.place,
        body=truth_body(blocks, s.item, "article"),
        continued_from=came_from,
        continued_to=goes_to,
    )
    return blocks, [truth, *photo_items]
