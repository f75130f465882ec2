package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.server.HttpExchanges.Response;
import dev.petlet.core.stream.StreamTarget;
import dev.petlet.spi.runtime.ContainerState;
import dev.petlet.spi.runtime.LogOptions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request handling of the kubelet API over an in-memory channel: filter, routes, errors, log streaming. */
class KubeletApiHandlerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-02T00:00:00Z"), ZoneOffset.UTC);

    private final FakeRuntime runtime = new FakeRuntime();
    private final List<Pod> pods = new ArrayList<>();
    private final List<StreamTarget> handedOver = new ArrayList<>();
    private TestAuth auth = new TestAuth("admin/proxy", "reader/pods", "kubelet-e2e/proxy");
    private KubeletServerSettings settings = KubeletServerSettings.defaults(
            "node-1", Path.of("/etc/petlet/kubelet.crt"), Path.of("/etc/petlet/kubelet.key"), Path.of("/etc/ca.crt"));
    private EmbeddedChannel channel;

    @BeforeEach
    void pods() {
        pods.add(new PodBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web")
                .withUid("uid-web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("localhost/app:1")
                .endContainer()
                .addNewContainer()
                .withName("sidecar")
                .withImage("localhost/sidecar:1")
                .endContainer()
                .addNewContainer()
                .withName("pulling")
                .withImage("localhost/big:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("pulling")
                .withNewState()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build());
        runtime.addSandbox("sandbox-1", "uid-web", "shop", "web", "10.88.0.7");
        runtime.addContainer("app-0", "sandbox-1", "uid-web", "app", 0, ContainerState.EXITED, "first run");
        runtime.addContainer("app-1", "sandbox-1", "uid-web", "app", 1, ContainerState.RUNNING, "hello", "world");
    }

    private EmbeddedChannel channel() {
        if (channel == null) {
            KubeletApi api = new KubeletApi(
                    settings,
                    new RequestGate(auth, auth, "node-1"),
                    () -> pods,
                    runtime,
                    Map.of("io.petlet.agent", "me"),
                    (ctx, request, target) -> handedOver.add(target),
                    Runnable::run,
                    new NodeUsageReader(Path.of("/proc"), Path.of("/")),
                    CLOCK);
            channel = new EmbeddedChannel();
            channel.pipeline()
                    .addLast("http", new HttpServerCodec())
                    .addLast(KubeletApiHandler.IDLE_HANDLER, new IdleStateHandler(0, 0, 90, TimeUnit.SECONDS))
                    .addLast("kubelet-api", new KubeletApiHandler(api));
        }
        return channel;
    }

    private String send(String raw) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
        return output();
    }

    private String output() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 10; i++) {
            ch.runPendingTasks();
        }
        StringBuilder text = new StringBuilder();
        ByteBuf chunk;
        while ((chunk = ch.readOutbound()) != null) {
            text.append(chunk.toString(StandardCharsets.UTF_8));
            chunk.release();
        }
        return text.toString();
    }

    private static String get(String path, String user) {
        return request("GET", path, user);
    }

    private static String request(String method, String path, String user) {
        return method + " " + path + " HTTP/1.1\r\nHost: node-1\r\n"
                + (user == null ? "" : "Authorization: Bearer " + user + "\r\n") + "\r\n";
    }

    private Response call(String path) {
        return HttpExchanges.parse(send(get(path, "admin")));
    }

    @Test
    void withoutCredentialsIs401() {
        Response response = HttpExchanges.parse(send(get("/pods", null)));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("Unauthorized\n");
        assertThat(auth.asked).isEmpty();
    }

    @Test
    void withoutPermissionIs403NamingEverySubresourceTried() {
        Response response = HttpExchanges.parse(send(get("/pods", "mallory")));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body())
                .isEqualTo("Forbidden (user=mallory, verb=get, resource=nodes, subresource(s)=[pods proxy])\n");
    }

    @Test
    void authorizationComesBeforeRouting() {
        assertThat(HttpExchanges.parse(send(get("/no/such/path", "mallory"))).status())
                .isEqualTo(403);
    }

    @Test
    void fineGrainedPodsPermissionIsEnoughForPods() {
        Response response = HttpExchanges.parse(send(get("/pods", "reader")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(auth.asked).extracting(AuthorizationAttributes::subresource).containsExactly("pods");
        assertThat(HttpExchanges.parse(send(get("/containerLogs/shop/web/app", "reader")))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void healthzSaysOk() {
        Response response = call("/healthz");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(auth.asked).extracting(AuthorizationAttributes::subresource).containsExactly("healthz", "proxy");
        assertThat(auth.asked.getFirst().nodeName()).isEqualTo("node-1");
    }

    @Test
    void headOnHealthzHasNoBody() {
        String response = send(request("HEAD", "/healthz", "admin"));

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void podsListsTheDesiredPodsAsAPodList() {
        Response response = call("/pods");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        PodList list = new KubernetesSerialization().unmarshal(response.body(), PodList.class);
        assertThat(list.getKind()).isEqualTo("PodList");
        assertThat(list.getApiVersion()).isEqualTo("v1");
        assertThat(list.getItems()).extracting(p -> p.getMetadata().getUid()).containsExactly("uid-web");
        assertThat(list.getItems().getFirst().getSpec().getContainers()).hasSize(3);
    }

    @Test
    void podsAllowsOnlyGet() {
        Response response = HttpExchanges.parse(send(request("POST", "/pods", "admin")));

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("allow")).isEqualTo("GET");
        Response exec = HttpExchanges.parse(send(request("DELETE", "/exec/shop/web/app", "admin")));
        assertThat(exec.header("allow")).isEqualTo("GET, POST");
    }

    @Test
    void unknownPathIs404() {
        Response response = call("/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("404 page not found\n");
    }

    @Test
    void runningPodsComeFromTheRuntime() {
        Response response = call("/runningpods/");

        PodList list = new KubernetesSerialization().unmarshal(response.body(), PodList.class);
        assertThat(list.getItems()).hasSize(1);
        Pod pod = list.getItems().getFirst();
        assertThat(pod.getMetadata().getName()).isEqualTo("web");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(pod.getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("app=localhost/app:1");
    }

    @Test
    void configzDescribesTheServer() {
        Response response = call("/configz");

        assertThat(response.body())
                .startsWith("{\"kubeletconfig\":{")
                .contains("\"port\":10250")
                .contains("\"mode\":\"Webhook\"")
                .contains("\"cacheTTL\":\"2m0s\"")
                .contains("\"streamingConnectionIdleTimeout\":\"4h0m0s\"");
    }

    @Test
    void debuggingHandlersCanBeTurnedOff() {
        settings = settings.withDebuggingHandlers(false);

        Response response = call("/containerLogs/shop/web/app");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.body()).isEqualTo("Debug endpoints are disabled.\n");
        assertThat(call("/pods").status()).isEqualTo(200);
    }

    @Test
    void containerLogsOfTheNewestInstanceChunked() {
        Response response = call("/containerLogs/shop/web/app");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
        assertThat(response.body()).isEqualTo("hello\nworld\n");
        assertThat(channel.isOpen()).as("kept alive").isTrue();
    }

    @Test
    void containerLogsWithTimestampsPrefixEachLine() {
        Response response = call("/containerLogs/shop/web/app?timestamps=true");

        assertThat(response.body()).isEqualTo("2025-01-01T00:00:00.12Z hello\n2025-01-01T00:00:01.12Z world\n");
    }

    @Test
    void containerLogsStopAtLimitBytesCountingTimestamps() {
        Response response = call("/containerLogs/shop/web/app?timestamps=1&limitBytes=36");

        assertThat(response.body()).isEqualTo("2025-01-01T00:00:00.12Z hello\n2025-0");
    }

    @Test
    void containerLogsPassTheQueryToTheRuntime() {
        call("/containerLogs/shop/web/app?tail=all&sinceSeconds=60&stream=Stderr&follow=0");

        assertThat(runtime.logRequests)
                .containsExactly(
                        new LogOptions(false, null, false, CLOCK.instant().minusSeconds(60), null, false, true));
    }

    @Test
    void previousReadsTheInstanceBefore() {
        assertThat(call("/containerLogs/shop/web/app?previous=true").body()).isEqualTo("first run\n");
    }

    @Test
    void containerLogErrorsNameWhatIsMissing() {
        assertThat(call("/containerLogs/shop/nope/app"))
                .extracting(Response::status, Response::body)
                .containsExactly(404, "pods \"nope\" not found\n");
        assertThat(call("/containerLogs/shop/web/nope").body())
                .isEqualTo("container \"nope\" not found in pod \"web\"\n");
        assertThat(call("/containerLogs/shop/web/sidecar"))
                .extracting(Response::status, Response::body)
                .containsExactly(404, "container \"sidecar\" in pod \"web\" is not available\n");
        assertThat(call("/containerLogs/shop/web/pulling"))
                .extracting(Response::status, Response::body)
                .containsExactly(
                        400,
                        "container \"pulling\" in pod \"web\" is waiting to start: trying and failing to pull image\n");
        runtime.containers.removeIf(c -> c.id().equals("app-0"));
        assertThat(call("/containerLogs/shop/web/app?previous=true"))
                .extracting(Response::status, Response::body)
                .containsExactly(400, "previous terminated container \"app\" in pod \"web\" not found\n");
    }

    @Test
    void badLogQueryIs400AndInvalidIs422() {
        assertThat(call("/containerLogs/shop/web/app?tailLines=ten"))
                .extracting(Response::status, Response::body)
                .containsExactly(400, "Unable to decode query: tailLines must be an integer, got \"ten\"\n");
        assertThat(call("/containerLogs/shop/web/app?tailLines=-1").status()).isEqualTo(422);
    }

    @Test
    void followStreamsLinesAsTheyArriveAndEndsWithTheLog() {
        String head = send(get("/containerLogs/shop/web/app?follow=true", "admin"));
        assertThat(head).contains("hello\n").contains("world\n").doesNotContain("\r\n0\r\n");
        FakeRuntime.FollowedLog log = runtime.followed.getFirst();

        log.emit("later");
        assertThat(output()).isEqualTo("6\r\nlater\n\r\n");

        log.end();
        assertThat(output()).isEqualTo("0\r\n\r\n");
        assertThat(channel.isOpen()).isTrue();
        assertThat(call("/healthz").status())
                .as("the connection serves the next request")
                .isEqualTo(200);
    }

    @Test
    void closingTheConnectionClosesTheLogSubscription() {
        send(get("/containerLogs/shop/web/app?follow", "admin"));
        FakeRuntime.FollowedLog log = runtime.followed.getFirst();

        channel.close();
        channel.runPendingTasks();

        assertThat(log.closed).isTrue();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        String both =
                send(get("/healthz", "admin") + get("/containerLogs/shop/web/app", "admin") + get("/configz", "admin"));

        assertThat(both.indexOf("ok")).isLessThan(both.indexOf("hello\n"));
        assertThat(both.indexOf("hello\n")).isLessThan(both.indexOf("kubeletconfig"));
    }

    @Test
    void connectionCloseIsHonoured() {
        String raw = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer admin\r\n\r\n";

        assertThat(HttpExchanges.parse(send(raw)).header("connection")).isEqualTo("close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void malformedRequestIs400AndClosesTheConnection() {
        String response =
                send("GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n" + get("/healthz", "admin"));

        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void execResolvesTheRunningContainerAndHandsTheChannelOver() {
        String response = send(request("POST", "/exec/shop/web/app?command=sh&input=1", "admin"));

        assertThat(response).isEmpty();
        assertThat(handedOver).hasSize(1);
        StreamTarget target = handedOver.getFirst();
        assertThat(target.kind()).isEqualTo(StreamTarget.Kind.EXEC);
        assertThat(target.containerId()).isEqualTo("app-1");
        assertThat(target.podIps()).containsExactly("10.88.0.7");
        assertThat(target.idleTimeout()).isEqualTo(KubeletServerSettings.DEFAULT_STREAM_IDLE_TIMEOUT);
        assertThat(channel.pipeline().get(KubeletApiHandler.IDLE_HANDLER)).isNull();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void portForwardTargetsTheSandbox() {
        send(request("POST", "/portForward/shop/web/uid-web", "admin"));

        assertThat(handedOver)
                .extracting(StreamTarget::kind, StreamTarget::sandboxId, StreamTarget::containerId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(StreamTarget.Kind.PORT_FORWARD, "sandbox-1", null));
    }

    @Test
    void streamErrorsAreAnsweredWithoutHandingOver() {
        assertThat(HttpExchanges.parse(send(request("POST", "/exec/shop/web/sidecar?command=sh", "admin"))))
                .extracting(Response::status, Response::body)
                .containsExactly(404, "container \"sidecar\" in pod \"web\" is not running\n");
        assertThat(HttpExchanges.parse(send(request("POST", "/attach/shop/web/other-uid/app", "admin")))
                        .body())
                .isEqualTo("pod \"shop/web\" with UID other-uid not found\n");
        assertThat(handedOver).isEmpty();
    }

    @Test
    void streamRequestsNeedProxyOnTheNode() {
        Response response = HttpExchanges.parse(send(request("POST", "/exec/shop/web/app?command=sh", "reader")));

        assertThat(response.body())
                .isEqualTo("Forbidden (user=reader, verb=create, resource=nodes, subresource(s)=[proxy])\n");
    }
}
