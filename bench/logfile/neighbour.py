#!/usr/bin/env python3
"""What writes to another file of a followed file's directory cost the daemon.

Starts the image's daemon the way bench/e2e runs it (one sshd jail on RUN/auth.log), waits for it
to idle, then appends N single-line writes to RUN/access.log (10 writes per millisecond) and prints
the daemon's CPU time over them. Run it with two images to compare:
    python3 bench/logfile/neighbour.py [IMAGE] [N]      (defaults: jlink/target/image, 20000)
Needs root: it runs itself in a scratch network namespace (`unshare -n`), where the daemon's
nftables table goes away with the namespace.
"""
import os
import subprocess
import sys
import tempfile
import time

if os.environ.get("NEIGHBOUR_NETNS") != "1":
    os.execvpe("unshare", ["unshare", "-n", sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
               dict(os.environ, NEIGHBOUR_NETNS="1"))
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
img = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "jlink", "target", "image")
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
run = tempfile.mkdtemp(prefix="neighbour-")
log = os.path.join(run, "auth.log")
open(log, "w").close()
daemon = subprocess.Popen(["sh", os.path.join(root, "bench", "e2e", "portcullis-daemon.sh"), log, run],
                          env=dict(os.environ, PORTCULLIS_IMAGE=img), stdout=subprocess.DEVNULL,
                          stderr=subprocess.STDOUT)
try:
    sock = os.path.join(run, "portcullis.sock")
    while subprocess.run([img + "/bin/portcullis", "ping", "--socket", sock], capture_output=True).returncode:
        if daemon.poll() is not None:
            sys.exit("the daemon exited")
        time.sleep(0.1)
    time.sleep(3)  # past the start's warm-up

    def cpu():
        f = open("/proc/%d/stat" % daemon.pid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    c0, t0 = cpu(), time.time()
    fd = os.open(os.path.join(run, "access.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    for i in range(n):
        os.write(fd, b'203.0.113.9 - - [06/Dec/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 612\n')
        if i % 10 == 9:
            time.sleep(0.001)
    os.close(fd)
    t1 = time.time()
    time.sleep(0.5)
    print("%s: %d writes to a neighbour in %.1f s, daemon CPU %.0f ms" % (img, n, t1 - t0, (cpu() - c0) * 1000))
finally:
    daemon.terminate()
    daemon.wait()
    subprocess.run(["rm", "-rf", run])
