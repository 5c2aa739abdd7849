#!/usr/bin/env bash
# The one test command (README: `bash scripts/test.sh`): set up what the tests need, run them all.
#
# 1. Python: .venv with Python 3.11 and the pinned dependencies from pyproject.toml ([test] extra).
# 2. PostgreSQL: the storage tests start their own throw-away server, so only the server binaries
#    (initdb, pg_ctl) are needed; Debian's `postgresql` package is installed if they are missing.
# 3. Spark's tests: Debian's Java 17 runtime; pyspark's wheel is built once and cached in .cache/.
# 4. The web page's tests: Debian's `chromium` (driven by Playwright for Python; `playwright install`
#    is never run, nothing is downloaded) and the page's npm libraries (`npm ci` from package-lock.json).
# 5. pytest over the whole suite; extra arguments are passed through (`bash scripts/test.sh -k store`).
# The exit status is pytest's.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# --- 1. Python environment -------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    PYTHON=${PYTHON:-python3.11}
    if ! command -v "$PYTHON" >/dev/null; then
        if python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            PYTHON=python3
        else
            echo "test.sh: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2
            exit 2
        fi
    fi
    "$PYTHON" -m venv "$VENV"
fi
# pyspark is published only as a 456 MB source package; build its wheel once and keep it in the
# git-ignored .cache/wheels/ so later runs install in seconds instead of rebuilding it.
WHEELS=.cache/wheels
PYSPARK=$(grep '^pyspark==' constraints.txt | cut -d= -f3)
if ! compgen -G "$WHEELS/pyspark-$PYSPARK-*.whl" >/dev/null; then
    mkdir -p "$WHEELS"
    "$VENV/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps "pyspark==$PYSPARK" -w "$WHEELS"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt --find-links "$WHEELS" \
    -e '.[test]'

# --- 2. PostgreSQL server binaries -------------------------------------------------------------
have_postgres() {
    { command -v pg_ctl && command -v initdb; } >/dev/null 2>&1 && return 0
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
if ! have_postgres; then
    echo "test.sh: installing PostgreSQL (Debian package) for the storage tests" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
fi
# PostgreSQL will not run as root; the test fixture runs it as `postgres` (the package creates it).
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
fi

# --- 2b. Java for Spark (orbat batch runs in local mode in the tests) ---------------------------
if ! command -v java >/dev/null; then
    echo "test.sh: installing Java 17 (Debian package openjdk-17-jre-headless) for the Spark tests" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jre-headless
fi

# --- 2c. pdftoppm for the brief's page-rendering test --------------------------------------------
if ! command -v pdftoppm >/dev/null; then
    echo "test.sh: installing poppler-utils (Debian package) for the brief page test" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends poppler-utils
fi

# --- 3. Headless Chromium and the page's libraries --------------------------------------------
if [ ! -x /usr/bin/chromium ]; then
    echo "test.sh: installing Chromium (Debian package) for the web page tests" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    if ! command -v npm >/dev/null; then
        echo "test.sh: installing Node.js and npm (Debian packages) for the web page's libraries" >&2
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm
    fi
    npm ci --no-audit --no-fund
    touch node_modules
fi

# --- 4. The suite ------------------------------------------------------------------------------
# With no arguments (CI, a newcomer) the suite runs on every core, a test file per worker so each
# file's fixtures (a Spark job, a served database, a rendered brief) are built once.
if [ $# -eq 0 ]; then
    set -- -n auto --dist loadfile
fi
exec "$VENV/bin/python" -m pytest "$@"
