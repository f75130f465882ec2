/**
 * The kubelet's HTTPS API on port 10250: {@link dev.petlet.core.server.KubeletServer} serves {@code /healthz},
 * {@code /pods}, {@code /runningpods/}, {@code /configz} and {@code /containerLogs}, and hands {@code /exec},
 * {@code /attach} and {@code /portForward} to {@code dev.petlet.core.stream} once it has authorized them.
 *
 * <p>Every request passes the kubelet's filter first ({@code RequestGate}): a client certificate signed by the
 * client CA or a bearer token (TokenReview) authenticates, SubjectAccessReviews on {@code nodes/<subresource>}
 * authorize, both cached with the kubelet's TTLs. Routing, query decoding, authorization attributes and the
 * choice of container are pure functions over records ({@code KubeletRoute}, {@code PodLogQuery}, {@code
 * AuthorizationAttributes}, {@code PodContainers}); the Netty handler only sequences them and keeps blocking
 * calls off the event loop.
 */
package dev.petlet.core.server;
