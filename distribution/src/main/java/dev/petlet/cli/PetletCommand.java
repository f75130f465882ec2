package dev.petlet.cli;

import picocli.CommandLine.Command;

/** {@code petlet}: the node agent and its tools. */
@Command(
        name = "petlet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "A Kubernetes node agent that runs this machine's pods with Podman.",
        subcommands = {
            SandboxCommand.class,
            JoinCommand.class,
            RunCommand.class,
            ProvidersCommand.class,
            DoctorCommand.class,
            VersionCommand.class
        })
final class PetletCommand {}
