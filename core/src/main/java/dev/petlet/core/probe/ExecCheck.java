package dev.petlet.core.probe;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.StreamSession;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a command in a container through the runtime's exec, as exec probes and exec hooks do. */
public final class ExecCheck {
    private final ContainerRuntime runtime;

    public ExecCheck(ContainerRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
    }

    /** The result of one run: the exit code (null if it did not finish) and the combined output. */
    public record Run(Integer exitCode, String output, String error) {}

    /**
     * Runs the command, waiting at most {@code timeout}; never throws: a runtime failure or a
     * timeout is reported in {@link Run#error()}.
     */
    public Run run(String containerId, List<String> command, Duration timeout) {
        if (command == null || command.isEmpty()) {
            return new Run(null, "", "the exec handler has no command");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (StreamSession session =
                runtime.exec(containerId, new ExecRequest(command, false, false, true, true, null), (stream, data) -> {
                    synchronized (output) {
                        if (output.size() < ProbeOutcome.MAX_OUTPUT) {
                            output.write(data, 0, Math.min(data.length, ProbeOutcome.MAX_OUTPUT - output.size()));
                        }
                    }
                })) {
            int exitCode = session.exitCode().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Run(exitCode, text(output), null);
        } catch (TimeoutException e) {
            return new Run(null, text(output), "command " + quoted(String.join(" ", command)) + " timed out");
        } catch (ProviderException e) {
            return new Run(null, "", e.getMessage());
        } catch (ExecutionException e) {
            return new Run(null, text(output), String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(null, text(output), "interrupted");
        }
    }

    /** An exec probe: success on exit code 0; the output is the command's output. */
    public ProbeOutcome probe(String containerId, List<String> command, Duration timeout) {
        Run run = run(containerId, command, timeout);
        if (run.error() != null) {
            return ProbeOutcome.failed(run.error());
        }
        return run.exitCode() == 0 ? ProbeOutcome.passed(run.output()) : ProbeOutcome.failed(run.output());
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
