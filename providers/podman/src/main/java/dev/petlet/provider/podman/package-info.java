/**
 * The Podman container runtime provider: {@link dev.petlet.spi.runtime.ContainerRuntime} over Podman's libpod
 * REST API (v4) on a unix socket.
 *
 * <p>A pod sandbox is a Podman pod (its infra container holds the namespaces); containers are created in it.
 * Requests go through a small Netty HTTP/1.1 client ({@link dev.petlet.provider.podman.UnixSocketHttpClient}),
 * one connection per request; streams (logs, events, exec, attach) are read incrementally by one thread each.
 * Port forwarding connects from the host to the pod's address, which works with Podman's default netavark
 * bridge network, where pod addresses are routable from the host (Podman has no port-forward API).
 */
package dev.petlet.provider.podman;
