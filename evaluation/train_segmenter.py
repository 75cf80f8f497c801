"""Retrain the page-structure model from ``../shared/corpus/`` and score it on pages it never saw.

    newsflow train-segmenter [--corpus DIR] [--out FILE] [--seeds 0,1,2] [--dev-seeds 0]

Composes the train split's pages (every printed page once per seed, each time in a style and
texture drawn for it; ``corpus/``), turns every line into the model's attributes and its label
(role, ``B-`` on an item's first line), trains a linear-chain CRF (python-crfsuite, L-BFGS,
deterministic), then scores the segmenter with the new model on the tune and dev splits (no
date in common with training), per house style and texture.

The hand-labelled pages of ``tests/data/segmentation`` (real local papers; their line labels
read off the rule segmenter, ``evaluation.rule_labels``) are trained on too, each repeated
``LABELLED_REPEATS`` times: a few real pages against thousands of composed ones. They are
design pages, never part of the dev figures.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pycrfsuite

from corpus.compose import composed_pages, default_corpus_dir
from corpus.labels import ComposedPage
from corpus.splits import stable_hash
from evaluation.page_scores import rates, score_composed, table
from evaluation.rule_labels import labelled_pages, rule_labels
from stages.segment import model
from stages.segment.assemble import label
from stages.segment.features import line_features, page_lines_of

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "segmentation"
LABELLED_REPEATS = 20
# L1 keeps the model small (most attribute-label weights go to zero), L2 keeps it smooth.
PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 300, "feature.possible_transitions": True}


def page_sequence(page: ComposedPage) -> tuple[list[list[str]], list[str]]:
    """The attributes and labels of a composed page's non-blank lines. Half the pages read
    line by line from a PDF keep their type sizes (as newsflow reads a PDF), half are trained
    without (as a text dump of a PDF comes)."""
    with_sizes = page.sizes is not None and stable_hash("sizes", page.page_id) % 2 == 0
    lines = page_lines_of(page.text, page.sizes if with_sizes else None)
    labelled = [line for line in page.lines if line.role is not None]
    if len(labelled) != len(lines):
        raise ValueError(f"{page.page_id}: {len(labelled)} labelled lines, {len(lines)} on the page")
    return line_features(lines), [label(line.role, line.starts_item) for line in labelled]


def labelled_sequences(directory: Path = LABELLED) -> list[tuple[list[list[str]], list[str]]]:
    """The hand-labelled pages' attributes and labels (``evaluation.rule_labels``)."""
    sequences = []
    for _, text in labelled_pages(directory):
        lines, labels = rule_labels(text)
        sequences.append((line_features(lines), labels))
    return sequences


def train(pages: Iterable[ComposedPage], out: Path, params: dict = PARAMS,
          labelled: Path | None = LABELLED) -> int:
    """Train on ``pages`` (and the hand-labelled pages) and write the model to ``out``;
    returns how many composed pages it saw."""
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(params)
    for sequence in labelled_sequences(labelled) * LABELLED_REPEATS if labelled else []:
        trainer.append(*sequence)
    seen = 0
    for page in pages:
        trainer.append(*page_sequence(page))
        seen += 1
        if seen % 500 == 0:
            print(f"  {seen} pages composed", flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return seen


def _pages(corpus: Path, split: str, seeds: list[int], limit: int | None) -> Iterator[ComposedPage]:
    for seed in seeds:
        yield from composed_pages(corpus, split, seed=seed, limit=limit)


def write_scores(path: Path, scores: dict[str, dict], trained: dict) -> None:
    """The model's card beside it: how it was trained and its scores per split and group."""
    card = {"model": model.model_version(path), "trained": trained,
            "scores": {split: {group: {"pages": counts["pages"], "items": counts["expected"]} |
                               {name: round(value, 4) for name, value in rates(counts).items()}
                               for group, counts in groups.items()}
                       for split, groups in scores.items()}}
    path.with_suffix(".json").write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="default: ../shared/corpus")
    parser.add_argument("--out", type=Path, default=model.shipped_model())
    parser.add_argument("--seeds", default="0,1,2", help="composition seeds of the train split")
    parser.add_argument("--dev-seeds", default="0", help="composition seeds of tune and dev")
    parser.add_argument("--limit", type=int, default=None, help="pages per seed (default: all)")
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus_dir()
    seeds, dev_seeds = ([int(s) for s in x.split(",")] for x in (args.seeds, args.dev_seeds))
    started = time.monotonic()
    seen = train(_pages(corpus, "train", seeds, args.limit), args.out)
    print(f"trained on {seen} pages in {time.monotonic() - started:.0f} s: {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB, model {model.model_version(args.out)})")
    scores = {}
    for split in ("dev", "tune"):
        scores[split] = score_composed(_pages(corpus, split, dev_seeds, None), args.out)
        print(f"\n{split} split (no date in common with training), composition seeds {args.dev_seeds}:")
        print(table(scores[split].items()))
    write_scores(args.out, scores, {"pages": seen, "seeds": seeds, "limit": args.limit,
                                    "labelled_repeats": LABELLED_REPEATS, "params": PARAMS})


if __name__ == "__main__":
    main()
