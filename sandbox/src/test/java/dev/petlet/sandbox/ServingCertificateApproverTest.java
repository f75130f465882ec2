package dev.petlet.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.core.cert.CertificateKind;
import dev.petlet.core.cert.CertificateRequests;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingCertificateApproverTest {
    private static final List<String> NAMES = List.of("pet");
    private final List<InetAddress> addresses = List.of(InetAddress.getByName("192.0.2.9"));

    ServingCertificateApproverTest() throws Exception {}

    @Test
    void approvesTheNodesOwnServingRequest() throws Exception {
        assertThat(ServingCertificateApprover.refusal(
                        csr("system:node:pet", "pet", NAMES, addresses, CertificateKind.SERVING.usages()),
                        "pet",
                        NAMES,
                        addresses))
                .isEmpty();
    }

    @Test
    void leavesAnotherRequesterOrSubjectToAHuman() throws Exception {
        assertThat(ServingCertificateApprover.refusal(
                        csr("system:node:other", "pet", NAMES, addresses, CertificateKind.SERVING.usages()),
                        "pet",
                        NAMES,
                        addresses))
                .hasValueSatisfying(reason -> assertThat(reason).contains("system:node:other"));
        assertThat(ServingCertificateApprover.refusal(
                        csr("system:node:pet", "other", NAMES, addresses, CertificateKind.SERVING.usages()),
                        "pet",
                        NAMES,
                        addresses))
                .hasValueSatisfying(reason -> assertThat(reason).contains("subject"));
    }

    @Test
    void leavesForeignNamesAndOtherUsagesToAHuman() throws Exception {
        assertThat(ServingCertificateApprover.refusal(
                        csr(
                                "system:node:pet",
                                "pet",
                                List.of("evil.example"),
                                addresses,
                                CertificateKind.SERVING.usages()),
                        "pet",
                        NAMES,
                        addresses))
                .hasValueSatisfying(reason -> assertThat(reason).contains("evil.example"));
        assertThat(ServingCertificateApprover.refusal(
                        csr(
                                "system:node:pet",
                                "pet",
                                NAMES,
                                List.of(InetAddress.getByName("10.9.9.9")),
                                CertificateKind.SERVING.usages()),
                        "pet",
                        NAMES,
                        addresses))
                .hasValueSatisfying(reason -> assertThat(reason).contains("10.9.9.9"));
        assertThat(ServingCertificateApprover.refusal(
                        csr("system:node:pet", "pet", NAMES, addresses, List.of("digital signature", "client auth")),
                        "pet",
                        NAMES,
                        addresses))
                .hasValueSatisfying(reason -> assertThat(reason).contains("usages"));
    }

    private static CertificateSigningRequest csr(
            String requester, String subjectNode, List<String> names, List<InetAddress> ips, List<String> usages) {
        String pem = CertificateRequests.csrPem(
                CertificateKind.SERVING, subjectNode, CertificateRequests.newKeyPair(), names, ips);
        return new CertificateSigningRequestBuilder()
                .withNewMetadata()
                .withName("csr-test")
                .endMetadata()
                .withNewSpec()
                .withSignerName(CertificateKind.SERVING.signerName())
                .withUsername(requester)
                .withGroups("system:nodes", "system:authenticated")
                .withUsages(usages)
                .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .endSpec()
                .build();
    }
}
