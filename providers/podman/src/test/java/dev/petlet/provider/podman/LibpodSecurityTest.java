package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.petlet.spi.runtime.ContainerConfig;
import dev.petlet.spi.runtime.ImageSpec;
import dev.petlet.spi.runtime.LinuxContainerSecurity;
import dev.petlet.spi.runtime.LinuxContainerSecurity.NamespaceMode;
import dev.petlet.spi.runtime.LinuxContainerSecurity.Seccomp;
import dev.petlet.spi.runtime.LinuxSandboxOptions;
import dev.petlet.spi.runtime.Mount;
import dev.petlet.spi.runtime.PodSandboxConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LibpodSecurityTest {
    private static final PodSandboxConfig SANDBOX =
            PodSandboxConfig.builder("uid-1", "shop", "web").build();

    @Test
    void aContainersSecurityBecomesSpecGeneratorFields() {
        LinuxContainerSecurity security = LinuxContainerSecurity.builder()
                .runAsUser(1000L)
                .runAsGroup(2000L)
                .supplementalGroup(3000)
                .supplementalGroup(2000)
                .addCapability("NET_ADMIN")
                .dropCapability("ALL")
                .readOnlyRootFilesystem(true)
                .noNewPrivileges(true)
                .seccomp(Seccomp.LOCALHOST, "/var/lib/petlet/seccomp/a.json")
                .seLinuxOption("type:spc_t")
                .relabelMounts(true)
                .unmaskedProc(true)
                .pid(NamespaceMode.TARGET, "abc")
                .hostIpc(true)
                .build();
        ContainerConfig config = ContainerConfig.builder("app", ImageSpec.of("busybox"))
                .security(security)
                .cpuShares(512L)
                .mount(new Mount("/data", "/data", false))
                .build();

        JsonNode body = LibpodRequests.containerCreate("pod-1", config, SANDBOX, Fixtures.JSON);

        assertThat(body.path("user").asText()).isEqualTo("1000:2000");
        assertThat(body.path("groups").toString()).isEqualTo("[\"2000\",\"3000\"]");
        assertThat(body.path("cap_add").toString()).isEqualTo("[\"NET_ADMIN\"]");
        assertThat(body.path("cap_drop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(body.path("read_only_filesystem").asBoolean()).isTrue();
        assertThat(body.path("read_write_tmpfs").asBoolean(true)).isFalse();
        assertThat(body.path("no_new_privileges").asBoolean()).isTrue();
        assertThat(body.path("seccomp_profile_path").asText()).isEqualTo("/var/lib/petlet/seccomp/a.json");
        assertThat(body.path("selinux_opts").toString()).isEqualTo("[\"type:spc_t\"]");
        assertThat(body.path("unmask").toString()).isEqualTo("[\"ALL\"]");
        assertThat(body.path("pidns").toString()).isEqualTo("{\"nsmode\":\"container\",\"value\":\"abc\"}");
        assertThat(body.path("ipcns").toString()).isEqualTo("{\"nsmode\":\"host\"}");
        assertThat(body.path("mounts").get(0).path("options").toString()).isEqualTo("[\"rbind\",\"rw\",\"z\"]");
        assertThat(body.path("resource_limits").path("cpu").path("shares").asLong())
                .isEqualTo(512);
        assertThat(body.has("privileged")).isFalse();
    }

    @Test
    void defaultsAddNothingAndUnconfinedAndHostPidMapToPodmansWords() {
        JsonNode plain = LibpodRequests.containerCreate(
                "pod-1", ContainerConfig.builder("app", ImageSpec.of("busybox")).build(), SANDBOX, Fixtures.JSON);
        for (String field : new String[] {"user", "groups", "cap_add", "seccomp_profile_path", "pidns", "ipcns"}) {
            assertThat(plain.has(field)).as(field).isFalse();
        }
        ContainerConfig unconfined = ContainerConfig.builder("app", ImageSpec.of("busybox"))
                .security(LinuxContainerSecurity.builder()
                        .seccomp(Seccomp.UNCONFINED, null)
                        .pid(NamespaceMode.NODE, null)
                        .privileged(true)
                        .build())
                .build();
        JsonNode body = LibpodRequests.containerCreate("pod-1", unconfined, SANDBOX, Fixtures.JSON);
        assertThat(body.path("seccomp_profile_path").asText()).isEqualTo("unconfined");
        assertThat(body.path("pidns").toString()).isEqualTo("{\"nsmode\":\"host\"}");
        assertThat(body.path("privileged").asBoolean()).isTrue();
    }

    @Test
    void aGroupWithoutAUserKeepsTheImagesUser() {
        assertThat(LibpodSecurity.userWithGroup("", 2000)).isEqualTo("0:2000");
        assertThat(LibpodSecurity.userWithGroup("nobody:nogroup", 2000)).isEqualTo("nobody:2000");
        assertThat(LibpodSecurity.userWithGroup("1000", 2000)).isEqualTo("1000:2000");
    }

    @Test
    void aHostNetworkSandboxTakesTheHostsUtsNamespaceAndNoHostname() {
        JsonNode body = LibpodRequests.podCreate(
                PodSandboxConfig.builder("uid-1", "shop", "web")
                        .hostNetwork(true)
                        .build(),
                Fixtures.JSON);
        assertThat(body.path("utsns").path("nsmode").asText()).isEqualTo("host");
        assertThat(body.has("hostname")).isFalse();
        assertThat(LibpodRequests.podCreate(SANDBOX, Fixtures.JSON)
                        .path("hostname")
                        .asText())
                .isEqualTo("web");
    }

    @Test
    void aSandboxSharesThePidNamespaceOrLeavesIpcToTheHostAndSetsSysctls() {
        PodSandboxConfig shared = PodSandboxConfig.builder("uid-1", "shop", "web")
                .linux(new LinuxSandboxOptions(false, true, true, Map.of("net.ipv4.ip_unprivileged_port_start", "0")))
                .build();
        JsonNode body = LibpodRequests.podCreate(shared, Fixtures.JSON);
        assertThat(body.path("shared_namespaces").toString()).isEqualTo("[\"cgroup\",\"net\",\"uts\",\"pid\"]");
        assertThat(body.path("sysctl")
                        .path("net.ipv4.ip_unprivileged_port_start")
                        .asText())
                .isEqualTo("0");
        assertThat(LibpodRequests.podCreate(SANDBOX, Fixtures.JSON).has("shared_namespaces"))
                .isFalse();
    }
}
