/**
 * The nftables enforcer, written straight to the kernel over a {@code NETLINK_NETFILTER} socket
 * through FFM: no {@code nft} program, no libnftnl, no process.
 *
 * <h2>Layout</h2>
 * One table, {@code inet portcullis} by default ({@code EnforcerSettings.table()}); a base chain
 * {@code input} (hook input, priority -1, policy accept) and, when {@code forward} is on, the same
 * on hook forward; per jail four sets, named by {@link ips.nftables.SetNames}:
 * <pre>
 *   &lt;jail&gt;-v4       ipv4_addr, flags timeout             single IPv4 addresses
 *   &lt;jail&gt;-v4-net   ipv4_addr, flags interval, timeout   IPv4 prefixes shorter than /32
 *   &lt;jail&gt;-v6       ipv6_addr, flags timeout             single IPv6 addresses
 *   &lt;jail&gt;-v6-net   ipv6_addr, flags interval, timeout   IPv6 prefixes shorter than /128
 * </pre>
 * and per jail, family, set and port range one rule such as
 * {@code meta nfproto ipv4 ip saddr @sshd-v4 meta l4proto tcp th dport 22 drop} (no l4proto and
 * port match for an all-ports jail; {@code reject} with icmpx port-unreachable for blocktype
 * reject). The scaffold is one atomic batch and may be re-run: the table, chains and sets are
 * created without NLM_F_EXCL and each chain is flushed and refilled in the same batch, so bans
 * stay and rules never pile up. Sets of jails dropped from the configuration are left as they
 * are (their rules go).
 *
 * <h2>Overlaps</h2>
 * The kernel rejects an interval that overlaps one in the set, so single addresses and prefixes
 * live in different sets and {@link ips.nftables.PrefixBook} keeps each prefix set free of
 * overlaps (skip a covered prefix, refresh a covering one, absorb covered ones).
 */
package ips.nftables;
