package dev.petlet.core.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.petlet.spi.runtime.TerminalSize;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the resize stream: a sequence of JSON objects {@code {"Width":80,"Height":24}} split across frames at
 * any byte. Field names match case-insensitively, as Go's decoder does. Like upstream, the first malformed value
 * ends resizing for the session; objects without a usable size are skipped. Not thread-safe.
 */
final class ResizeDecoder {
    private static final int MAX_DIMENSION = 0xFFFF;

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private boolean broken;
    private int depth;
    private String field;
    private int width;
    private int height;

    ResizeDecoder() {
        try {
            parser = Json.MAPPER.getFactory().createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a JSON parser", e);
        }
        feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
    }

    /** Takes the next bytes and returns the sizes they complete, in order. */
    List<TerminalSize> feed(byte[] data) {
        List<TerminalSize> sizes = new ArrayList<>();
        if (broken || data.length == 0) {
            return sizes;
        }
        try {
            feeder.feedInput(data, 0, data.length);
            JsonToken token;
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                take(token, sizes);
            }
        } catch (IOException | IllegalStateException e) {
            broken = true;
        }
        return sizes;
    }

    private void take(JsonToken token, List<TerminalSize> sizes) throws IOException {
        switch (token) {
            case START_OBJECT, START_ARRAY -> {
                if (depth == 0 && token == JsonToken.START_ARRAY) {
                    throw new IOException("a resize event must be an object");
                }
                if (depth == 0) {
                    width = 0;
                    height = 0;
                }
                depth++;
            }
            case END_OBJECT, END_ARRAY -> {
                depth--;
                if (depth == 0 && width >= 1 && height >= 1) {
                    sizes.add(new TerminalSize(width, height));
                }
            }
            case FIELD_NAME -> field = depth == 1 ? parser.currentName() : null;
            case VALUE_NUMBER_INT -> {
                if (depth == 1 && field != null) {
                    int value = parser.getValueAsInt(-1);
                    int dimension = value < 0 || value > MAX_DIMENSION ? 0 : value;
                    if (field.equalsIgnoreCase("width")) {
                        width = dimension;
                    } else if (field.equalsIgnoreCase("height")) {
                        height = dimension;
                    }
                }
            }
            default -> {
                if (depth == 0) {
                    throw new IOException("a resize event must be an object");
                }
            }
        }
    }
}
