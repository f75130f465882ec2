package dev.petlet.core.cert;

/** The names a node's certificates carry. */
public final class NodeIdentity {
    public static final String NODES_GROUP = "system:nodes";
    public static final String USER_PREFIX = "system:node:";

    private NodeIdentity() {}

    /** {@code system:node:<nodeName>}: the certificate's CN and the user the API server sees. */
    public static String user(String nodeName) {
        return USER_PREFIX + nodeName;
    }
}
