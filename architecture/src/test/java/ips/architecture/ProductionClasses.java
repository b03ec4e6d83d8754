package ips.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds every module's compiled production classes ({@code modules/<name>/target/classes}). */
final class ProductionClasses {
    static final List<String> NATIVE_MODULES = List.of("ips.nftables", "ips.pf", "ips.journal");
    static final List<String> BACKEND_MODULES = List.of("ips.nftables", "ips.pf", "ips.journal", "ips.logfile");

    private static JavaClasses cached;

    private ProductionClasses() {}

    static Path modulesDir() {
        return Path.of(System.getProperty("portcullis.modules.dir", "../modules")).toAbsolutePath().normalize();
    }

    /** The {@code target/classes} folder of each module, by module name. */
    static List<Path> classDirs() {
        try (Stream<Path> dirs = Files.list(modulesDir())) {
            List<Path> found = dirs.filter(d -> d.getFileName().toString().startsWith("ips."))
                    .map(d -> d.resolve("target/classes"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
            if (found.size() < 9) {
                throw new IllegalStateException("expected the classes of 9 modules under " + modulesDir() + ", found " + found);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized JavaClasses all() {
        if (cached == null) {
            cached = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPaths(classDirs());
        }
        return cached;
    }

    static List<ModuleDescriptor> descriptors() {
        return classDirs().stream()
                .map(d -> ModuleFinder.of(d).findAll().stream().findFirst()
                        .orElseThrow(() -> new IllegalStateException("no module-info.class in " + d)))
                .map(ModuleReference::descriptor)
                .toList();
    }
}
