#!/usr/bin/env bash
# File source benchmark (ips.logfile): append -> delivery latency and read throughput.
#   bench/logfile/run.sh [extra LogfileBenchmark options]
# Runs the benchmark RUNS times (default 3), each in a fresh JVM, and prints the medians.
# Needs modules/ips.logfile built (./mvnw -o install -pl modules/ips.logfile) and ips.api in
# modules/ips.api/target or ~/.m2. Same as `portcullis bench-logfile`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-3}
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xmx64m}

API_JAR=$(ls "$ROOT"/modules/ips.api/target/ips.api-*.jar 2>/dev/null | head -1 || true)
[ -n "$API_JAR" ] || API_JAR=$(ls ~/.m2/repository/io/portcullis/ips.api/*/ips.api-*.jar | head -1)
LOGFILE_JAR=$(ls "$ROOT"/modules/ips.logfile/target/ips.logfile-*.jar 2>/dev/null | head -1 || true)
[ -n "$LOGFILE_JAR" ] || LOGFILE_JAR=$(ls ~/.m2/repository/io/portcullis/ips.logfile/*/ips.logfile-*.jar | head -1)

OUT=$(mktemp /tmp/ips.logfile-bench.XXXXXX)
trap 'rm -f "$OUT"' EXIT

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores; JAVA_OPTS=$JAVA_OPTS"
for run in $(seq 1 "$RUNS"); do
  echo "== run $run"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $JAVA_OPTS -p "$LOGFILE_JAR:$API_JAR" \
    -m ips.logfile/ips.logfile.bench.LogfileBenchmark "$@" | tee -a "$OUT"
done

median() { sort -g | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]}'; }
field() { grep "^latency" "$OUT" | sed -n "s/.* $1=\([0-9.]*\)us.*/\1/p" | median; }
echo "== median of $RUNS runs"
if grep -q "^latency" "$OUT"; then
  echo "latency p50=$(field p50)us p99=$(field p99)us p99.9=$(field p99.9)us"
fi
if grep -q "^throughput median" "$OUT"; then
  echo "throughput $(grep '^throughput median' "$OUT" | sed 's/.*: \([0-9]*\) lines.*/\1/' | median) lines/s"
fi
