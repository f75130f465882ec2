package dev.petlet.testing.fake;

import dev.petlet.spi.runtime.StreamType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory runtime's stand-in for a process: it understands the few commands the conformance kit's
 * {@link dev.petlet.testing.conformance.Workloads#BUSYBOX} uses ({@code sleep N}, {@code echo}, {@code cat},
 * {@code true}, {@code false}, and {@code sh -c} with statements {@code echo W}, {@code echo W >&2}, {@code exit
 * N}, {@code sleep N} separated by {@code ;}); anything else exits with 127 like a shell.
 */
final class FakeProcess {
    /** Where a process writes. */
    @FunctionalInterface
    interface Output {
        void write(StreamType stream, byte[] data) throws IOException;
    }

    /** Exit code of a process killed by SIGKILL. */
    static final int KILLED = 137;

    private final List<String> command;
    private final Output output;
    private final InputStream stdin;
    private final CountDownLatch killed = new CountDownLatch(1);

    FakeProcess(List<String> command, Output output, InputStream stdin) {
        this.command = List.copyOf(command);
        this.output = output;
        this.stdin = stdin;
    }

    /** Ends a running {@code sleep} at once. */
    void kill() {
        killed.countDown();
    }

    /** Runs to completion on the calling thread and returns the exit code. */
    int run() throws IOException {
        if (command.size() == 3 && command.get(0).equals("sh") && command.get(1).equals("-c")) {
            for (String statement : command.get(2).split(";")) {
                Integer exit = statement(statement.trim());
                if (exit != null) {
                    return exit;
                }
            }
            return 0;
        }
        return simple(command);
    }

    /** A shell statement: returns the exit code if it ends the script. */
    private Integer statement(String statement) throws IOException {
        if (statement.isEmpty()) {
            return null;
        }
        List<String> words = List.of(statement.split("\\s+"));
        if (words.get(0).equals("exit")) {
            return words.size() > 1 ? Integer.parseInt(words.get(1)) : 0;
        }
        if (words.get(0).equals("echo") && words.get(words.size() - 1).equals(">&2")) {
            print(StreamType.STDERR, String.join(" ", words.subList(1, words.size() - 1)));
            return null;
        }
        int exit = simple(words);
        return exit == KILLED || exit == 127 ? exit : null;
    }

    private int simple(List<String> words) throws IOException {
        switch (words.get(0)) {
            case "echo" -> {
                print(StreamType.STDOUT, String.join(" ", words.subList(1, words.size())));
                return 0;
            }
            case "true" -> {
                return 0;
            }
            case "false" -> {
                return 1;
            }
            case "cat" -> {
                byte[] buffer = new byte[8192];
                for (int read; (read = stdin.read(buffer)) >= 0; ) {
                    if (read > 0) {
                        output.write(StreamType.STDOUT, java.util.Arrays.copyOf(buffer, read));
                    }
                }
                return 0;
            }
            case "sleep" -> {
                Duration duration = Duration.ofSeconds(Long.parseLong(words.get(1)));
                try {
                    return killed.await(duration.toMillis(), TimeUnit.MILLISECONDS) ? KILLED : 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return KILLED;
                }
            }
            default -> {
                print(StreamType.STDERR, "sh: " + words.get(0) + ": not found");
                return 127;
            }
        }
    }

    private void print(StreamType stream, String line) throws IOException {
        output.write(stream, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
