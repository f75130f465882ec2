package dev.petlet.core.join;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetachedJwsTest {
    /** Kubernetes' own test vector (k8s.io/cluster-bootstrap/token/jws). */
    private static final String CONTENT = "Hello from the other side. I must have called a thousand times.";

    private static final BootstrapTokenString TOKEN = new BootstrapTokenString("joshua", "my voice is my passcode");
    private static final String SIGNATURE =
            "eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8";

    @Test
    void signsLikeTheBootstrapSigner() {
        assertThat(DetachedJws.sign(CONTENT, TOKEN)).isEqualTo(SIGNATURE);
    }

    @Test
    void verifiesTheBootstrapSignersSignature() {
        assertThat(DetachedJws.verify(SIGNATURE, CONTENT, TOKEN)).isTrue();
    }

    @Test
    void refusesAnotherContentSecretOrKeyId() {
        assertThat(DetachedJws.verify(SIGNATURE, CONTENT + " ", TOKEN)).isFalse();
        assertThat(DetachedJws.verify(SIGNATURE, CONTENT, new BootstrapTokenString("joshua", "my voice is my passcod")))
                .isFalse();
        assertThat(DetachedJws.verify(
                        SIGNATURE, CONTENT, new BootstrapTokenString("joshub", "my voice is my passcode")))
                .isFalse();
    }

    @Test
    void refusesAnAttachedPayloadOrGarbage() {
        String[] parts = SIGNATURE.split("\\.", -1);
        assertThat(DetachedJws.verify(parts[0] + ".eA." + parts[2], CONTENT, TOKEN))
                .isFalse();
        assertThat(DetachedJws.verify("not a jws", CONTENT, TOKEN)).isFalse();
        assertThat(DetachedJws.verify("!!..!!", CONTENT, TOKEN)).isFalse();
    }

    @Test
    void refusesAnotherAlgorithm() {
        // {"alg":"none","kid":"joshua"} with the right signature bytes must still fail.
        String none = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"kid\":\"joshua\"}".getBytes());
        assertThat(DetachedJws.verify(none + ".." + SIGNATURE.split("\\.", -1)[2], CONTENT, TOKEN))
                .isFalse();
    }
}
