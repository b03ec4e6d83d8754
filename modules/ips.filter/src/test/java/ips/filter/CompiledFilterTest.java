package ips.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ips.api.LogLine;
import ips.config.FilterDefinition;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The datepattern is checked when the filter compiles; a source matcher dates lines with it (the
 * daemon's matcher takes a date less than 60 s from now as the failure's time).
 */
class CompiledFilterTest {
    private static final long NOW = LocalDateTime.of(2026, 11, 23, 18, 20, 30).toEpochSecond(ZoneOffset.UTC) * 1000L;

    private static FilterDefinition filter(String datepattern) {
        return new FilterDefinition("t", null, List.of("Failed password for \\S+ from <HOST>"),
                List.of(), datepattern, 1, List.of(), Map.of());
    }

    @Test
    void datepatternThatDoesNotCompileIsRefusedWithTheFilter() {
        FilterException e = assertThrows(FilterException.class, () -> CompiledFilter.compile(filter("%Y-%m-%d %Q"), "no"));
        assertTrue(e.getMessage().startsWith("Invalid datepattern '%Y-%m-%d %Q'"), e.getMessage());
        assertThrows(FilterException.class, () -> CompiledFilter.compile(filter("{^LN-BEG}\nEPOCH\nEPOCH"), "no"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{^LN-BEG}", "{DEFAULT}", "^%b %d %H:%M:%S", ""})
    void sourceMatcherDatesLinesWithTheFiltersPattern(String datepattern) throws Exception {
        CompiledFilter f = CompiledFilter.compile(filter(datepattern), "no");
        FilterMatcher m = f.newSourceMatcher(ZoneOffset.UTC.getRules(), () -> NOW);
        List<FilterFailure> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            m.process("Nov 23 18:20:1" + i + " host sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2",
                    LogLine.UNKNOWN_TIME, (n, fail) -> out.add(fail));
        }
        assertEquals(2, out.size());
        long want = LocalDateTime.of(2026, 11, 23, 18, 20, 10).toEpochSecond(ZoneOffset.UTC) * 1000L;
        assertEquals(want, out.get(0).timeMillis());
        assertEquals(want + 1000, out.get(1).timeMillis());
    }
}
