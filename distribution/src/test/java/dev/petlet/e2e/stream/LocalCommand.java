package dev.petlet.e2e.stream;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Poll;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A command on this machine (kubectl, curl, tmux) whose stdin may come from a file and whose output is
 * collected as it arrives, so a test can poll what a long-running command such as {@code kubectl logs -f}
 * or {@code kubectl port-forward} has printed so far.
 */
final class LocalCommand implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private LocalCommand(List<String> command, Process process) {
        this.command = command;
        this.process = process;
        this.stdoutReader = collect(process.getInputStream(), stdout);
        this.stderrReader = collect(process.getErrorStream(), stderr);
    }

    /** Starts the command with stdin from the file, or from {@code /dev/null} when there is none. */
    static LocalCommand start(Optional<Path> stdin, List<String> command) {
        File input = stdin.map(Path::toFile).orElse(new File("/dev/null"));
        try {
            return new LocalCommand(
                    command,
                    new ProcessBuilder(command)
                            .redirectInput(ProcessBuilder.Redirect.from(input))
                            .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /** Runs the command to completion within the timeout. */
    static CommandResult run(Duration timeout, Optional<Path> stdin, List<String> command) {
        try (LocalCommand running = start(stdin, command)) {
            return running.awaitExit(timeout);
        }
    }

    String stdout() {
        return stdout.toString();
    }

    String stderr() {
        return stderr.toString();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Polls what the command printed to stdout until the function finds something in it. */
    <T> T awaitStdout(Duration timeout, String description, Function<String, Optional<T>> find) {
        return Poll.until(timeout, description + " in the output of " + command, () -> {
            Optional<T> found = find.apply(stdout());
            if (found.isEmpty() && !process.isAlive()) {
                throw new AssertionError("exited with " + process.exitValue() + " before printing " + description + ": "
                        + command + "\n--- stdout\n" + stdout() + "\n--- stderr\n" + stderr());
            }
            return found;
        });
    }

    /** Polls until stdout contains the text. */
    void awaitStdoutContains(Duration timeout, String text) {
        awaitStdout(timeout, "\"" + text + "\"", out -> out.contains(text) ? Optional.of(true) : Optional.empty());
    }

    /** Waits for the command to exit; returns everything it printed. */
    CommandResult awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("did not finish within " + timeout.toSeconds() + "s: " + command
                        + "\n--- stdout\n" + stdout() + "\n--- stderr\n" + stderr());
            }
            stdoutReader.join(timeout.toMillis());
            stderrReader.join(timeout.toMillis());
            return new CommandResult(process.exitValue(), stdout(), stderr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + command, e);
        }
    }

    /** Ends the command if it still runs (SIGTERM, as Ctrl-C would for kubectl), then waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread collect(InputStream in, StringBuffer into) {
        return Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                into.append("(output unreadable: ").append(e.getMessage()).append(')');
            }
        });
    }
}
