package dev.petlet.cli;

import dev.petlet.sandbox.binaries.KubernetesVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code petlet version}: petlet's version and the Kubernetes version it speaks. */
@Command(name = "version", description = "Print petlet's version and the Kubernetes version it targets.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static String petletVersion() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(line());
        return 0;
    }

    static String line() {
        return "petlet " + petletVersion() + " (Kubernetes " + KubernetesVersions.DEFAULT + ", Java "
                + Runtime.version().feature() + ")";
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }
    }
}
