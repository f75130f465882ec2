/** An inventory of devices (disks, pools) published as Kubernetes objects (placeholder in SPI v1). */
package dev.petlet.spi.device;
