package dev.petlet.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.core.env.FakeObjects;
import dev.petlet.core.env.PodFacts;
import dev.petlet.spi.runtime.Mount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodVolumesTest {
    private static final PodFacts FACTS =
            new PodFacts(List.of("192.168.1.10"), List.of(), Map.of("memory", new Quantity("4Gi")), Optional.empty());

    @TempDir
    Path pods;

    private final FakeObjects objects = new FakeObjects();
    private final List<String> tokenRequests = new ArrayList<>();
    private final List<String> tmpfsMounts = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final TokenSource tokens = (namespace, serviceAccount, audience, expirationSeconds, podName, podUid) -> {
        tokenRequests.add(serviceAccount + " " + audience.orElse("-") + " " + expirationSeconds + " " + podName);
        return new TokenSource.IssuedToken(
                "token-" + tokenRequests.size(), clock.instant().plusSeconds(expirationSeconds), expirationSeconds);
    };
    private final Mounter mounter = new Mounter() {
        @Override
        public void tmpfs(Path directory, Long sizeBytes) {
            tmpfsMounts.add(pods.relativize(directory) + (sizeBytes == null ? "" : " size=" + sizeBytes));
        }

        @Override
        public List<Path> mountPointsUnder(Path directory) {
            return List.of();
        }

        @Override
        public void unmount(Path mountPoint) {}
    };
    private PodVolumes volumes;

    @org.junit.jupiter.api.BeforeEach
    void createVolumes() {
        volumes = new PodVolumes(pods, objects, tokens, mounter, clock);
    }

    private static Pod pod(Volume... volumes) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("shop")
                .withUid("uid-1")
                .withLabels(Map.of("app", "web", "tier", "front"))
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName("builder")
                .addNewContainer()
                .withName("app")
                .withImage("busybox")
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    private PodVolumes.Prepared setUp(Pod pod) {
        return volumes.setUp(pod, () -> FACTS);
    }

    @Test
    void writesSecretItemsWithTheirModesOnATmpfs() throws IOException {
        objects.secret("shop", "db", Map.of("password", "s3cret", "user", "me"));
        Volume volume = new VolumeBuilder()
                .withName("creds")
                .withNewSecret()
                .withSecretName("db")
                .withDefaultMode(0440)
                .addNewItem("password", 0400, "pw/file")
                .endSecret()
                .build();

        PodVolumes.Prepared prepared = setUp(pod(volume));

        assertThat(prepared.failures()).isEmpty();
        Path dir = prepared.hostPaths().get("creds");
        assertThat(dir).isEqualTo(pods.resolve("uid-1/volumes/kubernetes.io~secret/creds"));
        assertThat(Files.readString(dir.resolve("pw/file"))).isEqualTo("s3cret");
        assertThat(AtomicWriter.mode(dir.resolve("pw/file").toRealPath())).isEqualTo(0400);
        assertThat(dir.resolve("user")).doesNotExist();
        assertThat(tmpfsMounts).containsExactly("uid-1/volumes/kubernetes.io~secret/creds");
    }

    @Test
    void configMapsGetAllKeysWithTheDefaultModeAndFollowEdits() throws IOException {
        objects.configMap("shop", "settings", Map.of("mode", "fast", "level", "3"));
        Pod pod = pod(new VolumeBuilder()
                .withName("config")
                .withNewConfigMap()
                .withName("settings")
                .endConfigMap()
                .build());
        Path dir = setUp(pod).hostPaths().get("config");
        assertThat(Files.readString(dir.resolve("mode"))).isEqualTo("fast");
        assertThat(AtomicWriter.mode(dir.resolve("level").toRealPath())).isEqualTo(0644);
        assertThat(tmpfsMounts).isEmpty();

        objects.configMap("shop", "settings", Map.of("mode", "slow"));
        setUp(pod);
        assertThat(Files.readString(dir.resolve("mode")))
                .as("not re-read before it is due")
                .isEqualTo("fast");
        clock.advanceSeconds(PodVolumes.REFRESH_SECONDS + 1);
        setUp(pod);
        assertThat(Files.readString(dir.resolve("mode"))).isEqualTo("slow");
        assertThat(dir.resolve("level")).doesNotExist();
    }

    @Test
    void reportsMissingObjectsAndKeysAsFailedMountsUntilOptional() {
        Pod pod = pod(
                new VolumeBuilder()
                        .withName("creds")
                        .withNewSecret()
                        .withSecretName("absent")
                        .endSecret()
                        .build(),
                new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("settings")
                        .addNewItem("nope", null, "x")
                        .endConfigMap()
                        .build(),
                new VolumeBuilder()
                        .withName("maybe")
                        .withNewConfigMap()
                        .withName("absent")
                        .withOptional(true)
                        .endConfigMap()
                        .build());
        objects.configMap("shop", "settings", Map.of("mode", "fast"));

        PodVolumes.Prepared prepared = setUp(pod);

        assertThat(prepared.ready()).isFalse();
        assertThat(prepared.failures())
                .containsExactly(
                        "MountVolume.SetUp failed for volume \"creds\" : secret \"absent\" not found",
                        "MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config"
                                + " key: nope");
        assertThat(prepared.hostPaths()).containsOnlyKeys("maybe");

        objects.secret("shop", "absent", Map.of("k", "v"));
        objects.configMap("shop", "settings", Map.of("nope", "here"));
        assertThat(setUp(pod).ready()).as("failures are retried at once").isTrue();
    }

    @Test
    void projectsTokensConfigMapsAndTheDownwardApiLikeKubeApiAccess() throws IOException {
        objects.configMap("shop", "kube-root-ca.crt", Map.of("ca.crt", "PEM"));
        Volume access = new VolumeBuilder()
                .withName("kube-api-access-abcde")
                .withNewProjected()
                .withDefaultMode(0644)
                .addNewSource()
                .withNewServiceAccountToken()
                .withExpirationSeconds(3607L)
                .withPath("token")
                .endServiceAccountToken()
                .endSource()
                .addNewSource()
                .withNewConfigMap()
                .withName("kube-root-ca.crt")
                .addNewItem("ca.crt", null, "ca.crt")
                .endConfigMap()
                .endSource()
                .addNewSource()
                .withNewDownwardAPI()
                .addNewItem()
                .withPath("namespace")
                .withNewFieldRef()
                .withFieldPath("metadata.namespace")
                .endFieldRef()
                .endItem()
                .addNewItem()
                .withPath("labels")
                .withNewFieldRef()
                .withFieldPath("metadata.labels")
                .endFieldRef()
                .endItem()
                .endDownwardAPI()
                .endSource()
                .endProjected()
                .build();
        Pod pod = pod(access);

        Path dir = setUp(pod).hostPaths().get("kube-api-access-abcde");

        assertThat(Files.readString(dir.resolve("token"))).isEqualTo("token-1");
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo("PEM");
        assertThat(Files.readString(dir.resolve("namespace"))).isEqualTo("shop");
        assertThat(Files.readString(dir.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"");
        assertThat(tokenRequests).containsExactly("builder - 3607 web");
        assertThat(tmpfsMounts).containsExactly("uid-1/volumes/kubernetes.io~projected/kube-api-access-abcde");

        clock.advanceSeconds(2000);
        setUp(pod);
        assertThat(tokenRequests).as("not yet at 80% of the lifetime").hasSize(1);
        clock.advanceSeconds(1000);
        setUp(pod);
        assertThat(tokenRequests).hasSize(2);
        assertThat(Files.readString(dir.resolve("token"))).isEqualTo("token-2");
    }

    @Test
    void emptyDirsInMemoryAreSizedTmpfsAndHostPathsAreChecked() throws IOException {
        Path host = Files.createDirectories(pods.resolve("host-dir"));
        Pod pod = pod(
                new VolumeBuilder()
                        .withName("cache")
                        .withNewEmptyDir()
                        .withMedium("Memory")
                        .withSizeLimit(new Quantity("16Mi"))
                        .endEmptyDir()
                        .build(),
                new VolumeBuilder()
                        .withName("host")
                        .withNewHostPath(host.toString(), "File")
                        .build());

        PodVolumes.Prepared prepared = setUp(pod);

        assertThat(tmpfsMounts).containsExactly("uid-1/volumes/kubernetes.io~empty-dir/cache size=16777216");
        assertThat(prepared.failures())
                .containsExactly("MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: " + host
                        + " is not a file");
    }

    @Test
    void aRefreshKeepsTheSetgidBitAnFsGroupPutOnAnEmptyDir() throws IOException {
        Pod pod = pod(new VolumeBuilder()
                .withName("data")
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
        Path dir = setUp(pod).hostPaths().get("data");
        assertThat((int) Files.getAttribute(dir, "unix:mode") & 07777).isEqualTo(0777);
        Files.setAttribute(dir, "unix:mode", 02777); // as PodSandboxFiles.applyFsGroup leaves it

        clock.advanceSeconds(PodVolumes.REFRESH_SECONDS + 1);
        setUp(pod);

        assertThat((int) Files.getAttribute(dir, "unix:mode") & 07777).isEqualTo(02777);
    }

    @Test
    void mountsSubPathsInsideTheVolumeAndApiVolumesReadOnly() throws Exception {
        objects.configMap("shop", "settings", Map.of("mode", "fast"));
        Pod pod = pod(
                new VolumeBuilder()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("settings")
                        .endConfigMap()
                        .build(),
                new VolumeBuilder()
                        .withName("scratch")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .build());
        Map<String, Path> hostPaths = setUp(pod).hostPaths();
        Container container = new ContainerBuilder()
                .withName("app")
                .addNewVolumeMount()
                .withName("config")
                .withMountPath("/etc/app")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("config")
                .withMountPath("/etc/mode")
                .withSubPath("mode")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("scratch")
                .withMountPath("/data")
                .withSubPathExpr("pods/$(POD_NAME)")
                .endVolumeMount()
                .addNewVolumeMount()
                .withName("unsupported")
                .withMountPath("/nfs")
                .endVolumeMount()
                .build();

        List<Mount> mounts = VolumeMounts.of(pod, container, hostPaths, Map.of("POD_NAME", "web"));

        Path config = hostPaths.get("config");
        assertThat(mounts)
                .containsExactly(
                        new Mount(config.toString(), "/etc/app", true),
                        new Mount(config.resolve("mode").toRealPath().toString(), "/etc/mode", true),
                        new Mount(hostPaths.get("scratch").resolve("pods/web").toString(), "/data", false));
        assertThat(hostPaths.get("scratch").resolve("pods/web")).isDirectory();

        Container escaping = new ContainerBuilder(container)
                .withVolumeMounts(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                        .withName("scratch")
                        .withMountPath("/x")
                        .withSubPath("../../etc")
                        .build())
                .build();
        assertThatThrownBy(() -> VolumeMounts.of(pod, escaping, hostPaths, Map.of()))
                .isInstanceOf(VolumeError.class)
                .hasMessage("failed to prepare subPath for volumeMount \"scratch\" of container \"app\": subPath"
                        + " ../../etc must not contain '..'");
        Container undefined = new ContainerBuilder(container)
                .withVolumeMounts(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
                        .withName("scratch")
                        .withMountPath("/x")
                        .withSubPathExpr("$(NOPE)")
                        .build())
                .build();
        assertThatThrownBy(() -> VolumeMounts.of(pod, undefined, hostPaths, Map.of()))
                .hasMessage("missing value for NOPE");
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advanceSeconds(long seconds) {
            now = now.plusSeconds(seconds);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
