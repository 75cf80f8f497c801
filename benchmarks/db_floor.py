"""The database floor, and the pipeline's efficiency against its two floors.

The database floor is the CPU PostgreSQL spends to load exactly the final rows a pipeline run
stored (the ledger rows, the articles with their search vector and every index of theirs,
``articles_grams_idx`` included, their occurrences, entities and LSH bands) in bulk: binary
COPY into a fresh database migrated to head, one transaction per 1,000 files. The rows are
dumped from the run's own database right after its throughput run, so both figures describe
the same corpus, the same run and the same server.

    efficiency = (stage floor ms + database floor ms) / pipeline ms, all CPU per file

The stage floor's ms are the CPU of its first measurement (``cpu_ms_per_file``; its MB/s
are wall time, which on a shared machine also counts the others' work). The pipeline's ms
are the CPU of every process of the stack (``cpu_ms_per_file``). Staging rows
(``page_texts``, ``file_items``) are not final rows and are not part of the floor.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager

import psutil
import psycopg
from psycopg import sql

from benchmarks.stack import backend_cpu
from migrations import upgrade_head
from models.db import get_engine
from workers import scratch as services

FILES_PER_TRANSACTION = 1000
# In the order they are loaded (foreign keys), with the step of the pipeline that writes them.
TABLE_STEP = {"source_files": "ingest", "articles": "dedupe", "article_occurrences": "store",
              "article_entities": "store", "article_bands": "dedupe"}
STEPS = ("ingest", "parse", "normalize", "dedupe", "store")
# The stage floor's functions, by the step whose task calls them (tasks/steps.py).
FUNCTION_STEP = {"decode_page": "ingest", "split_document": "parse", "normalize_item": "normalize",
                 "content_sha256": "normalize", "enrich": "normalize",
                 "minhash_signature": "dedupe", "band_keys": "dedupe"}


def _plain(url: str) -> str:
    return url.replace("+psycopg", "")


def _ids(values) -> sql.Composable:
    """An int array literal (ids only: nothing to escape)."""
    return sql.SQL("'{{{}}}'::bigint[]").format(sql.SQL(",".join(str(int(v)) for v in values)))


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    return [name for (name,) in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position", (table,))]


def _article_batches(conn: psycopg.Connection, file_batch: dict[int, int]) -> dict[int, int]:
    """Each article's transaction: its first file's, or later if its canonical's is later
    (a canonical row must be loaded before the near-duplicate that points at it)."""
    rows = conn.execute("SELECT a.id, a.duplicate_of, min(o.file_id) FROM articles a"
                        " LEFT JOIN article_occurrences o ON o.article_id = a.id"
                        " GROUP BY a.id ORDER BY a.id").fetchall()
    batch = {aid: file_batch.get(first, 0) for aid, _, first in rows}
    changed = True
    while changed:
        changed = False
        for aid, canonical, _ in rows:
            if canonical is not None and batch[canonical] > batch[aid]:
                batch[aid], changed = batch[canonical], True
    return batch


def _grouped(pairs) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, batch in pairs:
        grouped[batch].append(key)
    return grouped


def dump_final_rows(database_url: str, per_transaction: int = FILES_PER_TRANSACTION) -> dict:
    """The final rows of a run's database, as binary COPY data per transaction and table."""
    with psycopg.connect(_plain(database_url), autocommit=True) as conn:
        files = [fid for (fid,) in conn.execute("SELECT id FROM source_files ORDER BY id")]
        file_batch = {fid: i // per_transaction for i, fid in enumerate(files)}
        article_batch = _article_batches(conn, file_batch)
        occurrences = conn.execute("SELECT id, file_id, article_id FROM article_occurrences").fetchall()
        keys = {"source_files": ("id", _grouped(file_batch.items())),
                "articles": ("id", _grouped(article_batch.items())),
                "article_occurrences": ("id", _grouped(
                    (oid, max(file_batch[fid], article_batch[aid])) for oid, fid, aid in occurrences)),
                "article_entities": ("article_id", _grouped(article_batch.items())),
                "article_bands": ("article_id", _grouped(article_batch.items()))}
        columns = {table: _columns(conn, table) for table in TABLE_STEP}
        batches: list[dict[str, bytes]] = []
        for number in range(max(file_batch.values(), default=-1) + 1):
            batch = {}
            for table, (key, grouped) in keys.items():
                query = sql.SQL("COPY (SELECT {} FROM {} WHERE {} = ANY({}) ORDER BY {}) "
                                "TO STDOUT (FORMAT binary)").format(
                    sql.SQL(", ").join(map(sql.Identifier, columns[table])), sql.Identifier(table),
                    sql.Identifier(key), _ids(grouped.get(number, [])), sql.Identifier(key))
                with conn.cursor().copy(query) as copy:
                    batch[table] = b"".join(bytes(chunk) for chunk in copy)
            batches.append(batch)
        counts = {table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(table))).fetchone()[0] for table in TABLE_STEP}
    return {"files": len(files), "columns": columns, "batches": batches, "rows": counts}


@contextmanager
def fresh_database(database_url: str):
    """A new database on the same server as ``database_url``, migrated to head; dropped after."""
    info = psycopg.conninfo.conninfo_to_dict(_plain(database_url))
    info["dbname"] = "postgres"
    with services.scratch_database(psycopg.conninfo.make_conninfo(**info)) as url:
        upgrade_head(url)
        get_engine(url).dispose()
        yield url


def _pid_cpu(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def load_final_rows(dump: dict, database_url: str) -> dict:
    """COPY the dumped rows into a fresh database at head, one transaction per batch of
    files; the PostgreSQL backends' CPU for it (as the pipeline's CPU table counts them),
    in all and per table (the loading backend's CPU around each COPY; the rest is commits)."""
    with fresh_database(database_url) as url, psycopg.connect(_plain(url)) as conn:
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.commit()
        per_table: dict[str, float] = defaultdict(float)
        total_before = backend_cpu(url)
        for batch in dump["batches"]:
            with conn.transaction():
                for table in TABLE_STEP:
                    before = _pid_cpu(pid)
                    columns = sql.SQL(", ").join(map(sql.Identifier, dump["columns"][table]))
                    with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT binary)").format(
                            sql.Identifier(table), columns)) as copy:
                        copy.write(batch[table])
                    per_table[table] += _pid_cpu(pid) - before
        seconds = backend_cpu(url) - total_before
        loaded = {table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(table))).fetchone()[0] for table in TABLE_STEP}
        conn.commit()
    if loaded != dump["rows"]:
        raise RuntimeError(f"database floor: loaded {loaded}, the run stored {dump['rows']}")
    files = dump["files"]
    per_table_ms = {table: 1e3 * s / files for table, s in per_table.items()}
    per_table_ms["commit and the rest"] = 1e3 * seconds / files - sum(per_table_ms.values())
    return {"files": files, "transactions": len(dump["batches"]),
            "files_per_transaction": FILES_PER_TRANSACTION, "rows": loaded,
            "cpu_seconds": seconds, "ms_per_file": 1e3 * seconds / files,
            "per_table_ms_per_file": per_table_ms}


def efficiency(results: dict) -> None:
    """Per pipeline run: both floors, the pipeline's CPU, their ratio, and per step."""
    stage = results["stage_floor"]
    stage_ms = stage.get("cpu_ms_per_file") or 1e3 / stage["files_per_s"]
    shares = defaultdict(float)
    for function, row in stage.get("per_stage", {}).items():
        shares[FUNCTION_STEP.get(function, "other")] += row["share"]
    for run in results["pipeline"]:
        floor = run.get("database_floor")
        if not floor:
            continue
        cpu = run["throughput"]["cpu_ms_per_file"]
        pipeline_ms = sum(cpu.values())
        run["efficiency"] = {
            "stage_floor_ms": stage_ms, "stage_floor_wall_ms": 1e3 / stage["files_per_s"],
            "database_floor_ms": floor["ms_per_file"],
            "pipeline_ms": pipeline_ms,
            "efficiency": (stage_ms + floor["ms_per_file"]) / pipeline_ms,
            "overhead_ms": pipeline_ms - stage_ms - floor["ms_per_file"],
            "per_step": _per_step(run, stage_ms, shares, floor)}


def _per_step(run: dict, stage_ms: float, shares: dict, floor: dict) -> dict:
    """Each step's stage work and share of the database floor, against its pool CPU (the pool
    processes' CPU split by the steps' task run times: an estimate; the other processes'
    CPU, PostgreSQL's included, cannot be told apart by step and is left out)."""
    runtimes = {name.rsplit(".", 1)[-1]: row["seconds"] for name, row in run["task_runtimes"].items()}
    pool_ms, total = run["throughput"]["cpu_ms_per_file"]["pool"], sum(runtimes.values()) or 1.0
    db = defaultdict(float)
    for table, ms in floor["per_table_ms_per_file"].items():
        db[TABLE_STEP.get(table, "commit")] += ms
    return {step: {"stage_ms": stage_ms * shares.get(step, 0.0), "database_floor_ms": db.get(step, 0.0),
                   "pool_ms": pool_ms * runtimes.get(step, 0.0) / total} for step in STEPS}


def table(results: dict) -> str:
    """The efficiency table, and the per-step one under it."""
    lines = ["| workers | stage floor CPU ms/file | database floor ms/file | pipeline ms/file "
             "(all CPU of the stack) | overhead ms/file | efficiency |", "|---|---|---|---|---|---|"]
    runs = [run for run in results["pipeline"] if "efficiency" in run]
    for run in runs:
        e = run["efficiency"]
        lines.append(f"| {run['workers']} | {e['stage_floor_ms']:.1f} | {e['database_floor_ms']:.1f} | "
                     f"{e['pipeline_ms']:.1f} | {e['overhead_ms']:.1f} | {e['efficiency']:.2f} |")
    for run in runs:
        lines += [f"\nper step, {run['workers']} worker(s) (pool CPU split by task run time; "
                  "PostgreSQL, Celery main, watcher and Redis not split):",
                  "| step | stage work ms | database floor ms | pool ms | pool ms above stage work |",
                  "|---|---|---|---|---|"]
        for step, row in run["efficiency"]["per_step"].items():
            lines.append(f"| {step} | {row['stage_ms']:.2f} | {row['database_floor_ms']:.2f} | "
                         f"{row['pool_ms']:.2f} | {row['pool_ms'] - row['stage_ms']:.2f} |")
    return "\n".join(lines)
