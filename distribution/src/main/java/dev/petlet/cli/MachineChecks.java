package dev.petlet.cli;

import dev.petlet.core.config.PetletConfig;
import dev.petlet.spi.ProviderCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the agent itself needs on this machine, whatever the providers: {@code petlet doctor}'s own checks. */
final class MachineChecks {
    private MachineChecks() {}

    static List<ProviderCheck> all(PetletConfig settings) {
        return List.of(
                cgroupsV2(Path.of("/sys/fs/cgroup/cgroup.controllers")),
                portFree(settings.kubeletPort(), "kubeletPort"),
                stateDirectory(settings.stateDir()));
    }

    static ProviderCheck cgroupsV2(Path controllers) {
        String description = "cgroups v2 (unified hierarchy) mounted at /sys/fs/cgroup";
        return Files.exists(controllers)
                ? ProviderCheck.passed(description)
                : ProviderCheck.failed(
                        description,
                        "this machine uses cgroups v1 or hybrid; pods run (with runc and the cgroupfs manager), but"
                                + " boot with systemd.unified_cgroup_hierarchy=1 for the kubelet's cgroups v2"
                                + " behaviour");
    }

    static ProviderCheck portFree(int port, String key) {
        String description = "port " + port + " (" + key + ") is free";
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return ProviderCheck.passed(description);
        } catch (IOException e) {
            return ProviderCheck.failed(
                    description,
                    "another process listens on it (" + e.getMessage() + "): stop it (`ss -ltnp sport = :" + port
                            + "` names it) or set " + key + " in petlet.yaml");
        }
    }

    static ProviderCheck stateDirectory(Path directory) {
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String description = "state directory " + directory + " is writable";
        return existing != null && Files.isWritable(existing)
                ? ProviderCheck.passed(description)
                : ProviderCheck.failed(
                        description, "run petlet as root or set stateDir in petlet.yaml to a directory it may write");
    }
}
