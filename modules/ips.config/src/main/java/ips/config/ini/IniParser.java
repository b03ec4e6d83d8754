package ips.config.ini;

import ips.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One INI file read exactly as Python 3's {@code configparser.RawConfigParser._read} reads it with
 * fail2ban's settings: delimiters {@code =} and {@code :}, whole-line comments {@code #} and
 * {@code ;}, inline comments {@code ;} only after whitespace, strict (no duplicate section or
 * option in one file), empty lines kept inside values, option names lower-cased.
 */
final class IniParser {
    private IniParser() {}

    static IniConfig parse(String file, String text) throws ConfigException {
        IniConfig cfg = new IniConfig();
        Set<String> added = new HashSet<>();
        Map<String, List<String>> cur = null;
        String curName = null;
        String optName = null;
        int indentLevel = 0;
        ConfigException firstError = null;
        Map<String, Map<String, List<String>>> raw = new LinkedHashMap<>();
        Map<String, List<String>> rawDefaults = new LinkedHashMap<>();
        List<String> lines = splitLines(text);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int lineno = n + 1;
            int commentStart = Integer.MAX_VALUE;
            for (int i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) {
                if (i == 0 || PyText.isSpace(line.charAt(i - 1))) {
                    commentStart = i;
                    break;
                }
            }
            String stripped = PyText.strip(line);
            if (stripped.startsWith("#") || stripped.startsWith(";")) {
                commentStart = 0;
            }
            boolean hasComment = commentStart != Integer.MAX_VALUE;
            String value = PyText.strip(hasComment ? line.substring(0, commentStart) : line);
            if (value.isEmpty()) {
                if (!hasComment && cur != null && optName != null && !optName.isEmpty() && cur.get(optName) != null) {
                    cur.get(optName).add("");
                }
                continue;
            }
            int curIndent = 0;
            while (curIndent < line.length() && PyText.isSpace(line.charAt(curIndent))) {
                curIndent++;
            }
            if (cur != null && optName != null && !optName.isEmpty() && curIndent > indentLevel) {
                cur.get(optName).add(value);
                continue;
            }
            indentLevel = curIndent;
            String header = sectionHeader(value);
            if (header != null) {
                curName = header;
                if (raw.containsKey(header)) {
                    if (added.contains(header)) {
                        throw new ConfigException(file, lineno, null, "section '" + header + "' already exists");
                    }
                    cur = raw.get(header);
                    added.add(header);
                } else if (header.equals(IniConfig.DEFAULT)) {
                    cur = rawDefaults;
                } else {
                    cur = new LinkedHashMap<>();
                    raw.put(header, cur);
                    added.add(header);
                }
                cfg.originsOf(header);
                optName = null;
                continue;
            }
            if (cur == null) {
                throw new ConfigException(file, lineno, null, "file contains no section headers: " + line);
            }
            int d = delimiter(value);
            if (d < 0) {
                if (firstError == null) {
                    firstError = new ConfigException(file, lineno, null, "parsing error (no '=' or ':'): " + line);
                }
                continue;
            }
            if (d == 0 || PyText.rstrip(value.substring(0, d)).isEmpty()) {
                if (firstError == null) {
                    firstError = new ConfigException(file, lineno, null, "parsing error (empty option name): " + line);
                }
            }
            optName = PyText.lower(PyText.rstrip(value.substring(0, d)));
            String elem = curName + "\u0000" + optName;
            if (added.contains(elem)) {
                throw new ConfigException(file, lineno, optName,
                        "option '" + optName + "' in section '" + curName + "' already exists");
            }
            added.add(elem);
            List<String> v = new ArrayList<>();
            v.add(PyText.strip(value.substring(d + 1)));
            cur.put(optName, v);
            cfg.originsOf(curName).put(optName, new Origin(file, lineno));
        }
        for (Map.Entry<String, List<String>> e : rawDefaults.entrySet()) {
            cfg.defaults().put(e.getKey(), PyText.rstrip(String.join("\n", e.getValue())));
        }
        for (Map.Entry<String, Map<String, List<String>>> s : raw.entrySet()) {
            Map<String, String> sec = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : s.getValue().entrySet()) {
                sec.put(e.getKey(), PyText.rstrip(String.join("\n", e.getValue())));
            }
            cfg.sections().put(s.getKey(), sec);
        }
        if (firstError != null) {
            throw firstError;
        }
        return cfg;
    }

    /** SECTCRE {@code \[(?P<header>.+)\]} applied with match(): up to the last ']' after the '['. */
    private static String sectionHeader(String value) {
        if (!value.startsWith("[")) {
            return null;
        }
        int nl = value.length();
        int close = value.lastIndexOf(']');
        if (close <= 1 || close >= nl) {
            return null;
        }
        return value.substring(1, close);
    }

    /** OPTCRE: the option name is lazy, so the first '=' or ':' is the delimiter. */
    private static int delimiter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    /** Universal newlines, as Python's text mode reads them. */
    static List<String> splitLines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
            i++;
        }
        if (start < n) {
            out.add(text.substring(start));
        }
        return out;
    }
}
