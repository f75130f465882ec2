package dev.petlet.core.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One Node and one Lease held in memory the way the API server would hold them (resource versions, 404, 409),
 * with failures to inject and a way to wait for a state without sleeping.
 */
final class FakeNodeApi implements NodeApi {
    private Node node;
    private Lease lease;
    private long resourceVersion = 1;
    private boolean unreachable;
    private boolean forbidTaintChanges;
    private Node createdByOther;
    private final Deque<KubernetesClientException> failures = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();
    private final List<NodeStatusPatch> statusPatches = new ArrayList<>();

    synchronized void givenNode(Node existing) {
        node = new NodeBuilder(existing)
                .editOrNewMetadata()
                .withUid(UUID.randomUUID().toString())
                .withResourceVersion(nextVersion())
                .endMetadata()
                .build();
    }

    synchronized void givenLease(Lease existing) {
        lease = new LeaseBuilder(existing)
                .editOrNewMetadata()
                .withResourceVersion(nextVersion())
                .endMetadata()
                .build();
    }

    /** Every call fails as if the API server could not be reached, until {@link #reachable()}. */
    synchronized void unreachable() {
        unreachable = true;
    }

    synchronized void reachable() {
        unreachable = false;
        notifyAll();
    }

    /** The next create fails with 409 because another client created this Node just before. */
    synchronized void raceOnCreate(Node other) {
        createdByOther = other;
    }

    /** Taint changes fail with 403, as NodeRestriction refuses them. */
    synchronized void forbidTaintChanges() {
        forbidTaintChanges = true;
    }

    synchronized void failNext(KubernetesClientException... exceptions) {
        failures.addAll(List.of(exceptions));
    }

    synchronized void deleteNode() {
        node = null;
    }

    synchronized Optional<Node> node() {
        return Optional.ofNullable(node);
    }

    synchronized Optional<Lease> lease() {
        return Optional.ofNullable(lease);
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    synchronized List<NodeStatusPatch> statusPatches() {
        return List.copyOf(statusPatches);
    }

    synchronized Optional<NodeCondition> condition(String type) {
        return node().flatMap(n -> NodeStatusComputer.find(n.getStatus(), type));
    }

    /** Waits until the state satisfies the condition; false if the timeout passed first. */
    synchronized boolean await(Predicate<FakeNodeApi> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public synchronized Optional<Node> getNode(String name) {
        request("get node");
        return Optional.ofNullable(node).map(n -> new NodeBuilder(n).build());
    }

    @Override
    public synchronized Node createNode(Node created) {
        request("create node");
        if (createdByOther != null) {
            givenNode(createdByOther);
            createdByOther = null;
        }
        if (node != null) {
            throw new KubernetesClientException(
                    "nodes \"" + created.getMetadata().getName() + "\" already exists", 409, null);
        }
        givenNode(created);
        return new NodeBuilder(node).build();
    }

    @Override
    public synchronized Node setLabels(String name, Map<String, String> labels) {
        request("set labels");
        Node current = existingNode();
        Map<String, String> merged = new HashMap<>(
                Optional.ofNullable(current.getMetadata().getLabels()).orElse(Map.of()));
        merged.putAll(labels);
        node = new NodeBuilder(current)
                .editMetadata()
                .withLabels(merged)
                .withResourceVersion(nextVersion())
                .endMetadata()
                .build();
        return new NodeBuilder(node).build();
    }

    @Override
    public synchronized Node setTaints(String name, String expectedVersion, List<Taint> taints) {
        request("set taints");
        Node current = existingNode();
        if (forbidTaintChanges) {
            throw new KubernetesClientException("node \"" + name + "\" is not allowed to modify taints", 403, null);
        }
        if (!current.getMetadata().getResourceVersion().equals(expectedVersion)) {
            throw new KubernetesClientException("the object has been modified", 409, null);
        }
        node = new NodeBuilder(current)
                .editMetadata()
                .withResourceVersion(nextVersion())
                .endMetadata()
                .editOrNewSpec()
                .withTaints(taints)
                .endSpec()
                .build();
        return new NodeBuilder(node).build();
    }

    @Override
    public synchronized Node patchStatus(String name, NodeStatusPatch patch) {
        request("patch status");
        Node current = existingNode();
        statusPatches.add(patch);
        node = new NodeBuilder(current)
                .editMetadata()
                .withResourceVersion(nextVersion())
                .endMetadata()
                .withStatus(apply(current.getStatus(), patch))
                .build();
        return new NodeBuilder(node).build();
    }

    @Override
    public synchronized Optional<Lease> getLease(String namespace, String name) {
        request("get lease");
        return Optional.ofNullable(lease).map(l -> new LeaseBuilder(l).build());
    }

    @Override
    public synchronized Lease createLease(Lease created) {
        request("create lease");
        if (lease != null) {
            throw new KubernetesClientException("already exists", 409, null);
        }
        givenLease(created);
        return new LeaseBuilder(lease).build();
    }

    @Override
    public synchronized Lease updateLease(Lease updated) {
        request("update lease");
        if (lease == null) {
            throw new KubernetesClientException("not found", 404, null);
        }
        if (!lease.getMetadata()
                .getResourceVersion()
                .equals(updated.getMetadata().getResourceVersion())) {
            throw new KubernetesClientException("the object has been modified", 409, null);
        }
        givenLease(updated);
        return new LeaseBuilder(lease).build();
    }

    /** Conditions merge by type; every other field the patch carries replaces the old one. */
    private static NodeStatus apply(NodeStatus current, NodeStatusPatch patch) {
        NodeStatus base = current == null ? new NodeStatus() : current;
        List<NodeCondition> conditions =
                new ArrayList<>(Optional.ofNullable(base.getConditions()).orElse(List.of()));
        for (NodeCondition condition : patch.conditions()) {
            conditions.removeIf(c -> c.getType().equals(condition.getType()));
            conditions.add(condition);
        }
        NodeStatusBuilder builder = new NodeStatusBuilder(base).withConditions(conditions);
        patch.addresses().ifPresent(builder::withAddresses);
        patch.daemonEndpoints().ifPresent(builder::withDaemonEndpoints);
        patch.nodeInfo().ifPresent(builder::withNodeInfo);
        patch.capacity().ifPresent(builder::withCapacity);
        patch.allocatable().ifPresent(builder::withAllocatable);
        patch.images().ifPresent(builder::withImages);
        return builder.build();
    }

    private Node existingNode() {
        if (node == null) {
            throw new KubernetesClientException("nodes not found", 404, null);
        }
        return node;
    }

    private void request(String description) {
        requests.add(description);
        notifyAll();
        if (unreachable) {
            throw new KubernetesClientException("Failed to connect to the API server: connection refused", 0, null);
        }
        KubernetesClientException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
    }

    private String nextVersion() {
        notifyAll();
        return Long.toString(++resourceVersion);
    }
}
