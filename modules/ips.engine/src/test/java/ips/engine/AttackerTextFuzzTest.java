package ips.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import ips.api.Enforcer;
import ips.api.Failure;
import ips.api.IpAddress;
import ips.api.IpPrefix;
import ips.engine.ledger.BanLedger;
import java.util.List;

/**
 * Failure ids come from log lines (attacker text); formulas from configuration. Neither may make
 * the engine throw anything unchecked.
 */
class AttackerTextFuzzTest {
    private static final Enforcer NONE = Enforcer.discarding();

    @FuzzTest
    void anyFailureIdIsCountedWithoutThrowingAndTheIdOfAnAddressIsItsAddress(FuzzedDataProvider data) {
        JailEngine e = new JailEngine(EngineSettings.of(64).withClock(() -> 1000L),
                List.of(JailPolicy.of("j", 2, 60_000, 60_000)), BanLedger.inMemory(86_400_000L), NONE);
        IpAddress a = data.consumeBoolean() ? IpAddress.ofIpv4(data.consumeInt())
                : IpAddress.ofIpv6(data.consumeLong(), data.consumeLong());
        String id = data.consumeRemainingAsString();
        boolean same = a.equals(IpAddress.tryParse(id));
        assertEquals(same, FailureKey.isAddressText(id, a), id);
        e.onFailure(new Failure("j", id, a, 1000));
        BanDecision d = e.onFailure(new Failure("j", id, a, 1000));
        assertTrue(d != null && d.ban().target().equals(IpPrefix.of(a)));
    }

    @FuzzTest
    void compilingAnyFormulaEitherWorksOrSaysWhy(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            Formula f = Formula.compile(text);
            f.evaluate(600, 3, 1);
        } catch (FormulaException expected) {
            assertTrue(expected.getMessage().startsWith("bantime.formula: "));
        }
    }
}
