/** A ClusterIP service proxy and NetworkPolicy enforcer (placeholder in SPI v1). */
package dev.petlet.spi.proxy;
