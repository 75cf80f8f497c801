"""Entry points: composed pages of a split, one page's PDF, and ``python -m corpus.compose``.

A page is decided by (seed, date, page): its style by one hash, its texture by another, the logical
page (stories, credits, furniture, truth) by a generator seeded with the style, and the PDF layout
by a generator of its own, so ``pdf_lines`` and ``pdf_blocks`` of a page read the same PDF.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus.blocks import LogicalPage
from corpus.clean import clean_lines
from corpus.labels import SPLITS, ComposedPage
from corpus.page import compose_logical
from corpus.pdf_page import PdfPage, pdf_lines, render_pdf
from corpus.pools import Pools, build_pools
from corpus.records import SourceArticle, SourcePage, load_pages
from corpus.splits import split_of, stable_hash
from corpus.styles import BY_NAME, STYLE_NAMES

TEXTURES = ("clean", "pdf_lines", "pdf_blocks")
REPO = Path(__file__).resolve().parents[1]


def default_corpus_dir(repo: Path = REPO) -> Path:
    """``<repo>/../shared/corpus``; a clear error naming the path when it is not there."""
    path = repo.resolve().parent / "shared" / "corpus"
    if not (path / "rmrb-2019-2020-articles.jsonl.gz").is_file():
        raise FileNotFoundError(f"the shared corpus is not at {path}: pass its folder explicitly")
    return path


@dataclass(frozen=True)
class Corpus:
    pages: tuple[SourcePage, ...]
    pools: Pools
    photos: dict[str, tuple[tuple[int, SourceArticle], ...]]  # date → (page, photo) of the issue
    by_key: dict[tuple[str, int], SourcePage]  # (date, page) → page


@lru_cache(maxsize=2)
def load_corpus(corpus_dir: str) -> Corpus:
    """The corpus read, parsed and pooled once per process."""
    pages, _ = load_pages(corpus_dir)
    photos: dict[str, list] = {}
    for page in pages:
        photos.setdefault(page.date, []).extend((page.page, a) for a in page.articles if a.photo)
    by_key = {(p.date, p.page): p for p in pages}
    return Corpus(pages, build_pools(pages), {d: tuple(p) for d, p in photos.items()}, by_key)


@dataclass(frozen=True)
class PageSpec:
    corpus_dir: str
    date: str
    page: int
    seed: int
    style: str
    texture: str

    @property
    def page_id(self) -> str:
        """``20191001-p03-s0``: date, page and seed."""
        return f"{self.date}-p{self.page:02d}-s{self.seed}"


def logical_page(spec: PageSpec, corpus: Corpus) -> LogicalPage:
    """The spec's page, before any texture."""
    source = corpus.by_key[(spec.date, spec.page)]
    borrowed = tuple(a for n, a in corpus.photos.get(spec.date, ()) if n != spec.page)
    rng = random.Random(stable_hash("page", spec.seed, spec.date, spec.page, spec.style))
    return compose_logical(source, BY_NAME[spec.style], corpus.pools, rng, borrowed)


def page_pdf(spec: PageSpec) -> bytes:
    """The PDF a ``pdf_lines`` / ``pdf_blocks`` page of this spec was extracted from."""
    return rendered_page(spec)[1].pdf


def rendered_page(spec: PageSpec) -> tuple[LogicalPage, PdfPage]:
    """The spec's logical page (its truth items) and the PDF drawn of it (with the order its
    frames were written in)."""
    page = logical_page(spec, load_corpus(spec.corpus_dir))
    return page, render_pdf(page, random.Random(stable_hash("layout", spec.seed, spec.date, spec.page)))


def compose_page(spec: PageSpec) -> ComposedPage:
    """One composed page: the logical page in the spec's texture, labelled."""
    page = logical_page(spec, load_corpus(spec.corpus_dir))
    if spec.texture == "clean":
        lines, variant = clean_lines(
            page, random.Random(stable_hash("texture", spec.seed, spec.date, spec.page))
        )
    else:
        pdf = render_pdf(page, random.Random(stable_hash("layout", spec.seed, spec.date, spec.page)))
        lines, variant = pdf_lines(pdf, spec.texture)
        variant += "," + page.form.describe()
    return ComposedPage(
        spec.page_id,
        spec.date,
        spec.page,
        split_of(spec.date),
        spec.style,
        spec.texture,
        page.form.script,
        lines,
        list(page.items),
        variant,
    )


def page_specs(
    corpus_dir: Path, split: str, seed: int = 0, textures=TEXTURES, styles=STYLE_NAMES
) -> list[PageSpec]:
    """Every page of a split, in a stable shuffled order, with its style and texture drawn."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    specs = []
    for source in load_corpus(str(corpus_dir)).pages:
        if split_of(source.date) != split:
            continue
        style = styles[stable_hash("style", seed, source.date, source.page) % len(styles)]
        texture = textures[stable_hash("texture", seed, source.date, source.page) % len(textures)]
        specs.append(PageSpec(str(corpus_dir), source.date, source.page, seed, style, texture))
    return sorted(specs, key=lambda s: stable_hash("order", seed, s.date, s.page))


def composed_pages(
    corpus_dir: Path,
    split: str,
    seed: int = 0,
    limit: int | None = None,
    textures=TEXTURES,
    styles=STYLE_NAMES,
    workers: int | None = None,
) -> Iterator[ComposedPage]:
    """Labelled pages of ``split``, deterministic for (seed, split, page) with or without workers.

    PDF textures run in a process pool of ``workers`` (default: one per core) when there are
    more than a few pages; results come back in the same order as without one.
    """
    specs = page_specs(corpus_dir, split, seed, tuple(textures), tuple(styles))[:limit]
    pdf = any(s.texture != "clean" for s in specs)
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if not pdf or workers <= 1 or len(specs) < 8:
        yield from map(compose_page, specs)
        return
    with ProcessPoolExecutor(workers, initializer=load_corpus, initargs=(str(corpus_dir),)) as pool:
        yield from pool.map(compose_page, specs, chunksize=4)


def write_page(page: ComposedPage, out: Path) -> None:
    """``<id>.txt`` and ``<id>.json``, the label file ``newsflow eval-segmentation`` reads."""
    (out / f"{page.page_id}.txt").write_text(page.text + "\n", encoding="utf-8")
    label = json.dumps(page.label_json(), ensure_ascii=False, indent=1)
    (out / f"{page.page_id}.json").write_text(label + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """``python -m corpus.compose --split dev --limit 50 --out DIR``."""
    parser = argparse.ArgumentParser(prog="python -m corpus.compose", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, help="the shared corpus folder (default: ../shared/corpus)")
    parser.add_argument("--textures", default=",".join(TEXTURES))
    parser.add_argument("--styles", default=",".join(STYLE_NAMES))
    parser.add_argument("--workers", type=int)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    started, done = time.perf_counter(), 0
    pages = composed_pages(
        args.corpus or default_corpus_dir(),
        args.split,
        args.seed,
        args.limit,
        args.textures.split(","),
        args.styles.split(","),
        args.workers,
    )
    for done, page in enumerate(pages, 1):
        write_page(page, args.out)
        if done % 50 == 0:
            print(f"{done} pages, {done / (time.perf_counter() - started):.1f}/s", file=sys.stderr)
    print(f"wrote {done} pages to {args.out} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
