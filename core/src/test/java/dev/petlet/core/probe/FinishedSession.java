package dev.petlet.core.probe;

import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An exec session that has already ended with an exit code, for tests of exec probes and hooks. */
public final class FinishedSession implements StreamSession {
    private final int code;

    public FinishedSession(int code) {
        this.code = code;
    }

    @Override
    public OutputStream stdin() {
        return OutputStream.nullOutputStream();
    }

    @Override
    public void resize(TerminalSize size) {}

    @Override
    public CompletionStage<Integer> exitCode() {
        return CompletableFuture.completedFuture(code);
    }

    @Override
    public void close() {}
}
