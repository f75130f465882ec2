package dev.petlet.core.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings and facts of a healthy example node, for tests to vary. */
final class NodeTestValues {
    static final String NODE = "pet-1";

    private NodeTestValues() {}

    static NodeSettings settings() {
        return new Settings().build();
    }

    /** The example node's settings, changed one at a time. */
    static final class Settings {
        private Optional<String> externalIP = Optional.empty();
        private int kubeletPort = 10250;
        private Map<String, String> reserved = Map.of();
        private Heartbeats heartbeats = Heartbeats.DEFAULT;

        Settings externalIP(String value) {
            externalIP = Optional.of(value);
            return this;
        }

        Settings kubeletPort(int value) {
            kubeletPort = value;
            return this;
        }

        Settings reserved(Map<String, String> value) {
            reserved = value;
            return this;
        }

        Settings heartbeats(Heartbeats value) {
            heartbeats = value;
            return this;
        }

        NodeSettings build() {
            return new NodeSettings(
                    NODE,
                    NODE,
                    Map.of("disk", "ssd"),
                    List.of(new NodeTaint("dedicated", "pets", TaintEffect.NO_SCHEDULE)),
                    "192.168.1.20",
                    externalIP,
                    kubeletPort,
                    110,
                    "v1.33.13+petlet.0.1.0",
                    reserved,
                    heartbeats);
        }
    }

    static NodeFacts facts() {
        return new Facts().build();
    }

    /** A healthy machine's facts, changed one at a time. */
    static final class Facts {
        private List<ImageSummary> images =
                List.of(new ImageSummary(List.of("docker.io/library/busybox:1.36"), 4_300_000));
        private Optional<String> runtimeProblem = Optional.empty();
        private boolean memoryPressure;
        private boolean diskPressure;
        private String bootId = "be9d1292-ba45-42d8-b00b-8c0ed8707c4c";

        Facts images(List<ImageSummary> value) {
            images = value;
            return this;
        }

        Facts runtimeProblem(String value) {
            runtimeProblem = Optional.of(value);
            return this;
        }

        Facts memoryPressure() {
            memoryPressure = true;
            return this;
        }

        Facts diskPressure() {
            diskPressure = true;
            return this;
        }

        Facts bootId(String value) {
            bootId = value;
            return this;
        }

        NodeFacts build() {
            return new NodeFacts(
                    4,
                    8L * 1024 * 1024 * 1024,
                    100L * 1000 * 1000 * 1000,
                    "3d1219c7c4c5404aaa1f6d2a48adfda4",
                    bootId,
                    "4c4c4544-0042-4b10-8036-b4c04f4d3232",
                    "6.1.0-18-amd64",
                    "Debian GNU/Linux 12 (bookworm)",
                    "amd64",
                    "podman://4.3.1",
                    images,
                    runtimeProblem,
                    memoryPressure,
                    diskPressure,
                    false);
        }
    }
}
