"""The segmenter's commands of ``newsflow``: ``eval-segmentation`` and ``train-segmenter``
(registered by ``workers.cli``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console


def eval_segmentation(
    labelled: Annotated[Path, typer.Argument(help="Folder of hand-labelled pages")] = Path(
        "tests/data/segmentation"
    ),
    composed: Annotated[bool, typer.Option(help="Also score composed pages of ../shared/corpus")] = True,
    split: Annotated[str, typer.Option(help="Composed split: dev, tune or train")] = "dev",
    limit: Annotated[int | None, typer.Option(help="Composed pages at most")] = None,
    corpus: Annotated[Path | None, typer.Option(help="The corpus (default: ../shared/corpus)")] = None,
    pdf: Annotated[int, typer.Option(help="Composed pages to draw as PDFs and read as newsflow "
                                          "reads a dropped PDF (0: none)")] = 150,
) -> None:
    """Per-field accuracy of the segmenter on hand-labelled pages, and the targets per house
    style and texture on composed pages of a split it was never trained on, then on composed
    PDFs read by newsflow's own PDF reader."""
    from evaluation.segmentation import evaluate_labelled_set, format_report
    from stages.segment.model import model_version

    print(f"page-structure model {model_version()}\n\nhand-labelled pages in {labelled}:")
    print(format_report(evaluate_labelled_set(labelled)))
    if composed:
        _print_composed(split, limit, corpus, pdf)


def _print_composed(split: str, limit: int | None, corpus: Path | None, pdf: int) -> None:
    from corpus.compose import composed_pages, default_corpus_dir
    from evaluation.page_scores import score_composed, table
    from evaluation.pdf_scores import composed_pdfs, score_pdfs

    try:
        folder = corpus or default_corpus_dir()
    except FileNotFoundError as missing:
        Console(stderr=True).print(f"composed pages skipped: {missing}")
        return
    print(f"\ncomposed {split} split of {folder} (dates never trained on):")
    print(table(score_composed(composed_pages(folder, split, limit=limit)).items()))
    if pdf:
        print(f"\n{pdf} composed {split} pages drawn as PDFs, read by newsflow's PDF reader:")
        print(table(score_pdfs(composed_pdfs(folder, split, pdf)).items()))


def train_segmenter(
    corpus: Annotated[Path | None, typer.Option(help="The corpus (default: ../shared/corpus)")] = None,
    out: Annotated[Path | None, typer.Option(help="Model file (default: the shipped one)")] = None,
    seeds: Annotated[str, typer.Option(help="Composition seeds of the train split")] = "0,1,2",
) -> None:
    """Retrain the page-structure model from ../shared/corpus and print its dev scores."""
    from evaluation.train_segmenter import main as run_training

    run_training([*(["--corpus", str(corpus)] if corpus else []), *(["--out", str(out)] if out else []),
                  "--seeds", seeds])
