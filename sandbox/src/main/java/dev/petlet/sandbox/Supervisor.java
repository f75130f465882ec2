package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs control-plane components as child processes: output to {@code logs/<name>.log}, a pid
 * file each, restarts with back-off after the cluster is up, and an orderly stop in reverse order.
 *
 * <p>Every child is started from the supervisor's one long-lived thread. Where util-linux's
 * {@code setpriv} is present, children get a parent-death signal, and Linux sends that when the
 * <em>thread</em> that forked them ends: so the thread must outlive them, and it does.
 */
final class Supervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int MAX_RESTARTS = 5;
    private static final Duration RESTART_WINDOW = Duration.ofMinutes(10);
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final Path logDirectory;
    private final Path pidDirectory;
    private final ProcessTable processes;
    private final Consumer<String> onGiveUp;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "petlet-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final List<Running> started = new ArrayList<>();
    private final Map<String, Deque<Instant>> restarts = new ConcurrentHashMap<>();
    private volatile boolean restartOnExit;
    private volatile boolean stopping;

    /**
     * @param onGiveUp called (once per component) with a message when a component keeps crashing
     */
    Supervisor(Path logDirectory, Path pidDirectory, ProcessTable processes, Consumer<String> onGiveUp) {
        this.logDirectory = requireNonNull(logDirectory, "logDirectory");
        this.pidDirectory = requireNonNull(pidDirectory, "pidDirectory");
        this.processes = requireNonNull(processes, "processes");
        this.onGiveUp = requireNonNull(onGiveUp, "onGiveUp");
    }

    /** Starts a component; it is stopped by {@link #close()} in reverse start order. */
    void start(ComponentSpec spec) throws SandboxException {
        Running running = new Running(spec);
        onSupervisorThread(() -> {
            launch(running);
            return null;
        });
        synchronized (started) {
            started.add(running);
        }
    }

    /** From now on, a component that exits is restarted instead of failing the start. */
    void restartOnExit() {
        restartOnExit = true;
    }

    /** Throws, with the tail of its log, if any component has exited. */
    void checkAllRunning() throws SandboxException {
        synchronized (started) {
            for (Running running : started) {
                Process process = running.process;
                if (process != null && !process.isAlive()) {
                    throw new SandboxException(
                            running.spec.name() + " exited early with code " + process.exitValue() + "; the end of "
                                    + logFile(running.spec.name()) + ":\n" + tail(logFile(running.spec.name()), 20));
                }
            }
        }
    }

    Path logFile(String component) {
        return logDirectory.resolve(component + ".log");
    }

    /** Stops every component, last started first: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        stopping = true;
        List<Running> reversed;
        synchronized (started) {
            reversed = new ArrayList<>(started);
        }
        java.util.Collections.reverse(reversed);
        for (Running running : reversed) {
            stop(running);
        }
        thread.shutdownNow();
    }

    private void stop(Running running) {
        Process process = running.process;
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "{} did not stop within {}s of SIGTERM; killing it",
                        running.spec.name(),
                        STOP_GRACE.toSeconds());
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(PidFile.path(pidDirectory, running.spec.name()));
        } catch (IOException e) {
            log.debug("could not remove pid file of {}", running.spec.name(), e);
        }
        log.debug("stopped {}", running.spec.name());
    }

    private void launch(Running running) throws IOException {
        Files.createDirectories(logDirectory);
        Path logFile = logFile(running.spec.name());
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        command.addAll(running.spec.command());
        Files.writeString(
                logFile,
                "==== " + Instant.now() + " " + String.join(" ", running.spec.command()) + "\n",
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        running.process = process;
        new PidFile(
                        running.spec.name(),
                        process.pid(),
                        processes.startTime(process.pid()).orElse(-1))
                .write(pidDirectory);
        process.onExit().thenAccept(exited -> onExit(running, exited));
    }

    private void onExit(Running running, Process exited) {
        if (stopping || running.process != exited || !restartOnExit) {
            return;
        }
        String name = running.spec.name();
        Deque<Instant> recent = restarts.computeIfAbsent(name, n -> new ArrayDeque<>());
        Instant now = Instant.now();
        synchronized (recent) {
            while (!recent.isEmpty() && recent.peekFirst().isBefore(now.minus(RESTART_WINDOW))) {
                recent.removeFirst();
            }
            if (recent.size() >= MAX_RESTARTS) {
                onGiveUp.accept(name + " exited " + (MAX_RESTARTS + 1) + " times within " + RESTART_WINDOW.toMinutes()
                        + " minutes (last exit code " + exited.exitValue() + "); see " + logFile(name));
                return;
            }
            recent.addLast(now);
        }
        long delaySeconds = 1L << Math.min(recent.size() - 1, 4);
        log.warn(
                "{} exited with code {}; restarting it in {}s (log: {})",
                name,
                exited.exitValue(),
                delaySeconds,
                logFile(name));
        thread.schedule(
                () -> {
                    if (!stopping) {
                        try {
                            launch(running);
                        } catch (IOException e) {
                            onGiveUp.accept("cannot restart " + name + ": " + e.getMessage());
                        }
                    }
                },
                delaySeconds,
                TimeUnit.SECONDS);
    }

    private <T> T onSupervisorThread(java.util.concurrent.Callable<T> task) throws SandboxException {
        try {
            return thread.submit(task).get(1, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new SandboxException("cannot start process: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while starting a process", e);
        } catch (TimeoutException e) {
            throw new SandboxException("starting a process took more than a minute", e);
        }
    }

    /** The last lines of a log that may be large and not valid UTF-8. */
    static String tail(Path file, int lines) {
        try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - 64 * 1024);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            List<String> all = new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static final class Running {
        final ComponentSpec spec;
        volatile Process process;

        Running(ComponentSpec spec) {
            this.spec = spec;
        }
    }
}
