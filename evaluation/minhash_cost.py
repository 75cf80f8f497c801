"""What the near-duplicate defaults cost and how sensitive they are: the numbers of docs/dedup.md.

Three measurements on the labelled set of ``evaluation.dedup_quality`` (run
``python -m evaluation.minhash_cost``): the LSH recall curve of a few bandings, the candidates
each stored body brings back from the band table, the time of each step, and precision/recall
when one default moves. It measures only; nothing here is on the production path.
"""

from __future__ import annotations

import random
import statistics
import timeit
from collections import defaultdict
from dataclasses import replace

from evaluation.dedup_quality import LabelledPair, build_pairs, evaluate, load_articles, substitute
from stages.dedup.decide import Candidate, best_match
from stages.dedup.minhash import (
    DEFAULT_CONFIG,
    MinHashConfig,
    band_keys,
    estimated_similarity,
    lsh_recall,
    minhash_signature,
)

BANDINGS = ((16, 8), (32, 4), (64, 2))
SIMILARITIES = (0.3, 0.364, 0.5, 0.6, 0.7, 0.8, 0.9)
VARIATIONS = (
    {"containment_threshold": 0.75}, {"containment_threshold": 0.85},
    {"containment_threshold": 0.9}, {"min_size_ratio": 0.3}, {"min_size_ratio": 0.7},
    {"max_novel_run": 10}, {"max_novel_run": 15}, {"max_novel_run": 30},
    {"max_novel_run": 10**6}, {"bands": 16, "rows": 8}, {"bands": 64, "rows": 2},
)


def recall_table() -> list[str]:
    """P(a pair of Jaccard s shares a band) for each banding, one line per s."""
    head = "s      " + "  ".join(f"{b:>2}x{r:<2}" for b, r in BANDINGS)
    rows = [f"{s:<6} " + "  ".join(f"{lsh_recall(s, b, r):.4f}" for b, r in BANDINGS)
            for s in SIMILARITIES]
    return [head, *rows]


def stories(pairs: list[LabelledPair]) -> dict[str, str]:
    """Every distinct body of the set mapped to the original of its story (labels only)."""
    story: dict[str, str] = {}
    for pair in pairs:
        story.setdefault(pair.original, pair.original)
        story.setdefault(pair.copy, pair.original if pair.duplicate else pair.copy)
    return story


def candidate_load(texts: list[str], story: dict[str, str], config: MinHashConfig) -> dict:
    """Mean candidates per body when all ``texts`` are stored: all, other stories, and the
    other-story ones that pass the estimate prefilter and so cost an exact check."""
    sigs = {t: minhash_signature(t, config) for t in texts}
    buckets: dict[int, set[str]] = defaultdict(set)
    for text in texts:
        for key in band_keys(sigs[text], config):
            buckets[key].add(text)
    found = {t: set().union(*(buckets[k] for k in band_keys(sigs[t], config))) - {t} for t in texts}
    other = {t: [o for o in found[t] if story[o] != story[t]] for t in texts}
    checked = [sum(estimated_similarity(sigs[t], sigs[o]) >= config.estimate_floor for o in other[t])
               for t in texts]
    return {"bodies": len(texts), "candidates": statistics.mean(len(f) for f in found.values()),
            "other_story": statistics.mean(len(o) for o in other.values()),
            "other_story_checked": statistics.mean(checked)}


def timings(config: MinHashConfig = DEFAULT_CONFIG) -> dict[str, float]:
    """Median microseconds of each step on a ~2,000-character body built from the seeds."""
    body = "\n".join("\n".join(a) for a in load_articles())[:2000]
    sig = minhash_signature(body, config)
    noisy = substitute(body, 0.03, random.Random(1), "".join(sorted(set(body))))
    same = [Candidate(1, body, sig)]
    noise = [Candidate(1, noisy, minhash_signature(noisy, config))]
    steps = {"minhash_signature": lambda: minhash_signature(body, config),
             "band_keys": lambda: band_keys(sig, config),
             "best_match, 1 candidate, Jaccard rule": lambda: best_match(body, sig, same, config),
             "best_match, 1 candidate, containment rule": lambda: best_match(body, sig, noise, config)}
    return {name: 1e6 * statistics.median(timeit.repeat(step, number=50, repeat=7)) / 50
            for name, step in steps.items()}


def sensitivity() -> list[str]:
    """Precision, recall and the categories whose flagged count moves when one default does."""
    base, lines = evaluate(), []
    for change in ({}, *VARIATIONS):
        result = evaluate(replace(DEFAULT_CONFIG, **change))
        moved = {n: f"{c['detected']}/{c['pairs']}" for n, c in result["categories"].items()
                 if c["detected"] != base["categories"][n]["detected"]}
        lines.append(f"{str(change or 'defaults'):34} P {result['precision']:.3f} "
                     f"R {result['recall']:.3f} FP {result['false_positives']:2} {moved}")
    return lines


def main() -> None:
    pairs = build_pairs(load_articles())
    story = stories(pairs)
    originals = list(dict.fromkeys(p.original for p in pairs))  # the 28 seed articles
    print("\n".join(recall_table()))
    for bands, rows in BANDINGS:
        config = replace(DEFAULT_CONFIG, bands=bands, rows=rows)
        print(f"{bands}x{rows} all bodies", candidate_load(list(story), story, config))
        print(f"{bands}x{rows} originals ", candidate_load(originals, story, config))
    for name, micros in timings().items():
        print(f"{name:45} {micros:8.1f} us")
    print("\n".join(sensitivity()))


if __name__ == "__main__":
    main()
