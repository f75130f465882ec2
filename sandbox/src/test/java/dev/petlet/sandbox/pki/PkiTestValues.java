package dev.petlet.sandbox.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Values the PKI tests share: a spec, a fixed clock, and readers for certificate fields. */
final class PkiTestValues {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    static final Duration CA_VALIDITY = Duration.ofDays(3650);

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private PkiTestValues() {}

    static PkiSpec spec(String... extraDnsNames) {
        return new PkiSpec(
                List.of(extraDnsNames.length == 0 ? new String[] {"localhost"} : extraDnsNames),
                List.of(address("127.0.0.1"), address("10.96.0.1"), address("::1")),
                LEAF_VALIDITY,
                CA_VALIDITY);
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static Set<String> dnsNames(X509Certificate certificate) throws CertificateParsingException {
        return subjectAlternativeNames(certificate, 2);
    }

    static Set<String> ipAddresses(X509Certificate certificate) throws CertificateParsingException {
        return subjectAlternativeNames(certificate, 7);
    }

    private static Set<String> subjectAlternativeNames(X509Certificate certificate, int type)
            throws CertificateParsingException {
        Set<String> names = new TreeSet<>();
        var all = certificate.getSubjectAlternativeNames();
        if (all != null) {
            for (List<?> name : all) {
                if ((Integer) name.get(0) == type) {
                    names.add((String) name.get(1));
                }
            }
        }
        return names;
    }
}
