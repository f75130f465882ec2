package dev.petlet.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.env.FakeObjects;
import dev.petlet.core.env.PodFacts;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.volume.VolumeDriver;
import dev.petlet.spi.volume.VolumeMountRequest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nfs volumes through a {@link VolumeDriver}: mounted once, unmounted on tear-down, failures as FailedMount. */
class PodVolumesDriverTest {
    private static final PodFacts FACTS = new PodFacts(List.of("10.0.0.1"), List.of(), Map.of(), Optional.empty());

    @TempDir
    Path pods;

    private final List<String> calls = new ArrayList<>();
    private volatile String failure;
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    private final TokenSource tokens = (namespace, serviceAccount, audience, expiration, podName, podUid) -> {
        throw new AssertionError("no tokens here");
    };
    private final Mounter noTmpfs = new Mounter() {
        @Override
        public void tmpfs(Path directory, Long sizeBytes) {}

        @Override
        public List<Path> mountPointsUnder(Path directory) {
            return List.of();
        }

        @Override
        public void unmount(Path mountPoint) {}
    };
    private final VolumeDriver driver = new VolumeDriver() {
        @Override
        public Set<String> kinds() {
            return Set.of("nfs");
        }

        @Override
        public void mount(VolumeMountRequest request) throws ProviderException {
            calls.add("mount " + request.podNamespace() + "/" + request.podName() + " " + request.volumeName() + " "
                    + request.source().get("server") + ":" + request.source().get("path") + " "
                    + pods.relativize(request.target()) + (request.readOnly() ? " ro" : ""));
            if (failure != null) {
                throw new ProviderException(ErrorCode.UNAVAILABLE, failure);
            }
        }

        @Override
        public void unmount(Path target) {
            calls.add("unmount " + pods.relativize(target));
        }

        @Override
        public void close() {}
    };

    private PodVolumes volumes(VolumeDrivers drivers) {
        return new PodVolumes(pods, new FakeObjects(), tokens, noTmpfs, drivers, clock);
    }

    private static Pod pod(Volume... volumes) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("shop")
                .withUid("uid-1")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("busybox")
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    private static Volume nfs(boolean readOnly) {
        return new VolumeBuilder()
                .withName("data")
                .withNewNfs()
                .withServer("nas.lan")
                .withPath("/export/data")
                .withReadOnly(readOnly)
                .endNfs()
                .build();
    }

    @Test
    void mountsAnNfsVolumeOnceInTheKubeletsLayout() throws Exception {
        PodVolumes volumes = volumes(VolumeDrivers.of(Map.of("nfs", driver)));
        Pod pod = pod(nfs(true));

        var first = volumes.setUp(pod, () -> FACTS);
        var later = volumes.setUp(pod, () -> FACTS);
        assertThat(first.ready()).isTrue();
        assertThat(first.hostPaths()).containsEntry("data", pods.resolve("uid-1/volumes/kubernetes.io~nfs/data"));
        assertThat(first.unsupported()).isEmpty();
        assertThat(pods.resolve("uid-1/volumes/kubernetes.io~nfs/data")).isDirectory();
        assertThat(later.hostPaths()).isEqualTo(first.hostPaths());
        assertThat(calls)
                .containsExactly("mount shop/web data nas.lan:/export/data uid-1/volumes/kubernetes.io~nfs/data ro");

        volumes.tearDown("uid-1");

        assertThat(calls).endsWith("unmount uid-1/volumes/kubernetes.io~nfs/data");
    }

    @Test
    void aFailedMountIsAFailedMountAndIsRetried() {
        PodVolumes volumes = volumes(VolumeDrivers.of(Map.of("nfs", driver)));
        failure = "mount failed: exit status 32\nMounting command: mount\nOutput: mount.nfs: access denied";

        var failed = volumes.setUp(pod(nfs(false)), () -> FACTS);

        assertThat(failed.ready()).isFalse();
        assertThat(failed.failures())
                .containsExactly("MountVolume.SetUp failed for volume \"data\" : mount failed: exit status 32\n"
                        + "Mounting command: mount\nOutput: mount.nfs: access denied");
        failure = null;

        var retried = volumes.setUp(pod(nfs(false)), () -> FACTS);

        assertThat(retried.ready()).isTrue();
        assertThat(calls).hasSize(2);
    }

    @Test
    void withoutADriverThePodWaitsAndIsToldWhatToInstall() {
        var prepared = volumes(VolumeDrivers.NONE).setUp(pod(nfs(false)), () -> FACTS);

        assertThat(prepared.ready()).isFalse();
        assertThat(prepared.failures())
                .containsExactly("MountVolume.SetUp failed for volume \"data\" : no volume driver for kind nfs is"
                        + " configured on this node: install the nfs provider (providers/nfs/) and select it under"
                        + " volumeDrivers in petlet.yaml");
    }

    @Test
    void twoDriversForOneKindAreRefused() {
        assertThatThrownBy(() -> VolumeDrivers.of(new java.util.LinkedHashMap<>(Map.of("nfs", driver)) {
                    {
                        put("other", driver);
                    }
                }))
                .hasMessage("volumeDrivers: both nfs and other mount volumes of kind nfs; configure only one of them");
    }
}
