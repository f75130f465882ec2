package dev.petlet.cli;

import dev.petlet.core.provider.Providers;
import java.nio.file.Path;

/** The {@code --providers-dir} option shared by the commands that load providers. */
final class InstalledProviders {
    private InstalledProviders() {}

    /** The providers in {@code directory}, else those of the distribution, else the class path's. */
    static Providers load(Path directory) {
        if (directory != null) {
            if (!java.nio.file.Files.isDirectory(directory)) {
                throw new IllegalArgumentException("--providers-dir " + directory + ": no such directory");
            }
            return Providers.fromDirectory(directory, InstalledProviders.class.getClassLoader());
        }
        return Providers.installed(InstalledProviders.class.getClassLoader());
    }
}
