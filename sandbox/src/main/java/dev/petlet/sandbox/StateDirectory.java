package dev.petlet.sandbox;

import static java.util.Objects.requireNonNull;

import dev.petlet.core.FileTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A sandbox's state directory and the exclusive lock that keeps a second sandbox off it.
 *
 * <p>The lock is an OS file lock, so it disappears with the process even after SIGKILL; the pid
 * written into the lock file is only for the message a refused second sandbox prints.
 */
final class StateDirectory implements AutoCloseable {
    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private StateDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed and takes its lock, or explains who holds it. */
    static StateDirectory lock(Path root) throws SandboxException {
        requireNonNull(root, "root");
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            Path lockFile = root.resolve("sandbox.lock");
            FileChannel channel = FileChannel.open(
                    lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(lockFile).trim();
                channel.close();
                throw new SandboxException(
                        "another petlet sandbox" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                                + " is already using state directory " + root
                                + "; stop it first (POST to its control port /stop, or Ctrl-C), or use --state-dir to run a second one");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
            return new StateDirectory(root, channel, lock);
        } catch (IOException e) {
            throw new SandboxException("cannot use state directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** Deletes everything in the state directory; refuses while another sandbox holds it. */
    static void clean(Path root) throws SandboxException {
        if (!Files.exists(root)) {
            return;
        }
        try (StateDirectory locked = lock(root)) {
            try (var children = Files.list(root)) {
                for (Path child : children.toList()) {
                    if (!child.getFileName().toString().equals("sandbox.lock")) {
                        FileTrees.delete(child);
                    }
                }
            }
        } catch (IOException e) {
            throw new SandboxException("cannot clean state directory " + root + ": " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    Path pki() {
        return root.resolve("pki");
    }

    Path etcdData() {
        return root.resolve("etcd");
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path pids() {
        return root.resolve("run");
    }

    Path adminKubeconfig() {
        return root.resolve("admin.kubeconfig");
    }

    Path kubeconfig(String component) {
        return root.resolve(component + ".kubeconfig");
    }

    Path componentDirectory(String component) {
        return root.resolve(component);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
