package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ImageInfo;
import dev.petlet.spi.runtime.ImageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ImagesIT extends PodmanTestBase {

    @Test
    void localImageIsFoundAndListed() throws ProviderException {
        ImageInfo busybox = runtime.imageStatus(BUSYBOX).orElseThrow();

        assertThat(busybox.repoTags()).contains("localhost/busybox:latest");
        assertThat(busybox.sizeBytes()).isPositive();
        assertThat(runtime.listImages()).extracting(ImageInfo::id).contains(busybox.id());
    }

    @Test
    void missingImageHasNoStatusAndRemovingItSucceeds() throws ProviderException {
        ImageSpec missing = ImageSpec.of("localhost/petlet-no-such-image:1");

        assertThat(runtime.imageStatus(missing)).isEmpty();
        runtime.removeImage(missing);
    }

    @Test
    void pullingFromAnUnreachableRegistryIsUnavailable() {
        assertThat(codeOf(() -> runtime.pullImage(ImageSpec.of("127.0.0.1:1/petlet/missing:1"), Optional.empty())))
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void malformedReferencesAreInvalid() {
        assertThat(codeOf(() -> runtime.pullImage(ImageSpec.of("UPPER/Case::bad"), Optional.empty())))
                .isEqualTo(ErrorCode.INVALID);
        assertThat(codeOf(() -> runtime.imageStatus(ImageSpec.of("../../etc?x"))))
                .isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void imageInUseCannotBeRemoved() throws Exception {
        // An image of its own with a single name: removing a name of an image that has others only
        // untags it (and removing busybox's would break every test after this one).
        String source = startInNewSandbox(
                sandbox("source").build(), shell("source", "sleep 300").build());
        ImageSpec image = ImageSpec.of("localhost/petlet-it-in-use:" + UUID.randomUUID());
        podman("commit", source, image.reference());
        try {
            String user = startInNewSandbox(
                    sandbox("user").build(),
                    ContainerConfig.builder("user", image)
                            .command("sh", "-c", "sleep 300")
                            .build());

            assertThat(codeOf(() -> runtime.removeImage(image))).isEqualTo(ErrorCode.INVALID);

            runtime.removeContainer(user);
        } finally {
            podman("rmi", "--force", image.reference());
        }
        assertThat(runtime.imageStatus(BUSYBOX)).as("busybox untouched").isPresent();
    }

    private static void podman(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CONTAINERS_CONF", "/etc/petlet/containers.conf");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor())
                .as("podman " + String.join(" ", arguments) + ": " + output)
                .isZero();
    }
}
