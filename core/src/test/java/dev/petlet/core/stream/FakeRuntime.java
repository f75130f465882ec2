package dev.petlet.core.stream;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import dev.petlet.spi.runtime.AttachRequest;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ContainerFilter;
import dev.petlet.spi.runtime.ContainerRuntime;
import dev.petlet.spi.runtime.ContainerStats;
import dev.petlet.spi.runtime.ContainerStatus;
import dev.petlet.spi.runtime.ContainerSummary;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.ImageInfo;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.LogOptions;
import dev.petlet.spi.runtime.LogSink;
import dev.petlet.spi.runtime.OutputSink;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PodSandboxFilter;
import dev.petlet.spi.runtime.PodSandboxStatus;
import dev.petlet.spi.runtime.PodSandboxSummary;
import dev.petlet.spi.runtime.PortForwardStream;
import dev.petlet.spi.runtime.RegistryCredentials;
import dev.petlet.spi.runtime.RuntimeEvent;
import dev.petlet.spi.runtime.RuntimeVersion;
import dev.petlet.spi.runtime.StreamSession;
import dev.petlet.spi.runtime.Subscription;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory runtime for the streaming tests. The only container is {@link #CONTAINER}; its "processes" are
 * {@link FakeProcess} programs chosen by the command. Port-forward connects pod ports to local ports the test
 * registers. Everything else is unsupported.
 */
final class FakeRuntime implements ContainerRuntime {
    static final String CONTAINER = "c1";
    static final String SANDBOX = "s1";

    final List<FakeProcess> processes = new CopyOnWriteArrayList<>();
    final List<TerminalSize> sizes = new CopyOnWriteArrayList<>();
    final List<ExecRequest> execRequests = new CopyOnWriteArrayList<>();
    final List<Socket> forwards = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> podPorts = new ConcurrentHashMap<>();

    /** Makes a pod port reach a local port. */
    void mapPort(int podPort, int localPort) {
        podPorts.put(podPort, localPort);
    }

    FakeProcess lastProcess() {
        return processes.isEmpty() ? null : processes.get(processes.size() - 1);
    }

    @Override
    public StreamSession exec(String containerId, ExecRequest request, OutputSink sink) throws ProviderException {
        requireContainer(containerId);
        execRequests.add(request);
        if (request.terminalSize() != null) {
            sizes.add(request.terminalSize());
        }
        FakeProcess process = new FakeProcess(request.command(), sink, sizes);
        processes.add(process);
        process.start();
        return process;
    }

    @Override
    public StreamSession attach(String containerId, AttachRequest request, OutputSink sink) throws ProviderException {
        requireContainer(containerId);
        FakeProcess process = new FakeProcess(List.of("echo"), sink, sizes);
        processes.add(process);
        process.start();
        return process;
    }

    @Override
    public PortForwardStream portForward(String sandboxId, int port) throws ProviderException {
        if (!SANDBOX.equals(sandboxId)) {
            throw new ProviderException(ErrorCode.NOT_FOUND, "pod sandbox `" + sandboxId + "` not found");
        }
        Integer local = podPorts.get(port);
        if (local == null) {
            throw new ProviderException(ErrorCode.UNAVAILABLE, "nothing accepts connections on port " + port);
        }
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", local));
            forwards.add(socket);
            return new SocketStream(socket);
        } catch (IOException e) {
            throw new ProviderException(ErrorCode.UNAVAILABLE, "cannot connect to port " + port, e);
        }
    }

    private static void requireContainer(String containerId) throws ProviderException {
        if (!CONTAINER.equals(containerId)) {
            throw new ProviderException(ErrorCode.NOT_FOUND, "container `" + containerId + "` not found");
        }
    }

    /** A pod connection over a local socket; closing the output half-closes. */
    private record SocketStream(Socket socket) implements PortForwardStream {
        @Override
        public InputStream input() {
            try {
                return socket.getInputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public OutputStream output() {
            try {
                OutputStream raw = socket.getOutputStream();
                return new OutputStream() {
                    @Override
                    public void write(int value) throws IOException {
                        raw.write(value);
                    }

                    @Override
                    public void write(byte[] buffer, int offset, int length) throws IOException {
                        raw.write(buffer, offset, length);
                    }

                    @Override
                    public void close() throws IOException {
                        if (!socket.isClosed()) {
                            socket.shutdownOutput();
                        }
                    }
                };
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closed already.
            }
        }
    }

    // ---- not used by streaming

    @Override
    public RuntimeVersion version() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<PodSandboxSummary> listPodSandboxes(PodSandboxFilter filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void startContainer(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stopContainer(String containerId, java.time.Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeContainer(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ContainerSummary> listContainers(ContainerFilter filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String pullImage(ImageSpec image, Optional<RegistryCredentials> credentials) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<ImageInfo> imageStatus(ImageSpec image) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ImageInfo> listImages() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeImage(ImageSpec image) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Subscription logs(String containerId, LogOptions options, LogSink sink) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ContainerStats> stats(ContainerFilter filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Subscription events(Consumer<RuntimeEvent> listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        processes.forEach(FakeProcess::close);
        forwards.forEach(socket -> {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closed already.
            }
        });
    }
}
