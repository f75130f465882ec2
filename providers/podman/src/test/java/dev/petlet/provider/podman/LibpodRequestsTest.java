package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.DnsConfig;
import dev.petlet.spi.runtime.ExecRequest;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.Mount;
import dev.petlet.spi.runtime.PodSandboxConfig;
import dev.petlet.spi.runtime.PortMapping;
import dev.petlet.spi.runtime.Protocol;
import dev.petlet.spi.runtime.TerminalSize;
import java.util.List;
import org.junit.jupiter.api.Test;

class LibpodRequestsTest {
    private static final PodSandboxConfig SANDBOX = PodSandboxConfig.builder("uid-1", "shop", "web")
            .attempt(1)
            .hostname("web-host")
            .label("app", "web")
            .annotation("note", "x")
            .portMapping(new PortMapping(Protocol.TCP, 80, 8080, null))
            .dns(new DnsConfig(List.of("10.0.0.10"), List.of("shop.svc.cluster.local"), List.of("ndots:5")))
            .build();

    @Test
    void podCreateCarriesNameHostnameLabelsPortsAndDns() {
        JsonNode body = LibpodRequests.podCreate(SANDBOX, Fixtures.JSON);

        assertThat(body.path("name").asText()).isEqualTo("shop_web_uid-1_1");
        assertThat(body.path("hostname").asText()).isEqualTo("web-host");
        assertThat(body.path("labels").path("app").asText()).isEqualTo("web");
        assertThat(body.path("labels").path("io.petlet.pod.uid").asText()).isEqualTo("uid-1");
        assertThat(body.path("labels").path("io.petlet.pod.namespace").asText()).isEqualTo("shop");
        assertThat(body.path("labels").path("io.petlet.pod.name").asText()).isEqualTo("web");
        assertThat(body.path("labels").path(PodmanLabels.SANDBOX_ATTEMPT).asText())
                .isEqualTo("1");
        assertThat(body.path("labels").path(PodmanLabels.ANNOTATIONS).asText()).isEqualTo("{\"note\":\"x\"}");
        JsonNode port = body.path("portmappings").get(0);
        assertThat(port.path("container_port").asInt()).isEqualTo(80);
        assertThat(port.path("host_port").asInt()).isEqualTo(8080);
        assertThat(port.path("protocol").asText()).isEqualTo("tcp");
        assertThat(body.path("dns_server").get(0).asText()).isEqualTo("10.0.0.10");
        assertThat(body.path("dns_search").get(0).asText()).isEqualTo("shop.svc.cluster.local");
        assertThat(body.path("dns_option").get(0).asText()).isEqualTo("ndots:5");
        assertThat(body.has("netns")).isFalse();
    }

    @Test
    void hostNetworkPodsJoinTheHostNamespaceWithoutPortMappings() {
        PodSandboxConfig hostNetwork = PodSandboxConfig.builder("uid-2", "kube-system", "proxy")
                .hostNetwork(true)
                .portMapping(new PortMapping(Protocol.TCP, 80, 80, null))
                .build();

        JsonNode body = LibpodRequests.podCreate(hostNetwork, Fixtures.JSON);

        assertThat(body.path("netns").path("nsmode").asText()).isEqualTo("host");
        assertThat(body.has("portmappings")).isFalse();
    }

    @Test
    void commandAndArgsBecomeEntrypointAndCommand() {
        ContainerConfig container = ContainerConfig.builder("app", ImageSpec.of("localhost/busybox:latest"))
                .command("sh", "-c")
                .args("exit 3")
                .build();

        JsonNode body = LibpodRequests.containerCreate("pod-1", container, SANDBOX, Fixtures.JSON);

        assertThat(body.path("entrypoint")).extracting(JsonNode::asText).containsExactly("sh", "-c");
        assertThat(body.path("command")).extracting(JsonNode::asText).containsExactly("exit 3");
        assertThat(body.path("pod").asText()).isEqualTo("pod-1");
        assertThat(body.path("image").asText()).isEqualTo("localhost/busybox:latest");
        assertThat(body.path("name").asText()).isEqualTo("shop_web_uid-1_1_app_0");
    }

    @Test
    void emptyCommandAndArgsLeaveTheImageDefaults() {
        ContainerConfig container =
                ContainerConfig.builder("app", ImageSpec.of("busybox")).build();

        JsonNode body = LibpodRequests.containerCreate("pod-1", container, SANDBOX, Fixtures.JSON);

        assertThat(body.has("entrypoint")).isFalse();
        assertThat(body.has("command")).isFalse();
        assertThat(body.has("resource_limits")).isFalse();
        assertThat(body.has("log_configuration")).isFalse();
    }

    @Test
    void containerCarriesEnvironmentMountsLabelsLimitsAndLogPath() {
        ContainerConfig container = ContainerConfig.builder("app", ImageSpec.of("busybox"))
                .attempt(3)
                .environment("A", "1")
                .environment("B", "two words")
                .environment("A", "overridden")
                .workingDirectory("/work")
                .mount(new Mount("/var/lib/petlet/pods/x/volumes/data", "/data", true))
                .mount(new Mount("/tmp/scratch", "/scratch", false))
                .label("tier", "front")
                .annotation("hash", "abc")
                .tty(true)
                .stdin(true)
                .cpuLimitMillicores(250L)
                .memoryLimitBytes(64L << 20)
                .logPath("/var/log/pods/x/app/3.log")
                .build();

        JsonNode body = LibpodRequests.containerCreate("pod-1", container, SANDBOX, Fixtures.JSON);

        assertThat(body.path("env").path("A").asText()).isEqualTo("overridden");
        assertThat(body.path("env").path("B").asText()).isEqualTo("two words");
        assertThat(body.path("work_dir").asText()).isEqualTo("/work");
        JsonNode readOnly = body.path("mounts").get(0);
        assertThat(readOnly.path("type").asText()).isEqualTo("bind");
        assertThat(readOnly.path("source").asText()).isEqualTo("/var/lib/petlet/pods/x/volumes/data");
        assertThat(readOnly.path("destination").asText()).isEqualTo("/data");
        assertThat(readOnly.path("options")).extracting(JsonNode::asText).containsExactly("rbind", "ro");
        assertThat(body.path("mounts").get(1).path("options"))
                .extracting(JsonNode::asText)
                .containsExactly("rbind", "rw");
        assertThat(body.path("labels").path("tier").asText()).isEqualTo("front");
        assertThat(body.path("labels").path("io.petlet.container.name").asText())
                .isEqualTo("app");
        assertThat(body.path("labels").path("io.petlet.container.restart-count").asText())
                .isEqualTo("3");
        assertThat(body.path("labels").path("io.petlet.pod.uid").asText()).isEqualTo("uid-1");
        assertThat(body.path("annotations").path("hash").asText()).isEqualTo("abc");
        assertThat(body.path("terminal").asBoolean()).isTrue();
        assertThat(body.path("stdin").asBoolean()).isTrue();
        assertThat(body.path("resource_limits").path("memory").path("limit").asLong())
                .isEqualTo(64L << 20);
        assertThat(body.path("resource_limits").path("memory").path("swap").asLong())
                .isEqualTo(64L << 20);
        assertThat(body.path("resource_limits").path("cpu").path("quota").asLong())
                .isEqualTo(25_000);
        assertThat(body.path("resource_limits").path("cpu").path("period").asLong())
                .isEqualTo(100_000);
        assertThat(body.path("log_configuration").path("driver").asText()).isEqualTo("k8s-file");
        assertThat(body.path("log_configuration").path("path").asText()).isEqualTo("/var/log/pods/x/app/3.log");
    }

    @Test
    void tinyCpuLimitsStayAboveTheKernelMinimum() {
        assertThat(LibpodRequests.cpuQuotaMicros(1)).isEqualTo(1_000);
        assertThat(LibpodRequests.cpuQuotaMicros(1500)).isEqualTo(150_000);
    }

    @Test
    void execWithTerminalMergesStderrAndPassesTheSize() {
        ExecRequest request = new ExecRequest(List.of("sh"), true, true, true, true, new TerminalSize(120, 40));

        JsonNode create = LibpodRequests.execCreate(request, Fixtures.JSON);
        JsonNode start = LibpodRequests.execStart(request, Fixtures.JSON);

        assertThat(create.path("Cmd")).extracting(JsonNode::asText).containsExactly("sh");
        assertThat(create.path("Tty").asBoolean()).isTrue();
        assertThat(create.path("AttachStdin").asBoolean()).isTrue();
        assertThat(create.path("AttachStderr").asBoolean()).isFalse();
        assertThat(start.path("Detach").asBoolean()).isFalse();
        assertThat(start.path("w").asInt()).isEqualTo(120);
        assertThat(start.path("h").asInt()).isEqualTo(40);
    }
}
