/** A driver that mounts non-API volumes (nfs, zfs datasets, host paths) for pods (placeholder in SPI v1). */
package dev.petlet.spi.volume;
