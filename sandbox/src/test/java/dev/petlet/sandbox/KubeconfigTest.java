package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KubeconfigTest {
    @Test
    void rendersAKubeconfigThatClientsRead() {
        String text = Kubeconfig.render(
                "https://127.0.0.1:6443",
                "CA".getBytes(StandardCharsets.US_ASCII),
                "petlet-admin",
                "CERT".getBytes(StandardCharsets.US_ASCII),
                "KEY".getBytes(StandardCharsets.US_ASCII));
        Config config = Config.fromKubeconfig(text);
        assertThat(config.getMasterUrl()).startsWith("https://127.0.0.1:6443");
        assertThat(config.getCaCertData())
                .isEqualTo(Base64.getEncoder().encodeToString("CA".getBytes(StandardCharsets.US_ASCII)));
        assertThat(config.getClientCertData())
                .isEqualTo(Base64.getEncoder().encodeToString("CERT".getBytes(StandardCharsets.US_ASCII)));
        assertThat(config.getClientKeyData())
                .isEqualTo(Base64.getEncoder().encodeToString("KEY".getBytes(StandardCharsets.US_ASCII)));
    }
}
