"""The labelled page: line roles, the truth items a perfect segmenter returns, and their JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ROLES = (
    "kicker", "title", "subtitle", "byline", "dateline", "body", "subhead", "caption", "credit",
    "tail", "furniture", "jump",
)  # fmt: skip
# Lines whose text (less a dateline or credit and jump markers) makes up an item's truth body.
BODY_ROLES = frozenset({"body", "dateline", "subhead"})
SPLITS = ("train", "tune", "dev")


@dataclass(frozen=True)
class TruthItem:
    """What a perfect segmenter returns for one item, its text in the page's own script."""

    kind: str  # "article" or "photo"
    kicker: str | None
    title: str | None
    subtitle: str | None  # without its leading dash
    authors: list[str]
    roles: list[str]  # parallel to authors, Simplified ("记者", "通讯员"), or [] when none is stated
    place: str | None  # the dateline's place: 本报嘉峪关讯 → 嘉峪关
    body: str  # paragraphs joined by "\n"; no byline, dateline prefix, jump marker or tail
    continued_from: str | None  # as printed: "一版", "第3版"
    continued_to: str | None

    def to_dict(self) -> dict:
        """The item in the format of ``stages/segmentation_eval.py``'s expected items."""
        return asdict(self)


@dataclass(frozen=True)
class LabelledLine:
    text: str
    role: str | None  # one of ROLES, None for a blank line
    item: int | None  # index into ComposedPage.items; None for furniture and blank lines
    starts_item: bool  # True on the first line of each item, in reading order
    size: float | None = None  # the type size, on lines read from a PDF line by line


@dataclass(frozen=True)
class ComposedPage:
    page_id: str
    date: str  # YYYYMMDD
    paper_page: int
    split: str  # "train", "tune" or "dev"
    style: str
    texture: str  # "clean", "pdf_lines" or "pdf_blocks"
    script: str  # "simplified" or "traditional"
    lines: list[LabelledLine]
    items: list[TruthItem]  # in reading order
    variant: str = ""  # the texture's options, e.g. "blank=articles,punct=half"

    @property
    def text(self) -> str:
        """The page text a user would drop into the inbox."""
        return "\n".join(line.text for line in self.lines)

    @property
    def sizes(self) -> list[float] | None:
        """The type size of each non-blank line, as newsflow's PDF reader gives them with the
        text (the ``pdf_lines`` texture); None for a texture without."""
        sizes = [line.size for line in self.lines if line.role is not None]
        return sizes if sizes and all(sizes) else None

    def label_json(self) -> dict:
        """The ``<id>.json`` written beside ``<id>.txt``, readable by ``newsflow eval-segmentation``."""
        return {
            "page": f"{self.page_id}.txt",
            "style": self.style,
            "texture": self.texture,
            "variant": self.variant,
            "script": self.script,
            "split": self.split,
            "items": [item.to_dict() for item in self.items],
            "lines": [[line.role, line.item, line.starts_item] for line in self.lines],
        }
