package dev.petlet.core.stream;

import dev.petlet.core.provider.Providers;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.PodSandboxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the streaming endpoints on a local port, plain HTTP and without authorization, for trying clients by hand
 * (client-go's executors and port-forwarder, websocat): {@code /exec/...?command=...}, {@code /attach/...},
 * {@code /portForward/...}.
 *
 * <p>Arguments: the port (default 10250), then {@code fake} (default: the fake runtime, whose programs are
 * {@code echo}, {@code exit N}, {@code flood N}, {@code sleep}, and whose pod port 8080 echoes) or {@code podman}
 * (needs the Podman provider on the class path: a busybox sandbox whose main container runs {@code cat} with
 * stdin open and serves HTTP on port 8080; removed on exit).
 */
public final class StreamServerMain {
    private StreamServerMain() {}

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 10250;
        boolean podman = args.length > 1 && args[1].equals("podman");
        StreamTestServer server = podman ? podman(port) : fake(port);
        server.idleTimeout = Duration.ofHours(4);
        System.out.println("streaming endpoints on http://127.0.0.1:" + server.port());
        Thread.currentThread().join();
    }

    private static StreamTestServer fake(int port) throws Exception {
        StreamTestServer server = new StreamTestServer(port, null, FakeRuntime.CONTAINER, FakeRuntime.SANDBOX);
        EchoServer echo = new EchoServer();
        server.runtime.mapPort(8080, echo.port());
        return server;
    }

    private static StreamTestServer podman(int port) throws Exception {
        Path state = Files.createTempDirectory("petlet-stream-main");
        ContainerRuntime runtime = Providers.load(StreamServerMain.class.getClassLoader())
                .runtime("podman", Map.of(), "stream-main", state, Clock.systemUTC());
        PodSandboxConfig sandbox = PodSandboxConfig.builder(UUID.randomUUID().toString(), "petlet-stream", "main")
                .build();
        String sandboxId = runtime.runPodSandbox(sandbox);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runtime.removePodSandbox(sandboxId);
            } catch (Exception e) {
                System.err.println("could not remove sandbox " + sandboxId + ": " + e.getMessage());
            }
            runtime.close();
        }));
        String containerId = runtime.createContainer(
                sandboxId,
                ContainerConfig.builder("main", ImageSpec.of("localhost/busybox:latest"))
                        .command(
                                "sh",
                                "-c",
                                "mkdir -p /www && echo hello-from-pod > /www/index.html"
                                        + " && httpd -p 8080 -h /www && exec cat")
                        .stdin(true)
                        .build(),
                sandbox);
        runtime.startContainer(containerId);
        System.out.println("podman sandbox " + sandboxId + ", container " + containerId);
        return new StreamTestServer(port, runtime, containerId, sandboxId);
    }
}
