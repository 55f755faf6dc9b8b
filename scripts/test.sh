#!/usr/bin/env bash
# The whole test run: system packages if missing (Java for Spark, a PostgreSQL server),
# then lint, types and every test. Called by `make test` and so by CI.
set -euo pipefail
venv="${1:-.venv}"

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "need root to apt-get install $*" >&2
    return 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Spark needs a Java runtime.
if ! command -v java >/dev/null 2>&1; then
  echo "Installing a Java runtime for Spark..."
  apt_install default-jre-headless
fi

# Reports: WeasyPrint draws PDFs with Pango, charts and pages use Liberation/DejaVu fonts,
# and the gallery and PDF tests read pages with poppler (pdftoppm).
if ! ldconfig -p 2>/dev/null | grep -q libpango-1.0; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
fi
if ! fc-list 2>/dev/null | grep -qi "liberation sans"; then
  apt_install fontconfig fonts-liberation fonts-dejavu-core
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
  apt_install poppler-utils
fi

# The dashboard's browser tests drive Debian's Chromium through Playwright (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the dashboard's browser tests..."
  apt_install chromium
fi

# The records store runs its tests on a real PostgreSQL server as well as SQLite.
if [ -z "${PEELSTAT_TEST_POSTGRES_URL:-}" ] && [ -f .ci/postgres.sh ]; then
  PEELSTAT_TEST_POSTGRES_URL="$(bash .ci/postgres.sh | tail -n 1)"
  export PEELSTAT_TEST_POSTGRES_URL
fi

# The measure suite runs through Spark Connect too: a local server from the pyspark wheel,
# stopped when the tests end.
if [ -z "${PEELSTAT_TEST_SPARK_CONNECT_URL:-}" ] && [ -f .ci/spark-connect.sh ]; then
  # stop the server at the end only if this run started it (another run may be using it)
  if ! bash .ci/spark-connect.sh status; then
    trap 'bash .ci/spark-connect.sh stop' EXIT
  fi
  PEELSTAT_TEST_SPARK_CONNECT_URL="$(bash .ci/spark-connect.sh start "$venv" | tail -n 1)"
  export PEELSTAT_TEST_SPARK_CONNECT_URL
fi

"$venv/bin/ruff" check src tests benchmarks scripts
"$venv/bin/ruff" format --check src tests benchmarks scripts
"$venv/bin/mypy"
# two workers: the machine has two cores (each worker builds its own small test warehouses)
"$venv/bin/pytest" --doctest-modules src tests -p no:cacheprovider -n 2 "${@:2}"
