package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One control-plane process to run: its name (used for the log and pid file) and its argv.
 *
 * @param name short name, e.g. {@code kube-apiserver}
 * @param command the program and its arguments
 */
record ComponentSpec(String name, List<String> command) {
    ComponentSpec {
        requireNonNull(name, "name");
        command = List.copyOf(command);
    }
}
