package dev.petlet.core.probe;

import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP GET as the kubelet's httpGet probes and hooks send it: HTTP/1.1 with {@code User-Agent:
 * kube-probe/<version>}, the spec's headers (which may replace Host, User-Agent and Accept), HTTPS
 * without certificate verification, and success for a status from 200 to 399.
 */
public final class HttpCheck {
    static final String USER_AGENT = "kube-probe/1.33";

    /**
     * @param scheme {@code HTTP} or {@code HTTPS}
     * @param host the address to connect to
     * @param path the request path, with a query if any; empty means {@code /}
     */
    public record Target(String scheme, String host, int port, String path, List<HTTPHeader> headers) {
        public Target {
            scheme = Optional.ofNullable(scheme).orElse("HTTP").toUpperCase(Locale.ROOT);
            path = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
            headers = List.copyOf(Optional.ofNullable(headers).orElse(List.of()));
        }

        String url() {
            return scheme.toLowerCase(Locale.ROOT) + "://" + ContainerPorts.hostPort(host, port) + path;
        }
    }

    private HttpCheck() {}

    public static ProbeOutcome get(Target target, Duration timeout) {
        try {
            int status = exchange(target, timeout, USER_AGENT);
            if (status >= 200 && status < 400) {
                return ProbeOutcome.passed("");
            }
            return ProbeOutcome.failed("HTTP probe failed with statuscode: " + status);
        } catch (IOException e) {
            return ProbeOutcome.failed(e.getMessage());
        }
    }

    /**
     * Sends the request and reads the status code.
     *
     * @throws IOException with Go's wording of the failure, e.g. {@code Get "http://…": dial tcp …:
     *     connect: connection refused}
     */
    static int exchange(Target target, Duration timeout, String userAgent) throws IOException {
        String url = target.url();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = connect(target, timeout)) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            out.write(request(target, userAgent).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in, deadline);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
                throw new IOException("Get \"" + url + "\": malformed HTTP response " + ExecCheck.quoted(statusLine));
            }
            return Integer.parseInt(parts[1]);
        } catch (SocketTimeoutException e) {
            throw new IOException(
                    "Get \"" + url + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        } catch (GeneralSecurityException e) {
            throw new IOException("Get \"" + url + "\": " + e.getMessage());
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Get \"")) {
                throw e;
            }
            throw new IOException("Get \"" + url + "\": " + describe(e, target.host(), target.port()));
        }
    }

    private static Socket connect(Target target, Duration timeout) throws IOException, GeneralSecurityException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) Math.max(1, timeout.toMillis()));
            if (!target.scheme().equals("HTTPS")) {
                return socket;
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustEverything()}, null);
            SSLSocket tls =
                    (SSLSocket) context.getSocketFactory().createSocket(socket, target.host(), target.port(), true);
            tls.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            tls.startHandshake();
            return tls;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static String request(Target target, String userAgent) {
        StringBuilder request = new StringBuilder("GET ").append(target.path()).append(" HTTP/1.1\r\n");
        boolean host = false;
        boolean agent = false;
        boolean accept = false;
        for (HTTPHeader header : target.headers()) {
            String name = header.getName().toLowerCase(Locale.ROOT);
            host |= name.equals("host");
            agent |= name.equals("user-agent");
            accept |= name.equals("accept");
        }
        if (!host) {
            request.append("Host: ")
                    .append(ContainerPorts.hostPort(target.host(), target.port()))
                    .append("\r\n");
        }
        if (!agent) {
            request.append("User-Agent: ").append(userAgent).append("\r\n");
        }
        if (!accept) {
            request.append("Accept: */*\r\n");
        }
        for (HTTPHeader header : target.headers()) {
            request.append(header.getName())
                    .append(": ")
                    .append(Optional.ofNullable(header.getValue()).orElse(""))
                    .append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString();
    }

    private static String readLine(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 8192 || System.nanoTime() > deadline) {
                break;
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("EOF");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Go's wording for connection errors, which users search for. */
    static String describe(Exception e, String host, int port) {
        String address = ContainerPorts.hostPort(host, port);
        if (e instanceof ConnectException) {
            return "dial tcp " + address + ": connect: connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "dial tcp " + address + ": i/o timeout";
        }
        if (e instanceof java.net.NoRouteToHostException) {
            return "dial tcp " + address + ": connect: no route to host";
        }
        return String.valueOf(e.getMessage());
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // the kubelet's probes skip verification too (InsecureSkipVerify)
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
