#!/usr/bin/env bash
# The demo command (README: `bash scripts/demo.sh`): install orbat and run the main job on the
# bundled example reports, in an embedded SQLite database. Nothing else to install.
#
# 1. Python: .venv with Python 3.11 and the pinned runtime dependencies.
# 2. Ingest examples/ (25 short reports, four in French) into ./orbat.db.
# 3. Print what is where in Mali (`orbat posture ML`) and the database totals.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
if [ ! -x "$VENV/bin/python" ]; then
    PYTHON=${PYTHON:-python3.11}
    command -v "$PYTHON" >/dev/null || PYTHON=python3
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .

DB=${ORBAT_DB:-orbat.db}
"$VENV/bin/orbat" ingest examples --db "$DB"
"$VENV/bin/orbat" posture ML --db "$DB"
"$VENV/bin/orbat" brief ML --since 2024-10-01 --format html -o mali-brief.html --db "$DB"
"$VENV/bin/orbat" stats --db "$DB"
