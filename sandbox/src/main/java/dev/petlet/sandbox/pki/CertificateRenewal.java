package dev.petlet.sandbox.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a stored certificate may stay or must be replaced, and why. Pure: no files, no
 * clock; the caller loads, asks, and writes.
 *
 * <p>A certificate is renewed once less than a tenth of its lifetime remains (about 36 days of a
 * year, 1 year of 10), so a sandbox restarted now and then never runs on an expired certificate.
 */
final class CertificateRenewal {
    static final int RENEWAL_FRACTION = 10;

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private CertificateRenewal() {}

    /** Why a CA must be regenerated, or empty when {@code stored} can stay. */
    static Optional<String> reasonToReplaceAuthority(
            Optional<KeyedCertificate> stored, CertificateTemplate template, Instant now) {
        return stored.isEmpty()
                ? Optional.of("missing or unreadable")
                : reasonToReplace(stored.get(), template, stored.get().certificate(), now);
    }

    /** Why a leaf must be reissued by {@code issuer}, or empty when {@code stored} can stay. */
    static Optional<String> reasonToReplaceLeaf(
            Optional<KeyedCertificate> stored, CertificateTemplate template, X509Certificate issuer, Instant now) {
        return stored.isEmpty()
                ? Optional.of("missing or unreadable")
                : reasonToReplace(stored.get(), template, issuer, now);
    }

    private static Optional<String> reasonToReplace(
            KeyedCertificate stored, CertificateTemplate template, X509Certificate issuer, Instant now) {
        X509Certificate certificate = stored.certificate();
        if (!KeyPairs.matches(stored.key(), certificate.getPublicKey())) {
            return Optional.of("private key does not belong to the certificate");
        }
        if (!isSignedBy(certificate, issuer)) {
            return Optional.of("not signed by the current CA " + issuer.getSubjectX500Principal());
        }
        if (!certificate.getSubjectX500Principal().equals(template.subject())) {
            return Optional.of(
                    "subject is " + certificate.getSubjectX500Principal() + ", wanted " + template.subject());
        }
        if (template.profile().isAuthority() != (certificate.getBasicConstraints() >= 0)) {
            return Optional.of(template.profile().isAuthority() ? "not a CA certificate" : "a CA certificate");
        }
        if (!Set.copyOf(extendedKeyUsages(certificate))
                .equals(Set.copyOf(template.profile().extendedKeyUsages()))) {
            return Optional.of("extended key usages differ from " + template.profile());
        }
        Optional<String> names = reasonNamesDiffer(certificate, template);
        if (names.isPresent()) {
            return names;
        }
        return reasonOutsideValidity(certificate, now);
    }

    private static boolean isSignedBy(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<String> extendedKeyUsages(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages == null ? List.of() : usages;
        } catch (CertificateParsingException e) {
            return List.of("unparseable");
        }
    }

    private static Optional<String> reasonNamesDiffer(X509Certificate certificate, CertificateTemplate template) {
        Set<String> dnsNames = new HashSet<>();
        Set<InetAddress> ipAddresses = new HashSet<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            for (List<?> name : names == null ? List.<List<?>>of() : names) {
                int type = (Integer) name.get(0);
                if (type == DNS_NAME) {
                    dnsNames.add((String) name.get(1));
                } else if (type == IP_ADDRESS) {
                    // A literal, so no lookup happens; parsing makes IPv6 spellings comparable.
                    ipAddresses.add(InetAddress.getByName((String) name.get(1)));
                } else {
                    return Optional.of("has a subject alternative name of unexpected type " + type);
                }
            }
        } catch (CertificateParsingException | UnknownHostException e) {
            return Optional.of("subject alternative names are unreadable");
        }
        if (!dnsNames.equals(Set.copyOf(template.dnsNames()))) {
            return Optional.of("DNS names are " + dnsNames + ", wanted " + template.dnsNames());
        }
        if (!ipAddresses.equals(Set.copyOf(template.ipAddresses()))) {
            return Optional.of("IP addresses are " + ipAddresses + ", wanted " + template.ipAddresses());
        }
        return Optional.empty();
    }

    private static Optional<String> reasonOutsideValidity(X509Certificate certificate, Instant now) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            return Optional.of("not valid before " + notBefore);
        }
        Duration lifetime = Duration.between(notBefore, notAfter);
        Duration remaining = Duration.between(now, notAfter);
        if (remaining.isNegative()) {
            return Optional.of("expired at " + notAfter);
        }
        if (remaining.compareTo(lifetime.dividedBy(RENEWAL_FRACTION)) < 0) {
            return Optional.of("expires at " + notAfter + ", within the renewal margin");
        }
        return Optional.empty();
    }
}
