#!/bin/sh
# portcullis launcher: resolves its own location through symlinks (/usr/bin/portcullis ->
# /opt/portcullis/bin/portcullis) and uses the AOT cache trained when the image was built.
# It forks nothing before the JVM (no readlink/dirname unless $0 is a symlink): each fork costs
# start-up time on a busy host.
# Measured with bench/startup/run.sh (idle RSS of the daemon):
# - MALLOC_ARENA_MAX=2: glibc otherwise gives each thread that mallocs (JIT compilers, readers)
#   its own 64 MB arena, whose touched pages stay resident; 2 arenas cost no measurable speed.
# - ArchiveRelocationMode=0: map the AOT cache at the address it was built for. The JDK's default
#   (1, since JDK 20) maps it at a random address and relocates every pointer in it, which writes
#   to every page of the ~20 MB cache and turns them into private dirty memory (~16 MB of RSS);
#   mapped unrelocated, only the pages used are resident and they stay shared, clean file pages.
#   The price is a fixed address for class metadata (not code or heap). If that address is taken
#   the JVM relocates as usual. PORTCULLIS_AOT_ASLR=1 keeps the JDK's randomised mapping.
# - Thread priorities (Linux): the image runs the JIT compiler threads 10 nice levels below the
#   process (build-image.sh: ThreadPriorityPolicy=1, every other thread at nice 0), so that at
#   start-up the daemon's own threads get the CPU first (ready ~650 -> ~530 ms on a loaded
#   2-core host). Those settings assume nice 0; when the process runs at another niceness
#   (systemd Nice=, nice(1)) they are restated relative to it here, so no thread ever runs at a
#   higher priority than the process was given. Without /proc the JDK's default applies (no
#   per-thread priorities).
self=$0
case $self in */*) ;; *) self=./$self ;; esac
# Invoked through a link named fail2ban-regex, it is test-filter (fail2ban-regex's job, its
# command line); through a link named fail2ban-client it also answers errors as fail2ban-client
# does (the daemon's refusal on standard output, exit status 255) for the scripts that read them.
as=
case ${self##*/} in
  fail2ban-regex) set -- test-filter "$@" ;;
  fail2ban-client) as=-Dportcullis.client=fail2ban-client ;;
esac
[ -L "$self" ] && self=$(readlink -f "$self")
home=${self%/*}/..
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

niceness() { shift 16 && nice=$1; }  # called with the fields of /proc/PID/stat after "(comm) "
nice=
[ -r /proc/$$/stat ] && read -r stat < /proc/$$/stat && niceness ${stat##*) }
case $nice in
  0) prio= ;;
  -[0-9]|-1[0-9]|-20|[1-9]|1[0-9])
    jit=$((nice + 10))
    [ "$jit" -gt 19 ] && jit=19
    prio="-XX:VMThreadPriority=$nice -XX:CompilerThreadPriority=$jit"
    for p in 1 2 3 4 5 6 7 8 9 10; do prio="$prio -XX:JavaPriority${p}_To_OSPriority=$nice"; done ;;
  *) prio=-XX:ThreadPriorityPolicy=0 ;;
esac

# test-filter (fail2ban-regex's job) is a batch run whose two threads keep both cores busy: its C1
# compiler (the image's only JIT, see build-image.sh) runs at the process's own priority, not 10
# nice levels below: 1M sshd lines took 1.6-1.8 s so against 2.8-3.2 s with C2 at nice 10 starved.
# Its young generation is 8 MB instead of the daemon's 1.5 MB (-Xmn1536k in the image): with the
# daemon's, a run's short-lived match objects were promoted and the old generation grew (sshd:
# 108 MiB peak RSS and 1.8-1.9 s, against 64 MiB and 1.4-1.5 s). It compiles at the JVM's usual
# thresholds, not the daemon's ten times higher ones (build-image.sh): 0.84 against 0.90 s.
prio="$prio $as"
case ${1:-} in
  test-filter)
    prio="$prio -Xms24m -Xmn8m -XX:CompileThresholdScaling=1"
    [ -n "$nice" ] && prio="$prio -XX:CompilerThreadPriority=$nice" ;;
esac

# test-filter has an AOT cache of its own (train-test-filter.sh), trained on its work, not a daemon's.
aot=$home/lib/portcullis.aot
[ "${1:-}" = test-filter ] && [ -r "$home/lib/test-filter.aot" ] && aot=$home/lib/test-filter.aot
if [ -r "$aot" ]; then
  reloc="-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
  [ "${PORTCULLIS_AOT_ASLR:-0}" = 1 ] && reloc=
  # shellcheck disable=SC2086
  exec "$home/bin/java" $prio -XX:AOTCache="$aot" $reloc -Xlog:aot=off -Xlog:cds=off \
    -m ips.app/ips.app.Main "$@"
fi
# shellcheck disable=SC2086
exec "$home/bin/java" $prio -m ips.app/ips.app.Main "$@"
