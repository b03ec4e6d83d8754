#!/bin/sh
# The idle RSS floor of a JVM daemon on the image's own runtime and options, beside the daemon's:
# bench/startup/floor/Floor.java started with the image's bin/java, VmRSS IDLE s after READY.
#   idle            a JVM that prints READY and sleeps
#   ffm             plus one FFM downcall linked (a netlink socket opened with it), a
#                   WatchService and a Unix socket listening: what no Portcullis can do without
#   ffm+aot         the same with an AOT cache trained on it, mapped as the launcher maps ours
# then the daemon itself (run.sh, 1 run). Needs root (the daemon's run), JAVA_HOME with javac.
#   sh bench/startup/floor.sh [RUNS=3] [IDLE_S=10]
set -e
here=$(cd "$(dirname "$0")" && pwd)
image=${PORTCULLIS_IMAGE:-$here/../../jlink/target/image}
runs=${1:-3}
idle=${2:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
"${JAVA_HOME:?JAVA_HOME must point at a JDK 25}/bin/javac" -d "$work" "$here/floor/Floor.java"
(cd "$work" && "$JAVA_HOME/bin/jar" cf floor.jar Floor.class)
java="$image/bin/java --enable-native-access=ALL-UNNAMED -cp $work/floor.jar"
$java -Dfloor.idle.ms=100 -XX:AOTMode=record -XX:AOTConfiguration="$work/floor.conf" Floor ffm "$work" >/dev/null
$java -XX:AOTMode=create -XX:AOTConfiguration="$work/floor.conf" -XX:AOTCache="$work/floor.aot" Floor ffm "$work" >/dev/null 2>&1
rss() { # label, then java options and arguments: median VmRSS in MiB over $runs
  label=$1; shift
  all=
  i=0
  while [ $i -lt "$runs" ]; do
    # shellcheck disable=SC2086
    $java "$@" > "$work/out" 2>&1 &
    pid=$!
    n=0
    until grep -q READY "$work/out"; do n=$((n + 1)); [ $n -gt 300 ] && { cat "$work/out"; exit 1; }; sleep 0.05; done
    sleep "$idle"
    all="$all $(awk '/^VmRSS/{printf "%.1f", $2 / 1024}' /proc/$pid/status)"
    kill $pid; wait $pid 2>/dev/null || true
    i=$((i + 1))
  done
  med=$(printf '%s\n' $all | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}')
  printf '%-8s idle RSS median %s MiB (%s)\n' "$label" "$med" "${all# }"
}
rss idle Floor
rss ffm Floor ffm "$work"
rss ffm+aot -XX:AOTCache="$work/floor.aot" -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 Floor ffm "$work"
sh "$here/run.sh" "$runs" "$idle" | tail -1 | sed 's/^/daemon   /'
