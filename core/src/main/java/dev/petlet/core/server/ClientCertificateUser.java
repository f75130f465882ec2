package dev.petlet.core.server;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/** The user of a verified client certificate, as Kubernetes reads it: the CN is the name, the O values the groups. */
final class ClientCertificateUser {
    private ClientCertificateUser() {}

    /** The user, or empty if the subject has no CN. */
    static Optional<User> of(X509Certificate certificate) {
        LdapName subject;
        try {
            subject = new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        String name = null;
        List<String> groups = new ArrayList<>();
        // getRdns() is in certificate order; as in Go's pkix.Name, the last CN wins and every O is a group.
        for (Rdn rdn : subject.getRdns()) {
            try {
                NamingEnumeration<? extends Attribute> attributes =
                        rdn.toAttributes().getAll();
                while (attributes.hasMore()) {
                    Attribute attribute = attributes.next();
                    NamingEnumeration<?> values = attribute.getAll();
                    while (values.hasMore()) {
                        String value = String.valueOf(values.next());
                        if (attribute.getID().equalsIgnoreCase("CN")) {
                            name = value;
                        } else if (attribute.getID().equalsIgnoreCase("O")) {
                            groups.add(value);
                        }
                    }
                }
            } catch (NamingException e) {
                return Optional.empty();
            }
        }
        return name == null || name.isEmpty() ? Optional.empty() : Optional.of(User.of(name, groups));
    }
}
