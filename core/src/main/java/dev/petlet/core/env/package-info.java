/**
 * A container's environment as the kubelet builds it: literal values, downward API field and
 * resource references, secret and configMap keys, {@code envFrom}, service link variables and
 * {@code $(VAR)} expansion. Pure functions over the pod, the referenced objects and a few node
 * facts; fetching the objects is behind {@link dev.petlet.core.env.ObjectSource}.
 */
package dev.petlet.core.env;
