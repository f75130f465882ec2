package dev.petlet.spi.runtime;

import java.util.List;

/**
 * A command to run in a running container with {@link ContainerRuntime#exec}.
 *
 * @param command the command and its arguments; not empty
 * @param tty whether to allocate a terminal (output then arrives as one stream, {@link StreamType#STDOUT})
 * @param stdin whether to connect {@link StreamSession#stdin()} to the process
 * @param stdout whether to deliver standard output
 * @param stderr whether to deliver standard error (ignored with a terminal)
 * @param terminalSize nullable: the initial terminal size, or {@code null} for the runtime's default
 */
public record ExecRequest(
        List<String> command, boolean tty, boolean stdin, boolean stdout, boolean stderr, TerminalSize terminalSize) {
    public ExecRequest {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
    }

    /** Runs the command without terminal or input, delivering both output streams. */
    public static ExecRequest of(String... command) {
        return new ExecRequest(List.of(command), false, false, true, true, null);
    }
}
