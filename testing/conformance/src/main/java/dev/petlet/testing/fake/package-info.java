/** An in-memory {@link dev.petlet.spi.runtime.ContainerRuntime} that passes the conformance kit. */
package dev.petlet.testing.fake;
