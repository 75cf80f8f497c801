"""The ``newsflow`` command as a user runs it."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.conftest import SEEDS
from tests.pdf_pages import PAGES, drawn_pdf
from workers.embedded import free_port
from workers.scratch import newsflow

REPO = Path(__file__).resolve().parents[2]


def test_parse_prints_items_as_json_lines_offline(tmp_path):
    # Given no database or broker configured at all
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    env["NEWSFLOW_DATA_DIR"] = str(tmp_path)
    seed = sorted(SEEDS.glob("*.txt"))[0]
    # When a page is parsed
    result = subprocess.run(newsflow("parse", str(seed)), env=env, capture_output=True,
                            text=True, timeout=120)
    # Then each line is one item with the documented fields, in page order
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 2
    assert [row["position"] for row in rows] == list(range(len(rows)))
    for row in rows:
        assert {"kind", "kicker", "title", "subtitle", "authors", "place", "body"} <= row.keys()
        assert row["kind"] in {"article", "photo"} and row["body"]


def test_parse_of_a_binary_file_says_why_and_exits_non_zero(tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"PK\x03\x04" + bytes(range(256)))  # a ZIP archive
    result = subprocess.run(newsflow("parse", str(junk)), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "binary" in result.stderr


def _wait_for(predicate, timeout: float, what: str):
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            if value := predicate():
                return value
        except Exception as error:  # not up yet
            last = error
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what} (last error: {last!r})")


def _stored_files(stack_file: Path) -> int:
    url = json.loads(stack_file.read_text())["database_url"]
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM source_files WHERE status = 'stored'").fetchone()[0]


def _pdf_article_pages(stack_file: Path) -> list[tuple[str, int]]:
    url = json.loads(stack_file.read_text())["database_url"]
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT a.title, c.page FROM article_copies c JOIN articles a ON a.id = c.article_id"
            " WHERE c.path LIKE '%e-paper.pdf' ORDER BY c.position").fetchall()


def _flower_get(port: int, path: str, auth: str | None) -> bytes:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read()


def _flower_tasks(port: int, auth: str) -> list[dict]:
    """The tasks on Flower's task page (the JSON its table loads)."""
    query = ("draw=1&start=0&length=1000&order[0][column]=0&order[0][dir]=asc"
             "&columns[0][data]=name")
    path = f"/tasks/datatable?{query.replace('[', '%5B').replace(']', '%5D')}"
    return json.loads(_flower_get(port, path, auth))["data"]


def _flower_auth(data_dir: Path) -> str:
    credentials = json.loads((data_dir / "credentials.json").read_text())
    return f"{credentials['flower_user']}:{credentials['flower_password']}"


def _as_from_a_terminal() -> None:
    """Ctrl-C delivered as in a terminal. A shell without job control starts background
    commands with SIGINT ignored, and a child inherits that: under such a CI runner the
    test's SIGINT would never reach ``newsflow up``."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_up_demo_runs_the_whole_stack_on_embedded_servers(tmp_path):
    # Given a machine-like environment with no database or broker configured
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    port = free_port(0)
    env |= {"NEWSFLOW_FLOWER_PORT": str(port), "NEWSFLOW_STABILITY_SECONDS": "0.3",
            "NEWSFLOW_WORKER_CONCURRENCY": "2"}
    log = open(tmp_path / "up.log", "wb")
    # When `newsflow up --demo` runs in an empty folder
    up = subprocess.Popen(newsflow("up", "--demo"), cwd=tmp_path, env=env, stdout=log,
                          stderr=subprocess.STDOUT, preexec_fn=_as_from_a_terminal)
    stack_file = tmp_path / ".newsflow" / "stack.json"
    try:
        # Then the five sample pages end stored in the embedded PostgreSQL
        _wait_for(lambda: _stored_files(stack_file) == 5, 240, "5 stored files")
        # And an e-paper PDF of two printed pages dropped into the inbox is stored, each of
        # its articles with the page it was printed on
        (tmp_path / "inbox" / "e-paper.pdf").write_bytes(drawn_pdf(PAGES))
        _wait_for(lambda: _stored_files(stack_file) == 6, 120, "the PDF stored")
        assert _pdf_article_pages(stack_file) == [
            ("梨树县政协开展委员培训", 1), ("铁西区红十字会走进社区", 1), ("春耕备耕有序推进", 2)]
        # And Flower, behind a password, lists the tasks of every stage with what they did
        auth = _flower_auth(tmp_path / ".newsflow")
        stored = lambda: [t for t in _flower_tasks(port, auth)  # noqa: E731
                          if t["name"] == "newsflow.store" and "stored" in (t.get("result") or "")]
        _wait_for(stored, 60, "Flower's store tasks with their outcomes")
        names = {task["name"] for task in _flower_tasks(port, auth)}
        assert names == {f"newsflow.{s}" for s in ("ingest", "parse", "normalize", "dedupe",
                                                   "store")}
        # And nothing of Flower's, its metrics included, answers without the password
        for path in ("/", "/tasks", "/metrics"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                _flower_get(port, path, None)
            assert refused.value.code == 401, path
        assert b"flower_events_total" in _flower_get(port, "/metrics", auth)
        # And the secrets and the URLs a second terminal reads are the owner's only
        for secret in ("credentials.json", "stack.json"):
            assert (tmp_path / ".newsflow" / secret).stat().st_mode & 0o077 == 0, secret
    finally:
        # And Ctrl-C stops everything cleanly
        up.send_signal(signal.SIGINT)
        try:
            code = up.wait(timeout=120)
        except subprocess.TimeoutExpired:
            up.terminate()  # SIGTERM stops the stack the same way; leave no servers behind
            up.wait(timeout=120)
            raise
        finally:
            log.close()
    output = (tmp_path / "up.log").read_text(errors="replace")
    assert code == 0, output[-3000:]
    assert "newsflow is up" in output and "psql" in output
    # And no password is printed but the generated Flower one, shown once
    credentials = json.loads((tmp_path / ".newsflow" / "credentials.json").read_text())
    assert credentials["redis_password"] not in output
    assert output.count(credentials["flower_password"]) == 1
    assert not stack_file.exists()
    assert not (tmp_path / ".newsflow" / "postgres" / "postmaster.pid").exists()


def test_parse_of_the_traditional_page_prints_simplified_text_without_pinyin():
    # Given page 002: Traditional script with a pinyin reading after many characters
    page = sorted(SEEDS.glob("*.txt"))[2]
    raw = page.read_text(encoding="utf-8")
    assert "政協(xié)" in raw
    # When it is parsed
    result = subprocess.run(newsflow("parse", str(page)), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    (item,) = [json.loads(line) for line in result.stdout.splitlines()]
    # Then the text is Simplified, no reading is left, and the page's own parentheses stay
    body = item["body"]
    assert "政协" in body and "政協" not in body
    assert not re.search(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜɑɡ]{1,6}[)）]", body)
    kept = [g for g in re.findall(r"[（(]([^()（）]{1,30})[)）]", raw)
            if not re.fullmatch(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜɑɡ]{1,6}", g)]
    assert body.count("（") >= len(kept) and item["script"] == "traditional"
