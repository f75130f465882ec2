/**
 * The provider contract between petlet's core and the providers that touch the machine.
 *
 * <p><b>Loading.</b> A provider is a directory {@code providers/<name>/} in the distribution holding its jar
 * and the jars it depends on. Its jar lists one {@link dev.petlet.spi.PetletPlugin} in {@code
 * META-INF/services/dev.petlet.spi.PetletPlugin} and states the SPI version it was built against in the
 * manifest attribute {@value dev.petlet.spi.SpiVersion#MANIFEST_ATTRIBUTE}. The core loads each provider in
 * its own class loader, whose parent sees only the JDK, this package and its subpackages, and SLF4J's API
 * ({@code org.slf4j}, so a provider logs to the agent's log); everything else comes from the provider's own
 * directory, so two providers may use different versions of a library. Every call into a provider runs with
 * the provider's class loader as the thread's context class loader. A missing configured provider, two
 * providers offering the same name, a plugin that throws while loading and a provider built for an
 * unsupported SPI version each stop the agent at start with one line naming the provider.
 *
 * <p><b>Creating.</b> The plugin hands out named factories ({@link dev.petlet.spi.ProviderFactory}); the core
 * picks one by the name in its configuration and calls {@code create(config, context)}. Everything a provider
 * returns is closed by the core. Factories also describe their configuration keys ({@link
 * dev.petlet.spi.ConfigKey}, shown by {@code petlet providers}) and check the machine ({@link
 * dev.petlet.spi.ProviderCheck}, shown by {@code petlet doctor}).
 *
 * <p>Rules for every type in this SPI and its subpackages, unless a type's documentation says otherwise:
 *
 * <ul>
 *   <li>Interfaces a provider implements are thread-safe: the core calls them concurrently from its worker
 *       threads, and methods may block on I/O.
 *   <li>Parameters and return values are never {@code null}; record components documented as "nullable" are
 *       the only exception. Collections in records are immutable copies.
 *   <li>Streams, sessions and subscriptions a provider returns belong to the caller, who closes them; closing
 *       twice is harmless. Callbacks the core passes in (sinks, listeners) run on provider threads.
 *   <li>Failures are {@link dev.petlet.spi.ProviderException}s carrying an {@link dev.petlet.spi.ErrorCode};
 *       the core decides on the code, never on the message, and shows the message to users.
 *   <li>The SPI has no dependencies and no Kubernetes types: providers get already-resolved specifications.
 *   <li>Compatibility: within one {@link dev.petlet.spi.SpiVersion}, the SPI only grows in ways that keep
 *       providers built against it working; the build checks this against the released SPI.
 * </ul>
 */
package dev.petlet.spi;
