package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bodies below are what Podman 4.3.1 streamed for real pulls. */
class PullResultReaderTest {

    @Test
    void returnsTheIdOfTheFinalObject() throws ProviderException {
        String body = """
                {"stream":"Trying to pull 127.0.0.1:5000/app:1...\\n"}
                {"stream":"Writing manifest to image destination\\n"}
                {"images":["c77c5755cf88"],"id":"c77c5755cf88"}
                """;

        assertThat(PullResultReader.imageId("127.0.0.1:5000/app:1", stream(body), Fixtures.JSON))
                .isEqualTo("c77c5755cf88");
    }

    @Test
    void errorObjectsBecomeClassifiedExceptions() {
        String body = """
                {"stream":"Trying to pull 127.0.0.1:1/nope:latest...\\n"}
                {"error":"initializing source docker://127.0.0.1:1/nope:latest: pinging container registry 127.0.0.1:1: Get \\"http://127.0.0.1:1/v2/\\": dial tcp 127.0.0.1:1: connect: connection refused"}
                """;

        assertThatThrownBy(() -> PullResultReader.imageId("127.0.0.1:1/nope:latest", stream(body), Fixtures.JSON))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith("pulling image 127.0.0.1:1/nope:latest failed: initializing source")
                .extracting(error -> ((ProviderException) error).code())
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void objectsNeedNoNewlinesBetweenThem() throws ProviderException {
        String body = "{\"stream\":\"a\"}{\"id\":\"abc\"}";

        assertThat(PullResultReader.imageId("x", stream(body), Fixtures.JSON)).isEqualTo("abc");
    }

    @Test
    void endingWithoutResultIsInternal() {
        assertThatThrownBy(() -> PullResultReader.imageId("x", stream("{\"stream\":\"a\"}"), Fixtures.JSON))
                .extracting(error -> ((ProviderException) error).code())
                .isEqualTo(ErrorCode.INTERNAL);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
