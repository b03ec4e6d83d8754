import os, glob, sys
from fail2ban.client.filterreader import FilterReader
out = {}
for f in sorted(glob.glob('/etc/fail2ban/filter.d/*.conf')):
    name = os.path.basename(f)[:-5]
    try:
        fr = FilterReader(name, 'j', {}, share_config={}, basedir='/etc/fail2ban')
        fr.read(); fr.getOptions({})
        for cmd in fr.convert():
            if len(cmd) >= 4 and cmd[2] == 'datepattern':
                out[name] = cmd[3]
    except Exception as e:
        print('ERR', name, e, file=sys.stderr)
for k, v in out.items(): print(repr(k), repr(v))
