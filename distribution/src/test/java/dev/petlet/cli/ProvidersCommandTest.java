package dev.petlet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.petlet.testing.plugin.TestProviders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code petlet providers} over a directory of real provider jars built by the test. */
class ProvidersCommandTest {
    @TempDir
    Path temporary;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... arguments) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(arguments);
    }

    @Test
    void listsNameVersionKindsAndConfigurationKeys() {
        Path providers = temporary.resolve("providers");
        TestProviders.provider(providers, "alpha", "alpha-devices").write();

        int exit = run("providers", "--providers-dir", providers.toString());

        assertThat(exit).isZero();
        assertThat(out.toString())
                .isEqualTo("alpha 7.0-alpha (SPI 1, " + providers.resolve("alpha") + ")\n"
                        + "  kinds: devices\n"
                        + "  devices \"alpha-devices\"\n"
                        + "    greeting: what it says (default hello)\n");
    }

    @Test
    void aBrokenProviderIsOneLineOnStandardError() {
        Path providers = temporary.resolve("providers");
        TestProviders.provider(providers, "broken", "broken-devices")
                .throwingOnLoad("no coffee")
                .write();

        int exit = run("providers", "--providers-dir", providers.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .isEqualTo("petlet: provider broken (" + providers.resolve("broken")
                        + ") failed to load: java.lang.IllegalStateException: no coffee; fix or remove the provider\n");
    }
}
