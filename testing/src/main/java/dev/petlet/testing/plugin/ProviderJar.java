package dev.petlet.testing.plugin;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.SpiVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real jar during a test: Java sources compiled against the SPI (and any jars given), an optional
 * {@code META-INF/services} entry for a plugin and manifest attributes. For testing how providers load: one
 * that throws, two with the same name, one built for another SPI version, two with different versions of the
 * same library.
 */
public final class ProviderJar {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final List<Path> classPath = new ArrayList<>();
    private String plugin;

    private ProviderJar() {
        manifest.put(SpiVersion.MANIFEST_ATTRIBUTE, Integer.toString(SpiVersion.CURRENT));
    }

    /** A jar that states the current SPI version and holds nothing yet. */
    public static ProviderJar create() {
        return new ProviderJar();
    }

    /** Adds a source file for the class {@code className} (fully qualified). */
    public ProviderJar source(String className, String code) {
        sources.put(requireNonNull(className, "className"), requireNonNull(code, "code"));
        return this;
    }

    /** Lists {@code className} in {@code META-INF/services/dev.petlet.spi.PetletPlugin}. */
    public ProviderJar plugin(String className) {
        this.plugin = requireNonNull(className, "className");
        return this;
    }

    /** Sets a manifest attribute; a {@code null} value removes it. */
    public ProviderJar manifest(String name, String value) {
        if (value == null) {
            manifest.remove(name);
        } else {
            manifest.put(name, value);
        }
        return this;
    }

    /** Compiles against these jars too (a library the provider bundles). */
    public ProviderJar compileAgainst(Path... jars) {
        classPath.addAll(List.of(jars));
        return this;
    }

    /** Compiles and writes the jar to {@code jar}, creating its directory; returns {@code jar}. */
    public Path writeTo(Path jar) {
        try {
            Path work = Files.createTempDirectory("provider-jar");
            Path sourceRoot = Files.createDirectories(work.resolve("src"));
            Path classes = Files.createDirectories(work.resolve("classes"));
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = sourceRoot.resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                files.add(file);
            }
            if (!files.isEmpty()) {
                compile(files, classes);
            }
            Files.createDirectories(jar.toAbsolutePath().getParent());
            write(classes, jar);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(List<Path> files, Path classes) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("building provider jars needs a JDK, not a JRE");
        }
        List<Path> path = new ArrayList<>(classPath);
        path.add(location(SpiVersion.class));
        List<String> options = List.of(
                "--release",
                "21",
                "-proc:none",
                "-d",
                classes.toString(),
                "-cp",
                path.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        StringWriter errors = new StringWriter();
        try (var fileManager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(
                            errors, fileManager, null, options, null, fileManager.getJavaFileObjectsFromPaths(files))
                    .call();
            if (!compiled) {
                throw new IllegalStateException("the test provider does not compile:\n" + errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Path classes, Path jar) throws IOException {
        Manifest jarManifest = new Manifest();
        jarManifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((name, value) -> jarManifest.getMainAttributes().putValue(name, value));
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, jarManifest);
                Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                jarOut.putNextEntry(
                        new JarEntry(classes.relativize(file).toString().replace(java.io.File.separatorChar, '/')));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
            if (plugin != null) {
                jarOut.putNextEntry(new JarEntry("META-INF/services/dev.petlet.spi.PetletPlugin"));
                jarOut.write((plugin + "\n").getBytes(StandardCharsets.UTF_8));
                jarOut.closeEntry();
            }
        }
    }

    /** The jar or class directory a class was loaded from. */
    public static Path location(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
