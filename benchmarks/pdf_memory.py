"""PDF text extraction over one long PDF: peak memory as the pages go by, and pages per second.

    .venv/bin/python -m benchmarks.pdf_memory [--pages 500] [--every 50] [--source composed|tests]

The PDF is made by the project's own generators: ``composed`` (the default) cycles
``--distinct`` broadsheet pages of the segmentation corpus' composer (dev split, renmin style;
needs ``../shared/corpus``) through one file of ``--pages`` pages, each page a copy of its own
objects as a real multi-page file has; ``tests`` draws the tests' small pages
(``tests.pdf_pages``, six articles a page, no corpus needed). A fresh process then reads the
file's bytes and decodes them as the parse stage does (``decode_page``), so the generator's
memory is not counted. Every ``--every`` pages it records the process' RSS and its peak
(``VmHWM``, from the start of the decoding); the last row is after ``decode_page`` returned,
the text joined and checked.
Pages per second per core are pages over the process' CPU seconds (the extraction is
single-threaded; wall time on shared cores also counts other jobs). Reported, never asserted.
Writes ``benchmarks/results/pdf_memory_<source>.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from benchmarks.pipeline import code_version
from benchmarks.report import machine

RESULTS = Path(__file__).parent / "results"
MB = 2**20


def composed_pdf(pages: int, distinct: int) -> bytes:
    """``pages`` broadsheet pages, ``distinct`` composed ones cycled, as one PDF."""
    import pypdfium2 as pdfium

    from corpus.compose import default_corpus_dir, page_specs, rendered_page

    specs = page_specs(default_corpus_dir(), "dev", textures=("pdf_lines",), styles=("renmin",))[:distinct]
    sources = [pdfium.PdfDocument(rendered_page(spec)[1].pdf) for spec in specs]
    merged = pdfium.PdfDocument.new()
    for n in range(pages):  # each import copies the page's objects, as separate pages have
        merged.import_pages(sources[n % len(sources)])
    buffer = io.BytesIO()
    merged.save(buffer)
    return buffer.getvalue()


def tests_pdf(pages: int) -> bytes:
    """``pages`` of the tests' drawing, six articles a page, each headline with its page number."""
    from tests.pdf_pages import PAGES, drawn_pdf

    articles = [article for page in PAGES for article in page] * 2
    return drawn_pdf([[(f"{title} 第{n}版", *lines) for title, *lines in articles]
                      for n in range(1, pages + 1)])


def _peak_mb() -> float:
    """The process' peak RSS (VmHWM): ``ru_maxrss`` would also hold the parent's, kept across
    fork and exec."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) / 1024


def measure(path: Path, every: int) -> dict:
    """Decode the PDF at ``path`` as the parse stage does, sampling memory every ``every`` pages."""
    import stages.text.pdf as pdf
    from stages.text.decode import decode_page

    data, process, samples = path.read_bytes(), psutil.Process(), []
    extract_page, done = pdf._page_text, 0

    def sample(pages: int) -> None:
        samples.append({"pages": pages, "rss_mb": process.memory_info().rss / MB, "peak_mb": _peak_mb()})

    def counted(*args):  # the stage's own page reader, counted: the benchmark sees it go by
        nonlocal done
        text, done = extract_page(*args), done + 1
        if done % every == 0:
            sample(done)
        return text

    pdf._page_text = counted
    # The peak so far is the imports' (jieba, OpenCC, the page model): start it afresh.
    Path("/proc/self/clear_refs").write_text("5")
    sample(0)
    wall, cpu = time.perf_counter(), time.process_time()
    page = decode_page(data, path.name)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    sample(done)
    samples[-1]["pages"] = "end"
    return {"pages": done, "characters": len(page.text), "cpu_s": cpu, "wall_s": wall,
            "pages_per_cpu_s": done / cpu, "pages_per_wall_s": done / wall, "samples": samples}


def _print(result: dict) -> None:
    print(f"{result['pages']} pages, {result['pdf_mb']:.1f} MB PDF, {result['characters']:,} "
          f"characters of text; {result['pages_per_cpu_s']:.0f} pages/s per core (CPU), "
          f"{result['pages_per_wall_s']:.0f} pages/s wall")
    print("pages  RSS MB  peak RSS MB")
    for row in result["samples"]:
        print(f"{row['pages']:>5}  {row['rss_mb']:6.1f}  {row['peak_mb']:11.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--source", choices=("composed", "tests"), default="composed")
    parser.add_argument("--distinct", type=int, default=25, help="composed pages to cycle")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.every)))
        return
    data = composed_pdf(args.pages, args.distinct) if args.source == "composed" else tests_pdf(args.pages)
    with tempfile.TemporaryDirectory(prefix="newsflow-pdf-") as folder:
        path = Path(folder) / "e-paper.pdf"
        path.write_bytes(data)
        child = subprocess.run([sys.executable, "-m", "benchmarks.pdf_memory", "--measure", str(path),
                                "--every", str(args.every)], capture_output=True, text=True, check=True)
    result = json.loads(child.stdout.splitlines()[-1]) | {
        "source": args.source, "pdf_mb": len(data) / 1e6, "code": code_version(), "machine": machine()}
    _print(result)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"pdf_memory_{args.source}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
