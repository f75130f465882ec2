/**
 * The provider contract between petlet's core and the providers that touch the machine.
 *
 * <p>A provider jar ships one {@link dev.petlet.spi.PetletPlugin}, found with {@link java.util.ServiceLoader}
 * in the provider's own class loader, whose parent sees only the JDK and this package. The plugin hands out
 * named factories; the core picks one by the name in its configuration and calls
 * {@code create(config, context)}. Everything a provider returns is closed by the core.
 *
 * <p>Rules for every type in this SPI and its subpackages, unless a type's documentation says otherwise:
 *
 * <ul>
 *   <li>Interfaces a provider implements are thread-safe: the core calls them concurrently from its worker
 *       threads, and methods may block on I/O.
 *   <li>Parameters and return values are never {@code null}; record components documented as "nullable" are
 *       the only exception. Collections in records are immutable copies.
 *   <li>Failures are {@link dev.petlet.spi.ProviderException}s carrying an {@link dev.petlet.spi.ErrorCode};
 *       the core decides on the code, never on the message, and shows the message to users.
 *   <li>The SPI has no dependencies and no Kubernetes types: providers get already-resolved specifications.
 * </ul>
 */
package dev.petlet.spi;
