package dev.petlet.provider.podman;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.petlet.spi.runtime.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code X-Registry-Auth} header of an image pull: Docker's auth config ({@code username}, {@code
 * password} or {@code identitytoken}, {@code serveraddress}) as JSON in URL-safe base64 with padding, which
 * is how Podman decodes it.
 */
final class RegistryAuthHeader {
    static final String NAME = "X-Registry-Auth";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryAuthHeader() {}

    static String encode(RegistryCredentials credentials, String serverAddress) {
        ObjectNode auth = JSON.createObjectNode();
        if (credentials.username() != null) {
            auth.put("username", credentials.username());
            auth.put("password", credentials.password());
        }
        if (credentials.identityToken() != null) {
            auth.put("identitytoken", credentials.identityToken());
        }
        auth.put("serveraddress", serverAddress);
        return Base64.getUrlEncoder().encodeToString(auth.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The registry host of an image reference, the way container tools find it: the part before the first
     * slash if it looks like a host (has a dot or a port, or is {@code localhost}), else Docker Hub.
     */
    static String registryOf(String reference) {
        int slash = reference.indexOf('/');
        if (slash > 0) {
            String first = reference.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }
}
