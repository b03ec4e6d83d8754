package ips.config;

import java.util.ArrayList;
import java.util.List;

/** Python's {@code shlex.split(s)} (POSIX mode, comments off): quotes, backslash escapes, whitespace. */
final class Shlex {
    private Shlex() {}

    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder tok = new StringBuilder();
        boolean inTok = false;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inTok) {
                    out.add(tok.toString());
                    tok.setLength(0);
                    inTok = false;
                }
                i++;
            } else if (c == '\'') {
                inTok = true;
                int e = s.indexOf('\'', i + 1);
                if (e < 0) {
                    throw new IllegalArgumentException("No closing quotation");
                }
                tok.append(s, i + 1, e);
                i = e + 1;
            } else if (c == '"') {
                inTok = true;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("No closing quotation");
                    }
                    char d = s.charAt(i);
                    if (d == '"') {
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\'
                            || s.charAt(i + 1) == '$' || s.charAt(i + 1) == '`' || s.charAt(i + 1) == '\n')) {
                        tok.append(s.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    tok.append(d);
                    i++;
                }
            } else if (c == '\\') {
                inTok = true;
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("No escaped character");
                }
                tok.append(s.charAt(i + 1));
                i += 2;
            } else {
                inTok = true;
                tok.append(c);
                i++;
            }
        }
        if (inTok) {
            out.add(tok.toString());
        }
        return out;
    }
}
