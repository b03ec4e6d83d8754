package ips.app.ops;

/** Builds Prometheus text exposition: {@code # HELP}, {@code # TYPE} and samples. */
public final class Exposition {
    private final StringBuilder sb = new StringBuilder(4096);
    private String lastFamily = "";

    public Exposition family(String name, String type, String help) {
        if (!name.equals(lastFamily)) {
            sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            lastFamily = name;
        }
        return this;
    }

    public Exposition sample(String name, long value) {
        sb.append(name).append(' ').append(value).append('\n');
        return this;
    }

    public Exposition sample(String name, String labelName, String labelValue, long value) {
        sb.append(name).append('{').append(labelName).append("=\"").append(escape(labelValue)).append("\"} ")
                .append(value).append('\n');
        return this;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
