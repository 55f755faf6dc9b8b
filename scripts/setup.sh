#!/usr/bin/env bash
# Create the project's own virtual environment and install peelstat with every extra it tests.
set -euo pipefail
venv="${1:-.venv}"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e ".[dev,spark,postgres,reports,pdf,web]"
echo "peelstat installed in $venv"
