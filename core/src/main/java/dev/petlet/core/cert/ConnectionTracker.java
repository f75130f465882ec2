package dev.petlet.core.cert;

import java.io.IOException;
import java.net.Socket;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the sockets of a client's connections, so they can all be closed when the client certificate
 * changes: the API server authenticates a connection by the certificate of its handshake, and an HTTP/2
 * connection carrying watches would otherwise present the old certificate until it expires. The kubelet closes
 * its connections on rotation for the same reason; watches reconnect with the new certificate.
 */
public final class ConnectionTracker implements Interceptor {
    private static final Logger log = LoggerFactory.getLogger(ConnectionTracker.class);
    private final Set<Socket> sockets = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public Response intercept(Chain chain) throws IOException {
        Connection connection = chain.connection();
        if (connection != null) {
            sockets.add(connection.socket());
        }
        return chain.proceed(chain.request());
    }

    /** Closes every connection made so far; returns how many were open. */
    public int closeAll() {
        Socket[] open;
        synchronized (sockets) {
            open = sockets.toArray(Socket[]::new);
            sockets.clear();
        }
        int closed = 0;
        for (Socket socket : open) {
            if (!socket.isClosed()) {
                closed++;
                try {
                    socket.close();
                } catch (IOException e) {
                    log.debug("cannot close a connection to the API server", e);
                }
            }
        }
        return closed;
    }
}
