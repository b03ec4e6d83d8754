package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormulaTest {
    @Test
    void evaluatesFail2bansDefaultFormula() throws FormulaException {
        Formula f = Formula.compile(BanIncrement.DEFAULT_FORMULA);
        assertEquals(600, f.evaluate(600, 0, 1));
        assertEquals(1200, f.evaluate(600, 1, 1));
        assertEquals(600 * 8, f.evaluate(600, 3, 1));
        assertEquals(600.0 * (1 << 20), f.evaluate(600, 25, 1));
    }

    @Test
    void evaluatesJailConfsExponentialExample() throws FormulaException {
        Formula f = Formula.compile("ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)");
        double factor = 2.0 / 2.885385;
        assertEquals(600 * Math.exp(4 * factor) / Math.exp(factor), f.evaluate(600, 3, factor), 1e-9);
    }

    @Test
    void followsPythonPrecedence() throws FormulaException {
        assertEquals(-16, Formula.compile("-2**4").evaluate(0, 0, 1));
        assertEquals(512, Formula.compile("2**3**2").evaluate(0, 0, 1));
        assertEquals(6, Formula.compile("1 + 2 << 1").evaluate(0, 0, 1));
        assertEquals(3, Formula.compile("7 // 2").evaluate(0, 0, 1));
        assertEquals(1, Formula.compile("-7 % 2").evaluate(0, 0, 1));
        assertEquals(5, Formula.compile("min(5, max(1, 9), 7)").evaluate(0, 0, 1));
        assertEquals(2, Formula.compile("1 if ban.Count < 3 and not ban.Count == 1 else 2").evaluate(0, 1, 1));
        assertEquals(1.5, Formula.compile("3 / 2").evaluate(0, 0, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"__import__('os').system('id')", "ban.Time.__class__", "open('/etc/passwd')",
            "ban.Time; 1", "lambda: 1", "[1][0]", "ban.IP", "x", "1 +", "(1", "math.exp()", "'a'", "1 if 2",
            "os.system", "getattr(ban, 'Time')"})
    void rejectsAnythingOutsideTheArithmeticSubset(String text) {
        FormulaException e = assertThrows(FormulaException.class, () -> Formula.compile(text));
        assertTrue(e.getMessage().contains("position"), e.getMessage());
    }

    @Test
    void rejectsDeepNestingWithAClearError() {
        String deep = "(".repeat(500) + "1" + ")".repeat(500);
        assertThrows(FormulaException.class, () -> Formula.compile(deep));
    }
}
