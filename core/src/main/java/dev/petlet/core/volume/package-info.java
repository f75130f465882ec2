/**
 * Pod volumes the node provides itself, as the kubelet's volume plugins do: emptyDir (disk or
 * tmpfs), hostPath with its type checks, and the API-backed secret, configMap, downwardAPI and
 * projected volumes (with service account tokens from the TokenRequest API), written with the
 * kubelet's atomic {@code ..data} layout and kept up to date. Containers get them as bind mounts.
 */
package dev.petlet.core.volume;
