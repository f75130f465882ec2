/** A tunnel joining this node to the cluster network (placeholder in SPI v1). */
package dev.petlet.spi.tunnel;
