package dev.petlet.core.node;

import dev.petlet.spi.ProviderException;
import java.util.List;

/**
 * The little the node status needs from the container runtime, so the node code does not depend on the whole
 * runtime contract ({@link ContainerRuntimeInfo} adapts a runtime provider). Both methods may be called from any thread, every status update (10 s by default).
 */
public interface RuntimeInfo {
    /**
     * The runtime and its version for {@code nodeInfo.containerRuntimeVersion}, e.g. {@code podman://4.3.1}.
     *
     * @throws ProviderException when the runtime cannot be reached; the node then reports NotReady with the
     *     exception's message
     */
    String versionString() throws ProviderException;

    /** The images in the runtime's storage, in any order. */
    List<ImageSummary> images() throws ProviderException;
}
