package ips.engine;

import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.api.JailRule;
import ips.engine.ledger.BanLedger;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link CrashRecoveryTest}: restores the ledger (printing the one reconcile call),
 * then floods bans until it is killed, printing each acknowledged ban. Lines end in " ." so a line
 * torn by SIGKILL is recognisable.
 *
 * <pre>
 * R jail target .     one ban of the restore call
 * RESTORED n .        the restore call is over
 * A jail target .     acknowledged: in the (fake) kernel and fsynced
 * C n .               the ledger compacted (n times in this run)
 * </pre>
 */
public final class CrashFloodChild {
    private CrashFloodChild() {}

    public static void main(String[] args) throws Exception {
        Path ledgerPath = Path.of(args[0]);
        int iteration = Integer.parseInt(args[1]);
        boolean restoreOnly = args.length > 2 && args[2].equals("restore-only");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        boolean[] restoring = {true};
        int[] restored = {0};
        Enforcer fake = new Enforcer() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public void scaffold(List<JailRule> jails) {}

            @Override
            public void ban(Collection<Ban> bans) {
                if (restoring[0]) {
                    for (Ban b : bans) {
                        out.println("R " + b.jail() + " " + b.target() + " .");
                    }
                    restored[0] += bans.size();
                }
            }

            @Override
            public void unban(String jail, Collection<IpPrefix> targets) {}

            @Override
            public List<Ban> list() {
                return List.of();
            }

            @Override
            public void flush(String jail) {}

            @Override
            public void close() {}
        };
        JailPolicy sshd = JailPolicy.of("sshd", 1, 600_000, 86_400_000L);
        JailPolicy churn = JailPolicy.of("churn", 1, 600_000, 86_400_000L);
        JailEngine engine = new JailEngine(EngineSettings.of(100_000), List.of(sshd, churn),
                BanLedger.open(ledgerPath, 7 * 86_400_000L, 64), fake);
        engine.restore();
        restoring[0] = false;
        out.println("RESTORED " + restored[0] + " .");
        out.flush();
        if (restoreOnly) {
            engine.close();
            return;
        }
        SplittableRandom r = new SplittableRandom(iteration * 31L + 7);
        int next = 0;
        long base = 0x0A00_0000L + (long) iteration * 0x1_0000;
        while (true) {
            int batch = 1 + r.nextInt(5);
            for (int i = 0; i < batch; i++) {
                IpAddress a = IpAddress.ofIpv4((int) (base + next++));
                engine.onFailure(new Failure("sshd", a.toString(), a, System.currentTimeMillis()));
            }
            // churn: bans that are lifted again, so the ledger fills with dead records and compacts
            for (int k = 0; k < 20; k++) {
                IpAddress c = IpAddress.ofIpv4((int) (0xC000_0000L + r.nextInt(256)));
                engine.onFailure(new Failure("churn", c.toString(), c, System.currentTimeMillis()));
            }
            List<BanDecision> done = engine.commit();
            if (engine.lastCommitDurable()) {
                for (BanDecision d : done) {
                    if (d.ban().jail().equals("sshd")) {
                        out.println("A " + d.ban().jail() + " " + d.ban().target() + " .");
                    }
                }
                out.flush();
            }
            for (BanDecision d : done) {
                if (d.ban().jail().equals("churn")) {
                    engine.unban("churn", d.ban().target());
                }
            }
            long compactions = engine.ledgerCompactions();
            engine.tick(System.currentTimeMillis());
            if (engine.ledgerCompactions() != compactions) {
                out.println("C " + engine.ledgerCompactions() + " .");
                out.flush();
            }
        }
    }
}
