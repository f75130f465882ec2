/**
 * The kubelet's streaming endpoints (exec, attach, port-forward) after authorization: {@link
 * dev.petlet.core.stream.StreamUpgrade#handle} upgrades the HTTP connection to SPDY/3.1, as kube-apiserver
 * speaks to kubelets, or to a {@code channel.k8s.io} WebSocket, and runs the session against the container
 * runtime.
 *
 * <p>Layers: the transports ({@code SpdyConnection}, {@code WebSocketConnection}) turn frames into logical
 * streams; the sessions ({@code RemoteCommand}, {@code ForwardedPort}) connect those streams to the runtime and
 * know nothing of frames. SPDY is served with Netty's frame codec and petlet's own small session layer, not
 * Netty's session handler, because Go's spdystream never grants flow-control window: {@code FlowControl}
 * bounds memory in both directions instead. The event loop never blocks; blocking I/O runs on virtual threads
 * that end with their session.
 */
package dev.petlet.core.stream;
