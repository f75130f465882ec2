package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the answer of {@code POST /libpod/images/pull}: a stream of JSON objects, {@code {"stream": "..."}}
 * for progress, then either {@code {"images": [...], "id": "..."}} or {@code {"error": "..."}}. Podman answers
 * 200 before it knows how the pull ends, so failures only show up here.
 */
final class PullResultReader {
    private PullResultReader() {}

    /** The pulled image's id, or the classified error. */
    static String imageId(String image, InputStream body, ObjectMapper json) throws ProviderException {
        try (MappingIterator<JsonNode> objects = json.readerFor(JsonNode.class).readValues(body)) {
            while (objects.hasNextValue()) {
                JsonNode object = objects.nextValue();
                if (object.hasNonNull("error")) {
                    throw PodmanErrors.fromPullError(image, object.get("error").asText());
                }
                if (object.hasNonNull("id")) {
                    return object.get("id").asText();
                }
            }
        } catch (IOException e) {
            throw new ProviderException(
                    ErrorCode.UNAVAILABLE, "reading Podman's progress while pulling " + image + " failed: " + e, e);
        }
        throw new ProviderException(
                ErrorCode.INTERNAL, "Podman ended the pull of " + image + " without an image id or an error");
    }
}
