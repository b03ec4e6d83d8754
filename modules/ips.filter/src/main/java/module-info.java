/**
 * fail2ban's filter language: Python-regex translation, fail2ban's tags, prefregex, failregex,
 * ignoreregex, multi-line buffers and failure ids ({@link ips.filter.CompiledFilter}, {@link
 * ips.filter.FilterMatcher}), date detection ({@code ips.filter.date}) and {@code portcullis
 * test-filter} ({@link ips.filter.tester.TestFilterCommand}).
 */
module ips.filter {
    requires transitive ips.api;
    requires transitive ips.config;

    exports ips.filter;
    exports ips.filter.date;
    exports ips.filter.tester;
}
