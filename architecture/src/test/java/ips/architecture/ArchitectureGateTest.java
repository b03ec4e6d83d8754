package ips.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The gate over every module's production classes. */
class ArchitectureGateTest {

    @Test
    void noProductionClassSpawnsAProcess() {
        ArchitectureRules.NO_PROCESS_SPAWNING.check(ProductionClasses.all());
    }

    @Test
    void onlyNativeBackendsUseTheForeignFunctionApi() {
        ArchitectureRules.FFM_ONLY_IN_NATIVE_MODULES.check(ProductionClasses.all());
    }

    @Test
    void noProductionClassLoadsClassesByName() {
        ArchitectureRules.NO_REFLECTIVE_LOADING.check(ProductionClasses.all());
    }

    @Test
    void importsEveryModulesProductionClassesButNoTests() {
        Set<String> packages = ProductionClasses.all().stream().map(c -> c.getPackageName().split("\\.")[1])
                .collect(Collectors.toSet());
        assertTrue(packages.containsAll(Set.of("api", "app")), packages.toString());
        assertFalse(ProductionClasses.all().stream().anyMatch(c -> c.getSimpleName().endsWith("Test")),
                "test classes must not be part of the gate's input");
    }

    @Test
    void apiDependsOnJavaBaseOnly() {
        ModuleDescriptor api = ProductionClasses.descriptors().stream().filter(d -> d.name().equals("ips.api"))
                .findFirst().orElseThrow();
        Set<String> requires = api.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet());
        assertEquals(Set.of("java.base"), requires);
    }

    @Test
    void noModuleRequiresABackendModule() {
        List<ModuleDescriptor> all = ProductionClasses.descriptors();
        assertEquals(9, all.size(), "modules found: " + all.stream().map(ModuleDescriptor::name).toList());
        for (ModuleDescriptor d : all) {
            for (ModuleDescriptor.Requires r : d.requires()) {
                assertFalse(ProductionClasses.BACKEND_MODULES.contains(r.name()) && !d.name().equals(r.name()),
                        d.name() + " requires backend module " + r.name() + "; use ServiceLoader (uses/provides)");
            }
        }
    }

    @Test
    void foreignFunctionModulesAreExactlyTheNativeBackends() {
        Set<String> ffmPackages = ProductionClasses.all().stream()
                .filter(c -> c.getDirectDependenciesFromSelf().stream()
                        .anyMatch(dep -> dep.getTargetClass().getPackageName().startsWith("java.lang.foreign")))
                .map(c -> c.getPackageName().split("\\.")[0] + "." + c.getPackageName().split("\\.")[1])
                .collect(Collectors.toSet());
        assertTrue(ProductionClasses.NATIVE_MODULES.containsAll(ffmPackages), ffmPackages.toString());
    }
}
