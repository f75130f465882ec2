package dev.petlet.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Reading raw HTTP/1.1 responses in tests, and waiting for conditions by polling. */
final class HttpExchanges {
    private HttpExchanges() {}

    /** A response: status, headers (names lower-cased) and body, de-chunked. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Parses one complete response from the start of {@code text}. */
    static Response parse(String text) {
        int headerEnd = text.indexOf("\r\n\r\n");
        assertThat(headerEnd).as("a complete response head in: %s", text).isPositive();
        String[] lines = text.substring(0, headerEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        String rest = text.substring(headerEnd + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            StringBuilder body = new StringBuilder();
            int position = 0;
            while (position < rest.length()) {
                int lineEnd = rest.indexOf("\r\n", position);
                if (lineEnd < 0) {
                    break;
                }
                int size = Integer.parseInt(rest.substring(position, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                body.append(rest, lineEnd + 2, Math.min(rest.length(), lineEnd + 2 + size));
                position = lineEnd + 2 + size + 2;
            }
            return new Response(status, headers, body.toString());
        }
        String length = headers.get("content-length");
        return new Response(
                status,
                headers,
                length == null ? rest : rest.substring(0, Math.min(rest.length(), Integer.parseInt(length))));
    }

    /** Polls until the condition holds, failing after the timeout. */
    static void await(Duration timeout, String description, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + description);
            }
            Thread.sleep(20);
        }
    }
}
