package dev.petlet.spi.volume;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A driver that mounts non-API volumes (nfs, zfs datasets, host paths) for pods.
 *
 * <p>The core hands a pod volume to the driver whose {@link #kinds()} name its pod-spec kind, once per pod
 * (not on every sync pass), into a directory the core created: {@code <pods>/<uid>/volumes/kubernetes.io~<kind>/<name>}.
 * It calls {@link #unmount} before it removes the pod's directories. Instances are thread-safe: the core may
 * mount and unmount volumes of different pods concurrently (never the same target concurrently). {@link
 * #close()} releases everything the instance holds (not the mounts: they belong to the pods) and is idempotent.
 *
 * <p>Errors are {@link ProviderException}s whose message the core puts in the pod's {@code FailedMount} event
 * as it is ({@code MountVolume.SetUp failed for volume "x" : <message>}), so it says what failed in words a
 * user can act on, e.g. the mount helper's own error output. The core retries a failed mount on the pod's next
 * pass.
 */
public interface VolumeDriver extends AutoCloseable {
    /**
     * The pod-spec volume kinds this driver mounts, as the field is named in a pod's {@code volumes} entry,
     * e.g. {@code "nfs"}. The default mounts none.
     */
    default Set<String> kinds() {
        return Set.of();
    }

    /**
     * Mounts the volume at {@link VolumeMountRequest#target()}, an existing empty directory. Idempotent: when
     * the volume is mounted there already (for example after an agent restart), does nothing. May block for as
     * long as the mount takes (a remote server answering slowly).
     *
     * @throws ProviderException {@link ErrorCode#INVALID} for source attributes it cannot use, {@link
     *     ErrorCode#UNAVAILABLE} when the source cannot be reached, {@link ErrorCode#UNSUPPORTED} for a kind it
     *     does not mount (the default)
     */
    default void mount(VolumeMountRequest request) throws ProviderException {
        throw new ProviderException(
                ErrorCode.UNSUPPORTED,
                "this volume driver does not mount volumes of kind " + request.kind() + " (volume "
                        + request.volumeName() + ")");
    }

    /**
     * Unmounts whatever this driver mounted at {@code target}. Idempotent: a target that is not mounted, or
     * does not exist, is nothing to do. Does not remove the directory.
     *
     * @throws ProviderException when the target stays mounted (busy), with the helper's message
     */
    default void unmount(Path target) throws ProviderException {}

    @Override
    void close();
}
