"""Mutation testing of the core modules with mutmut: which small deliberate bugs do the tests miss?

    .venv/bin/python bench/mutation.py                       # every module below
    .venv/bin/python bench/mutation.py quantities spreadsheet --diffs

For each module, mutmut writes hundreds of mutants (a `<` made `<=`, a constant changed, a call's
argument dropped) and runs the tests that reach the mutated function against each one. A mutant
no test fails on *survived*: either a test is missing or the mutant means the same as the
original (equivalent). The script prints, per module, the mutants made, killed and surviving,
the survival rate, and each survivor's name (with `--diffs`, what it changed). docs/testing.md
lists the survivors judged equivalent, with the reason.

Each module runs in its own throw-away copy of the repository (src, tests, examples, docs and
pyproject.toml with a `[tool.mutmut]` section written for that module), so the working tree is
never touched, and with only the tests that exercise it (`TESTS` below). The gazetteer index is
built once and handed to every test session through `ORBAT_TEST_GAZETTEER` (tests/conftest.py).

`relate-certainty` is `relate/certainty.py`: the rules that give each claim its certainty, its
attribution and its evidence source.

Too slow for CI (minutes per module on two cores), so it is a benchmark: it prints figures and
asserts nothing. Exit status 0 unless mutmut itself fails to run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # --root measures another checkout (e.g. an older commit)


@dataclass(frozen=True, slots=True)
class Module:
    path: str
    #: test files or node ids (file::test): only fast tests that assert this module's answers, since
    #: every mutant reruns each test that reaches the mutated function
    tests: tuple[str, ...]
    functions: frozenset[str] = frozenset()  # only these functions' mutants count (empty: all)


MODULES: dict[str, Module] = {
    "quantities": Module("src/orbat/extract/quantities.py", (
        "tests/extract/test_quantities.py", "tests/extract/test_properties.py", "tests/extract/test_phenomena.py")),
    "dates": Module("src/orbat/extract/dates.py", (
        "tests/extract/test_dates.py", "tests/extract/test_date_rules.py", "tests/extract/test_date_bounds.py",
        "tests/extract/test_written_mentions.py", "tests/extract/test_date_nights.py",
        "tests/extract/test_date_ranges.py", "tests/extract/test_date_years.py",
        "tests/extract/test_date_counting.py", "tests/extract/test_date_expressions.py",
        "tests/extract/test_date_forms.py", "tests/extract/test_date_edges.py",
        "tests/extract/test_properties.py::test_a_partial_date_never_gains_a_day")),
    "merge": Module("src/orbat/merge.py", (
        "tests/knowledge/test_merge.py", "tests/knowledge/test_merge_counts.py",
        "tests/knowledge/test_merge_units.py", "tests/knowledge/test_merge_rules.py")),
    "spreadsheet": Module("src/orbat/spreadsheet.py", (
        "tests/export/test_export_rules.py", "tests/knowledge/test_csv_formulas.py")),
    "relate-certainty": Module("src/orbat/relate/certainty.py", (
        "tests/extract/test_certainty_rules.py",
        "tests/extract/test_phenomena.py::test_hedge_scope_differs_per_claim_in_one_sentence",
        "tests/extract/test_phenomena.py::test_sentence_wide_hedges_and_denials",
        "tests/extract/test_phenomena.py::test_attribution_names_the_source",
        "tests/extract/test_relate_structure.py::test_french_conditional_alone_is_a_hedge",
        "tests/extract/test_relate_structure.py::test_evidence_source_names_who_broadcast_or_analysed_the_evidence")),
    "query-filters": Module("src/orbat/query.py", (
        "tests/api/test_filters_match.py", "tests/api/test_read_routes.py"),
        frozenset({"_since", "_until", "_like", "observation_conditions", "country_code"})),
}
COPIED = ("src", "tests", "examples", "docs", "pyproject.toml")
RESULT = re.compile(r"^\s+(?P<name>\S+): (?P<status>.+)$")
FUNCTION = re.compile(r"\.x_(?P<function>\w+?)__mutmut_\d+$|\.xǁ\w+ǁ(?P<method>\w+?)__mutmut_\d+$")


def prepare(module: Module, root: Path, work: Path) -> None:
    """A copy of the repository whose pyproject.toml tells mutmut what to mutate and test.

    Test files the checkout does not have yet are left out, so an older commit can be measured.
    """
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, work / name)
    tests = ", ".join(f'"{t}"' for t in module.tests if (root / t.partition("::")[0]).is_file())
    with (work / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write(f'''
[tool.mutmut]
source_paths = ["src"]
only_mutate = ["{module.path}"]
also_copy = ["examples", "docs"]
pytest_add_cli_args = ["-q", "-p", "no:cacheprovider"]
pytest_add_cli_args_test_selection = [{tests}]
use_git_change_detection = false
''')


def function_of(mutant: str) -> str | None:
    m = FUNCTION.search(mutant)
    return (m.group("function") or m.group("method")) if m else None


def results(work: Path, env: dict[str, str], module: Module) -> dict[str, str]:
    """Mutant name → status ("killed", "survived", "no tests", "timeout", …) for this module."""
    run = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], cwd=work, env=env,
                         capture_output=True, text=True, check=True)
    found = {}
    for line in run.stdout.splitlines():
        m = RESULT.match(line)
        if m and (not module.functions or function_of(m["name"]) in module.functions):
            found[m["name"]] = m["status"].strip()
    return found


def diff(work: Path, env: dict[str, str], mutant: str) -> str:
    run = subprocess.run([sys.executable, "-m", "mutmut", "show", mutant], cwd=work, env=env,
                         capture_output=True, text=True)
    lines = [line for line in run.stdout.splitlines() if line.startswith(("-", "+"))
             and not line.startswith(("---", "+++"))]
    return "\n".join("        " + line for line in lines)


def run_module(name: str, module: Module, root: Path, gazetteer: Path, workers: int,
               show_diffs: bool) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix=f"orbat-mutation-{name}-") as tmp:
        work = Path(tmp)
        prepare(module, root, work)
        env = {**os.environ, "ORBAT_TEST_GAZETTEER": str(gazetteer), "ORBAT_HOME": str(gazetteer.parent)}
        started = time.perf_counter()
        dotted = module.path.removeprefix("src/").removesuffix(".py").replace("/", ".")
        only = [f"{dotted}.x_{f}__mutmut_*" for f in sorted(module.functions)]  # mutmut's name patterns
        run = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(workers), *only],
                             cwd=work, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if run.returncode != 0:
            print(f"{name}: mutmut failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
            return {}
        found = results(work, env, module)
        report(name, module, found, seconds)
        survivors = sorted(k for k, v in found.items() if v != "killed")
        for mutant in survivors:
            print(f"    {found[mutant]:<10} {mutant}")
            if show_diffs:
                print(diff(work, env, mutant))
        return found


def report(name: str, module: Module, found: dict[str, str], seconds: float) -> None:
    total = len(found)
    killed = sum(1 for v in found.values() if v == "killed")
    left = total - killed
    scope = f" (functions: {', '.join(sorted(module.functions))})" if module.functions else ""
    share = f"{100 * left / total:.1f} %" if total else "n/a"
    print(f"\n{name}: {module.path}{scope}\n  {total} mutants, {killed} killed, {left} not killed ({share}) "
          f"in {seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    sys.stdout.reconfigure(line_buffering=True)  # each module's figures appear as soon as they exist
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("modules", nargs="*", metavar="MODULE", help=f"any of {', '.join(MODULES)} (default: all)")
    ap.add_argument("--workers", type=int, default=2, help="mutants tested at once (default 2)")
    ap.add_argument("--diffs", action="store_true", help="print what each surviving mutant changed")
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    args = ap.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        ap.error(f"unknown module(s) {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    sys.path.insert(0, str(args.root.resolve() / "src"))  # the index as the measured checkout builds it
    from orbat.gazetteer import build_index

    with tempfile.TemporaryDirectory(prefix="orbat-mutation-home-") as home:
        gazetteer = Path(home) / "gazetteer.sqlite"
        build_index(gazetteer)
        summary = {}
        for name in args.modules or list(MODULES):
            found = run_module(name, MODULES[name], args.root.resolve(), gazetteer, args.workers, args.diffs)
            summary[name] = (len(found), sum(1 for v in found.values() if v != "killed"))
    print("\nmodule           mutants  not killed")
    for name, (total, left) in summary.items():
        print(f"{name:<16} {total:7d}  {left:4d} ({100 * left / total:.1f} %)" if total else f"{name:<16} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
