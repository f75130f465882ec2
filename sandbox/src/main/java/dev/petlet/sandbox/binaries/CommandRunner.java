package dev.petlet.sandbox.binaries;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a program to completion; the seam that lets the resolver's tests run without processes.
 * Implementations must be safe to call from one thread at a time; they need not be thread-safe.
 */
interface CommandRunner {
    /**
     * Runs {@code command} and waits for it to exit.
     *
     * @return its exit code and, unless its output went to a file, its standard output and error
     * @throws IOException when the program cannot be started or does not finish within the timeout
     *     (it is then killed)
     * @throws InterruptedException when the calling thread is interrupted (the program is killed)
     */
    Result run(Command command) throws IOException, InterruptedException;

    /**
     * A program and its arguments, with where and how to run it.
     *
     * @param environment variables to set on top of this process's environment
     * @param outputFile when present, standard output and error are appended there instead of
     *     being returned
     */
    record Command(
            List<String> arguments,
            Optional<Path> workingDirectory,
            Map<String, String> environment,
            Optional<Path> outputFile,
            Duration timeout) {
        public Command {
            arguments = List.copyOf(arguments);
            if (arguments.isEmpty()) {
                throw new IllegalArgumentException("a command needs at least the program to run");
            }
            requireNonNull(workingDirectory, "workingDirectory");
            environment = Map.copyOf(environment);
            requireNonNull(outputFile, "outputFile");
            requireNonNull(timeout, "timeout");
        }

        static Command of(Duration timeout, List<String> arguments) {
            return new Command(arguments, Optional.empty(), Map.of(), Optional.empty(), timeout);
        }

        Command in(Path directory) {
            return new Command(arguments, Optional.of(directory), environment, outputFile, timeout);
        }

        Command withEnvironment(String name, String value) {
            Map<String, String> extended = new HashMap<>(environment);
            extended.put(name, value);
            return new Command(arguments, workingDirectory, extended, outputFile, timeout);
        }

        Command appendingOutputTo(Path file) {
            return new Command(arguments, workingDirectory, environment, Optional.of(file), timeout);
        }

        String program() {
            return arguments.getFirst();
        }
    }

    /** How a program ended: its exit code and captured output (empty when it went to a file). */
    record Result(int exitCode, String output) {
        public Result {
            requireNonNull(output, "output");
        }

        boolean succeeded() {
            return exitCode == 0;
        }
    }
}
