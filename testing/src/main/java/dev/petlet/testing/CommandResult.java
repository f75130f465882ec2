package dev.petlet.testing;

/** What a finished command printed and returned. */
public record CommandResult(int exitCode, String stdout, String stderr) {
    /** Everything printed, for assertion messages. */
    public String output() {
        return stdout + stderr;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
