package ips.filter.date;

import java.util.HashMap;
import java.util.Map;

/**
 * fail2ban's fixed zone table and its {@code validateTimeZone}/{@code zone2offset} (strptime.py,
 * {@code TZ_STR}, {@code FIXED_OFFSET_TZ_RE = ([A-Z](?:[A-Z]{2,4})?)?([+-][01]\d(?::?\d{2})?)?$}).
 * Abbreviations are fixed offsets: {@code CET} never switches to summer time.
 */
final class ZoneAbbreviations {

    /** Returned by {@link #offsetMinutes} when fail2ban raises (ValueError or KeyError). */
    static final int INVALID = Integer.MIN_VALUE;

    /** strptime.py TZ_STR: offset in hours, then the abbreviations. */
    private static final String[] TZ_STR = {
        "-12 Y",
        "-11 X NUT SST",
        "-10 W CKT HAST HST TAHT TKT",
        "-9 V AKST GAMT GIT HADT HNY",
        "-8 U AKDT CIST HAY HNP PST PT",
        "-7 T HAP HNR MST PDT",
        "-6 S CST EAST GALT HAR HNC MDT",
        "-5 R CDT COT EASST ECT EST ET HAC HNE PET",
        "-4 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT",
        "-3 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT",
        "-2 O BRST FNT PMDT UYST WGST",
        "-1 N AZOT CVT EGT",
        "0 Z EGST GMT UTC WET WT",
        "1 A CET DFT WAT WEDT WEST",
        "2 B CAT CEDT CEST EET SAST WAST",
        "3 C EAT EEDT EEST IDT MSK",
        "4 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT",
        "5 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT",
        "6 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST",
        "7 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB",
        "8 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST",
        "9 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT",
        "10 K AEST ChST PGT VLAT YAKST YAPT",
        "11 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT",
        "12 M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT",
        "13 FJST NZDT",
        "11.5 NFT",
        "10.5 ACDT LHST",
        "9.5 ACST",
        "6.5 CCT MMT",
        "5.75 NPT",
        "5.5 SLT",
        "4.5 AFT IRDT",
        "3.5 IRST",
        "-2.5 HAT NDT",
        "-3.5 HNT NST NT",
        "-4.5 HLV VET",
        "-9.5 MART MIT",
    };

    private static final Map<String, Integer> OFFSETS = new HashMap<>();

    static {
        for (String line : TZ_STR) {
            String[] parts = line.split(" ");
            int minutes = (int) (Double.parseDouble(parts[0]) * 60);
            for (int i = 1; i < parts.length; i++) {
                OFFSETS.put(parts[i], minutes);
            }
        }
    }

    private ZoneAbbreviations() {
    }

    /**
     * fail2ban's {@code zone2offset(validateTimeZone(text))} for {@code text[from, to)}: minutes east of UTC,
     * or {@link #INVALID}. {@code Z}, {@code UTC} and {@code GMT} are handled by the caller as in strptime.py,
     * but they are in the table too.
     */
    static int offsetMinutes(CharSequence text, int from, int to) {
        // FIXED_OFFSET_TZ_RE.match: optional abbreviation [A-Z](?:[A-Z]{2,4})?, optional offset, then end.
        int abbrEnd = from;
        while (abbrEnd < to && abbrEnd - from < 5 && isAsciiUpper(text.charAt(abbrEnd))) {
            abbrEnd++;
        }
        int abbrLen = abbrEnd - from;
        // the regex backtracks: the abbreviation is 0, 1, 3, 4 or 5 letters and must be followed by offset or end
        for (int len = abbrLen; len >= 0; len--) {
            if (len == 2) {
                continue;
            }
            int offsetPart = parseOffset(text, from + len, to);
            if (offsetPart == INVALID) {
                continue;
            }
            int base = 0;
            if (len > 0) {
                Integer known = OFFSETS.get(text.subSequence(from, from + len).toString());
                if (known == null) {
                    return INVALID; // KeyError in fail2ban
                }
                base = known;
            }
            return base + offsetPart;
        }
        return INVALID;
    }

    /** {@code ([+-][01]\d(?::?\d{2})?)?$} on {@code text[from, to)}: minutes, 0 when empty, else INVALID. */
    private static int parseOffset(CharSequence text, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return 0;
        }
        if (n < 3) {
            return INVALID;
        }
        char sign = text.charAt(from);
        if ((sign != '+' && sign != '-') || !isZeroOrOne(text.charAt(from + 1)) || digit(text.charAt(from + 2)) < 0) {
            return INVALID;
        }
        int hours = digit(text.charAt(from + 1)) * 10 + digit(text.charAt(from + 2));
        int minutes;
        if (n == 3) {
            minutes = 0;
        } else if (n == 5 && digit(text.charAt(from + 3)) >= 0 && digit(text.charAt(from + 4)) >= 0) {
            minutes = digit(text.charAt(from + 3)) * 10 + digit(text.charAt(from + 4));
        } else if (n == 6 && text.charAt(from + 3) == ':' && digit(text.charAt(from + 4)) >= 0
                && digit(text.charAt(from + 5)) >= 0) {
            minutes = digit(text.charAt(from + 4)) * 10 + digit(text.charAt(from + 5));
        } else {
            return INVALID;
        }
        int total = hours * 60 + minutes;
        return sign == '-' ? -total : total;
    }

    private static boolean isAsciiUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isZeroOrOne(char c) {
        return c == '0' || c == '1';
    }

    /** Python's {@code \d} (Unicode Nd) value, or -1. */
    static int digit(char c) {
        return Character.isDigit(c) ? Character.digit(c, 10) : -1;
    }
}
