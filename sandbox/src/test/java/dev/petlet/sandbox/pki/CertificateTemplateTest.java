package dev.petlet.sandbox.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.junit.jupiter.api.Test;

class CertificateTemplateTest {
    @Test
    void subjectKeepsSpecialCharactersInsideOneValue() throws Exception {
        CertificateTemplate template = CertificateTemplate.client("a, b+c=\"d\" ", List.of("#first;", "second\\"));

        List<Rdn> rdns = new LdapName(template.subject().getName()).getRdns();

        // LdapName lists RDNs in encoding order: the organizations, then the common name.
        assertThat(rdns).extracting(Rdn::getType).containsExactly("O", "O", "CN");
        assertThat(rdns).extracting(Rdn::getValue).containsExactly("#first;", "second\\", "a, b+c=\"d\" ");
    }

    @Test
    void aServingCertificateNeedsAName() {
        assertThatThrownBy(() -> CertificateTemplate.server("server", List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one DNS name or IP address");
    }
}
