#!/usr/bin/env bash
# Start (or stop) a throwaway Spark Connect server for the measure suite, and print its URL.
#
# Everything comes from PyPI: the server is the one shipped inside the `pyspark` wheel
# (jars/spark-connect_*.jar, started with bin/spark-submit as the Spark distribution's
# sbin/start-connect-server.sh does); it needs a Java runtime (scripts/test.sh installs one).
# It listens on 127.0.0.1 only (port 15002 or the next free one), runs Spark in local[2] mode
# with its scratch files in a temp dir, and the last line on stdout is `sc://127.0.0.1:PORT`.
# Idempotent: a second `start` reuses the running server.
# `status` exits 0 when a server is running (so a caller stops only a server it started).
# Usage: export PEELSTAT_TEST_SPARK_CONNECT_URL="$(.ci/spark-connect.sh start .venv | tail -n 1)"
#        .ci/spark-connect.sh stop
set -euo pipefail

ACTION="${1:-start}"
VENV="${2:-.venv}"
PORT="${PEELSTAT_SPARK_CONNECT_PORT:-15002}"
DIR="${PEELSTAT_SPARK_CONNECT_DIR:-${TMPDIR:-/tmp}/peelstat-spark-connect}"

log() { echo "spark-connect.sh: $*" >&2; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running() { [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; }

if [ "$ACTION" = status ]; then
    running
    exit $?
fi

if [ "$ACTION" = stop ]; then
    if running; then
        log "stopping the server (process group $(cat "$DIR/pid"))"
        kill -- "-$(cat "$DIR/pid")" 2>/dev/null || kill "$(cat "$DIR/pid")"
        for _ in $(seq 30); do running || break; sleep 1; done
    fi
    rm -f "$DIR/pid"
    exit 0
fi

mkdir -p "$DIR"
if running; then
    PORT="$(cat "$DIR/port")"
    log "server already running on port $PORT"
    echo "sc://127.0.0.1:$PORT"
    exit 0
fi

SPARK_HOME="$("$VENV/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME
ls "$SPARK_HOME"/jars/spark-connect_*.jar >/dev/null || { log "no Spark Connect jar in $SPARK_HOME/jars"; exit 1; }
while port_in_use "$PORT"; do PORT=$((PORT + 1)); done
echo "$PORT" > "$DIR/port"
log "starting Spark Connect (from $SPARK_HOME) on 127.0.0.1:$PORT; log in $DIR/server.log"
(
    cd "$DIR"
    exec setsid "$SPARK_HOME/bin/spark-submit" \
        --class org.apache.spark.sql.connect.service.SparkConnectServer \
        --name "peelstat test Spark Connect server" \
        --master "local[2]" \
        --driver-memory 1g \
        --conf spark.connect.grpc.binding.address=127.0.0.1 \
        --conf "spark.connect.grpc.binding.port=$PORT" \
        --conf spark.driver.host=127.0.0.1 \
        --conf spark.driver.bindAddress=127.0.0.1 \
        --conf spark.ui.enabled=false \
        --conf spark.sql.shuffle.partitions=4 \
        --conf spark.sql.session.timeZone=UTC \
        --conf "spark.sql.warehouse.dir=$DIR/spark-warehouse" \
        --conf "spark.driver.extraJavaOptions=-Dderby.system.home=$DIR" \
        spark-internal
) > "$DIR/server.log" 2>&1 &
echo $! > "$DIR/pid"

for _ in $(seq 120); do
    if grep -q "Spark Connect server started" "$DIR/server.log" 2>/dev/null; then
        log "server up; stop it with: .ci/spark-connect.sh stop"
        echo "sc://127.0.0.1:$PORT"
        exit 0
    fi
    running || { log "the server exited:"; tail -n 30 "$DIR/server.log" >&2; exit 1; }
    sleep 1
done
log "the server did not start within 120 s:"; tail -n 30 "$DIR/server.log" >&2
bash "$0" stop
exit 1
