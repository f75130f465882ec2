package dev.petlet.core.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code /configz} document: {@code {"kubeletconfig":{…}}} with the KubeletConfiguration fields that
 * describe petlet's kubelet API, named and formatted as v1beta1 does (durations as Go prints them).
 */
final class Configz {
    private Configz() {}

    static Map<String, Object> of(KubeletServerSettings settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("enableServer", true);
        config.put("address", settings.bindAddress());
        config.put("port", settings.port());
        config.put("readOnlyPort", 0);
        config.put("tlsCertFile", settings.certificate().toString());
        config.put("tlsPrivateKeyFile", settings.key().toString());
        config.put(
                "authentication",
                Map.of(
                        "x509", Map.of("clientCAFile", settings.clientCa().toString()),
                        "webhook",
                                Map.of(
                                        "enabled",
                                        settings.webhookAuthentication(),
                                        "cacheTTL",
                                        goDuration(TokenAuthenticator.CACHE_TTL)),
                        "anonymous", Map.of("enabled", false)));
        config.put(
                "authorization",
                Map.of(
                        "mode",
                        "Webhook",
                        "webhook",
                        Map.of(
                                "cacheAuthorizedTTL", goDuration(CachingAuthorizer.ALLOWED_TTL),
                                "cacheUnauthorizedTTL", goDuration(CachingAuthorizer.DENIED_TTL))));
        config.put("enableDebuggingHandlers", settings.enableDebuggingHandlers());
        config.put("streamingConnectionIdleTimeout", goDuration(settings.streamIdleTimeout()));
        return Map.of("kubeletconfig", config);
    }

    /** A duration as Go's {@code time.Duration.String()} prints whole seconds: {@code 4h0m0s}, {@code 2m0s}, {@code 30s}. */
    static String goDuration(Duration duration) {
        long seconds = duration.toSeconds();
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + rest + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + rest + "s";
        }
        return rest + "s";
    }
}
