package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.runtime.TerminalSize;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResizeDecoderTest {
    private final ResizeDecoder decoder = new ResizeDecoder();

    @Test
    void objectsSplitAnywhereAndBackToBack() {
        assertThat(decoder.feed(bytes("{\"Width\":8"))).isEmpty();
        assertThat(decoder.feed(bytes("0,\"Height\":24}{\"Width\":100,"))).containsExactly(new TerminalSize(80, 24));
        assertThat(decoder.feed(bytes("\"Height\":40}\n{\"width\":1,\"height\":2}")))
                .containsExactly(new TerminalSize(100, 40), new TerminalSize(1, 2));
    }

    @Test
    void objectsWithoutAUsableSizeAreSkipped() {
        assertThat(decoder.feed(bytes("{\"Width\":0,\"Height\":24}{\"Other\":{\"Width\":5},\"Width\":7,\"Height\":9}")))
                .containsExactly(new TerminalSize(7, 9));
    }

    @Test
    void malformedInputEndsResizing() {
        assertThat(decoder.feed(bytes("{\"Width\":80,,}"))).isEmpty();
        assertThat(decoder.feed(bytes("{\"Width\":80,\"Height\":24}"))).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
