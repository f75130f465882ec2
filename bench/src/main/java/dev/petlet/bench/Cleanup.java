package dev.petlet.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Undoes what the benchmark set up, newest first, once: at the end of {@code main}, or from a
 * shutdown hook on Ctrl-C or SIGTERM. A step added after cleanup began (the main thread still
 * starting something while the hook runs) is undone at once, so nothing outlives the run.
 */
final class Cleanup implements AutoCloseable {
    /** One thing to undo. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private record Named(String description, Step step) {}

    private final Deque<Named> steps = new ArrayDeque<>();
    private boolean closing;

    /** Runs {@link #close()} when the JVM is asked to stop. */
    void onShutdown() {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            if (!closing()) {
                                System.err.println("pod-startup: stopping; cleaning up");
                            }
                            close();
                        },
                        "pod-startup-cleanup"));
    }

    /** @param description what the step does, for a message if it fails: "stop the control plane" */
    synchronized void add(String description, Step step) {
        Named named = new Named(description, step);
        if (closing) {
            run(named);
        } else {
            steps.push(named);
        }
    }

    synchronized boolean closing() {
        return closing;
    }

    @Override
    public synchronized void close() {
        closing = true;
        while (!steps.isEmpty()) {
            run(steps.pop());
        }
    }

    private static void run(Named named) {
        try {
            named.step().run();
        } catch (Exception e) {
            System.err.println("pod-startup: cannot " + named.description() + ": " + e.getMessage());
        }
    }
}
