/** The provider contract between petlet's core and the providers that touch the machine. */
package dev.petlet.spi;
