package dev.petlet.testing.conformance;

import dev.petlet.spi.runtime.ImageSpec;
import java.util.List;

/**
 * The image and commands the runtime conformance tests run. The default, {@link #BUSYBOX}, is a busybox image
 * and POSIX shell commands; a runtime that cannot run those (a fake, a runtime for another kind of workload)
 * supplies its own equivalents.
 */
public interface Workloads {
    /** busybox commands on {@code localhost/busybox:latest}. */
    Workloads BUSYBOX = new Workloads() {};

    /** An image the runtime has locally, without pulling. */
    default ImageSpec image() {
        return ImageSpec.of("localhost/busybox:latest");
    }

    /** A reference to an image that exists nowhere. */
    default ImageSpec missingImage() {
        return ImageSpec.of("localhost/petlet-conformance-missing:never");
    }

    /** A main process that runs until stopped. */
    default List<String> runsUntilStopped() {
        return List.of("sleep", "3600");
    }

    /** A main process that prints {@code line} (a word without spaces) and a newline, then exits with {@code code}. */
    default List<String> printsThenExits(String line, int code) {
        return List.of("sh", "-c", "echo " + line + "; exit " + code);
    }

    /** A command that prints {@code line} and a newline to standard error, then exits with {@code code}. */
    default List<String> printsToStandardErrorThenExits(String line, int code) {
        return List.of("sh", "-c", "echo " + line + " >&2; exit " + code);
    }

    /** A command that copies standard input to standard output until end-of-file. */
    default List<String> copiesStandardInput() {
        return List.of("cat");
    }
}
