package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.cert.CertificateKind;
import dev.petlet.core.cert.NodeIdentity;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approves {@code kubernetes.io/kubelet-serving} CSRs of the sandbox's own node, which Kubernetes never approves
 * by itself: only when the requester is {@code system:node:<name>} in {@code system:nodes}, the request's
 * subject is the same, the usages are the kubelet's, and every SAN is the node's host name or address. Anything
 * else is left for a human, as on any cluster.
 */
final class ServingCertificateApprover implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServingCertificateApprover.class);
    private static final Set<String> USAGES = Set.of("digital signature", "server auth");
    private static final Set<String> RSA_USAGES = Set.of("digital signature", "key encipherment", "server auth");

    private final SharedIndexInformer<CertificateSigningRequest> informer;

    private ServingCertificateApprover(SharedIndexInformer<CertificateSigningRequest> informer) {
        this.informer = informer;
    }

    static ServingCertificateApprover start(
            KubernetesClient admin, String nodeName, List<String> dnsNames, List<InetAddress> addresses) {
        requireNonNull(admin, "admin");
        SharedIndexInformer<CertificateSigningRequest> informer = admin.certificates()
                .v1()
                .certificateSigningRequests()
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(CertificateSigningRequest csr) {
                        consider(admin, csr, nodeName, dnsNames, addresses);
                    }

                    @Override
                    public void onUpdate(CertificateSigningRequest old, CertificateSigningRequest csr) {}

                    @Override
                    public void onDelete(CertificateSigningRequest csr, boolean unknown) {}
                });
        return new ServingCertificateApprover(informer);
    }

    private static void consider(
            KubernetesClient admin,
            CertificateSigningRequest csr,
            String nodeName,
            List<String> dnsNames,
            List<InetAddress> addresses) {
        if (!CertificateKind.SERVING.signerName().equals(csr.getSpec().getSignerName())
                || (csr.getStatus() != null
                        && csr.getStatus().getConditions() != null
                        && !csr.getStatus().getConditions().isEmpty())) {
            return;
        }
        String name = csr.getMetadata().getName();
        Optional<String> refusal = refusal(csr, nodeName, dnsNames, addresses);
        if (refusal.isPresent()) {
            log.info("leaving serving certificate request {} for a cluster administrator: {}", name, refusal.get());
            return;
        }
        try {
            admin.certificates()
                    .v1()
                    .certificateSigningRequests()
                    .withName(name)
                    .approve(new CertificateSigningRequestConditionBuilder()
                            .withType("Approved")
                            .withStatus("True")
                            .withReason("PetletSandboxApprove")
                            .withMessage("the petlet sandbox approves serving certificates of its own node")
                            .build());
            log.info("approved serving certificate request {} of node {}", name, nodeName);
        } catch (KubernetesClientException e) {
            log.warn("cannot approve serving certificate request {}: {}", name, e.getMessage());
        }
    }

    /** Why the request is not the node's own serving certificate request; empty if it is. */
    static Optional<String> refusal(
            CertificateSigningRequest csr, String nodeName, List<String> dnsNames, List<InetAddress> addresses) {
        String user = NodeIdentity.user(nodeName);
        if (!user.equals(csr.getSpec().getUsername())) {
            return Optional.of("requested by " + csr.getSpec().getUsername() + ", not " + user);
        }
        if (csr.getSpec().getGroups() == null || !csr.getSpec().getGroups().contains(NodeIdentity.NODES_GROUP)) {
            return Optional.of("the requester is not in " + NodeIdentity.NODES_GROUP);
        }
        Set<String> usages =
                new HashSet<>(Optional.ofNullable(csr.getSpec().getUsages()).orElse(List.of()));
        if (!usages.equals(USAGES) && !usages.equals(RSA_USAGES)) {
            return Optional.of("usages " + usages + " are not a kubelet's serving usages");
        }
        PKCS10CertificationRequest request;
        try (PEMParser parser = new PEMParser(new java.io.StringReader(
                new String(Base64.getDecoder().decode(csr.getSpec().getRequest()), StandardCharsets.US_ASCII)))) {
            if (!(parser.readObject() instanceof PKCS10CertificationRequest parsed)) {
                return Optional.of("the request is not a PEM CERTIFICATE REQUEST");
            }
            request = parsed;
            if (!request.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .build(request.getSubjectPublicKeyInfo()))) {
                return Optional.of("the request's signature is invalid");
            }
        } catch (IOException
                | IllegalArgumentException
                | PKCSException
                | org.bouncycastle.operator.OperatorCreationException e) {
            return Optional.of("the request cannot be read: " + e.getMessage());
        }
        List<String> commonNames = values(request.getSubject().getRDNs(BCStyle.CN));
        List<String> organizations = values(request.getSubject().getRDNs(BCStyle.O));
        if (!commonNames.equals(List.of(user)) || !organizations.equals(List.of(NodeIdentity.NODES_GROUP))) {
            return Optional.of("the subject is CN=" + commonNames + ", O=" + organizations);
        }
        Set<String> allowedIps = new HashSet<>();
        addresses.forEach(a -> allowedIps.add(a.getHostAddress()));
        List<GeneralName> names = subjectAlternativeNames(request);
        if (names.isEmpty()) {
            return Optional.of("the request names no DNS name or IP address");
        }
        for (GeneralName san : names) {
            switch (san.getTagNo()) {
                case GeneralName.dNSName -> {
                    String dns = san.getName().toString();
                    if (!dnsNames.contains(dns)) {
                        return Optional.of("DNS name " + dns + " is not the node's");
                    }
                }
                case GeneralName.iPAddress -> {
                    String ip = ipAddress(san);
                    if (!allowedIps.contains(ip)) {
                        return Optional.of("IP address " + ip + " is not the node's");
                    }
                }
                default -> {
                    return Optional.of("the request has an e-mail or URI name");
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> values(RDN[] rdns) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : rdns) {
            values.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return values;
    }

    private static List<GeneralName> subjectAlternativeNames(PKCS10CertificationRequest request) {
        for (var attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            for (ASN1Encodable value : attribute.getAttributeValues()) {
                Extensions extensions = Extensions.getInstance(value);
                GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (names != null) {
                    return List.of(names.getNames());
                }
            }
        }
        return List.of();
    }

    private static String ipAddress(GeneralName san) {
        byte[] bytes =
                org.bouncycastle.asn1.DEROctetString.getInstance(san.getName()).getOctets();
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "(invalid address)";
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
