package dev.petlet.e2e.pod;

/** {@code kubectl exec} into a pod's default container, for checking from inside what its spec promised. */
final class PodExec {
    private PodExec() {}

    /** Runs the command in the pod, asserting it succeeds; returns what it printed. */
    static String run(TestNamespace namespace, String pod, String... command) {
        String[] arguments = new String[command.length + 3];
        arguments[0] = "exec";
        arguments[1] = pod;
        arguments[2] = "--";
        System.arraycopy(command, 0, arguments, 3, command.length);
        return namespace.kubectlOk(arguments);
    }
}
