package dev.petlet.cli;

import dev.petlet.core.config.ConfigException;
import dev.petlet.core.join.JoinException;
import dev.petlet.core.provider.ProviderLoadException;
import dev.petlet.sandbox.SandboxException;
import dev.petlet.sandbox.binaries.BinaryResolutionException;
import picocli.CommandLine;

/** The {@code petlet} command's entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Errors meant for users carry a sentence that says what to do: print only that. Anything
     * else is a bug or an unexpected failure: print the chain of causes, which is what a report needs.
     */
    static String describe(Throwable exception) {
        if (exception instanceof SandboxException
                || exception instanceof BinaryResolutionException
                || exception instanceof ProviderLoadException
                || exception instanceof JoinException
                || exception instanceof IllegalArgumentException) {
            return exception.getMessage();
        }
        if (exception instanceof ConfigException config) {
            return "invalid configuration " + config.getMessage();
        }
        StringBuilder text = new StringBuilder();
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            text.append(text.isEmpty() ? "" : "\n  caused by: ")
                    .append(cause.getClass().getName())
                    .append(": ")
                    .append(cause.getMessage());
        }
        return text.toString();
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PetletCommand());
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            line.getErr().println("petlet: " + describe(exception));
            return 1;
        });
        return commandLine;
    }
}
