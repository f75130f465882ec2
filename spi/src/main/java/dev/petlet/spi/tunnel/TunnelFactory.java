package dev.petlet.spi.tunnel;

import dev.petlet.spi.ProviderFactory;

/** Creates {@link Tunnel}s by name; see {@link ProviderFactory} for the contract. */
public interface TunnelFactory extends ProviderFactory<Tunnel> {}
