package dev.petlet.core.server;

import dev.petlet.core.stream.StreamTarget;
import dev.petlet.core.stream.StreamUpgrade;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Hands an authorized exec, attach or port-forward request to the streaming layer, which answers the upgrade
 * and takes the channel over. Called on the channel's event loop with reading paused; the server does not
 * touch the channel afterwards except to resume reading.
 */
@FunctionalInterface
interface StreamHandoff {
    StreamHandoff STREAM_UPGRADE = StreamUpgrade::handle;

    void handle(ChannelHandlerContext ctx, HttpRequest request, StreamTarget target);
}
