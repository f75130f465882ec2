package dev.petlet.core.pod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The label that marks runtime objects as this agent's. Several agents may share one runtime
 * (two sandboxes on one machine, say); each must see, adopt and clean up only its own pods. The
 * value is kept in the agent's state directory, so it survives restarts.
 */
record AgentLabel(String value) {
    static final String KEY = "io.petlet.agent";

    static AgentLabel loadOrCreate(Path stateDirectory) throws IOException {
        Path file = stateDirectory.resolve("agent-id");
        if (Files.exists(file)) {
            String id = Files.readString(file).trim();
            if (!id.isEmpty()) {
                return new AgentLabel(id);
            }
        }
        Files.createDirectories(stateDirectory);
        String id = UUID.randomUUID().toString();
        Path temporary = Files.createTempFile(stateDirectory, ".agent-id", ".tmp");
        Files.writeString(temporary, id + "\n");
        Files.move(
                temporary,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new AgentLabel(id);
    }
}
