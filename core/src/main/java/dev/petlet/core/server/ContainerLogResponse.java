package dev.petlet.core.server;

import static java.util.Objects.requireNonNull;

import dev.petlet.spi.runtime.LogFrame;
import dev.petlet.spi.runtime.LogSink;
import dev.petlet.spi.runtime.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One {@code /containerLogs} response: a chunked body fed by the runtime's log frames, flushed per frame, each
 * prefixed with its RFC3339Nano time and a space when timestamps were asked for, cut at {@code limitBytes}
 * (counting prefixes, as the kubelet's limited writer does).
 *
 * <p>Frames arrive on a provider thread; a client that reads slowly blocks that thread (backpressure). The
 * subscription is closed when the log ends, the limit is reached, or the client goes away.
 */
final class ContainerLogResponse implements LogSink {
    private final Channel channel;
    private final boolean timestamps;
    private final Clock clock;
    private final boolean keepAlive;
    private final Executor blocking;
    private final Consumer<Boolean> finished;
    private long remaining;
    private boolean headersSent;
    private boolean done;
    private Subscription subscription;

    /**
     * @param limitBytes nullable: the most bytes to send
     * @param blocking where to close the subscription, off provider and event loop threads
     * @param finished called once the response ended, with whether the connection may serve another request
     */
    ContainerLogResponse(
            Channel channel,
            boolean timestamps,
            Long limitBytes,
            Clock clock,
            boolean keepAlive,
            Executor blocking,
            Consumer<Boolean> finished) {
        this.channel = requireNonNull(channel, "channel");
        this.timestamps = timestamps;
        this.remaining = limitBytes == null ? Long.MAX_VALUE : limitBytes;
        this.clock = requireNonNull(clock, "clock");
        this.keepAlive = keepAlive;
        this.blocking = requireNonNull(blocking, "blocking");
        this.finished = requireNonNull(finished, "finished");
    }

    /**
     * Takes over the subscription that feeds this response: sends the headers now (the container exists), and
     * ends the response when the subscription completes or the client goes away.
     */
    void follow(Subscription subscription) {
        synchronized (this) {
            this.subscription = subscription;
            if (done) {
                close(subscription);
                return;
            }
            sendHeaders();
        }
        channel.closeFuture().addListener(closed -> finish(new IOException("the client closed the connection")));
        subscription.completion().whenComplete((ignored, error) -> finish(error));
    }

    @Override
    public void accept(LogFrame frame) throws IOException {
        ChannelFuture written;
        boolean limitReached;
        synchronized (this) {
            if (done || !channel.isActive()) {
                throw new IOException("the log response has ended");
            }
            sendHeaders();
            byte[] prefix = timestamps
                    ? (LogTimestamps.format(frame.timestamp() != null ? frame.timestamp() : clock.instant()) + " ")
                            .getBytes(StandardCharsets.US_ASCII)
                    : new byte[0];
            long length = Math.min((long) prefix.length + frame.data().length, remaining);
            ByteBuf chunk = channel.alloc().buffer((int) length);
            chunk.writeBytes(prefix, 0, (int) Math.min(prefix.length, length));
            chunk.writeBytes(frame.data(), 0, (int) (length - chunk.readableBytes()));
            remaining -= length;
            limitReached = remaining == 0;
            written = channel.writeAndFlush(new DefaultHttpContent(chunk));
        }
        if (limitReached) {
            finish(null);
            return;
        }
        if (!channel.isWritable() && !channel.eventLoop().inEventLoop()) {
            written.awaitUninterruptibly(); // backpressure: wait until the client took what is queued
        }
        if (!channel.isActive()) {
            throw new IOException("the client closed the connection");
        }
    }

    /** Ends the response, once: with an error before any output, as a 500; otherwise with the last chunk. */
    void finish(Throwable error) {
        Subscription toClose;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            toClose = subscription;
            if (channel.isActive()) {
                boolean reuse = keepAlive && error == null;
                ChannelFuture ended;
                if (!headersSent && error != null) {
                    var response = Responses.error(500, "cannot read the container's log: " + error.getMessage());
                    Responses.connection(response, false);
                    ended = channel.writeAndFlush(response);
                } else {
                    sendHeaders();
                    ended = channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                ended.addListener(future -> finished.accept(reuse && future.isSuccess()));
            }
        }
        if (toClose != null) {
            close(toClose);
        }
    }

    /** Closes off the event loop; inline once the server is stopping and its executor takes no more work. */
    private void close(Subscription subscription) {
        try {
            blocking.execute(subscription::close);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            subscription.close();
        }
    }

    private void sendHeaders() {
        if (headersSent) {
            return;
        }
        headersSent = true;
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, Responses.TEXT)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        Responses.connection(response, keepAlive);
        channel.writeAndFlush(response);
    }
}
