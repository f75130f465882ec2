package dev.petlet.spi.proxy;

import dev.petlet.spi.ProviderFactory;

/** Creates {@link ServiceProxy}s by name; see {@link ProviderFactory} for the contract. */
public interface ServiceProxyFactory extends ProviderFactory<ServiceProxy> {}
