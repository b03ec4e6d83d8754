package ips.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/** The rules of the gate, shared by the gate and by the test that proves the rules can fail. */
final class ArchitectureRules {
    private ArchitectureRules() {}

    /** A call to any {@code Runtime.exec} overload, matched by owner and name. */
    private static final DescribedPredicate<JavaAccess<?>> RUNTIME_EXEC =
            new DescribedPredicate<>("call Runtime.exec(..)") {
                @Override
                public boolean test(JavaAccess<?> access) {
                    return access.getTargetOwner().isEquivalentTo(Runtime.class)
                            && access.getTarget().getName().equals("exec");
                }
            };

    /** No production class may start a process: the ban path is in-process, always. */
    static final ArchRule NO_PROCESS_SPAWNING = noClasses()
            .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class, ProcessHandle.class,
                    ProcessBuilder.Redirect.class, Process.class)
            .orShould().accessTargetWhere(RUNTIME_EXEC)
            .because("production code never spawns a process (no fork+exec in the ban path)");

    /** Only the native backends may use the FFM API. */
    static final ArchRule FFM_ONLY_IN_NATIVE_MODULES = noClasses()
            .that().resideOutsideOfPackages("ips.nftables..", "ips.pf..", "ips.journal..")
            .should().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
            .because("only ips.nftables, ips.pf and ips.journal are granted native access");

    /** No reflection-based discovery or plugin loading: backends come through ServiceLoader. */
    static final ArchRule NO_REFLECTIVE_LOADING = noClasses()
            .should().callMethod(Class.class, "forName", String.class)
            .orShould().callMethod(Class.class, "forName", String.class, boolean.class, ClassLoader.class)
            .orShould().dependOnClassesThat().belongToAnyOf(java.net.URLClassLoader.class)
            .because("modules are linked, not loaded: no Class.forName, no class loaders");

    static boolean isBackend(JavaClass c) {
        return ProductionClasses.BACKEND_MODULES.stream().anyMatch(m -> c.getPackageName().startsWith(m));
    }
}
