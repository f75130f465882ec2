package dev.petlet.core.pod;

import static dev.petlet.core.pod.PodFixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import org.junit.jupiter.api.Test;

class SysctlAdmissionTest {
    private static Pod withSysctl(String name, boolean hostNetwork) {
        return pod("Always", "app")
                .editSpec()
                .withHostNetwork(hostNetwork)
                .withSecurityContext(new PodSecurityContextBuilder()
                        .addNewSysctl()
                        .withName(name)
                        .withValue("1")
                        .endSysctl()
                        .build())
                .endSpec()
                .build();
    }

    @Test
    void safeSysctlsAreAdmittedAndOthersRefusedInTheKubeletsWords() {
        assertThat(SysctlAdmission.forbidden(withSysctl("net.ipv4.ip_unprivileged_port_start", false)))
                .isEmpty();
        assertThat(SysctlAdmission.forbidden(withSysctl("net/ipv4/tcp_syncookies", false)))
                .isEmpty();
        assertThat(SysctlAdmission.forbidden(withSysctl("kernel.msgmax", false)))
                .contains("forbidden sysctl: \"kernel.msgmax\" not allowlisted");
        assertThat(SysctlAdmission.forbidden(withSysctl("net.ipv4.tcp_syncookies", true)))
                .contains("forbidden sysctl: \"net.ipv4.tcp_syncookies\" not allowed with host net enabled");
        assertThat(SysctlAdmission.forbidden(pod("Always", "app").build())).isEmpty();
    }
}
