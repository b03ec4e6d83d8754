package ips.app.daemon;

import ips.api.Ban;
import ips.app.control.ControlServer;
import ips.app.ops.Exposition;
import ips.engine.JailEngine;
import java.util.List;
import java.util.Map;

/** The daemon's Prometheus metrics, in text exposition format. */
public final class DaemonMetrics {
    private DaemonMetrics() {}

    public static String render(Daemon d, ControlServer control) {
        Exposition x = new Exposition();
        JailEngine e = d.engine();
        x.family("portcullis_lines_read_total", "counter", "Log lines read, by jail.");
        for (SourceReader r : d.readers()) {
            x.sample("portcullis_lines_read_total", "jail", r.jail(), r.lines.get());
        }
        x.family("portcullis_match_budget_exceeded_total", "counter", "Lines whose matching hit the per-line work bound.");
        for (SourceReader r : d.readers()) {
            x.sample("portcullis_match_budget_exceeded_total", "jail", r.jail(), r.budgetHits());
        }
        x.family("portcullis_failures_total", "counter", "Failures counted (not ignored).").sample("portcullis_failures_total", e.failures());
        x.family("portcullis_failures_ignored_total", "counter", "Failures from ignored addresses.")
                .sample("portcullis_failures_ignored_total", e.ignored());
        x.family("portcullis_bans_total", "counter", "Bans decided.").sample("portcullis_bans_total", e.bans());
        x.family("portcullis_unbans_total", "counter", "Bans lifted.").sample("portcullis_unbans_total", e.unbans());
        x.family("portcullis_active_bans", "gauge", "Bans in force, by jail.");
        for (Map.Entry<String, List<Ban>> b : d.activeBans().entrySet()) {
            x.sample("portcullis_active_bans", "jail", b.getKey(), b.getValue().size());
        }
        x.family("portcullis_tracked_failures", "gauge", "Keys with failures in the bounded tracker.")
                .sample("portcullis_tracked_failures", e.trackedFailures());
        x.family("portcullis_tracker_capacity", "gauge", "The tracker's hard ceiling.").sample("portcullis_tracker_capacity", e.trackerCapacity());
        x.family("portcullis_evictions_total", "counter", "Tracked keys evicted to stay under the ceiling.")
                .sample("portcullis_evictions_total", e.evictions());
        x.family("portcullis_kernel_errors_total", "counter", "Firewall operations that failed.")
                .sample("portcullis_kernel_errors_total", e.enforcerErrors());
        x.family("portcullis_ledger_errors_total", "counter", "Ledger writes or syncs that failed.")
                .sample("portcullis_ledger_errors_total", e.ledgerErrors());
        x.family("portcullis_ledger_lag", "gauge", "Ledger records not yet on disk.").sample("portcullis_ledger_lag", e.ledgerLag());
        x.family("portcullis_reloads_total", "counter", "Configuration reloads.").sample("portcullis_reloads_total", d.reloads());
        if (control != null) {
            x.family("portcullis_control_refused_total", "counter", "Control connections refused.")
                    .sample("portcullis_control_refused_total", control.refusedCount());
        }
        return x.toString();
    }
}
