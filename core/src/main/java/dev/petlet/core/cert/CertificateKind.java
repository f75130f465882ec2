package dev.petlet.core.cert;

import java.util.List;

/** The two certificates a node holds, with the signer and usages Kubernetes requires of each. */
public enum CertificateKind {
    /** The node's identity towards the API server: {@code system:node:<name>} in {@code system:nodes}. */
    CLIENT(
            "kubernetes.io/kube-apiserver-client-kubelet",
            List.of("digital signature", "client auth"),
            "kubelet-client"),
    /** The kubelet API's serving certificate, for the node's addresses and host name. */
    SERVING("kubernetes.io/kubelet-serving", List.of("digital signature", "server auth"), "kubelet-server");

    private final String signerName;
    private final List<String> usages;
    private final String filePrefix;

    CertificateKind(String signerName, List<String> usages, String filePrefix) {
        this.signerName = signerName;
        this.usages = usages;
        this.filePrefix = filePrefix;
    }

    public String signerName() {
        return signerName;
    }

    /**
     * The usages for an EC key. An RSA key would add {@code key encipherment}; petlet always uses P-256 keys, for
     * which the kubelet's approvers require exactly these.
     */
    public List<String> usages() {
        return usages;
    }

    /** The file names' prefix in {@code pki/}, as the kubelet names them. */
    public String filePrefix() {
        return filePrefix;
    }

    /** A word for messages. */
    public String description() {
        return this == CLIENT ? "client certificate" : "serving certificate";
    }
}
