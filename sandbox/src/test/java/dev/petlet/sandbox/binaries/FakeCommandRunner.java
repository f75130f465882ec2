package dev.petlet.sandbox.binaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers the commands the resolver runs (kube-apiserver --version, go version, go build, tar) the
 * way a working system would, without starting processes, and records every command.
 */
final class FakeCommandRunner implements CommandRunner {
    private final List<Command> commands = new ArrayList<>();
    private String apiserverVersionOutput = "Kubernetes v1.33.13\n";
    private String goVersionOutput = "go version go1.24.4 linux/amd64\n";
    private String goBuildFailure = "";

    FakeCommandRunner reportApiserverVersion(String output) {
        this.apiserverVersionOutput = output;
        return this;
    }

    FakeCommandRunner reportGoVersion(String output) {
        this.goVersionOutput = output;
        return this;
    }

    /** Makes every go build print {@code output} and exit with 1. */
    FakeCommandRunner failGoBuildWith(String output) {
        this.goBuildFailure = output;
        return this;
    }

    List<Command> commands() {
        return List.copyOf(commands);
    }

    List<Command> goBuilds() {
        return commands.stream()
                .filter(command -> command.arguments().size() > 1
                        && command.arguments().get(1).equals("build"))
                .toList();
    }

    @Override
    public Result run(Command command) throws IOException {
        commands.add(command);
        List<String> arguments = command.arguments();
        String program = Path.of(command.program()).getFileName().toString();
        if (arguments.contains("--version")) {
            return new Result(0, apiserverVersionOutput);
        }
        if (program.equals("go") && arguments.get(1).equals("version")) {
            return new Result(0, goVersionOutput);
        }
        if (program.equals("go") && arguments.get(1).equals("build")) {
            return goBuild(command);
        }
        if (program.equals("tar")) {
            // tar -xzf ARCHIVE -C DIRECTORY MEMBER
            Path member = Path.of(arguments.get(4)).resolve(arguments.get(5));
            Files.createDirectories(member.getParent());
            writeExecutable(member);
            return new Result(0, "");
        }
        throw new IOException("Cannot run program \"" + command.program() + "\": no such file");
    }

    private Result goBuild(Command command) throws IOException {
        Path log = command.outputFile().orElseThrow();
        if (!goBuildFailure.isEmpty()) {
            Files.writeString(log, goBuildFailure, StandardOpenOption.APPEND);
            return new Result(1, "");
        }
        List<String> arguments = command.arguments();
        int output = arguments.indexOf("-o");
        String target = arguments.get(output + 1);
        if (target.endsWith("/")) {
            for (String goPackage : arguments.subList(output + 2, arguments.size())) {
                writeExecutable(Path.of(target, goPackage.substring(goPackage.lastIndexOf('/') + 1)));
            }
        } else {
            writeExecutable(Path.of(target));
        }
        return new Result(0, "");
    }

    private static void writeExecutable(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
