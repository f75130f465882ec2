package dev.petlet.sandbox.binaries;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes of this JVM. */
final class ProcessCommandRunner implements CommandRunner {
    @Override
    public Result run(Command command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command.arguments()).redirectErrorStream(true);
        command.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
        builder.environment().putAll(command.environment());
        // Output goes to a file even when it is wanted back: a pipe would need a reader thread so
        // that a chatty program cannot block on a full pipe.
        Path captured = command.outputFile().isPresent() ? null : Files.createTempFile("petlet-command-", ".out");
        try {
            builder.redirectOutput(
                    captured == null
                            ? Redirect.appendTo(
                                    command.outputFile().orElseThrow().toFile())
                            : Redirect.to(captured.toFile()));
            Process process = builder.start();
            process.getOutputStream().close();
            boolean exited;
            try {
                exited = process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(process);
                throw e;
            }
            if (!exited) {
                kill(process);
                throw new InterruptedIOException(command.program() + " did not finish within "
                        + command.timeout().toSeconds() + " s");
            }
            String output = captured == null ? "" : new String(Files.readAllBytes(captured), StandardCharsets.UTF_8);
            return new Result(process.exitValue(), output);
        } finally {
            if (captured != null) {
                Files.deleteIfExists(captured);
            }
        }
    }

    // go build starts compilers and linkers of its own; they must not outlive it.
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
