/**
 * Jails: who is banned, and remembering it.
 *
 * <p>The daemon builds one {@link ips.engine.JailEngine} from {@link ips.engine.EngineSettings}
 * (the tracker's hard ceiling, the native {@link ips.engine.RecidivePolicy}, whether the firewall
 * expires bans itself) and a {@link ips.engine.JailPolicy} per jail (maxretry, findtime, bantime,
 * {@link ips.engine.BanIncrement}, {@link ips.engine.IgnoreList}, masks, aggregation), with a
 * {@link ips.engine.ledger.BanLedger} opened on the ledger file and the enforcer. Then:
 *
 * <pre>
 * engine.restore();                      // once, after Enforcer.scaffold: ledger -> kernel, one call
 * for each failure: engine.onFailure(f); // null, or a BanDecision already in the ledger's buffer
 * after each batch:  engine.commit();    // ledger write, Enforcer.ban(all pending), one fsync
 * every second:      engine.tick(now);   // expiry, sweeps, ignoreip refresh, retries, compaction
 * </pre>
 */
package ips.engine;
