"""Batch extraction throughput: the CLI in one process against Spark local[1] and local[2], and
`orbat batch load` into PostgreSQL, on the same repeated corpus in one run.

    .venv/bin/python bench/batch_speed.py [--docs 100000] [--pg postgresql://…/scratch] [--keep DIR]
    .venv/bin/python bench/batch_speed.py --load-only DIR [--docs 100000] [--pg …]

The corpus is our own example reports (`tests/corpus/*.txt`) repeated with a distinct suffix per
copy, so every copy is a new document. It prints documents/s for each way, the ratios the Spark
issue sets (local[2] / local[1] ≥ 1.6, local[1] / CLI ≥ 0.7), peak resident memory of the
driver (JVM + Python driver) and of the Python workers, and the projection to documents per day
per core. Spark times include session start; a second figure excludes it. Without `--pg` a
throw-away PostgreSQL server is started from Debian's binaries (as the tests do). It asserts
nothing.

`--keep DIR` runs in DIR and leaves the corpus and the `local[2]` output (`DIR/out2`) there;
`--load-only DIR` then times only `orbat batch load` of `DIR/out2` into a fresh PostgreSQL (the
100,000-document extraction costs some 20 minutes of two cores; the load under a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from batch_load import server_cpu  # bench/ is the script's folder, first on sys.path

ROOT = Path(__file__).resolve().parents[1]
ORBAT = [sys.executable, "-m", "orbat"]


def corpus(path: Path, docs: int) -> int:
    reports = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "tests" / "corpus").glob("*.txt"))]
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for n in range(docs):
            name, text = reports[n % len(reports)]
            body = f"{text}\n\n(Copy {n} for the batch benchmark.)"
            words += len(body.split())
            handle.write(json.dumps({"id": f"{name}-{n}", "text": body, "published": "2025-01-21"}) + "\n")
    return words


TICKS = os.sysconf("SC_CLK_TCK")


class TreeMemory:
    """Peak resident memory of a process tree, split into Java and Python processes (from /proc),
    and the CPU seconds each process of the tree used (last sample: a process that ends between
    two samples loses at most 0.2 s)."""

    def __init__(self, root_pid: int):
        self.root, self.peak_java, self.peak_python_driver, self.peak_workers = root_pid, 0, 0, 0
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (java | driver | worker, CPU seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            java = workers = driver = 0
            for pid, name, rss in self._tree():
                kind = "java" if name == "java" else "driver" if pid == self.root else "worker"
                seconds = _cpu_seconds(pid)
                if seconds is not None:
                    self.cpu[pid] = (kind, seconds)
                if name == "java":
                    java += rss
                elif pid == self.root:
                    driver = rss
                else:
                    workers += rss
            self.peak_java = max(self.peak_java, java)
            self.peak_python_driver = max(self.peak_python_driver, driver)
            self.peak_workers = max(self.peak_workers, workers)

    def _tree(self) -> list[tuple[int, str, int]]:
        parents, info = {}, {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            pid = int(entry.name)
            parents[pid] = int(fields.get("PPid", "0").strip())
            rss = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024 if "VmRSS" in fields else 0
            info[pid] = (fields.get("Name", "").strip(), rss)
        members, frontier = {self.root}, [self.root]
        while frontier:
            parent = frontier.pop()
            for pid, ppid in parents.items():
                if ppid == parent and pid not in members:
                    members.add(pid)
                    frontier.append(pid)
        return [(pid, *info[pid]) for pid in members if pid in info]

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_line(self) -> str:
        """CPU seconds of the JVM, the Python driver and the Python workers (each worker over 1 s)."""
        total = {"java": 0.0, "driver": 0.0, "worker": 0.0}
        for kind, seconds in self.cpu.values():
            total[kind] += seconds
        busy = sorted((s for k, s in self.cpu.values() if k == "worker" and s > 1.0), reverse=True)
        return (f"CPU: JVM {total['java']:.1f} s, driver {total['driver']:.1f} s, Python workers "
                f"{total['worker']:.1f} s (busy workers: {', '.join(f'{s:.1f}' for s in busy) or 'none'})")


def _cpu_seconds(pid: int) -> float | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def timed(args: list[str], env: dict | None = None) -> tuple[float, TreeMemory, str]:
    started = time.monotonic()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    memory = TreeMemory(process.pid)
    out, err = process.communicate()
    memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args[2:5])} failed:\n{err[-2000:]}")
    return time.monotonic() - started, memory, out + err


def spark_start_seconds() -> float:
    code = ("import time,os,sys; os.environ.setdefault('PYSPARK_PYTHON', sys.executable); t=time.monotonic();"
            "from pyspark.sql import SparkSession; s=SparkSession.builder.master('local[1]')"
            ".config('spark.ui.enabled','false').getOrCreate(); print(time.monotonic()-t); s.stop()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return float(run.stdout.strip().splitlines()[-1])


def start_postgres(root: Path) -> tuple[str, callable]:
    bindir = Path(shutil.which("pg_ctl")).parent if shutil.which("pg_ctl") else \
        sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(root / "data"), "-U", "postgres", "--auth=trust",
                    "--no-sync"], check=True, capture_output=True)
    port = 25432 + os.getpid() % 1000
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"), "-w", "-o",
                    f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off", "start"],
                   check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop"],
                       capture_output=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


def timed_load(out: Path, pg: str | None, docs: int) -> None:
    """`orbat batch load OUT` into `pg`, or into a throw-away server started for it, timed."""
    stop = None
    scratch = None
    if pg is None:
        scratch = Path(tempfile.mkdtemp(prefix="orbat-batch-pg-"))
        os.chmod(scratch, 0o755)
        pg, stop = start_postgres(scratch / "pg")
    try:
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        postmaster = int((scratch / "pg" / "data" / "postmaster.pid").read_text().split()[0]) if scratch else None
        server_before = server_cpu(postmaster) if postmaster else 0.0
        seconds, memory, _out = timed([*ORBAT, "batch", "load", str(out), "--db", pg])
        server = f"server {server_cpu(postmaster) - server_before:.1f} s CPU" if postmaster else \
            "the server's CPU is not counted"
        client = {kind: sum(s for k, s in memory.cpu.values() if k == kind) for kind in ("driver", "worker")}
        print(f"batch load -> PostgreSQL: {docs / seconds:8.1f} docs/s  ({seconds:.1f} s, "
              f"including the observation index refresh; client {client['driver']:.1f} s CPU "
              f"+ {client['worker']:.1f} s in its refresh helper; {server})")
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if stop:
            stop()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--pg", help="an empty scratch PostgreSQL database (default: start one)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR (created) and keep the corpus and DIR/out2 for --load-only")
    parser.add_argument("--load-only", type=Path, metavar="DIR",
                        help="only time `batch load` of DIR/out2 (made by --keep) into a fresh PostgreSQL")
    args = parser.parse_args()
    if args.load_only:
        timed_load(args.load_only / "out2", args.pg, args.docs)
        return
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="orbat-batch-bench-"))
    os.chmod(work, 0o755)
    try:
        source = work / "corpus.jsonl"
        words = corpus(source, args.docs)
        print(f"corpus: {args.docs} documents, {words} words")
        cli_s, cli_mem, _ = timed([*ORBAT, "extract", str(source), "--format", "jsonl"])
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"CLI, one process:  {args.docs / cli_s:8.1f} docs/s  ({cli_s:.1f} s, peak "
              f"{cli_mem.peak_python_driver / 2**20:.0f} MB; {cli_mem.cpu_line().split(',')[1].strip()} CPU)")
        start = spark_start_seconds()
        rates = {}
        for cores in (1, 2):
            seconds, memory, _ = timed([*ORBAT, "batch", "extract", str(source), "--out", str(work / f"out{cores}"),
                                        "--master", f"local[{cores}]", "--partitions", str(4 * cores)])
            rates[cores] = args.docs / seconds
            print(f"Spark local[{cores}]:   {rates[cores]:8.1f} docs/s  ({seconds:.1f} s; "
                  f"{args.docs / max(seconds - start, 1e-6):.1f} docs/s without the {start:.1f} s session start)  "
                  f"peak: JVM {memory.peak_java / 2**20:.0f} MB, driver {memory.peak_python_driver / 2**20:.0f} MB, "
                  f"Python workers {memory.peak_workers / 2**20:.0f} MB in all")
            print(f"    {memory.cpu_line()}")
        timed_load(work / "out2", args.pg, args.docs)
        print(f"ratio local[2]/local[1] = {rates[2] / rates[1]:.2f} (target >= 1.6)")
        print(f"ratio local[1]/CLI      = {rates[1] / (args.docs / cli_s):.2f} (target >= 0.7)")
        print(f"projection: {rates[1] * 86400:,.0f} documents per day per core (local[1] rate)")
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
