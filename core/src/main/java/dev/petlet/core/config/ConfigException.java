package dev.petlet.core.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The configuration cannot be used; the message lists every problem as {@code key.path: what is wrong}. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    ConfigException(String source, List<String> problems) {
        super(message(requireNonNull(source, "source"), problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code key.path: reason}, e.g. {@code maxPods: must be between 1 and 1000, got 0}. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        if (problems.size() == 1) {
            return source + ": " + problems.get(0);
        }
        return source + " has " + problems.size() + " problems:\n  " + String.join("\n  ", problems);
    }
}
