package dev.petlet.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class GrpcCheckTest {
    @Test
    void theRequestIsALengthPrefixedHealthCheckRequest() {
        ByteBuf frame = GrpcCheck.request("shop");
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        assertThat(bytes).containsExactly(0, 0, 0, 0, 6, 0x0a, 4, 's', 'h', 'o', 'p');
        ByteBuf empty = GrpcCheck.request("");
        assertThat(empty.readableBytes()).isEqualTo(5);
    }

    @Test
    void onlyServingPasses() {
        byte[] serving = {0, 0, 0, 0, 2, 0x08, 1};
        byte[] notServing = {0, 0, 0, 0, 2, 0x08, 2};
        assertThat(GrpcCheck.judge(new GrpcCheck.Response("0", "", serving)).success())
                .isTrue();
        assertThat(GrpcCheck.judge(new GrpcCheck.Response("0", "", notServing)))
                .isEqualTo(ProbeOutcome.failed("service unhealthy (responded with \"NOT_SERVING\")"));
        assertThat(GrpcCheck.judge(new GrpcCheck.Response("0", "", new byte[] {0, 0, 0, 0, 0}))
                        .output())
                .isEqualTo("service unhealthy (responded with \"UNKNOWN\")");
        assertThat(GrpcCheck.judge(new GrpcCheck.Response("12", "unknown service", new byte[0]))
                        .output())
                .startsWith("this server does not implement the grpc health protocol (grpc.health.v1.Health)");
    }
}
