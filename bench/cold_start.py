"""Cold start: what one new `orbat` process costs before and while it reads one small file.

    .venv/bin/python bench/cold_start.py [--runs 5] [--phases]

Times the real command as a new process, one untimed warm-up then --runs timed runs each, and
prints the median wall and CPU seconds (user + system of the child; CPU is the figure to read on
a shared machine, where wall time also counts the waits for a core) and whether the run loaded
spaCy:

- `orbat --help`: the command line alone;
- `orbat extract` on a note with no sentence for the parser or the name recogniser (spaCy is
  never imported);
- `orbat extract` on the median-sized English test report (the file `extract_speed.py` times);
- `orbat extract` on a French real-world report (the French pipeline loads slower).

`--phases` also prints, in one fresh process, the CPU seconds of each step of the English run:
imports, catalogs, lexicon, `import spacy`, loading the pipeline, the extraction itself. The
target (issue 8) is ≤ 1.5 s for `orbat extract` on one file. It asserts nothing.

The timed processes get this process's environment (set PYTHONPATH=src to time a checkout
rather than the installed copy: the first line says which orbat ran), except that Python may
write bytecode, as an installed orbat has it; the warm-up run leaves the files that a user's
second run would find (the regular expressions and lexicon under ORBAT_HOME, `__pycache__`).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from extract_speed import median_report  # noqa: E402  (the same English file as extract_speed)

QUIET_NOTE = "Notes from the morning meeting.\n\nNothing to report today; the next review is on Monday.\n"
FRENCH = ROOT / "tests" / "realworld" / "fr" / "afghanistan-kapisa-transfert-2012-07-04.md"
# `python -m orbat ARGS`, saying on the way out whether spaCy was imported
RUN_ORBAT = ("import atexit, runpy, sys\n"
             "atexit.register(lambda: sys.stderr.write(f\"SPACY-LOADED={int('spacy' in sys.modules)}\\n\"))\n"
             "sys.argv = ['orbat', *sys.argv[1:]]\n"
             "runpy.run_module('orbat', run_name='__main__')\n")
PHASES = """
import sys, time
clock = time.process_time
marks = [("python start-up", clock())]
import contextlib
import orbat.cli
from orbat.settings import default_home
try:  # as `orbat extract` does (a checkout from before `orbat.compiled`: nothing)
    from orbat import compiled
    kept = compiled.kept(default_home() / compiled.EXTRACT_FILE)
except ImportError:
    kept = contextlib.nullcontext()
kept.__enter__()
import orbat.pipeline
marks.append(("import orbat", clock()))
from orbat.catalog import load_catalogs
load_catalogs(); marks.append(("catalogs", clock()))
from orbat.extract.lexicon import default_lexicon
default_lexicon(); marks.append(("lexicon", clock()))
from orbat.relate import pipelines, syntax
pipelines._import_spacy()  # as orbat imports it: without spaCy's command-line tools
marks.append(("import spacy", clock()))
syntax.load_pipeline("en"); marks.append(("load en pipeline", clock()))
from orbat.model import SourceDocument
from orbat.settings import Settings
path = sys.argv[1]
orbat.pipeline.extract_source(SourceDocument(open(path, "rb").read(), "text/plain", path), Settings())
kept.__exit__(None, None, None)
marks.append(("extract the file", clock()))
last = 0.0
for label, at in marks:
    print(f"  {label:20} {at - last:6.3f} s CPU")
    last = at
print(f"  {'total':20} {last:6.3f} s CPU")
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def child_env() -> dict[str, str]:
    """The environment of the timed processes: this one's (PYTHONPATH, ORBAT_HOME…), except that
    Python may keep the bytecode of the modules it compiles (`__pycache__`), as it does for an
    installed orbat: with PYTHONDONTWRITEBYTECODE set, every run would compile orbat's own modules
    from source again (~0.15 s of CPU), which no installed copy does."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def orbat_source() -> str:
    """Where the timed processes import orbat from (a worktree's src/ via PYTHONPATH, or the install)."""
    done = subprocess.run([sys.executable, "-c", "import orbat; print(orbat.__file__)"], capture_output=True,
                          text=True, env=child_env())
    return done.stdout.strip() or done.stderr.strip()[-300:]


def timed(command: list[str], runs: int) -> tuple[float, float, bool]:
    """Median wall and CPU seconds over `runs` timed runs after one warm-up, and whether spaCy loaded."""
    walls, cpus = [], []
    for attempt in range(runs + 1):
        started, cpu_started = time.perf_counter(), children_cpu()
        done = subprocess.run([sys.executable, "-c", RUN_ORBAT, *command], capture_output=True, env=child_env())
        wall, cpu = time.perf_counter() - started, children_cpu() - cpu_started
        if done.returncode != 0:
            sys.exit(f"`orbat {' '.join(command)}` failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
        spacy = b"SPACY-LOADED=1" in done.stderr
        if attempt:
            walls.append(wall)
            cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus), spacy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command after one warm-up (default 5)")
    parser.add_argument("--phases", action="store_true", help="also split one English run into its steps")
    args = parser.parse_args()
    report = median_report()
    with tempfile.TemporaryDirectory() as tmp:
        quiet = Path(tmp) / "note.txt"
        quiet.write_text(QUIET_NOTE, encoding="utf-8")
        cases = [
            ("orbat --help", ["--help"]),
            ("orbat extract, nothing to parse", ["extract", str(quiet), "--format", "json"]),
            (f"orbat extract {report.name}", ["extract", str(report), "--format", "json"]),
            (f"orbat extract {FRENCH.name}", ["extract", str(FRENCH), "--format", "json"]),
        ]
        print(f"orbat from {orbat_source()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'command':62} {'wall s':>7} {'CPU s':>6}  spaCy")
        for label, command in cases:
            wall, cpu, spacy = timed(command, args.runs)
            print(f"{label:62} {wall:>7.2f} {cpu:>6.2f}  {'loaded' if spacy else 'not imported'}")
    if args.phases:
        print(f"steps of `orbat extract {report.name}` in one process:")
        done = subprocess.run([sys.executable, "-c", PHASES, str(report)], capture_output=True, text=True,
                              env=child_env())
        print(done.stdout.rstrip() or done.stderr[-2000:])


if __name__ == "__main__":
    main()
