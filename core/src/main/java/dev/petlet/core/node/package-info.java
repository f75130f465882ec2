/**
 * This machine as a Kubernetes Node, as the kubelet keeps it: {@link dev.petlet.core.node.NodeController}
 * registers the Node (or adopts an existing one), renews its Lease in {@code kube-node-lease} every ten seconds,
 * recomputes the node status from {@link dev.petlet.core.node.NodeFacts} and patches it when it changed or five
 * minutes passed, and marks the node NotReady when petlet stops.
 *
 * <p>Deciding is separate from doing: the status, the status patch and the lease are computed by pure functions
 * over records and tested with plain values; the controller only runs them on a schedule against the API.
 */
package dev.petlet.core.node;
