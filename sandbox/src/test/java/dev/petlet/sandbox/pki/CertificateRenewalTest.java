package dev.petlet.sandbox.pki;

import static dev.petlet.sandbox.pki.PkiTestValues.NOW;
import static dev.petlet.sandbox.pki.PkiTestValues.address;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateRenewalTest {
    private static final Duration VALIDITY = Duration.ofDays(100);
    private static final CertificateTemplate CA = CertificateTemplate.authority("test-ca");
    private static final CertificateTemplate SERVER =
            CertificateTemplate.server("server", List.of("server.example"), List.of(address("::1")));

    private final KeyedCertificate authority = CertificateAuthority.selfSigned(CA, Duration.ofDays(1000), NOW);
    private final CertificateAuthority signer = new CertificateAuthority(authority);
    private final KeyedCertificate server = signer.issue(SERVER, VALIDITY, NOW);

    @Test
    void keepsAFreshMatchingCertificate() {
        assertThat(CertificateRenewal.reasonToReplaceAuthority(Optional.of(authority), CA, NOW))
                .isEmpty();
        assertThat(leafReason(server, SERVER)).isEmpty();
    }

    @Test
    void replacesAMissingCertificate() {
        assertThat(CertificateRenewal.reasonToReplaceLeaf(Optional.empty(), SERVER, authority.certificate(), NOW))
                .contains("missing or unreadable");
    }

    @Test
    void replacesACertificateSignedByAnotherAuthority() {
        KeyedCertificate otherAuthority = CertificateAuthority.selfSigned(CA, Duration.ofDays(1000), NOW);

        assertThat(CertificateRenewal.reasonToReplaceLeaf(
                        Optional.of(server), SERVER, otherAuthority.certificate(), NOW))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("not signed by the current CA"));
    }

    @Test
    void replacesACertificateWhoseKeyWasSwapped() {
        KeyedCertificate swapped = new KeyedCertificate(server.certificate(), authority.key());

        assertThat(leafReason(swapped, SERVER)).contains("private key does not belong to the certificate");
    }

    @Test
    void replacesACertificateThatSaysSomethingElse() {
        CertificateTemplate otherName = CertificateTemplate.server("other", SERVER.dnsNames(), SERVER.ipAddresses());
        CertificateTemplate otherDnsNames =
                CertificateTemplate.server("server", List.of("server.example", "more.example"), SERVER.ipAddresses());
        CertificateTemplate otherAddresses =
                CertificateTemplate.server("server", SERVER.dnsNames(), List.of(address("127.0.0.1")));
        CertificateTemplate client = CertificateTemplate.client("server", List.of());

        assertThat(leafReason(server, otherName))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("subject is"));
        assertThat(leafReason(server, otherDnsNames))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("DNS names"));
        assertThat(leafReason(server, otherAddresses))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("IP addresses"));
        assertThat(leafReason(server, client)).contains("extended key usages differ from CLIENT");
    }

    @Test
    void acceptsTheSameAddressSpelledDifferently() {
        CertificateTemplate longForm =
                CertificateTemplate.server("server", SERVER.dnsNames(), List.of(address("0:0:0:0:0:0:0:1")));

        assertThat(leafReason(server, longForm)).isEmpty();
    }

    @Test
    void renewsInTheLastTenthOfTheLifetimeAndBeforeItStarts() {
        // notBefore is five minutes before NOW, so the lifetime is VALIDITY plus five minutes.
        Duration lifetime = VALIDITY.plusMinutes(5);
        var expiry = NOW.plus(VALIDITY);

        assertThat(leafReason(server, SERVER, expiry.minus(lifetime.dividedBy(10))))
                .isEmpty();
        assertThat(leafReason(
                        server, SERVER, expiry.minus(lifetime.dividedBy(10)).plusSeconds(1)))
                .hasValueSatisfying(reason -> assertThat(reason).contains("within the renewal margin"));
        assertThat(leafReason(server, SERVER, expiry.plusSeconds(1)))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("expired at"));
        assertThat(leafReason(server, SERVER, NOW.minus(Duration.ofMinutes(6))))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("not valid before"));
    }

    @Test
    void aLeafIsNotAnAuthority() {
        assertThat(CertificateRenewal.reasonToReplaceAuthority(
                        Optional.of(server), CertificateTemplate.authority("server"), NOW))
                .isPresent();
    }

    private Optional<String> leafReason(KeyedCertificate stored, CertificateTemplate template) {
        return leafReason(stored, template, NOW);
    }

    private Optional<String> leafReason(KeyedCertificate stored, CertificateTemplate template, java.time.Instant now) {
        return CertificateRenewal.reasonToReplaceLeaf(Optional.of(stored), template, authority.certificate(), now);
    }
}
