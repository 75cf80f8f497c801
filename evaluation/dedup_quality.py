"""The labelled near-duplicate set and its precision/recall through the real decision path.

Pairs are built deterministically (fixed seed) from rough articles of the sample pages in
``seeds/``. Every label comes from how the pair was constructed, never from the detector.
A pair counts as detected only when the two signatures share a band key AND ``best_match``
accepts it, exactly as the store stage will decide. Run ``python -m evaluation.dedup_quality``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import opencc

from stages.dedup.decide import Candidate, Match, MatchRule, best_match
from stages.dedup.minhash import DEFAULT_CONFIG, MinHashConfig, band_keys, minhash_signature
from stages.dedup.shingling import containment, jaccard, shingles

SEED_DIR = Path(__file__).resolve().parent.parent / "seeds"
EVAL_SEED = 20240601
MIN_ARTICLE_CHARS = 150
SHORT_BLOCK = 30  # shorter blocks are headlines, subheads and bylines, not paragraphs
SUBSTITUTION_RATES = (0.01, 0.02, 0.03)
TEMPLATE_REWRITE = 0.3  # share of sentences swapped for other articles' in same_template
EXCERPT_SHARE = 1 / 3  # an excerpt keeps leading paragraphs up to this share of the body
# Place names of the seeds without their 县/区/市 suffix, so 梨树 and 梨树县 both change.
PLACES = ("梨树", "新河", "双辽", "伊通", "铁东", "铁西", "嘉峪关", "庆阳", "甘南", "山丹",
          "天祝", "西固", "西和", "四平", "三岔")
_PLACE = re.compile("|".join(PLACES))
# Categories whose expected Jaccard is below the 0.8 threshold by arithmetic, not by test,
# so only the containment rule can catch them: r substituted characters break ~5r of the
# 5-grams, J ~ (1 - 5r) / (1 + 5r) = 0.74 at 3%; removing one of n >= 4 paragraphs leaves
# J ~ 1 - 1/n, at most 0.8 for n <= 5.
BELOW_THRESHOLD_BY_NATURE = frozenset({"substituted_3%", "paragraph_removed"})
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_BYLINE = re.compile(r"通讯员|记者|^□")
_DATELINE = re.compile(r"^本报[^((]{0,6}[((][^))]{1,24}[))]")
_SENTENCE = re.compile(r"(?<=[。!?;])")


@dataclass(frozen=True)
class LabelledPair:
    category: str
    duplicate: bool  # the label, from construction
    original: str
    copy: str


@lru_cache(maxsize=2)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def split_articles(page: str) -> list[list[str]]:
    """Rough articles of a page as lists of lines: an optional byline, then paragraphs.

    A run of two short blocks (headline + subtitle/byline) or a block opening with a 本报
    dateline or a (接一版) continuation mark starts a new article; lone short blocks inside
    an article are subheads (dropped). Pinyin annotations go and the text becomes Simplified.
    """
    page = _converter("t2s").convert(_PINYIN.sub("", page))
    raw = re.split(r"\n\s*\n" if "\n\n" in page else r"\n", page)
    blocks = [b.strip() for b in raw if b.strip()]
    articles: list[list[str]] = [[]]
    for i, block in enumerate(blocks):
        short = len(block) < SHORT_BLOCK
        run = short and i + 1 < len(blocks) and len(blocks[i + 1]) < SHORT_BLOCK
        if run or (not short and block.startswith(("本报", "(接"))):
            articles.append([])
        if not short or (_BYLINE.search(block) and not articles[-1]):
            articles[-1].append(block)
    return [a for a in articles if sum(len(p) for p in a) >= MIN_ARTICLE_CHARS]


def load_articles(seed_dir: Path = SEED_DIR) -> list[list[str]]:
    """All rough articles of the seed pages, in file order."""
    return [a for path in sorted(seed_dir.glob("*.txt")) for a in split_articles(path.read_text())]


def _is_byline(line: str) -> bool:
    return len(line) < SHORT_BLOCK and bool(_BYLINE.search(line))


def drop_byline(article: list[str]) -> str | None:
    """The body without its byline line or its 本报…(通讯员 …) dateline; None if it has neither."""
    if _is_byline(article[0]):
        return "\n".join(article[1:])
    stripped = _DATELINE.sub("", article[0])
    return None if stripped == article[0] else "\n".join([stripped, *article[1:]])


def substitute(body: str, rate: float, rng: random.Random, pool: str) -> str:
    """Replace ``rate`` of the non-space characters, at distinct random positions."""
    chars = list(body)
    positions = [i for i, c in enumerate(chars) if not c.isspace()]
    for i in rng.sample(positions, max(1, round(rate * len(positions)))):
        chars[i] = rng.choice([c for c in rng.sample(pool, 3) if c != chars[i]])
    return "".join(chars)


def same_template(body: str, rng: random.Random, foreign: list[str]) -> str:
    """Another report on the same template: places renamed, ~30% of sentences replaced.

    Every place of PLACES in the body is renamed to a different one (one mapping, applied in
    a single pass so renames do not chain), then TEMPLATE_REWRITE of the sentences (by count)
    are replaced by random sentences from the other articles.
    """
    rename = {place: rng.choice([p for p in PLACES if p != place]) for place in PLACES}
    body = _PLACE.sub(lambda m: rename[m.group()], body)
    sentences = [s for s in _SENTENCE.split(body) if s]
    for i in rng.sample(range(len(sentences)), max(1, round(TEMPLATE_REWRITE * len(sentences)))):
        sentences[i] = rng.choice(foreign)
    return "".join(sentences)


def build_pairs(articles: list[list[str]], seed: int = EVAL_SEED) -> list[LabelledPair]:
    """The labelled set: duplicates by construction, then non-duplicates by construction."""
    rng = random.Random(seed)
    bodies = ["\n".join(a) for a in articles]
    pool = "".join(sorted({c for b in bodies for c in b if "\u4e00" <= c <= "\u9fff"}))
    pairs = [p for a, b in zip(articles, bodies, strict=True) for p in _duplicates(a, b, rng, pool)]
    briefs = [LabelledPair("excerpt", False, b, brief)
              for a, b in zip(articles, bodies, strict=True) if (brief := excerpt(a))]
    return [*pairs, *_non_duplicates(bodies, rng), *briefs]


def _duplicates(article: list[str], body: str, rng: random.Random, pool: str):
    s2t, t2s = _converter("s2t"), _converter("t2s")
    yield LabelledPair("exact_copy", True, body, body)
    yield LabelledPair("traditional_round_trip", True, body, t2s.convert(s2t.convert(body)))
    if (without := drop_byline(article)) is not None:
        yield LabelledPair("byline_removed", True, body, without)
    first = 1 if _is_byline(article[0]) else 0  # the byline is not a paragraph
    if len(article) - first >= 4:
        drop = rng.randrange(first, len(article))
        shorter = "\n".join(article[:drop] + article[drop + 1 :])
        yield LabelledPair("paragraph_removed", True, body, shorter)
    for rate in SUBSTITUTION_RATES:
        for _ in range(2):
            copy = substitute(body, rate, rng, pool)
            yield LabelledPair(f"substituted_{rate:.0%}", True, body, copy)


def excerpt(article: list[str]) -> str | None:
    """A brief made of the leading paragraphs, at most EXCERPT_SHARE of the body; None if the
    first paragraph alone is longer (the byline is left out, as a brief would)."""
    paragraphs = article[1:] if _is_byline(article[0]) else article
    budget, kept = EXCERPT_SHARE * len("\n".join(article)), []
    for paragraph in paragraphs[:-1]:  # never the whole body
        if len("\n".join([*kept, paragraph])) > budget:
            break
        kept.append(paragraph)
    return "\n".join(kept) or None


def _non_duplicates(bodies: list[str], rng: random.Random):
    for i, j in sorted(rng.sample(list(combinations(range(len(bodies)), 2)), 3 * len(bodies))):
        yield LabelledPair("unrelated", False, bodies[i], bodies[j])
    topical = [b for b in bodies if "政协" in b]
    for a, b in combinations(topical, 2):
        yield LabelledPair("same_topic_zhengxie", False, a, b)
    for i, body in enumerate(bodies):
        foreign = [s for j, b in enumerate(bodies) if j != i for s in _SENTENCE.split(b) if s]
        yield LabelledPair("same_template", False, body, same_template(body, rng, foreign))


def detect(pair: LabelledPair, config: MinHashConfig) -> Match | None:
    """The production decision: a shared band key, then ``best_match`` judges the original."""
    sig_original = minhash_signature(pair.original, config)
    sig_copy = minhash_signature(pair.copy, config)
    if not set(band_keys(sig_original, config)) & set(band_keys(sig_copy, config)):
        return None
    stored = Candidate(article_id=1, body=pair.original, signature=sig_original,
                       shingle_count=len(shingles(pair.original, config.shingle_size)))
    return best_match(pair.copy, sig_copy, [stored], config)


def evaluate(config: MinHashConfig = DEFAULT_CONFIG, seed_dir: Path = SEED_DIR) -> dict:
    """Precision, recall and per-category counts (with exact Jaccard/containment ranges).

    ``detector_recall`` counts only duplicates whose exact Jaccard reaches the threshold: what
    LSH banding and the estimate prefilter lose, apart from the containment rule.
    """
    outcomes = []
    for pair in build_pairs(load_articles(seed_dir)):
        grams = [shingles(t, config.shingle_size) for t in (pair.original, pair.copy)]
        outcomes.append((pair.category, pair.duplicate, jaccard(*grams), detect(pair, config),
                         containment(*grams)))
    categories = {name: _category([o for o in outcomes if o[0] == name], config.threshold)
                  for name in dict.fromkeys(o[0] for o in outcomes)}
    dups = [o for o in outcomes if o[1]]
    tp, fp = sum(bool(o[3]) for o in dups), sum(bool(o[3]) for o in outcomes if not o[1])
    reachable = [o for o in dups if o[2] >= config.threshold]
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / len(dups),
            "detector_recall": sum(bool(o[3]) for o in reachable) / len(reachable),
            "true_positives": tp, "false_positives": fp, "positives": len(dups),
            "negatives": len(outcomes) - len(dups), "categories": categories}


def _category(outcomes: list[tuple], threshold: float) -> dict:
    scores, contained = [o[2] for o in outcomes], [o[4] for o in outcomes]
    matches = [o[3] for o in outcomes if o[3] is not None]
    return {"duplicate": outcomes[0][1], "pairs": len(outcomes), "detected": len(matches),
            "rate": len(matches) / len(outcomes), "min_jaccard": min(scores),
            "max_jaccard": max(scores), "below_threshold": sum(s < threshold for s in scores),
            "by_containment": sum(m.rule is MatchRule.CONTAINMENT for m in matches),
            "min_containment": min(contained), "max_containment": max(contained)}


def format_report(result: dict) -> str:
    """A plain-text table of the evaluation, as pasted into docs/dedup.md."""
    lines = [f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
             f"(TP {result['true_positives']}/{result['positives']} duplicates, "
             f"FP {result['false_positives']}/{result['negatives']} non-duplicates)  "
             f"detector recall (pairs with J >= threshold) {result['detector_recall']:.3f}",
             f"{'category':22} {'label':5} {'pairs':>5} {'flagged':>7} {'by C':>4} {'rate':>6} "
             f"{'J min':>6} {'J max':>6} {'J<thr':>5} {'C min':>6} {'C max':>6}"]
    for name, s in result["categories"].items():
        lines.append(f"{name:22} {'dup' if s['duplicate'] else 'not':5} {s['pairs']:5} "
                     f"{s['detected']:7} {s['by_containment']:4} {s['rate']:6.3f} "
                     f"{s['min_jaccard']:6.3f} {s['max_jaccard']:6.3f} {s['below_threshold']:5} "
                     f"{s['min_containment']:6.3f} {s['max_containment']:6.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_report(evaluate()))
