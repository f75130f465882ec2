package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.UID;
import static dev.petlet.core.pod.PodFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.petlet.spi.runtime.LinuxContainerSecurity;
import dev.petlet.spi.runtime.LinuxContainerSecurity.NamespaceMode;
import dev.petlet.spi.runtime.LinuxContainerSecurity.Seccomp;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityContextsTest {
    private static final Path SECCOMP = Path.of("/var/lib/petlet/seccomp");

    private static Pod withContexts(PodBuilder pod, SecurityContextBuilder container) {
        return pod.editSpec()
                .editFirstContainer()
                .withSecurityContext(container.build())
                .endContainer()
                .endSpec()
                .build();
    }

    private static LinuxContainerSecurity security(Pod pod) throws ContainerConfigError {
        return SecurityContexts.container(pod, container(pod), SECCOMP, null);
    }

    private static Container container(Pod pod) {
        return pod.getSpec().getContainers().get(0);
    }

    @Test
    void theContainersFieldsWinOverThePodsAndFsGroupJoinsTheSupplementalGroups() throws Exception {
        Pod pod = withContexts(
                pod("Always", "app")
                        .editSpec()
                        .withSecurityContext(new PodSecurityContextBuilder()
                                .withRunAsUser(1000L)
                                .withRunAsGroup(2000L)
                                .withFsGroup(3000L)
                                .withSupplementalGroups(4000L, 3000L)
                                .withNewSeLinuxOptions()
                                .withType("pod_t")
                                .endSeLinuxOptions()
                                .build())
                        .endSpec(),
                new SecurityContextBuilder()
                        .withRunAsUser(1001L)
                        .withNewCapabilities()
                        .withAdd("NET_ADMIN")
                        .withDrop("ALL")
                        .endCapabilities()
                        .withReadOnlyRootFilesystem(true)
                        .withAllowPrivilegeEscalation(false)
                        .withProcMount("Unmasked")
                        .withNewSeLinuxOptions()
                        .withType("container_t")
                        .withLevel("s0:c1,c2")
                        .endSeLinuxOptions());

        LinuxContainerSecurity security = security(pod);

        assertThat(security.runAsUser()).isEqualTo(1001L);
        assertThat(security.runAsGroup()).isEqualTo(2000L);
        assertThat(security.supplementalGroups()).containsExactly(3000L, 4000L);
        assertThat(security.capabilitiesAdd()).containsExactly("NET_ADMIN");
        assertThat(security.capabilitiesDrop()).containsExactly("ALL");
        assertThat(security.readOnlyRootFilesystem()).isTrue();
        assertThat(security.noNewPrivileges()).isTrue();
        assertThat(security.unmaskedProc()).isTrue();
        assertThat(security.seLinuxOptions()).containsExactly("type:container_t", "level:s0:c1,c2");
        assertThat(security.pid()).isEqualTo(NamespaceMode.CONTAINER);
    }

    @Test
    void withoutAProfileContainersRunUnconfinedAsTheKubeletsDefaultIs() throws Exception {
        assertThat(security(pod("Always", "app").build()).seccomp()).isEqualTo(Seccomp.UNCONFINED);
        LinuxContainerSecurity localhost = security(withContexts(
                pod("Always", "app"),
                new SecurityContextBuilder()
                        .withNewSeccompProfile()
                        .withType("Localhost")
                        .withLocalhostProfile("profiles/audit.json")
                        .endSeccompProfile()));
        assertThat(localhost.seccomp()).isEqualTo(Seccomp.LOCALHOST);
        assertThat(localhost.localhostSeccompProfile()).isEqualTo("/var/lib/petlet/seccomp/profiles/audit.json");
        assertThatThrownBy(() -> security(withContexts(
                        pod("Always", "app"),
                        new SecurityContextBuilder()
                                .withNewSeccompProfile()
                                .withType("Localhost")
                                .withLocalhostProfile("../etc/x")
                                .endSeccompProfile())))
                .isInstanceOf(ContainerConfigError.class)
                .hasMessageContaining("must name a file relative to /var/lib/petlet/seccomp");
    }

    @Test
    void hostAndSharedNamespacesAndAnEphemeralTargetPickThePidNamespace() throws Exception {
        Pod hostPid = pod("Always", "app")
                .editSpec()
                .withHostPID(true)
                .withHostIPC(true)
                .endSpec()
                .build();
        assertThat(security(hostPid).pid()).isEqualTo(NamespaceMode.NODE);
        assertThat(security(hostPid).hostIpc()).isTrue();
        Pod shared = pod("Always", "app")
                .editSpec()
                .withShareProcessNamespace(true)
                .endSpec()
                .build();
        assertThat(security(shared).pid()).isEqualTo(NamespaceMode.POD);
        LinuxContainerSecurity target = SecurityContexts.container(shared, container(shared), SECCOMP, "abc123");
        assertThat(target.pid()).isEqualTo(NamespaceMode.TARGET);
        assertThat(target.pidTargetContainerId()).isEqualTo("abc123");
    }

    @Test
    void runAsNonRootRefusesAnImageThatRunsAsRootWithTheKubeletsMessage() throws Exception {
        Pod pod = withContexts(pod("Always", "app"), new SecurityContextBuilder().withRunAsNonRoot(true));
        LinuxContainerSecurity security = security(pod);
        String where = "(pod: \"web_shop(" + UID + ")\", container: app)";

        assertThatThrownBy(() -> SecurityContexts.verifyRunAsNonRoot(pod, container(pod), security, ""))
                .isInstanceOf(ContainerConfigError.class)
                .hasMessage("container has runAsNonRoot and image will run as root " + where);
        assertThatThrownBy(() -> SecurityContexts.verifyRunAsNonRoot(pod, container(pod), security, "0:0"))
                .hasMessage("container has runAsNonRoot and image will run as root " + where);
        assertThatThrownBy(() -> SecurityContexts.verifyRunAsNonRoot(pod, container(pod), security, "nobody"))
                .hasMessage("container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user"
                        + " is non-root " + where);
        SecurityContexts.verifyRunAsNonRoot(pod, container(pod), security, "1000:1000");

        Pod rootUser = withContexts(
                pod("Always", "app"),
                new SecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(0L));
        assertThatThrownBy(() ->
                        SecurityContexts.verifyRunAsNonRoot(rootUser, container(rootUser), security(rootUser), ""))
                .hasMessage("container's runAsUser breaks non-root policy " + where);

        Pod fixed = pod("Always", "app")
                .editSpec()
                .withSecurityContext(new PodSecurityContextBuilder()
                        .withRunAsNonRoot(true)
                        .withRunAsUser(1000L)
                        .build())
                .endSpec()
                .build();
        SecurityContexts.verifyRunAsNonRoot(fixed, container(fixed), security(fixed), "");
    }

    @Test
    void theSandboxCarriesSysctlsAndHostNamespaces() {
        Pod pod = pod("Always", "app")
                .editSpec()
                .withHostIPC(true)
                .withSecurityContext(new PodSecurityContextBuilder()
                        .addNewSysctl()
                        .withName("net.ipv4.ip_unprivileged_port_start")
                        .withValue("100")
                        .endSysctl()
                        .build())
                .endSpec()
                .build();
        var sandbox = SecurityContexts.sandbox(pod);
        assertThat(sandbox.sysctls()).isEqualTo(Map.of("net.ipv4.ip_unprivileged_port_start", "100"));
        assertThat(sandbox.hostIpc()).isTrue();
        assertThat(sandbox.hostPid()).isFalse();
        assertThat(List.of(sandbox.shareProcessNamespace())).containsExactly(false);
    }
}
