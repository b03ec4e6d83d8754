package ips.nftables;

import static ips.nftables.SetElementMessage.NFT_SET_ELEM_INTERVAL_END;

import ips.api.AddressFormatException;
import ips.api.Ban;
import ips.api.Enforcer;
import ips.api.EnforcerException;
import ips.api.EnforcerSettings;
import ips.api.Family;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.api.JailRule;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The nftables enforcer: bans go into per-jail kernel sets with per-element timeouts, over one
 * netfilter netlink socket (see {@link Scaffold} for the layout, {@link PrefixBook} for how
 * overlapping prefixes are resolved and {@link SetNames} for set names).
 *
 * <p>Single addresses go to the jail's address set ({@code <jail>-v4}/{@code -v6}); prefixes
 * shorter than the full length go to its prefix set ({@code <jail>-v4-net}/{@code -v6-net}). A
 * re-ban of an address is a plain add (no NLM_F_EXCL), which on kernel 6.18 sets the element's
 * timeout to the new one, longer or shorter, even on an element that had none (checked by the
 * kernel tests); a permanent ban deletes (NFT_MSG_DESTROYSETELEM, missing is fine) and re-adds in
 * the same batch so that no old timeout survives. Prefix re-bans go through {@link PrefixBook}. Batches are split so that each fits the socket buffer and each element
 * list fits its u16 length.
 *
 * <p>A scaffold that no longer lists a jail removes the jail's sets, and with them its bans, in
 * the same batch that rewrites the rules (as fail2ban's {@code actionstop} when a jail stops); so
 * does the first scaffold of a new process for sets an earlier one left. Putting the bans back when
 * the jail returns is the caller's job (the daemon restores them from its ledger).
 *
 * <p>If the table has gone (someone ran {@code nft flush ruleset}), the operation that notices it
 * re-creates the last scaffold, logs a warning, and is done again.
 *
 * <p>Not thread-safe. The socket lives in the network namespace of the thread that opened it.
 */
public final class NftablesEnforcer implements Enforcer {
    private static final System.Logger LOG = System.getLogger("ips.nftables");
    /** Requested socket buffer size (granted with CAP_NET_ADMIN via SO_*BUFFORCE). */
    static final int SOCKET_BUFFER = 4 << 20;
    /** Batch size when the larger buffer could not be had (the default wmem is 212,992 bytes). */
    static final int SMALL_BATCH = 160 << 10;
    static final int LARGE_BATCH = 1 << 20;
    static final long RECEIVE_TIMEOUT_MILLIS = 5_000;
    /** 200 years: longer bans are clamped (a far-future expiry is not meant to be exact). */
    static final long MAX_TIMEOUT_MILLIS = 200L * 365 * 24 * 3_600_000;
    /** The largest element we write: IPv6 key, flags and timeout. */
    private static final int MAX_ELEMENT_BYTES = 64;
    /** Room kept free in a batch for one more message header and the batch end. */
    private static final int MESSAGE_SLACK = 512;

    private enum Op { ADD, DESTROY }

    /** The table never changes; the block type and forward setting may ({@link #adopt}). */
    private volatile EnforcerSettings settings;
    private final byte[] table;
    private final Arena arena = Arena.ofShared();
    private final Netlink netlink;
    private final MessageBuffer buffer;
    private final Replies replies;
    private final int batchLimit;
    private final PrefixBook.Plan plan = new PrefixBook.Plan();
    private final Map<String, JailSets> jails = new LinkedHashMap<>();
    private List<JailRule> lastScaffold;
    private boolean booksStale;
    private int recoveries;
    private boolean closed;

    // the batch being written
    private String operation;
    private int batchFirstSeq = -1;
    private int batchAcks;
    private Op listOp;
    private byte[] listSet;
    private int listToken = -1;

    private NftablesEnforcer(EnforcerSettings settings, Netlink netlink) {
        this.settings = settings;
        this.table = NetlinkStrings.z(settings.table());
        this.netlink = netlink;
        this.batchLimit = netlink.largeBuffers() ? LARGE_BATCH : SMALL_BATCH;
        this.buffer = new MessageBuffer(arena, batchLimit + (64 << 10), (int) (System.nanoTime() & 0x3FFF_FFFF) + 1);
        this.replies = new Replies(netlink, arena, 256 << 10);
    }

    /** Opens a socket in the calling thread's network namespace. Creates nothing yet. */
    /**
     * Specialises the netlink call path ({@link Netlink#prepareCalls}) and compiles the encoding of
     * ban batches ({@link #encodeScratchBatches}); touches no firewall state and sends nothing.
     */
    @Override
    public void warmUp() {
        Netlink.prepareCalls();
        encodeScratchBatches();
    }

    /** Batches and elements per batch {@link #encodeScratchBatches} encodes. */
    static final int WARM_UP_BATCHES = 6;
    static final int WARM_UP_ELEMENTS = 1000;

    /**
     * Encodes {@link #WARM_UP_BATCHES} batches of {@link #WARM_UP_ELEMENTS} bans of addresses in
     * 198.18.0.0/15 (RFC 2544: benchmarking) into a scratch buffer of its own, never sent, so that
     * the per-element encoding is compiled code when a burst of bans comes: the first burst's
     * commit otherwise ran it in the interpreter, ~1000 elements at once.
     *
     * @return the bytes encoded
     */
    static long encodeScratchBatches() {
        byte[] table = NetlinkStrings.z("warm-up");
        byte[] set = NetlinkStrings.z("warm-up-v4");
        long bytes = 0;
        try (Arena scratch = Arena.ofConfined()) {
            MessageBuffer b = new MessageBuffer(scratch, SMALL_BATCH + (64 << 10), 1);
            for (int batch = 0; batch < WARM_UP_BATCHES; batch++) {
                b.clear();
                b.beginBatch();
                int list = SetElementMessage.beginAdd(b, table, set);
                for (int i = 0; i < WARM_UP_ELEMENTS; i++) {
                    if (listFull(b, list)) {
                        SetElementMessage.endList(b, list);
                        list = SetElementMessage.beginAdd(b, table, set);
                    }
                    SetElementMessage.element(b, IpAddress.ofIpv4(0xC612_0000 + i), 0, timeout(3_600_000L + i, 0));
                }
                SetElementMessage.endList(b, list);
                b.endBatch();
                bytes += b.position();
            }
        }
        return bytes;
    }

    public static NftablesEnforcer open(EnforcerSettings settings) throws EnforcerException {
        return new NftablesEnforcer(settings, Netlink.open(SOCKET_BUFFER, RECEIVE_TIMEOUT_MILLIS));
    }

    @Override
    public String name() {
        return "nftables";
    }

    /** How many times a vanished table was re-created. */
    public int recoveries() {
        return recoveries;
    }

    @Override
    public void scaffold(List<JailRule> rules) throws EnforcerException {
        Map<String, JailSets> next = new LinkedHashMap<>();
        Map<String, String> bases = new HashMap<>();
        for (JailRule r : rules) {
            JailSets js = new JailSets(r);
            if (next.put(r.name(), js) != null) {
                throw new IllegalArgumentException("jail " + r.name() + " appears twice");
            }
            String other = bases.put(js.base, r.name());
            if (other != null) {
                throw new IllegalArgumentException("jails " + other + " and " + r.name() + " map to the same set names " + js.base);
            }
        }
        List<JailSets> list = List.copyOf(next.values());
        String op = "scaffold table inet " + settings.table() + " for " + list.size() + " jails";
        List<byte[]> stale = staleSets(next.values(), op + " (reading its sets)");
        buffer.clear();
        int first = buffer.beginBatch();
        int acks;
        int last;
        try {
            acks = Scaffold.encode(buffer, table, list, stale, settings.blockType(), settings.forward());
            last = buffer.endBatch();
        } catch (IllegalStateException full) {
            throw new EnforcerException(op, Errno.EMSGSIZE, "too many jails and port ranges for one "
                    + buffer.capacity() + "-byte batch: " + full.getMessage());
        }
        netlink.send(buffer.segment(), buffer.position(), op);
        replies.awaitAcks(first, last, acks, op);
        jails.clear();
        jails.putAll(next);
        lastScaffold = List.copyOf(rules);
        reloadBooks();
    }

    /**
     * The sets in our table that belong to no jail of {@code next}: those of jails dropped since an
     * earlier scaffold, by this process or by one before it (a jail removed while the daemon was
     * down). Only names of our four kinds ({@link SetNames#isJailSet}) count. None when the table
     * does not exist yet.
     */
    private List<byte[]> staleSets(Collection<JailSets> next, String op) throws EnforcerException {
        buffer.clear();
        int seq = SetMessage.dump(buffer, table);
        netlink.send(buffer.segment(), buffer.position(), op);
        SetDump dump = new SetDump();
        try {
            replies.readDump(seq, op, dump);
        } catch (EnforcerException e) {
            if (e.errno() == Errno.ENOENT) {
                return List.of();
            }
            throw e;
        }
        Set<String> wanted = new HashSet<>();
        for (JailSets js : next) {
            for (boolean v6 : new boolean[] {false, true}) {
                wanted.add(SetNames.addressSet(js.base, v6));
                wanted.add(SetNames.prefixSet(js.base, v6));
            }
        }
        List<byte[]> stale = new ArrayList<>();
        for (String name : dump.names) {
            if (SetNames.isJailSet(name) && !wanted.contains(name)) {
                stale.add(NetlinkStrings.z(name));
            }
        }
        return stale;
    }

    private void reloadBooks() throws EnforcerException {
        long now = System.currentTimeMillis();
        for (JailSets js : jails.values()) {
            for (Family f : Family.values()) {
                PrefixBook book = js.book(f);
                book.clear();
                ElementDump dump = dumpSet(js.prefixSet(f), "read prefix set of jail " + js.rule.name());
                try {
                    ElementDump.intervals(dump.elements, f.bytes(), now, book::load);
                } catch (AddressFormatException e) {
                    throw new EnforcerException("read prefix set of jail " + js.rule.name(), e.getMessage(), e);
                }
            }
        }
        booksStale = false;
    }

    private ElementDump dumpSet(byte[] set, String op) throws EnforcerException {
        buffer.clear();
        int seq = SetElementMessage.dump(buffer, table, set);
        netlink.send(buffer.segment(), buffer.position(), op);
        ElementDump dump = new ElementDump();
        replies.readDump(seq, op, dump);
        return dump;
    }

    @Override
    public void ban(Collection<Ban> bans) throws EnforcerException {
        requireScaffold("ban");
        if (bans instanceof List<Ban> list && bans instanceof RandomAccess) {
            for (int i = 0, n = list.size(); i < n; i++) { // no iterator: nothing allocated per ban
                jail(list.get(i).jail(), "ban");
            }
        } else {
            for (Ban b : bans) {
                jail(b.jail(), "ban");
            }
        }
        try {
            doBan(bans);
        } catch (EnforcerException e) {
            if (!recover(e)) {
                throw detailed(e, "ban " + bans.size() + " targets");
            }
            doBan(bans);
        }
    }

    /** The hot path names its operation with a constant; the count is added only on failure. */
    private static EnforcerException detailed(EnforcerException e, String operation) {
        String cause = e.getMessage().startsWith(e.operation() + ": ")
                ? e.getMessage().substring(e.operation().length() + 2) : e.getMessage();
        EnforcerException d = new EnforcerException(operation, e.errno(), cause);
        d.initCause(e);
        return d;
    }

    private void doBan(Collection<Ban> bans) throws EnforcerException {
        if (booksStale) {
            reloadBooks();
        }
        long now = System.currentTimeMillis();
        startBatch("ban");
        try {
            if (bans instanceof List<Ban> list && bans instanceof RandomAccess) {
                for (int i = 0, n = list.size(); i < n; i++) {
                    encodeBan(list.get(i), now);
                }
            } else {
                for (Ban b : bans) {
                    encodeBan(b, now);
                }
            }
            finishBatch();
        } catch (EnforcerException | RuntimeException e) {
            booksStale = true;
            throw e;
        }
    }

    /** One ban into the open batch: its address set, or its prefix set as {@link PrefixBook} plans. */
    private void encodeBan(Ban b, long now) throws EnforcerException {
        if (!b.isPermanent() && b.expiresAtMillis() <= now) {
            return;
        }
        JailSets js = jails.get(b.jail());
        IpPrefix target = b.target();
        Family f = target.family();
        if (target.isSingleAddress()) {
            byte[] set = js.addressSet(f);
            if (b.isPermanent()) {
                use(Op.DESTROY, set);
                SetElementMessage.element(buffer, target.address(), 0, 0);
            }
            use(Op.ADD, set);
            SetElementMessage.element(buffer, target.address(), 0, timeout(b.expiresAtMillis(), now));
        } else {
            js.book(f).planBan(target, b.expiresAtMillis(), now, plan);
            byte[] set = js.prefixSet(f);
            for (IpPrefix gone : plan.removals) {
                use(Op.DESTROY, set);
                interval(gone, 0);
            }
            if (plan.add != null) {
                use(Op.ADD, set);
                interval(plan.add, timeout(plan.addExpiresAt, now));
            }
        }
    }

    /**
     * The element timeout in ms: 0 (none) for a permanent ban, else what is left, at least 1 and at
     * most {@link #MAX_TIMEOUT_MILLIS} (the kernel answers ERANGE past about 584 years).
     */
    static long timeout(long expiresAt, long now) {
        return expiresAt == Ban.PERMANENT ? 0 : Math.min(MAX_TIMEOUT_MILLIS, Math.max(1, expiresAt - now));
    }

    /**
     * A prefix as an interval: its start (carrying the timeout), and its end (the first address
     * past it, flagged NFT_SET_ELEM_INTERVAL_END) unless the prefix reaches the top of the space.
     */
    private void interval(IpPrefix p, long timeout) throws EnforcerException {
        IpAddress start = p.address();
        IpAddress last = p.lastAddress();
        boolean v6 = p.family() == Family.IPV6;
        SetElementMessage.element(buffer, v6, start.high(), start.low(), 0, timeout);
        long hi = last.high();
        long lo = last.low();
        if (!v6) {
            if (lo == 0xFFFF_FFFFL) {
                return;
            }
            lo++;
        } else {
            if (hi == -1L && lo == -1L) {
                return;
            }
            lo++;
            if (lo == 0) {
                hi++;
            }
        }
        // the kernel refuses a timeout on an interval end (EINVAL): the start's timeout governs both
        SetElementMessage.element(buffer, v6, hi, lo, NFT_SET_ELEM_INTERVAL_END, 0);
    }

    @Override
    public void unban(String jail, Collection<IpPrefix> targets) throws EnforcerException {
        requireScaffold("unban");
        jail(jail, "unban");
        try {
            doUnban(jail, targets);
        } catch (EnforcerException e) {
            if (!recover(e)) {
                throw e;
            }
            doUnban(jail, targets);
        }
    }

    private void doUnban(String jail, Collection<IpPrefix> targets) throws EnforcerException {
        if (booksStale) {
            reloadBooks();
        }
        JailSets js = jails.get(jail);
        startBatch("unban " + targets.size() + " targets in jail " + jail);
        try {
            for (IpPrefix target : targets) {
                Family f = target.family();
                if (target.isSingleAddress()) {
                    use(Op.DESTROY, js.addressSet(f));
                    SetElementMessage.element(buffer, target.address(), 0, 0);
                } else {
                    js.book(f).planUnban(target, plan);
                    for (IpPrefix gone : plan.removals) {
                        use(Op.DESTROY, js.prefixSet(f));
                        interval(gone, 0);
                    }
                }
            }
            finishBatch();
        } catch (EnforcerException | RuntimeException e) {
            booksStale = true;
            throw e;
        }
    }

    @Override
    public List<Ban> list() throws EnforcerException {
        return list(jail -> true);
    }

    /** Dumps only the sets of the jails {@code which} accepts. */
    @Override
    public List<Ban> list(java.util.function.Predicate<String> which) throws EnforcerException {
        requireScaffold("list");
        try {
            return doList(which);
        } catch (EnforcerException e) {
            if (!recover(e)) {
                throw e;
            }
            return doList(which);
        }
    }

    private List<Ban> doList(java.util.function.Predicate<String> which) throws EnforcerException {
        List<Ban> out = new ArrayList<>();
        for (JailSets js : jails.values()) {
            String op = "list bans of jail " + js.rule.name();
            String jail = js.rule.name();
            if (!which.test(jail)) {
                continue;
            }
            for (Family f : Family.values()) {
                long now = System.currentTimeMillis();
                ElementDump addresses = dumpSet(js.addressSet(f), op);
                ElementDump prefixes = dumpSet(js.prefixSet(f), op);
                try {
                    ElementDump.addresses(addresses.elements, now, (p, e) -> out.add(new Ban(jail, p, e)));
                    ElementDump.intervals(prefixes.elements, f.bytes(), now, (p, e) -> out.add(new Ban(jail, p, e)));
                } catch (AddressFormatException e) {
                    throw new EnforcerException(op, e.getMessage(), e);
                }
            }
        }
        return out;
    }

    @Override
    public void flush(String jail) throws EnforcerException {
        requireScaffold("flush");
        JailSets js = jail(jail, "flush");
        try {
            doFlush(js);
        } catch (EnforcerException e) {
            if (!recover(e)) {
                throw e;
            }
            doFlush(jails.get(jail));
        }
    }

    private void doFlush(JailSets js) throws EnforcerException {
        String op = "flush jail " + js.rule.name();
        buffer.clear();
        int first = buffer.beginBatch();
        SetElementMessage.flush(buffer, table, js.address4);
        SetElementMessage.flush(buffer, table, js.prefix4);
        SetElementMessage.flush(buffer, table, js.address6);
        SetElementMessage.flush(buffer, table, js.prefix6);
        int last = buffer.endBatch();
        netlink.send(buffer.segment(), buffer.position(), op);
        replies.awaitAcks(first, last, 4, op);
        js.book4.clear();
        js.book6.clear();
    }

    /** True when the table is there (GETTABLE answers it) and false when the kernel says ENOENT. */
    boolean tableExists() throws EnforcerException {
        String op = "look up table inet " + settings.table();
        buffer.clear();
        int seq = TableMessage.get(buffer, table);
        netlink.send(buffer.segment(), buffer.position(), op);
        try {
            replies.readDump(seq, op, (b, o, l) -> { });
            return true;
        } catch (EnforcerException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes our table, and with it every chain, rule, set and ban; 0 when there was none. */
    @Override
    public int removeAll(Collection<String> jails) throws EnforcerException {
        String op = "delete table inet " + settings.table();
        buffer.clear();
        int first = buffer.beginBatch();
        TableMessage.delete(buffer, table);
        int last = buffer.endBatch();
        netlink.send(buffer.segment(), buffer.position(), op);
        try {
            replies.awaitAcks(first, last, 1, op);
        } catch (EnforcerException e) {
            if (e.errno() == Errno.ENOENT) {
                return 0;
            }
            throw e;
        }
        this.jails.clear();
        lastScaffold = null;
        return 1;
    }

    /** The next scaffold lays the chains out with {@code next}'s block type and forward chain; the table stays. */
    @Override
    public boolean adopt(EnforcerSettings next) {
        if (!next.table().equals(settings.table())) {
            return false;
        }
        settings = next;
        return true;
    }

    @Override
    public long verifyScaffold() throws EnforcerException {
        if (lastScaffold != null && !tableExists()) {
            recreate();
        }
        return recoveries;
    }

    /** After an ENOENT: when our table is gone, re-create the last scaffold and say so. */
    private boolean recover(EnforcerException e) throws EnforcerException {
        if (e.errno() != Errno.ENOENT || lastScaffold == null || tableExists()) {
            return false;
        }
        recreate();
        return true;
    }

    private void recreate() throws EnforcerException {
        LOG.log(System.Logger.Level.WARNING, "table inet " + settings.table()
                + " disappeared (nft flush ruleset?); re-creating it for " + lastScaffold.size()
                + " jails; bans not in the kernel any more must be re-applied from the ledger");
        scaffold(lastScaffold);
        recoveries++;
    }

    private void requireScaffold(String op) throws EnforcerException {
        if (lastScaffold == null) {
            throw new EnforcerException(op, 0, "nothing scaffolded yet: call scaffold(jails) first");
        }
    }

    private JailSets jail(String name, String op) throws EnforcerException {
        JailSets js = jails.get(name);
        if (js == null) {
            throw new EnforcerException(op, 0, "jail " + name + " is not in the scaffold");
        }
        return js;
    }

    // ---- batch writing: element lists split by list budget and batch size ----

    private void startBatch(String op) {
        operation = op;
        buffer.clear();
        batchFirstSeq = buffer.beginBatch();
        batchAcks = 0;
        listOp = null;
        listSet = null;
        listToken = -1;
    }

    /**
     * Makes the open element list an {@code op} list of {@code set} with room for two more elements
     * (an interval's start and end stay in one message).
     */
    private void use(Op op, byte[] set) throws EnforcerException {
        if (listToken >= 0 && listOp == op && listSet == set && !listFull(buffer, listToken)) {
            return;
        }
        closeList();
        if (buffer.position() + SetElementMessage.LIST_BUDGET + MESSAGE_SLACK > batchLimit) {
            sendBatch();
            batchFirstSeq = buffer.beginBatch();
        }
        listToken = op == Op.ADD ? SetElementMessage.beginAdd(buffer, table, set)
                : SetElementMessage.beginDestroy(buffer, table, set);
        listOp = op;
        listSet = set;
        batchAcks++;
    }

    /** No room left in element list {@code list} for another element (with slack). */
    private static boolean listFull(MessageBuffer b, int list) {
        return b.nestLength(list) + 2 * MAX_ELEMENT_BYTES > SetElementMessage.LIST_BUDGET;
    }

    private void closeList() {
        if (listToken >= 0) {
            SetElementMessage.endList(buffer, listToken);
            listToken = -1;
        }
    }

    private void sendBatch() throws EnforcerException {
        closeList();
        int last = buffer.endBatch();
        if (batchAcks > 0) {
            netlink.send(buffer.segment(), buffer.position(), operation);
            replies.awaitAcks(batchFirstSeq, last, batchAcks, operation);
        }
        buffer.clear();
        batchAcks = 0;
        listOp = null;
        listSet = null;
    }

    private void finishBatch() throws EnforcerException {
        sendBatch();
    }

    /** Closes the socket; bans stay in the kernel. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        netlink.close();
        arena.close();
    }
}
