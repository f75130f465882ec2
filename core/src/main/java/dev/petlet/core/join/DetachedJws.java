package dev.petlet.core.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bootstrap signer's signature of {@code kube-public/cluster-info}: a JWS in compact serialization with the
 * payload left out ({@code header..signature}), HS256 keyed with the token secret, {@code kid} the token id.
 * Verifying it proves the cluster-info was signed by someone who knows the token, so the CA in it is the
 * cluster's.
 */
public final class DetachedJws {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DetachedJws() {}

    /** Whether {@code jws} signs {@code content} with {@code token}. */
    public static boolean verify(String jws, String content, BootstrapTokenString token) {
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            return false;
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"HS256".equals(header.path("alg").asText())
                    || !token.id().equals(header.path("kid").asText())) {
                return false;
            }
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            return MessageDigest.isEqual(signature, hmac(parts[0], content, token.secret()));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Signs as the bootstrap signer does (for tests and fakes). */
    public static String sign(String content, BootstrapTokenString token) {
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        ("{\"alg\":\"HS256\",\"kid\":\"" + token.id() + "\"}").getBytes(StandardCharsets.UTF_8));
        return header + ".."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(header, content, token.secret()));
    }

    private static byte[] hmac(String encodedHeader, String content, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signingInput = encodedHeader + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(content.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
