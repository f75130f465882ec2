package dev.petlet.cli;

import dev.petlet.core.config.HostDefaults;
import dev.petlet.core.config.PetletConfig;
import dev.petlet.core.provider.InstalledProvider;
import dev.petlet.core.provider.ProviderKind;
import dev.petlet.core.provider.Providers;
import dev.petlet.spi.ProviderCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code petlet doctor}: checks what the configured providers and the agent need on this machine and says what
 * to fix. Provider checks come from the providers themselves ({@code ProviderFactory.check}).
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Check that this machine has what petlet and its configured providers need; exit 1 if not.")
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--config", description = "The configuration file (default: conf/petlet.yaml in the distribution).")
    Path config;

    @Option(
            names = "--providers-dir",
            description = "Where the providers are (default: providers/ in the distribution).")
    Path providersDirectory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file = Optional.ofNullable(config)
                .orElseGet(() -> Path.of(System.getProperty("petlet.home", "."), "conf", "petlet.yaml"));
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": the configuration file does not exist; give it with --config");
        }
        PetletConfig settings = PetletConfig.load(file, HostDefaults.system());
        List<ProviderCheck> checks = new ArrayList<>(MachineChecks.all(settings));
        Providers providers = InstalledProviders.load(providersDirectory);
        var runtime = providers.select(ProviderKind.RUNTIME, settings.runtime().provider());
        InstalledProvider provider = runtime.provider();
        checks.addAll(provider.check(runtime.factory(), settings.runtime().config()));
        for (var driver : settings.volumeDrivers()) {
            var selected = providers.select(ProviderKind.VOLUME_DRIVER, driver.provider());
            checks.addAll(selected.provider().check(selected.factory(), driver.config()));
        }
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (ProviderCheck check : checks) {
            out.println((check.passed() ? "ok    " : "FAIL  ") + check.description());
            if (!check.passed()) {
                out.println("      fix: " + check.advice());
                failed++;
            }
        }
        out.println(
                failed == 0
                        ? "all " + checks.size() + " checks passed"
                        : failed + " of " + checks.size() + " checks failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
