package dev.petlet.core.probe;

/** The three kinds of container probe, named as the kubelet names them in events. */
public enum ProbeKind {
    STARTUP("Startup"),
    LIVENESS("Liveness"),
    READINESS("Readiness");

    private final String title;

    ProbeKind(String title) {
        this.title = title;
    }

    /** {@code Liveness}, {@code Readiness} or {@code Startup}, as in "Liveness probe failed: …". */
    public String title() {
        return title;
    }
}
