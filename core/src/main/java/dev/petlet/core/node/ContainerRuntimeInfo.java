package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ImageInfo;
import dev.petlet.spi.runtime.RuntimeVersion;
import java.util.ArrayList;
import java.util.List;

/** {@link RuntimeInfo} over a runtime provider: {@code podman://4.3.1} and the provider's image list. */
public final class ContainerRuntimeInfo implements RuntimeInfo {
    private final ContainerRuntime runtime;

    /** @param runtime the runtime provider; not closed by this adapter */
    public ContainerRuntimeInfo(ContainerRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime");
    }

    @Override
    public String versionString() throws ProviderException {
        RuntimeVersion version = runtime.version();
        return version.runtimeName() + "://" + version.runtimeVersion();
    }

    @Override
    public List<ImageSummary> images() throws ProviderException {
        return runtime.listImages().stream().map(ContainerRuntimeInfo::summary).toList();
    }

    static ImageSummary summary(ImageInfo image) {
        // Digests before tags, as the kubelet lists them.
        List<String> names = new ArrayList<>(image.repoDigests());
        names.addAll(image.repoTags());
        return new ImageSummary(names, image.sizeBytes());
    }
}
