package dev.petlet.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the source checkout the tests run in. */
public final class Repository {
    private Repository() {}

    /** The folder holding {@code .ci/}: from -Dpetlet.repository, else the nearest parent of the working dir. */
    public static Path root() {
        String configured = System.getProperty("petlet.repository");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci")) && Files.exists(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "cannot find the petlet checkout above " + Path.of("").toAbsolutePath());
    }
}
