package dev.petlet.cli;

import dev.petlet.core.provider.InstalledProvider;
import dev.petlet.core.provider.ProviderKind;
import dev.petlet.core.provider.Providers;
import dev.petlet.spi.ConfigKey;
import dev.petlet.spi.ProviderFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code petlet providers}: what is installed under {@code providers/}, with kinds and configuration keys. */
@Command(
        name = "providers",
        mixinStandardHelpOptions = true,
        description = "List the installed providers: name, version, kinds and configuration keys.")
final class ProvidersCommand implements Callable<Integer> {
    @Option(
            names = "--providers-dir",
            description = "Where the providers are (default: providers/ in the distribution).")
    Path providersDirectory;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Providers providers = InstalledProviders.load(providersDirectory);
        PrintWriter out = spec.commandLine().getOut();
        if (providers.all().isEmpty()) {
            out.println("no providers installed in " + providers.source());
            return 0;
        }
        for (InstalledProvider provider : providers.all()) {
            out.println(provider.name() + " " + provider.version() + " (SPI " + provider.spiVersion() + ", "
                    + provider.location() + ")");
            out.println("  kinds: "
                    + provider.kinds().stream().map(ProviderKind::label).collect(Collectors.joining(", ")));
            for (ProviderKind kind : provider.kinds()) {
                for (ProviderFactory<?> factory : provider.factories(kind)) {
                    out.println("  " + kind.label() + " \"" + factory.name() + "\"");
                    for (ConfigKey key : provider.configKeys(factory)) {
                        out.println("    " + key.name() + ": " + key.description()
                                + (key.defaultValue() == null
                                                || key.defaultValue().isEmpty()
                                        ? ""
                                        : " (default " + key.defaultValue() + ")"));
                    }
                }
            }
        }
        out.flush();
        return 0;
    }
}
