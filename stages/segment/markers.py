"""The marks in a line's first and last characters that the page model gets a feature for:
shapes of credits, datelines, tails, furniture and leads, and the script (``features``)."""

from __future__ import annotations

import re

# Markers worth a feature each: shapes of credits, datelines, tails and furniture. They are
# looked for in a line's first and last characters only (``PROBE``): where they stand.
MARKERS = {
    "reporter": re.compile(r"[记記]者|通[讯訊][员員]|撰稿"),
    "reported": re.compile(r"[报報][道导導]|采写|採寫|整理|执笔|執筆"),
    "author_note": re.compile(r"^[(（]作者[为為係系是]"),
    "shot": re.compile(r"(?:[摄攝]影?|[绘繪]|供[图圖])(?:[(（][^()（）]{2,14}[)）])?[)）]?$"
                       r"|^[(（]?[摄攝]影[：:]"),
    "picture": re.compile(r"^[(（]?[图圖](?:片)?\s*[/／：:]|^[(（]?[图圖]/文|^文/[图圖]"),
    "slash_credit": re.compile(r"[／╱/]\s*[\u3400-\u9fff]{2,6}[报報][导導道]|[报報][导導道][．.·]"),
    "filed": re.compile(r"^.{0,14}?(?:[讯訊]|[电電])[)）】〕\s\u3000(（]"),
    "outlet": re.compile(r"^[【〔(（]?(?:本[报報]|新[华華]社|中新[社网網])"),
    "editor": re.compile(r"[编編][辑輯]|校[对對]|[审審][读讀]"),
    "mailbox": re.compile(r"[邮郵信]箱|@|投稿"),
    "date": re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月|星期[一二三四五六日天]"),
    "page_no": re.compile(r"第?\s*[0-9０-９一二三四五六七八九十A-Z]{1,3}\s*版"),
    "colon_head": re.compile(r"^[^，。,]{2,12}[：:]"),
    # How news leads open (a time or a place first), against a paragraph in mid-story.
    "lead_open": re.compile(r"^(?:近日|日前|近年来|近期|今年|去年|昨天|昨日|今天|今日|当前|目前|"
                            r"\d{1,2}月\d{1,2}日|\d{1,2}日|记者|記者|为|為|在|据|據)"),
    "numbered": re.compile(r"^(?:[一二三四五六七八九十]+[、．.]|[(（][一二三四五六七八九十\d]+[)）]"
                           r"|\d+[、．.])"),
    "column_tag": re.compile(r"[（(][^（）()]{2,10}[)）]$"),
    "digit": re.compile(r"\d"),
    "latin": re.compile(r"[A-Za-z]{2,}"),
}
PROBE = 24
# Characters only Traditional writing uses, among the most frequent: enough to tell the script.
TRADITIONAL = re.compile("[這們個來說國時會對發與於動員開關縣區學經濟黨產種實點從業現進當體應還間"
                          "樣變條沒結題問義長門兩議報記訊務農運書參隊]")
