package ips.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The jlink image the end-to-end tests run ({@code -Dportcullis.image.dir=DIR} in e2e/pom.xml picks another). */
final class ImageUnderTest {
    private ImageUnderTest() {}

    /** The image's directory, built or not. */
    static Path dir() {
        return Path.of(System.getProperty("portcullis.image", "../jlink/target/image"));
    }

    /** The image's directory; skips the calling test when the image is not built. */
    static Path built() {
        Path image = dir();
        assumeTrue(Files.isExecutable(image.resolve("bin/portcullis")), "the image is not built at " + image);
        return image;
    }
}
