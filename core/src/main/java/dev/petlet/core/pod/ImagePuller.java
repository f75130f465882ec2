package dev.petlet.core.pod;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ImageInfo;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.RegistryCredentials;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a container's image present as its pull policy says, with the kubelet's events, waiting
 * reasons and pull back-off (10 s doubling to 300 s per pod and image).
 */
final class ImagePuller {
    private final ContainerRuntime runtime;
    private final ApiObjects api;
    private final PodEvents events;
    private final Clock clock;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    private record Failure(int count, Instant retryAt, String message) {}

    ImagePuller(ContainerRuntime runtime, ApiObjects api, PodEvents events, Clock clock) {
        this.runtime = requireNonNull(runtime, "runtime");
        this.api = requireNonNull(api, "api");
        this.events = requireNonNull(events, "events");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Returns the image ID once the image is present; throws with the waiting reason otherwise. */
    String ensure(Pod pod, Container container) throws ImagePullFailure {
        String image = container.getImage();
        String path = ContainerHooks.path(pod, container.getName());
        Optional<ImageReference> reference = ImageReference.parse(image);
        if (reference.isEmpty()) {
            String message = "Failed to apply default image tag \"" + image + "\": couldn't parse image name \"" + image
                    + "\": invalid reference format";
            events.warning(pod, path, "InspectFailed", message);
            throw new ImagePullFailure(WaitingReason.INVALID_IMAGE_NAME, message);
        }
        String policy = Optional.ofNullable(container.getImagePullPolicy())
                .orElse(reference.get().latestOrUntagged() ? "Always" : "IfNotPresent");
        Optional<ImageInfo> present = inspect(pod, path, image);
        if (policy.equals("Never")) {
            if (present.isPresent()) {
                return present.get().id();
            }
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            events.warning(pod, path, "ErrImageNeverPull", message);
            throw new ImagePullFailure(WaitingReason.ERR_IMAGE_NEVER_PULL, message);
        }
        if (policy.equals("IfNotPresent") && present.isPresent()) {
            events.normal(pod, path, "Pulled", "Container image \"" + image + "\" already present on machine");
            return present.get().id();
        }
        String key = pod.getMetadata().getUid() + "/" + image;
        Failure failure = failures.get(key);
        Instant now = clock.instant();
        if (failure != null && now.isBefore(failure.retryAt())) {
            String message = "Back-off pulling image \"" + image + "\"";
            events.normal(pod, path, "BackOff", message);
            throw new ImagePullFailure(WaitingReason.IMAGE_PULL_BACK_OFF, message + ": " + failure.message());
        }
        events.normal(pod, path, "Pulling", "Pulling image \"" + image + "\"");
        try {
            String id = pull(pod, image, reference.get().registry());
            failures.remove(key);
            Duration took = Duration.between(now, clock.instant());
            events.normal(
                    pod, path, "Pulled", "Successfully pulled image \"" + image + "\" in " + took.toMillis() + "ms");
            return id;
        } catch (ProviderException e) {
            int count = failure == null ? 1 : failure.count() + 1;
            failures.put(
                    key, new Failure(count, clock.instant().plus(RestartBackoff.delay(count - 1)), e.getMessage()));
            String message = "Failed to pull image \"" + image + "\": " + e.getMessage();
            events.warning(pod, path, "Failed", message);
            events.warning(pod, path, "Failed", "Error: " + WaitingReason.ERR_IMAGE_PULL);
            throw new ImagePullFailure(WaitingReason.ERR_IMAGE_PULL, message);
        }
    }

    /** Forgets a pod's pull failures. */
    void forget(String podUid) {
        failures.keySet().removeIf(key -> key.startsWith(podUid + "/"));
    }

    private Optional<ImageInfo> inspect(Pod pod, String path, String image) throws ImagePullFailure {
        try {
            return runtime.imageStatus(ImageSpec.of(image));
        } catch (ProviderException e) {
            String message = "Failed to inspect image \"" + image + "\": " + e.getMessage();
            events.warning(pod, path, "InspectFailed", message);
            throw new ImagePullFailure("ImageInspectError", message);
        }
    }

    /** Tries anonymous pulls only when the pod has no secret for the registry, else each credential in turn. */
    private String pull(Pod pod, String image, String registry) throws ProviderException {
        List<RegistryCredentials> credentials = credentials(pod, registry);
        if (credentials.isEmpty()) {
            return runtime.pullImage(ImageSpec.of(image), Optional.empty());
        }
        ProviderException last = null;
        for (RegistryCredentials credential : credentials) {
            try {
                return runtime.pullImage(ImageSpec.of(image), Optional.of(credential));
            } catch (ProviderException e) {
                last = e;
            }
        }
        throw last;
    }

    private List<RegistryCredentials> credentials(Pod pod, String registry) throws ProviderException {
        List<RegistryCredentials> credentials = new ArrayList<>();
        List<LocalObjectReference> references =
                Optional.ofNullable(pod.getSpec().getImagePullSecrets()).orElse(List.of());
        for (LocalObjectReference reference : references) {
            Optional<Secret> secret = api.secret(pod.getMetadata().getNamespace(), reference.getName());
            if (secret.isEmpty()) {
                // The kubelet pulls anyway, without that secret, and says so.
                events.warning(
                        pod,
                        null,
                        "FailedToRetrieveImagePullSecret",
                        "Unable to retrieve some image pull secrets (" + reference.getName()
                                + "); attempting to pull the image may not succeed.");
                continue;
            }
            try {
                credentials.addAll(PullSecrets.credentialsFor(secret.get(), registry));
            } catch (IOException e) {
                throw new ProviderException(
                        ErrorCode.INVALID,
                        "image pull secret " + reference.getName() + " in namespace "
                                + pod.getMetadata().getNamespace() + " cannot be read: " + e.getMessage());
            }
        }
        return credentials;
    }
}
