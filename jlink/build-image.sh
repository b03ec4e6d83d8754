#!/usr/bin/env bash
# Links the Linux runtime image: our modules + the Linux backends + only the JDK modules they
# need; replaces jlink's launcher with one that finds the image through symlinks and uses the
# JDK 25 AOT cache trained at build time.
# Usage: build-image.sh JAVA_HOME MODS_DIR IMAGE_DIR
set -euo pipefail
java_home=$1 mods=$2 image=$3
here=$(cd "$(dirname "$0")" && pwd)

# Which modules go in: the app, and the backends this platform links (found with ServiceLoader).
app_modules=ips.app,ips.logfile,ips.journal,ips.nftables
native_modules=ips.nftables,ips.journal

# JVM options embedded in the image (bin/java reads them from lib/modules). Measured with
# bench/startup/run.sh; see the comments for why each is there (or is not):
# - No --illegal-native-access=deny: it sets the internal property jdk.module.illegal.native.access,
#   which JDK 25's AOT cache cannot archive, so the whole cache lost "optimized module handling",
#   the archived module graph and the AOT-linked classes (-Xlog:aot: "full module graph:
#   disabled", "Using AOT-linked classes: false"). Only ips.nftables and ips.journal are granted
#   native access; any other module's restricted call still warns on stderr (the JDK 25 default),
#   and the ArchUnit gate keeps java.lang.foreign out of the other modules.
# - TieredStopAtLevel=1: the C1 compiler only, no C2 (tenth session, A/B against the same build
#   with both compilers, same minutes): start -> READY=1 251 vs 290 ms, idle RSS 53.0 vs 56.0 MB
#   (5+5), JIT CPU in the first 10 s 710 vs 1500 ms; the bench's burst of 1000 attackers, last ban
#   56 vs 62 ms (8+8; daemon CPU for the burst 0.04 vs 0.08 s: C2 otherwise compiles the ban path
#   during the burst, 50-70 ms of CPU on a 2-core host); latency p99 3.0/2.3 vs 3.1/4.2 ms.
#   The price is steady-state CPU under a flood: at 400k lines/s it keeps up (drain 0 s, sentinel
#   p50 6.6 ms, p99 7.6 ms) with 56 % CPU against 36 %. A host whose logs grow faster than that
#   can have C2 back with JDK_JAVA_OPTIONS=-XX:TieredStopAtLevel=4 (it is read after these).
#   In the third session C1 alone fell behind at 400k lines/s; the matcher and reader have been
#   rewritten since.
# - SerialGC, small initial heap and thread stacks, no hsperfdata file.
# - -Xmn1536k: a young generation of 1.5 MB instead of the 2.7 MB -Xms8m gives (NewRatio=2).
#   SerialGC keeps the young generation committed and every page of eden gets touched, so its
#   size is idle RSS; live data at idle is ~4.4 MB, almost all in the old generation (mostly the
#   AOT cache's archived objects: interned strings, class mirrors), so a full GC after the warm-up
#   gives nothing back (measured: System.gc() after the warm-up, even with MinHeapSize=2m and
#   -ShrinkHeapInSteps, left RSS unchanged). Idle RSS -0.5..-1.6 MB (three A/B batches of 8+8
#   runs, load < 0.7; the rebuilt image: 54.7 vs 55.2 MB), ready time unchanged (305 vs 302 ms, 289 vs
#   284 ms); -Xmn1m gave no more (-0.7 MB in its batch) and more start-up young GCs (ready +40 ms
#   at load ~1.8). -Xmn also caps the young generation (MaxNewSize): under a flood the young GCs
#   are more frequent (not measured under a flood); the old generation still grows as needed.
# - TrimNativeHeapInterval: returns freed malloc memory (the JIT compilers' arena chunks, ~10-19 MB
#   after start-up) to the kernel every 2 s, instead of glibc keeping it.
# - ThreadPriorityPolicy=1, CompilerThreadPriority=10: the JIT compiler threads at nice 10, every
#   other thread (VMThreadPriority, JavaPriorityN_To_OSPriority) at nice 0, as without the policy.
#   At start-up the JIT otherwise takes as much CPU as the main thread (C1+C2 ~25% of the
#   process's samples against ~20% for main) and delays READY=1: on a loaded 2-core host ready
#   went ~650 -> ~530 ms (-Xint, for comparison: ~480 ms). Once the daemon idles the compilers get
#   the CPU they need; the warm-up still compiles the matchers right after start. The launcher
#   restates these relative to the process's niceness when it is not 0 (portcullis.sh).
#   ThreadPriorityPolicy=1 given here (not on the command line) raises no warning for non-root.
# - CompileThresholdScaling=10: C1 compiles a method after 10x the usual calls and loop turns
#   (eleventh session, same image with and without, alternated): idle RSS 51.8 vs 52.7-52.8 MB
#   (6+6 twice; every run lower), C1 CPU in the first 10 s 150-160 vs 235 ms, READY=1 235/245 vs
#   271/254 ms (within noise). Most of what C1 compiled at start was start-up-only code (config
#   parsing, java.lang.classfile spinning FFM's and method handles' classes: one such method took
#   a 6.7 MB compiler arena), compiled while the main and firewall threads needed both cores, and
#   kept in the code cache. The ban path is unaffected: the warm-up runs it thousands of times
#   (burst of 1000 last ban median 50 vs 52 ms, 6+6; latency p99 2.4-2.9 vs 3.2-7.3 ms, 3+3;
#   400k lines/s kept up, sentinel p50 6.3 ms). test-filter, a batch run whose loops want compiled
#   code at once, restores 1 (portcullis.sh): with 10 it took 0.90 instead of 0.84 s for 1M lines.
#   30 gave 0.3 MB less again but nothing else; not taken. Not for ips.journal (CompileCommand; quiet
#   keeps the JVM from echoing it on stdout): a journal source reads a backlog in a few long loops,
#   which at ten times the thresholds ran interpreted (bench/journal/run.sh with the journalmatch,
#   same minutes: 136k entries/s against 249k; with the exception 232k, the target being 200k).
#   The file source is unaffected (bench/logfile/run.sh 6.87M vs 6.90M lines/s).
jvm_options="--enable-native-access=$native_modules -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10
  -XX:CompileCommand=quiet -XX:CompileCommand=CompileThresholdScaling,ips.journal.*::*,1.0
  -XX:+UseSerialGC -Xms8m -Xmn1536k -Xss512k -XX:-UsePerfData
  -XX:TrimNativeHeapInterval=2000
  -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=10 -XX:VMThreadPriority=0
  -XX:JavaPriority1_To_OSPriority=0 -XX:JavaPriority2_To_OSPriority=0 -XX:JavaPriority3_To_OSPriority=0
  -XX:JavaPriority4_To_OSPriority=0 -XX:JavaPriority5_To_OSPriority=0 -XX:JavaPriority6_To_OSPriority=0
  -XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0 -XX:JavaPriority9_To_OSPriority=0
  -XX:JavaPriority10_To_OSPriority=0"

rm -rf "$image"
"$java_home/bin/jlink" \
  --module-path "$mods" \
  --add-modules "$app_modules" \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --add-options="$(echo $jvm_options)" \
  --output "$image"

install -m 0755 "$here/portcullis.sh" "$image/bin/portcullis"

# Train the AOT cache on a representative start (loads and links the classes a start needs).
if [ -x "$here/train.sh" ]; then
  "$here/train.sh" "$image" || echo "build-image: AOT training failed; the image runs without a cache" >&2
fi
if [ -x "$here/train-test-filter.sh" ]; then
  "$here/train-test-filter.sh" "$image" || echo "build-image: test-filter's AOT training failed; it uses the daemon's cache" >&2
fi
du -sh "$image" | awk '{print "build-image: image size " $1}'
