"""Fuzz every parser orbat exposes and count crashes, hangs and invalid records.

    .venv/bin/python bench/fuzz.py --n 1000                 # 1,000 inputs per parser
    .venv/bin/python bench/fuzz.py --n 100000 --parsers extract-text,extract-html
    .venv/bin/python bench/fuzz.py --n 200 --show 3         # print up to 3 reproducers per finding

Parsers: extract-text, extract-html, extract-jsonl (`orbat extract` on text, HTML and corpus
lines), ingest (into a knowledge base, whose queries must still answer), reviews (JSON bodies
posted to the API app with an analyst token) and exports (ingest's own inputs, each ingested and
checked as ingest does, and once a knowledge base is full, all of it exported as csv, geojson, kml,
stix and jsonl, each re-parsed, after the same queries). A knowledge base is a SQLite file, or with `--db postgresql://…`
a database made on that server, or with `--db … --both` one of each fed the same inputs; a fresh
one starts every `--kb-size` inputs (exports: 100; ingest and reviews: 500), as a copy of one the
child seeded once.

    .venv/bin/python bench/fuzz.py --n 2000 --parsers ingest --db postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/fuzz.py --n 100000 --parsers exports --both \
        --db postgresql://postgres@127.0.0.1:5432/postgres

Why subprocesses: a crash that takes the interpreter down, or a hang, must cost one input, not
the run. Each batch runs in a child that reports "start i" / "done i" lines; the parent kills a
child that says nothing for `--hang` seconds (default 5), records input i as a hang and starts a
new child at i + 1. Input i is generated from `--seed` and i alone, so any finding is replayed
with `--only PARSER:i` (an export finding at input i, with `--only exports:j-i` from the first
input j of its knowledge base). The rules for a valid record are tests/fuzz/checks.py, the same ones the
property tests assert.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import queue
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# this checkout's orbat, not the one the virtual environment was installed from (a worktree's
# children tested /work/main's code unless PYTHONPATH said otherwise), and its tests.fuzz
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
# As `orbat` itself does (orbat/cli): spaCy's small matrices gain nothing from OpenBLAS's second
# thread, which on a busy machine spins for a core. Set before numpy loads, here and so in every
# child; it was most of the cost of a short input (extract-text: ~55 ms of CPU an input with two
# threads at load 10, ~10 ms with one).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from tests.fuzz import strategies as S  # noqa: E402  (the fragment lists the property tests use)

FUZZ_HOME = str(Path(tempfile.gettempdir()) / "orbat-fuzz-home")  # unless ORBAT_HOME says otherwise
PARSERS = ("extract-text", "extract-html", "extract-jsonl", "ingest", "reviews", "exports")
#: Inputs per knowledge base (see Child). Exports query and export a knowledge base once, when it
#: is full, so their cost per input does not grow with its size; a fresh PostgreSQL database costs
#: ~0.6 s (CREATE … TEMPLATE and DROP), which at 10 inputs a knowledge base was most of a run.
KB_SIZE = {"exports": 100, "ingest": 500, "reviews": 500}
#: Inputs per child process. A child's start-up (imports, spaCy, the anchor's extraction) costs
#: 1–4 s of CPU: at 500 inputs a child that was ~8 ms an input of the reviews' ~25. A knowledge
#: base no longer lives as long as its child (`KB_SIZE`), so children can live longer.
BATCH = 5000
# how ingest reports a document lost to an exception that is not a UserError ("TypeError: …")
UNEXPECTED = re.compile(r"[A-Z]\w*(Error|Exception|Exit|Interrupt|Iteration|Warning): ")
WRAPS = ["BODY", "<p>BODY</p>", "<html><body><article><p>BODY</p></article></body></html>",
         "<html><head><title>BODY</title><script>var x='T-90';</script></head><body><div>BODY</div></body></html>",
         "<div>" * 300 + "BODY" + "</div>" * 300, "<table><tr><td>BODY</td></tr></table>", "<!-- BODY --><p>BODY"]


# --- inputs: a pure function of (seed, parser, i) ---------------------------------------------

def _random_text(rng: random.Random, size: int = 30) -> str:
    alphabet = rng.choice(["ascii", "latin", "any"])
    if alphabet == "ascii":
        return "".join(chr(rng.randint(32, 126)) for _ in range(rng.randint(0, size)))
    if alphabet == "latin":
        return "".join(chr(rng.randint(32, 0x24F)) for _ in range(rng.randint(0, size)))
    return "".join(chr(rng.choice([rng.randint(0, 0x2FFF), rng.randint(0xE000, 0x10FFFF)]))
                   for _ in range(rng.randint(0, size)))


def _piece(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return (f"{rng.choice(S.ACTORS)} {rng.choice(S.VERBS)} {rng.choice(S.COUNTS)} {rng.choice(S.SYSTEMS)} "
                f"to {rng.choice(S.PLACES)} {rng.choice(S.DATES)}.")
    if kind < 0.75:
        return rng.choice(S.SYSTEMS + S.PLACES + S.ACTORS + S.COUNTS + S.DATES + S.NOISE)
    if kind < 0.9:
        return _random_text(rng)
    return str(rng.randint(-(10**30), 10**30))


def text_input(rng: random.Random) -> str:
    return rng.choice([" ", "\n", "", ". ", "\n\n"]).join(_piece(rng) for _ in range(rng.randint(0, 14)))


def html_input(rng: random.Random) -> str:
    return rng.choice(WRAPS).replace("BODY", text_input(rng))


def jsonl_input(rng: random.Random) -> bytes:
    item: dict = {("text" if rng.random() < 0.6 else "html"): text_input(rng) if rng.random() < 0.6
                  else html_input(rng)}
    for key in ("id", "title", "publisher", "url", "published", "language"):
        if rng.random() < 0.5:
            item[key] = rng.choice([rng.choice([p for p in S.PUBLISHED if p]), text_input(rng),
                                    rng.randint(-(10**20), 10**20), None])
    line = json.dumps(item)
    mutation = rng.choice(["none"] * 4 + ["surrogate", "truncate", "array", "nul"])
    if mutation == "surrogate":
        line = line[:-1] + ', "x": "\\ud800"}'
    elif mutation == "truncate":
        line = line[: max(1, len(line) // 2)]
    elif mutation == "array":
        line = f"[{line}]"
    elif mutation == "nul":
        line = line[:-1] + ', "title": "a\\u0000b"}'
    return line.encode("utf-8", "surrogatepass")


def review_input(rng: random.Random) -> dict:
    values = [None, 0, -1, 12, 10**7, 10**7 + 1, 1e30, 2**63, -(2**63), "banana", "2025-01-17", "9999-12-31",
              "0001-01-01", "2025-02-30", "<script>x</script>", True, [], {}, "delivery", "confirmed", "denied",
              "x" * 5000, "\ud800", "a\x00b", float("nan")]
    fields = {rng.choice(["event", "certainty", "date", "attributed_to", "quantity_min", "quantity_max", "place",
                          "bogus"]): rng.choice(values) for _ in range(rng.randint(0, 3))}
    body = {"action": rng.choice(["accept", "reject", "correct", "correct", "delete", "", 5]), "fields": fields}
    if rng.random() < 0.3:
        body["comment"] = rng.choice(values)
    return body


def make_input(seed: int, parser: str, i: int):
    # exports fuzzes ingest's own inputs (and runs ingest's checks on each), so that a run of it
    # stands for a run of ingest too
    rng = random.Random(f"{seed}:{'ingest' if parser == 'exports' else parser}:{i}")
    if parser == "extract-html":
        return html_input(rng), rng.choice(S.PUBLISHED)
    if parser == "extract-jsonl":
        return jsonl_input(rng), None
    if parser == "reviews":
        return review_input(rng), None
    if parser in ("ingest", "exports"):
        return (html_input(rng) if rng.random() < 0.3 else text_input(rng)), rng.choice(S.PUBLISHED)
    return text_input(rng), rng.choice(S.PUBLISHED)


# --- the child: runs inputs start..stop of one parser, reporting each ---------------------------

class UnexpectedFailure(Exception):
    """A document orbat caught an unexpected exception on, and reported as failed."""


def database_prefix(pid: int) -> str:
    """The PostgreSQL databases a child makes are named by its process id, so that the parent can
    drop those a killed child left behind."""
    return f"orbat_fuzz_{pid}_"


def _admin(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(statement)


def drop_databases(server_url: str, pid: int) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                                 [database_prefix(pid) + "%"])]
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class KnowledgeBase:
    """One knowledge base under test: a SQLite file (`server` None) or a database on a PostgreSQL
    server, with the template it is copied from and, for reviews, an API client over it."""

    server: str | None
    template: str | None = None
    store: Any = None
    client: Any = None
    claim: str | None = None
    database: str | None = None  # its PostgreSQL database's name

    @property
    def backend(self) -> str:
        return "postgresql" if self.server else "sqlite"


class Child:
    """The parser under test, with whatever state it needs for a whole batch (stores, API clients).

    Ingest, exports and reviews write to a knowledge base, a fresh one every `kb_size` inputs (a
    knowledge base's cost grows with each input). `db` names a PostgreSQL server to create them on
    (one database each, dropped when done); without it each is a SQLite file. With `both`, every
    input goes into a SQLite knowledge base *and* a PostgreSQL one: the document is extracted once
    and its record stored in each (extraction is ~90 % of an ingest's CPU, and it is the same code
    whatever the store), so one run fuzzes both backends for little more than the cost of one.

    Each fresh knowledge base is a copy of a template the child made once (migrated, holding the
    anchor document, nothing read from it yet): the same state as one made from scratch, without
    running the migrations and extracting the anchor again.
    """

    def __init__(self, parser: str, folder: str, db: str | None = None, both: bool = False):
        from tests.fuzz.checks import export_problems, record_problems

        from orbat.pipeline import extract_source
        from orbat.settings import Settings

        self.parser, self.folder = parser, folder
        self.extract_source, self.settings = extract_source, Settings()
        self.record_problems, self.export_problems = record_problems, export_problems
        self.bases = [KnowledgeBase(server) for server in ([None, db] if both and db else [db])]
        self.knowledge_bases = 0
        if parser in ("ingest", "exports", "reviews"):
            self.new_knowledge_base()

    def new_knowledge_base(self) -> None:
        """Drop the current knowledge bases (if any) and start empty ones holding only the anchor."""
        from orbat.store import open_store

        self.close()
        self.knowledge_bases += 1
        for base in self.bases:
            if base.template is None:
                base.template = self._make_template(base)
            if base.server:
                base.database = f"{database_prefix(os.getpid())}{self.knowledge_bases}"
                _admin(base.server, f'CREATE DATABASE "{base.database}" TEMPLATE "{base.template}"')
                url = _database_url(base.server, base.database)
            else:
                url = str(Path(self.folder) / f"orbat-{self.knowledge_bases}.db")
                source, target = sqlite3.connect(base.template), sqlite3.connect(url)
                try:
                    source.backup(target)  # a consistent copy, whatever the template's journal holds
                finally:
                    source.close()
                    target.close()
            base.store = open_store(url)
            if self.parser == "reviews":
                self._api(base, url)

    def _make_template(self, base: KnowledgeBase) -> str:
        """A migrated knowledge base holding only the anchor: a database name, or a SQLite file."""
        from orbat.store import open_store

        if base.server:
            name = f"{database_prefix(os.getpid())}template"
            _admin(base.server, f'CREATE DATABASE "{name}"')
            url = _database_url(base.server, name)
        else:
            name = url = str(Path(self.folder) / "template.sqlite")
        with open_store(url) as store:
            self._seed_store(store)
        return name

    def finish(self) -> None:
        """Close the knowledge bases and drop the templates."""
        self.close()
        for base in self.bases:
            if base.server and base.template:
                _admin(base.server, f'DROP DATABASE IF EXISTS "{base.template}" WITH (FORCE)')
            base.template = None

    def close(self) -> None:
        """Close the knowledge bases, their API clients and their files or databases."""
        for base in self.bases:
            if base.client is not None:
                base.client.__exit__(None, None, None)  # the app's lifespan ends: it closes its own store
                base.client = None
            if base.store is not None:
                base.store.close()
                base.store = None
            if base.database:
                _admin(base.server, f'DROP DATABASE IF EXISTS "{base.database}" WITH (FORCE)')
                base.database = None
        for old in Path(self.folder).glob("orbat-*.db*"):
            old.unlink()

    def _seed_store(self, store) -> None:
        from orbat.ingest import ingest_one
        from orbat.model import SourceDocument

        anchor = SourceDocument(raw=b"Russia delivered 12 T-72B3 tanks to Gao, Mali on 3 January 2025.",
                                content_type="text/plain", origin="anchor", published="2025-01-21")
        ingest_one(anchor, store, self.settings, self.extract_source)

    def _api(self, base: KnowledgeBase, url: str) -> None:
        """An API client over the knowledge base, entered once: outside `with`, Starlette's test client
        starts a thread and an event loop for every request, which cost more than the request."""
        from fastapi.testclient import TestClient

        from orbat.serve.app import create_app
        from orbat.tokens import create_token

        token = create_token(base.store, "analyst", "fuzz")[0]
        client = TestClient(create_app(url), base_url="http://127.0.0.1", client=("127.0.0.1", 40000),
                            headers={"Authorization": f"Bearer {token}"})
        base.client = client.__enter__()
        claims = base.client.get("/api/claims", params={"limit": 1}).json()["claims"]
        base.claim = claims[0]["id"]

    def _where(self, base: KnowledgeBase, problem: str) -> str:
        """A problem, named by its backend when there are two."""
        return f"{base.backend}: {problem}" if len(self.bases) > 1 else problem

    def run(self, payload, published, last: bool = True) -> list[str]:
        """Problems with one input (empty: fine); an exception escaping here is a crash. `last`:
        this input is the last its knowledge base will hold (exports run then)."""
        if self.parser == "exports":
            return self._exports(payload, published, last)
        return getattr(self, "_" + self.parser.replace("-", "_"))(payload, published)

    def _extract(self, raw: bytes, content_type: str, published) -> list[str]:
        from orbat.errors import InputError
        from orbat.model import SourceDocument

        source = SourceDocument(raw=raw, content_type=content_type, origin="fuzz", published=published or None)
        try:
            record = self.extract_source(source, self.settings)
        except InputError as exc:
            return [] if "\n" not in str(exc) else ["error message spans lines"]
        problems = self.record_problems(record.to_json(), record.document.text)
        json.dumps(record.to_json(), ensure_ascii=False).encode("utf-8")  # printable as JSON
        return problems

    def _extract_text(self, text: str, published) -> list[str]:
        return self._extract(text.encode("utf-8", "surrogatepass"), "text/plain", published)

    def _extract_html(self, page: str, published) -> list[str]:
        return self._extract(page.encode("utf-8", "surrogatepass"), "text/html", published)

    def _extract_jsonl(self, line: bytes, _published) -> list[str]:
        from orbat.acquire import SourceError
        from orbat.acquire.files import from_corpus_item

        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return []  # a bad line: reported by the corpus reader
        if not isinstance(item, dict):
            return []
        source = from_corpus_item(item, "fuzz:1")
        if isinstance(source, SourceError):
            return []
        return self._extract(source.raw, source.content_type, source.published)

    def _extract_once(self):
        """`extract_source` for the first knowledge base of this input; the others get a copy of the
        same record (or the same exception), as if they had extracted it themselves."""
        if len(self.bases) == 1:
            return self.extract_source
        outcome: dict = {}

        def extract(source, settings):
            if not outcome:
                try:
                    record = self.extract_source(source, settings)
                    outcome["record"] = copy.deepcopy(record)  # before any store touches it
                    return record
                except Exception as exc:  # noqa: BLE001 - the next store must see it too
                    outcome["error"] = exc
                    raise
            if "error" in outcome:
                raise outcome["error"]
            return copy.deepcopy(outcome["record"])

        return extract

    def _ingest(self, text: str, published, queries: bool = True) -> list[str]:
        """Ingest one document as `orbat ingest` does (a batch: one transaction, a savepoint per
        document) or as the API does (`ingest_one`), one or the other by the text's checksum, so a
        replay takes the same path; HTML goes in as HTML. Then, if `queries`, ask what a user would."""
        import zlib

        from orbat.ingest import ingest_one, ingest_sources
        from orbat.model import SourceDocument
        from orbat.query import posture, stats, timeline

        raw = text.encode("utf-8", "surrogatepass")
        extract = self._extract_once()
        for base in self.bases:
            source = SourceDocument(raw=raw, content_type="text/html" if text.startswith("<") else "text/plain",
                                    origin="fuzz", published=published or None)
            if zlib.crc32(raw) % 2:
                summary = ingest_sources([source], base.store, self.settings, extract=extract)
                reason = summary.failures[0].reason if summary.failures else None
            else:
                result = ingest_one(source, base.store, self.settings, extract)
                reason = result.reason if result.status == "failed" else None
            if reason and UNEXPECTED.match(reason):
                # ingest turns any exception into a failed result, so that the run goes on; one that is
                # not a UserError (a refusal with a reason) is a bug that cost this document: a crash
                raise UnexpectedFailure(self._where(base, reason))
            if not queries:
                continue
            # queries that must still answer; the first brings the observation index up to date
            # itself, as a user's would (an `ensure_fresh` call of our own before it cost one more check)
            stats(base.store)
            posture(base.store, "ML")
            timeline(base.store, "ML")
        return []

    def _exports(self, text: str, published, last: bool) -> list[str]:
        """Ingest the input as `_ingest` does; once the knowledge base is full, query it and export
        all of it in every format, re-parsing each. An export reads the whole knowledge base, so
        exporting it once, full, passes every input through every exporter: exporting after each
        input read the same rows up to `kb_size` times over, and was two thirds of the run's cost.
        The queries wait for the full knowledge base too, so the observation index is brought up
        to date over several new documents at once (`ingest` covers one document at a time)."""
        import io

        from tests.fuzz.checks import EXPORT_FORMATS

        from orbat.export import ExportFilters, export

        problems = self._ingest(text, published, queries=last)
        if not last:
            return problems
        for base in self.bases:
            for fmt in EXPORT_FORMATS:
                out = io.BytesIO()
                export(base.store, fmt, ExportFilters(), out)
                problems += [self._where(base, problem) for problem in self.export_problems(fmt, out.getvalue())]
        return problems

    def _reviews(self, body: dict, _published) -> list[str]:
        from tests.fuzz.checks import QUANTITY_MAX, date_max, parse_iso

        try:
            content = json.dumps(body, allow_nan=True).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):
            return []
        problems = []
        for base in self.bases:
            answer = base.client.post(f"/api/claims/{base.claim}/reviews", content=content,
                                      headers={"Content-Type": "application/json"})
            if answer.status_code >= 500:
                problems.append(self._where(base, f"HTTP {answer.status_code} to a review"))
                continue
            if answer.status_code < 300:
                fields = answer.json().get("fields") or {}
                for key in ("quantity_min", "quantity_max"):
                    value = fields.get(key)
                    if value is not None and not (isinstance(value, int) and 0 <= value <= QUANTITY_MAX):
                        problems.append(self._where(base, f"review stored {key} {value!r}"))
                day = fields.get("date")
                if day is not None and (parse_iso(day) is None or not parse_iso(day) <= date_max()):
                    problems.append(self._where(base, f"review stored date {day!r}"))
            for path in ("/api/observations", "/api/posture/ML", f"/api/claims/{base.claim}"):
                status = base.client.get(path).status_code
                if status >= 500 or status == 404:  # (there is no /api/stats: this read answered 404 every time)
                    problems.append(self._where(base, f"GET {path} answers {status} after the review"))
        return problems


def _database_url(server: str, name: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


def child_main(parser: str, seed: int, start: int, stop: int, kb_size: int, db: str | None,
               both: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("ORBAT_HOME", FUZZ_HOME)
        child = Child(parser, folder, db, both)
        for i in range(start, stop):
            if i > start and i % kb_size == 0 and child.bases[0].store is not None:
                child.new_knowledge_base()
            print(json.dumps({"start": i}), flush=True)
            payload, published = make_input(seed, parser, i)
            try:
                problems = child.run(payload, published, last=(i + 1) % kb_size == 0 or i + 1 == stop)
                print(json.dumps({"done": i, "invalid": problems[:3]}), flush=True)
            except Exception as exc:  # noqa: BLE001 - the finding itself
                where = traceback.extract_tb(exc.__traceback__)[-1]
                print(json.dumps({"done": i, "crash": f"{type(exc).__name__}: {str(exc)[:160]} "
                                  f"({Path(where.filename).name}:{where.lineno})"}), flush=True)
        child.finish()


# --- the parent: batches, watchdog, report ------------------------------------------------------

def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a child has used so far, from /proc: on a busy machine a slow input
    is one that computes for long, not one that waits for a core."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run_parser(parser: str, n: int, seed: int, batch: int, hang: float, findings: dict, wall: float | None = None,
               kb_size: int | None = None, db: str | None = None, progress: int = 0,
               both: bool = False, first: int = 0) -> tuple[int, float, float]:
    """Inputs first … first + n − 1 of one parser in child batches; returns (inputs run, wall seconds, CPU seconds).

    The CPU seconds are the children's (user + system, start-up included), read once each has been
    waited for: on a shared machine they, not the wall time, say what a run costs. Every `progress`
    inputs a line says how far the run is, so that one stopped before its end still has figures.
    """
    started, i, ran, cpu_before = time.monotonic(), first, 0, _children_cpu()
    while i < first + n:
        stop = min(first + n, i + batch)
        command = [sys.executable, __file__, "--child", parser, "--seed", str(seed), "--start", str(i),
                   "--stop", str(stop), "--kb-size", str(kb_size or batch)] + (["--db", db] if db else []) \
            + (["--both"] if both else [])
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                cwd=ROOT)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
        current, since, cpu_at_start = None, time.monotonic(), 0.0
        while True:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                line = ""
            if line == "":  # no news: is the current input past its budget?
                waited = time.monotonic() - since
                spent = _cpu_seconds(proc.pid) - cpu_at_start
                over = (spent > hang or waited > (wall or 10 * hang)) if current is not None else waited > 300
                if not over:
                    continue
                proc.kill()
                proc.wait()
                if current is not None:
                    finding = f"over {hang:g} s ({spent:.1f} s CPU, {waited:.0f} s wall)"
                    findings["hang"][parser].append((current, finding))
                    ran += 1
                i = (current + 1) if current is not None else stop
                break
            if line is None:  # the child ended
                proc.wait()
                if current is not None:  # it died inside an input
                    findings["crash"][parser].append((current, f"child died (exit {proc.returncode})"))
                    ran += 1
                    i = current + 1
                else:
                    i = stop
                break
            message = json.loads(line)
            if "start" in message:
                current, since, cpu_at_start = message["start"], time.monotonic(), _cpu_seconds(proc.pid)
                continue
            current, ran = None, ran + 1
            if message.get("crash"):
                findings["crash"][parser].append((message["done"], message["crash"]))
            elif message.get("invalid"):
                findings["invalid"][parser].append((message["done"], "; ".join(message["invalid"])))
            if progress and ran % progress == 0:
                cpu = _children_cpu() - cpu_before + _cpu_seconds(proc.pid)
                print(f"  {parser}: {ran:,} inputs so far (up to {message['done']:,}), {cpu:.1f} s CPU, "
                      + ", ".join(f"{len(findings[kind][parser])} {kind}" for kind in ("crash", "hang", "invalid")),
                      flush=True)
        if db:  # what a killed child could not drop
            drop_databases(db, proc.pid)
    return ran, time.monotonic() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="inputs per parser (default 1,000)")
    parser.add_argument("--parsers", default=",".join(PARSERS), help=f"comma-separated subset of {PARSERS}")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--first", type=int, default=0, help="the first input's index: a run split in parts (one "
                        "per core) is the same inputs as one run, e.g. --first 0 --n 50000 and --first 50000 --n 50000")
    parser.add_argument("--batch", type=int, help=f"inputs per child process (default {BATCH:,}; a knowledge base "
                        "lives --kb-size inputs of it)")
    parser.add_argument("--hang", type=float, default=5.0, help="seconds without an answer that make a hang")
    parser.add_argument("--wall", type=float, help="wall seconds that also make a hang (default 10 × --hang); raise "
                        "it on a busy machine, where a niced child waits long for a core")
    parser.add_argument("--kb-size", type=int, help="inputs per knowledge base for ingest, exports and reviews "
                        f"(default {KB_SIZE}: a knowledge base's cost grows with each input)")
    parser.add_argument("--db", help="a PostgreSQL server's URL (a role that may create databases): the knowledge "
                        "bases are databases made there, one each, dropped when done; default: SQLite files")
    parser.add_argument("--both", action="store_true", help="with --db: each input also goes into a SQLite "
                        "knowledge base (extracted once, stored in both; reviews post to both)")
    parser.add_argument("--progress", type=int, default=0, help="print the counts so far every this many inputs")
    parser.add_argument("--show", type=int, default=2, help="reproducers printed per kind of finding")
    parser.add_argument("--only", help="replay one input, PARSER:i, or the inputs of one knowledge base, "
                        "PARSER:i-j, in this process and print them")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--stop", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child, args.seed, args.start, args.stop, args.kb_size, args.db, args.both)
        return
    if args.only:
        name, _, span = args.only.partition(":")
        first, _, last = span.partition("-")
        indices = range(int(first), int(last or first) + 1)
        with tempfile.TemporaryDirectory() as folder:
            child = Child(name, folder, args.db, args.both)
            for i in indices:  # a span: the inputs of one knowledge base, as an export finding names them
                payload, published = make_input(args.seed, name, i)
                print(f"input {name}:{i} (seed {args.seed}): {payload!r} published={published!r}")
                print(child.run(payload, published, last=i == indices[-1]))
            child.finish()
        return
    if args.both and not args.db:
        parser.error("--both needs --db (the PostgreSQL server of the second knowledge base)")
    _gazetteer_ready()
    findings: dict = {kind: defaultdict(list) for kind in ("crash", "hang", "invalid")}
    print(f"{'parser':<14} {'inputs':>8} {'seconds':>8} {'cpu s':>8} {'cpu ms/in':>9} {'crashes':>8} "
          f"{'hangs>' + format(args.hang, 'g') + 's':>9} {'invalid':>8}")
    for name in args.parsers.split(","):
        batch = args.batch or BATCH
        kb_size = args.kb_size or KB_SIZE.get(name, batch)
        ran, seconds, cpu = run_parser(name, args.n, args.seed, batch, args.hang, findings, args.wall, kb_size, args.db,
                                       args.progress, args.both, args.first)
        print(f"{name:<14} {ran:>8,} {seconds:>8.0f} {cpu:>8.1f} {cpu * 1000 / max(ran, 1):>9.1f} "
              f"{len(findings['crash'][name]):>8} {len(findings['hang'][name]):>9} "
              f"{len(findings['invalid'][name]):>8}", flush=True)
    for kind in ("crash", "hang", "invalid"):
        for name, items in findings[kind].items():
            keyed = [(i, problem, _kind_of(problem)) for i, reason in items for problem in reason.split("; ")]
            for key, count in Counter(k for _, _, k in keyed).most_common():
                shown = [(i, p) for i, p, k in keyed if k == key][: args.show]
                print(f"{kind} {name} ×{count}: {key}")
                for i, problem in shown:
                    print(f"    --only {name}:{i}  {problem[:150]}")


def _gazetteer_ready() -> None:
    """Build the gazetteer index before any child starts: a child building it would be killed as a
    hang, and the next child would start the build again."""
    from orbat.gazetteer import build_index, is_current
    from orbat.settings import Settings

    os.environ.setdefault("ORBAT_HOME", FUZZ_HOME)  # the children inherit it
    path = Settings().gazetteer_path
    if not is_current(path):
        print(f"building the gazetteer index at {path} first…", flush=True)
        build_index(path)


def _kind_of(problem: str) -> str:
    """A finding without its values, so one cause is counted once ("quantity min … outside … …")."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|-?\d[\d,.:+-]*", "…", problem)[:90]


if __name__ == "__main__":
    main()
