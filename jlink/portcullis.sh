#!/bin/sh
# portcullis launcher: resolves its own location through symlinks (/usr/bin/portcullis ->
# /opt/portcullis/bin/portcullis) and uses the AOT cache trained when the image was built.
# Measured with bench/startup/run.sh (idle RSS of the daemon):
# - MALLOC_ARENA_MAX=2: glibc otherwise gives each thread that mallocs (JIT compilers, readers)
#   its own 64 MB arena, whose touched pages stay resident; 2 arenas cost no measurable speed.
# - ArchiveRelocationMode=0: map the AOT cache at the address it was built for. The JDK's default
#   (1, since JDK 20) maps it at a random address and relocates every pointer in it, which writes
#   to every page of the ~20 MB cache and turns them into private dirty memory (~16 MB of RSS);
#   mapped unrelocated, only the pages used are resident and they stay shared, clean file pages.
#   The price is a fixed address for class metadata (not code or heap). If that address is taken
#   the JVM relocates as usual. PORTCULLIS_AOT_ASLR=1 keeps the JDK's randomised mapping.
self=$(readlink -f "$0")
home=$(dirname "$(dirname "$self")")
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
if [ -r "$home/lib/portcullis.aot" ]; then
  reloc="-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  [ "${PORTCULLIS_AOT_ASLR:-0}" = 1 ] && reloc=
  # shellcheck disable=SC2086
  exec "$home/bin/java" -XX:AOTCache="$home/lib/portcullis.aot" $reloc -Xlog:aot=off -Xlog:cds=off \
    -m ips.app/ips.app.Main "$@"
fi
exec "$home/bin/java" -m ips.app/ips.app.Main "$@"
