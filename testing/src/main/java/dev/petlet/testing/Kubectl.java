package dev.petlet.testing;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real {@code kubectl}, pointed at one kubeconfig. */
public final class Kubectl {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path kubeconfig;

    public Kubectl(Path kubeconfig) {
        this.kubeconfig = requireNonNull(kubeconfig, "kubeconfig");
    }

    public CommandResult run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(arguments));
        return Commands.run(TIMEOUT, command);
    }
}
