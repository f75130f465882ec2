package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ResponseBodyStreamTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ResponseBodyStream body = new ResponseBodyStream(channel);

    @Test
    void readsWhatArrivedThenEndsAfterFinish() throws IOException {
        append("hello ");
        append("world");
        body.finish();

        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(body.read()).isEqualTo(-1);
    }

    @Test
    void readerBlocksUntilBytesArrive() throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return body.readNBytes(3);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });

        append("abc");

        assertThat(read.get()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pausesTheSocketWhenTheReaderFallsBehindAndResumesWhenItCatchesUp() throws IOException {
        byte[] chunk = new byte[64 << 10];
        for (int i = 0; i < 20; i++) {
            body.append(Unpooled.wrappedBuffer(chunk));
        }
        assertThat(channel.config().isAutoRead()).isFalse();

        body.readNBytes(20 * chunk.length - ResponseBodyStream.RESUME_BELOW_BYTES + 1);

        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void failureSurfacesAfterQueuedBytes() throws IOException {
        append("last words");
        body.fail(new IOException("reset by peer"));

        assertThat(body.readNBytes(10)).isEqualTo("last words".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(body::read).isInstanceOf(IOException.class).hasMessageContaining("reset by peer");
    }

    @Test
    void closeWakesABlockedReaderAndClosesTheChannel() throws InterruptedException {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                body.read();
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            }
        });
        Polling.until(Duration.ofSeconds(5), "the reader to block", () -> reader.getState() == Thread.State.WAITING);

        body.close();

        assertThat(failure.join()).isInstanceOf(IOException.class);
        reader.join();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void releasesBuffersItDrops() {
        ByteBuf data = Unpooled.copiedBuffer("unread", StandardCharsets.UTF_8);
        body.append(data);
        data.release();

        body.close();

        assertThat(data.refCnt()).isZero();
    }

    private void append(String text) {
        ByteBuf data = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        body.append(data);
        data.release();
    }
}
