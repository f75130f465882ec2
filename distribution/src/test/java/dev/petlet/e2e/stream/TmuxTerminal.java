package dev.petlet.e2e.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import dev.petlet.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A command running in a pseudo-terminal of a private tmux server: a test types into it and reads the
 * screen, as a user at a terminal would.
 */
final class TmuxTerminal implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final String SESSION = "e2e";

    private final String socket;

    private TmuxTerminal(String socket) {
        this.socket = socket;
    }

    /**
     * Starts the command (its words joined by spaces, run by {@code sh}) in a new terminal of the given size,
     * in a shell that stays after it and prints {@code exit=<status>}: {@link #awaitScreen} reads how it ended.
     * tmux would clear the screen of a pane whose command has exited, and once marked kubectl's pane dead
     * without ever recording its status (tmux 3.3a).
     */
    static TmuxTerminal start(int columns, int rows, List<String> command) {
        TmuxTerminal terminal =
                new TmuxTerminal("petlet-e2e-" + ThreadLocalRandom.current().nextInt(1_000_000));
        List<String> arguments = new ArrayList<>(
                List.of("new-session", "-d", "-s", SESSION, "-x", String.valueOf(columns), "-y", String.valueOf(rows)));
        arguments.addAll(List.of("sh", "-c", String.join(" ", command) + "; echo exit=$?; exec sleep 600"));
        terminal.tmuxOk(arguments);
        // Keep the pane should the shell itself end, so the test can still read its screen.
        terminal.tmuxOk(List.of("set-option", "-t", SESSION, "remain-on-exit", "on"));
        return terminal;
    }

    /** Types the text followed by Enter. */
    void typeLine(String text) {
        tmuxOk(List.of("send-keys", "-t", SESSION, "-l", text));
        tmuxOk(List.of("send-keys", "-t", SESSION, "Enter"));
    }

    /** What the terminal shows now. */
    String screen() {
        return tmuxOk(List.of("capture-pane", "-p", "-t", SESSION));
    }

    /**
     * Polls the screen until it contains the text; returns the screen. tmux drops the spaces at the end of
     * each line, so the text should not end with one.
     */
    String awaitScreen(Duration timeout, String text) {
        try {
            return Poll.until(timeout, "the terminal to show \"" + text + "\"", () -> {
                String screen = screen();
                return screen.contains(text) ? Optional.of(screen) : Optional.empty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it shows:\n" + screen().strip(), e);
        }
    }

    /** Resizes the terminal, as a user resizing the window would: the command gets SIGWINCH. */
    void resize(int columns, int rows) {
        tmuxOk(List.of("resize-window", "-t", SESSION, "-x", String.valueOf(columns), "-y", String.valueOf(rows)));
    }

    @Override
    public void close() {
        tmux(List.of("kill-server"));
    }

    private String tmuxOk(List<String> arguments) {
        CommandResult result = tmux(arguments);
        assertThat(result.exitCode()).as("tmux " + arguments + "\n" + result).isZero();
        return result.stdout();
    }

    private CommandResult tmux(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(arguments);
        return Commands.run(COMMAND_TIMEOUT, command);
    }
}
