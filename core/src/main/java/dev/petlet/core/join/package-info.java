/**
 * Joining a cluster as kubeadm does: CA discovery from {@code kube-public/cluster-info} verified by the CA's
 * public key hash and the bootstrap token's JWS signature, then TLS bootstrap of the node's client certificate,
 * and the node credentials {@code petlet run} keeps fresh.
 */
package dev.petlet.core.join;
