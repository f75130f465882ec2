/**
 * The container runtime contract: a CRI-shaped {@link dev.petlet.spi.runtime.ContainerRuntime} over
 * specifications the core has already resolved (environment expanded, volumes mounted on the host, secrets
 * written), plus the records it takes and returns.
 *
 * <p>The core keeps all Kubernetes semantics (restart policy, backoff, probes, status); a runtime only runs
 * pod sandboxes and containers and reports what it observes. Everything the core needs to rebuild its state
 * after a restart must be recoverable from the runtime alone, through labels: see {@link
 * dev.petlet.spi.runtime.RuntimeLabels}.
 */
package dev.petlet.spi.runtime;
