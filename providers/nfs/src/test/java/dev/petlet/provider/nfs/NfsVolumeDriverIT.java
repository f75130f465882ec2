package dev.petlet.provider.nfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.volume.VolumeMountRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver against fake mount helpers (the kernel here has no NFS): one that records, one that bind-mounts. */
class NfsVolumeDriverIT {
    @TempDir
    Path temporary;

    private Path target;

    @AfterEach
    void unmountLeftovers() throws Exception {
        if (target != null && MountTable.SYSTEM.isMountPoint(target)) {
            new ProcessBuilder("umount", target.toString()).start().waitFor();
        }
    }

    /** A helper script that appends its arguments as one line to {@code log}, then runs {@code body}. */
    private Path helper(String name, Path log, String body) throws IOException {
        Path script = temporary.resolve(name);
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private VolumeMountRequest request(boolean readOnly) throws IOException {
        target = Files.createDirectories(temporary.resolve("pods/u1/volumes/kubernetes.io~nfs/data"));
        return new VolumeMountRequest(
                "u1",
                "default",
                "web",
                "data",
                "nfs",
                Map.of("server", "10.0.0.5", "path", "/export"),
                target,
                readOnly);
    }

    @Test
    void callsTheHelperWithTheNfsArguments() throws Exception {
        Path log = temporary.resolve("mount.log");
        var factory = new NfsVolumeDriverFactory();
        try (var driver = factory.create(
                Map.of("mountCommand", helper("mount", log, "exit 0").toString(), "mountOptions", "soft"), null)) {
            driver.mount(request(true));
        }

        assertThat(Files.readAllLines(log)).containsExactly("-t nfs -o ro,soft 10.0.0.5:/export " + target);
    }

    @Test
    void aFailedMountCarriesTheHelpersOutput() throws Exception {
        Path log = temporary.resolve("mount.log");
        Path failing = helper(
                "mount", log, "echo 'mount.nfs: access denied by server while mounting 10.0.0.5:/export' >&2\nexit 32");
        var driver = new NfsVolumeDriver(failing.toString(), "umount", Optional.empty(), MountTable.SYSTEM);

        assertThatThrownBy(() -> driver.mount(request(false)))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith("mount failed: exit status 32\nMounting command: " + failing)
                .hasMessageContaining("Mounting arguments: -t nfs 10.0.0.5:/export " + target)
                .hasMessageEndingWith("Output: mount.nfs: access denied by server while mounting 10.0.0.5:/export")
                .extracting(e -> ((ProviderException) e).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void aMissingHelperIsAClearError() throws Exception {
        var driver = new NfsVolumeDriver(
                temporary.resolve("no-such-mount").toString(), "umount", Optional.empty(), MountTable.SYSTEM);

        assertThatThrownBy(() -> driver.mount(request(false)))
                .hasMessageContaining("cannot run " + temporary.resolve("no-such-mount"));
    }

    @Test
    void mountsAndUnmountsOnceWhateverHowOftenAsked() throws Exception {
        Path exported = Files.createDirectories(temporary.resolve("export"));
        Files.writeString(exported.resolve("hello.txt"), "from the server\n");
        Path mountLog = temporary.resolve("mount.log");
        Path umountLog = temporary.resolve("umount.log");
        // Stands in for mount.nfs: bind-mounts the local "export" on the last argument, the target.
        Path mount = helper("mount", mountLog, "for last; do :; done\nexec mount --bind '" + exported + "' \"$last\"");
        Path umount = helper("umount", umountLog, "exec umount \"$1\"");
        var driver = new NfsVolumeDriver(mount.toString(), umount.toString(), Optional.empty(), MountTable.SYSTEM);
        VolumeMountRequest request = request(false);

        driver.mount(request);
        driver.mount(request);

        assertThat(Files.readString(target.resolve("hello.txt"))).isEqualTo("from the server\n");
        assertThat(Files.readAllLines(mountLog)).hasSize(1);

        driver.unmount(target);
        driver.unmount(target);
        driver.unmount(temporary.resolve("never-created"));

        assertThat(MountTable.SYSTEM.isMountPoint(target)).isFalse();
        assertThat(target.resolve("hello.txt")).doesNotExist();
        assertThat(Files.readAllLines(umountLog)).isEqualTo(List.of(target.toString()));
    }

    @Test
    void doctorChecksTheHelpers() {
        var checks = new NfsVolumeDriverFactory().check(Map.of("mountCommand", "/nonexistent/mount"));

        assertThat(checks).anySatisfy(check -> {
            assertThat(check.description()).isEqualTo("mountCommand /nonexistent/mount");
            assertThat(check.passed()).isFalse();
        });
        assertThat(checks).anySatisfy(check -> assertThat(check.description()).isEqualTo("NFS mount helper mount.nfs"));
    }
}
