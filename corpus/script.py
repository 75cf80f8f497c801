"""A page's text form: script (OpenCC s2tw / s2hk, 「」 quotes), punctuation width, digit spacing.

Every piece of text is converted once, before it is split into lines, and the truth is built from
the converted pieces, so line text and truth agree to the character whatever the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import opencc

CONVERSIONS = ("simplified", "s2tw", "s2hk")
# Traditional print uses corner brackets where Simplified uses curly quotes.
_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
# Some PDF extractors emit ASCII forms of these (the seeds: 本报讯(通讯员 林天骥)近日,…).
_HALF_WIDTH = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";", "！": "!", "？": "?"})
# …and set a space between Han text and a number (县政协 5 个专门委员会).
_DIGIT_RUN = re.compile(r"(?<=[\u4e00-\u9fff])(\d+(?:\.\d+)?)(?=[\u4e00-\u9fff])")


@cache
def _converter(config: str) -> opencc.OpenCC:
    """One OpenCC converter per configuration and process: building one reads its dictionaries."""
    return opencc.OpenCC(config)


@dataclass(frozen=True)
class TextForm:
    conversion: str = "simplified"  # one of CONVERSIONS
    half_width: bool = False
    digit_spaces: bool = False

    @property
    def script(self) -> str:
        """ "simplified" or "traditional"."""
        return "simplified" if self.conversion == "simplified" else "traditional"

    def words(self, text: str) -> str:
        """Script only: names, places, role words inside templates."""
        if self.conversion == "simplified" or not text:
            return text
        return _converter(self.conversion).convert(text).translate(_QUOTES)

    def head(self, text: str) -> str:
        """Script and punctuation width: headlines, bylines, credits, furniture."""
        converted = self.words(text)
        return converted.translate(_HALF_WIDTH) if self.half_width else converted

    def body(self, text: str) -> str:
        """Everything ``head`` does, and the digit spacing some extractors add inside running text."""
        converted = self.head(text)
        return _DIGIT_RUN.sub(r" \1 ", converted) if self.digit_spaces else converted

    def describe(self) -> str:
        """The options as a short tag for ComposedPage.variant."""
        punct = "half" if self.half_width else "full"
        return f"punct={punct}" + (",digits=spaced" if self.digit_spaces else "")
