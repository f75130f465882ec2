package dev.petlet.core.volume;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.env.ObjectSource;
import dev.petlet.core.env.PodFacts;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.volume.VolumeDriver;
import dev.petlet.spi.volume.VolumeMountRequest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sets up and keeps up to date the volumes of the pods on this node, under {@code
 * <pods>/<uid>/volumes/kubernetes.io~<plugin>/<name>} as the kubelet lays them out. Secret and
 * projected volumes (tokens) live on a per-volume tmpfs, as do emptyDirs with {@code medium:
 * Memory}. API-backed contents are re-read at most every {@value #REFRESH_SECONDS} s, so an edit
 * shows in the container well within a minute. Called serially per pod (from its worker).
 */
public final class PodVolumes {
    static final long REFRESH_SECONDS = 8; // so each 10 s resync pass re-reads them

    private final Path pods;
    private final VolumePayloads payloads;
    private final ServiceAccountTokens tokens;
    private final AtomicWriter writer;
    private final Mounter mounter;
    private final Clock clock;
    private final Map<String, Prepared> last = new ConcurrentHashMap<>();
    private final VolumeDrivers drivers;
    private final Set<Path> driverMounts = ConcurrentHashMap.newKeySet();

    /** @param pods the directory holding one directory per pod UID */
    public PodVolumes(Path pods, ObjectSource objects, TokenSource tokenSource, Clock clock) {
        this(pods, objects, tokenSource, new SystemMounter(), VolumeDrivers.NONE, clock);
    }

    /** @param drivers what mounts volumes of driver kinds ({@code nfs}) */
    public PodVolumes(Path pods, ObjectSource objects, TokenSource tokenSource, VolumeDrivers drivers, Clock clock) {
        this(pods, objects, tokenSource, new SystemMounter(), drivers, clock);
    }

    PodVolumes(Path pods, ObjectSource objects, TokenSource tokenSource, Mounter mounter, Clock clock) {
        this(pods, objects, tokenSource, mounter, VolumeDrivers.NONE, clock);
    }

    PodVolumes(
            Path pods,
            ObjectSource objects,
            TokenSource tokenSource,
            Mounter mounter,
            VolumeDrivers drivers,
            Clock clock) {
        this.drivers = requireNonNull(drivers, "drivers");
        this.pods = requireNonNull(pods, "pods");
        this.tokens = new ServiceAccountTokens(tokenSource, clock);
        this.payloads = new VolumePayloads(objects, tokens);
        this.writer = new AtomicWriter(clock);
        this.mounter = requireNonNull(mounter, "mounter");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * What came of setting up a pod's volumes.
     *
     * @param hostPaths the host path of each volume that is ready, by volume name
     * @param failures one kubelet FailedMount message per volume that is not
     * @param unsupported names of volumes of kinds petlet does not provide
     */
    public record Prepared(Map<String, Path> hostPaths, List<String> failures, List<String> unsupported, Instant at) {
        public Prepared {
            hostPaths = Map.copyOf(hostPaths);
            failures = List.copyOf(failures);
            unsupported = List.copyOf(unsupported);
        }

        public boolean ready() {
            return failures.isEmpty();
        }
    }

    /** Sets up what is missing and refreshes API-backed contents when due; idempotent. */
    public Prepared setUp(Pod pod, Supplier<PodFacts> podFacts) {
        String uid = pod.getMetadata().getUid();
        Instant now = clock.instant();
        Prepared previous = last.get(uid);
        if (previous != null
                && previous.ready()
                && now.isBefore(previous.at().plusSeconds(REFRESH_SECONDS))
                && previous.hostPaths().size() + previous.unsupported().size()
                        == volumes(pod).size()) {
            return previous;
        }
        PodFacts facts = podFacts.get();
        Map<String, Path> hostPaths = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        for (Volume volume : volumes(pod)) {
            try {
                Optional<Path> path = setUp(pod, facts, volume);
                if (path.isPresent()) {
                    hostPaths.put(volume.getName(), path.get());
                } else {
                    unsupported.add(volume.getName());
                }
            } catch (VolumeError | IOException e) {
                failures.add("MountVolume.SetUp failed for volume \"" + volume.getName() + "\" : " + e.getMessage());
            }
        }
        Prepared prepared = new Prepared(hostPaths, failures, unsupported, now);
        last.put(uid, prepared);
        return prepared;
    }

    private Optional<Path> setUp(Pod pod, PodFacts facts, Volume volume) throws VolumeError, IOException {
        String uid = pod.getMetadata().getUid();
        if (volume.getEmptyDir() != null) {
            Path dir = directory(uid, "empty-dir", volume.getName());
            Files.createDirectories(dir);
            if ("Memory".equals(volume.getEmptyDir().getMedium())) {
                var limit = volume.getEmptyDir().getSizeLimit();
                mounter.tmpfs(
                        dir, limit == null ? null : limit.getNumericalAmount().longValue());
            }
            // 0777, keeping the setgid bit an fsGroup put there (PodSandboxFiles.applyFsGroup): this
            // runs again at every refresh, and files made in the volume must keep getting its group.
            int setgid = (int) Files.getAttribute(dir, "unix:mode") & 02000;
            Files.setAttribute(dir, "unix:mode", 0777 | setgid);
            return Optional.of(dir);
        }
        if (volume.getHostPath() != null) {
            Path path = Path.of(volume.getHostPath().getPath());
            HostPathCheck.check(path, volume.getHostPath().getType());
            return Optional.of(path);
        }
        if (volume.getSecret() != null) {
            return Optional.of(write(uid, "secret", volume, true, payloads.secret(pod, volume.getSecret())));
        }
        if (volume.getConfigMap() != null) {
            return Optional.of(write(uid, "configmap", volume, false, payloads.configMap(pod, volume.getConfigMap())));
        }
        if (volume.getDownwardAPI() != null) {
            var source = volume.getDownwardAPI();
            return Optional.of(write(
                    uid,
                    "downward-api",
                    volume,
                    false,
                    payloads.downwardApi(pod, facts, source.getItems(), source.getDefaultMode())));
        }
        if (volume.getProjected() != null) {
            return Optional.of(
                    write(uid, "projected", volume, true, payloads.projected(pod, facts, volume.getProjected())));
        }
        if (volume.getNfs() != null) {
            var nfs = volume.getNfs();
            Map<String, String> source = new LinkedHashMap<>();
            source.put("server", Optional.ofNullable(nfs.getServer()).orElse(""));
            source.put("path", Optional.ofNullable(nfs.getPath()).orElse(""));
            return Optional.of(mountWithDriver(pod, volume, "nfs", source, Boolean.TRUE.equals(nfs.getReadOnly())));
        }
        return Optional.empty();
    }

    /** Mounts the volume once with the driver for its kind; later passes find it in {@link #driverMounts}. */
    private Path mountWithDriver(Pod pod, Volume volume, String kind, Map<String, String> source, boolean readOnly)
            throws VolumeError, IOException {
        Path dir = directory(pod.getMetadata().getUid(), kind, volume.getName());
        if (driverMounts.contains(dir)) {
            return dir;
        }
        VolumeDriver driver = drivers.forKind(kind)
                .orElseThrow(() -> new VolumeError("no volume driver for kind " + kind + " is configured on this node: "
                        + "install the " + kind + " provider (providers/" + kind + "/) and select it under "
                        + "volumeDrivers in petlet.yaml"));
        Files.createDirectories(dir);
        var metadata = pod.getMetadata();
        try {
            driver.mount(new VolumeMountRequest(
                    metadata.getUid(),
                    metadata.getNamespace(),
                    metadata.getName(),
                    volume.getName(),
                    kind,
                    source,
                    dir,
                    readOnly));
        } catch (ProviderException e) {
            throw new VolumeError(e.getMessage());
        }
        driverMounts.add(dir);
        return dir;
    }

    private Path write(String uid, String plugin, Volume volume, boolean inMemory, Map<String, FileProjection> files)
            throws IOException, VolumeError {
        Path dir = directory(uid, plugin, volume.getName());
        Files.createDirectories(dir);
        if (inMemory) {
            mounter.tmpfs(dir, null);
        }
        writer.write(dir, files);
        return dir;
    }

    private Path directory(String uid, String plugin, String volume) {
        return pods.resolve(uid)
                .resolve("volumes")
                .resolve("kubernetes.io~" + plugin)
                .resolve(volume);
    }

    /** Unmounts the pod's driver volumes (with their drivers) and tmpfs volumes, and forgets its tokens; the caller deletes the pod's directory after. */
    public void tearDown(String uid) throws IOException {
        last.remove(uid);
        tokens.forget(uid);
        Path dir = pods.resolve(uid);
        if (!Files.exists(dir)) {
            driverMounts.removeIf(target -> target.startsWith(dir));
            return;
        }
        unmountDriverVolumes(uid);
        for (Path mountPoint : mounter.mountPointsUnder(dir)) {
            mounter.unmount(mountPoint);
        }
    }

    /** Unmounts the pod's driver volumes with their drivers, whether this process mounted them or one before it. */
    private void unmountDriverVolumes(String uid) throws IOException {
        for (String kind : drivers.kinds()) {
            Path plugin = pods.resolve(uid).resolve("volumes").resolve("kubernetes.io~" + kind);
            if (!Files.isDirectory(plugin)) {
                continue;
            }
            List<Path> targets;
            try (var listing = Files.list(plugin)) {
                targets = listing.toList();
            }
            for (Path target : targets) {
                try {
                    drivers.forKind(kind).orElseThrow().unmount(target);
                } catch (ProviderException e) {
                    throw new IOException("cannot unmount volume " + target.getFileName() + ": " + e.getMessage(), e);
                }
                driverMounts.remove(target);
            }
        }
    }

    /** Whether the volume holds API data (secret, configMap, downwardAPI, projected): always mounted read-only. */
    public static boolean isApiData(Volume volume) {
        return volume.getSecret() != null
                || volume.getConfigMap() != null
                || volume.getDownwardAPI() != null
                || volume.getProjected() != null;
    }

    private static List<Volume> volumes(Pod pod) {
        return Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of());
    }
}
