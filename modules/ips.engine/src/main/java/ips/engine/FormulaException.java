package ips.engine;

/** A {@code bantime.formula} that is not in the accepted subset; the message names the position. */
public final class FormulaException extends Exception {
    private final int position;

    public FormulaException(String formula, int position, String why) {
        super("bantime.formula: " + why + " at position " + position + " in \"" + formula + "\"");
        this.position = position;
    }

    public int position() {
        return position;
    }
}
