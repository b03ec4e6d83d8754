package ips.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import ips.architecture.fixture.SpawnsProcesses;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each rule reports the fixture's violations, so a green gate means something. */
class RulesCanFailTest {
    private static JavaClasses fixture;

    @BeforeAll
    static void importFixture() {
        fixture = new ClassFileImporter().importClasses(SpawnsProcesses.class);
    }

    @Test
    void processRuleReportsProcessBuilderRuntimeExecAndProcessHandle() {
        EvaluationResult result = ArchitectureRules.NO_PROCESS_SPAWNING.evaluate(fixture);
        assertTrue(result.hasViolation());
        List<String> details = result.getFailureReport().getDetails();
        assertTrue(details.stream().anyMatch(d -> d.contains("viaProcessBuilder") && d.contains("ProcessBuilder")), details.toString());
        assertTrue(details.stream().anyMatch(d -> d.contains("viaRuntimeExec") && d.contains("Runtime.exec")), details.toString());
        assertTrue(details.stream().anyMatch(d -> d.contains("viaProcessHandle") && d.contains("ProcessHandle")), details.toString());
    }

    @Test
    void foreignRuleReportsAForeignCallOutsideTheNativeModules() {
        EvaluationResult result = ArchitectureRules.FFM_ONLY_IN_NATIVE_MODULES.evaluate(fixture);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().getDetails().stream().anyMatch(d -> d.contains("java.lang.foreign.Arena")));
    }

    @Test
    void reflectionRuleReportsClassForName() {
        EvaluationResult result = ArchitectureRules.NO_REFLECTIVE_LOADING.evaluate(fixture);
        assertTrue(result.getFailureReport().getDetails().stream().anyMatch(d -> d.contains("Class.forName")));
    }
}
