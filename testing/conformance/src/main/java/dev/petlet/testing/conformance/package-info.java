/**
 * The provider conformance kit: abstract JUnit 5 tests, one class per SPI capability, that a provider runs by
 * subclassing and saying how to create its instance. Every provider passes the classes for the capabilities
 * it declares; docs/providers.md shows a ten-line subclass.
 *
 * <p>Runtime capabilities: {@link dev.petlet.testing.conformance.PodSandboxConformance}, {@link
 * dev.petlet.testing.conformance.ContainerLifecycleConformance}, {@link
 * dev.petlet.testing.conformance.ExecConformance}, {@link dev.petlet.testing.conformance.LogsConformance},
 * {@link dev.petlet.testing.conformance.EventsConformance} and {@link
 * dev.petlet.testing.conformance.ImagesConformance}, all over {@link
 * dev.petlet.testing.conformance.RuntimeConformance}. Device inventories: {@link
 * dev.petlet.testing.conformance.DeviceInventoryConformance}.
 */
package dev.petlet.testing.conformance;
