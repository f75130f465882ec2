package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ImageInfo;
import dev.petlet.spi.runtime.ImageSpec;
import java.util.Optional;
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
    void imageInUseCannotBeRemoved() throws ProviderException {
        startInNewSandbox(sandbox("user").build(), shell("user", "sleep 300").build());

        assertThat(codeOf(() -> runtime.removeImage(BUSYBOX))).isEqualTo(ErrorCode.INVALID);
    }
}
