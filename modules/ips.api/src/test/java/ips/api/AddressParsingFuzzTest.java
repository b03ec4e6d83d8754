package ips.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Parsing attacker text is total: any input gives an address or an {@link AddressFormatException},
 * never an unchecked exception; whatever parses, re-parses from its canonical text to the same value.
 */
class AddressParsingFuzzTest {

    @FuzzTest
    void parsingIsTotalAndCanonicalTextRoundTrips(FuzzedDataProvider data) throws Exception {
        String text = data.consumeRemainingAsString();
        IpAddress a = IpAddress.tryParse(text);
        if (a != null) {
            assertEquals(a, IpAddress.parse(a.toString()));
            assertEquals(a, IpAddress.ofBytes(a.toBytes()));
        }
        try {
            IpPrefix p = IpPrefix.parse(text);
            assertEquals(p, IpPrefix.parse(p.toString()));
        } catch (AddressFormatException expected) {
            // a typed error is the contract
        }
    }
}
