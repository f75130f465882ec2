package dev.petlet.core.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SPDY and WebSocket session handlers share: the last handler of an upgraded pipeline, with {@link
 * FlowControl}, an {@link IdleTimer}, delayed tasks that die with the connection, and a graceful {@link #end()}
 * that waits a while for the client to hang up. Exceptions end here: the connection is closed, nothing
 * propagates further down the pipeline.
 */
abstract class StreamConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

    /**
     * How long an ended session waits for the client to hang up before closing the socket itself. Waiting keeps
     * the client's last frames from meeting a closed socket, which would reset the connection and could lose
     * output the client has not read yet.
     */
    static final Duration LINGER = Duration.ofSeconds(5);

    private final Duration idleTimeout;
    private ChannelHandlerContext ctx;
    private FlowControl flow;
    private IdleTimer idle;
    private volatile boolean ending;
    private volatile boolean closed;

    StreamConnection(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.idle = new IdleTimer(ctx.executor(), idleTimeout, this::idle);
        this.flow = new FlowControl(ctx, idle::touch);
        started();
        idle.start();
    }

    /** The handler is in the pipeline and its context, flow control and timer are in place. */
    abstract void started();

    /** Says goodbye the protocol's way (GOAWAY, a close frame); {@link #end()} then closes after {@link #LINGER}. */
    abstract void farewell();

    /** The connection closed: release everything. */
    abstract void disconnected();

    /** Called on the event loop when the session was idle too long, before it is closed. */
    void idleFarewell() {}

    ChannelHandlerContext ctx() {
        return ctx;
    }

    FlowControl flow() {
        return flow;
    }

    boolean isEnding() {
        return ending;
    }

    boolean isClosed() {
        return closed;
    }

    /** Records traffic for the idle timer. */
    void touch() {
        idle.touch();
    }

    /** Sends a frame with flow control; see {@link FlowControl#send}. */
    void send(Object frame, int bytes) throws IOException {
        flow.send(frame, bytes);
    }

    void onEventLoop(Runnable task) {
        StreamThreads.onEventLoop(ctx.executor(), task);
    }

    /** Runs a task on the event loop after a delay, unless the connection closed by then. */
    void schedule(Runnable task, Duration delay) {
        ctx.executor()
                .schedule(
                        () -> {
                            if (!closed) {
                                task.run();
                            }
                        },
                        delay.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    /** Marks the session as ending; false if it was ending or closed already. Event loop. */
    boolean beginEnding() {
        if (ending || closed) {
            return false;
        }
        ending = true;
        return true;
    }

    /**
     * Ends the session gracefully: the {@link #farewell()}, then close once the client hung up or {@link #LINGER}
     * passed. Any thread, idempotent.
     */
    final void end() {
        onEventLoop(() -> {
            if (beginEnding()) {
                farewell();
                schedule(ctx::close, LINGER);
            }
        });
    }

    /** Closes the connection at once. Any thread. */
    void close() {
        ctx.close();
    }

    private void idle() {
        LOG.debug("closing {}: idle for {}", ctx.channel(), idleTimeout);
        idleFarewell();
        ctx.close();
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        idle.cancel();
        flow.close();
        disconnected();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The end of the line: the client sent something unreadable or the connection broke.
        LOG.debug("closing {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
