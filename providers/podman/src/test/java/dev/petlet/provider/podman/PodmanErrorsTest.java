package dev.petlet.provider.podman;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.spi.ErrorCode;
import dev.petlet.spi.ProviderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Error bodies below are what Podman 4.3.1 answered on this project's test machine. */
class PodmanErrorsTest {

    @Test
    void missingContainerIsNotFound() {
        ProviderException error = fromResponse(404, """
                {"cause":"no such container","message":"no container with name or ID \\"nope\\" found: no such container","response":404}""");

        assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(error)
                .hasMessage(
                        "Podman could not start container nope: no container with name or ID \"nope\" found: no such container");
    }

    @Test
    void semanticErrorsReportedAs500AreClassifiedByTheirCause() {
        assertThat(fromResponse(500, """
                {"cause":"that name is already in use","message":"the container name \\"x\\" is already in use","response":500}""").code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(fromResponse(500, """
                {"cause":"no such pod","message":"no pod with name or ID nopod found: no such pod","response":500}""").code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(fromResponse(500, """
                {"cause":"image not known","message":"localhost/nope:latest: image not known","response":500}""").code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(fromResponse(500, """
                {"cause":"container state improper","message":"can only create exec sessions on running containers: container state improper","response":500}""").code()).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void runtimeStartFailureIsInvalidEvenThoughItMentionsAMissingFile() {
        ProviderException error = fromResponse(500, """
                {"cause":"OCI runtime attempted to invoke a command that was not found","message":"runc: runc create failed: unable to start container process: exec: \\"/nonexistent\\": stat /nonexistent: no such file or directory: OCI runtime attempted to invoke a command that was not found","response":500}""");

        assertThat(error.code()).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void imageInUseIsInvalidNotAlreadyExists() {
        assertThat(fromResponse(409, """
                {"cause":"image is in use by a container","message":"image used by 699a: image is in use by a container","response":409}""").code()).isEqualTo(ErrorCode.INVALID);
    }

    @Test
    void statusDecidesWhenTheCauseIsUnknown() {
        assertThat(PodmanErrors.classify(404, "", "gone")).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(PodmanErrors.classify(409, "", "conflict")).isEqualTo(ErrorCode.ALREADY_EXISTS);
        assertThat(PodmanErrors.classify(400, "", "bad")).isEqualTo(ErrorCode.INVALID);
        assertThat(PodmanErrors.classify(503, "", "busy")).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(PodmanErrors.classify(500, "", "boom")).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void nonJsonBodiesBecomeTheMessage() {
        ProviderException error = fromResponse(502, "bad gateway");

        assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(error).hasMessageEndingWith(": bad gateway");
        assertThat(fromResponse(500, "")).hasMessageEndingWith(": HTTP 500");
    }

    @Test
    void pullErrorsAreClassifiedByTheirWording() {
        assertThat(
                        PodmanErrors.classifyPullError(
                                "initializing source docker://127.0.0.1:1/nope:latest: pinging container registry 127.0.0.1:1: Get \"http://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused"))
                .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(
                        PodmanErrors.classifyPullError(
                                "initializing source docker://127.0.0.1:5000/private:1: reading manifest 1 in 127.0.0.1:5000/private: unauthorized: authentication required"))
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(
                        PodmanErrors.classifyPullError(
                                "initializing source docker://127.0.0.1:5000/missing:1: reading manifest 1 in 127.0.0.1:5000/missing: manifest unknown: manifest unknown"))
                .isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(PodmanErrors.classifyPullError("invalid reference format")).isEqualTo(ErrorCode.INVALID);
        assertThat(PodmanErrors.classifyPullError("lookup registry.example on 10.0.0.2:53: no such host"))
                .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(PodmanErrors.classifyPullError("something new")).isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void pullErrorMessagesSayWhatToCheck() {
        ProviderException error =
                PodmanErrors.fromPullError("r.example/app:1", "unauthorized: authentication required");

        assertThat(error.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(error)
                .hasMessage(
                        "pulling image r.example/app:1 failed: unauthorized: authentication required; check the pod's image pull secrets for this registry");
    }

    private static ProviderException fromResponse(int status, String body) {
        return PodmanErrors.fromResponse("start container nope", status, body.getBytes(StandardCharsets.UTF_8));
    }
}
