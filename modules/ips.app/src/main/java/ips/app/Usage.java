package ips.app;

/** The text of {@code portcullis --help}. */
final class Usage {
    static final String TEXT = """
            Usage: portcullis COMMAND [ARGS]

            Commands:
              --version            print the version
              --help               print this text
              run [--config DIR]   run the daemon in the foreground (default config:
                                   /etc/portcullis, else /etc/fail2ban, else built-in sshd)
              check-config [DIR]   validate a configuration tree and print the resolved jails
              remove-firewall [--config DIR]
                                   take Portcullis's table and every ban out of the kernel
                                   (a stopped daemon leaves them; refused while it runs)
              test-filter ...      run a fail2ban filter over a log (fail2ban-regex's job):
                                   test-filter [-o ip] LOG|systemd-journal FILTER

            Talking to the running daemon (fail2ban-client's verbs):
              status [JAIL]        jails, or one jail's failures and bans
              ban JAIL ADDR...     ban addresses or CIDR prefixes in a jail
              unban ADDR...|--all  lift bans
              banned [ADDR]        the banned addresses, or the jails that ban ADDR
              reload [--unban] [--if-exists] [JAIL]
                                   re-read the configuration (refused whole if it has errors),
                                   or only JAIL's section; --unban lifts the bans it reloads
              get JAIL KEY         a jail's setting (maxretry, findtime, bantime, logpath, ...)
              set JAIL banip ADDR...
                                   fail2ban-client's spelling of ban, for scripts
              set JAIL unbanip [--report-absent] ADDR...
                                   lift bans in that jail only
              set JAIL attempt ADDR [FAILURE...]
                                   count failures reported from elsewhere (one, or one per FAILURE)
              flushlogs            reopen the log file (after logrotate; also done by itself)
              ping                 check that the daemon answers
              stop                 stop the daemon
            Options, before or after the command: --json (machine-readable replies), --socket PATH
            or -s PATH before it (default: the socket portcullis.conf names, else
            /run/portcullis/portcullis.sock, or $PORTCULLIS_SOCKET), -c DIR before it or --config
            DIR (the daemon of that configuration tree).

            fail2ban-client's command line is taken too, so its scripts keep working: -q, -v, -x,
            -b, -f, --async, -p FILE, --pname, --loglevel, --logtarget, --syslogsocket and
            --timeout are accepted and change nothing; -t or -d is check-config; -V prints the
            version alone; --str2sec DURATION prints it in seconds; restart JAIL reloads it.
            Invoked as fail2ban-regex (a link of that name), portcullis is test-filter.
            """;

    private Usage() {}
}
