#!/bin/sh
# ips.engine benchmark: failures/s through JailEngine.onFailure, and VmRSS while N distinct
# addresses each fail once under a fixed tracker ceiling. Medians of --runs (default 3).
#   bench/engine/run.sh [--runs N] [--failures N] [--flood N] [--ceiling N] [--skip-memory] [--skip-throughput]
# Builds ips.engine (offline) unless SKIP_BUILD=1.
set -eu
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
case "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" in
  *'"25'*) ;;
  *) JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ;;
esac
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B -o install -DskipTests -pl modules/ips.engine
fi
API="$HOME/.m2/repository/io/portcullis/ips.api/0.1.0-SNAPSHOT/ips.api-0.1.0-SNAPSHOT.jar"
MP="modules/ips.engine/target/classes:$API"
echo "# $(date -u +%FT%TZ) $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
# A fixed heap, so RSS is bounded by the heap and the tracker's ceiling bounds the live data in it.
exec "$JAVA_HOME/bin/java" -Xms192m -Xmx192m -XX:+UseSerialGC \
  -p "$MP" -m ips.engine/ips.engine.bench.EngineBenchmark "$@"
