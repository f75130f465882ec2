package dev.petlet.core.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.petlet.spi.runtime.RegistryCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Registry credentials from image pull secrets of type {@code kubernetes.io/dockerconfigjson}
 * and {@code kubernetes.io/dockercfg}, matched to a registry the way the kubelet's keyring does.
 */
final class PullSecrets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PullSecrets() {}

    /** Every credential in the secret for the registry, in the secret's order. */
    static List<RegistryCredentials> credentialsFor(Secret secret, String registry) throws IOException {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        JsonNode entries;
        if ("kubernetes.io/dockerconfigjson".equals(secret.getType()) && data.containsKey(".dockerconfigjson")) {
            entries = JSON.readTree(decode(data.get(".dockerconfigjson"))).path("auths");
        } else if ("kubernetes.io/dockercfg".equals(secret.getType()) && data.containsKey(".dockercfg")) {
            entries = JSON.readTree(decode(data.get(".dockercfg")));
        } else {
            throw new IOException("secret " + secret.getMetadata().getName() + " is of type " + secret.getType()
                    + "; image pull secrets must be kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg");
        }
        List<RegistryCredentials> matching = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = entries.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (registryOf(entry.getKey()).equals(registry)) {
                credentials(entry.getValue()).ifPresent(matching::add);
            }
        }
        return matching;
    }

    /** "https://index.docker.io/v1/" → "docker.io"; "http://127.0.0.1:5000/x" → "127.0.0.1:5000". */
    static String registryOf(String key) {
        String host = key.replaceFirst("^[a-zA-Z]+://", "");
        int slash = host.indexOf('/');
        host = (slash >= 0 ? host.substring(0, slash) : host).toLowerCase(Locale.ROOT);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> ImageReference.DOCKER_HUB;
            default -> host;
        };
    }

    private static java.util.Optional<RegistryCredentials> credentials(JsonNode entry) {
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (username.isEmpty() && entry.hasNonNull("auth")) {
            String auth =
                    new String(Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
            int colon = auth.indexOf(':');
            if (colon > 0) {
                username = auth.substring(0, colon);
                password = auth.substring(colon + 1);
            }
        }
        if (!username.isEmpty()) {
            return java.util.Optional.of(RegistryCredentials.basic(username, password));
        }
        if (entry.hasNonNull("identitytoken")) {
            return java.util.Optional.of(new RegistryCredentials(
                    null, null, entry.get("identitytoken").asText()));
        }
        return java.util.Optional.empty();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
