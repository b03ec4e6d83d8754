import os, sys, glob, base64, random, time
os.environ['TZ'] = 'CET-01CEST-02,M3.5.0,M10.5.0'
time.tzset()
from fail2ban.server.mytime import MyTime
from fail2ban.server.datedetector import DateDetector
exec(open('/tmp/datefix/dp.py').read().split("for k, v in out.items()")[0])
TEST_NOW = 1124013600
MyTime.setTime(TEST_NOW)
b64 = lambda s: base64.b64encode(s.encode('utf-8', 'surrogatepass')).decode()
outf = open(sys.argv[1], 'w')
def run(name, pattern, lines):
    dd = DateDetector()
    if pattern is None:
        dd.addDefaultTemplate()
    else:
        for p in filter(bool, map(str.strip, pattern.split('\n'))):
            dd.appendTemplate(p)
    outf.write('P\t%s\t%s\n' % (name, '-' if pattern is None else b64(pattern)))
    for line in lines:
        try:
            tm = dd.matchTime(line)
        except Exception as e:
            outf.write('L\t%s\tERR\n' % b64(line)); continue
        m = tm[0]
        if not m:
            outf.write('L\t%s\t-\n' % b64(line)); continue
        s, e = m.start(1), m.end(1)
        val = '-'
        if e > s:
            try:
                d = dd.getTime(line[s:e], tm)
                val = repr(d[0]) if d is not None else 'N'
            except Exception as ex:
                val = 'X'
        outf.write('L\t%s\t%d\t%d\t%s\n' % (b64(line), s, e, val))

logs = sorted(glob.glob('/usr/lib/python3/dist-packages/fail2ban/tests/files/logs/*'))
rnd = random.Random(42)
def mutate(line):
    l = list(line)
    for _ in range(rnd.randint(1, 3)):
        if not l: break
        k = rnd.randrange(len(l)); op = rnd.random()
        if op < 0.4 and l[k].isdigit(): l[k] = str(rnd.randint(0, 9))
        elif op < 0.6: del l[k]
        elif op < 0.8: l.insert(k, rnd.choice(' 0123456789:-/.[]TZ+'))
        else: l[k] = rnd.choice('aAbJ 9:')
    return ''.join(l)
allLines = []
for f in logs:
    if os.path.isdir(f): continue
    name = os.path.basename(f)
    try:
        lines = [l.rstrip('\r\n') for l in open(f, encoding='utf-8', errors='surrogateescape')]
    except Exception:
        continue
    lines = [l for l in lines if '\udc80' > max(l, default='a') or True]
    try:
        [l.encode('utf-8') for l in lines]
    except UnicodeEncodeError:
        lines = [l.encode('utf-8','surrogateescape').decode('utf-8','replace') for l in lines]
    allLines += lines
    run(name, out.get(name), lines)
    run(name + '#defaults', None, lines)
# mutated lines through defaults (sequence matters: one detector)
mut = [mutate(rnd.choice(allLines)) for _ in range(6000)]
run('mutated#defaults', None, mut)
for pat in ['{^LN-BEG}', '%H:%M:%S', '{UNB}%H:%M:%S', '^%Y-%m-%d %H:%M:%S', 'EPOCH', 'LEPOCH', '^%b-%d-%Exy %H:%M:%S',
            '{^LN-BEG}%ExY-%Exm-%Exd %ExH:%ExM:%ExS(?: ?%Exz)?', '%d/%b/%Y:%H:%M:%S %z', '^[^\\[]*\\[({DATE})\n{^LN-BEG}']:
    run('mutated#' + pat.replace('\n', '|'), pat, mut[:2000])
outf.close()
