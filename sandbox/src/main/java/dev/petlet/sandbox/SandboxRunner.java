package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code petlet sandbox} in the foreground: start, report, then stop on the first of SIGINT,
 * SIGTERM, {@code --timeout}, {@code POST /stop} on the control port, or a component that keeps
 * crashing. The control port answers from the start, so {@code GET /ready} says 503 until ready.
 */
public final class SandboxRunner {
    private static final Duration SHUTDOWN_HOOK_WAIT = Duration.ofSeconds(60);

    private final SandboxOptions options;
    private final PrintStream out;
    private final CompletableFuture<String> stopRequest = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Sandbox sandbox;

    public SandboxRunner(SandboxOptions options, PrintStream out) {
        this.options = requireNonNull(options, "options");
        this.out = requireNonNull(out, "out");
    }

    /** Runs until stopped; returns the process exit code (0 after a requested stop). */
    public int run() throws SandboxException {
        Thread main = Thread.currentThread();
        Thread hook = new Thread(
                () -> {
                    requestStop("signal", main);
                    try {
                        finished.get(SHUTDOWN_HOOK_WAIT.toSeconds(), TimeUnit.SECONDS);
                    } catch (InterruptedException | ExecutionException | TimeoutException e) {
                        // Exiting anyway: children die with us (parent-death signal) or at the next start.
                    }
                },
                "petlet-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (ControlServer control = startControlServer(main)) {
            options.timeout()
                    .ifPresent(timeout -> CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(() -> requestStop(
                                    "timeout of "
                                            + timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                                            + " reached",
                                    main)));
            try {
                sandbox = Sandbox.start(options, line -> out.println("petlet: " + line));
            } catch (SandboxException e) {
                if (stopRequest.isDone()) {
                    out.println("petlet: stopped before the cluster was ready (" + stopRequest.getNow("") + ")");
                    return 0;
                }
                throw e;
            }
            try (Sandbox running = sandbox) {
                out.println("petlet: the sandbox is ready; stop it with Ctrl-C or: curl -X POST http://127.0.0.1:"
                        + control.port() + "/stop");
                out.println("export KUBECONFIG=" + running.adminKubeconfig());
                out.flush();
                Thread.ofVirtual().start(() -> {
                    try {
                        running.awaitStopped(Duration.ofDays(36500));
                        running.failure().ifPresent(reason -> requestStop(reason, main));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                String reason = awaitStopRequest();
                out.println("petlet: stopping (" + reason + ")");
                return running.failure().isPresent() ? 1 : 0;
            }
        } finally {
            finished.complete(null);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and waits for `finished`, completed above
            }
        }
    }

    private ControlServer startControlServer(Thread main) throws SandboxException {
        try {
            return ControlServer.start(
                    options.ports().control(),
                    () -> sandbox != null && sandbox.isReady(),
                    () -> requestStop("POST /stop on the control port", main));
        } catch (SandboxException portTaken) {
            // A second sandbox on the same state directory most often fails here first: say that.
            try (StateDirectory free = StateDirectory.lock(options.stateDirectory())) {
                throw portTaken;
            } catch (java.io.IOException e) {
                throw portTaken;
            }
        }
    }

    private void requestStop(String reason, Thread main) {
        if (stopRequest.complete(reason) && sandbox == null) {
            main.interrupt(); // still starting: abandon the start, which cleans up after itself
        }
    }

    private String awaitStopRequest() {
        while (true) {
            try {
                return stopRequest.get();
            } catch (InterruptedException e) {
                // a stop during start interrupts; by now the request is recorded, so keep waiting
            } catch (ExecutionException e) {
                return "error: " + e.getCause().getMessage();
            }
        }
    }
}
