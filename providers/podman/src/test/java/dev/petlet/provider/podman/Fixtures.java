package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Answers recorded from a real Podman 4.3.1 (see the test resources next to this class). */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    static JsonNode json(String name) {
        try (InputStream input = Fixtures.class.getResourceAsStream(name)) {
            if (input == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return JSON.readTree(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> jsonLines(String name) {
        try (InputStream input = Fixtures.class.getResourceAsStream(name)) {
            return JSON.readerFor(JsonNode.class).<JsonNode>readValues(input).readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
