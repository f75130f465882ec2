/** Drivers that mount non-API volumes (nfs, zfs datasets) for pods: {@link dev.petlet.spi.volume.VolumeDriver}. */
package dev.petlet.spi.volume;
