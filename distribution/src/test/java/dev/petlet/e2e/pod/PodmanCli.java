package dev.petlet.e2e.pod;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The podman CLI on the node, to check what petlet did behind the API's back. */
final class PodmanCli {
    private static final Map<String, String> ENVIRONMENT = Map.of("CONTAINERS_CONF", "/etc/petlet/containers.conf");

    private PodmanCli() {}

    /** Runs podman, asserting it succeeds; returns its standard output. */
    static String run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(arguments));
        CommandResult result = Commands.run(Duration.ofSeconds(30), command, ENVIRONMENT);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.stdout();
    }

    /** The runtime's container ID in a status's {@code podman://<id>}. */
    static String containerId(String statusContainerId) {
        assertThat(statusContainerId).startsWith("podman://");
        return statusContainerId.substring("podman://".length());
    }
}
