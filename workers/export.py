"""``newsflow export``: canonical articles as JSON Lines, CSV or Parquet, streamed.

JSON Lines keeps types (arrays as arrays, null as null). CSV cells hold arrays as JSON text
(``["高岩"]``) and null as an empty cell. Parquet needs pyarrow, which newsflow does not
install: ``pip install pyarrow`` first.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO

from models.db import get_engine
from models.export import ARRAY_COLUMNS, BATCH_ROWS, EXPORT_COLUMNS, canonical_articles

FORMATS = ("jsonl", "csv", "parquet")


class ExportError(RuntimeError):
    """The export cannot run as asked (an unknown format, pyarrow missing)."""


def _plain(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def write_jsonl(rows: Iterable[dict], out: IO[str]) -> None:
    for row in rows:
        out.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")


def _csv_cell(name: str, value) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False) if name in ARRAY_COLUMNS else _plain(value)


def write_csv(rows: Iterable[dict], out: IO[str]) -> None:
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(name, row[name]) for name in EXPORT_COLUMNS])


def write_parquet(rows: Iterable[dict], out: IO[bytes]) -> None:
    """Row groups of BATCH_ROWS articles, so memory stays bounded like the other formats."""
    pa, pq = _pyarrow()
    writer = None
    rows = iter(rows)
    while batch := list(islice(rows, BATCH_ROWS)):
        table = pa.Table.from_pylist(batch)
        writer = writer or pq.ParquetWriter(out, table.schema)
        writer.write_table(table.cast(writer.schema))
    if writer is not None:
        writer.close()


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ExportError("--format parquet needs pyarrow: pip install pyarrow") from error
    return pa, pq


@contextmanager
def _output(target: str, binary: bool) -> Iterator[IO]:
    """The output file, or stdout for ``-``; text is UTF-8 and newlines are written as is."""
    if target == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    text = {} if binary else {"encoding": "utf-8", "newline": ""}
    with open(Path(target), "wb" if binary else "w", **text) as out:
        yield out


def export(database_url: str, target: str, fmt: str, since: date | None = None) -> int:
    """Write the canonical articles to ``target`` (``-`` for stdout); how many were written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        _pyarrow()  # fail before creating an empty output file
    counted = _Counter()
    writer = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}[fmt]
    with get_engine(database_url).connect() as connection, _output(target, fmt == "parquet") as out:
        writer(counted.through(canonical_articles(connection, since)), out)
    return counted.n


class _Counter:
    def __init__(self) -> None:
        self.n = 0

    def through(self, rows: Iterable[dict]) -> Iterator[dict]:
        for row in rows:
            self.n += 1
            yield row
