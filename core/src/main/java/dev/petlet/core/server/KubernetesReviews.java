package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TokenReviews and SubjectAccessReviews through the node's own client. The Node authorizer lets {@code
 * system:node:<name>} create both, as the kubelet's delegated authentication and authorization need.
 */
final class KubernetesReviews implements TokenReviewer, AccessReviewer {
    private final KubernetesClient client;

    KubernetesReviews(KubernetesClient client) {
        this.client = requireNonNull(client, "client");
    }

    @Override
    public Optional<User> review(String token) {
        TokenReview review = client.authentication()
                .v1()
                .tokenReviews()
                .create(new TokenReviewBuilder()
                        .withNewSpec()
                        .withToken(token)
                        .endSpec()
                        .build());
        TokenReviewStatus status = review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
            return Optional.empty();
        }
        UserInfo user = status.getUser();
        return Optional.of(new User(
                Optional.ofNullable(user.getUsername()).orElse(""),
                Optional.ofNullable(user.getUid()).orElse(""),
                Optional.ofNullable(user.getGroups()).orElse(List.of()),
                Optional.ofNullable(user.getExtra()).orElse(Map.of())));
    }

    @Override
    public boolean review(AuthorizationAttributes attributes) {
        User user = attributes.user();
        SubjectAccessReview review = client.authorization()
                .v1()
                .subjectAccessReview()
                .create(new SubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withUser(user.name())
                        .withUid(user.uid().isEmpty() ? null : user.uid())
                        .withGroups(user.groups())
                        .withExtra(user.extra().isEmpty() ? null : user.extra())
                        .withNewResourceAttributes()
                        .withVersion("v1")
                        .withGroup("")
                        .withNamespace("")
                        .withResource(AuthorizationAttributes.RESOURCE)
                        .withSubresource(attributes.subresource())
                        .withName(attributes.nodeName())
                        .withVerb(attributes.verb())
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus() != null
                && Boolean.TRUE.equals(review.getStatus().getAllowed());
    }
}
