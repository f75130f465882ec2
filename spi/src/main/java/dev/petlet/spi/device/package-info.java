/**
 * Device inventories: {@link dev.petlet.spi.device.DeviceInventory} scans the machine for devices (disks,
 * pools, accelerators) and reports them as {@link dev.petlet.spi.device.Device} records, which the core
 * publishes as Kubernetes objects. An inventory only reads the machine; it never changes it.
 */
package dev.petlet.spi.device;
