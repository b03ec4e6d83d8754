package ips.logfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The written-out equals and hashCode of a saved position behave as a record's would. */
class ResumeFileEntryTest {
    private static ResumeFile.Entry e(String path, long pos, boolean skip, int headLen, long crc, long saved) {
        return new ResumeFile.Entry(path, pos, skip, headLen, crc, saved);
    }

    @Test
    void equalWhenEveryFieldIsEqualAndNotOtherwise() {
        ResumeFile.Entry a = e("/var/log/auth.log", 42, false, 4096, 0xabcL, 1000);
        assertEquals(a, e("/var/log/auth.log", 42, false, 4096, 0xabcL, 1000));
        assertEquals(a.hashCode(), e("/var/log/auth.log", 42, false, 4096, 0xabcL, 1000).hashCode());
        assertNotEquals(a, e("/var/log/other.log", 42, false, 4096, 0xabcL, 1000));
        assertNotEquals(a, e("/var/log/auth.log", 43, false, 4096, 0xabcL, 1000));
        assertNotEquals(a, e("/var/log/auth.log", 42, true, 4096, 0xabcL, 1000));
        assertNotEquals(a, e("/var/log/auth.log", 42, false, 4095, 0xabcL, 1000));
        assertNotEquals(a, e("/var/log/auth.log", 42, false, 4096, 0xabdL, 1000));
        assertNotEquals(a, e("/var/log/auth.log", 42, false, 4096, 0xabcL, 1001));
        assertNotEquals(a, null);
        assertEquals(e(null, 1, false, 0, 0, 0), e(null, 1, false, 0, 0, 0));
    }
}
