package dev.petlet.core.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How an exec or attach session ended, and how the client is told on the error stream: one JSON {@code
 * metav1.Status} for v4 and later, plain text (nothing on success) before, exactly as the kubelet's {@code
 * remotecommand} server writes it.
 */
sealed interface CommandOutcome {

    /** The process ended with exit code 0, or the attached container ended. */
    record Success() implements CommandOutcome {}

    /**
     * The process ended with another exit code, which the client reads back from the status's causes.
     *
     * @param exitCode the code
     * @param command the command, for the message
     */
    record NonZeroExit(int exitCode, List<String> command) implements CommandOutcome {
        public NonZeroExit {
            command = List.copyOf(command);
        }
    }

    /**
     * The session could not be run or broke: reported as an {@code InternalError} status.
     *
     * @param message what went wrong, as the client should read it
     */
    record Failure(String message) implements CommandOutcome {}

    /** The status as v4 and later clients decode it. */
    static byte[] json(CommandOutcome outcome) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.putObject("metadata");
        switch (outcome) {
            case Success success -> status.put("status", "Success");
            case NonZeroExit exit -> {
                status.put("status", "Failure");
                status.put("message", message(exit));
                status.put("reason", "NonZeroExitCode");
                status.putObject("details")
                        .putArray("causes")
                        .addObject()
                        .put("reason", "ExitCode")
                        .put("message", Integer.toString(exit.exitCode()));
            }
            case Failure failure -> {
                status.put("status", "Failure");
                status.put("message", message(failure));
                status.put("reason", "InternalError");
                status.putObject("details").putArray("causes").addObject().put("message", failure.message());
                status.put("code", 500);
            }
        }
        return Json.bytes(status);
    }

    /** The text v1 to v3 clients print: nothing on success, else the status's message. */
    static byte[] text(CommandOutcome outcome) {
        String message = switch (outcome) {
            case Success success -> "";
            case NonZeroExit exit -> message(exit);
            case Failure failure -> message(failure);
        };
        return message.getBytes(StandardCharsets.UTF_8);
    }

    /** Go's {@code %v} of the command: a space-separated list in brackets. */
    private static String message(NonZeroExit exit) {
        return "command terminated with non-zero exit code: error executing command " + "["
                + String.join(" ", exit.command()) + "], exit code " + exit.exitCode();
    }

    private static String message(Failure failure) {
        return "Internal error occurred: " + failure.message();
    }
}
