#!/usr/bin/env bash
# Journal source benchmark: read throughput with a journalmatch, and follow-mode delivery latency.
#   bench/journal/run.sh [ENTRIES]      (default 1000000; needs systemd-journal-remote, python3, a built
#                                        modules/ips.journal and ips.api in ~/.m2 or target/)
#   env: RUNS (3), FOLLOW_N (500), FOLLOW_MS (10), JAVA_OPTS (-XX:+UseSerialGC -Xmx64m),
#        BULK_DIR (reuse journal files written before instead of writing ENTRIES new ones)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/journal"
N=${1:-1000000}
RUNS=${RUNS:-3}
FOLLOW_N=${FOLLOW_N:-500}
FOLLOW_MS=${FOLLOW_MS:-10}
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xmx64m}
REMOTE=/lib/systemd/systemd-journal-remote
MATCH='_SYSTEMD_UNIT=sshd.service + _COMM=sshd'

API_JAR=$(ls "$ROOT"/modules/ips.api/target/ips.api-*.jar 2>/dev/null | head -1 || true)
[ -n "$API_JAR" ] || API_JAR=$(ls ~/.m2/repository/io/portcullis/ips.api/*/ips.api-*.jar | head -1)
JOURNAL_JAR=$(ls "$ROOT"/modules/ips.journal/target/ips.journal-*.jar | head -1)
bench() {
  "$JAVA_HOME/bin/java" $JAVA_OPTS --enable-native-access=ips.journal \
    -p "$JOURNAL_JAR:$API_JAR" -m ips.journal/ips.journal.bench.JournalBenchmark "$@"
}

WORK=$(mktemp -d /tmp/ips.journal-bench.XXXXXX)
FOLLOWER=
cleanup() { [ -n "$FOLLOWER" ] && kill "$FOLLOWER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/bulk" "$WORK/follow"

echo "load average: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores"
if [ -n "${BULK_DIR:-}" ]; then # reuse journal files a previous run wrote (BULK_DIR=/path run.sh)
  echo "== reusing $BULK_DIR"
  rmdir "$WORK/bulk"; ln -s "$BULK_DIR" "$WORK/bulk"
else
echo "== writing $N entries (1 in 4 from sshd) with systemd-journal-remote"
start=$(date +%s.%N)
python3 "$HERE/export_entries.py" bulk "$N" | "$REMOTE" -o "$WORK/bulk/bench.journal" - 2>/dev/null
# systemd-journal-remote rotates the output at its size limit: read the directory, like a system journal
echo "written in $(echo "$(date +%s.%N) - $start" | bc) s: $(ls "$WORK/bulk" | wc -l) files, $(du -sh "$WORK/bulk" | cut -f1)"
fi

echo "== read throughput, journalmatch '$MATCH'"
bench read --path "$WORK/bulk" --match "$MATCH" --runs "$RUNS"
echo "== libsystemd alone (next + enumerate every field, no Java text), same journalmatch"
bench raw --path "$WORK/bulk" --match "$MATCH" --runs "$RUNS"
echo "== read throughput, no journalmatch"
bench read --path "$WORK/bulk" --runs "$RUNS"

echo "== idle: CPU while waiting 10 s for entries that do not come"
bench idle --path "$WORK/bulk" --match "$MATCH" --timeout-ms 10000

echo "== follow latency: $FOLLOW_N entries appended one every $FOLLOW_MS ms while the source waits"
for run in $(seq 1 "$RUNS"); do
  rm -f "$WORK/follow/"*
  python3 "$HERE/export_entries.py" paced 1 0 | "$REMOTE" -o "$WORK/follow/f.journal" - 2>/dev/null
  bench follow --path "$WORK/follow/f.journal" --match "$MATCH" --count "$FOLLOW_N" --timeout-ms 120000 \
    > "$WORK/follow.out" 2>&1 &
  FOLLOWER=$!
  for _ in $(seq 1 200); do grep -q READY "$WORK/follow.out" && break; sleep 0.05; done
  python3 "$HERE/export_entries.py" paced "$FOLLOW_N" "$FOLLOW_MS" | "$REMOTE" -o "$WORK/follow/f.journal" - 2>/dev/null
  wait "$FOLLOWER" || true
  FOLLOWER=
  echo "run $run:"; grep -v READY "$WORK/follow.out"
done
