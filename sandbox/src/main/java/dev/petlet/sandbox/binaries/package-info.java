/**
 * Finds or obtains the control-plane executables (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler) that {@code petlet sandbox} runs: from a directory the user names, from PATH,
 * from petlet's cache, from the official releases, or by building them from Go modules.
 *
 * <p>{@link dev.petlet.sandbox.binaries.BinaryResolver} is the entry point; everything that is not
 * public here is machinery behind it.
 */
package dev.petlet.sandbox.binaries;
