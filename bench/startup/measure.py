#!/usr/bin/env python3
"""Starts the Portcullis daemon N times (one [sshd] jail on a small auth.log, fail2ban's stock
sshd filter, nftables-allports) and prints, per run and as medians:
  ready_ms  wall time from spawning the launcher to sd_notify READY=1 (the daemon sends it once
            the firewall is scaffolded and every log source is being watched),
  cpu_ms    user+sys CPU of the JVM (all threads, JIT included) up to IDLE s after READY=1
            (less sensitive to other load on the machine than wall time),
  main_cpu  CPU of the main thread (the start-up's critical path, minus the firewall thread);
  c1_cpu/c2_cpu  CPU of the JIT compiler threads,
  main2daemon ips.app.Main initialised -> Daemon.start (RunCommand: settings, logging, sd_notify),
  cfg/fw/.. the daemon's DEBUG start-up breakdown,
  rss_mb    VmRSS after IDLE seconds idle, pss_mb Pss (smaps_rollup), anon_mb RssAnon.
Must run as root inside a scratch network namespace (run.sh does that).
PORTCULLIS_CONF_EXTRA: lines added to [portcullis] (e.g. "memory.maxentries = 1000").
  measure.py IMAGE N IDLE_S [extra JVM options via JDK_JAVA_OPTIONS in the environment]"""
import os, re, signal, socket, statistics, subprocess, sys, tempfile, time

image, runs, idle = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
keep = os.environ.get("KEEP_PID_FILE")  # for manual inspection: write the pid, wait for SIGINT

def config(run):
    os.makedirs(run + "/etc", exist_ok=True)
    for d in ("filter.d", "action.d"):
        os.symlink("/etc/fail2ban/" + d, run + "/etc/" + d)
    with open(run + "/auth.log", "w") as f:
        for i in range(200):
            f.write("Nov 23 18:20:%02d host sshd[123]: Failed password for root from 192.0.2.%d port 4242 ssh2\n" % (i % 60, i % 250))
    with open(run + "/etc/jail.conf", "w") as f:
        f.write("[sshd]\nenabled = true\nfilter = sshd\nport = ssh\nbanaction = nftables-allports\n"
                "action = %%(banaction)s\nlogpath = %s/auth.log\nmaxretry = 3\nfindtime = 10m\nbantime = 1h\n" % run)
    with open(run + "/etc/portcullis.conf", "w") as f:
        f.write("[portcullis]\nstatedir = %s/state\nsocket = %s/portcullis.sock\n%s\n" % (run, run, os.environ.get("PORTCULLIS_CONF_EXTRA", "")))
    with open(run + "/etc/fail2ban.conf", "w") as f:
        f.write("[Definition]\nloglevel = DEBUG\nlogtarget = %s/daemon.log\n" % run)

def kb(path, key):
    with open(path) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0

rows = []
for i in range(runs):
    run = tempfile.mkdtemp(prefix="pcstart-")
    config(run)
    sock_path = run + "/notify.sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(sock_path)
    env = dict(os.environ, NOTIFY_SOCKET=sock_path)
    t0 = time.monotonic()
    p = subprocess.Popen([image + "/bin/portcullis", "run", "--config", run + "/etc"], env=env,
                         stdout=subprocess.DEVNULL, stderr=open(run + "/stderr", "w"))
    s.settimeout(30)
    ready = None
    try:
        while ready is None:
            msg = s.recv(4096).decode()
            if "READY=1" in msg:
                ready = (time.monotonic() - t0) * 1000
    except socket.timeout:
        print("no READY=1 within 30 s; stderr:", open(run + "/stderr").read(), file=sys.stderr)
        p.kill(); sys.exit(1)
    time.sleep(idle)
    cpu = sum(int(x) for x in open("/proc/%d/stat" % p.pid).read().rsplit(")", 1)[1].split()[11:13]) * 1000 / os.sysconf("SC_CLK_TCK")
    ts = []  # per-thread CPU (ms) up to now
    for t in os.listdir("/proc/%d/task" % p.pid):
        st = open("/proc/%d/task/%s/stat" % (p.pid, t)).read()
        name, rest = st.split("(", 1)[1].rsplit(")", 1)
        ts.append((sum(int(x) for x in rest.split()[11:13]) * 1000 // os.sysconf("SC_CLK_TCK"), name, int(t)))
    main_cpu = sum(c for c, n, t in ts if n == "java" and t != p.pid)  # the launcher thread only waits
    c2_cpu = sum(c for c, n, t in ts if n.startswith("C2"))
    c1_cpu = sum(c for c, n, t in ts if n.startswith("C1"))
    if os.environ.get("THREADS"):  # biggest first
        print("threads:", " ".join("%s=%d" % (n, c) for c, n, t in sorted(ts, reverse=True) if c), flush=True)
    rss = kb("/proc/%d/status" % p.pid, "VmRSS") / 1024
    anon = kb("/proc/%d/status" % p.pid, "RssAnon") / 1024
    pss = kb("/proc/%d/smaps_rollup" % p.pid, "Pss") / 1024
    if os.environ.get("JCMD"):  # e.g. JCMD="VM.native_memory summary" (with -XX:NativeMemoryTracking=summary)
        out = subprocess.run([os.environ.get("JCMD_BIN", "jcmd"), str(p.pid)] + os.environ["JCMD"].split(),
                             capture_output=True, text=True).stdout
        with open(os.environ.get("JCMD_OUT", "/tmp/pcstart-jcmd.txt"), "a") as f:
            f.write("== run %d rss %.1f MB\n%s\n" % (i + 1, rss, out))
        with open("/proc/%d/smaps" % p.pid) as sm, open(os.environ.get("JCMD_OUT", "/tmp/pcstart-jcmd.txt") + ".smaps", "w") as f:
            f.write(sm.read())
    if keep:
        open(keep, "w").write(str(p.pid))
        print("pid", p.pid, "kept; Ctrl-C to stop", file=sys.stderr)
        try:
            p.wait()
        except KeyboardInterrupt:
            pass
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    log = open(run + "/daemon.log").read() + open(run + "/stderr").read()
    m = re.search(r"start-up: config ([\d.]+) ms, firewall \(after config\) ([\d.]+) ms, ledger ([\d.]+) ms,"
                  r" engine and restore ([\d.]+) ms, sources ([\d.]+) ms \(main to daemon ([\d.]+) ms\)", log)
    parts = [float(x) for x in m.groups()] if m else [float("nan")] * 6
    row = dict(ready_ms=ready, cpu_ms=cpu, main_cpu=main_cpu, c1_cpu=c1_cpu, c2_cpu=c2_cpu, cfg=parts[0], fw=parts[1], ledger=parts[2], engine=parts[3], src=parts[4],
               main2daemon=parts[5], rss_mb=rss, pss_mb=pss, anon_mb=anon)
    rows.append(row)
    print("run %d: " % (i + 1) + " ".join("%s=%.1f" % kv for kv in row.items()), flush=True)
    subprocess.run(["rm", "-rf", run])
    s.close()

print("median of %d (load %s): " % (runs, open("/proc/loadavg").read().split()[0])
      + " ".join("%s=%.1f" % (k, statistics.median(r[k] for r in rows)) for k in rows[0]))
