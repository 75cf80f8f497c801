"""House styles: one paper's conventions for a whole page, each drawn with weights per article.

A style names how its paper credits articles (a byline line, a dateline of its own or an agency's,
a bare name, a bullet, a credit at the end), credits photos, dresses headlines and furniture, jumps
articles between pages, and which script it prints in. The form names are those of
``corpus.credits.CREDIT_FORMS`` and ``corpus.credits.PHOTO_FORMS``.
"""

from __future__ import annotations

from dataclasses import dataclass

Weights = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class HouseStyle:
    name: str
    paper: str  # the 版头, in Simplified (converted with the page)
    dated: Weights  # credit forms for an article whose source opens with a dateline
    undated: Weights  # credit forms for the others
    photo: Weights  # photo credit forms
    conversion: str = "simplified"  # "s2tw" / "s2hk" for Taiwan and Hong Kong papers
    traditional_rate: float = 0.0  # chance a page of a Simplified paper comes in Traditional (s2tw)
    half_width_rate: float = 0.1  # chance the page's text has ASCII , ( ) : ; ! ?
    kicker_dash: float = 0.2  # chance a kicker ends in ——
    subtitle_dash: float = 0.5  # chance a subtitle opens with ——
    title_break: int = 14  # titles longer than this may break over two or three lines
    break_rate: float = 0.3
    jump_rate: float = 0.15  # chance of an article continued to / from another page
    inline_photo: float = 0.3  # chance a photo is set inside an article rather than alone
    tail_rate: float = 0.05  # chance an uncredited article gets a 栏目投稿邮箱 line
    folio: str = "第{n}版"  # how the page number is printed
    short: str = ""  # the paper's short name in its datelines (南都讯); the paper's name when empty


STYLES: tuple[HouseStyle, ...] = (
    HouseStyle(
        "renmin",
        "人民日报",
        dated=(("dateline_rmrb", 1.0),),
        undated=(
            ("printed", 0.3),
            ("byline_line", 0.25),
            ("none", 0.3),
            ("bare_name", 0.1),
            ("author_note", 0.05),
        ),
        photo=(("she", 0.6), ("agency_she", 0.4)),
        kicker_dash=0.25,
        subtitle_dash=0.4,
    ),
    HouseStyle(
        "city_daily",
        "四平日报",
        dated=(("xun", 1.0),),
        undated=(("xun", 0.5), ("byline_line", 0.35), ("none", 0.15)),
        photo=(("agency_she", 0.8), ("she", 0.1), ("inline_she", 0.1)),
        half_width_rate=0.8,
        kicker_dash=0.0,
        subtitle_dash=0.9,
        title_break=12,
        break_rate=0.4,
    ),
    HouseStyle(
        "cppcc_weekly",
        "民主协商报",
        dated=(("place_xun", 1.0),),
        undated=(("place_xun", 0.45), ("bullet", 0.2), ("bullet_org", 0.1), ("none", 0.25)),
        photo=(("agency_she", 0.6), ("gongtu", 0.4)),
        traditional_rate=0.15,
        half_width_rate=0.7,
        jump_rate=0.4,
        folio="{n}",
    ),
    HouseStyle(
        "xinhua_wire",
        "新华每日电讯",
        dated=(("agency", 0.6), ("bracket_cn", 0.25), ("chinanews", 0.15)),
        undated=(("agency", 0.35), ("bracket_cn", 0.15), ("chinanews", 0.1), ("none", 0.4)),
        photo=(("agency_she", 0.7), ("she", 0.3)),
        kicker_dash=0.1,
        subtitle_dash=0.3,
        jump_rate=0.05,
    ),
    HouseStyle(
        "metro_daily",
        "南方都市报",
        dated=(("nandu", 0.5), ("bao", 0.3), ("byline_plain", 0.2)),
        undated=(("nandu", 0.45), ("bao", 0.25), ("byline_plain", 0.2), ("none", 0.1)),
        photo=(("tuwen", 0.4), ("she", 0.3), ("agency_she", 0.3)),
        half_width_rate=0.2,
        kicker_dash=0.4,
        title_break=8,
        break_rate=0.7,
        folio="A{n}",
        short="南都",
    ),
    HouseStyle(
        "evening_paper",
        "北京晚报",
        dated=(("bao", 0.6), ("byline_wen", 0.2), ("byline_plain", 0.2)),
        undated=(("bao", 0.4), ("byline_wen", 0.25), ("byline_plain", 0.2), ("none", 0.15)),
        photo=(("tuwen", 0.35), ("sheying", 0.3), ("hui", 0.2), ("she", 0.15)),
        inline_photo=0.5,
        title_break=10,
        break_rate=0.5,
    ),
    HouseStyle(
        "commentary",
        "光明日报",
        dated=(("dateline_rmrb", 0.3), ("bare_name", 0.4), ("column_bare", 0.3)),
        undated=(
            ("bare_name", 0.25),
            ("column_bare", 0.25),
            ("author_note", 0.2),
            ("compiled", 0.1),
            ("combined", 0.1),
            ("bullet", 0.1),
        ),
        photo=(("hui", 0.5), ("she", 0.5)),
        tail_rate=0.3,
        jump_rate=0.1,
    ),
    HouseStyle(
        "taiwan_daily",
        "联合报",
        dated=(("tw_start", 0.35), ("tw_bracket", 0.2), ("tw_end", 0.2), ("byline_tw", 0.25)),
        undated=(
            ("tw_start", 0.3),
            ("tw_bracket", 0.15),
            ("tw_end", 0.15),
            ("byline_tw", 0.25),
            ("tw_photo", 0.15),
        ),
        photo=(("tw_she", 0.7), ("she", 0.3)),
        conversion="s2tw",
        half_width_rate=0.0,
        kicker_dash=0.0,
        subtitle_dash=0.2,
        folio="A{n}版",
    ),
    HouseStyle(
        "hongkong_daily",
        "大公报",
        dated=(("hk_start", 0.4), ("hk_wenwei", 0.3), ("tw_end", 0.1), ("tw_photo", 0.2)),
        undated=(("hk_start", 0.35), ("hk_wenwei", 0.25), ("tw_photo", 0.15), ("none", 0.25)),
        photo=(("hk_she", 0.7), ("she", 0.3)),
        conversion="s2hk",
        half_width_rate=0.0,
        kicker_dash=0.0,
        folio="A{n}",
    ),
    HouseStyle(
        "web_archive",
        "人民网",
        dated=(("dateline_rmrb", 0.5), ("none", 0.5)),
        undated=(("none", 1.0),),
        photo=(("she", 1.0),),
        half_width_rate=0.3,
        subtitle_dash=0.7,
        jump_rate=0.0,
        inline_photo=0.0,
        break_rate=0.0,
    ),
)
STYLE_NAMES = tuple(style.name for style in STYLES)
BY_NAME = {style.name: style for style in STYLES}
