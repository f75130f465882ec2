package dev.petlet.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** petlet's own version, as the build stamped it. */
public final class PetletVersion {
    private static final String VERSION = load();

    private PetletVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = PetletVersion.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("petlet's version.properties is missing from its jar", e));
        }
    }
}
