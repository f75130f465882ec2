package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.server.KubeletRoute.StreamKind;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

class KubeletRouteTest {
    @Test
    void matchesTheKubeletsPaths() {
        assertThat(KubeletRoute.match("/healthz")).contains(new KubeletRoute.Healthz());
        assertThat(KubeletRoute.match("/healthz/syncloop")).contains(new KubeletRoute.Healthz());
        assertThat(KubeletRoute.match("/pods")).contains(new KubeletRoute.Pods());
        assertThat(KubeletRoute.match("/pods/")).contains(new KubeletRoute.Pods());
        assertThat(KubeletRoute.match("/runningpods/")).contains(new KubeletRoute.RunningPods());
        assertThat(KubeletRoute.match("/configz")).contains(new KubeletRoute.Configz());
        assertThat(KubeletRoute.match("/stats/summary")).contains(new KubeletRoute.StatsSummary());
        assertThat(KubeletRoute.match("/metrics/resource")).contains(new KubeletRoute.ResourceMetrics());
        assertThat(KubeletRoute.match("/stats")).isEmpty();
        assertThat(KubeletRoute.match("/metrics/cadvisor")).isEmpty();
        assertThat(KubeletRoute.match("/containerLogs/shop/web/app"))
                .contains(new KubeletRoute.ContainerLogs("shop", "web", "app"));
    }

    @Test
    void streamPathsWithAndWithoutUid() {
        assertThat(KubeletRoute.match("/exec/shop/web/app"))
                .contains(new KubeletRoute.Stream(StreamKind.EXEC, "shop", "web", null, "app"));
        assertThat(KubeletRoute.match("/exec/shop/web/u-1/app"))
                .contains(new KubeletRoute.Stream(StreamKind.EXEC, "shop", "web", "u-1", "app"));
        assertThat(KubeletRoute.match("/attach/shop/web/app"))
                .contains(new KubeletRoute.Stream(StreamKind.ATTACH, "shop", "web", null, "app"));
        assertThat(KubeletRoute.match("/portForward/shop/web"))
                .contains(new KubeletRoute.Stream(StreamKind.PORT_FORWARD, "shop", "web", null, null));
        assertThat(KubeletRoute.match("/portForward/shop/web/u-1"))
                .contains(new KubeletRoute.Stream(StreamKind.PORT_FORWARD, "shop", "web", "u-1", null));
    }

    @Test
    void segmentsArePercentDecoded() {
        assertThat(KubeletRoute.match("/containerLogs/shop/web/my%2Dapp"))
                .contains(new KubeletRoute.ContainerLogs("shop", "web", "my-app"));
    }

    @Test
    void otherPathsDoNotMatch() {
        assertThat(KubeletRoute.match("/")).isEmpty();
        assertThat(KubeletRoute.match("/containerLogs/shop/web")).isEmpty();
        assertThat(KubeletRoute.match("/containerLogs/shop//app")).isEmpty();
        assertThat(KubeletRoute.match("/containerLogs/shop/web/app/more")).isEmpty();
        assertThat(KubeletRoute.match("/exec/shop")).isEmpty();
        assertThat(KubeletRoute.match("/pods/extra")).isEmpty();
        assertThat(KubeletRoute.match("/stats/summary/more")).isEmpty();
        assertThat(KubeletRoute.match("pods")).isEmpty();
    }

    @Test
    void methodsPerRoute() {
        assertThat(new KubeletRoute.Pods().methods()).containsExactly(HttpMethod.GET);
        assertThat(new KubeletRoute.Stream(StreamKind.EXEC, "a", "b", null, "c").methods())
                .containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.POST);
        assertThat(new KubeletRoute.ContainerLogs("a", "b", "c").debugging()).isTrue();
        assertThat(new KubeletRoute.Pods().debugging()).isFalse();
    }
}
