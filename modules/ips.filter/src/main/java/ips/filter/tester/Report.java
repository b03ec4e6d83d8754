package ips.filter.tester;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of fail2ban-regex's summary that are not counts (fail2banregex.py): its
 * {@code pprint_list} blocks, and the lines it keeps to list after the figures.
 */
final class Report {
    /** fail2ban-regex lists the ignored or missed lines when there are fewer than this (its default maxlines). */
    static final int FEW_LINES = 20;

    private Report() {}

    /** fail2ban's {@code pprint_list}: nothing for an empty list. */
    static void list(PrintStream out, String header, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        if (header != null) {
            out.println("|- " + header);
        }
        for (String s : items) {
            out.println("|  " + s);
        }
        out.println("`-");
    }

    /** Lines of one kind (matched, ignored, missed) kept during a run to list at its end. */
    static final class Kept {
        private final String kind;
        private final boolean all;
        private final boolean none;
        private final List<String> lines = new ArrayList<>();
        private long count;

        /**
         * @param all {@code --print-all-KIND}: keep every line
         * @param none {@code --print-no-KIND}, or a kind that is listed only when asked (matched)
         */
        Kept(String kind, boolean all, boolean none) {
            this.kind = kind;
            this.all = all;
            this.none = none && !all;
        }

        void add(CharSequence line) {
            count++;
            if (!none && (all || count <= FEW_LINES + 1)) {
                lines.add(stripEnd(line));
            }
        }

        /** No line added from now on would be listed: {@link #addUnlisted} may count them instead. */
        boolean listsNoMore() {
            return none || (!all && count > FEW_LINES);
        }

        /** Counts {@code k} lines when {@link #listsNoMore()}. */
        void addUnlisted(long k) {
            count += k;
        }

        /** A line counted here is counted elsewhere after all: one fewer, and its first listing dropped. */
        void remove(String line) {
            count--;
            lines.remove(stripEnd(line));
        }

        /** fail2banregex.py printLines. */
        void print(PrintStream out) {
            if (none || count == 0) {
                return;
            }
            String header = Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " line(s):";
            if (count < FEW_LINES || all) {
                list(out, header, lines);
            } else {
                out.println(header + " too many to print.  Use --print-all-" + kind + " to print all " + count
                        + " lines");
            }
        }

        private static String stripEnd(CharSequence s) {
            int n = s.length();
            while (n > 0 && Character.isWhitespace(s.charAt(n - 1))) {
                n--;
            }
            return s.subSequence(0, n).toString();
        }
    }
}
