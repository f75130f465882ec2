package dev.petlet.core.node;

import java.util.List;

/** The node conditions petlet owns, with the kubelet's reasons; others (NetworkUnavailable) are left alone. */
final class NodeConditions {
    static final String READY = "Ready";
    static final String MEMORY_PRESSURE = "MemoryPressure";
    static final String DISK_PRESSURE = "DiskPressure";
    static final String PID_PRESSURE = "PIDPressure";

    /** In the kubelet's order. */
    static final List<String> OWNED = List.of(MEMORY_PRESSURE, DISK_PRESSURE, PID_PRESSURE, READY);

    static final String KUBELET_READY = "KubeletReady";
    static final String KUBELET_NOT_READY = "KubeletNotReady";

    static final String STOPPING_MESSAGE = "petlet is stopping";

    static final Pressure MEMORY = new Pressure(
            MEMORY_PRESSURE,
            "KubeletHasInsufficientMemory",
            "petlet has insufficient memory available",
            "KubeletHasSufficientMemory",
            "petlet has sufficient memory available");
    static final Pressure DISK = new Pressure(
            DISK_PRESSURE,
            "KubeletHasDiskPressure",
            "petlet has disk pressure",
            "KubeletHasNoDiskPressure",
            "petlet has no disk pressure");
    static final Pressure PID = new Pressure(
            PID_PRESSURE,
            "KubeletHasInsufficientPID",
            "petlet has insufficient PID available",
            "KubeletHasSufficientPID",
            "petlet has sufficient PID available");

    /** A pressure condition: True with the first reason and message, False with the second. */
    record Pressure(
            String type, String pressureReason, String pressureMessage, String healthyReason, String healthyMessage) {}

    private NodeConditions() {}
}
