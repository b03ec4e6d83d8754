package ips.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A safe evaluator for the arithmetic subset of Python that fail2ban's {@code bantime.formula} uses
 * ({@code jail.conf}: {@code ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor},
 * {@code ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)}).
 *
 * <p>Accepted: decimal numbers, the names {@code ban.Time}, {@code ban.Count}, {@code banFactor},
 * {@code math.e}, {@code math.pi}, {@code True}, {@code False}; operators {@code + - * / // % **
 * << >>}, unary {@code + - not}, comparisons {@code < <= > >= == !=}, {@code and}, {@code or},
 * {@code x if c else y}, parentheses; calls {@code min max abs int float round math.exp math.log
 * math.log2 math.log10 math.sqrt math.pow math.floor math.ceil}. Anything else is rejected at
 * compile time with a {@link FormulaException} naming the position. Evaluation is in doubles; shifts
 * and {@code //} work on integers as Python's do.
 */
public final class Formula {
    /** Bindings of a formula's names. */
    public record Ban(double time, double count, double factor) {}

    private interface Node {
        double eval(Ban b);
    }

    private final String text;
    private final Node root;

    private Formula(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Compiles {@code text}, or throws a {@link FormulaException} saying what is not allowed where. */
    public static Formula compile(String text) throws FormulaException {
        if (text == null || text.isBlank()) {
            throw new FormulaException(String.valueOf(text), 0, "empty formula");
        }
        if (text.length() > 1000) {
            throw new FormulaException(text, 1000, "formula longer than 1000 characters");
        }
        Parser p = new Parser(text);
        Node n = p.ternary();
        if (p.peek().kind != Kind.END) {
            throw p.error("unexpected '" + p.peek().text + "'");
        }
        return new Formula(text, n);
    }

    /** Evaluates with the given bindings. Never throws; a math domain error gives NaN. */
    public double evaluate(double banTime, double banCount, double banFactor) {
        return root.eval(new Ban(banTime, banCount, banFactor));
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    private enum Kind { NUM, NAME, OP, LPAR, RPAR, COMMA, END }

    private record Token(Kind kind, String text, int pos, double value) {}

    private static final class Parser {
        private final String s;
        private final List<Token> tokens = new ArrayList<>();
        private int at;
        private int depth;

        Parser(String s) throws FormulaException {
            this.s = s;
            tokenize();
        }

        private void tokenize() throws FormulaException {
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t') {
                    i++;
                } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                    int j = i;
                    while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                        j++;
                    }
                    if (j < s.length() && (s.charAt(j) == 'e' || s.charAt(j) == 'E')) {
                        int k = j + 1;
                        if (k < s.length() && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                            k++;
                        }
                        if (k < s.length() && Character.isDigit(s.charAt(k))) {
                            j = k;
                            while (j < s.length() && Character.isDigit(s.charAt(j))) {
                                j++;
                            }
                        }
                    }
                    String t = s.substring(i, j);
                    try {
                        tokens.add(new Token(Kind.NUM, t, i, Double.parseDouble(t)));
                    } catch (NumberFormatException e) {
                        throw new FormulaException(s, i, "bad number '" + t + "'");
                    }
                    i = j;
                } else if (Character.isLetter(c) || c == '_') {
                    int j = i;
                    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')) {
                        j++;
                    }
                    tokens.add(new Token(Kind.NAME, s.substring(i, j), i, 0));
                    i = j;
                } else if (c == '(') {
                    tokens.add(new Token(Kind.LPAR, "(", i++, 0));
                } else if (c == ')') {
                    tokens.add(new Token(Kind.RPAR, ")", i++, 0));
                } else if (c == ',') {
                    tokens.add(new Token(Kind.COMMA, ",", i++, 0));
                } else {
                    String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                    if (two.equals("**") || two.equals("//") || two.equals("<<") || two.equals(">>")
                            || two.equals("<=") || two.equals(">=") || two.equals("==") || two.equals("!=")) {
                        tokens.add(new Token(Kind.OP, two, i, 0));
                        i += 2;
                    } else if ("+-*/%<>".indexOf(c) >= 0) {
                        tokens.add(new Token(Kind.OP, String.valueOf(c), i++, 0));
                    } else {
                        throw new FormulaException(s, i, "character '" + c + "' is not allowed");
                    }
                }
            }
            tokens.add(new Token(Kind.END, "end of formula", s.length(), 0));
        }

        Token peek() {
            return tokens.get(at);
        }

        Token next() {
            return tokens.get(at++);
        }

        boolean isOp(String op) {
            Token t = peek();
            return (t.kind == Kind.OP || t.kind == Kind.NAME) && t.text.equals(op);
        }

        FormulaException error(String why) {
            return new FormulaException(s, peek().pos, why);
        }

        private void enter() throws FormulaException {
            if (++depth > 100) {
                throw error("formula nested too deeply");
            }
        }

        Node ternary() throws FormulaException {
            enter();
            Node a = or();
            if (isOp("if")) {
                next();
                Node c = or();
                if (!isOp("else")) {
                    throw error("expected 'else'");
                }
                next();
                Node b = ternary();
                Node x = a;
                a = v -> c.eval(v) != 0 ? x.eval(v) : b.eval(v);
            }
            depth--;
            return a;
        }

        Node or() throws FormulaException {
            Node a = and();
            while (isOp("or")) {
                next();
                Node l = a;
                Node r = and();
                a = v -> {
                    double x = l.eval(v);
                    return x != 0 ? x : r.eval(v);
                };
            }
            return a;
        }

        Node and() throws FormulaException {
            Node a = not();
            while (isOp("and")) {
                next();
                Node l = a;
                Node r = not();
                a = v -> {
                    double x = l.eval(v);
                    return x == 0 ? x : r.eval(v);
                };
            }
            return a;
        }

        Node not() throws FormulaException {
            if (isOp("not")) {
                next();
                enter();
                Node a = not();
                depth--;
                return v -> a.eval(v) == 0 ? 1 : 0;
            }
            return comparison();
        }

        Node comparison() throws FormulaException {
            Node a = shift();
            while (isOp("<") || isOp("<=") || isOp(">") || isOp(">=") || isOp("==") || isOp("!=")) {
                String op = next().text;
                Node l = a;
                Node r = shift();
                a = switch (op) {
                    case "<" -> v -> l.eval(v) < r.eval(v) ? 1 : 0;
                    case "<=" -> v -> l.eval(v) <= r.eval(v) ? 1 : 0;
                    case ">" -> v -> l.eval(v) > r.eval(v) ? 1 : 0;
                    case ">=" -> v -> l.eval(v) >= r.eval(v) ? 1 : 0;
                    case "==" -> v -> l.eval(v) == r.eval(v) ? 1 : 0;
                    default -> v -> l.eval(v) != r.eval(v) ? 1 : 0;
                };
            }
            return a;
        }

        Node shift() throws FormulaException {
            Node a = additive();
            while (isOp("<<") || isOp(">>")) {
                String op = next().text;
                Node l = a;
                Node r = additive();
                a = op.equals("<<") ? v -> shiftLeft(l.eval(v), r.eval(v)) : v -> shiftRight(l.eval(v), r.eval(v));
            }
            return a;
        }

        Node additive() throws FormulaException {
            Node a = term();
            while (isOp("+") || isOp("-")) {
                String op = next().text;
                Node l = a;
                Node r = term();
                a = op.equals("+") ? v -> l.eval(v) + r.eval(v) : v -> l.eval(v) - r.eval(v);
            }
            return a;
        }

        Node term() throws FormulaException {
            Node a = unary();
            while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
                String op = next().text;
                Node l = a;
                Node r = unary();
                a = switch (op) {
                    case "*" -> v -> l.eval(v) * r.eval(v);
                    case "/" -> v -> l.eval(v) / r.eval(v);
                    case "//" -> v -> Math.floor(l.eval(v) / r.eval(v));
                    default -> v -> {
                        double x = l.eval(v);
                        double y = r.eval(v);
                        return x - y * Math.floor(x / y);
                    };
                };
            }
            return a;
        }

        Node unary() throws FormulaException {
            if (isOp("-") || isOp("+")) {
                String op = next().text;
                enter();
                Node a = unary();
                depth--;
                return op.equals("-") ? v -> -a.eval(v) : a;
            }
            return power();
        }

        Node power() throws FormulaException {
            Node a = atom();
            if (isOp("**")) {
                next();
                enter();
                Node b = unary();
                depth--;
                Node l = a;
                return v -> Math.pow(l.eval(v), b.eval(v));
            }
            return a;
        }

        Node atom() throws FormulaException {
            Token t = peek();
            switch (t.kind) {
                case NUM -> {
                    next();
                    double d = t.value;
                    return v -> d;
                }
                case LPAR -> {
                    next();
                    Node n = ternary();
                    if (peek().kind != Kind.RPAR) {
                        throw error("expected ')'");
                    }
                    next();
                    return n;
                }
                case NAME -> {
                    next();
                    if (peek().kind == Kind.LPAR) {
                        return call(t);
                    }
                    return switch (t.text) {
                        case "ban.Time" -> Ban::time;
                        case "ban.Count" -> Ban::count;
                        case "banFactor" -> Ban::factor;
                        case "math.e" -> v -> Math.E;
                        case "math.pi" -> v -> Math.PI;
                        case "True" -> v -> 1;
                        case "False" -> v -> 0;
                        default -> throw new FormulaException(s, t.pos, "name '" + t.text
                                + "' is not allowed (use ban.Time, ban.Count, banFactor, math.*)");
                    };
                }
                default -> throw error("unexpected '" + t.text + "'");
            }
        }

        private Node call(Token name) throws FormulaException {
            next(); // (
            List<Node> args = new ArrayList<>();
            if (peek().kind != Kind.RPAR) {
                while (true) {
                    args.add(ternary());
                    if (peek().kind == Kind.COMMA) {
                        next();
                        continue;
                    }
                    break;
                }
            }
            if (peek().kind != Kind.RPAR) {
                throw error("expected ')' closing " + name.text + "(");
            }
            next();
            int n = args.size();
            Node a = n > 0 ? args.get(0) : null;
            Node b = n > 1 ? args.get(1) : null;
            Node[] all = args.toArray(Node[]::new);
            int want = switch (name.text) {
                case "min", "max" -> n >= 1 ? n : -1;
                case "round", "math.log" -> n == 1 || n == 2 ? n : -1;
                case "math.pow" -> 2;
                case "abs", "int", "float", "math.exp", "math.log2", "math.log10", "math.sqrt", "math.floor", "math.ceil" -> 1;
                default -> throw new FormulaException(s, name.pos, "function '" + name.text + "' is not allowed");
            };
            if (want != n) {
                throw new FormulaException(s, name.pos, name.text + "() takes " + (want < 0 ? "other" : want) + " arguments, got " + n);
            }
            return switch (name.text) {
                case "min" -> v -> {
                    double m = all[0].eval(v);
                    for (int i = 1; i < all.length; i++) {
                        m = Math.min(m, all[i].eval(v));
                    }
                    return m;
                };
                case "max" -> v -> {
                    double m = all[0].eval(v);
                    for (int i = 1; i < all.length; i++) {
                        m = Math.max(m, all[i].eval(v));
                    }
                    return m;
                };
                case "abs" -> v -> Math.abs(a.eval(v));
                case "int" -> v -> truncate(a.eval(v));
                case "float" -> a;
                case "round" -> n == 1 ? v -> Math.rint(a.eval(v)) : v -> {
                    double scale = Math.pow(10, b.eval(v));
                    return Math.rint(a.eval(v) * scale) / scale;
                };
                case "math.exp" -> v -> Math.exp(a.eval(v));
                case "math.log" -> n == 1 ? v -> Math.log(a.eval(v)) : v -> Math.log(a.eval(v)) / Math.log(b.eval(v));
                case "math.log2" -> v -> Math.log(a.eval(v)) / Math.log(2);
                case "math.log10" -> v -> Math.log10(a.eval(v));
                case "math.sqrt" -> v -> Math.sqrt(a.eval(v));
                case "math.pow" -> v -> Math.pow(a.eval(v), b.eval(v));
                case "math.floor" -> v -> Math.floor(a.eval(v));
                default -> v -> Math.ceil(a.eval(v));
            };
        }

        private static double truncate(double d) {
            return d < 0 ? Math.ceil(d) : Math.floor(d);
        }

        private static double shiftLeft(double a, double b) {
            if (b < 0 || b > 62) {
                return b < 0 ? Double.NaN : a == 0 ? 0 : a * Math.pow(2, truncate(b));
            }
            return (double) ((long) truncate(a) << (long) b);
        }

        private static double shiftRight(double a, double b) {
            if (b < 0) {
                return Double.NaN;
            }
            return b > 63 ? (a < 0 ? -1 : 0) : (double) ((long) truncate(a) >> (long) b);
        }
    }
}
