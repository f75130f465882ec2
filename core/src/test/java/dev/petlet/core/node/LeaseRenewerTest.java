package dev.petlet.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LeaseRenewerTest {
    private static final Instant START = Instant.parse("2025-06-01T12:00:00.123456Z");
    private static final Duration FORTY_SECONDS = Duration.ofSeconds(40);

    private final FakeNodeApi api = new FakeNodeApi();
    private final TestClock clock = new TestClock(START);
    private final LeaseRenewer renewer = new LeaseRenewer(api, "pet-1", FORTY_SECONDS, clock);

    @Test
    void createsTheLeaseWhenThereIsNone() {
        renewer.renew("node-uid");

        Lease lease = api.lease().orElseThrow();
        assertThat(lease.getMetadata().getNamespace()).isEqualTo("kube-node-lease");
        assertThat(lease.getMetadata().getName()).isEqualTo("pet-1");
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("pet-1");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(START);
        assertThat(lease.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getApiVersion()).isEqualTo("v1");
            assertThat(owner.getKind()).isEqualTo("Node");
            assertThat(owner.getName()).isEqualTo("pet-1");
            assertThat(owner.getUid()).isEqualTo("node-uid");
        });
        assertThat(api.requests()).containsExactly("get lease", "create lease");
    }

    @Test
    void updatesTheLeaseItWroteLastWithoutReadingItAgain() {
        renewer.renew("node-uid");
        clock.advance(Duration.ofSeconds(10));

        renewer.renew("node-uid");

        assertThat(api.lease().orElseThrow().getSpec().getRenewTime().toInstant())
                .isEqualTo(START.plusSeconds(10));
        assertThat(renewer.lastRenewal()).contains(START.plusSeconds(10));
        assertThat(api.requests()).containsExactly("get lease", "create lease", "update lease");
    }

    @Test
    void takesOverAnExistingLease() {
        api.givenLease(
                LeaseRenewer.renewed(null, "pet-1", "old-uid", Duration.ofSeconds(15), START.minusSeconds(3600)));

        renewer.renew("node-uid");

        Lease lease = api.lease().orElseThrow();
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getUid)
                .containsExactly("node-uid");
        assertThat(api.requests()).containsExactly("get lease", "update lease");
    }

    @Test
    void readsTheLeaseAgainAfterAFailure() {
        renewer.renew("node-uid");
        api.failNext(new KubernetesClientException("the object has been modified", 409, null));

        assertThatThrownBy(() -> renewer.renew("node-uid")).isInstanceOf(KubernetesClientException.class);
        renewer.renew("node-uid");

        assertThat(api.requests())
                .containsExactly("get lease", "create lease", "update lease", "get lease", "update lease");
    }

    @Test
    void keepsOwnerReferencesToOtherObjects() {
        OwnerReference other = new OwnerReferenceBuilder()
                .withApiVersion("example.dev/v1")
                .withKind("Machine")
                .withName("m1")
                .withUid("machine-uid")
                .build();
        Lease base = new LeaseBuilder()
                .withNewMetadata()
                .withName("pet-1")
                .withNamespace("kube-node-lease")
                .withOwnerReferences(other)
                .endMetadata()
                .build();

        Lease renewed = LeaseRenewer.renewed(base, "pet-1", "node-uid", FORTY_SECONDS, START);

        assertThat(renewed.getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getKind)
                .containsExactly("Machine", "Node");
        assertThat(renewed.getSpec().getRenewTime()).isEqualTo(START.atZone(ZoneOffset.UTC));
    }
}
