package dev.petlet.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpCheckTest {
    @Test
    void theRequestCarriesTheKubeletsDefaultsAndTheSpecsHeaders() {
        String request = HttpCheck.request(
                new HttpCheck.Target(
                        "HTTP", "10.88.0.5", 8080, "healthz?full=1", List.of(new HTTPHeader("X-Probe", "petlet"))),
                HttpCheck.USER_AGENT);
        assertThat(request)
                .isEqualTo("GET /healthz?full=1 HTTP/1.1\r\n"
                        + "Host: 10.88.0.5:8080\r\n"
                        + "User-Agent: kube-probe/1.33\r\n"
                        + "Accept: */*\r\n"
                        + "X-Probe: petlet\r\n"
                        + "Connection: close\r\n\r\n");
    }

    @Test
    void headersOfTheSpecReplaceHostAndUserAgent() {
        String request = HttpCheck.request(
                new HttpCheck.Target(
                        null,
                        "fd00::5",
                        80,
                        "",
                        List.of(new HTTPHeader("Host", "shop.example"), new HTTPHeader("User-Agent", "mine"))),
                HttpCheck.USER_AGENT);
        assertThat(request)
                .startsWith("GET / HTTP/1.1\r\n")
                .contains("Host: shop.example\r\n", "User-Agent: mine\r\n")
                .doesNotContain("kube-probe", "[fd00::5]");
    }

    @Test
    void portsResolveByNumberOrByTheContainersPortName() {
        var container = new ContainerBuilder()
                .withName("app")
                .addNewPort()
                .withName("http")
                .withContainerPort(8080)
                .endPort()
                .build();
        assertThat(ContainerPorts.resolve(new IntOrString("http"), container)).isEqualTo(8080);
        assertThat(ContainerPorts.resolve(new IntOrString(9090), container)).isEqualTo(9090);
        assertThatThrownBy(() -> ContainerPorts.resolve(new IntOrString("metrics"), container))
                .hasMessage("couldn't find port: metrics in container app");
        assertThat(ContainerPorts.hostPort("fd00::5", 80)).isEqualTo("[fd00::5]:80");
    }
}
