/**
 * The node's certificates, as the kubelet gets and renews them: key pairs and certificate signing requests for
 * the client certificate ({@code kubernetes.io/kube-apiserver-client-kubelet}) and the serving certificate
 * ({@code kubernetes.io/kubelet-serving}), kubelet-style files under {@code pki/}, the renewal schedule, and the
 * key manager that lets a running client switch to a renewed certificate.
 */
package dev.petlet.core.cert;
