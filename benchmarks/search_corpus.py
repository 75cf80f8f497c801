"""The search benchmark's articles: real ones reused with edits (see ``benchmarks.search``)."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from stages.words.enrich import search_tokens

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "rmrb-2019-2020-articles.jsonl.gz"


@dataclass(frozen=True)
class Source:
    title: str
    subtitle: str | None
    paragraphs: tuple[str, ...]


def _paragraphs(body: str) -> tuple[str, ...]:
    stripped = (line.strip(" \u3000\t") for line in body.splitlines())
    return tuple(line for line in stripped if line)


def sources() -> tuple[list[Source], str]:
    """The real articles to reuse, and where they came from."""
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            records = [json.loads(line) for line in lines]
        found = [Source(r["title"] or "", r.get("subtitle"), _paragraphs(r["body"] or ""))
                 for r in records]
        origin = str(CORPUS)
    else:
        from stages.segment.split import segment_page

        found = [Source(item.title or "", item.subtitle, _paragraphs(item.body))
                 for page in sorted((ROOT / "seeds").glob("*.txt"))
                 for item in segment_page(page.read_text(encoding="utf-8"))]
        origin = "seeds/ (the shared corpus is absent)"
    return [s for s in found if s.paragraphs], origin


class Synthesizer:
    """Article n (title, subtitle, body) and its search words, deterministic in n."""

    def __init__(self, found: list[Source], seed: int = 25) -> None:
        self.found, self.seed = found, seed
        self._words: dict[str, str] = {}  # paragraph -> its search words, for the real ones

    def article(self, n: int) -> tuple[str, str | None, tuple[str, ...]]:
        if n < len(self.found):
            source = self.found[n]
            return source.title, source.subtitle, source.paragraphs
        rng = random.Random(self.seed * 1_000_003 + n)
        source = rng.choice(self.found)
        paragraphs = list(source.paragraphs)
        other = rng.choice(self.found).paragraphs
        paragraphs[rng.randrange(len(paragraphs))] = rng.choice(other)
        if len(paragraphs) > 2:
            del paragraphs[rng.randrange(len(paragraphs))]
        at = rng.randrange(len(paragraphs))
        paragraphs[at] = _edited(rng, paragraphs[at], max(1, len(paragraphs[at]) // 50))
        title = _edited(rng, source.title, 1) if source.title else source.title
        return title, source.subtitle, tuple(paragraphs)

    def words(self, text: str) -> str:
        cached = self._words.get(text)
        if cached is None:
            cached = " ".join(search_tokens(text))
            if len(self._words) < 400_000:
                self._words[text] = cached
        return cached

    def row(self, n: int) -> tuple:
        """The staged columns: title, subtitle, body, content hash, title words, text words."""
        title, subtitle, paragraphs = self.article(n)
        body = "\n".join(paragraphs)
        text_words = " ".join(self.words(part) for part in (title, subtitle or "", *paragraphs))
        digest = hashlib.sha256(f"{title}\n{subtitle}\n{body}".encode()).hexdigest()
        return title or None, subtitle, body, digest, self.words(title), text_words


def _edited(rng: random.Random, text: str, count: int) -> str:
    """``count`` characters replaced by others of the same text (real characters)."""
    chars = list(text)
    for at in rng.sample(range(len(chars)), min(count, len(chars))):
        chars[at] = rng.choice(text)
    return "".join(chars)


# The pipeline's search value (models.search), as SQL over the staged columns.
