package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.CommandResult;
import dev.petlet.testing.Commands;
import dev.petlet.testing.Kubectl;
import dev.petlet.testing.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zip as a user gets it: unpacked into an empty directory, it holds the providers the build selected
 * ({@code -Dpetlet.providers}), lists them, and its {@code petlet sandbox} runs a pod with the Podman provider
 * loaded in isolation from {@code providers/podman/}.
 */
class DistributionZipE2E {
    @TempDir
    Path temporary;

    private static Path zip() throws IOException {
        Path target = SandboxProcess.distribution().getParent();
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches("petlet-.*\\.zip"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no petlet-<version>.zip in " + target));
        }
    }

    private Path unzip() throws IOException {
        Path home = Files.createDirectories(temporary.resolve("petlet"));
        try (ZipFile zip = new ZipFile(zip().toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path file = home.resolve(entry.getName()).normalize();
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, file);
                }
            }
        }
        Files.setPosixFilePermissions(home.resolve("bin/petlet"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void theUnpackedZipRunsAPodWithTheSelectedProviders() throws Exception {
        Path home = unzip();
        assertThat(home.resolve("bin/petlet")).isExecutable();
        assertThat(home.resolve("conf/petlet.yaml")).isRegularFile();
        assertThat(home.resolve("systemd/petlet.service")).isRegularFile();
        assertThat(home.resolve("docs/providers.md")).isRegularFile();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("provider"));
        }
        String selected = System.getProperty("petlet.providers", "");
        try (Stream<Path> providers = Files.list(home.resolve("providers"))) {
            List<String> installed = providers
                    .map(path -> path.getFileName().toString())
                    .sorted()
                    .toList();
            assertThat(installed).contains("podman");
            if (!selected.isBlank()) {
                assertThat(installed).containsExactlyInAnyOrderElementsOf(Arrays.asList(selected.split(",")));
            }
        }
        CommandResult listed = Commands.run(
                Duration.ofMinutes(1), List.of(home.resolve("bin/petlet").toString(), "providers"));
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdout())
                .contains("podman ")
                .contains("  kinds: runtime")
                .contains("socket: ");

        CommandResult doctor = Commands.run(
                Duration.ofMinutes(1), List.of(home.resolve("bin/petlet").toString(), "doctor"));
        assertThat(doctor.stdout())
                .as(doctor.toString())
                .contains("ok    Podman API socket /run/podman/podman.sock answers")
                .containsPattern("checks (passed|failed)");

        Path state = temporary.resolve("state");
        try (SandboxProcess sandbox = SandboxProcess.start(home, state, temporary.resolve("sandbox.log"))) {
            sandbox.awaitReady(Duration.ofMinutes(3));
            Kubectl kubectl = new Kubectl(state.resolve("admin.kubeconfig"));
            Path pod = temporary.resolve("pod.yaml");
            Files.writeString(pod, """
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: from-the-zip
                      namespace: default
                    spec:
                      restartPolicy: Never
                      terminationGracePeriodSeconds: 1
                      containers:
                      - name: app
                        image: localhost/busybox:latest
                        imagePullPolicy: IfNotPresent
                        command: ["sh", "-c", "echo loaded from providers/podman; sleep 3600"]
                    """);
            CommandResult created = kubectl.run("apply", "-f", pod.toString());
            assertThat(created.exitCode()).as(created.toString()).isZero();

            Poll.untilTrue(
                    Duration.ofMinutes(2),
                    "the pod to run",
                    () -> kubectl.run("get", "pod", "from-the-zip", "-o", "jsonpath={.status.phase}")
                            .stdout()
                            .equals("Running"));
            Poll.untilTrue(
                    Duration.ofMinutes(1),
                    "the pod's log",
                    () -> kubectl.run("logs", "from-the-zip").stdout().contains("loaded from providers/podman"));

            kubectl.run("delete", "pod", "from-the-zip", "--wait=true", "--timeout=60s");
            sandbox.signal("TERM");
            assertThat(sandbox.awaitExit(Duration.ofMinutes(2)))
                    .as(sandbox.output())
                    .isEqualTo(143); // 128 + SIGTERM, as SandboxLifecycleE2E expects
            assertThat(sandbox.processesUsingStateDirectory()).isEmpty();
        }
    }
}
