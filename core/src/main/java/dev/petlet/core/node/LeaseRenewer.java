package dev.petlet.core.node;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the node's Lease {@code kube-node-lease/<node>} fresh, the cheap heartbeat the node lifecycle controller
 * watches. Like the kubelet it updates the Lease it last wrote, and reads it again after any failure, so a
 * conflict or a deleted Lease costs one retry. Not thread-safe: the controller's thread owns it.
 */
final class LeaseRenewer {
    static final String NAMESPACE = "kube-node-lease";

    private final NodeApi api;
    private final String nodeName;
    private final Duration leaseDuration;
    private final Clock clock;
    private Lease latest;

    LeaseRenewer(NodeApi api, String nodeName, Duration leaseDuration, Clock clock) {
        this.api = requireNonNull(api, "api");
        this.nodeName = requireNonNull(nodeName, "nodeName");
        this.leaseDuration = requireNonNull(leaseDuration, "leaseDuration");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Moves the Lease's renew time to now, creating the Lease if it does not exist.
     *
     * @param nodeUid the Node's UID, for the owner reference that lets the garbage collector remove the Lease
     *     with the Node
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server refuses or cannot be
     *     reached; the next call starts from a fresh read
     */
    void renew(String nodeUid) {
        requireNonNull(nodeUid, "nodeUid");
        Instant now = clock.instant();
        try {
            if (latest == null) {
                Optional<Lease> existing = api.getLease(NAMESPACE, nodeName);
                latest = existing.isPresent()
                        ? api.updateLease(renewed(existing.get(), nodeName, nodeUid, leaseDuration, now))
                        : api.createLease(renewed(null, nodeName, nodeUid, leaseDuration, now));
            } else {
                latest = api.updateLease(renewed(latest, nodeName, nodeUid, leaseDuration, now));
            }
        } catch (RuntimeException e) {
            latest = null;
            throw e;
        }
    }

    /**
     * The Lease as it should be after a renewal at {@code now}: {@code base} (the current one, or null for a new
     * one) with this node as holder, the lease duration, the renew time and an owner reference to the Node.
     */
    static Lease renewed(Lease base, String nodeName, String nodeUid, Duration leaseDuration, Instant now) {
        OwnerReference owner = new OwnerReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(nodeName)
                .withUid(nodeUid)
                .build();
        LeaseBuilder builder = base == null ? new LeaseBuilder() : new LeaseBuilder(base);
        ObjectMetaBuilder metadata = base == null || base.getMetadata() == null
                ? new ObjectMetaBuilder()
                : new ObjectMetaBuilder(base.getMetadata());
        // Replaces a reference to an earlier Node of the same name, which would make the garbage collector
        // delete the Lease; references to anything else stay.
        List<OwnerReference> owners = new ArrayList<>();
        if (base != null && base.getMetadata() != null && base.getMetadata().getOwnerReferences() != null) {
            base.getMetadata().getOwnerReferences().stream()
                    .filter(reference -> !"Node".equals(reference.getKind()))
                    .forEach(owners::add);
        }
        owners.add(owner);
        return builder.withMetadata(metadata.withName(nodeName)
                        .withNamespace(NAMESPACE)
                        .withOwnerReferences(owners)
                        .build())
                .editOrNewSpec()
                .withHolderIdentity(nodeName)
                .withLeaseDurationSeconds((int) leaseDuration.toSeconds())
                .withRenewTime(now.atZone(ZoneOffset.UTC))
                .endSpec()
                .build();
    }

    /** The renew time of the last Lease written, if any. */
    Optional<Instant> lastRenewal() {
        return Optional.ofNullable(latest)
                .map(Lease::getSpec)
                .map(spec -> spec.getRenewTime())
                .map(time -> time.toInstant());
    }
}
