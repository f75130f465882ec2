package dev.petlet.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.ImageInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Images: the local image is found and listed; a missing one is absent and cannot be pulled. */
public abstract class ImagesConformance extends RuntimeConformance {
    @Test
    void aLocalImageIsFoundAndListed() throws Exception {
        Optional<ImageInfo> image = runtime.imageStatus(workloads().image());

        assertThat(image).isPresent();
        assertThat(runtime.listImages())
                .extracting(ImageInfo::id)
                .contains(image.get().id());
    }

    @Test
    void aMissingImageIsAbsent() throws Exception {
        assertThat(runtime.imageStatus(workloads().missingImage())).isEmpty();
    }

    @Test
    void pullingAMissingImageFailsWithACode() {
        assertThatThrownBy(() -> runtime.pullImage(workloads().missingImage(), Optional.empty()))
                .isInstanceOfSatisfying(
                        ProviderException.class,
                        e -> assertThat(e.code())
                                .isIn(ErrorCode.NOT_FOUND, ErrorCode.UNAVAILABLE, ErrorCode.UNAUTHENTICATED));
    }

    @Test
    void removingAMissingImageSucceeds() throws Exception {
        runtime.removeImage(workloads().missingImage());
        assertThat(runtime.imageStatus(workloads().missingImage())).isEmpty();
    }
}
