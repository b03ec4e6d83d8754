package ips.filter.regex;

import java.util.regex.MatchResult;

/**
 * One regex's matching state over a line's {@link BudgetedText}: a search, then the match's groups
 * ({@link MatchResult}, with {@code java.util.regex}'s group numbers). Either a {@code
 * java.util.regex.Matcher} ({@link #jdk}) or, for the ASCII form of most fail2ban patterns, a
 * {@link FastMatcher}; both give the same results. Not thread-safe: one per thread.
 */
public interface RegexMatcher extends MatchResult {
    /**
     * Searches {@code text} from its start ({@code anchored}: only there, as {@code lookingAt}) and
     * returns whether it matched. Work counts against the text's budget: throws {@link
     * BudgetedText.BudgetExceeded} once it is spent (or {@link StackOverflowError}).
     */
    boolean search(BudgetedText text, boolean anchored);

    /** A copy of the last match that stays valid after the next search. */
    MatchResult snapshot();

    /** A {@code java.util.regex} matcher. */
    static RegexMatcher jdk(java.util.regex.Pattern p) {
        return new JdkMatcher(p.matcher(""));
    }

    /** The {@code java.util.regex} implementation. */
    final class JdkMatcher implements RegexMatcher {
        private final java.util.regex.Matcher m;

        JdkMatcher(java.util.regex.Matcher m) {
            this.m = m;
        }

        @Override
        public boolean search(BudgetedText text, boolean anchored) {
            m.reset(text);
            return anchored ? m.lookingAt() : m.find();
        }

        @Override
        public MatchResult snapshot() {
            return m.toMatchResult();
        }

        @Override
        public int start() {
            return m.start();
        }

        @Override
        public int start(int group) {
            return m.start(group);
        }

        @Override
        public int end() {
            return m.end();
        }

        @Override
        public int end(int group) {
            return m.end(group);
        }

        @Override
        public String group() {
            return m.group();
        }

        @Override
        public String group(int group) {
            return m.group(group);
        }

        @Override
        public int groupCount() {
            return m.groupCount();
        }
    }
}
