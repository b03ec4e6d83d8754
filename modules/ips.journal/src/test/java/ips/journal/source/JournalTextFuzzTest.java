package ips.journal.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/** Journal fields carry attacker-chosen text (user names, request lines): formatting must be total. */
class JournalTextFuzzTest {

    @FuzzTest
    void syslogLineIsTotalAndSingleLine(FuzzedDataProvider data) {
        String[] values = new String[EntryFields.NAMES.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.consumeBoolean() ? data.consumeString(40) : null;
        }
        values[EntryFields.MESSAGE] = data.consumeRemainingAsString();
        String line = SyslogLine.format(values, 1_234_567, new StringBuilder());
        assertFalse(line.contains("\n"), line);
        assertTrue(line.endsWith(values[EntryFields.MESSAGE].replace("\n", "\\n")), line);
    }

    @FuzzTest
    void journalmatchParsingFailsOnlyWithIllegalArgument(FuzzedDataProvider data) {
        List<String> lines = new ArrayList<>();
        while (data.remainingBytes() > 0 && lines.size() < 4) {
            lines.add(data.consumeString(80));
        }
        List<List<String>> groups;
        try {
            groups = JournalMatch.parse(lines);
        } catch (IllegalArgumentException e) {
            return;
        }
        for (List<String> group : groups) {
            assertFalse(group.isEmpty());
            for (String term : group) {
                assertTrue(term.indexOf('=') > 0, term);
                assertEquals(-1, term.equals("+") ? 0 : -1);
            }
        }
    }
}
