package dev.petlet.sandbox.pki;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * What a certificate must say: its subject, its subject alternative names and its profile.
 * A stored certificate that says anything else is replaced.
 */
record CertificateTemplate(
        String commonName,
        List<String> organizations,
        List<String> dnsNames,
        List<InetAddress> ipAddresses,
        CertificateProfile profile) {

    CertificateTemplate {
        requireNonNull(commonName, "commonName");
        organizations = List.copyOf(requireNonNull(organizations, "organizations"));
        dnsNames = List.copyOf(requireNonNull(dnsNames, "dnsNames"));
        ipAddresses = List.copyOf(requireNonNull(ipAddresses, "ipAddresses"));
        requireNonNull(profile, "profile");
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("a certificate needs a common name");
        }
        if (profile == CertificateProfile.SERVER && dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException(
                    "serving certificate " + commonName + " needs at least one DNS name or IP address");
        }
    }

    static CertificateTemplate authority(String commonName) {
        return new CertificateTemplate(commonName, List.of(), List.of(), List.of(), CertificateProfile.AUTHORITY);
    }

    static CertificateTemplate client(String commonName, List<String> organizations) {
        return new CertificateTemplate(commonName, organizations, List.of(), List.of(), CertificateProfile.CLIENT);
    }

    static CertificateTemplate server(String commonName, List<String> dnsNames, List<InetAddress> ipAddresses) {
        return new CertificateTemplate(commonName, List.of(), dnsNames, ipAddresses, CertificateProfile.SERVER);
    }

    boolean hasSubjectAlternativeNames() {
        return !dnsNames.isEmpty() || !ipAddresses.isEmpty();
    }

    /**
     * Organizations first, then the common name, the order Go's pkix uses. Built by the JDK so that
     * checking a stored certificate does not load BouncyCastle.
     */
    X500Principal subject() {
        // RFC 2253 strings list the last RDN first.
        StringBuilder name = new StringBuilder("CN=").append(escape(commonName));
        organizations.reversed().forEach(organization -> name.append(",O=").append(escape(organization)));
        return new X500Principal(name.toString());
    }

    /** Escapes an attribute value for an RFC 2253 string, so that names with ',' or '+' stay one value. */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder();
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            boolean leadingSpaceOrHash = index == 0 && (character == ' ' || character == '#');
            boolean trailingSpace = index == value.length() - 1 && character == ' ';
            if (",+\"\\<>;=".indexOf(character) >= 0 || leadingSpaceOrHash || trailingSpace) {
                escaped.append('\\');
            }
            escaped.append(character);
        }
        return escaped.toString();
    }
}
