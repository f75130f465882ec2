/**
 * petlet's configuration file: {@link dev.petlet.core.config.PetletConfig#load(java.nio.file.Path)} reads one
 * YAML file, fills in defaults from this host, and rejects unknown keys and bad values at start with the key path
 * and the reason, all problems at once.
 */
package dev.petlet.core.config;
